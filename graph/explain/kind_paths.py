"""The cheapest paths between two nodes that follow one sequence of node kinds.

A kind sequence such as ``Drug > Gene > BiologicalProcess > Disease`` is the
shape of a mechanism (its metapath, read by node kinds only). Curated mechanisms
take a few such shapes far more often than others (DrugMechDB's 50 most common
cover two thirds of its indications), so the best-first search
(:mod:`graph.explain.best_first`) also asks, for each common shape, for the
cheapest paths of exactly that shape: Yen's search alone returns the cheapest
paths of *any* shape, and a mechanism's own shape is often far down that list.

The search is layered. Position ``i`` of a path may only hold nodes of kind
``kinds[i]``; a forward pass keeps the nodes reachable from the source that way,
a backward pass keeps those that still reach the target, and a uniform-cost
search over what is left yields node-simple paths cheapest first. A
:class:`Budget` bounds the node visits (several calls may share one), so a hub
with thousands of partners of the right kind costs at most that much; a search
over budget returns the paths it has completed, which are then the cheapest
found, not necessarily the cheapest.

>>> import networkx as nx
>>> H = nx.DiGraph()
>>> for a, b, cost in [("c", "g", 1.0), ("g", "p", 1.0), ("p", "d", 1.0),
...                    ("c", "h", 2.0), ("h", "d", 0.5), ("c", "q", 0.1), ("q", "d", 0.1)]:
...     H.add_edge(a, b, cost=cost)
>>> kind = {"c": "Drug", "g": "Gene", "h": "Gene", "p": "Process", "q": "Process",
...         "d": "Disease"}.__getitem__
>>> kind_paths(H, kind, "c", "d", ("Drug", "Gene", "Process", "Disease"))
[(('c', 'g', 'p', 'd'), 3.0)]
>>> kind_paths(H, kind, "c", "d", ("Drug", "Gene", "Disease"))
[(('c', 'h', 'd'), 2.5)]
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

#: Node visits one :func:`kind_paths` call may spend by default (layers and search).
BUDGET = 20_000


@dataclass(slots=True)
class Budget:
    """Node visits left to spend; calls that share one stop when it is spent."""

    left: int = BUDGET

    def spend(self, visits: int) -> bool:
        """Take ``visits``; whether any are left afterwards."""
        self.left -= visits
        return self.left > 0


def kind_paths(H: nx.DiGraph[Any], kind_of: Callable[[Any], str], source: Any, target: Any,
               kinds: Sequence[str], *, per: int = 3,
               budget: Budget | None = None) -> list[tuple[tuple[Any, ...], float]]:
    """Up to ``per`` node-simple ``source`` → ``target`` paths whose node kinds are
    ``kinds``, cheapest first by the sum of ``H``'s ``cost`` edge attribute, with their cost.

    ``H`` is a cost graph (:func:`graph.explain.best_first.cost_graph`: both walking
    directions of every statement as edges). ``budget`` (default: :data:`BUDGET` visits
    for this call) is spent as the search goes.
    """
    budget = budget if budget is not None else Budget()
    if budget.left <= 0:
        return []
    hops = len(kinds) - 1
    if (hops < 1 or source not in H or target not in H or source == target
            or kind_of(source) != kinds[0] or kind_of(target) != kinds[-1]):
        return []
    layers = _layers(H, kind_of, source, target, kinds, budget)
    if layers is None:
        return []
    return _cheapest(H, layers, source, target, per, budget)


def _layers(H: nx.DiGraph[Any], kind_of: Callable[[Any], str], source: Any, target: Any,
            kinds: Sequence[str], budget: Budget) -> list[set[Any]] | None:
    """The nodes each position may hold: reachable from ``source`` through the kinds
    before it, and reaching ``target`` through the kinds after it; None if no path
    of the shape exists (or the budget ran out finding out)."""
    hops = len(kinds) - 1
    ends = {source, target}
    forward: list[set[Any]] = [{source}]
    for i in range(1, hops):
        found: set[Any] = set()
        for u in forward[-1]:
            neighbours = H.succ[u]
            found.update(v for v in neighbours if v not in ends and kind_of(v) == kinds[i])
            if not budget.spend(len(neighbours)):
                return None
        if not found:
            return None
        forward.append(found)
    layers: list[set[Any]] = [set() for _ in range(hops + 1)]
    layers[0], layers[hops] = {source}, {target}
    for i in range(hops - 1, 0, -1):
        for v in layers[i + 1]:
            neighbours = H.pred[v]
            layers[i].update(u for u in neighbours if u in forward[i])
            if not budget.spend(len(neighbours)):
                return None
        if not layers[i]:
            return None
    return layers


def _cheapest(H: nx.DiGraph[Any], layers: list[set[Any]], source: Any, target: Any,
              per: int, budget: Budget) -> list[tuple[tuple[Any, ...], float]]:
    """Uniform-cost search through the layers: complete node-simple paths, cheapest first."""
    hops = len(layers) - 1
    tie = itertools.count()
    queue: list[tuple[float, int, tuple[Any, ...]]] = [(0.0, next(tie), (source,))]
    found: list[tuple[tuple[Any, ...], float]] = []
    while queue and len(found) < per and budget.spend(1):
        cost, _, path = heapq.heappop(queue)
        if len(path) == hops + 1:
            found.append((path, cost))
            continue
        allowed = layers[len(path)]
        for v, data in H.succ[path[-1]].items():
            if v in allowed and v not in path:
                heapq.heappush(queue, (cost + data["cost"], next(tie), (*path, v)))
    return found


__all__ = ["BUDGET", "Budget", "kind_paths"]
