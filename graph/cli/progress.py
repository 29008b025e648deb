"""Progress of long commands, on stderr, only when stderr is a terminal.

One line, rewritten in place a few times a second: what is being done, how
many items so far, the rate, and — when the total is known — the share done
and the time left::

    loading kg.csv  2,450,000 rows  61,230 rows/s  30%  1m50s left

Piped or redirected, it prints nothing: logs and ``--format json`` stay clean.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

#: Seconds between two redraws.
REDRAW_EVERY = 0.2


def _duration(seconds: float) -> str:
    """``1h02m``, ``3m05s`` or ``42s``.

    >>> _duration(3725), _duration(185), _duration(42.4)
    ('1h02m', '3m05s', '42s')
    """
    whole = round(seconds)
    if whole >= 3600:
        return f"{whole // 3600}h{whole % 3600 // 60:02d}m"
    if whole >= 60:
        return f"{whole // 60}m{whole % 60:02d}s"
    return f"{whole}s"


class Progress:
    """A progress line for one task; a no-op unless ``stream`` is a terminal.

    Call :meth:`update` with the items done and, when known, the work done and
    the total work in any unit (bytes of a file, say) for the share and time left.

    >>> import io
    >>> with Progress("loading", unit="rows", stream=io.StringIO()) as bar:
    ...     bar.update(10)
    >>> bar.shown
    False
    """

    def __init__(self, label: str, *, unit: str = "items", total: int | None = None,
                 stream: TextIO | None = None) -> None:
        self.label = label
        self.unit = unit
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.shown = bool(getattr(self.stream, "isatty", lambda: False)())
        self._start = time.monotonic()
        self._last = 0.0
        self._width = 0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.shown and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()

    def update(self, items: int, done: int | None = None, total: int | None = None) -> None:
        """``items`` done so far; ``done`` of ``total`` work units (default: items of
        the total given at the start)."""
        if not self.shown:
            return
        now = time.monotonic()
        if now - self._last < REDRAW_EVERY:
            return
        self._last = now
        elapsed = max(now - self._start, 1e-9)
        total = total if total is not None else self.total
        done = done if done is not None else items
        parts = [self.label, f"{items:,} {self.unit}", f"{items / elapsed:,.0f} {self.unit}/s"]
        if total:
            share = min(done / total, 1.0)
            parts.append(f"{share:.0%}")
            if 0 < share < 1:
                parts.append(f"{_duration(elapsed * (1 - share) / share)} left")
        line = "  ".join(parts)
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width = max(self._width, len(line))

    def step(self, items: int) -> None:
        """:meth:`update` for a task counted in items of a known total."""
        self.update(items)
