"""One entity, one node: which stored node a batch's node stands for.

Sources name one entity with different ids: TxGNN a disease by MONDO id,
DrugMechDB by MeSH id, Hetionet by DOID; PrimeKG a gene by NCBI Gene id,
DrugMechDB by UniProt accession. Before a batch is loaded, each of its nodes
whose id the store does not hold is matched against the stored nodes of the
same kind, and re-keyed to the one it matches (its own id kept as an xref):

1. **by cross-reference**, either way round: a stored node lists this node's
   id among its xrefs (a MONDO disease listing ``MESH:D001172``), or this node
   lists a stored node's id among its own (a DrugMechDB drug keyed
   ``DRUGBANK:DB01281`` is matched directly; a Hetionet disease ``DOID:7148``
   meets the MONDO disease that lists it);
2. failing that, **by name** for drugs and diseases (the same name, ignoring
   case and markup) and **by symbol** for genes (``CD80`` in DrugMechDB's
   ``T-lymphocyte activation antigen CD80`` against a stored gene whose symbol
   or name is ``CD80``), only against nodes keyed in another id space, so two
   ids of one vocabulary are never merged on a name.

A match must be unique. An ambiguous one, and a node whose id the store holds
as another kind, go to the ledger; the first keeps its own id, the second is
left out with its edges (a store cannot hold one id as two kinds).

The entity keeps the better of the two ids (:func:`outranks`, by
:data:`PREFERRED_SPACES`), whichever was loaded first: a batch node with the
better id *claims* the stored node (:attr:`IdentityResolution.claims`) instead
of being keyed onto it, and ``KnowledgeGraph.load`` then resolves the stored
node's sources again onto the batch's id.

A cross-reference outranks a name, whichever comes first. A source may bring a
stored node's xrefs after its name (TxGNN's ``mondo_references.csv`` after
``disease_vocab.csv``), when another node has already been merged onto a stored node
by name. An xref that a held node now lists and the store holds on another node
(:attr:`IdentityResolution.released`) makes ``KnowledgeGraph.load`` load the sources
merged there again from what they said: they meet the xrefs as if they had come last
(one node listing an xref takes it; two leave it ambiguous).

Matching is done in two bulk lookups (:meth:`GraphStore.find_many`), so a
batch of thousands of nodes costs a few queries, not one per node.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from graph import ids
from graph.model import MECHANISM_KINDS, Node, Rejection, SourceBatch, SourceInfo
from graph.store.base import GraphStore

#: Kinds matched by name when no cross-reference decides.
NAME_MATCHED_KINDS = frozenset({"Drug", "Disease"})
GENE_KIND = "Gene"


def symbol_candidates(node: Node) -> tuple[str, ...]:
    """Gene symbols a gene node may be known by: its symbol, symbol-like words of its name.

    >>> from graph.model import Gene
    >>> symbol_candidates(Gene(id="UniProtKB:P33681",
    ...                        name="T-lymphocyte activation antigen CD80"))
    ('CD80',)
    >>> symbol_candidates(Gene(id="UniProtKB:P00533", name="Epidermal growth factor receptor"))
    ()
    """
    found = [str(getattr(node, "symbol", None) or "")]
    for text in (node.name, *node.synonyms):
        found.extend(ids.symbol_words(text))
    return tuple(s for s in dict.fromkeys(found) if s)


def _prefix(curie: str) -> str:
    return curie.split(":", 1)[0]


#: The id spaces an entity of each kind is best known by, best first. When two nodes turn
#: out to be one entity, the merged node takes the better id (then the other one is an
#: xref), whichever was loaded first; an id space not listed ranks after those listed.
PREFERRED_SPACES: dict[str, tuple[str, ...]] = {
    "Drug": ("DRUGBANK", "CHEMBL.COMPOUND", "PUBCHEM.COMPOUND", "CHEBI", "MESH", "UMLS"),
    "Disease": ("MONDO", "DOID", "ORPHANET", "OMIM", "EFO", "NCIT", "MESH", "UMLS", "HP"),
    "Gene": ("NCBIGene", "HGNC", "ENSEMBL", "UniProtKB", "PR"),
    "Phenotype": ("HP", "UMLS", "MESH"),
    "Pathway": ("REACT", "KEGG.PATHWAY", "WIKIPATHWAYS", "PathWhiz", "PATHWAYCOMMONS"),
    "Anatomy": ("UBERON", "MESH"),
    "ChemicalSubstance": ("CHEBI", "DRUGBANK", "MESH"),
}


def outranks(node_id: str, other: str, kind: str) -> bool:
    """True when ``node_id`` is the better id for an entity of ``kind`` that ``other``
    also names: an identified id over a provisional one, then by :data:`PREFERRED_SPACES`.
    Two ids of one space do not outrank each other (the first loaded stays).

    >>> outranks("MONDO:0005002", "DOID:3083", "Disease")
    True
    >>> outranks("UniProtKB:P33681", "NCBIGene:941", "Gene")
    False
    >>> outranks("MONDO:0000001", "MONDO:0000002", "Disease")
    False
    """
    if ids.is_provisional(node_id) != ids.is_provisional(other):
        return ids.is_provisional(other)
    spaces = PREFERRED_SPACES.get(kind, ())

    def rank(curie: str) -> int:
        prefix = _prefix(curie)
        return spaces.index(prefix) if prefix in spaces else len(spaces)

    return _prefix(node_id) != _prefix(other) and rank(node_id) < rank(other)


@dataclass
class IdentityResolution:
    """Batch id -> stored id for nodes that stand for a stored node, and what went wrong."""

    mapping: dict[str, str] = field(default_factory=dict)
    #: Stored id -> the stored node's name: a re-keyed node shows the name already known.
    names: dict[str, str] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)
    notes: list[Rejection] = field(default_factory=list)
    #: Ids of the batch the store already held.
    held: set[str] = field(default_factory=set)
    #: Stored id -> the batch id it should be stored under instead: the batch's node is
    #: the same entity under a better id (:func:`outranks`); the stored node's sources are
    #: resolved again once the batch is written.
    claims: dict[str, str] = field(default_factory=dict)
    #: Stored id -> ids it holds as xrefs that a held node now lists too
    #: (:func:`_claim_by_new_xrefs`): what merged onto it may belong elsewhere.
    released: dict[str, set[str]] = field(default_factory=dict)
    #: Held nodes whose new xrefs name stored nodes: their identity is settled by
    #: cross-reference, so an earlier "ambiguous by name" note about them is void.
    decided: set[str] = field(default_factory=set)


def resolve_identities(batch: SourceBatch, store: GraphStore) -> IdentityResolution:
    """Which of ``batch``'s nodes stand for nodes already in ``store`` (see the module doc)."""
    return match_identities(batch.nodes, batch.source, store)


def match_identities(batch_nodes: Iterable[Node], source: SourceInfo, store: GraphStore, *,
                     exclude: Container[str] = frozenset(),
                     present: set[str] | None = None) -> IdentityResolution:
    """:func:`resolve_identities` for some of a source's nodes.

    Stored nodes in ``exclude`` (those this very load created) are not matched;
    ``present`` is the set of kinds the store held before the load, when known.
    """
    result = IdentityResolution()
    nodes: list[Node] = [n for n in batch_nodes
                         if n.label in MECHANISM_KINDS and not ids.is_provisional(n.id)]
    if not nodes:
        return result
    unique: dict[str, Node] = {n.id: n for n in nodes}
    _sort_out_held(result, unique, source, store, exclude)
    if present is None:
        present = store.kinds_present({n.label for n in unique.values()}) if unique else set()
    candidates = [n for n in unique.values() if n.label in present]
    if not candidates:  # nothing of these kinds is stored yet: nothing to meet
        return result
    unmatched = _match_by_xrefs(result, candidates, source, store, exclude)
    _match_by_names(result, unmatched, source, store, exclude)
    return result


def _note(result: IdentityResolution, source: SourceInfo, node: Node, reason: str) -> None:
    result.notes.append(Rejection(source=source.name, path=source.path,
                                  record=f"{node.id} ({node.name})", reason=reason))


def _sort_out_held(result: IdentityResolution, unique: dict[str, Node], source: SourceInfo,
                   store: GraphStore, exclude: Container[str]) -> None:
    """Take the nodes the store already holds out of ``unique``: one stored as another kind
    is dropped (a kind clash); one with xrefs may claim stored nodes
    (:func:`_claim_by_new_xrefs`)."""
    stored = store.kinds_of(unique)
    result.held.update(stored)
    held_with_xrefs: list[Node] = []
    for node_id, kind in stored.items():
        node = unique.pop(node_id)
        if kind != node.label:
            result.dropped.add(node_id)
            _note(result, source, node, f"kind clash: {node_id} is a {kind} in the store and "
                                        f"a {node.label} here; left out with its edges")
        elif node.xrefs:
            held_with_xrefs.append(node)
    _claim_by_new_xrefs(result, held_with_xrefs, store, exclude)


def _match_by_xrefs(result: IdentityResolution, candidates: list[Node], source: SourceInfo,
                    store: GraphStore, exclude: Container[str]) -> list[Node]:
    """Match ``candidates`` to stored nodes by id and cross-reference; those that match
    none are returned (an ambiguous one is noted and kept as its own node)."""
    found = _Found(store.find_many({text for n in candidates for text in (n.id, *n.xrefs)}),
                   exclude)
    unmatched: list[Node] = []
    for node in candidates:
        targets = _xref_matches(node, found)
        if len(targets) == 1:
            _matched(result, node, targets[0], found.names[targets[0]])
        elif targets:
            _note(result, source, node, ambiguous_note(node.id, targets, "cross-reference"))
        else:
            unmatched.append(node)
    return unmatched


#: How a ledger note of a node kept apart for several matches begins, and ends.
AMBIGUOUS = "ambiguous identity: "
_KEPT_APART = "; kept as its own node"


def ambiguous_note(node_id: str, targets: Sequence[str], by: str) -> str:
    """The ledger note of ``node_id`` kept as its own node, matching ``targets`` ``by``
    (cross-reference, name or symbol).

    >>> ambiguous_note("MONDO:1", ["MESH:D1", "MESH:D2"], "name")
    'ambiguous identity: MONDO:1 matches MESH:D1, MESH:D2 by name; kept as its own node'
    """
    return f"{AMBIGUOUS}{node_id} matches {', '.join(targets)} by {by}{_KEPT_APART}"


def ambiguous_by_name(reason: str) -> str | None:
    """The node id of an :func:`ambiguous_note` by name, else None.

    >>> ambiguous_by_name(ambiguous_note("MONDO:1", ["MESH:D1", "MESH:D2"], "name"))
    'MONDO:1'
    """
    if reason.startswith(AMBIGUOUS) and reason.endswith(f" by name{_KEPT_APART}"):
        return reason[len(AMBIGUOUS):].split(" ", 1)[0]
    return None


def _match_by_names(result: IdentityResolution, unmatched: list[Node], source: SourceInfo,
                    store: GraphStore, exclude: Container[str]) -> None:
    """Match the nodes of kinds met by name (a gene by its symbol) to stored nodes."""
    by_name = [n for n in unmatched if n.label in NAME_MATCHED_KINDS or n.label == GENE_KIND]
    if not by_name:
        return
    names = _Found(store.find_many({text for n in by_name for text in _name_texts(n)}), exclude)
    for node in by_name:
        targets = _name_matches(node, names)
        if len(targets) == 1:
            _matched(result, node, targets[0], names.names[targets[0]])
        elif targets:
            _note(result, source, node, ambiguous_note(
                node.id, targets, "symbol" if node.label == GENE_KIND else "name"))


def _claim_by_new_xrefs(result: IdentityResolution, held: list[Node], store: GraphStore,
                        exclude: Container[str]) -> None:
    """Stored nodes that held nodes now name among their xrefs, under a worse id, are claimed.

    A node the store holds may arrive with cross-references it did not have when the
    stored nodes they name were loaded (TxGNN's ``mondo_references.csv`` giving a held
    MONDO disease the MeSH id a DrugMechDB disease is stored under). Loaded the other way
    round, that MeSH disease would have met the MONDO one by the xref; so here the MONDO
    node claims it, and its sources are resolved again. (A stored node with the *better*
    id is left apart: the held node is not moved onto it.)

    An xref the store already holds on *another* node (a MeSH disease merged earlier,
    by name, onto another MONDO disease; or an xref that node lists itself) is noted in
    :attr:`IdentityResolution.released`: a cross-reference outranks a name, and an xref
    two nodes list is ambiguous, so what merged there is resolved again from what its
    sources said (``graph.reresolve``).
    """
    if not held:
        return
    found = _Found(store.find_many({x for n in held for x in n.xrefs}), exclude)
    for node in held:
        targets = [t for t in _xref_matches(node, found) if t != node.id]
        for target in targets:
            if outranks(node.id, target, node.label):
                _matched(result, node, target, found.names[target])
        released = _held_elsewhere(node, found)
        for stored, xrefs in released.items():
            result.released.setdefault(stored, set()).update(xrefs)
        if targets or released:
            result.decided.add(node.id)


def _held_elsewhere(node: Node, found: _Found) -> dict[str, set[str]]:
    """Stored nodes of ``node``'s kind, not ``node``, that hold one of its xrefs as an
    xref of their own -> those xrefs. (A provisional id held as an xref is a report's
    name resolved there: it has its own way of moving, ``graph.reresolve``.)"""
    out: dict[str, set[str]] = {}
    for xref in node.xrefs:
        if ids.is_provisional(xref):
            continue
        wanted = xref.casefold()
        for hit in found.get(xref, ()):
            if (hit.label == node.label and hit.id != node.id
                    and hit.id.casefold() != wanted
                    and wanted in {x.casefold() for x in hit.xrefs}):
                out.setdefault(hit.id, set()).add(xref)
    return out


def _matched(result: IdentityResolution, node: Node, target: str, name: str) -> None:
    """``node`` is the stored ``target``: keyed onto it, or claiming it (a better id)."""
    if outranks(node.id, target, node.label):
        if result.claims.setdefault(target, node.id) != node.id:
            result.claims[target] = ""  # claimed twice: neither moves it
        return
    result.mapping[node.id] = target
    result.names[target] = name


class _Found(dict[str, list[Node]]):
    r"""What a bulk lookup found (but the ``exclude``\ d nodes), with each found node's
    name by id (built once)."""

    def __init__(self, found: dict[str, list[Node]], exclude: Container[str] = ()) -> None:
        super().__init__()
        for text, hits in found.items():
            kept = [h for h in hits if h.id not in exclude]
            if kept:
                self[text] = kept

    @cached_property
    def names(self) -> dict[str, str]:
        return {h.id: h.name for hits in self.values() for h in hits}



def _xref_matches(node: Node, found: _Found) -> list[str]:
    own = node.id.casefold()
    targets = {h.id for h in found.get(node.id, ())
               if h.label == node.label and own in {x.casefold() for x in h.xrefs}}
    for xref in node.xrefs:
        targets.update(h.id for h in found.get(xref, ())
                       if h.label == node.label and h.id.casefold() == xref.casefold())
    return sorted(t for t in targets if not ids.is_provisional(t))


def _name_texts(node: Node) -> Iterable[str]:
    if node.label == GENE_KIND:
        return symbol_candidates(node)
    return (node.name, *node.synonyms)


def _name_matches(node: Node, found: dict[str, list[Node]]) -> list[str]:
    space = _prefix(node.id)
    targets: set[str] = set()
    if node.label == GENE_KIND:
        for symbol in symbol_candidates(node):
            targets.update(
                h.id for h in found.get(symbol, ())
                if h.label == GENE_KIND and _prefix(h.id) != space
                and symbol in symbol_candidates(h))
    else:
        keys = {ids.name_key(t) for t in (node.name, *node.synonyms)}
        for text in (node.name, *node.synonyms):
            targets.update(
                h.id for h in found.get(text, ())
                if h.label == node.label and _prefix(h.id) != space
                and keys & {ids.name_key(t) for t in (h.name, *h.synonyms)})
    return sorted(t for t in targets if not ids.is_provisional(t))
