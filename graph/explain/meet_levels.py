"""The pieces of a meet-in-the-middle search (:mod:`graph.explain.meet`), and what it returns.

A :class:`Partial` is a path grown from one end; a :class:`Side` holds one end's
partials, level by level (level k: k hops) and by the node they end at. A
:class:`SearchMemo` keeps what the searches of one ranking may share (each node's
metaedges with their degree factors, an end's first level); a :class:`Rest` bounds
what the other side can add to a partial. :class:`Candidates` is what one search
found.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from graph.errors import TxkgError
from graph.explain.explanation import Direction
from graph.explain.neighbourhood import Neighbourhoods, NodeFacts, Step, StepRequest
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
    their degree factors, and how each hop ranked is stored (its direction and sign:
    :meth:`GraphIndex.hop_facts <graph.explain.index.GraphIndex.hop_facts>`)."""

    def __init__(self, factors: HopFactors) -> None:
        self.factors = factors
        self.hops: dict[tuple[Any, str, Any], tuple[Direction, int | None]] = {}
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



#: A group of neighbours to fetch: the request, the group's size (the node's degree for
#: the metaedge: what fetching it costs) and the bound on what it can give.
Fetch = tuple[StepRequest, int, float]
#: Groups to fetch, and the largest bound among the groups left out (None: none left out).
Plan = tuple[list[Fetch], float | None]
#: A joinable end: node, kind, best product, and (type, kind, degree, degree factor) of
#: each metaedge a joining hop may take.
EndRow = tuple[Any, str, float, list[tuple[str, str, int, float]]]

