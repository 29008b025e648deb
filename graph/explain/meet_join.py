"""Joining the two sides of a meet-in-the-middle search by single hops.

:class:`SideJoin` pairs a partial of each side through one hop between their ends,
asking for those hops from the side where that reads fewer rows, and only where the
near end's part times the best the far side offers for that metaedge can reach τ'
(see :mod:`graph.explain.meet`). Every joined path of an allowed length and product
≥ τ' is a candidate.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Collection, Sequence
from typing import Any

from graph.explain.meet_levels import EndRow, Fetch, Partial, Plan, Side
from graph.explain.meet_state import SearchState
from graph.explain.neighbourhood import StepRequest, Within


class SideJoin(SearchState):
    """The joining phase of a search (a part of ``MeetInTheMiddle``)."""

    def _link(self) -> None:
        """Every path made of a partial of each side and one hop between their ends,
        fetched from the side where that reads fewer rows."""
        tables = [self._end_table(side) for side in self.sides]
        bounds = [self._far_bounds(table) for table in tables]
        first = 0 if len(tables[0]) <= len(tables[1]) else 1  # plan the smaller side first
        plan = self._link_plan(self.sides[first], tables[first], bounds[1 - first])
        if plan is None:  # not with an unlimited budget
            return
        cost = sum(f[1] for f in plan[0])
        other = self._link_plan(self.sides[1 - first], tables[1 - first], bounds[first],
                                within=cost)
        i, (requests, dropped) = (first, plan)
        if other is not None and (sum(f[1] for f in other[0]), 1 - first) < (cost, first):
            i, (requests, dropped) = 1 - first, other
        self._drop(dropped)
        side = self.sides[i]
        near, far = self._joinable(side), self._joinable(self._other(side))
        degree = {(r.node, r.edge_type, r.other_kind): d for r, d, _ in requests}
        asked: list[StepRequest] = []
        allowed: dict[tuple[Any, ...], Collection[Any]] = {}
        for tier, (group, within) in enumerate(self._tiers(requests, tables[1 - i]), 1):
            # one question for all the tiers, each its own group of allowed sets
            asked.extend(StepRequest(r.node, r.edge_type, r.other_kind, None, tier)
                         for r, _, _ in group)
            allowed.update(((*metaedge, tier), nodes) for metaedge, nodes in within.items())
        steps = self.hood.mechanism_steps(asked, within=allowed) if asked else []
        self.fetched += len(steps)
        for step in steps:
            factor = self.factors.factor(
                degree[(step.node, step.edge_type, step.other_kind)], step.other_degree,
                reverse=side.reverse(step))
            here, there = near[step.node], far[step.other]
            self._pair(*((here, there) if side.source else (there, here)), factor,
                       step.edge_type)

    def _tiers(self, requests: Sequence[Fetch], far: Sequence[EndRow]
               ) -> list[tuple[list[Fetch], Within]]:
        """The link requests in groups by the decade of what a far end must make up to join
        them at τ' (``τ' / near part``), each with, per metaedge, the far ends that can: a
        far end ``y`` joins by ``(type, kind of y)`` from a node of kind ``K`` with at most
        ``product(y) · D(y, type, K)^-w``."""
        tiers: dict[int, list[Fetch]] = {}
        for fetch in requests:
            need = self.floor / fetch[2] if fetch[2] > 0 else math.inf
            tier = math.floor(math.log10(need)) if 0 < need < math.inf else -(10**9)
            tiers.setdefault(tier, []).append(fetch)
        kind_of = self._kind
        wanted_by_tier = [(tier, group, {(r.edge_type, r.other_kind, kind_of(r.node))
                                         for r, _, _ in group})
                          for tier, group in sorted(tiers.items())]
        # Only the metaedges some request joins by (a far end's others are never asked for).
        offers: dict[tuple[str, str, str], list[tuple[float, Any]]] = {
            key: [] for _, _, wanted in wanted_by_tier for key in wanted}
        for node, kind, top, metaedges in far:
            for edge_type, near_kind, _, factor in metaedges:
                offer = offers.get((edge_type, kind, near_kind))
                if offer is not None:
                    offer.append((-top * factor, node))
        for offer in offers.values():
            offer.sort(key=lambda o: o[0])
        found: list[tuple[list[Fetch], Within]] = []
        for tier, group, wanted in wanted_by_tier:
            least = 10.0**tier if tier > -(10**9) else 0.0
            within: dict[tuple[str, str], dict[Any, None]] = {}
            for edge_type, kind, near_kind in wanted:
                offer = offers.get((edge_type, kind, near_kind), [])
                cut = bisect.bisect_right(offer, -least, key=lambda o: o[0])
                if cut < len(offer):
                    self._drop(self.tau)  # pairs with the far ends left out fall below τ'
                allowed = within.setdefault((edge_type, kind), {})
                allowed.update(dict.fromkeys(node for _, node in offer[:cut]))
            found.append((group, within))  # dicts: read as sets, no copy
        return found

    def _end_table(self, side: Side) -> list[EndRow]:
        """``side``'s joinable ends: node, kind, best product, and each metaedge a hop can
        join it by (not one whose only neighbour is the node every partial there came from)
        with its degree and degree factor."""
        ends = self._joinable(side)
        return self._end_rows(ends, list(ends), self._facts(list(ends)))

    @staticmethod
    def _far_bounds(table: Sequence[EndRow]) -> dict[tuple[str, str, str], float]:
        """By (type, kind of a far end ``y``, kind of the node the hop comes from): the best
        ``product(y) · D(y, type, that kind)^-w``."""
        best: dict[tuple[str, str, str], float] = {}
        for _, kind, top, metaedges in table:
            for edge_type, near_kind, _, factor in metaedges:
                value = top * factor
                if value > best.get((edge_type, kind, near_kind), 0.0):
                    best[(edge_type, kind, near_kind)] = value
        return best

    def _link_plan(self, side: Side, table: Sequence[EndRow],
                   far: dict[tuple[str, str, str], float], *, within: float = math.inf
                   ) -> Plan | None:
        """The groups of ``side``'s joinable ends whose hop can join a far partial at τ',
        each with its near part (its product · ``per_hop`` · its own degree factor); None
        as soon as they cost more than ``within`` to fetch (the other side's plan)."""
        allowed = self._allowed(side, side.depth)
        requests, dropped, cost = [], None, 0
        per_hop, floor = self.factors.per_hop, self.floor
        for node, node_kind, top, metaedges in table:
            if cost > within:
                return None
            for edge_type, kind, degree, factor in metaedges:
                bound = far.get((edge_type, kind, node_kind))
                if bound is None or (allowed is not None and (edge_type, kind) != allowed):
                    continue  # no far partial can be joined this way: nothing there
                near = top * per_hop * factor
                if near * bound < floor:
                    dropped = max(dropped or 0.0, near * bound * self.factors.scale)
                    continue
                requests.append((StepRequest(node, edge_type, kind, None), degree, near))
                cost += degree
        return requests, dropped

    def _pair(self, outward: Sequence[Partial], inward: Sequence[Partial], factor: float,
              edge_type: str) -> None:
        """Every disjoint pair of a source-side and a target-side partial, joined by a hop of
        ``edge_type`` and ``factor``, of an allowed length and product ≥ τ'."""
        scale, floor = self.factors.scale, self.floor
        for left in outward:
            if left.product * factor * inward[0].product < floor:
                self._drop(scale * left.product * factor * inward[0].product)
                break
            head = set(left.nodes)
            for right in inward:
                product = left.product * factor * right.product
                if product < floor:
                    self._drop(scale * product)
                    break
                length = len(left.types) + len(right.types) + 1
                if not self.min_hops <= length <= self.max_hops or not head.isdisjoint(
                        right.nodes):
                    continue
                self._hold(1)
                self.found[((*left.nodes, *right.nodes[::-1]),
                            (*left.types, edge_type, *right.types[::-1]))] = scale * product
