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

The search is :class:`MeetInTheMiddle`, in four modules beside this one:
:mod:`~graph.explain.meet_levels` (partial paths, a side's levels of them, the memo,
the result), :mod:`~graph.explain.meet_state` (one search's inputs and tallies, and
the lookups both phases share), :mod:`~graph.explain.meet_grow` (growing a side) and
:mod:`~graph.explain.meet_join` (joining the sides). This module runs the phases in
order and re-exports the pieces a caller uses.

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

from typing import Any

from graph.explain.meet_grow import SideGrowth
from graph.explain.meet_join import SideJoin
from graph.explain.meet_levels import (
    SLACK,
    Candidates,
    Partial,
    Rest,
    SearchBudgetExceeded,
    SearchMemo,
    Side,
)
from graph.explain.metagraph import Metapath
from graph.explain.neighbourhood import Neighbourhoods
from graph.explain.paths import MechanismPath
from graph.explain.ranking import HopFactors


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


class MeetInTheMiddle(SideGrowth, SideJoin):
    """One search at one τ (see the module docstring); :meth:`run` does it.

    Its state is :class:`~graph.explain.meet_state.SearchState`; its phases are
    :class:`~graph.explain.meet_grow.SideGrowth` and :class:`~graph.explain.meet_join.SideJoin`.
    """

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


__all__ = [
    "SLACK",
    "Candidates",
    "MeetInTheMiddle",
    "Partial",
    "Rest",
    "SearchBudgetExceeded",
    "SearchMemo",
    "Side",
    "candidate_paths",
]
