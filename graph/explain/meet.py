"""Every path that can score at least τ, found from both ends at once (meet in the middle).

A ranking read as :class:`~graph.explain.ranking.HopFactors` gives each hop a
factor of at most 1, and a path's score is at most ``scale`` times the product
of its hops' factors. So a path scoring at least τ has ``scale`` × (product of
any part of it) ≥ τ: no part of it can be dropped by a test of that form. The
search grows *partial paths* from the drug (the source side) and from the
disease (the target side), a level (one hop) at a time on the side that is
cheaper to grow, and keeps a partial only while ``scale × its product × rest``
can reach τ, where ``rest`` bounds what the rest of the path can still
contribute, read from the other side as grown so far:

* 1 if the partial has reached the other end;
* the best partial of the other side ending at the same node (the path may meet
  the other side there);
* otherwise at least one more hop (a factor ≤ ``per_hop``) into the other
  side's outermost level: ``per_hop`` × the best partial there (or, before the
  other side has grown, ``per_hop`` × the other end's smallest degree ^ -w).

Every part of a path scoring ≥ τ passes these tests, whichever side grew
first, so it is never dropped. Groups of neighbours are dropped before they are
fetched: a hop out of ``u`` over metaedge ``(T, K)`` has factor at most
``per_hop · D(u, T, K)^-w`` (the neighbour's own degree is at least 1), known
from the degree tables; and a neighbour whose own degree makes the factor too
small is not fetched either (:attr:`StepRequest.max_degree`).

Paths are assembled where the two sides meet: a partial that reaches the other
end; two partials ending at the same node; or, for the longest paths, one hop
joining the outermost levels of the two sides (fetched with
``within`` = the other side's outermost nodes). Levels of the two sides add up
to ``max_hops - 1``, so every length is covered. What comes out is a superset of
the paths scoring ≥ τ (each with ``scale × product ≥ τ``); the caller ranks
them exactly and keeps those scoring ≥ τ.

Along a metapath (``metapath=``), each level may only use the metaedge the
metapath has there; with τ = 0 nothing is dropped and every path along it is found.

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

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.errors import TxkgError
from graph.explain.metagraph import Metapath
from graph.explain.neighbourhood import Neighbourhoods, NodeFacts, Step, StepRequest
from graph.explain.paths import MechanismPath
from graph.explain.ranking import HopFactors

#: Relative slack on every "can it still reach τ" test, so that rounding in a
#: product never drops a path whose exact score is τ.
SLACK = 1e-9


class SearchBudgetExceeded(TxkgError):
    """The search at this τ would hold more partial paths than its budget allows."""


@dataclass(frozen=True, slots=True)
class Partial:
    """A path grown from one end: its nodes from that end outward, its edge types,
    and the product of its hops' factors."""

    nodes: tuple[Any, ...]
    types: tuple[str, ...]
    product: float


@dataclass(slots=True)
class Side:
    """One end's partial paths, level by level (level k: k hops), by the node they end at.

    ``source``: whether this is the drug's side (it walks hops in path order).
    ``best_at`` and ``best_of_kind``: the best product of a partial of level ≥ 1
    ending at a node, at a node of a kind.
    """

    end: Any
    facts: NodeFacts
    source: bool
    levels: list[dict[Any, list[Partial]]] = field(default_factory=list)
    best: list[float] = field(default_factory=list)
    best_at: dict[Any, float] = field(default_factory=dict)
    best_of_kind: dict[str, float] = field(default_factory=dict)
    kinds: dict[Any, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.levels = [{self.end: [Partial((self.end,), (), 1.0)]}]
        self.best = [1.0]
        self.kinds = {self.end: self.facts.kind}

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

    def add_level(self, level: dict[Any, list[Partial]]) -> None:
        """Append a level (partials sorted best first here) and update the maxima."""
        best = 0.0
        for node, partials in level.items():
            partials.sort(key=lambda p: -p.product)
            top = partials[0].product
            best = max(best, top)
            if top > self.best_at.get(node, 0.0):
                self.best_at[node] = top
            kind = self.kinds[node]
            if top > self.best_of_kind.get(kind, 0.0):
                self.best_of_kind[kind] = top
        self.levels.append(level)
        self.best.append(best)


@dataclass(frozen=True, slots=True)
class Candidates:
    """What one search at ``tau`` found.

    ``paths``: every path that can score ≥ τ (a superset of those that do), with
    ``bounds[i]`` = ``scale`` × the product of its hops' factors ≥ its score.
    ``pruned``: the largest such upper bound among everything dropped (no path
    that was not found scores more); None when nothing was dropped, i.e. every
    path of ``min_hops``…``max_hops`` was found. ``fetched``: steps read.
    """

    paths: tuple[MechanismPath, ...]
    bounds: tuple[float, ...]
    pruned: float | None
    fetched: int


def candidate_paths(hood: Neighbourhoods, source: Any, target: Any, factors: HopFactors, *,
                    tau: float, min_hops: int, max_hops: int, metapath: Metapath | None = None,
                    budget: int | None = None) -> Candidates:
    """Every path of ``min_hops``…``max_hops`` hops whose ``scale`` × product can reach ``tau``.

    Parameters
    ----------
    hood : where the graph is read (:class:`~graph.explain.neighbourhood.Neighbourhoods`).
    source, target : the drug and the disease (distinct nodes ``hood`` holds).
    factors : the ranking as hop factors (:func:`~graph.explain.ranking.hop_factors`).
    tau : the score floor; 0 finds every path.
    metapath : only paths along it (``min_hops`` and ``max_hops`` must be its length).
    budget : most partial paths to hold; :class:`SearchBudgetExceeded` beyond it.

    Returns
    -------
    :class:`Candidates`.
    """
    return MeetInTheMiddle(hood, source, target, factors, tau=tau, min_hops=min_hops,
                           max_hops=max_hops, metapath=metapath, budget=budget).run()


#: A group of neighbours to fetch: the request, the group's size (the node's degree for
#: the metaedge: what fetching it costs) and the bound on paths through it.
Fetch = tuple[StepRequest, int, float]
#: Groups to fetch, and the largest bound among the groups left out (None: none left out).
Plan = tuple[list[Fetch], float | None]


class MeetInTheMiddle:
    """One search at one τ (see the module docstring); :meth:`run` does it."""

    def __init__(self, hood: Neighbourhoods, source: Any, target: Any, factors: HopFactors,
                 *, tau: float, min_hops: int, max_hops: int, metapath: Metapath | None,
                 budget: int | None) -> None:
        self.hood, self.factors, self.metapath = hood, factors, metapath
        self.tau = tau * (1 - SLACK)
        self.min_hops, self.max_hops, self.budget = min_hops, max_hops, budget
        facts = hood.mechanism_degrees([source, target])
        self.sides = (Side(source, facts[source], True), Side(target, facts[target], False))
        self.found: dict[tuple[tuple[Any, ...], tuple[str, ...]], float] = {}
        self.pruned: float | None = None
        self.held = 0
        self.fetched = 0

    def run(self) -> Candidates:
        """Grow the cheaper side until the levels add up to ``max_hops - 1``; join; link."""
        while sum(s.depth for s in self.sides) < self.max_hops - 1:
            if any(side.depth > 0 and not side.outermost for side in self.sides):
                break  # every path longer than those found would pass through nothing
            plans = [(sum(f[1] for f in plan[0]), i, plan) for i, side in enumerate(self.sides)
                     for plan in [self._plan(side, self._rest_of_kind(self._other(side)))]]
            _, i, plan = min(plans, key=lambda p: (p[0], p[1]))
            self._grow(self.sides[i], plan)
        self._join()
        if sum(s.depth for s in self.sides) == self.max_hops - 1:
            self._link()
        paths = [MechanismPath(nodes, types) for nodes, types in self.found]
        return Candidates(paths=tuple(paths), bounds=tuple(self.found.values()),
                          pruned=self.pruned, fetched=self.fetched)

    def _other(self, side: Side) -> Side:
        return self.sides[1] if side is self.sides[0] else self.sides[0]

    def _drop(self, bound: float | None) -> None:
        """Note that something whose paths score at most ``bound`` was dropped."""
        if bound is not None and (self.pruned is None or bound > self.pruned):
            self.pruned = bound

    def _hold(self, count: int) -> None:
        self.held += count
        if self.budget is not None and self.held > self.budget:
            raise SearchBudgetExceeded(
                f"more than {self.budget:,} partial paths at score floor {self.tau:.3g}")

    # -- bounds ------------------------------------------------------------------------

    def _entry(self, side: Side) -> float:
        """Bound on a hop into ``side``'s outermost level times the partial there."""
        if side.depth == 0:
            smallest = min(side.facts.degrees.values(), default=1)
            return self.factors.per_hop * self.factors.degree_factor(smallest)
        return self.factors.per_hop * side.best[-1]

    def _rest(self, other: Side, node: Any) -> float:
        """Bound on what the rest of a path through ``node`` adds, read from ``other``."""
        if node == other.end:
            return 1.0
        return max(other.best_at.get(node, 0.0), self._entry(other))

    def _rest_of_kind(self, other: Side) -> Callable[[str, str, str], float]:
        """:meth:`_rest` for a node not known yet, by its kind (a kind ``other`` has not
        reached: the entry bound alone)."""
        entry = self._entry(other)
        rest = {kind: max(best, entry) for kind, best in other.best_of_kind.items()}
        rest[other.facts.kind] = 1.0
        return lambda edge_type, kind, node_kind: rest.get(kind, entry)

    def _link_rest(self, far: Side) -> Callable[[str, str, str], float | None]:
        """Bound on a link hop's far half and the far partial: for far nodes ``y`` of a
        kind, the best ``product(y) · D(y, type, near kind)^-w``."""
        facts = self.hood.mechanism_degrees(list(far.outermost))
        best: dict[tuple[str, str, str], float] = {}
        for node, partials in far.outermost.items():
            top = partials[0].product
            kind = facts[node].kind
            for (edge_type, near_kind), degree in facts[node].degrees.items():
                key = (edge_type, kind, near_kind)
                value = top * self.factors.degree_factor(degree)
                if value > best.get(key, 0.0):
                    best[key] = value
        return lambda edge_type, kind, node_kind: best.get((edge_type, kind, node_kind))

    def _degree_cap(self, reach: float) -> int | None:
        """Largest neighbour degree ``D`` with ``reach · D^-w`` ≥ τ (None: no limit)."""
        w = self.factors.damping
        if w <= 0 or self.tau <= 0:
            return None
        cap = (reach / self.tau) ** (1 / w)
        return None if cap >= 2**62 else math.floor(cap * (1 + SLACK))

    # -- growing a side ------------------------------------------------------------------

    def _allowed(self, side: Side) -> tuple[str, str] | None:
        """The metaedge (type, neighbour kind) the next hop out of ``side`` must use."""
        if self.metapath is None:
            return None
        edges = self.metapath.edges
        if side.source:
            return edges[side.depth].edge_type, edges[side.depth].target_kind
        edge = edges[len(edges) - 1 - side.depth]
        return edge.edge_type, edge.source_kind

    def _plan(self, side: Side, rest: Callable[[str, str, str], float | None], *,
              link: bool = False) -> Plan:
        """The groups of neighbours of ``side``'s outermost nodes worth fetching.

        ``rest(edge type, neighbour kind, node kind)``: bound on the rest of a path
        after a hop of that type into a node of that kind (None: not wanted). For
        the ``link``, neighbours are not limited by degree (``rest`` already
        includes the far node's degree, and the link is fetched within the other
        side's nodes).
        """
        level = side.outermost
        facts = self.hood.mechanism_degrees(list(level))
        allowed = self._allowed(side)
        scale_hop = self.factors.scale * self.factors.per_hop
        requests, dropped = [], None
        for node, partials in level.items():
            best = scale_hop * partials[0].product
            node_kind = facts[node].kind
            for (edge_type, kind), degree in facts[node].degrees.items():
                if allowed is not None and (edge_type, kind) != allowed:
                    continue
                bound = rest(edge_type, kind, node_kind)
                if bound is None:
                    continue
                reach = best * self.factors.degree_factor(degree) * bound
                if reach < self.tau:
                    dropped = reach if dropped is None else max(dropped, reach)
                    continue
                cap = None if link else self._degree_cap(reach)
                requests.append((StepRequest(node, edge_type, kind, cap), degree, reach))
        return requests, dropped

    def _grow(self, side: Side, plan: Plan) -> None:
        """Add a level to ``side``: every step of ``plan`` that keeps a partial able to
        reach τ; partials that reach the other end become candidates."""
        requests, dropped = plan
        self._drop(dropped)
        other = self._other(side)
        steps = self._fetch(requests, None)
        degree = {(r.node, r.edge_type, r.other_kind): d for r, d, _ in requests}
        ends, scale = side.outermost, self.factors.scale
        level: dict[Any, list[Partial]] = {}
        for step in steps:
            side.kinds.setdefault(step.other, step.other_kind)
            factor = self.factors.factor(degree[(step.node, step.edge_type, step.other_kind)],
                                         step.other_degree, reverse=side.reverse(step))
            rest = self._rest(other, step.other)
            for partial in ends[step.node]:
                product = partial.product * factor
                if scale * product * rest < self.tau:
                    self._drop(scale * product * rest)
                    break  # partials are best first: the others reach less
                if step.other == other.end:
                    self._complete(partial, step.edge_type, step.other, product, side.source)
                elif step.other not in partial.nodes:
                    level.setdefault(step.other, []).append(Partial(
                        (*partial.nodes, step.other), (*partial.types, step.edge_type),
                        product))
        self._hold(sum(len(p) for p in level.values()))
        side.add_level(level)

    def _fetch(self, requests: Sequence[Fetch], within: list[Any] | None) -> list[Step]:
        """The steps asked for; a group the degree limit cut short counts as dropped
        (its neighbours left out have degree above the limit, so they reach less)."""
        if not requests:
            return []
        steps = self.hood.mechanism_steps([r for r, _, _ in requests], within=within)
        self.fetched += len(steps)
        count: dict[tuple[Any, str, str], int] = {}
        for step in steps:
            key = (step.node, step.edge_type, step.other_kind)
            count[key] = count.get(key, 0) + 1
        for request, degree, reach in requests:
            cap = request.max_degree
            if cap is not None and count.get((request.node, request.edge_type,
                                              request.other_kind), 0) < degree:
                self._drop(reach * self.factors.degree_factor(cap + 1))
        return steps

    def _complete(self, partial: Partial, edge_type: str, end: Any, product: float,
                  source_side: bool) -> None:
        """A partial that stepped onto the other end: a whole path."""
        if self.min_hops <= len(partial.types) + 1 <= self.max_hops:
            nodes, types = (*partial.nodes, end), (*partial.types, edge_type)
            if not source_side:
                nodes, types = nodes[::-1], types[::-1]
            self._found(nodes, types, product)

    def _found(self, nodes: tuple[Any, ...], types: tuple[str, ...], product: float) -> None:
        bound = self.factors.scale * product
        if bound < self.tau:
            self._drop(bound)
        else:
            self.found[(nodes, types)] = bound

    # -- where the sides meet ------------------------------------------------------------

    def _join(self) -> None:
        """Paths whose two sides end at the same node (up to ``max_hops - 1`` hops)."""
        source, target = self.sides
        for i, level in enumerate(source.levels[1:], 1):
            for j, other in enumerate(target.levels[1:], 1):
                if self.min_hops <= i + j <= self.max_hops:
                    for node in level.keys() & other.keys():
                        self._pair(level[node], other[node], 1.0, None)

    def _link(self) -> None:
        """Paths of ``max_hops`` hops: one hop joins the two sides' outermost levels,
        fetched from the side where that is cheaper, within the other's outermost nodes."""
        if any(s.depth > 0 and not s.outermost for s in self.sides):
            return
        plans = []
        for i, side in enumerate(self.sides):
            plan = self._plan(side, self._link_rest(self._other(side)), link=True)
            plans.append((sum(f[1] for f in plan[0]), i, plan))
        _, i, (requests, dropped) = min(plans, key=lambda p: (p[0], p[1]))
        self._drop(dropped)
        side = self.sides[i]
        far = self._other(side).outermost
        steps = self._fetch(requests, list(far))
        degree = {(r.node, r.edge_type, r.other_kind): d for r, d, _ in requests}
        for step in steps:
            factor = self.factors.factor(degree[(step.node, step.edge_type, step.other_kind)],
                                         step.other_degree, reverse=side.reverse(step))
            near, away = side.outermost[step.node], far[step.other]
            self._pair(*((near, away) if side.source else (away, near)), factor,
                       step.edge_type)

    def _pair(self, outward: Sequence[Partial], inward: Sequence[Partial], factor: float,
              edge_type: str | None) -> None:
        """Every disjoint pair of a source-side and a target-side partial that can reach τ.

        ``edge_type`` None: both end at the same node; else a hop of that type and of
        ``factor`` joins their ends.
        """
        scale, tau = self.factors.scale, self.tau
        for left in outward:
            if scale * left.product * factor * inward[0].product < tau:
                self._drop(scale * left.product * factor * inward[0].product)
                break
            head = set(left.nodes if edge_type else left.nodes[:-1])
            for right in inward:
                product = left.product * factor * right.product
                if scale * product < tau:
                    self._drop(scale * product)
                    break
                tail = right.nodes[::-1] if edge_type else right.nodes[-2::-1]
                if not head.isdisjoint(tail):
                    continue
                self._hold(1)
                middle = (edge_type,) if edge_type else ()
                self._found((*left.nodes, *tail), (*left.types, *middle, *right.types[::-1]),
                            product)


__all__ = [
    "SLACK",
    "Candidates",
    "MeetInTheMiddle",
    "Partial",
    "SearchBudgetExceeded",
    "Side",
    "candidate_paths",
]
