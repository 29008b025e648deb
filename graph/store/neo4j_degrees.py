"""The kept degrees of a first load, counted in Python as it writes.

After a load, every node it touched is listed for recounting (``:TxkgRecount``) and the
store counts its mechanism degrees on the server (``REFRESH_DEGREES`` in
:mod:`graph.store.neo4j_paths`): a pass over every relationship of every listed node,
which for a PrimeKG-size first load is a large share of the whole load. A load into an
**empty** database knows every relationship the graph will then hold, its own, so it
counts the same degrees from the keys of the statements it wrote (the node numbers at both
ends and the type code) and the kinds of their ends, and sets them with the mark in one
write per node, taking the nodes off the recount list. The count is the server's: per node,
per mechanism type and mechanism kind of the neighbour, the number of distinct neighbours
(either direction).
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable
from functools import partial
from typing import Any

from graph.model import MECHANISM_EDGE_TYPES, MECHANISM_KINDS, EdgeType
from graph.store.neo4j_layout import DEGREE_MARK, DEGREE_PREFIX
from graph.store.neo4j_tx import RECOUNT, ROWS, Runner, unwind

_CODES = {i: t.value for i, t in enumerate(EdgeType) if t in MECHANISM_EDGE_TYPES}
_KINDS = {k.value for k in MECHANISM_KINDS}
_LOW = (1 << 32) - 1
KEEP = (f"MATCH (n) WHERE elementId(n) = row[0] SET n += row[1], n.{DEGREE_MARK} = true "
        f"REMOVE n:{RECOUNT}")


class Degrees:
    """The statement keys of a first load (``((a << 32) | b) << 6 | type code``, as the
    writer makes them), kept compactly until the load is done."""

    def __init__(self) -> None:
        self.keys = array("Q")

    def add(self, keys: Iterable[int]) -> None:
        self.keys.extend(keys)

    def counted(self, kinds: dict[int, str]) -> dict[int, dict[str, int]]:
        """Each node number's kept degrees (property name -> count); ``kinds``: each
        node number's kind."""
        pairs = sorted(_undirected(key) for key in self.keys if key & 63 in _CODES)
        self.keys = array("Q")
        counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        last = -1
        for pair in pairs:
            if pair == last:
                continue
            last = pair
            code, high = pair & 63, (pair >> 6) & _LOW
            low = pair >> 38
            edge_type = _CODES[code]
            if kinds[high] in _KINDS:
                counts[low][f"{DEGREE_PREFIX}{edge_type}_{kinds[high]}"] += 1
            if low != high and kinds[low] in _KINDS:
                counts[high][f"{DEGREE_PREFIX}{edge_type}_{kinds[low]}"] += 1
        return counts

    def keep(self, runner: Runner, ends: Iterable[tuple[str, int, str]]) -> None:
        """Set the counted degrees and the mark on these nodes (element id, number, kind):
        every node of the load, the ones with no mechanism relationship included."""
        ends = list(ends)
        counts = self.counted({number: kind for _, number, kind in ends})
        rows: list[list[Any]] = [[element, dict(counts.get(number, {}))]
                                 for element, number, _ in ends]
        for start in range(0, len(rows), ROWS):
            runner.write(partial(unwind, cypher=KEEP, items=rows[start:start + ROWS]))


def _undirected(key: int) -> int:
    """A statement key with its two ends in order (the smaller number first)."""
    a, b = key >> 38, (key >> 6) & _LOW
    if a > b:
        a, b = b, a
    return ((a << 32) | b) << 6 | (key & 63)
