"""Independent pieces of work run side by side in forked processes, with progress.

``txkg explain DRUG`` explains each predicted indication on its own, so the
predictions can be dealt out to one process per core (:func:`deal`) and each
process can explain its share (:func:`run_forked`). A piece of work is a
callable given a ``tick`` function, which it calls once per item done (what the
progress line counts); what it returns is sent back to the parent, pickled.

Forking keeps the parent's imported modules and data, so a worker starts in
milliseconds, but it also inherits the parent's open connections: a worker must
open its own (:meth:`graph.store.base.GraphStore.reopen`) and never use the
parent's. Where ``fork`` is not available (Windows), the pieces run one after
the other in the calling process.

>>> deal(list("abcde"), 2)
[['a', 'c', 'e'], ['b', 'd']]
>>> run_forked([lambda tick: (tick(), 6 * 7)[1], lambda tick: "done"])
[42, 'done']
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from graph.errors import TxkgError

T = TypeVar("T")
Work = Callable[[Callable[[], None]], T]

#: Seconds between checks that every worker is still alive while waiting for news.
POLL_SECONDS = 0.5


class WorkerDied(TxkgError):
    """A worker process ended without sending its result (killed, or out of memory)."""


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


def can_fork() -> bool:
    """Whether pieces of work can run in forked processes here."""
    return "fork" in multiprocessing.get_all_start_methods()


def deal(items: Sequence[T], hands: int,
         weights: Sequence[float] | None = None) -> list[list[T]]:
    """``items`` dealt into at most ``hands`` hands (none empty, unless there are no
    items: then one), order kept within each.

    Without ``weights``, round-robin (the first items, often the heaviest, are spread
    over all hands). With them (what each item is expected to cost), heaviest first,
    each to the hand holding the least weight so far (fewest items on a tie), so that
    the hands come out about as heavy as each other.

    >>> deal(list("abcde"), 2, weights=[5, 1, 1, 1, 3])
    [['a', 'd'], ['b', 'c', 'e']]
    """
    hands = max(1, min(hands, len(items)))
    if weights is None:
        return [list(items[i::hands]) for i in range(hands)]
    dealt: list[list[int]] = [[] for _ in range(hands)]
    held = [0.0] * hands
    for i in sorted(range(len(items)), key=lambda i: -weights[i]):
        hand = min(range(hands), key=lambda h: (held[h], len(dealt[h])))
        dealt[hand].append(i)
        held[hand] += weights[i]
    return [[items[i] for i in sorted(hand)] for hand in dealt]


def run_forked(works: Sequence[Work[T]], *, on_tick: Callable[[], None] | None = None,
               ) -> list[T]:
    """Each work's result, in order: each run in its own forked process.

    ``on_tick`` is called in this process each time a work calls its ``tick``.
    A work that raises makes this raise the same error (once every worker has
    ended); a worker that dies without a result raises :class:`WorkerDied`.
    """
    tick = on_tick or (lambda: None)
    if len(works) <= 1 or not can_fork():
        return [work(tick) for work in works]
    context = multiprocessing.get_context("fork")
    news: Any = context.Queue()
    workers = [context.Process(target=_work_in_child, args=(work, i, news), daemon=True)
               for i, work in enumerate(works)]
    for worker in workers:
        worker.start()
    try:
        results = _collect(workers, news, tick)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
        news.close()
    failure = next((r for r in results.values() if isinstance(r, _Failure)), None)
    if failure is not None:
        raise failure.error
    return [results[i] for i in range(len(works))]


class Turns:
    """The numbers 0, 1, 2, … each handed out once, across this process and the workers
    it forks after making this (so that workers take the next piece when they are free)."""

    def __init__(self) -> None:
        self._next = multiprocessing.get_context("fork").Value("q", 0)

    def take(self) -> int:
        with self._next.get_lock():
            taken = int(self._next.value)
            self._next.value = taken + 1
        return taken


class _Failure:
    """What a work raised, sent back to the parent in place of its result."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def _work_in_child(work: Work[Any], index: int, news: Any) -> None:
    try:
        result: Any = work(lambda: news.put(("tick", index, None)))
    except BaseException as error:  # every failure goes back to the parent
        result = _Failure(error)
    try:
        sent = pickle.dumps(result)
    except Exception as error:  # the result or the error cannot be sent as it is
        sent = pickle.dumps(_Failure(RuntimeError(f"worker {index}: {error!r}")))
    news.put(("done", index, sent))
    news.close()
    news.join_thread()


def _collect(workers: list[Any], news: Any, tick: Callable[[], None]) -> dict[int, Any]:
    """Every worker's result (or :class:`_Failure`), calling ``tick`` on each tick."""
    results: dict[int, Any] = {}
    while len(results) < len(workers):
        try:
            what, index, value = news.get(timeout=POLL_SECONDS)
        except queue.Empty:
            dead = [i for i, w in enumerate(workers)
                    if i not in results and not w.is_alive() and news.empty()]
            if dead:
                raise WorkerDied(f"a worker process ended without its result "
                                 f"(exit code {workers[dead[0]].exitcode})") from None
            continue
        if what == "tick":
            tick()
        else:
            results[index] = pickle.loads(value)
    return results


__all__ = ["Turns", "WorkerDied", "available_cores", "can_fork", "deal", "run_forked"]
