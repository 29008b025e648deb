"""The best few mechanism paths between two nodes, found best-first, of any length.

Enumerating every path (:func:`graph.explain.paths.mechanism_paths`) is exact but
grows fast with length, so it stops at a few hops; curated mechanisms are
often longer (DrugMechDB's run 2–8 edges, most 4–6). This module finds the
``k`` best paths directly, with Yen's k-shortest-simple-paths algorithm over
additive hop costs:

* ``w · ln(D(u) · D(v))`` — minus the log of the hop's share of the
  path-degree product (:mod:`graph.explain.dwpc`), so a cheap path has a large PDP;
* ``per_hop`` — a price per hop (shorter explanations first among equals);
* ``against`` — a price for walking a statement against its stored direction.

``exp(-cost)`` of a path is then ``PDP · e^(-per_hop · length) ·
e^(-against · reverse hops)``. The first ``k · oversample`` paths are
re-ranked with the ranking's full score, which adds what is not additive
(the path's net polarity), and the best ``k`` are returned.

>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene"}),
...                   ("p", {"kind": "BiologicalProcess"}), ("d", {"kind": "Disease"})])
>>> for u, t, v in [("c", "INHIBITS", "g"), ("g", "INCREASES", "p"), ("p", "CAUSES", "d"),
...                 ("c", "TARGETS", "d")]:
...     _ = G.add_edge(u, v, key=t, type=t)
>>> [p.nodes for p in best_paths(G, "c", "d", k=3)]
[('c', 'g', 'p', 'd')]
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.errors import InvalidArgument
from graph.explain.checks import MAX_HOPS_LIMIT, require_node
from graph.explain.index import GraphIndex
from graph.explain.kind_paths import Budget, kind_paths
from graph.explain.metagraph import is_mechanism_edge_type, is_mechanism_kind
from graph.explain.paths import MechanismPath
from graph.explain.ranking import (
    AGAINST_COST,
    PER_HOP_COST,
    MechanismRanking,
    PathRanking,
    rank_paths,
)
from graph.explain.shape import LearnedRanking, MechanismShape, shipped_shape


@dataclass(frozen=True, slots=True)
class SearchCosts:
    """Additive hop costs of the best-first search (see the module docstring)."""

    damping: float = 0.4
    per_hop: float = PER_HOP_COST
    against: float = AGAINST_COST
    #: An extra price for a statement by its kinds and type, read in its stored direction
    #: (source kind, edge type, target kind): a learned ranking's step price.
    step_cost: Callable[[str, str, str], float] | None = None


def search_costs(ranking: PathRanking | None, damping: float) -> SearchCosts:
    """The hop costs that walk towards what ``ranking`` scores high.

    A :class:`~graph.explain.shape.LearnedRanking` brings its own prices (per hop,
    against the stored direction, per step); any other gets the default prices at ``damping``.
    """
    if not isinstance(ranking, LearnedRanking):
        return SearchCosts(damping=damping)
    return SearchCosts(damping=damping, per_hop=-math.log(ranking.per_hop),
                       against=-math.log(ranking.against),
                       step_cost=ranking.step_cost if ranking.weight else None)


def cost_graph(G: nx.MultiDiGraph[Any], costs: SearchCosts = SearchCosts(),
               index: GraphIndex | None = None) -> nx.DiGraph[Any]:
    """A directed graph with both walking directions of every mechanism statement.

    Edge ``(a, b)`` carries ``cost`` (the cheapest statement between them, read
    from a to b) and ``edge_type`` (that statement's type). ``index`` reuses a
    :class:`GraphIndex` of ``G``.
    """
    index = index or GraphIndex(G)
    H: nx.DiGraph[Any] = nx.DiGraph()
    H.add_nodes_from(n for n, d in G.nodes(data=True) if is_mechanism_kind(str(d.get("kind"))))
    for u, v, key, data in G.edges(keys=True, data=True):
        _add_statement(H, index, u, v, str(data.get("type", key)), costs)
    return H


def update_cost_graph(H: nx.DiGraph[Any], G: nx.MultiDiGraph[Any], nodes: set[Any],
                      costs: SearchCosts = SearchCosts()) -> None:
    """Recompute, in place, the costs of every statement touching ``nodes`` after ``G`` changed.

    Degrees change only at the ends of statements added or removed, so the
    hops touching those ends are the only ones whose cost can change.
    """
    index = GraphIndex(G)
    for node in nodes:
        if node in H:
            H.remove_edges_from([*H.out_edges(node), *H.in_edges(node)])
    for node in nodes:
        if node not in G:
            continue
        for u, v, key, data in itertools.chain(G.out_edges(node, keys=True, data=True),
                                               G.in_edges(node, keys=True, data=True)):
            _add_statement(H, index, u, v, str(data.get("type", key)), costs)


def _add_statement(H: nx.DiGraph[Any], index: GraphIndex, u: Any, v: Any, edge_type: str,
                   costs: SearchCosts) -> None:
    """Both walking directions of the statement ``u -edge_type-> v``, where cheaper than
    what ``H`` holds; nothing for a loop, an end outside ``H`` or an evidence type."""
    if u == v or u not in H or v not in H or not is_mechanism_edge_type(edge_type):
        return
    base = costs.damping * math.log(max(index.hop_degrees(u, edge_type, v), 1)) + costs.per_hop
    if costs.step_cost is not None:
        base += costs.step_cost(index.kind(u), edge_type, index.kind(v))
    for a, b, cost in ((u, v, base), (v, u, base + costs.against)):
        known = H.get_edge_data(a, b)
        if known is None or cost < known["cost"]:
            H.add_edge(a, b, cost=cost, edge_type=edge_type)


@dataclass(frozen=True, slots=True)
class Diversity:
    """How the top ``k`` are picked from the pool of candidates (greedily, best first):
    each further path's score × ``kinds`` per path already picked with its kind
    sequence, × ``nodes`` per intermediate node already covered, × ``first_step`` per
    path already picked with its first step (1 turns a measure off).

    With ``flow``, the pick covers the nodes the pool agrees on: the best-scoring path
    first, then each further path is valued not by its own score but by the *flow* of the
    intermediate nodes it adds (:func:`node_flows`: the share of the pool's score carried
    by the paths through a node), × ``kinds`` and ``first_step`` as above (``nodes`` is
    then unused: a covered node adds no flow)."""

    kinds: float = 1.0
    nodes: float = 1.0
    first_step: float = 1.0
    flow: bool = False

    @property
    def off(self) -> bool:
        return (self.kinds >= 1.0 and self.nodes >= 1.0 and self.first_step >= 1.0
                and not self.flow)


@dataclass(frozen=True, slots=True)
class ShapeGuide:
    """Mechanism shapes that widen and weigh the pool (:mod:`graph.explain.kind_paths`).

    For each kind sequence ``shape`` has seen (most often seen first; the first
    ``sequences``, None: all) that fits the two ends and the hop limits, the
    ``per_sequence`` cheapest paths of that sequence join the pool; every path's
    score in the pool is then × ``P(its kind sequence) ** weight`` under ``shape``.
    ``budget`` bounds the node visits of all those searches together, per pair.
    """

    shape: MechanismShape
    weight: float = 0.5
    sequences: int | None = None
    per_sequence: int = 3
    budget: int = 200_000
    #: Of the ``k`` slots, this many go (after the score-driven pick of the others) to one
    #: pool path of each of the most probable kind sequences (``shape``'s
    #: ``sequence_probability``) the pick has not covered, most probable first: the path the
    #: diversified pick prefers among that sequence's. At most half the slots (``k // 2``).
    reserve: int = 0

    def kind_sequences(self, first: str, last: str, min_hops: int,
                       max_hops: int) -> list[tuple[str, ...]]:
        """The seen sequences from ``first`` to ``last`` within the hop limits, commonest first."""
        seen = sorted(self.shape.sequences.items(), key=lambda kv: (-kv[1], kv[0]))
        fitting = [kinds for kinds in (tuple(text.split(">")) for text, _ in seen)
                   if kinds[0] == first and kinds[-1] == last
                   and min_hops <= len(kinds) - 1 <= max_hops]
        return fitting if self.sequences is None else fitting[:self.sequences]


#: What :class:`~graph.explain.evaluation.methods.BestFirstMethod` (``txkg evaluate``) and
#: ``txkg explain --search best-first`` use: a pool of Yen's first ``2k`` paths and the
#: ``PER_SEQUENCE`` cheapest paths of each of the 100 kind sequences most common in curated
#: mechanisms (:func:`shipped_guide`, no prior weight; the guide's visit budget bounds those
#: searches on large graphs), then a pick that takes the best-scoring path and then the
#: paths adding the most node flow, each × 0.05 per path already picked with its kind
#: sequence (:class:`Diversity` ``flow``). Chosen on tuning samples of DrugMechDB's
#: development half (even positions), checked on a disjoint one, cross-validated by drug
#: (docs/benchmarks.md, "A pool widened by mechanism shapes", "Node flow").
#: Of the ``k``, the last ``RESERVE`` go to the most probable kind sequences (under the shape)
#: in the pool that the first ``k - RESERVE`` did not cover, one path each (chosen by
#: cross-validation, docs/benchmarks.md, "Slots reserved for probable mechanism shapes").
DIVERSITY = Diversity(kinds=0.05, nodes=0.3, flow=True)
OVERSAMPLE = 2
GUIDE_SEQUENCES = 100
PER_SEQUENCE = 8
RESERVE = 4


def shipped_guide(shape: MechanismShape | None = None) -> ShapeGuide:
    """The default guide: ``shape``'s (default: the shipped shape's) 100 commonest kind
    sequences widen the pool (:data:`PER_SEQUENCE` paths each), without weighing it, and
    the most probable of those not yet covered get :data:`RESERVE` of the slots."""
    return ShapeGuide(shape or shipped_shape(), weight=0.0, sequences=GUIDE_SEQUENCES,
                      per_sequence=PER_SEQUENCE, reserve=RESERVE)


def best_paths(G: nx.MultiDiGraph[Any], source: Any, target: Any, *, k: int = 10,
               min_hops: int = 2, max_hops: int = MAX_HOPS_LIMIT,
               costs: SearchCosts = SearchCosts(), ranking: PathRanking | None = None,
               oversample: int = 3, cost_graph_: nx.DiGraph[Any] | None = None,
               diversity: Diversity = Diversity(),
               guide: ShapeGuide | None = None) -> list[MechanismPath]:
    """The ``k`` best node-simple paths of ``min_hops``…``max_hops`` edges, best first.

    The pool is the first ``k * oversample`` paths of Yen's search, and with a
    ``guide`` the cheapest paths of each common mechanism shape. ``ranking``
    re-ranks the pool (default: a :class:`~graph.explain.ranking.MechanismRanking`
    with the same per-hop and direction prices; × the guide's shape prior when
    there is one), and the ``k`` are picked under ``diversity`` (:class:`Diversity`;
    docs/benchmarks.md). ``cost_graph_`` reuses a :func:`cost_graph` of ``G``.
    """
    for node in (source, target):
        require_node(G, node)
    if not (isinstance(k, int) and k >= 1 and 1 <= min_hops <= max_hops <= MAX_HOPS_LIMIT):
        raise InvalidArgument(f"need k >= 1 and 1 <= min_hops <= max_hops <= "
                              f"{MAX_HOPS_LIMIT}, got {k}, {min_hops}, {max_hops}")
    index = GraphIndex(G)
    H = cost_graph_ if cost_graph_ is not None else cost_graph(G, costs, index)
    if source == target or source not in H or target not in H:
        return []
    found = _yen_pool(H, source, target, k * oversample, min_hops, max_hops)
    if guide is not None:
        known, budget = set(found), Budget(guide.budget)
        for kinds in guide.kind_sequences(index.kind(source), index.kind(target),
                                          min_hops, max_hops):
            for nodes, _ in kind_paths(H, index.kind, source, target, kinds,
                                       per=guide.per_sequence, budget=budget):
                path = _along(H, nodes)
                if path not in known:
                    known.add(path)
                    found.append(path)
    ranker = ranking or MechanismRanking(per_hop=math.exp(-costs.per_hop),
                                         against=math.exp(-costs.against))
    ranked = [(path, score) for path, _, _, score in
              rank_paths(index, found, damping=costs.damping, ranker=ranker)]
    kinds_of = {path: tuple(index.kind(n) for n in path.nodes) for path, _ in ranked}
    if guide is not None and guide.weight:
        prior = guide.shape.sequence_probability
        ranked = sorted(((path, score * prior(kinds_of[path]) ** guide.weight)
                         for path, score in ranked), key=lambda ps: -ps[1])
    return _pick(ranked, k, diversity, kinds_of, guide)


def _pick(ranked: list[tuple[MechanismPath, float]], k: int, diversity: Diversity,
          kinds_of: dict[MechanismPath, tuple[str, ...]],
          guide: ShapeGuide | None) -> list[MechanismPath]:
    """The ``k`` paths shown: the score-driven pick, then the guide's reserved slots
    (:attr:`ShapeGuide.reserve`), then the score-driven pick again if slots are left."""
    reserve = min(guide.reserve, k // 2) if guide is not None else 0
    flows = node_flows(ranked) if diversity.flow else None
    chosen = (_diverse(ranked, k - reserve, diversity, kinds_of, flows=flows)
              if not diversity.off else [path for path, _ in ranked[:k - reserve]])
    if reserve and guide is not None:
        chosen += _reserved(ranked, chosen, reserve, kinds_of,
                            guide.shape.sequence_probability, diversity, flows)
    if len(chosen) < k:
        taken = set(chosen)
        rest = [(path, score) for path, score in ranked if path not in taken]
        chosen += (_diverse(rest, k - len(chosen), diversity, kinds_of, chosen, flows)
                   if not diversity.off else [path for path, _ in rest[:k - len(chosen)]])
    return chosen


def _reserved(ranked: list[tuple[MechanismPath, float]], chosen: list[MechanismPath],
              size: int, kinds_of: dict[MechanismPath, tuple[str, ...]],
              prior: Callable[[Sequence[str]], float], diversity: Diversity,
              flows: Mapping[Any, float] | None = None) -> list[MechanismPath]:
    """One path of each of the ``size`` most probable kind sequences in ``ranked`` (best
    first) that ``chosen`` does not hold, most probable first: the one ``diversity``'s pick
    prefers given what is already picked."""
    covered = {kinds_of[path] for path in chosen}
    of_kinds: dict[tuple[str, ...], list[tuple[MechanismPath, float]]] = {}
    for path, score in ranked:
        if kinds_of[path] not in covered:
            of_kinds.setdefault(kinds_of[path], []).append((path, score))
    picked: list[MechanismPath] = []
    for kinds in sorted(of_kinds, key=lambda kinds: -prior(kinds))[:size]:
        picked += _diverse(of_kinds[kinds], 1, diversity, kinds_of, [*chosen, *picked], flows)
    return picked


def _yen_pool(H: nx.DiGraph[Any], source: Any, target: Any, size: int, min_hops: int,
              max_hops: int) -> list[MechanismPath]:
    """The first ``size`` paths of Yen's search within the hop limits, cheapest first."""
    found: list[MechanismPath] = []
    try:
        generator = nx.shortest_simple_paths(H, source, target, weight="cost")
        for nodes in itertools.islice(generator, size + 5):
            if min_hops <= len(nodes) - 1 <= max_hops:
                found.append(_along(H, nodes))
                if len(found) >= size:
                    break
    except nx.NetworkXNoPath:
        return []
    return found


def _along(H: nx.DiGraph[Any], nodes: Sequence[Any]) -> MechanismPath:
    """The path through ``nodes`` over the cheapest statement of each hop."""
    return MechanismPath(tuple(nodes), tuple(H[a][b]["edge_type"]
                                             for a, b in itertools.pairwise(nodes)))


def node_flows(ranked: Sequence[tuple[MechanismPath, float]]) -> dict[Any, float]:
    """Each intermediate node's flow: the share of the pool's total score carried by the
    pool's paths through it (a node many good paths pass through carries much).

    >>> p = MechanismPath(("c", "g", "d"), ("INHIBITS", "CAUSES"))
    >>> q = MechanismPath(("c", "g", "h", "d"), ("INHIBITS", "INCREASES", "CAUSES"))
    >>> node_flows([(p, 3.0), (q, 1.0)])
    {'g': 1.0, 'h': 0.25}
    """
    total = math.fsum(score for _, score in ranked) or 1.0
    flows: dict[Any, float] = {}
    for path, score in ranked:
        for node in path.nodes[1:-1]:
            flows[node] = flows.get(node, 0.0) + score / total
    return flows


def _diverse(ranked: list[tuple[MechanismPath, float]], k: int, diversity: Diversity,
             kinds_of: dict[MechanismPath, tuple[str, ...]],
             before: Sequence[MechanismPath] = (),
             flows: Mapping[Any, float] | None = None) -> list[MechanismPath]:
    """Greedy pick: each path's score × ``diversity``'s factors for how much of it the paths
    already picked (and ``before``) cover (same kind sequence, intermediate nodes, same first
    step), so the list covers more ground; with ``flows`` (:attr:`Diversity.flow`), the
    best-scoring path if nothing is picked yet, then the flow of the nodes a path adds in
    place of its score and the node factor. What is covered is tallied as paths are picked."""
    chosen: list[MechanismPath] = []
    covered: set[Any] = {n for path in before for n in path.nodes[1:-1]}
    kinds: Counter[tuple[str, ...]] = Counter(kinds_of[path] for path in before)
    first_steps: Counter[Any] = Counter(path.nodes[1] for path in before)

    def value(path: MechanismPath, score: float) -> float:
        shared = (diversity.kinds ** kinds[kinds_of[path]]
                  * diversity.first_step ** first_steps[path.nodes[1]])
        if flows is not None and (before or chosen):
            return shared * math.fsum(flows.get(n, 0.0) for n in path.nodes[1:-1]
                                      if n not in covered)
        return (score * shared
                * diversity.nodes ** sum(1 for n in path.nodes[1:-1] if n in covered))

    pool = list(ranked)
    while pool and len(chosen) < k:
        best = max(range(len(pool)), key=lambda i: (value(*pool[i]), -i))
        path = pool.pop(best)[0]
        chosen.append(path)
        covered.update(path.nodes[1:-1])
        kinds[kinds_of[path]] += 1
        first_steps[path.nodes[1]] += 1
    return chosen


__all__ = ["DIVERSITY", "GUIDE_SEQUENCES", "OVERSAMPLE", "PER_SEQUENCE", "RESERVE", "Diversity",
           "SearchCosts", "ShapeGuide", "best_paths", "cost_graph", "node_flows",
           "search_costs", "shipped_guide", "update_cost_graph"]
