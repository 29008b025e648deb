"""Work run in forked processes (graph/forked.py): results in order, progress, failures."""

from __future__ import annotations

import os
import random
from collections.abc import Callable

import pytest

from graph.errors import InvalidArgument
from graph.forked import Turns, WorkerDied, can_fork, deal, run_forked

pytestmark = pytest.mark.skipif(not can_fork(), reason="no fork on this platform")


def _pid_after(ticks: int) -> Callable[[Callable[[], None]], int]:
    def work(tick: Callable[[], None]) -> int:
        for _ in range(ticks):
            tick()
        return os.getpid()
    return work


def test_each_work_runs_in_its_own_process_and_results_keep_their_order() -> None:
    ticks: list[int] = []
    pids = run_forked([_pid_after(n) for n in (3, 0, 2)], on_tick=lambda: ticks.append(1))
    assert len(set(pids)) == 3 and os.getpid() not in pids
    assert len(ticks) == 5


def test_one_work_runs_here() -> None:
    assert run_forked([_pid_after(1)]) == [os.getpid()]


def test_a_work_that_raises_raises_the_same_error_here() -> None:
    def bad(tick: Callable[[], None]) -> int:
        raise InvalidArgument("no such metapath: XyZ")

    with pytest.raises(InvalidArgument, match="no such metapath: XyZ"):
        run_forked([_pid_after(1), bad])


def test_a_worker_that_dies_is_reported() -> None:
    def dies(tick: Callable[[], None]) -> int:
        os._exit(3)

    with pytest.raises(WorkerDied, match="exit code 3"):
        run_forked([_pid_after(0), dies])


def test_a_result_that_cannot_be_sent_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="worker 1"):
        run_forked([_pid_after(0), lambda tick: (lambda: None)])


def test_deal_spreads_items_round_robin() -> None:
    assert deal(list(range(7)), 3) == [[0, 3, 6], [1, 4], [2, 5]]
    assert deal([1, 2], 5) == [[1], [2]]
    assert deal([], 4) == [[]]


def test_deal_by_weight_evens_the_hands_and_keeps_their_order() -> None:
    weights = [9, 1, 1, 1, 1, 1, 1, 1, 1, 1]  # round-robin: 13 against 5
    hands = deal(list("abcdefghij"), 2, weights)
    assert hands == [["a"], list("bcdefghij")]  # 9 against 9
    assert deal(list("abcd"), 3, [0, 0, 0, 0]) == [["a", "d"], ["b"], ["c"]]  # none empty
    assert deal([], 2, []) == [[]]
    # every item dealt once, in order; no hand heavier than an even share plus one item
    rng = random.Random(7)
    for _ in range(50):
        ws = [rng.randint(0, 30) for _ in range(rng.randint(1, 40))]
        hands_n = rng.randint(1, 4)
        dealt = deal(list(range(len(ws))), hands_n, ws)
        assert sorted(i for hand in dealt for i in hand) == list(range(len(ws)))
        assert all(hand == sorted(hand) and hand for hand in dealt)
        heaviest = max(sum(ws[i] for i in hand) for hand in dealt)
        assert heaviest <= sum(ws) / len(dealt) + max(ws)


def test_workers_take_turns_each_number_once() -> None:
    turns = Turns()

    def take(tick: Callable[[], None]) -> list[int]:
        taken = []
        while (n := turns.take()) < 200:
            taken.append(n)
        return taken

    shares = run_forked([take, take, take])
    assert sorted(n for share in shares for n in share) == list(range(200))
    assert all(share == sorted(share) for share in shares)
