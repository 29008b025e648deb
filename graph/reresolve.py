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
from graph.model import LoadResult, SourceBatch
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
                resolve_again(store, resolver.new_names, resolver.claims, stream.source.name)
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
                  loaded: str) -> None:
    """Reload, from the store, the sources whose nodes a load just showed to be
    entities it brings (one entity, one node, whatever the load order).

    Two cases: a provisional node that now has something to resolve to (a report
    loaded before PrimeKG kept ``txkg:drug/belatacept``; PrimeKG brings
    ``DRUGBANK:DB06681`` named Belatacept), and a stored node that the load brings
    under a better id (``claims``: Hetionet's ``DOID:…`` disease, then TxGNN's
    ``MONDO:…`` listing it). The sources asserting such a node, or an edge at it,
    are resolved again as if they had come after this load: nodes, edges,
    predictions and evidence move to the one node, and "unresolved" ledger notes go.
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
    if not stale and not claims:
        return
    clashed = _clashed_on(store, set(claims)) - {loaded}
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
    for name in sorted(clashed):
        batch = original_batch(store, name)
        store.remove_source(name)
        load(store, batch)


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
