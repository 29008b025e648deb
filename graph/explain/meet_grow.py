"""Growing one side of a meet-in-the-middle search, a level at a time.

:class:`SideGrowth` adds to a :class:`~graph.explain.meet_levels.Side` the partial paths
one hop longer that can still take part in a path scoring ≥ τ: at σ, or by the
:class:`~graph.explain.meet_levels.Rest` the other side offers (see
:mod:`graph.explain.meet` for why that is enough). Neighbours are dropped before they
are fetched where the degree tables show they cannot keep a partial; an end's first
level is taken from the :class:`~graph.explain.meet_levels.SearchMemo` when it holds
enough of it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from graph.explain.meet_levels import SLACK, Partial, Plan, Rest, Side
from graph.explain.meet_state import SearchState
from graph.explain.neighbourhood import StepRequest


class SideGrowth(SearchState):
    """The growing phase of a search (a part of ``MeetInTheMiddle``)."""

    def _grow_to(self, side: Side, depth: int, rest: Rest | None) -> None:
        """(Re)grow ``side`` from its end to ``depth`` levels, keeping partials ≥ σ and,
        with ``rest``, those whose product times ``rest`` reaches τ'. The first level of an
        end (a hub's hundreds of neighbours, again and again) comes from the memo when it
        holds enough of it."""
        side.reset()
        while side.depth < depth and side.outermost:
            last = side.depth + 1 == depth
            keep = self._keep(rest, last=last)
            if side.depth == 0 and self.metapath is None and self._first_level_kept(side, keep):
                continue
            drops = self.drops
            ending = self._grow(side, self._plan(side, rest, last=last), rest, last=last)
            if side.depth == 1 and self.metapath is None:
                by_kind = side.kinds_of_level(1)
                for partial in ending:  # kept for the searches towards other ends
                    by_kind.setdefault(self._other(side).facts.kind, []).append(partial)
                    by_kind[self._other(side).facts.kind].sort(key=lambda p: -p.product)
                self.memo.first_levels[(side.end, self._other(side).end)] = (
                    keep, by_kind, self.drops > drops)

    def _keep(self, rest: Rest | None, *, last: bool) -> Callable[[str], float]:
        """The product a partial ending at a node of a kind must reach to be kept."""
        def keep(kind: str) -> float:
            bound = rest.of(kind, last=last) if rest is not None else 0.0
            return min(self.half, self.floor / bound) if bound > 0 else self.half
        return keep

    def _first_level_kept(self, side: Side, keep: Callable[[str], float]) -> bool:
        """Level 1 of ``side`` from the memo, if what it holds reaches down far enough for
        every kind; False (nothing done) if not."""
        known = self.memo.first_levels.get((side.end, self._other(side).end))
        if known is None:
            return False
        held, by_kind, dropped = known
        kinds = {kind for _, kind in side.facts.degrees}
        if any(keep(kind) < held(kind) for kind in kinds):
            return False
        level: dict[Any, list[Partial]] = {}
        other = self._other(side).end
        for kind, partials in by_kind.items():
            least = keep(kind)
            for partial in partials:
                if partial.product < least:
                    dropped = True
                    break
                if partial.nodes[-1] != other:  # a node reached by two edge types keeps both
                    level.setdefault(partial.nodes[-1], []).append(partial)
        if dropped:
            self._drop(self.tau)
        self._hold(len(level))
        side.add_level(level)
        return True

    def _rest(self, side: Side, depth: int) -> Rest:
        """Bound on the rest of a path whose other part ends on ``side``'s level ``depth``
        with a product ≥ σ: one hop into it, by the kind of the node the hop comes from
        (``direct``), or two hops or more (``longer``)."""
        level = side.levels[depth] if side.depth >= depth else {}
        ends = {node: top for node, partials in level.items()
                if (top := partials[0].product) >= self.half}
        facts = self._facts(list(ends))
        direct: dict[str, float] = {}
        for _, _, top, metaedges in self._end_rows(level, ends, facts):
            for _, near_kind, _, factor in metaedges:
                value = self.factors.per_hop * top * factor
                if value > direct.get(near_kind, 0.0):
                    direct[near_kind] = value
        return Rest(direct, self.factors.per_hop * max(direct.values(), default=0.0))

    def _plan(self, side: Side, rest: Rest | None, *, last: bool) -> Plan:
        """The groups of neighbours of ``side``'s outermost nodes that can keep a partial
        (at σ, or by ``rest``), each limited to neighbours of a degree that can."""
        level = side.outermost
        facts = self._facts(list(level))
        allowed = self._allowed(side, side.depth)
        requests, dropped = [], None
        for node, partials in level.items():
            best = partials[0].product * self.factors.per_hop
            for (edge_type, kind), degree in facts[node].degrees.items():
                if allowed is not None and (edge_type, kind) != allowed:
                    continue
                reach = best * self._degree_factor(degree)
                keep, cap = self._limit(reach, rest.of(kind, last=last) if rest else 0.0)
                if not keep:
                    dropped = self.tau
                    continue
                requests.append((StepRequest(node, edge_type, kind, cap), degree, reach))
        return requests, dropped

    def _limit(self, reach: float, bound: float) -> tuple[bool, int | None]:
        """Whether a group whose hop factor is at most ``reach`` (its neighbours' own degree
        factor aside) can keep a partial, at σ or by the rest ``bound`` at τ'; and the
        largest neighbour degree that can (None: any)."""
        limits = [self._degree_cap(reach, self.half)] if reach >= self.half else []
        if bound > 0 and reach * bound >= self.floor:
            limits.append(self._degree_cap(reach * bound, self.floor))
        if not limits:
            return False, None
        return True, None if None in limits else max(c for c in limits if c is not None)

    def _degree_cap(self, reach: float, at_least: float) -> int | None:
        """Largest neighbour degree ``D`` with ``reach · D^-w`` ≥ ``at_least`` (None: any)."""
        w = self.factors.damping
        if w <= 0 or at_least <= 0:
            return None
        cap = (reach / at_least) ** (1 / w)
        return None if cap >= 2**62 else math.floor(cap * (1 + SLACK))

    def _grow(self, side: Side, plan: Plan, rest: Rest | None, *, last: bool) -> list[Partial]:
        """Add a level to ``side``: every step of ``plan`` that keeps a partial. The other
        end is never a partial (the joining hops reach it): those that reach it are
        returned."""
        requests, dropped = plan
        self._drop(dropped)
        steps = self._fetch(requests, None)
        degree = {(r.node, r.edge_type, r.other_kind): d for r, d, _ in requests}
        ends, other = side.outermost, self._other(side).end
        keeps = self._keep(rest, last=last)
        keep_of: dict[str, float] = {}
        # HopFactors.factor, inlined (the same arithmetic: the same products, bit for bit)
        factors = self.factors
        per_hop, against, minus_w = factors.per_hop, factors.against, -factors.damping
        power, source, node_kinds = math.pow, side.source, side.node_kinds
        make = tuple.__new__
        level: dict[Any, list[Partial]] = {}
        ending: list[Partial] = []
        below = False
        for node, edge_type, there, kind, outgoing, incoming, other_degree in steps:
            node_kinds[there] = kind
            factor = per_hop * power(max(degree[(node, edge_type, kind)], 1)
                                     * max(other_degree, 1), minus_w)
            if (incoming and not outgoing) if source else (outgoing and not incoming):
                factor *= against
            keep = keep_of.get(kind)
            if keep is None:
                keep = keep_of[kind] = keeps(kind)
            for nodes, types, product in ends[node]:
                product *= factor
                if product < keep:
                    below = True
                    break  # partials are best first: the others reach less
                if there not in nodes:
                    made = make(Partial, ((*nodes, there), (*types, edge_type), product))
                    if there == other:
                        ending.append(made)
                    else:
                        found = level.get(there)
                        if found is None:
                            level[there] = [made]
                        else:
                            found.append(made)
        if below:
            self._drop(self.tau)
        self._hold(sum(len(p) for p in level.values()))
        side.add_level(level)
        return ending
