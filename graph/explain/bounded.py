"""The top paths without enumerating every path: a score floor τ, lowered until enough pass.

One round (:func:`graph.explain.meet.candidate_paths`) finds every path that
can score at least τ; their statements are fetched
(:meth:`~graph.explain.neighbourhood.Neighbourhoods.mechanism_path_graph`) and
ranked exactly as an exhaustive search ranks (:func:`~graph.explain.ranking.rank_paths`),
and those scoring ≥ τ are kept. While fewer than ``top`` are kept, τ goes down
(to a hundredth while fewer than a fifth of ``top`` are kept, else to a tenth;
lower still when nothing was dropped in between) and the round is run again. So:

* every path scoring ≥ τ is kept, and any other path scores < τ;
* once ``top`` paths are kept, they are the exhaustive search's top paths, in
  the same order (a path left out scores below every one of them);
* when a round drops nothing, every path within the length limits was found
  (``complete``), whatever τ was.

A round that would hold more than ``budget`` partial paths ends the search with
the previous round's answer (its τ stands as the stated bound).

>>> import networkx as nx
>>> from graph.explain.neighbourhood import GraphNeighbourhoods
>>> from graph.explain.ranking import RANKINGS
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene"}),
...                   ("d", {"kind": "Disease"})])
>>> _ = G.add_edge("c", "g", key="TARGETS", type="TARGETS")
>>> _ = G.add_edge("g", "d", key="ASSOCIATED_WITH", type="ASSOCIATED_WITH")
>>> for i in range(20):  # 20 partners of g, each associated with d: 20 weaker paths
...     _ = G.add_edge("g", f"p{i}", key="INTERACTS_WITH", type="INTERACTS_WITH")
...     _ = G.add_edge(f"p{i}", "d", key="ASSOCIATED_WITH", type="ASSOCIATED_WITH")
>>> nx.set_node_attributes(G, {f"p{i}": "Gene" for i in range(20)}, "kind")
>>> found = top_paths(GraphNeighbourhoods(G), "c", "d", top=1, damping=0.4,
...                   ranker=RANKINGS["dwpc"])
>>> [path.nodes for path, *_ in found.ranked], found.complete, round(found.floor, 4)
([('c', 'g', 'd')], False, 0.2)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.errors import InvalidArgument
from graph.explain.index import GraphIndex
from graph.explain.meet import SearchBudgetExceeded, SearchMemo, candidate_paths
from graph.explain.metagraph import Metapath
from graph.explain.neighbourhood import HopKey, Neighbourhoods
from graph.explain.paths import MechanismPath
from graph.explain.ranking import HopFactors, PathRanking, ScoredPath, hop_factors, rank_paths

#: Partial paths one round may hold before the search settles for the round before.
DEFAULT_BUDGET = 1_000_000
#: How far τ goes down from one round to the next (at least): a hundredth while fewer than
#: a fifth of the paths wanted are found, else a tenth.
FLOOR_STEP = 0.1
FLOOR_LEAP = 0.01


@dataclass(frozen=True, slots=True)
class FoundPaths:
    """The paths a bounded search kept, ranked, and what it can say about the others.

    ``ranked``: every path scoring ≥ ``floor`` (all paths when ``complete``), best
    first, ranked exactly as :func:`~graph.explain.ranking.rank_paths` ranks;
    ``index``: a :class:`GraphIndex` on their statements (what an explanation is
    assembled from); ``rounds``: searches run; ``fetched``: neighbour rows read.
    """

    ranked: tuple[ScoredPath, ...]
    index: GraphIndex
    floor: float
    complete: bool
    rounds: int
    fetched: int


def factors_of(ranker: PathRanking, damping: float) -> HopFactors:
    """:func:`~graph.explain.ranking.hop_factors`, or InvalidArgument for a ranking the
    bounded search cannot prune by."""
    factors = hop_factors(ranker, damping)
    if factors is None:
        raise InvalidArgument("the bounded search needs a ranking made of per-hop factors "
                              "of at most 1 (mechanism or dwpc); use search='all'")
    return factors


class SearchMemos:
    """:class:`~graph.explain.meet.SearchMemo` per ranking, for searches that share ends
    (one drug's many diseases: its first level is read and built once)."""

    def __init__(self) -> None:
        self._memos: dict[HopFactors, SearchMemo] = {}

    def of(self, factors: HopFactors) -> SearchMemo:
        known = self._memos.get(factors)
        if known is None:
            known = self._memos[factors] = SearchMemo(factors)
        return known


def top_paths(hood: Neighbourhoods, source: Any, target: Any, *, top: int, damping: float,
              ranker: PathRanking, min_hops: int = 2, max_hops: int = 4,
              budget: int = DEFAULT_BUDGET, memos: SearchMemos | None = None) -> FoundPaths:
    """At least ``top`` paths (every one scoring ≥ the final τ), or all there are.

    Parameters
    ----------
    hood : where the graph is read.
    source, target : the drug and the disease, distinct nodes of mechanism kinds.
    top : how many paths the answer must hold unless fewer exist.
    damping, ranker : the path-degree product's exponent and the ranking
        (:func:`factors_of` must accept it).
    min_hops, max_hops : path lengths.
    budget : most partial paths a round may hold.
    memos : shared with other searches of the same ends (else kept for this one).

    Returns
    -------
    :class:`FoundPaths`.
    """
    factors = factors_of(ranker, damping)
    tau = round_floor(_first_floor(hood, source, target, factors, min_hops))
    answer: FoundPaths | None = None
    rounds = fetched = 0
    memo = (memos or SearchMemos()).of(factors)
    while True:
        try:
            found = candidate_paths(hood, source, target, factors, tau=tau, min_hops=min_hops,
                                    max_hops=max_hops, budget=budget, memo=memo)
        except SearchBudgetExceeded:
            if answer is None:
                raise
            return answer
        rounds, fetched = rounds + 1, fetched + found.fetched
        ranked, index = _ranked(hood, found.paths, damping, ranker, memo.hops)
        complete = found.pruned is None
        kept = ranked if complete else tuple(r for r in ranked if r[3] >= tau)
        answer = FoundPaths(kept, index, 0.0 if complete else tau, complete, rounds, fetched)
        if complete or len(kept) >= top:
            return answer
        below = max((r[3] for r in ranked if r[3] < tau), default=0.0)
        step = FLOOR_LEAP if 5 * len(kept) < top else FLOOR_STEP
        tau = round_floor(min(tau * step, max(found.pruned or 0.0, below)))


def all_paths_along(hood: Neighbourhoods, source: Any, target: Any,
                    metapaths: Sequence[Metapath], *, damping: float,
                    ranker: PathRanking) -> FoundPaths:
    """Every path along these metapaths (nothing pruned: their DWPC is exact), ranked."""
    factors = HopFactors(damping=damping)
    paths: list[MechanismPath] = []
    fetched = 0
    for metapath in metapaths:
        found = candidate_paths(hood, source, target, factors, tau=0.0,
                                min_hops=metapath.length, max_hops=metapath.length,
                                metapath=metapath)
        fetched += found.fetched
        paths.extend(found.paths)
    ranked, index = _ranked(hood, paths, damping, ranker)
    return FoundPaths(ranked, index, 0.0, True, len(metapaths), fetched)


def round_floor(value: float) -> float:
    """``value`` rounded down to one significant digit (0 stays 0): floors that read
    exactly as written, and a lower floor never loses a path.

    >>> round_floor(0.0872), round_floor(8.72e-07), round_floor(3.0)
    (0.08, 8e-07, 3.0)
    """
    if value <= 0 or not math.isfinite(value):
        return 0.0
    exponent = math.floor(math.log10(value))
    digit = math.floor(value / 10.0**exponent * (1 + 1e-12))
    return float(f"{min(digit, 9)}e{exponent}")


def _first_floor(hood: Neighbourhoods, source: Any, target: Any, factors: HopFactors,
                 min_hops: int) -> float:
    """No path scores more: a first hop out of each end (one hop if paths may have one)."""
    facts = hood.mechanism_degrees([source, target])
    best = 1.0
    for end in (source, target):
        smallest = min(facts[end].degrees.values(), default=1)
        best *= factors.degree_factor(smallest)
    return factors.scale * best * factors.per_hop ** min(max(min_hops, 1), 2)


def _ranked(hood: Neighbourhoods, paths: Sequence[MechanismPath], damping: float,
            ranker: PathRanking, hop_facts: dict[HopKey, Any] | None = None,
            ) -> tuple[tuple[ScoredPath, ...], GraphIndex]:
    """The paths ranked on the graph of their hops' statements (``hop_facts``: shared with
    the other rounds and searches of one store)."""
    hops: set[HopKey] = {(u, t, v) for p in paths
                         for u, t, v in zip(p.nodes, p.edge_types, p.nodes[1:], strict=False)}
    graph: nx.MultiDiGraph[Any] = hood.mechanism_path_graph(hops)
    index = GraphIndex(graph, hop_facts)
    return tuple(rank_paths(index, paths, damping=damping, ranker=ranker)), index


__all__ = [
    "DEFAULT_BUDGET",
    "FLOOR_LEAP",
    "FLOOR_STEP",
    "FoundPaths",
    "SearchMemos",
    "all_paths_along",
    "factors_of",
    "round_floor",
    "top_paths",
]
