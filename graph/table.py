"""Plain text tables that fit the terminal.

Columns are padded to their widest cell. When the table is wider than the
width it must fit (the terminal's, or ``COLUMNS``), the widest columns give
way first, down to a floor, and a cell that no longer fits is cut with ``…``
at its end, so a reader sees that something was left out (``--format csv`` or
``json`` have every cell whole). Numbers align right.

>>> print(fit_table(["name", "n"], [["Belatacept", 1], ["an antibody against CD80", 22]],
...                 width=20))
name              n
----------------  --
Belatacept         1
an antibody aga…  22
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from typing import Any

#: The end of a cut cell.
CUT_MARK = "…"
#: No column is narrowed below this many characters (or its header, if shorter).
MIN_COLUMN = 8
#: Spaces between two columns.
GAP = "  "


def terminal_width() -> int | None:
    """The width tables must fit: ``COLUMNS`` if set, else the terminal's; ``None``
    when stdout is no terminal (a file or a pipe takes whole cells)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def cell_text(value: Any) -> str:
    """How one value reads in a table: ``-`` for none, floats to four significant
    digits, the rest as ``str``; line breaks become spaces.

    >>> cell_text(None), cell_text(0.123456), cell_text("a\\nb")
    ('-', '0.1235', 'a b')
    """
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}"
    return " ".join(str(value).split("\n"))


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, its end replaced by ``…`` when cut.

    >>> cut("Costimulation by the CD28 family", 16), cut("CD28", 16)
    ('Costimulation b…', 'CD28')
    """
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + CUT_MARK


def column_widths(natural: Sequence[int], floors: Sequence[int], width: int) -> list[int]:
    """Narrow the widest columns, one character at a time, until the row fits ``width``
    (counting the gaps) or every column is at its floor.

    >>> column_widths([4, 30, 10], [4, 8, 8], 30)
    [4, 12, 10]
    """
    widths = list(natural)
    excess = sum(widths) + len(GAP) * (len(widths) - 1) - width
    while excess > 0:
        shrinkable = [i for i, w in enumerate(widths) if w > floors[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: (widths[i], -i))
        widths[widest] -= 1
        excess -= 1
    return widths


def _numeric(column: Sequence[Any]) -> bool:
    values = [v for v in column if v is not None]
    return bool(values) and all(isinstance(v, int | float) and not isinstance(v, bool)
                                for v in values)


def fit_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
              width: int | None = None) -> str:
    """A text table of ``rows`` under ``headers``, at most ``width`` characters wide
    (``None``: as wide as its cells)."""
    cells = [[cell_text(v) for v in row] for row in rows]
    natural = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    widths = natural
    if width is not None:
        floors = [min(n, max(len(h), MIN_COLUMN)) for n, h in zip(natural, headers, strict=True)]
        widths = column_widths(natural, floors, width)
    right = [_numeric([row[i] for row in rows]) for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        parts = []
        for i, (value, w) in enumerate(zip(values, widths, strict=True)):
            text = cut(value, w)
            parts.append(text.rjust(w) if right[i] else text.ljust(w))
        return GAP.join(parts).rstrip()

    out = [line(headers), GAP.join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    return "\n".join(out)


def fit_line(text: str) -> str:
    """One line of free text cut to the terminal's width (whole when there is none)."""
    width = terminal_width()
    return text if width is None else cut(text, width)


def more_line(shown: int, total: int, what: str, *, hint: str = "use --limit") -> str | None:
    """``… 47 more neighbours (use --limit)`` when a list was cut, else ``None``.

    >>> more_line(50, 97, "neighbours"), more_line(3, 3, "rows")
    ('… 47 more neighbours (use --limit)', None)
    """
    if total <= shown:
        return None
    return f"{CUT_MARK} {total - shown:,} more {what} ({hint})"


__all__ = ["CUT_MARK", "cell_text", "column_widths", "cut", "fit_line", "fit_table", "more_line",
           "terminal_width"]
