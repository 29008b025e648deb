"""Many searches reading one graph in lockstep: one store question per step for all of them.

Explaining every prediction of a drug runs one bounded search per disease, each a
few rounds of a few questions (degrees of a frontier, its neighbours, the joining
hops in tiers, the statements of the paths found). Asked one search after another,
the store answers diseases × rounds × steps questions — on a server, each a round
trip and a query plan. :func:`in_lockstep` runs the searches side by side instead,
each in its own thread over a :class:`Neighbourhoods` that does not answer at once:
when every search still running is waiting for an answer, the questions of all of
them are merged into one question of each sort, asked once, and each search gets
exactly the answer it would have got on its own:

* degrees: of the union of the nodes asked for;
* neighbours without an allowed set: the union of the requests (a group asked for
  with different degree limits once, with the largest), each search given the steps
  of its own requests within its own limits;
* neighbours with allowed sets: every search's requests, each search's with its own
  sets (a request's ``group``), each search given the steps of its own requests;
* statements of hops: of the union of the hops, each search given the graph on the
  nodes of its own hops (as :class:`CachedNeighbourhoods` gives).

So the number of questions grows with the longest search, not with their number,
and each search finds what it finds alone (the answers are the same; only what else
was fetched alongside differs). The threads take turns (one holds the interpreter
at a time, and only the thread that called :func:`in_lockstep` talks to the graph;
after each merged question the searches go on one after another, in order, so a
run is the same every time): the point is fewer, larger questions, not parallel work.

>>> from graph.explain.neighbourhood import GraphNeighbourhoods
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene"})])
>>> _ = G.add_edge("c", "g", key="TARGETS", type="TARGETS")
>>> ask = lambda node: lambda hood: len(hood.mechanism_steps(
...     [StepRequest(node, "TARGETS", "Gene" if node == "c" else "Drug")]))
>>> in_lockstep(GraphNeighbourhoods(G), [ask("c"), ask("g")])
[1, 1]
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import networkx as nx

from graph.explain.neighbourhood import (
    HopKey,
    Neighbourhoods,
    NodeFacts,
    Step,
    StepRequest,
    Within,
    allowed_steps,
    steps_by_request,
)

T = TypeVar("T")
#: A search: given where to read the graph, what it finds.
Search = Callable[[Neighbourhoods], T]


@dataclass(slots=True)
class _Question:
    """One search's pending question: its sort, its arguments, and (once asked) the answer."""

    sort: str
    args: tuple[Any, ...]
    answer: Any = None


@dataclass(slots=True)
class _Turn(Generic[T]):
    """One search's side of the hand-off with the asking thread.

    Two semaphores pass the turn back and forth, so that exactly one of the two runs:
    the search releases ``settled`` when it has put a ``question`` or ended, and waits on
    ``go`` for the answer; the asking thread releases ``go`` and waits on ``settled``.
    (One condition shared by all the searches woke every search at each hand-off, each to
    find it was not its turn: with 50 searches that was a quarter of the run's CPU.)
    """

    go: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(0))
    settled: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(0))
    question: _Question | None = None
    value: T | None = None
    error: BaseException | None = None
    done: bool = False


class _Waiting:
    """The :class:`Neighbourhoods` one search reads: each question waits for the turn."""

    def __init__(self, turn: _Turn[Any]) -> None:
        self.turn = turn

    def _ask(self, sort: str, *args: Any) -> Any:
        turn, question = self.turn, _Question(sort, args)
        turn.question = question
        turn.settled.release()
        turn.go.acquire()
        return question.answer

    def mechanism_degrees(self, node_ids: Collection[Any]) -> dict[Any, NodeFacts]:
        return self._ask("degrees", tuple(node_ids))  # type: ignore[no-any-return]

    def mechanism_steps(self, requests: Sequence[StepRequest], *,
                        within: Within | None = None) -> list[Step]:
        return self._ask("steps", tuple(requests), within)  # type: ignore[no-any-return]

    def mechanism_path_graph(self, hops: Collection[HopKey]) -> nx.MultiDiGraph[Any]:
        return self._ask("hops", tuple(hops))  # type: ignore[no-any-return]


def in_lockstep(hood: Neighbourhoods, searches: Sequence[Search[T]], *,
                on_progress: Callable[[int, int], None] | None = None) -> list[T]:
    """Each search's result, in order, the searches run side by side over ``hood`` (see
    the module docstring). The first search to raise (in order) raises here, once all
    have ended. ``on_progress(ended, total)`` is called (in this thread) as each ends."""
    turns: list[_Turn[T]] = [_Turn() for _ in searches]
    ended = 0

    def settle(turn: _Turn[T]) -> None:
        """Let the search run until it asks its next question or ends."""
        nonlocal ended
        turn.settled.acquire()
        if turn.done:
            ended += 1
            if on_progress is not None:
                on_progress(ended, len(searches))

    for i, (search, turn) in enumerate(zip(searches, turns, strict=True)):
        threading.Thread(target=_run, args=(search, turn), name=f"txkg-lockstep-{i}",
                         daemon=True).start()
        settle(turn)
    while True:  # the searches still running, in order: the same run every time
        waiting = [turn for turn in turns if not turn.done]
        if not waiting:
            break
        answers = _answer_all(hood, [turn.question for turn in waiting])  # type: ignore[misc]
        for turn, answer in zip(waiting, answers, strict=True):
            question, turn.question = turn.question, None
            question.answer = answer  # type: ignore[union-attr]
            turn.go.release()  # one search at a time, in order
            settle(turn)
    for turn in turns:
        if turn.error is not None:
            raise turn.error
    return [turn.value for turn in turns]  # type: ignore[misc]


def _run(search: Search[T], turn: _Turn[T]) -> None:
    try:
        turn.value = search(_Waiting(turn))
    except BaseException as error:  # handed to the asking thread, raised there
        turn.error = error
    finally:
        turn.done = True
        turn.settled.release()


def _answer_all(hood: Neighbourhoods, asked: list[_Question]) -> list[Any]:
    """The answers to these questions, one merged question of each sort (and of each
    sort of neighbour question: with and without allowed sets)."""
    answers: list[Any] = [None] * len(asked)
    groups: dict[tuple[str, bool], list[int]] = {}
    for i, question in enumerate(asked):
        within = question.sort == "steps" and question.args[1] is not None
        groups.setdefault((question.sort, within), []).append(i)
    for (sort, _), members in groups.items():
        batch = [asked[i].args for i in members]
        found: list[Any]
        if sort == "degrees":
            found = _degrees(hood, batch)
        elif sort == "steps":
            found = _steps(hood, batch)
        else:
            found = _hops(hood, batch)
        for i, answer in zip(members, found, strict=True):
            answers[i] = answer
    return answers


def _degrees(hood: Neighbourhoods, batch: list[tuple[Any, ...]]) -> list[dict[Any, NodeFacts]]:
    facts = hood.mechanism_degrees(list(dict.fromkeys(n for (nodes,) in batch for n in nodes)))
    return [{n: facts[n] for n in nodes if n in facts} for (nodes,) in batch]


def _steps(hood: Neighbourhoods, batch: list[tuple[Any, ...]]) -> list[list[Step]]:
    """Each question's steps, from one question: without allowed sets, the union of the
    requests (a group asked for with the largest of its degree limits); with them, each
    question's requests and sets as a group of their own (:func:`within_key`)."""
    if batch[0][1] is None:
        merged: dict[tuple[Any, str, str], int | None] = {}
        for requests, _ in batch:
            for r in requests:
                key = (r.node, r.edge_type, r.other_kind)
                known = merged.get(key, r.max_degree)
                merged[key] = None if known is None or r.max_degree is None else max(
                    known, r.max_degree)
        steps = hood.mechanism_steps([StepRequest(*key, cap) for key, cap in merged.items()])
    else:
        grouped: list[StepRequest] = []
        within: dict[tuple[Any, ...], Collection[Any]] = {}
        groups: dict[tuple[int, int], int] = {}  # (question, its own group) -> merged group
        for number, (requests, allowed) in enumerate(batch):
            for r in requests:
                group = groups.setdefault((number, r.group), len(groups) + 1)
                grouped.append(StepRequest(r.node, r.edge_type, r.other_kind, r.max_degree,
                                           group))
            for key, nodes in allowed.items():
                group = groups.setdefault((number, key[2] if len(key) > 2 else 0),
                                          len(groups) + 1)
                within[(key[0], key[1], group)] = nodes
        steps = hood.mechanism_steps(grouped, within=within)
    by_request = steps_by_request(steps)  # a step two searches asked for comes once
    return [allowed_steps(by_request, requests, allowed) for requests, allowed in batch]


def _hops(hood: Neighbourhoods, batch: list[tuple[Any, ...]]) -> list[nx.MultiDiGraph[Any]]:
    graph = hood.mechanism_path_graph(list(dict.fromkeys(h for (hops,) in batch for h in hops)))
    return [graph.subgraph({n for u, _, v in hops for n in (u, v)}) for (hops,) in batch]


__all__ = ["Search", "in_lockstep"]
