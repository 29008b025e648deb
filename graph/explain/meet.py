"""Every path that can score at least τ, found from both ends at once (meet in the middle).

A ranking read as :class:`~graph.explain.ranking.HopFactors` gives each hop a
factor of at most 1, and a path's score is at most ``scale`` times the product
of its hops' factors. Let ``P`` be that product for a path scoring at least τ,
so ``P ≥ τ' = τ / scale``, and let ``σ = √τ'``. Walk the path from the drug:
the product of the hops walked so far only falls. Stop at the last node ``i``
where it is still ≥ σ. Then

* the part from the drug to node ``i`` has product ≥ σ, and so has every
  shorter part from the drug;
* the part from node ``i + 1`` to the disease has product ``P / (product up to
  node i + 1) > τ' / σ = σ``, and so has every shorter part from the disease;
* one hop joins the two (node ``i`` to node ``i + 1``; when ``i`` is the last
  node, the disease itself is the second part, of product 1).

So it would do to grow *partial paths* from the drug (the source side) and from
the disease (the target side), one hop a level, keeping only those of product
≥ σ, and to join an end of one side to an end of the other by one hop. Through
a hub the product falls fast (a hop between two nodes of a few hundred
neighbours each has a factor near 0.003 at w = 0.4), so neither side grows far
into one. But when σ is small (few paths exist, τ goes low) that would grow
the hub's side three levels deep; so each side is held to a depth instead,
``p`` levels on the side of the end with more neighbours and ``q`` on the other
(``p + q = max_hops - 1``). Where a path's node ``i`` falls beyond those depths,
the split moves to the nearest allowed node, and one of the two parts may then
have a product below σ, though the other part is still ≥ σ and sits on its
side's deepest level. So each side keeps, besides its partials ≥ σ, those of
product ``π`` with ``π · rest ≥ τ'``, where ``rest`` bounds one hop into the
other side's deepest level times the partial there (``per_hop`` × that
partial's product × its own degree factor for the hop's metaedge; ``per_hop``
once more when the partial can still grow a level). The side with fewer
neighbours (the deeper) grows its σ-partials first, the other side then grows
with the bound read from them, and the first side grows again with the bound
read from the second.
Every path scoring ≥ τ is then a partial of each side joined by one hop
(:meth:`Neighbourhoods.mechanism_steps` with ``within`` = the other side's
ends); each joined path of product ≥ τ' is a candidate.

Neighbours are dropped before they are fetched: a hop out of ``u`` over
metaedge ``(T, K)`` has factor at most ``per_hop · D(u, T, K)^-w`` (the
neighbour's own degree is at least 1), known from the degree tables, so a
group whose bound keeps no partial at σ is not asked for; and a neighbour
whose own degree makes the factor too small is not fetched either
(:attr:`StepRequest.max_degree`). The joining hops are asked for only where
``product × per_hop × D^-w`` of the near end, times the best the far side
offers for that metaedge (its partials' products times their own degree
factors), can reach τ'.

What comes out is a superset of the paths scoring ≥ τ (each with ``scale ×
product ≥ τ``); the caller ranks them exactly and keeps those scoring ≥ τ.

Along a metapath (``metapath=``, τ = 0: every path along it), each hop may only
use the metaedge the metapath has there, and the two sides' levels add up to
the metapath's length minus one (the side that is cheaper to grow grows).

>>> import networkx as nx
>>> from graph.explain.neighbourhood import GraphNeighbourhoods
>>> from graph.explain.ranking import HopFactors
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene"}),
...                   ("h", {"kind": "Gene"}), ("d", {"kind": "Disease"})])
>>> for u, t, v in [("c", "TARGETS", "g"), ("g", "ASSOCIATED_WITH", "d"),
...                 ("c", "TARGETS", "h"), ("h", "INTERACTS_WITH", "g")]:
...     _ = G.add_edge(u, v, key=t, type=t)
>>> found = candidate_paths(GraphNeighbourhoods(G), "c", "d", HopFactors(damping=0.4),
...                         tau=0.0, min_hops=2, max_hops=4)
>>> sorted(p.nodes for p in found.paths)
[('c', 'g', 'd'), ('c', 'h', 'g', 'd')]
>>> found.pruned is None  # nothing dropped: these are all the paths
True
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from graph.errors import TxkgError
from graph.explain.metagraph import Metapath
from graph.explain.neighbourhood import Neighbourhoods, NodeFacts, Step, StepRequest, Within
from graph.explain.paths import MechanismPath
from graph.explain.ranking import HopFactors

#: Relative slack on every "can it still reach τ" test, so that rounding in a
#: product never drops a path whose exact score is τ.
SLACK = 1e-9


class SearchBudgetExceeded(TxkgError):
    """The search at this τ would hold more partial paths than its budget allows."""


class Partial(NamedTuple):
    """A path grown from one end: its nodes from that end outward, its edge types,
    and the product of its hops' factors (a tuple: a search makes many)."""

    nodes: tuple[Any, ...]
    types: tuple[str, ...]
    product: float


@dataclass(slots=True)
class Side:
    """One end's partial paths: by level (level k: k hops) and, over all levels, by
    the node they end at (best first).

    ``source``: whether this is the drug's side (it walks hops in path order).
    """

    end: Any
    facts: NodeFacts
    source: bool
    levels: list[dict[Any, list[Partial]]] = field(default_factory=list)
    ends: dict[Any, list[Partial]] = field(default_factory=dict)
    node_kinds: dict[Any, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Back to the end alone (level 0)."""
        start = Partial((self.end,), (), 1.0)
        self.levels = [{self.end: [start]}]
        self.ends = {self.end: [start]}

    @property
    def depth(self) -> int:
        return len(self.levels) - 1

    @property
    def outermost(self) -> dict[Any, list[Partial]]:
        return self.levels[-1]

    def reverse(self, step: Step) -> bool:
        """Whether ``step``, walked outward from this side's end, runs only against the
        direction its statement is stored in, read in path order (drug → disease)."""
        if self.source:
            return step.incoming and not step.outgoing
        return step.outgoing and not step.incoming

    def kinds_of_level(self, depth: int) -> dict[str, list[Partial]]:
        """The partials of a level by the kind of node they end at, best first (the kinds
        are remembered from the steps that made them)."""
        by_kind: dict[str, list[Partial]] = {}
        for node, partials in self.levels[depth].items():
            by_kind.setdefault(self.node_kinds[node], []).extend(partials)
        for partials in by_kind.values():
            partials.sort(key=lambda p: -p.product)
        return by_kind

    def add_level(self, level: dict[Any, list[Partial]]) -> None:
        """Append a level; partials are kept best first, per level and per end."""
        ends = self.ends
        for node, partials in level.items():
            if len(partials) > 1:
                partials.sort(key=lambda p: -p.product)
            merged = ends.get(node)
            if merged is None:
                ends[node] = list(partials)
            else:
                merged.extend(partials)
                merged.sort(key=lambda p: -p.product)
        self.levels.append(level)


class SearchMemo:
    """What the searches of one ranking may share, round after round: each node's facts
    (kind, name, degrees: what the graph says, the same whoever asks), its metaedges with
    their degree factors."""

    def __init__(self, factors: HopFactors) -> None:
        self.factors = factors
        #: Facts of every node asked about so far (None: not in the graph). Each round asked
        #: the store again for those of its frontier (one question per round and search).
        self._facts: dict[Any, NodeFacts | None] = {}
        self._powers: dict[int, float] = {}
        self._metaedges: dict[Any, tuple[list[tuple[str, str, int, float]], bool]] = {}
        self._without: dict[tuple[Any, tuple[str, str]], list[tuple[str, str, int, float]]] = {}
        #: An end's first level, by (end, other end): the product each kind was kept down
        #: to, its partials by kind (best first), and whether any were left out. Kept per
        #: pair of ends, for the rounds of one search: reused towards another disease it
        #: made some searches differ from the same search alone
        #: (tests/test_bounded_search.py, the lockstep test).
        self.first_levels: dict[tuple[Any, Any], tuple[Callable[[str], float],
                                                        dict[str, list[Partial]], bool]] = {}

    def facts(self, hood: Neighbourhoods, nodes: Collection[Any]) -> dict[Any, NodeFacts]:
        """Facts of those of ``nodes`` the graph holds, asking ``hood`` only for nodes not
        asked about before."""
        known = self._facts
        missing = [n for n in nodes if n not in known]
        if missing:
            found = hood.mechanism_degrees(missing)
            known.update((n, found.get(n)) for n in missing)
        return {n: facts for n in nodes if (facts := known[n]) is not None}

    def degree_factor(self, degree: int) -> float:
        """``degree ** -w``, computed once per degree."""
        known = self._powers.get(degree)
        if known is None:
            known = self._powers[degree] = self.factors.degree_factor(degree)
        return known

    def metaedges(self, node: Any, facts: NodeFacts) -> tuple[list[tuple[str, str, int, float]],
                                                            bool]:
        """The node's (type, neighbour kind, degree, degree factor), and whether any has
        degree 1."""
        known = self._metaedges.get(node)
        if known is None:
            rows = [(t, k, d, self.degree_factor(d)) for (t, k), d in facts.degrees.items()]
            known = self._metaedges[node] = (rows, any(d == 1 for _, _, d, _ in rows))
        return known

    def without_back(self, node: Any, metaedges: list[tuple[str, str, int, float]],
                     back: tuple[str, str]) -> list[tuple[str, str, int, float]]:
        """``metaedges`` (the node's, from :meth:`metaedges`) but the one of degree 1 along
        ``back`` (type, kind): its one neighbour is the node every partial came from."""
        key = (node, back)
        known = self._without.get(key)
        if known is None:
            known = self._without[key] = [m for m in metaedges
                                          if m[2] != 1 or (m[0], m[1]) != back]
        return known


@dataclass(frozen=True, slots=True)
class Rest:
    """Bound on the rest of a path beyond a partial of the other side, from a side's
    deepest level: one hop into it from a node of each kind (``direct``), or more."""

    direct: dict[str, float]
    longer: float

    def of(self, kind: str, *, last: bool) -> float:
        """For a partial ending at a node of ``kind``; ``last``: on its side's last level
        (only one hop can follow)."""
        bound = self.direct.get(kind, 0.0)
        return bound if last else max(bound, self.longer)


@dataclass(frozen=True, slots=True)
class Candidates:
    """What one search at ``tau`` found.

    ``paths``: every path that can score ≥ τ (a superset of those that do), with
    ``bounds[i]`` = ``scale`` × the product of its hops' factors ≥ its score.
    ``pruned``: an upper bound on the score of every path not found (below τ);
    None when nothing was dropped, i.e. every path of ``min_hops``…``max_hops``
    was found. ``fetched``: neighbour rows read.
    """

    paths: tuple[MechanismPath, ...]
    bounds: tuple[float, ...]
    pruned: float | None
    fetched: int


def candidate_paths(hood: Neighbourhoods, source: Any, target: Any, factors: HopFactors, *,
                    tau: float, min_hops: int, max_hops: int, metapath: Metapath | None = None,
                    budget: int | None = None, memo: SearchMemo | None = None) -> Candidates:
    """Every path of ``min_hops``…``max_hops`` hops whose ``scale`` × product can reach ``tau``.

    Parameters
    ----------
    hood : where the graph is read (:class:`~graph.explain.neighbourhood.Neighbourhoods`).
    source, target : the drug and the disease (distinct nodes ``hood`` holds).
    factors : the ranking as hop factors (:func:`~graph.explain.ranking.hop_factors`).
    tau : the score floor; 0 finds every path.
    metapath : only paths along it (``min_hops`` and ``max_hops`` must be its length).
    budget : most partial paths to hold; :class:`SearchBudgetExceeded` beyond it.
    memo : a :class:`SearchMemo` of ``factors`` shared with earlier searches.

    Returns
    -------
    :class:`Candidates`.
    """
    return MeetInTheMiddle(hood, source, target, factors, tau=tau, min_hops=min_hops,
                           max_hops=max_hops, metapath=metapath, budget=budget,
                           memo=memo).run()


#: A group of neighbours to fetch: the request, the group's size (the node's degree for
#: the metaedge: what fetching it costs) and the bound on what it can give.
Fetch = tuple[StepRequest, int, float]
#: Groups to fetch, and the largest bound among the groups left out (None: none left out).
Plan = tuple[list[Fetch], float | None]
#: A joinable end: node, kind, best product, and (type, kind, degree, degree factor) of
#: each metaedge a joining hop may take.
EndRow = tuple[Any, str, float, list[tuple[str, str, int, float]]]


class MeetInTheMiddle:
    """One search at one τ (see the module docstring); :meth:`run` does it."""

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

    def run(self) -> Candidates:
        """Grow the sides (see the module docstring), then join them by single hops."""
        deep, shallow = self._order()
        total = (self.metapath.length if self.metapath is not None else self.max_hops) - 1
        depths = {id(deep): (total + 1) // 2, id(shallow): total // 2}
        self._grow_to(deep, depths[id(deep)], None)
        if self.half > 0:
            self._grow_to(shallow, depths[id(shallow)], self._rest(deep, depths[id(deep)]))
            self._grow_to(deep, depths[id(deep)], self._rest(shallow, depths[id(shallow)]))
        else:
            self._grow_to(shallow, depths[id(shallow)], None)
        self._link()
        paths = [MechanismPath(nodes, types) for nodes, types in self.found]
        return Candidates(paths=tuple(paths), bounds=tuple(self.found.values()),
                          pruned=self.pruned, fetched=self.fetched)

    def _order(self) -> tuple[Side, Side]:
        """(the side to grow deeper, the other): the end with fewer neighbours goes deeper."""
        fan = [sum(s.facts.degrees.values()) for s in self.sides]
        source, target = self.sides
        return (source, target) if fan[0] < fan[1] else (target, source)

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

    # -- growing a side ------------------------------------------------------------------

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
                if partial.nodes[-1] != other:
                    level[partial.nodes[-1]] = [partial]
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

    # -- joining the sides -----------------------------------------------------------------

    def _joinable(self, side: Side) -> dict[Any, list[Partial]]:
        """The partials a joining hop may start or end at: along a metapath the outermost
        level only, else every level."""
        return side.outermost if self.metapath is not None else side.ends

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
            found.append((group, {metaedge: list(nodes) for metaedge, nodes in within.items()}))
        return found

    def _end_table(self, side: Side) -> list[EndRow]:
        """``side``'s joinable ends: node, kind, best product, and each metaedge a hop can
        join it by (not one whose only neighbour is the node every partial there came from)
        with its degree and degree factor."""
        ends = self._joinable(side)
        return self._end_rows(ends, list(ends), self._facts(list(ends)))

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


__all__ = [
    "SLACK",
    "Candidates",
    "MeetInTheMiddle",
    "Partial",
    "Rest",
    "SearchBudgetExceeded",
    "Side",
    "candidate_paths",
]
