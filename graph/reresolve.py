"""Loading and removing sources so that one set of sources gives one graph.

:func:`load` resolves a source's ids onto the stored entities (:mod:`graph.resolver`),
writes it, keeps what resolution changed (:mod:`graph.originals`) and, when the source
shows stored nodes to be entities it brings, or shows that a merge made on a name
belongs elsewhere by a cross-reference, resolves the sources concerned again
(:func:`resolve_again`). :func:`remove` withdraws a source and undoes the merges it
caused: the sources whose resolution leant on it are withdrawn and loaded again from what
they said, so the store holds what loading the remaining sources would give.
"""

from __future__ import annotations

from collections.abc import Callable

from graph import ids
from graph.identity import ambiguous_by_name
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
            if resolver.new_names or resolver.claims or resolver.released or resolver.decided:
                resolve_again(store, resolver, stream.source.name)
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


def resolve_again(store: GraphStore, resolver: Resolver, loaded: str) -> None:
    """Reload the sources whose nodes the load of ``loaded`` (resolved by ``resolver``)
    showed to be entities it brings, or to be other entities than they were taken for
    (one entity, one node, whatever the load order).

    * A provisional node that now has something to resolve to (a report loaded before
      PrimeKG kept ``txkg:drug/belatacept``; PrimeKG brings ``DRUGBANK:DB06681`` named
      Belatacept), and a stored node that the load brings under a better id
      (``claims``: Hetionet's ``DOID:…`` disease, then TxGNN's ``MONDO:…`` listing
      it): the sources asserting such a node, or an edge at it, are resolved again
      from the store as if they had come after this load.
    * A node whose "ambiguous by name" note the load's xrefs make void (``decided``):
      its source is resolved again from the store, and the note goes.
    * Loaded again from what they said (withdrawn first, all of them, so no source
      finds the old node through another's xref): a provisional name resolved by a
      synonym whose exact name the load brings on another node (``named``: a report's
      "Dapagliflozin" on DrugMechDB's canagliflozin, then TxGNN's ``DRUGBANK:DB06292``);
      a source that left a node out for a kind clash on a claimed id; and the sources
      merged onto a stored node that holds an xref the load gives another node too
      (``released``: a cross-reference outranks a name, and an xref two nodes list is
      ambiguous, in every order).
    """
    claims = {stored: better for stored, better in resolver.claims.items() if better}
    stale, misnamed = _stale_and_misnamed(store, resolver, claims)
    released = _released(store, resolver.released) - {loaded}
    unsettled = _ambiguous_by_name(store, resolver.decided) - {loaded}
    if not stale and not claims and not misnamed and not released and not unsettled:
        return
    clashed = _clashed_on(store, set(claims)) - {loaded}
    renamed = _asserting_originals(store, misnamed) - {loaded}
    again = clashed | renamed | released
    for name in sorted((store.sources_of(stale | set(claims)) | unsettled) - {loaded} - again):
        _reload_stored(store, name, claims)
    # A source that left a node out because the store held its id as another kind (a
    # Hetionet phenotype MESH:D003248 beside DrugMechDB's disease of that id) gets it
    # back now that the disease moved to its better id: loaded after that move, it
    # would have kept it. A source merged by name onto a node that a cross-reference
    # now shows to be another entity meets that xref, as it would had it come last.
    # All of them leave before any comes back: two pages that both resolved "Pulmonary
    # Hypertension" onto one node would otherwise each find it again through the other.
    ordered = sorted(again)
    batches = [original_batch(store, name) for name in ordered]
    for name in ordered:
        store.remove_source(name)
    for batch in batches:
        load(store, batch)


def _reload_stored(store: GraphStore, name: str, claims: dict[str, str]) -> None:
    """Resolve source ``name`` again from what the store holds of it, ``claims`` re-keyed."""
    batch = store.source_batch(name)
    batch = batch.model_copy(update={"rejections": tuple(
        r for r in batch.rejections if not is_resolution_note(r))})
    prior = Originals.from_json(store.originals(name))
    resolver = Resolver(store, batch.source, rekey=claims)
    changed = Originals(nodes=dict(prior.nodes), edges=dict(prior.edges))
    store.load(as_stream(batch).map(_tracked(resolver, changed, prior)), force=True)
    keep(store, name, changed)


def _stale_and_misnamed(store: GraphStore, resolver: Resolver, claims: dict[str, str]
                        ) -> tuple[set[str], dict[str, set[str]]]:
    """The provisional nodes the load's names resolve, and :func:`_named_elsewhere`."""
    new_names = resolver.new_names
    # A provisional node is found by its name, or by its id: the slug of every name
    # its sources gave it (the merged view keeps one name).
    wanted = dict(new_names)
    for text, kinds in new_names.items():
        for kind in kinds:
            wanted.setdefault(ids.provisional_id(kind, text), set()).add(kind)
    found = store.find_many(wanted) if wanted else {}
    stale = {hit.id for text, hits in found.items() for hit in hits
             if ids.is_provisional(hit.id) and hit.label in wanted[text]}
    return stale, _named_elsewhere(found, new_names, resolver.named, claims)


def _released(store: GraphStore, released: dict[str, set[str]]) -> set[str]:
    """The sources merged onto a stored node that holds, as xrefs, ids another node now
    lists (``released``: stored id -> those ids), when a source said one of those ids
    as a node of its own: every source with an assertion derived onto that node (what
    merged there by its names may belong elsewhere too)."""
    if not released:
        return set()
    said: dict[str, Originals] = {}  # source -> its kept originals, read once
    out: set[str] = set()
    for stored, sources in store.node_sources(released).items():
        for name in sources - said.keys():
            said[name] = Originals.from_json(store.originals(name))
        wanted = {x.casefold() for x in released[stored]}
        if any(wanted & {n.casefold() for n in said[name].nodes} for name in sources):
            out.update(name for name in sources if stored in said[name].derived_nodes)
    return out


def _ambiguous_by_name(store: GraphStore, decided: set[str]) -> set[str]:
    """The sources whose ledger says one of ``decided`` matched several nodes by name:
    its cross-references settle it now, as they would have had they come with it."""
    if not decided:
        return set()
    return {r.source for r in store.ledger() if ambiguous_by_name(r.reason) in decided}


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
