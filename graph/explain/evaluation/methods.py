"""What the evaluation scores: methods that give a drug's top paths to a disease.

A method takes ``(graph, drug, disease, k)`` and returns up to ``k`` node
sequences, best first. The explainer gives three (its best-first search, and
enumerate-then-rank under the ``mechanism`` or ``dwpc`` ranking); the baseline
is the ``k`` shortest simple paths with edge direction ignored.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene"}),
...                   ("d", {"kind": "Disease"})])
>>> _ = G.add_edge("c", "g", key="INHIBITS", type="INHIBITS")
>>> _ = G.add_edge("g", "d", key="CAUSES", type="CAUSES")
>>> [method(G, "c", "d", 3) for method in default_methods(3).values()]
[[('c', 'g', 'd')], [('c', 'g', 'd')], [('c', 'g', 'd')], [('c', 'g', 'd')]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from graph.explain.best_first import (
    DIVERSITY,
    OVERSAMPLE,
    Diversity,
    SearchCosts,
    ShapeGuide,
    best_paths,
    cost_graph,
    search_costs,
    shipped_guide,
    update_cost_graph,
)
from graph.explain.checks import MAX_HOPS_LIMIT
from graph.explain.index import GraphIndex
from graph.explain.paths import mechanism_paths
from graph.explain.ranking import RANKINGS, PathRanking, rank_paths, ranking_named
from graph.explain.shape import LearnedRanking, MechanismShape

#: What ``txkg evaluate`` scores when no ``--ranking`` is given (the baseline always).
DEFAULT_EVALUATED = ("best-first", "learned", "dwpc")
#: Every explainer variant ``txkg evaluate --ranking`` takes.
EVALUATED = ("learned", "best-first", "mechanism", "dwpc")

#: A method: (graph, drug, disease, k) → up to k node sequences, best first.
if TYPE_CHECKING:
    PathMethod = Callable[[nx.MultiDiGraph[Any], Any, Any, int], list[tuple[Any, ...]]]
else:
    PathMethod = Callable


def explainer_method(ranking: str | PathRanking = "mechanism", *, max_hops: int = 4,
                     damping: float = 0.4) -> PathMethod:
    """The explainer's top k paths under ``ranking`` (see :mod:`graph.explain.ranking`)."""
    _, ranker = ranking_named(ranking)

    def method(G: nx.MultiDiGraph[Any], drug: Any, disease: Any,
               k: int) -> list[tuple[Any, ...]]:
        index = GraphIndex(G)
        found = mechanism_paths(G, drug, disease, min_hops=2, max_hops=max_hops)
        ranked = rank_paths(index, found, damping=damping, ranker=ranker)
        return [path.nodes for path, *_ in ranked[:k]]

    return method


class BestFirstMethod:
    """The explainer's best-first search (:func:`graph.explain.best_first.best_paths`).

    ``guide`` widens its pool (:class:`~graph.explain.best_first.ShapeGuide`; default: the
    shipped shape's, :func:`~graph.explain.best_first.shipped_guide`; None: Yen's paths
    only). Keeps one cost graph and updates it when the evaluation hides or restores
    statements (:meth:`on_change`), instead of rebuilding it per indication.
    """

    def __init__(self, costs: SearchCosts | None = None, ranking: PathRanking | None = None,
                 max_hops: int = MAX_HOPS_LIMIT, diversity: Diversity = DIVERSITY,
                 oversample: int = OVERSAMPLE,
                 guide: ShapeGuide | Literal["shipped"] | None = "shipped") -> None:
        self.costs = costs or SearchCosts()
        self.diversity = diversity
        self.guide = shipped_guide() if guide == "shipped" else guide
        self.oversample = oversample
        self.ranking = ranking
        self.max_hops = max_hops
        self._H: nx.DiGraph[Any] | None = None

    def on_change(self, G: nx.MultiDiGraph[Any], nodes: set[Any]) -> None:
        if self._H is not None:
            update_cost_graph(self._H, G, nodes, self.costs)

    def __call__(self, G: nx.MultiDiGraph[Any], drug: Any, disease: Any,
                 k: int) -> list[tuple[Any, ...]]:
        if self._H is None:
            self._H = cost_graph(G, self.costs)
        found = best_paths(G, drug, disease, k=k, max_hops=self.max_hops, costs=self.costs,
                           ranking=self.ranking, cost_graph_=self._H,
                           diversity=self.diversity, oversample=self.oversample,
                           guide=self.guide)
        return [p.nodes for p in found]


def learned_method(shape: MechanismShape | None = None, *,
                   max_hops: int = MAX_HOPS_LIMIT) -> BestFirstMethod:
    """The best-first search under the ``learned`` ranking (:mod:`graph.explain.shape`):
    its step prices in the search, its full score to re-rank. ``shape`` None: the
    shipped shape."""
    shipped = RANKINGS["learned"]
    assert isinstance(shipped, LearnedRanking)
    ranking = shipped if shape is None else replace(shipped, shape=shape)
    return BestFirstMethod(search_costs(ranking, SearchCosts().damping), ranking=ranking,
                           max_hops=max_hops, guide=shipped_guide(shape))


def shortest_paths_method(G: nx.MultiDiGraph[Any], drug: Any, disease: Any,
                          k: int) -> list[tuple[Any, ...]]:
    """The baseline: the k shortest simple paths of 2+ edges, edge direction ignored."""
    H: nx.Graph[Any] = nx.Graph(G.to_undirected(as_view=True))
    found: list[tuple[Any, ...]] = []
    try:
        for path in nx.shortest_simple_paths(H, drug, disease):
            if len(path) > 2:
                found.append(tuple(path))
                if len(found) == k:
                    break
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []
    return found


def default_methods(k: int, *, rankings: Sequence[str] = (),
                    max_hops: int | None = None) -> dict[str, PathMethod]:
    """What ``txkg evaluate`` scores: explainer variants, then the shortest-path baseline.

    ``learned`` is the best-first search (:mod:`graph.explain.best_first`) under the
    learned ranking (the shipped shape); ``best-first`` the same search under the
    ``mechanism`` ranking; ``mechanism`` and ``dwpc`` rank
    every path of up to ``max_hops`` (4) edges.
    """
    methods: dict[str, PathMethod] = {}
    for name in rankings or DEFAULT_EVALUATED:
        if name == "learned":
            methods["explainer: learned"] = learned_method(max_hops=max_hops or MAX_HOPS_LIMIT)
        elif name == "best-first":
            methods["explainer: best-first, mechanism ranking"] = BestFirstMethod(
                max_hops=max_hops or MAX_HOPS_LIMIT)
        else:
            methods[f"explainer: {name}, paths <= {max_hops or 4} hops"] = explainer_method(
                name, max_hops=max_hops or 4)
    methods[f"baseline: {k} shortest simple paths"] = shortest_paths_method
    return methods


__all__ = [
    "DEFAULT_EVALUATED",
    "EVALUATED",
    "BestFirstMethod",
    "PathMethod",
    "default_methods",
    "explainer_method",
    "learned_method",
    "shortest_paths_method",
]
