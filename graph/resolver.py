"""Before a source is written: its nodes re-keyed onto the entities the store holds.

A :class:`Resolver` follows one source's load chunk by chunk. For each chunk:

* **provisional ids** (entities a report knows only by name, ``txkg:drug/…``)
  take the id of the one stored node of their kind that their id, name or a
  synonym finds; the rest stay provisional and are noted in the ledger;
* **other ids** the store does not hold are matched by cross-reference, name
  or gene symbol (:mod:`graph.identity`): one entity, one node;
* a re-keyed node keeps its own id as an xref and shows the stored name;
  edges follow their nodes; a node whose id the store holds as another kind
  is left out with its edges.

What a chunk decided holds for the chunks after it (an edge may name a node
of an earlier chunk). Matching is against the store as it was before the
load: nodes this load created are never a match, so a source is resolved the
same whether it arrives in one chunk or in many.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from graph import ids
from graph.identity import AMBIGUOUS, IdentityResolution, match_identities
from graph.model import MECHANISM_KINDS, Node, Prediction, Rejection, SourceInfo
from graph.store.base import GraphStore
from graph.stream import Chunk, edge_line, rekeyed

#: Reasons of the ledger notes a resolution writes about a node it keeps (so a reload of
#: the source, which resolves the node again, writes them afresh).
_KEPT_NODE_NOTES = ("unresolved ", AMBIGUOUS)


def is_resolution_note(rejection: Rejection) -> bool:
    """True for a ledger note that resolving a source's nodes again writes afresh.

    >>> is_resolution_note(Rejection(source="r", record="x",
    ...     reason="unresolved Drug name 'x': kept as txkg:drug/x"))
    True
    """
    return rejection.reason.startswith(_KEPT_NODE_NOTES)


class Resolver:
    """Identity resolution for one source's load, chunk after chunk."""

    def __init__(self, store: GraphStore, source: SourceInfo, *,
                 rekey: Mapping[str, str] | None = None) -> None:
        self.store = store
        self.source = source
        #: Batch id -> the id it is stored under; ``rekey`` starts it (ids another load
        #: showed to be a better-known entity's).
        self.mapping: dict[str, str] = dict(rekey or {})
        self._rekey_names = {target: node.name for target in set(self.mapping.values())
                             if (node := store.node(target)) is not None}
        #: Stored id -> the better id of the same entity this load brings
        #: (:attr:`graph.identity.IdentityResolution.claims`).
        self.claims: dict[str, str] = {}
        #: Stored id -> xrefs it holds that a node of this load lists too, and the
        #: held nodes whose new xrefs settle them
        #: (:attr:`graph.identity.IdentityResolution.released`, ``decided``).
        self.released: dict[str, set[str]] = {}
        self.decided: set[str] = set()
        self.dropped: set[str] = set()  # ids left out (kind clash)
        self.created: set[str] = set()  # ids this load brings that the store did not hold
        #: Names and synonyms of the identified nodes this load asserts -> their kinds: a
        #: provisional node stored earlier under one of them may resolve now.
        self.new_names: dict[str, set[str]] = {}
        #: The names (:func:`graph.ids.name_key`) of those nodes -> their ids.
        self.named: dict[str, set[str]] = {}
        self._present: set[str] | None = None  # kinds the store held before the load

    def resolve(self, chunk: Chunk) -> Chunk:
        """The chunk with its nodes and edges re-keyed, and notes on what stays open."""
        notes: list[Rejection] = []
        provisional = [n for n in chunk.nodes if ids.is_provisional(n.id)]
        #: Stored id -> its name, for provisional nodes resolved onto it in this chunk.
        provisional_names: dict[str, str] = {}
        if provisional:
            for node, target in zip(provisional, self._match_provisional(provisional),
                                    strict=True):
                if node.id in self.mapping:
                    continue
                if target is not None:
                    self.mapping[node.id] = target[0]
                    provisional_names[target[0]] = target[1]
                else:
                    self.created.add(node.id)
                    notes.append(Rejection(
                        source=self.source.name, path=self.source.path, record=node.name,
                        reason=f"unresolved {node.label} name {node.name!r}: kept as {node.id}"))
        if self._present is None and chunk.nodes:
            self._present = self.store.kinds_present(k.value for k in MECHANISM_KINDS)
        identity = match_identities(chunk.nodes, self.source, self.store,
                                    exclude=self.created, present=self._present)
        self._take(identity)
        notes.extend(identity.notes)
        added = [n for n in chunk.nodes
                 if n.label in MECHANISM_KINDS and not ids.is_provisional(n.id)
                 and n.id not in identity.held and n.id not in self.mapping
                 and n.id not in self.dropped]
        self.created.update(n.id for n in added)
        if not self.mapping and not self.dropped and not notes:
            self._note_names(chunk.nodes)
            return chunk
        kept = [n for n in chunk.nodes if n.id not in self.dropped]
        nodes = [_rekey_node(n, self.mapping) for n in kept]
        # A node re-keyed onto a stored one shows the stored name, however it was matched
        # (a report's name resolved before or after the stored node arrived: one view).
        nodes = [_take_stored_name(n, identity.names.get(n.id) or (
            (provisional_names.get(n.id) or self._rekey_names.get(n.id))
            if n.id != old.id else None))
            for n, old in zip(nodes, kept, strict=True)]
        for old, new in zip(kept, nodes, strict=True):
            if old.id != new.id:
                self.mapping[old.id] = new.id  # a prediction re-keyed with its ends
        self._note_names(nodes)
        return Chunk(nodes=_merge_same_id(nodes), edges=self._edges(chunk.edges, notes),
                     rejections=(*chunk.rejections, *notes))

    def _take(self, identity: IdentityResolution) -> None:
        """Add what one chunk's identity resolution decided to what the load decided."""
        self.mapping |= identity.mapping
        self.dropped |= identity.dropped
        for stored, better in identity.claims.items():
            if self.claims.setdefault(stored, better) != better:
                self.claims[stored] = ""  # claimed by two: neither moves it
        for stored, xrefs in identity.released.items():
            self.released.setdefault(stored, set()).update(xrefs)
        self.decided |= identity.decided

    def _note_names(self, nodes: Iterable[Node]) -> None:
        """Add to :attr:`new_names` what the identified nodes written are known by: names,
        synonyms, and the provisional ids they took over."""
        present = self._present or set()
        for node in nodes:
            if node.label not in present or ids.is_provisional(node.id):
                continue  # nothing of its kind was stored to wait for it
            for text in (node.name, *node.synonyms,
                         *(x for x in node.xrefs if ids.is_provisional(x))):
                self.new_names.setdefault(text, set()).add(node.label)
            self.named.setdefault(ids.name_key(node.name), set()).add(node.id)

    def _edges(self, edges: Iterable[Any], notes: list[Rejection]) -> list[Any]:
        mapping, dropped = self.mapping, self.dropped
        kept: list[tuple[tuple[str, str], Any]] = []
        for edge in edges:
            if edge.source in dropped or edge.target in dropped:
                continue
            source = mapping.get(edge.source, edge.source)
            target = mapping.get(edge.target, edge.target)
            if source == target and edge.source != edge.target:
                notes.append(Rejection(
                    source=self.source.name, path=self.source.path,
                    line=edge_line(edge),
                    record=f"{edge.source} -[{edge.type.value}]-> {edge.target}",
                    reason=f"both ends are {source} once identities are resolved: edge left out"))
                continue
            kept.append(((edge.source, edge.target), rekeyed(edge, source, target)))
        return _said_order(kept)

    def _match_provisional(self, nodes: Sequence[Node]) -> list[tuple[str, str] | None]:
        """For each provisional node, the one stored, non-provisional node it stands for
        (its id and name).

        One bulk lookup (:meth:`GraphStore.find_many`) instead of a ``find`` per
        id, name and synonym of every node; each node then considers the hits of
        its own kind.
        """
        texts = {text for node in nodes for text in (node.id, node.name, *node.synonyms)}
        found = {text: [h for h in hits if h.id not in self.created]
                 for text, hits in self.store.find_many(texts).items()}
        return [_match(node, found) for node in nodes]


def _match(node: Node, found: dict[str, list[Node]]) -> tuple[str, str] | None:
    """The one stored, non-provisional node a provisional node stands for (id, name).

    ``found`` is what a bulk lookup of every kind found for the node's id, name
    and synonyms; each text's first 50 hits of the node's kind count, as a
    ``find(text, kind=…, limit=50)`` would give.
    """
    for text in (node.id, node.name, *node.synonyms):
        same_kind = [n for n in found.get(text, ()) if n.label == node.label][:50]
        hits = [n for n in same_kind if not ids.is_provisional(n.id)]
        if len(hits) == 1:
            return hits[0].id, hits[0].name
        exact = [n for n in hits if ids.name_key(n.name) == ids.name_key(node.name)]
        if len(exact) == 1:
            return exact[0].id, exact[0].name
    return None


def _said_order(kept: list[tuple[tuple[str, str], Any]]) -> list[Any]:
    """The re-keyed edges in their order, but for those that re-keying made one statement
    (two DrugMechDB edges to two MeSH diseases that are one MONDO disease): these come in
    the order of their ends as said, so which one the store keeps first does not hang on
    the order a source's edges were listed in (a file's, or what the store kept)."""
    groups: dict[tuple[str, str, str], list[tuple[tuple[str, str], Any]]] = {}
    for said, edge in kept:
        groups.setdefault((edge.source, str(edge.type), edge.target), []).append((said, edge))
    if len(groups) == len(kept):
        return [edge for _, edge in kept]
    return [edge for group in groups.values()
            for _, edge in sorted(group, key=lambda pair: pair[0])]


def _take_stored_name(node: Node, stored_name: str | None) -> Node:
    """A node re-keyed onto a stored one shows the stored name; its own becomes a synonym."""
    if stored_name is None or stored_name == node.name:
        return node
    return node.model_copy(update={
        "name": stored_name,
        "synonyms": tuple(dict.fromkeys(s for s in (node.name, *node.synonyms)
                                        if s != stored_name))})


def _merge_same_id(nodes: Iterable[Node]) -> tuple[Node, ...]:
    """One node per id: nodes re-keyed onto one id pool their synonyms and xrefs."""
    merged: dict[str, Node] = {}
    for node in nodes:
        first = merged.get(node.id)
        if first is None:
            merged[node.id] = node
            continue
        merged[node.id] = first.model_copy(update={
            "synonyms": tuple(dict.fromkeys(
                s for s in (*first.synonyms, *node.synonyms, node.name) if s != first.name)),
            "xrefs": tuple(dict.fromkeys((*first.xrefs, *node.xrefs)))})
    return tuple(merged.values())


def _rekey_node(node: Node, mapping: dict[str, str]) -> Node:
    update: dict[str, Any] = {}
    if node.id in mapping:
        update["id"] = mapping[node.id]
        update["xrefs"] = (*node.xrefs, node.id)
    if isinstance(node, Prediction):
        drug_id = mapping.get(node.drug_id, node.drug_id)
        disease_id = mapping.get(node.disease_id, node.disease_id)
        if (drug_id, disease_id) != (node.drug_id, node.disease_id):
            update |= {"drug_id": drug_id, "disease_id": disease_id,
                       "id": ids.prediction_id(drug_id, disease_id, node.model)}
    return node.model_copy(update=update) if update else node
