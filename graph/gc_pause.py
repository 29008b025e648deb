"""One way to pause Python's cyclic garbage collector around bulk work.

Loads, exports and path searches make millions of short-lived objects (rows,
tuples, partial paths) or many long-lived ones (models), none in reference
cycles. Each allocation still counts towards a collection, and every full
collection walks everything alive: it doubled an export's time and took a third
of ``txkg explain DRUG`` on PrimeKG, collecting nothing. :func:`collector_paused`
turns it off for a block (nestable) and, on the way out, files what the block
kept as old objects, so the first collection after does not scan them all again.

>>> import gc
>>> with collector_paused():
...     with collector_paused():
...         inner = gc.isenabled()
...     outer = gc.isenabled()
>>> inner, outer, gc.isenabled()
(False, False, True)
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off for the block, and back on after if it was on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            file_as_old()
            gc.enable()


def file_as_old() -> None:
    """Move every object the collector tracks into its oldest generation, unscanned.

    While the collector is paused, every new object counts as young; the first
    allocation after :func:`gc.enable` would then scan all of them and later scan
    them again in the middle generation. ``gc.freeze()`` then ``gc.unfreeze()``
    moves them to the oldest generation in constant time instead: full collections
    still scan them, and free any cycle among them, as they do every old object.
    Skipped when the program has frozen objects of its own (``gc.freeze()`` before
    a fork), which unfreezing would release.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


__all__ = ["collector_paused", "file_as_old"]
