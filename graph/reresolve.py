"""Loading and removing sources so that one set of sources gives one graph.

:func:`load` resolves a source's ids onto the stored entities (:mod:`graph.resolver`),
writes it, keeps what resolution changed (:mod:`graph.originals`) and, when the source
shows stored nodes to be entities it brings, resolves the sources asserting them again
(:func:`resolve_again`). :func:`remove` withdraws a source and undoes the merges it
caused: the sources whose resolution leant on it are withdrawn and loaded again from what
they said, so the store holds what loading the remaining sources would give.
"""

from __future__ import annotations

from collections.abc import Callable

from graph import ids
from graph.model import LoadResult, Node, SourceBatch
from graph.originals import Originals, keep, original_batch, touched
from graph.resolver import Resolver, is_resolution_note
from graph.store.base import GraphStore
from graph.stream import Chunk, SourceStream, as_stream


def load(store: GraphStore, source: SourceBatch | SourceStream) -> LoadResult:
    """Load one source (see ``KnowledgeGraph.load``)."""
    stream = as_stream(source)
    resolver = Resolver(store, stream.source)
    with store.bulk():  # on SQLite, the load and what it resolves again: one commit
        changed = Originals()
        result = store.load(stream.map(_tracked(resolver, changed, Originals())))
        if not result.unchanged:
            keep(store, stream.source.name, changed)
            if resolver.new_names or resolver.claims:
                resolve_again(store, resolver.new_names, resolver.claims, stream.source.name,
                              named=resolver.named)
    return result


def _tracked(resolver: Resolver, changed: Originals,
             prior: Originals) -> Callable[[Chunk], Chunk]:
    """The resolver's chunk function, noting in ``changed`` what it changes."""
    def resolve(chunk: Chunk) -> Chunk:
        resolved = resolver.resolve(chunk)
        changed.track(chunk, resolved, resolver.mapping, resolver.dropped,
                      resolver.source, prior)
        return resolved
    return resolve


def resolve_again(store: GraphStore, new_names: dict[str, set[str]], claims: dict[str, str],
                  loaded: str, *, named: dict[str, set[str]] | None = None) -> None:
    """Reload, from the store, the sources whose nodes a load just showed to be
    entities it brings (one entity, one node, whatever the load order).

    Two cases: a provisional node that now has something to resolve to (a report
    loaded before PrimeKG kept ``txkg:drug/belatacept``; PrimeKG brings
    ``DRUGBANK:DB06681`` named Belatacept), and a stored node that the load brings
    under a better id (``claims``: Hetionet's ``DOID:…`` disease, then TxGNN's
    ``MONDO:…`` listing it). The sources asserting such a node, or an edge at it,
    are resolved again as if they had come after this load: nodes, edges,
    predictions and evidence move to the one node, and "unresolved" ledger notes go.

    A provisional name resolved earlier by a synonym (a report's "Dapagliflozin" onto
    DrugMechDB's canagliflozin, which lists "dapagliflozin") whose exact name the load
    brings on another node (``named``: TxGNN's ``DRUGBANK:DB06292`` "Dapagliflozin") is
    resolved again too: its sources load again from what they said, and the exact name
    wins, as it does when the report comes last.
    """
    claims = {stored: better for stored, better in claims.items() if better}
    # A provisional node is found by its name, or by its id: the slug of every name
    # its sources gave it (the merged view keeps one name).
    wanted = dict(new_names)
    for text, kinds in new_names.items():
        for kind in kinds:
            wanted.setdefault(ids.provisional_id(kind, text), set()).add(kind)
    found = store.find_many(wanted) if wanted else {}
    stale = {hit.id for text, hits in found.items() for hit in hits
             if ids.is_provisional(hit.id) and hit.label in wanted[text]}
    misnamed = _named_elsewhere(found, new_names, named or {}, claims)
    if not stale and not claims and not misnamed:
        return
    clashed = _clashed_on(store, set(claims)) - {loaded}
    renamed = _asserting_originals(store, misnamed) - {loaded} - clashed
    for name in sorted(store.sources_of(stale | set(claims)) - {loaded} - clashed):
        batch = store.source_batch(name)
        batch = batch.model_copy(update={"rejections": tuple(
            r for r in batch.rejections if not is_resolution_note(r))})
        prior = Originals.from_json(store.originals(name))
        resolver = Resolver(store, batch.source, rekey=claims)
        changed = Originals(nodes=dict(prior.nodes), edges=dict(prior.edges))
        store.load(as_stream(batch).map(_tracked(resolver, changed, prior)), force=True)
        keep(store, name, changed)
    # A source that left a node out because the store held its id as another kind (a
    # Hetionet phenotype MESH:D003248 beside DrugMechDB's disease of that id) gets it
    # back now that the disease moved to its better id: loaded after that move, it
    # would have kept it. Such a source is loaded again from what it said.
    # All of them leave before any comes back: two pages that both resolved "Pulmonary
    # Hypertension" onto one node would otherwise each find it again through the other.
    again = sorted(clashed | renamed)
    batches = [original_batch(store, name) for name in again]
    for name in again:
        store.remove_source(name)
    for batch in batches:
        load(store, batch)


def _named_elsewhere(found: dict[str, list[Node]], new_names: dict[str, set[str]],
                     named: dict[str, set[str]], claims: dict[str, str]
                     ) -> dict[str, set[str]]:
    """Stored id -> the provisional ids resolved onto it (kept as its xrefs) whose name
    the load brings, as a node's exact name, on another node; the stored node has the
    name only as a synonym."""
    slugs = {ids.provisional_id(kind, text): text
             for text, kinds in new_names.items() for kind in kinds}
    out: dict[str, set[str]] = {}
    for key, hits in found.items():
        text = slugs.get(key)
        brought = named.get(ids.name_key(text)) if text is not None else None
        if not brought:
            continue
        for hit in hits:
            if (ids.is_provisional(hit.id) or hit.id in brought
                    or claims.get(hit.id) in brought
                    or ids.name_key(hit.name) == ids.name_key(text or "")):
                continue
            out.setdefault(hit.id, set()).add(key)
    return out


def _asserting_originals(store: GraphStore, misnamed: dict[str, set[str]]) -> set[str]:
    """The sources that said one of the provisional ids of ``misnamed`` themselves."""
    if not misnamed:
        return set()
    said: dict[str, set[str]] = {}  # source -> the ids of its kept originals, read once
    found: set[str] = set()
    for node_id, sources in store.node_sources(misnamed).items():
        for name in sources:
            if name not in said:
                said[name] = set(Originals.from_json(store.originals(name)).nodes)
            if misnamed[node_id] & said[name]:
                found.add(name)
    return found


def _clashed_on(store: GraphStore, node_ids: set[str]) -> set[str]:
    """The sources whose ledger says they left out a node of one of these ids because
    the store held it as another kind."""
    if not node_ids:
        return set()
    prefix = "kind clash: "
    return {r.source for r in store.ledger() if r.reason.startswith(prefix)
            and r.reason[len(prefix):].split(" ", 1)[0] in node_ids}


def remove(store: GraphStore, name: str) -> LoadResult:
    """Withdraw source ``name`` and undo the merges it caused (see the module doc)."""
    leaning = sorted(leaning_on(store, name))
    batches = [original_batch(store, other) for other in leaning]
    with store.bulk():
        result = store.remove_source(name)
        for other in leaning:
            store.remove_source(other)
        for batch in batches:
            load(store, batch)
    return result


def leaning_on(store: GraphStore, name: str) -> set[str]:
    """The other sources holding assertions that resolution derived onto a node that
    ``name`` asserts, or onto a node that such a source asserts, and so on."""
    waiting = {source.name: touched(store, source.name) for source in store.sources()
               if source.name != name}
    waiting = {other: nodes for other, nodes in waiting.items() if nodes}
    asserted = store.node_sources(set().union(*waiting.values())) if waiting else {}
    asserting = {other: set().union(*(asserted.get(n, set()) for n in nodes))
                 for other, nodes in waiting.items()}
    leaning = {name}
    grew = True
    while grew:
        grew = False
        for other, sources in asserting.items():
            if other not in leaning and sources & leaning:
                leaning.add(other)
                grew = True
    return leaning - {name}
