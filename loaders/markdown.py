"""The structure of a report page: headings, sections, tables, front matter.

Two renderings of the same page are read:

* **Markdown** (the Jekyll pages): ``#`` headings, pipe tables with a
  ``|---|`` separator row, optional YAML front matter between ``---`` lines,
  fenced code blocks (whose lines are never headings or tables).
* **Plain text** (the seed's rendering): headings are bare lines, tables are
  ``| a | b |`` lines. Which bare lines are headings is a question of meaning,
  so the caller passes ``is_heading``; the first non-empty line is the title.

This module knows nothing about reports; it only finds structure.

>>> doc = parse_markdown("# Aspirin\\n\\n## Quick Overview\\n\\n| Item | Content |\\n"
...                      "|---|---|\\n| Evidence Level | **L3** |\\n")
>>> [(h.level, h.title) for h in doc.headings]
[(1, 'Aspirin'), (2, 'Quick Overview')]
>>> table = doc.tables[0]
>>> table.header, table.rows[0].cells, table.rows[0].line
(('Item', 'Content'), ('Evidence Level', '**L3**'), 7)
>>> clean(table.rows[0].cells[1])
'L3'
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*)$")  # the closing #s go in _atx_title
_ATX_START = ("#", " #", "  #", "   #")  # how an _ATX line starts: quicker to test first
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_SEPARATOR_CELL = re.compile(r"^\s*:?-{1,}:?\s*$")
_PIPE = re.compile(r"(?<!\\)\|")
# No ``[`` inside the text or the target: with it, many ``[`` and no ``]`` or ``)`` made each
# ``[`` scan to the end of the text, in time quadratic in the number of ``[``.
_LINK = re.compile(r"!?\[([^\][]*)\]\([^)[]*\)")
_HTML = re.compile(r"</?[A-Za-z][^<>]*>")  # no "<" inside: see _LINK
_KRAMDOWN = re.compile(r"^\s*\{:.*\}\s*$")
# **x**, __x__ or *x* (a single star not inside a word). Every branch starts with a literal so
# the regex engine skips straight to the next * or _; ``\*(?<![\w*]\*)`` is ``(?<![\w*])\*``.
# *x* holds no star: else each of many "*a " scanned to the end of the text for its closing
# star, in time quadratic in their number.
_EMPHASIS = re.compile(
    r"\*\*(.+?)\*\*|__(.+?)__|\*(?<![\w*]\*)(?!\s)([^*]+?)(?<!\s)\*(?![\w*])")
_MARKUP = re.compile(r"[*_`\[<\\]")
_ESCAPE = re.compile(r"\\([\\\[\]*_#>|-])")
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]?|[IVX]+\.)\s+")


def _first_group(match: re.Match[str]) -> str:
    """What ``pattern.sub(r"\\1", text)`` puts in, without re's slower template expansion."""
    return match.group(1)


def _emphasised(match: re.Match[str]) -> str:
    return match.group(1) or match.group(2) or match.group(3) or ""


def _collapse_spaces(text: str) -> str:
    """Runs of whitespace as one space, ends stripped: ``re.sub(r"\\s+", " ", text).strip()``.

    ``str.split()`` splits on exactly the characters ``\\s`` matches, and faster. Most text
    has nothing to collapse (no double space, and no whitespace but spaces: all other
    whitespace is unprintable), and only its ends need stripping.
    """
    if "  " not in text and text.isprintable():
        return text.strip()
    return " ".join(text.split())


@lru_cache(maxsize=8192)
def clean(text: str) -> str:
    """Plain text of a markdown fragment: links, emphasis, code and HTML removed.

    >>> clean("[NCT04827979](https://clinicaltrials.gov/study/NCT04827979) **Hold**")
    'NCT04827979 Hold'
    >>> clean("✗ Not marketed \\\\| `x`")
    '✗ Not marketed | x'
    """
    if not _MARKUP.search(text):
        return _collapse_spaces(text)
    if "[" in text:
        text = _LINK.sub(_first_group, text)
    if "<" in text:
        text = _HTML.sub("", text)
    for _ in range(3):  # nested emphasis: ***x***
        if "*" not in text and "__" not in text:  # nothing _EMPHASIS can match
            break
        new = _EMPHASIS.sub(_emphasised, text)
        if new == text:
            break
        text = new
    text = text.replace("`", "")
    if "\\" in text:
        text = _ESCAPE.sub(_first_group, text.replace("\\|", "|"))
    return _collapse_spaces(text)


def strip_numbering(title: str) -> str:
    """A heading title without its section number.

    >>> strip_numbering("1. Executive Summary"), strip_numbering("2.3 Safety")
    ('Executive Summary', 'Safety')
    """
    return _NUMBERING.sub("", title, count=1).strip()


@dataclass(frozen=True)
class Heading:
    """A heading: 1-based ``line``, ``level`` (1 = title) and cleaned ``title``."""

    line: int
    level: int
    title: str


@dataclass(frozen=True)
class Row:
    """One table row: 1-based ``line`` and its cells as written (markup kept)."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A pipe table: the header row's ``line``, cleaned ``header`` and body ``rows``.

    ``header_line`` is the raw header; rows keep their markup so links survive.
    """

    line: int
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    header_cells: tuple[str, ...] = ()

    @property
    def end(self) -> int:
        """The last line of the table (1-based)."""
        return self.rows[-1].line if self.rows else self.line + 1


@dataclass(frozen=True)
class Document:
    """A page: its ``lines``, headings, tables and front matter.

    ``lines[i]`` is line ``i + 1``. ``body_start`` is the first line after
    the front matter.
    """

    lines: tuple[str, ...]
    headings: tuple[Heading, ...]
    tables: tuple[Table, ...]
    front_matter: dict[str, str] = field(default_factory=dict)
    table_lines: frozenset[int] = frozenset()
    code_lines: frozenset[int] = frozenset()
    body_start: int = 1

    def section_end(self, heading: Heading) -> int:
        """The last line (1-based) of the section a heading opens.

        A section runs to the next heading of the same or a higher level.
        """
        known = self._section_ends.get(heading.line)
        if known is not None and known[0] == heading:
            return known[1]
        for other in self.headings:  # a heading of another document
            if other.line > heading.line and other.level <= heading.level:
                return other.line - 1
        return len(self.lines)

    @cached_property
    def _section_ends(self) -> dict[int, tuple[Heading, int]]:
        """Heading line -> the heading and its section's last line, for every heading, in
        one pass (asking each heading in turn was quadratic: 10,000 repeated Quick Overview
        headings took seconds). The open headings form a stack of rising levels; a heading
        closes those of its level and deeper."""
        ends: dict[int, tuple[Heading, int]] = {}
        open_: list[Heading] = []
        for heading in sorted(self.headings, key=lambda h: h.line):
            while open_ and open_[-1].level >= heading.level:
                closed = open_.pop()
                ends[closed.line] = (closed, heading.line - 1)
            open_.append(heading)
        ends.update((h.line, (h, len(self.lines))) for h in open_)
        return ends

    @cached_property
    def _table_lines(self) -> list[int] | None:
        """The tables' first lines, when the tables are in line order (for bisecting)."""
        lines = [t.line for t in self.tables]
        return lines if lines == sorted(lines) else None

    def section_text(self, heading: Heading) -> Iterator[tuple[int, str]]:
        """``(line, text)`` for each prose line in a section (tables and code skipped)."""
        for number in range(heading.line + 1, self.section_end(heading) + 1):
            if number in self.table_lines or number in self.code_lines:
                continue
            text = self.lines[number - 1]
            if "{:" in text and _KRAMDOWN.match(text):
                continue
            yield number, text

    def tables_in(self, heading: Heading) -> tuple[Table, ...]:
        """The tables inside a section."""
        end = self.section_end(heading)
        lines = self._table_lines
        if lines is None:
            return tuple(t for t in self.tables if heading.line < t.line <= end)
        return self.tables[bisect_right(lines, heading.line):bisect_right(lines, end)]


def split_cells(line: str) -> tuple[str, ...]:
    """The cells of a pipe-table line, stripped; escaped pipes stay in their cell.

    >>> split_cells("| a | b \\\\| c |  ")
    ('a', 'b \\\\| c')
    """
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells = _PIPE.split(text) if "\\" in text else text.split("|")  # no escapes: plain split
    return tuple(map(str.strip, cells))


def _is_separator(line: str) -> bool:
    cells = split_cells(line)
    return bool(cells) and all(_SEPARATOR_CELL.match(c) for c in cells)


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    if not lines or lines[0].strip() != "---":
        return {}, 1
    values: dict[str, str] = {}
    for index in range(1, min(len(lines), 200)):
        text = lines[index]
        if text.strip() == "---":
            return values, index + 2
        key, sep, value = text.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t")):
            values[key.strip()] = value.strip().strip("\"'")
    return {}, 1  # no closing line: not front matter after all


def _pipe_runs(lines: list[str], start: int, skip: frozenset[int]) -> Iterator[range]:
    """Runs of consecutive pipe lines (0-based indexes) from line ``start`` on, ``skip`` lines
    (1-based) excepted."""
    first: int | None = None
    for index in range(start - 1, len(lines)):
        text = lines[index]
        if "|" in text and index + 1 not in skip and text.lstrip().startswith("|"):
            if first is None:
                first = index
        elif first is not None:
            yield range(first, index)
            first = None
    if first is not None:
        yield range(first, len(lines))


def _tables(lines: list[str], start: int, skip: frozenset[int]) -> tuple[list[Table], set[int]]:
    tables: list[Table] = []
    used: set[int] = set()
    for block in _pipe_runs(lines, start, skip):
        index = block.start
        if len(block) >= 2 and _is_separator(lines[index + 1]):
            raw_header = split_cells(lines[index])
            rows = tuple(Row(i + 1, split_cells(lines[i])) for i in block[2:])
            # A separator row with the wrong width is a row of the wrong width.
            separator = Row(index + 2, split_cells(lines[index + 1]))
            if len(separator.cells) != len(raw_header):
                rows = (separator, *rows)
            tables.append(Table(index + 1, tuple(clean(c) for c in raw_header), rows, raw_header))
            used.update(range(block.start + 1, block.stop + 1))  # 1-based line numbers
    return tables, used


def _code_lines(lines: list[str]) -> frozenset[int]:
    inside = False
    numbers: set[int] = set()
    for number, text in enumerate(lines, start=1):
        if ("```" in text or "~~~" in text) and _FENCE.match(text):
            numbers.add(number)
            inside = not inside
        elif inside:
            numbers.add(number)
    return frozenset(numbers)


def _atx_title(text: str) -> str:
    r"""A heading's text without its closing sequence of ``#`` and spaces.

    Done by hand: as a regex (``(.*?)\s*#*\s*$``) it backtracks quadratically,
    and a heading holding a long run of spaces took minutes.

    >>> _atx_title("Quick Overview ##  "), _atx_title("###")
    ('Quick Overview', '')
    """
    return text.rstrip().rstrip("#").rstrip()


def parse_markdown(text: str) -> Document:
    """Find the structure of a markdown page."""
    lines = text.splitlines()
    front, body_start = _front_matter(lines)
    # Most pages have no fenced code at all: skip the line-by-line search then.
    code = _code_lines(lines) if "```" in text or "~~~" in text else frozenset()
    tables, table_lines = _tables(lines, body_start, code)
    headings = []
    for number, line in enumerate(lines[body_start - 1:], start=body_start):
        if not line.startswith(_ATX_START) or number in code or number in table_lines:
            continue
        match = _ATX.match(line)
        if match:
            title = clean(_atx_title(match.group(2)))
            headings.append(Heading(number, len(match.group(1)), title))
    return Document(tuple(lines), tuple(headings), tuple(tables), front,
                    frozenset(table_lines), code, body_start)


def parse_plain(text: str, is_heading: Callable[[str], int | None]) -> Document:
    """Find the structure of a plain-text rendering.

    ``is_heading(line)`` returns the heading level a bare line has, or None for
    prose. The first non-empty line is always the level-1 title.

    >>> doc = parse_plain("Aspirin\\nSummary\\nIt works.\\n",
    ...                   lambda s: 2 if s == "Summary" else None)
    >>> [(h.line, h.level, h.title) for h in doc.headings]
    [(1, 1, 'Aspirin'), (2, 2, 'Summary')]
    """
    lines = text.splitlines()
    tables, table_lines = _tables(lines, 1, frozenset())
    headings: list[Heading] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or number in table_lines or line.startswith(("|", "-", "*", ">")):
            continue
        level = 1 if not headings else is_heading(line)
        if level is not None:
            headings.append(Heading(number, level, clean(line)))
    return Document(tuple(lines), tuple(headings), tuple(tables), {}, frozenset(table_lines))


def looks_like_markdown(text: str) -> bool:
    """True when a page uses ``#`` headings (else it is a plain-text rendering).

    >>> looks_like_markdown("---\\ntitle: x\\n---\\n# X\\n"), looks_like_markdown("X\\nY\\n")
    (True, False)
    """
    return any(_ATX.match(line) for line in text.splitlines()[:400])
