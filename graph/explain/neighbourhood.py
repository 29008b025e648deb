"""What the bounded path search asks of a graph, and two ways of answering it.

The search (:mod:`graph.explain.meet`) never holds a whole graph. It asks, a
frontier at a time, three things of whatever keeps the graph:

* :meth:`Neighbourhoods.mechanism_degrees` — each node's kind and its degree for
  every mechanism metaedge (``(edge type, neighbour kind)`` → distinct neighbours,
  over the whole graph), so that a hub's neighbours need not be fetched to know
  that no good path runs through them;
* :meth:`Neighbourhoods.mechanism_steps` — the neighbours of given nodes over
  given metaedges (:class:`StepRequest`), with the neighbour's own degree for the
  same metaedge read back (what the hop's path-degree factor needs), optionally
  only neighbours of at most some degree and only those in a given set per
  metaedge (:data:`Within`);
* :meth:`Neighbourhoods.mechanism_path_graph` — the statements on the paths found,
  with their evidence, as the small networkx graph the explanation is built from.

The stores implement it (:class:`graph.store.base.GraphStore`, one query per
frontier); :class:`GraphNeighbourhoods` answers it from a networkx graph (tests,
small graphs); :class:`CachedNeighbourhoods` keeps answers across questions (one
drug's many diseases).

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene"}),
...                   ("h", {"kind": "Gene"}), ("d", {"kind": "Disease"})])
>>> for u, t, v in [("c", "TARGETS", "g"), ("c", "TARGETS", "h"), ("d", "ASSOCIATED_WITH", "g")]:
...     _ = G.add_edge(u, v, key=t, type=t)
>>> hood = GraphNeighbourhoods(G)
>>> hood.mechanism_degrees(["c"])["c"].degrees
{('TARGETS', 'Gene'): 2}
>>> [(s.other, s.outgoing, s.incoming, s.other_degree)
...  for s in hood.mechanism_steps([StepRequest("g", "ASSOCIATED_WITH", "Disease")])]
[('d', False, True, 1)]
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from graph.explain.index import GraphIndex
from graph.explain.metagraph import is_mechanism_edge_type, is_mechanism_kind

if TYPE_CHECKING:
    import networkx as nx

#: A statement on a path, as the search names it: (node, edge type, node), in either order.
HopKey = tuple[Any, str, Any]
#: The neighbours allowed, by metaedge (edge type, neighbour kind) of the requests, or by
#: (edge type, neighbour kind, group) for requests of a group other than 0
#: (:func:`within_key`): a request whose key is missing gets none.
Within = Mapping[tuple[Any, ...], Collection[Any]]


@dataclass(frozen=True, slots=True)
class NodeFacts:
    """A node's kind, name and degree for each mechanism metaedge (over the whole graph)."""

    kind: str
    name: str
    degrees: Mapping[tuple[str, str], int]


class StepRequest(NamedTuple):
    """Neighbours of ``node`` over ``edge_type`` that are of kind ``other_kind`` (a tuple:
    searches make many, and a frozen dataclass is several times slower to build).

    ``max_degree``: only neighbours whose own degree for this metaedge (read
    from their side) is at most this; None for all. ``group``: which allowed set
    applies (:func:`within_key`), so that one question can carry the requests of
    many searches, each with its own sets.
    """

    node: Any
    edge_type: str
    other_kind: str
    max_degree: int | None = None
    group: int = 0


def within_key(request: StepRequest) -> tuple[Any, ...]:
    """The key of a request's allowed set in :data:`Within`.

    >>> within_key(StepRequest("g", "TARGETS", "Drug")), within_key(
    ...     StepRequest("g", "TARGETS", "Drug", group=2))
    (('TARGETS', 'Drug'), ('TARGETS', 'Drug', 2))
    """
    if request.group == 0:
        return request.edge_type, request.other_kind
    return request.edge_type, request.other_kind, request.group


class Step(NamedTuple):
    """One neighbour found for a :class:`StepRequest` (a tuple: searches make many).

    ``outgoing``: a statement is stored ``node → other``; ``incoming``: one is
    stored ``other → node`` (both may hold). ``other_degree`` is the neighbour's
    degree for ``edge_type`` towards ``node``'s kind.
    """

    node: Any
    edge_type: str
    other: Any
    other_kind: str
    outgoing: bool
    incoming: bool
    other_degree: int


class Neighbourhoods(Protocol):
    """What the bounded search needs of a graph (see the module docstring)."""

    def mechanism_degrees(self, node_ids: Collection[Any]) -> dict[Any, NodeFacts]:
        """Facts of each of these nodes the graph holds (absent ones are left out)."""
        ...

    def mechanism_steps(self, requests: Sequence[StepRequest], *,
                        within: Within | None = None) -> list[Step]:
        """Every neighbour each request asks for (with ``within``, only those allowed for
        its metaedge); requests name distinct (node, edge type, neighbour kind) groups."""
        ...

    def mechanism_path_graph(self, hops: Collection[HopKey]) -> nx.MultiDiGraph[Any]:
        """The statements of these hops (stored either way) with their ends' ``kind``,
        ``name`` and ``degrees``, shaped as :mod:`graph.store.base` describes."""
        ...


def merge_steps(rows: Iterable[tuple[Any, str, Any, str, bool, int]]) -> list[Step]:
    """Steps from rows ``(node, type, other, other kind, stored node → other, degree)``.

    A neighbour reached both ways is one step with both flags; order follows the rows.

    >>> [(s.outgoing, s.incoming) for s in merge_steps([("a", "T", "b", "K", True, 1),
    ...                                                  ("a", "T", "b", "K", False, 1)])]
    [(True, True)]
    """
    found: dict[tuple[Any, str, Any], Step] = {}
    for node, edge_type, other, other_kind, forward, degree in rows:
        if node == other:
            continue
        key = (node, edge_type, other)
        known = found.get(key)
        if known is None:
            found[key] = Step(node, edge_type, other, other_kind, forward, not forward, degree)
        elif known.outgoing != forward:
            found[key] = known._replace(outgoing=True, incoming=True)
    return list(found.values())


#: Steps by what they answer, ``(node, edge type, other kind)``, then by neighbour.
StepsByRequest = dict[tuple[Any, str, str], dict[Any, Step]]


def steps_by_request(steps: Iterable[Step]) -> StepsByRequest:
    """Steps by the request they answer (:func:`allowed_steps` reads them so)."""
    found: StepsByRequest = {}
    for step in steps:
        found.setdefault((step.node, step.edge_type, step.other_kind), {})[step.other] = step
    return found


def allowed_steps(found: StepsByRequest, requests: Sequence[StepRequest],
                  within: Within | None) -> list[Step]:
    """The steps of ``found`` these requests allow: each request's neighbours within its
    degree cap and, with ``within``, in its allowed set (a step more than one request
    allows comes once).

    >>> found = steps_by_request([Step("a", "T", "b", "K", True, False, 1),
    ...                           Step("a", "T", "c", "K", True, False, 9)])
    >>> [s.other for s in allowed_steps(found, [StepRequest("a", "T", "K", 5)], None)]
    ['b']
    >>> [s.other for s in allowed_steps(found, [StepRequest("a", "T", "K")],
    ...                                 {("T", "K"): {"c"}})]
    ['c']
    """
    kept: dict[Step, None] = {}
    sets: dict[tuple[Any, ...], Collection[Any]] = {}
    for r in requests:
        cap = r.max_degree
        steps = found.get((r.node, r.edge_type, r.other_kind), {}).values()
        if within is None:
            kept.update(dict.fromkeys(s for s in steps if cap is None or s.other_degree <= cap))
            continue
        key = within_key(r)
        allowed = sets.get(key)
        if allowed is None:
            listed = within.get(key, ())
            allowed = sets[key] = listed if isinstance(listed, (set, dict)) else set(listed)
        kept.update(dict.fromkeys(s for s in steps
                                  if s.other in allowed and (cap is None or s.other_degree <= cap)))
    return list(kept)


class GraphNeighbourhoods:
    """:class:`Neighbourhoods` answered from a networkx graph (through a :class:`GraphIndex`).

    Degrees are the graph's own (``degrees`` attributes where present, else counted),
    so the bounded search on it ranks exactly as the exhaustive one does.
    """

    def __init__(self, G: nx.MultiDiGraph[Any], index: GraphIndex | None = None) -> None:
        self.graph = G
        self.index = index or GraphIndex(G)

    def mechanism_degrees(self, node_ids: Collection[Any]) -> dict[Any, NodeFacts]:
        index, found = self.index, {}
        for node in node_ids:
            if node not in self.graph:
                continue
            degrees = {(t, k): index.degree(node, t, k) for (t, k) in index.neighbour_groups(node)
                       if is_mechanism_edge_type(t) and is_mechanism_kind(k)}
            name = str(self.graph.nodes[node].get("name") or node)
            found[node] = NodeFacts(index.kind(node), name, degrees)
        return found

    def mechanism_steps(self, requests: Sequence[StepRequest], *,
                        within: Within | None = None) -> list[Step]:
        index, succ = self.index, self.graph.succ
        steps = []
        for request in requests:
            node, edge_type = request.node, request.edge_type
            node_kind = index.kind(node)
            allowed = None if within is None else within.get(within_key(request), ())
            for other in index.neighbours(node, edge_type, request.other_kind):
                if other == node or (allowed is not None and other not in allowed):
                    continue
                degree = index.degree(other, edge_type, node_kind)
                if request.max_degree is not None and degree > request.max_degree:
                    continue
                steps.append(Step(node, edge_type, other, request.other_kind,
                                  _stored(succ[node].get(other, {}), edge_type),
                                  _stored(succ[other].get(node, {}), edge_type), degree))
        return steps

    def mechanism_path_graph(self, hops: Collection[HopKey]) -> nx.MultiDiGraph[Any]:
        nodes = {n for u, _, v in hops for n in (u, v)}
        import networkx as nx  # where used: a quick read does without it
        graph: nx.MultiDiGraph[Any] = nx.MultiDiGraph()
        for node, facts in self.mechanism_degrees(nodes).items():
            graph.add_node(node, **{**self.graph.nodes[node], "degrees": {
                f"{t}|{k}": d for (t, k), d in facts.degrees.items()}})
        for u, edge_type, v in hops:
            for a, b in ((u, v), (v, u)):
                for key, data in self.graph.succ[a].get(b, {}).items():
                    if str(data.get("type", key)) == edge_type:
                        graph.add_edge(a, b, key=key, **data)
        return graph


def _stored(keyed: Mapping[Any, Mapping[str, Any]], edge_type: str) -> bool:
    return any(str(data.get("type", key)) == edge_type for key, data in keyed.items())


class CachedNeighbourhoods:
    """Answers of another :class:`Neighbourhoods`, kept: ask each question once.

    Degrees are kept per node; steps per request (a request for at most degree
    ``m`` is answered from a kept answer for a larger limit, or for none);
    statements per hop. Steps restricted to a set (``within``) are not kept.
    """

    def __init__(self, source: Neighbourhoods) -> None:
        self.source = source
        self._facts: dict[Any, NodeFacts | None] = {}
        self._steps: dict[tuple[Any, str, str], tuple[int | None, list[Step]]] = {}
        import networkx as nx  # where used: a quick read does without it
        self._graph: nx.MultiDiGraph[Any] = nx.MultiDiGraph()
        self._hops: set[HopKey] = set()

    def mechanism_degrees(self, node_ids: Collection[Any]) -> dict[Any, NodeFacts]:
        missing = [n for n in dict.fromkeys(node_ids) if n not in self._facts]
        if missing:
            found = self.source.mechanism_degrees(missing)
            self._facts.update((n, found.get(n)) for n in missing)
        return {n: facts for n in node_ids if (facts := self._facts.get(n)) is not None}

    def mechanism_steps(self, requests: Sequence[StepRequest], *,
                        within: Within | None = None) -> list[Step]:
        if within is not None:
            return self.source.mechanism_steps(requests, within=within)
        steps: list[Step] = []
        missing = []
        for request in requests:
            kept = self._steps.get((request.node, request.edge_type, request.other_kind))
            if kept is None or not _covers(kept[0], request.max_degree):
                missing.append(request)
                continue
            cap = request.max_degree
            steps.extend(s for s in kept[1] if cap is None or s.other_degree <= cap)
        if missing:
            fetched: dict[tuple[Any, str, str], list[Step]] = {
                (r.node, r.edge_type, r.other_kind): [] for r in missing}
            for step in self.source.mechanism_steps(missing):
                fetched[(step.node, step.edge_type, step.other_kind)].append(step)
            for request in missing:
                key = (request.node, request.edge_type, request.other_kind)
                self._steps[key] = (self._limit(request, len(fetched[key])), fetched[key])
                steps.extend(fetched[key])
        return steps

    def _limit(self, request: StepRequest, found: int) -> int | None:
        """The degree limit a kept answer covers: none once it holds the whole group (as
        many neighbours as the node's degree for the metaedge, when that is known)."""
        facts = self._facts.get(request.node)
        if facts is not None and facts.degrees.get((request.edge_type,
                                                    request.other_kind)) == found:
            return None
        return request.max_degree

    def mechanism_path_graph(self, hops: Collection[HopKey]) -> nx.MultiDiGraph[Any]:
        missing = [h for h in hops if h not in self._hops]
        if missing:
            self._graph.update(self.source.mechanism_path_graph(missing))
            self._hops.update(missing)
        nodes = {n for u, _, v in hops for n in (u, v)}
        return self._graph.subgraph(nodes)


def _covers(kept: int | None, wanted: int | None) -> bool:
    """Whether steps kept for degree limit ``kept`` include all of those for ``wanted``."""
    return kept is None or (wanted is not None and wanted <= kept)


__all__ = [
    "CachedNeighbourhoods",
    "GraphNeighbourhoods",
    "HopKey",
    "Neighbourhoods",
    "NodeFacts",
    "Step",
    "StepRequest",
    "Within",
    "merge_steps",
    "within_key",
]
