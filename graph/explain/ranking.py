"""How the explainer orders the paths it found: the path facts and the rankings on them.

Every path between a drug and a disease is described by :class:`PathFacts`
(its metapath, path-degree product, the stored direction of each hop and its
net polarity; :func:`path_facts`); a *ranking* maps those facts to a score,
higher first, and :func:`rank_paths` orders paths by it.

``dwpc``
    the path-degree product alone (Himmelstein & Baranzini's weighting):
    specific connections beat connections through hubs.
``mechanism`` (the default)
    the path-degree product, multiplied by ``e^-1`` per hop (shorter
    explanations first among equals), by ``e^-1`` for each hop walked
    against the direction its statement is stored in (a curated mechanism
    runs drug → target → biology → disease, so a path that doubles back
    through another drug's target or another disease's gene reads less like
    one) and by a factor for the path's net polarity (coherent paths first,
    incoherent ones last among equals, unknown in between). The factors were
    chosen on the development half of DrugMechDB (docs/benchmarks.md); no
    metapath is named, so nothing here is tied to one source's vocabulary.
``learned``
    the ``mechanism`` ranking's factors times how much the path's steps look
    like curated mechanisms' steps, learned from DrugMechDB
    (:class:`graph.explain.shape.LearnedRanking`).

>>> facts = PathFacts(metapath="CtGaD", length=2, pdp=0.5,
...                   directions=("forward", "reverse"), net=None)
>>> RANKINGS["dwpc"](facts), round(RANKINGS["mechanism"](facts), 4)  # 0.5 e^-2 e^-1 0.5
(0.5, 0.0124)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.errors import InvalidArgument
from graph.explain.dwpc import indexed_path_degree_product
from graph.explain.explanation import DEFAULT_RANKING
from graph.explain.index import GraphIndex
from graph.explain.metagraph import Metapath, mechanism_metapath
from graph.explain.paths import MechanismPath
from graph.explain.polarity import net_effect
from graph.explain.shape import LearnedRanking

#: Price of one hop, and of walking a statement against its stored direction, as
#: additive costs (the best-first search's) — the ranking's factors are ``exp(-cost)``.
#: Chosen on samples of DrugMechDB's development half (docs/benchmarks.md).
PER_HOP_COST = 1.0
AGAINST_COST = 1.0


@dataclass(frozen=True, slots=True)
class PathFacts:
    """What a ranking may look at: a path's metapath, PDP, hop directions and net sign."""

    metapath: str
    length: int
    pdp: float
    directions: tuple[str, ...]
    net: int | None

    @property
    def reverse_hops(self) -> int:
        """Hops walked only against their stored direction."""
        return sum(d == "reverse" for d in self.directions)


PathRanking = Callable[[PathFacts], float]


@dataclass(frozen=True, slots=True)
class MechanismRanking:
    """PDP × ``against ** reverse hops`` × a factor per net polarity × optional metapath prior.

    ``prior`` maps metapath abbreviations to weights (missing ones get
    ``prior_floor``); with no prior every metapath weighs 1.

    >>> rank = MechanismRanking(against=0.5, per_hop=1.0, coherent=1.0, unknown=1.0,
    ...                         incoherent=0.5)
    >>> rank(PathFacts("CtGaD", 2, 1.0, ("forward", "forward"), 1))
    0.5
    """

    against: float = math.exp(-AGAINST_COST)
    per_hop: float = math.exp(-PER_HOP_COST)
    coherent: float = 1.0
    unknown: float = 0.5
    incoherent: float = 0.25
    prior: Mapping[str, float] = field(default_factory=dict)
    prior_floor: float = 1.0

    def __call__(self, facts: PathFacts) -> float:
        polarity = (self.unknown if facts.net is None
                    else self.coherent if facts.net < 0 else self.incoherent)
        weight = self.prior.get(facts.metapath, self.prior_floor) if self.prior else 1.0
        return (facts.pdp * self.against ** facts.reverse_hops * self.per_hop ** facts.length
                * polarity * weight)


def dwpc_ranking(facts: PathFacts) -> float:
    """The path-degree product alone."""
    return facts.pdp


@dataclass(frozen=True, slots=True)
class HopFactors:
    """A ranking read as a product of one factor per hop, times at most ``scale``.

    A hop between nodes of degrees ``D(u)`` and ``D(v)`` (each for the hop's
    metaedge, read from its own side) has factor ``per_hop · (D(u)·D(v))^-damping``,
    times ``against`` when the hop walks its statement only against the stored
    direction. Every factor is at most 1 (``per_hop`` and ``against`` are at most
    1, degrees at least 1), and a path's score is at most ``scale`` times the
    product of its hops' factors (``scale`` covers what is not per hop: the
    polarity factor, a metapath prior). So no path scores more than ``scale``
    times the product over any part of it: what the bounded search
    (:mod:`graph.explain.meet`) prunes by.

    >>> HopFactors(damping=0.5, per_hop=0.5).factor(2, 8, reverse=False)
    0.125
    """

    damping: float
    per_hop: float = 1.0
    against: float = 1.0
    scale: float = 1.0

    def factor(self, degree: int, other_degree: int, *, reverse: bool) -> float:
        """The factor of one hop; ``reverse``: walked only against its stored direction."""
        value = self.per_hop * math.pow(max(degree, 1) * max(other_degree, 1), -self.damping)
        return value * self.against if reverse else value

    def degree_factor(self, degree: int) -> float:
        """``degree ** -damping``: one side's part of a hop's factor, at most 1."""
        return math.pow(max(degree, 1), -self.damping)


def hop_factors(ranker: PathRanking, damping: float) -> HopFactors | None:
    """The ranking as :class:`HopFactors`, or None when it cannot be read so.

    The named rankings can (``dwpc`` exactly; ``mechanism`` with its per-hop and
    direction prices, ``scale`` its largest polarity factor times its largest
    metapath weight; ``learned`` likewise, its shape's probabilities only lowering
    a path's score); a custom callable cannot, and neither can a
    :class:`MechanismRanking` whose per-hop or direction factor exceeds 1.

    >>> hop_factors(RANKINGS["mechanism"], 0.4).scale
    1.0
    >>> hop_factors(lambda facts: facts.pdp, 0.4) is None
    True
    """
    if ranker is dwpc_ranking:
        return HopFactors(damping=damping)
    if isinstance(ranker, LearnedRanking):
        # Every learned factor is a probability (at most 1) to a non-negative power.
        if not (0 < ranker.per_hop <= 1 and 0 < ranker.against <= 1
                and min(ranker.weight, ranker.follows, ranker.length, ranker.sequence) >= 0):
            return None
        return HopFactors(damping=damping, per_hop=ranker.per_hop, against=ranker.against,
                          scale=max(ranker.coherent, ranker.unknown, ranker.incoherent, 0.0))
    if not isinstance(ranker, MechanismRanking):
        return None
    if not (0 < ranker.per_hop <= 1 and 0 < ranker.against <= 1):
        return None
    polarity = max(ranker.coherent, ranker.unknown, ranker.incoherent)
    weight = max([*ranker.prior.values(), ranker.prior_floor]) if ranker.prior else 1.0
    return HopFactors(damping=damping, per_hop=ranker.per_hop, against=ranker.against,
                      scale=max(polarity * weight, 0.0))


#: Rankings by name; ``explain_pair(ranking=...)`` and ``txkg explain --ranking`` take these.
RANKINGS: dict[str, PathRanking] = {
    "mechanism": MechanismRanking(),
    "dwpc": dwpc_ranking,
    "learned": LearnedRanking(),
}


def ranking_named(name: str | PathRanking) -> tuple[str, PathRanking]:
    """A ranking by name (or a callable, called ``custom``).

    >>> ranking_named("dwpc")[0]
    'dwpc'
    >>> ranking_named("best")
    Traceback (most recent call last):
    ...
    graph.errors.InvalidArgument: unknown ranking 'best'; known: dwpc, learned, mechanism
    """
    if callable(name):
        return "custom", name
    found = RANKINGS.get(name)
    if found is None:
        raise InvalidArgument(f"unknown ranking {name!r}; known: {', '.join(sorted(RANKINGS))}")
    return name, found


def path_facts(index: GraphIndex, path: MechanismPath, metapath: Metapath,
               pdp: float) -> PathFacts:
    """What a ranking sees of one path."""
    hops = [index.hop_facts(u, t, v)
            for u, t, v in zip(path.nodes, path.edge_types, path.nodes[1:], strict=False)]
    return PathFacts(metapath=metapath.abbreviation, length=path.length, pdp=pdp,
                     directions=tuple(d for d, _ in hops), net=net_effect(s for _, s in hops))


#: A path ranked: the path, its metapath, its facts and its score.
ScoredPath = tuple[MechanismPath, Metapath, PathFacts, float]


def rank_paths(index: GraphIndex, found: Iterable[MechanismPath], *, damping: float,
               ranker: PathRanking) -> list[ScoredPath]:
    """Paths with their metapath, facts and score, best first (ties: PDP, metapath, ids).

    >>> import networkx as nx
    >>> from graph.explain.paths import mechanism_paths
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene"}),
    ...                   ("h", {"kind": "Gene"}), ("d", {"kind": "Disease"})])
    >>> for u, t, v in [("c", "TARGETS", "g"), ("g", "ASSOCIATED_WITH", "d"),
    ...                 ("c", "TARGETS", "h"), ("d", "ASSOCIATED_WITH", "h")]:
    ...     _ = G.add_edge(u, v, key=t, type=t)
    >>> ranked = rank_paths(GraphIndex(G), mechanism_paths(G, "c", "d"), damping=0.4,
    ...                     ranker=RANKINGS["mechanism"])
    >>> [(path.nodes, facts.directions) for path, _, facts, _ in ranked]
    [(('c', 'g', 'd'), ('forward', 'forward')), (('c', 'h', 'd'), ('forward', 'reverse'))]
    """
    kinds = index.kind
    scored: list[ScoredPath] = []
    for path in found:
        metapath = mechanism_metapath([kinds(n) for n in path.nodes], path.edge_types)
        facts = path_facts(index, path, metapath,
                           indexed_path_degree_product(index, path, damping))
        scored.append((path, metapath, facts, float(ranker(facts))))
    scored.sort(key=_best_first)
    return scored


def _best_first(item: ScoredPath) -> tuple[Any, ...]:
    path, metapath, facts, score = item
    return (-score, -facts.pdp, metapath.abbreviation, tuple(map(str, path.nodes)))


__all__ = [
    "AGAINST_COST",
    "DEFAULT_RANKING",
    "PER_HOP_COST",
    "RANKINGS",
    "HopFactors",
    "MechanismRanking",
    "PathFacts",
    "PathRanking",
    "ScoredPath",
    "dwpc_ranking",
    "hop_factors",
    "path_facts",
    "rank_paths",
    "ranking_named",
]
