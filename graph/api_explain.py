"""The bounded searches behind :meth:`graph.api.KnowledgeGraph.explain_drug`.

A drug's predicted indications are explained each on its own: the answer for
one pair never depends on the others. Two things make many of them cheaper
than one at a time:

* **Shared reads.** The searches read the store through one
  :class:`~graph.explain.neighbourhood.CachedNeighbourhoods` and one
  :class:`~graph.explain.bounded.SearchMemos`: the drug's side, and nodes that
  several diseases share, are read once.
* **Side by side or one after another.** On a server (``store.remote``) each
  question is a round trip, so the searches run in lockstep and ask one merged
  question per step (:func:`~graph.explain.lockstep.in_lockstep`). An embedded
  store answers a search's own questions faster than merged ones (a merged
  question carries every search's allowed sets), so there they run one after
  the other.
* **Processes.** ``jobs`` > 1 deals the pairs out to forked workers
  (:mod:`graph.forked`), each with its own connection to the store
  (:meth:`~graph.store.base.GraphStore.reopen`): on a server each worker's share is
  dealt out beforehand, the shares about as heavy as each other by an estimate of each
  search's cost (its searches run in lockstep), on an embedded store each worker
  takes the next disease when it is free (their costs differ tenfold).

Each explanation is byte for byte the one ``explain DRUG DISEASE`` gives.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from graph.explain.explanation import Explanation
from graph.explain.neighbourhood import CachedNeighbourhoods, Neighbourhoods
from graph.forked import Turns, can_fork, deal, run_forked
from graph.model import Node
from graph.store import GraphStore


def explain_bounded(store: GraphStore, drug: Node, diseases: Sequence[Node],
                    settings: dict[str, Any], *, jobs: int = 1,
                    tick: Callable[[], None] = lambda: None) -> list[Explanation]:
    """Each disease's explanation, in order, with ``jobs`` processes at most."""
    hands = min(jobs, len(diseases)) if can_fork() else 1
    if hands <= 1:
        return explain_share(store, drug, diseases, settings, tick)
    if store.remote:  # lockstep: each worker's share is fixed beforehand, by expected cost
        dealt = deal(range(len(diseases)), hands, _expected_costs(store, diseases))
        works = [functools.partial(_dealt_in_worker, store, drug, diseases, hand, settings)
                 for hand in dealt]
    else:  # one after another: each worker takes the next disease when it is free
        turns = Turns()
        works = [functools.partial(_taken_in_worker, store, drug, diseases, turns, settings)
                 for _ in range(hands)]
    found = dict(pair for share in run_forked(works, on_tick=tick) for pair in share)
    return [found[i] for i in range(len(diseases))]


def _expected_costs(store: GraphStore, diseases: Sequence[Node]) -> list[float]:
    """What each disease's search is expected to cost, to deal them out evenly: the number
    of mechanism metaedges it has (the ways a search can leave it). Measured on five drugs'
    50 predictions on the PrimeKG-size store (docs/benchmarks.md): it correlates 0.68–0.81
    with a pair's CPU, and dealing by it left the heavier of two shares 1–19 % lighter than
    dealing round-robin."""
    facts = store.mechanism_degrees([disease.id for disease in diseases])
    return [float(len(facts[d.id].degrees)) if d.id in facts else 0.0 for d in diseases]


def explain_share(store: GraphStore, drug: Node, diseases: Sequence[Node],
                  settings: dict[str, Any], tick: Callable[[], None]) -> list[Explanation]:
    """The explanations of these pairs, sharing the store's answers (see above)."""
    from graph.explain.bounded import SearchMemos  # the explainer, imported when used
    from graph.explain.lockstep import in_lockstep

    memos, hood = SearchMemos(), CachedNeighbourhoods(store)
    if store.remote:
        return in_lockstep(hood, [functools.partial(search_pair, drug, disease, settings, memos)
                                  for disease in diseases],
                           on_progress=lambda done, total: tick())
    return [e for _, e in _one_after_another(hood, memos, drug, enumerate(diseases),
                                             settings, tick)]


def search_pair(drug: Node, disease: Node, settings: dict[str, Any], memos: Any,
                hood: Neighbourhoods) -> Explanation:
    """One pair's bounded search with ``settings`` (the keyword arguments of
    :func:`~graph.explain.explainer.explain_from` but ``memos``)."""
    from graph.explain.explainer import explain_from

    return explain_from(hood, drug.id, disease.id, max_hops=settings["max_hops"],
                        min_hops=settings["min_hops"], damping=settings["damping"],
                        top=settings["top"], metapaths=settings["metapaths"] or None,
                        ranking=settings["ranking"], memos=memos)


def _dealt_in_worker(store: GraphStore, drug: Node, diseases: Sequence[Node],
                     hand: Sequence[int], settings: dict[str, Any],
                     tick: Callable[[], None]) -> list[tuple[int, Explanation]]:
    """:func:`explain_share` of the diseases of ``hand``, on the worker's own connection."""
    with store.reopen() as own:
        found = explain_share(own, drug, [diseases[i] for i in hand], settings, tick)
    return list(zip(hand, found, strict=True))


def _taken_in_worker(store: GraphStore, drug: Node, diseases: Sequence[Node], turns: Turns,
                     settings: dict[str, Any],
                     tick: Callable[[], None]) -> list[tuple[int, Explanation]]:
    """The diseases this worker takes its turn at, one after another, on its own connection
    (sharing reads as :func:`explain_share` does)."""
    from graph.explain.bounded import SearchMemos  # the explainer, imported when used

    def taken() -> Iterator[tuple[int, Node]]:
        while (i := turns.take()) < len(diseases):
            yield i, diseases[i]

    with store.reopen() as own:
        return _one_after_another(CachedNeighbourhoods(own), SearchMemos(), drug, taken(),
                                  settings, tick)


def _one_after_another(hood: Neighbourhoods, memos: Any, drug: Node,
                       diseases: Iterable[tuple[int, Node]], settings: dict[str, Any],
                       tick: Callable[[], None]) -> list[tuple[int, Explanation]]:
    """Each ``(i, disease)``'s explanation, searched in turn over the shared ``hood``."""
    found = []
    for i, disease in diseases:
        found.append((i, search_pair(drug, disease, settings, memos, hood)))
        tick()
    return found


__all__ = ["explain_bounded", "explain_share", "search_pair"]
