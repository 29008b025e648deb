"""One meet-in-the-middle search's inputs, running tallies and shared lookups.

:class:`SearchState` is the base of :class:`~graph.explain.meet.MeetInTheMiddle`: what it
was asked (the ends, the ranking's hop factors, τ and the hop limits, a metapath, a
budget), what a path and a partial must reach (``floor`` = τ', ``half`` = σ; see
:mod:`graph.explain.meet`), what it has found, dropped, held and fetched so far, and
the lookups both of its phases use: nodes' degree facts, the metaedge a metapath
allows, the fetching of neighbour steps, and the table of a side's joinable ends.
The phases themselves are :mod:`graph.explain.meet_grow` (growing each side) and
:mod:`graph.explain.meet_join` (joining them).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from typing import Any

from graph.explain.meet_levels import (
    SLACK,
    EndRow,
    Fetch,
    Partial,
    SearchBudgetExceeded,
    SearchMemo,
    Side,
)
from graph.explain.metagraph import Metapath
from graph.explain.neighbourhood import Neighbourhoods, NodeFacts, Step, Within
from graph.explain.ranking import HopFactors


class SearchState:
    """One search at one τ: its inputs, its tallies, and the lookups its phases share."""

    def __init__(self, hood: Neighbourhoods, source: Any, target: Any, factors: HopFactors,
                 *, tau: float, min_hops: int, max_hops: int, metapath: Metapath | None,
                 budget: int | None, memo: SearchMemo | None = None) -> None:
        self.hood, self.factors, self.metapath = hood, factors, metapath
        self.memo = memo if memo is not None and memo.factors == factors else SearchMemo(factors)
        self.tau = tau * (1 - SLACK)
        #: What a whole path's product must reach, and what a partial's must.
        self.floor = self.tau / factors.scale if factors.scale > 0 else math.inf
        self.half = 0.0 if metapath is not None else math.sqrt(self.floor)
        self.min_hops, self.max_hops, self.budget = min_hops, max_hops, budget
        self.facts = self.memo.facts(hood, [source, target])
        self.sides = (Side(source, self.facts[source], True),
                      Side(target, self.facts[target], False))
        self.found: dict[tuple[tuple[Any, ...], tuple[str, ...]], float] = {}
        self.pruned: float | None = None
        self.held = 0
        self.fetched = 0
        self.drops = 0

    def _other(self, side: Side) -> Side:
        return self.sides[1] if side is self.sides[0] else self.sides[0]

    def _drop(self, bound: float | None) -> None:
        """Note that something was dropped: no path through it scores more than ``bound``
        (and, for a partial below σ, none scoring ≥ τ needed it: pass τ)."""
        if bound is not None:
            self.drops += 1
            if self.pruned is None or bound > self.pruned:
                self.pruned = bound

    def _hold(self, count: int) -> None:
        self.held += count
        if self.budget is not None and self.held > self.budget:
            raise SearchBudgetExceeded(
                f"more than {self.budget:,} partial paths at score floor {self.tau:.3g}")

    def _facts(self, nodes: Collection[Any]) -> dict[Any, NodeFacts]:
        missing = [n for n in nodes if n not in self.facts]
        if missing:
            self.facts.update(self.memo.facts(self.hood, missing))
        return self.facts

    def _allowed(self, side: Side, depth: int) -> tuple[str, str] | None:
        """The metaedge (type, neighbour kind) a hop out of ``side``'s level ``depth`` must
        use along the metapath (None: any)."""
        if self.metapath is None:
            return None
        edges = self.metapath.edges
        if side.source:
            return edges[depth].edge_type, edges[depth].target_kind
        edge = edges[len(edges) - 1 - depth]
        return edge.edge_type, edge.source_kind

    def _fetch(self, requests: Sequence[Fetch], within: Within | None) -> list[Step]:
        """The steps asked for; a group the degree limit cut short counts as dropped."""
        if not requests:
            return []
        steps = self.hood.mechanism_steps([r for r, _, _ in requests], within=within)
        self.fetched += len(steps)
        count: dict[tuple[Any, str, str], int] = {}
        for step in steps:
            key = (step.node, step.edge_type, step.other_kind)
            count[key] = count.get(key, 0) + 1
        for request, degree, _ in requests:
            if request.max_degree is not None and count.get(
                    (request.node, request.edge_type, request.other_kind), 0) < degree:
                self._drop(self.tau)
        return steps

    def _joinable(self, side: Side) -> dict[Any, list[Partial]]:
        """The partials a joining hop may start or end at: along a metapath the outermost
        level only, else every level."""
        return side.outermost if self.metapath is not None else side.ends

    def _end_rows(self, by_node: dict[Any, list[Partial]], nodes: Collection[Any],
                  facts: dict[Any, NodeFacts]) -> list[EndRow]:
        """:meth:`_end_table` rows of these nodes."""
        table = []
        metaedges_of, without = self.memo.metaedges, self.memo.without_back
        kind_of = self._kind
        for node in nodes:
            node_facts = facts[node]
            metaedges, some_single = metaedges_of(node, node_facts)
            partials = by_node[node]
            if some_single:  # leave out a metaedge whose one neighbour is where all came from
                if len(partials) == 1:
                    types = partials[0].types
                    if types:
                        metaedges = without(node, metaedges,
                                            (types[-1], kind_of(partials[0].nodes[-2])))
                else:
                    back = {(p.types[-1], kind_of(p.nodes[-2])) for p in partials if p.types}
                    if len(back) == 1 and all(p.types for p in partials):
                        metaedges = without(node, metaedges, back.pop())
            table.append((node, node_facts.kind, partials[0].product, metaedges))
        return table

    def _kind(self, node: Any) -> str:
        return self.facts[node].kind if node in self.facts else ""

    def _degree_factor(self, degree: int) -> float:
        return self.memo.degree_factor(degree)
