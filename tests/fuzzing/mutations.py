"""What a fuzz case does to a real file: each mutation maps bytes to bytes.

Mutations are small frozen dataclasses, so hypothesis prints a failing case as
the seed and a readable list (``Truncate(at=0.5)``, ``HugeNumber(...)``); the
bytes are rebuilt from that. Positions are fractions of the input's length, so
one mutation applies to any file. Structural mutations (CSV columns, JSON and
YAML trees, table cells) parse their input first and leave it unchanged when it
no longer parses — an earlier mutation may have broken it on purpose.

>>> Truncate(at=0.5).apply(b"abcdef")
b'abc'
>>> LineEndings("crlf").apply(b"a\\nb\\n")
b'a\\r\\nb\\r\\n'
>>> SetCell(row=0.0, column=1, value="NaN").apply(b"x,y\\n1,2\\n")
b'x,y\\n1,NaN\\n'
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import random
import re
from dataclasses import dataclass
from typing import Any, Protocol

import yaml

#: A mutated file is never made larger than this (a "huge field" included).
MAX_BYTES = 3_000_000
#: Nor is a file made larger than this by repeating its own content: real records read in
#: time linear in their number, but 250 KB of YAML records (250,000 nodes) take about a
#: second to parse, and a case reads twice (the reader, then the CLI) within 2 s of CPU.
MAX_REPEATED_BYTES = 100_000


class Mutation(Protocol):
    """Bytes in, bytes out."""

    def apply(self, data: bytes) -> bytes: ...


def position(data: bytes | str | list[Any], at: float) -> int:
    """``at`` (0..1) of the way into ``data``.

    >>> position(b"abcd", 0.5), position([], 0.9)
    (2, 0)
    """
    return min(len(data), max(0, int(len(data) * at)))


def char_boundary(data: bytes, index: int) -> int:
    """The first index at or after ``index`` that does not split a UTF-8 character."""
    while index < len(data) and 0x80 <= data[index] < 0xC0:
        index += 1
    return index


def text_of(data: bytes) -> str | None:
    """The UTF-8 text (a BOM dropped), or None when the bytes are not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


@dataclass(frozen=True)
class Repeated:
    """A long text written short, so that a failing case prints readably.

    >>> str(Repeated("9", 3, prefix="-"))
    '-999'
    """

    unit: str
    count: int
    prefix: str = ""
    suffix: str = ""

    def __str__(self) -> str:
        return self.prefix + self.unit * self.count + self.suffix


Text = str | Repeated


def materialize(value: Any) -> Any:
    """``value`` with every :class:`Repeated` inside written out."""
    if isinstance(value, Repeated):
        return str(value)
    if isinstance(value, list):
        return [materialize(v) for v in value]
    if isinstance(value, dict):
        return {materialize(k): materialize(v) for k, v in value.items()}
    return value


# --- bytes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Truncate:
    """Cut the file ``at`` of the way through (0: empty)."""

    at: float

    def apply(self, data: bytes) -> bytes:
        return data[: position(data, self.at)]


@dataclass(frozen=True)
class Replace:
    """The whole file replaced: empty, whitespace, binary junk, another format."""

    content: bytes

    def apply(self, data: bytes) -> bytes:
        return self.content


@dataclass(frozen=True)
class Reencode:
    """The text written in another encoding (UTF-16, Latin-1, Big5, …)."""

    codec: str

    def apply(self, data: bytes) -> bytes:
        return data.decode("utf-8", "replace").encode(self.codec, "replace")


@dataclass(frozen=True)
class AddBom:
    """A byte-order mark (UTF-8, UTF-16, UTF-32) put in front of the file."""

    bom: bytes

    def apply(self, data: bytes) -> bytes:
        return self.bom + data


@dataclass(frozen=True)
class InsertBytes:
    """Bytes inserted ``at`` a point: invalid UTF-8, NULs, control characters, junk."""

    at: float
    junk: bytes

    def apply(self, data: bytes) -> bytes:
        i = position(data, self.at)
        return data[:i] + self.junk + data[i:]


@dataclass(frozen=True)
class Overwrite:
    """Bytes written over the file's own ``at`` a point."""

    at: float
    junk: bytes

    def apply(self, data: bytes) -> bytes:
        i = position(data, self.at)
        return data[:i] + self.junk + data[i + len(self.junk):]


@dataclass(frozen=True)
class HugeField:
    """``unit`` repeated to ``size`` characters, inserted ``at`` a point (a huge field)."""

    at: float
    size: int
    unit: str

    def apply(self, data: bytes) -> bytes:
        i = char_boundary(data, position(data, self.at))
        blob = (self.unit * (self.size // max(1, len(self.unit)) + 1))[: self.size]
        return (data[:i] + blob.encode("utf-8", "surrogatepass") + data[i:])[:MAX_BYTES]


@dataclass(frozen=True)
class Repeat:
    """The whole file written ``times`` times over (headers and front matter repeated)."""

    times: int

    def apply(self, data: bytes) -> bytes:
        return (data * self.times)[:MAX_REPEATED_BYTES]


@dataclass(frozen=True)
class LineEndings:
    """Line ends rewritten: ``crlf`` (Windows), ``cr`` (old Mac), ``mixed``, ``none``."""

    style: str

    def apply(self, data: bytes) -> bytes:
        lines = data.split(b"\n")
        if self.style == "crlf":
            return b"\r\n".join(lines)
        if self.style == "cr":
            return b"\r".join(lines)
        if self.style == "mixed":
            return b"".join(line + (b"\r\n", b"\r", b"\n")[i % 3]
                            for i, line in enumerate(lines))[:-1]
        return b" ".join(lines)


# --- lines ------------------------------------------------------------------------------


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


@dataclass(frozen=True)
class DeleteLines:
    """``count`` lines removed from ``at``."""

    at: float
    count: int

    def apply(self, data: bytes) -> bytes:
        lines = _lines(data)
        i = position(lines, self.at)
        return b"".join(lines[:i] + lines[i + self.count:])


@dataclass(frozen=True)
class DuplicateLine:
    """The line ``at`` a point written ``times`` more times (a repeated header, row, title)."""

    at: float
    times: int

    def apply(self, data: bytes) -> bytes:
        lines = _lines(data)
        if not lines:
            return data
        i = min(position(lines, self.at), len(lines) - 1)
        line = lines[i] if lines[i].endswith(b"\n") else lines[i] + b"\n"
        repeated = b"".join([line] * (self.times + 1))[:MAX_REPEATED_BYTES]
        return b"".join([*lines[:i], repeated, *lines[i + 1:]])


@dataclass(frozen=True)
class ShuffleLines:
    """Lines in another order (``seed`` picks which)."""

    seed: int

    def apply(self, data: bytes) -> bytes:
        lines = [line if line.endswith(b"\n") else line + b"\n" for line in _lines(data)]
        random.Random(self.seed).shuffle(lines)
        return b"".join(lines)


@dataclass(frozen=True)
class InsertLine:
    """A line inserted ``at`` a point (from a pool of lines that mean something)."""

    at: float
    line: Text

    def apply(self, data: bytes) -> bytes:
        lines = _lines(data)
        i = position(lines, self.at)
        return b"".join([*lines[:i], str(self.line).encode("utf-8", "surrogatepass") + b"\n",
                         *lines[i:]])


# --- CSV --------------------------------------------------------------------------------


def _csv_rows(data: bytes) -> list[list[str]] | None:
    text = text_of(data)
    if text is None:
        return None
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return None


def _csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")[:MAX_BYTES]


@dataclass(frozen=True)
class DropColumn:
    """Column ``column`` removed from the header, the rows, both, or one row only."""

    column: int
    where: str  # "header", "rows", "both", "one-row"

    def apply(self, data: bytes) -> bytes:
        rows = _csv_rows(data)
        if not rows:
            return data
        for i, row in enumerate(rows):
            chosen = {"header": i == 0, "rows": i > 0, "both": True,
                      "one-row": i == min(1, len(rows) - 1)}[self.where]
            if chosen and row:
                del row[self.column % len(row)]
        return _csv_bytes(rows)


@dataclass(frozen=True)
class AddColumn:
    """A column ``name`` (with ``value`` in rows) added at ``column``, in header and/or rows."""

    column: int
    name: str
    value: Text
    where: str  # "header", "rows", "both"

    def apply(self, data: bytes) -> bytes:
        rows = _csv_rows(data)
        if not rows:
            return data
        for i, row in enumerate(rows):
            if (i == 0 and self.where != "rows") or (i > 0 and self.where != "header"):
                row.insert(self.column % (len(row) + 1),
                           self.name if i == 0 else str(self.value))
        return _csv_bytes(rows)


@dataclass(frozen=True)
class RenameColumn:
    """Header cell ``column`` renamed: misspelt, blank, padded, or another column's name."""

    column: int
    name: str | None  # None: the name of the next column (a repeated name)

    def apply(self, data: bytes) -> bytes:
        rows = _csv_rows(data)
        if not rows or not rows[0]:
            return data
        header = rows[0]
        i = self.column % len(header)
        header[i] = self.name if self.name is not None else header[(i + 1) % len(header)]
        return _csv_bytes(rows)


@dataclass(frozen=True)
class ShuffleColumns:
    """Columns reordered (``seed``): the header only, or header and rows alike."""

    seed: int
    header_only: bool

    def apply(self, data: bytes) -> bytes:
        rows = _csv_rows(data)
        if not rows or not rows[0]:
            return data
        order = list(range(len(rows[0])))
        random.Random(self.seed).shuffle(order)
        for i, row in enumerate(rows):
            if len(row) == len(order) and (i == 0 or not self.header_only):
                rows[i] = [row[j] for j in order]
        return _csv_bytes(rows)


@dataclass(frozen=True)
class SetCell:
    """The cell of data row ``row`` (a fraction), column ``column``, set to ``value``."""

    row: float
    column: int
    value: Text

    def apply(self, data: bytes) -> bytes:
        rows = _csv_rows(data)
        if not rows or len(rows) < 2:
            return data
        target = rows[1 + min(position(rows[1:], self.row), len(rows) - 2)]
        if target:
            target[self.column % len(target)] = str(self.value)
        return _csv_bytes(rows)


# --- JSON and YAML trees ----------------------------------------------------------------


def walk(tree: Any, steps: tuple[int, ...]) -> tuple[Any, Any] | None:
    """The container and key/index that ``steps`` lead to, going down from ``tree``."""
    parent: Any = None
    key: Any = None
    node = tree
    for step in steps:
        if isinstance(node, dict) and node:
            parent, key = node, sorted(node, key=str)[step % len(node)]
        elif isinstance(node, list) and node:
            parent, key = node, step % len(node)
        else:
            break
        node = parent[key]
    return (parent, key) if parent is not None else None


def edit_tree(tree: Any, steps: tuple[int, ...], op: str, value: Any) -> Any:
    """``tree`` with the place ``steps`` lead to set, deleted, wrapped or given a sibling."""
    found = walk(tree, steps)
    if found is None:
        return value if op == "set" else tree
    parent, key = found
    if op == "set":
        parent[key] = value
    elif op == "delete":
        del parent[key]
    elif op == "wrap":
        parent[key] = [parent[key]]
    elif op == "add" and isinstance(parent, dict):
        parent[f"extra_{len(parent)}"] = value
    elif op == "add":
        parent.insert(key, value)
    return tree


@dataclass(frozen=True)
class JsonEdit:
    """A JSON value changed (``set``/``delete``/``wrap``/``add``) and the file rewritten."""

    steps: tuple[int, ...]
    op: str
    value: Any
    indent: int | None

    def apply(self, data: bytes) -> bytes:
        text = text_of(data)
        try:
            tree = json.loads(text) if text is not None else None
        except (ValueError, RecursionError):
            return data
        tree = edit_tree(tree, self.steps, self.op, materialize(self.value))
        try:
            text = json.dumps(tree, indent=self.indent, allow_nan=True, ensure_ascii=False)
        except (ValueError, RecursionError):  # a tree json cannot write: the input stays
            return data
        return text.encode("utf-8", "surrogatepass")[:MAX_BYTES]


_JSON_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_JSON_SCALAR = re.compile(rb'-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|"(?:[^"\\\n]|\\.)*"|true|false|null')


@dataclass(frozen=True)
class ReplaceToken:
    """The first JSON number (or any scalar) after ``at`` replaced by ``text``.

    ``text`` is a huge number (10⁶ digits), ``NaN``/``Infinity``, or deep nesting.
    """

    at: float
    text: Text
    numbers_only: bool

    def apply(self, data: bytes) -> bytes:
        pattern = _JSON_NUMBER if self.numbers_only else _JSON_SCALAR
        found = pattern.search(data, position(data, self.at)) or pattern.search(data)
        if found is None:
            return data
        return data[: found.start()] + str(self.text).encode() + data[found.end():]


def _yaml_tree(data: bytes) -> Any:
    text = text_of(data)
    if text is None:
        return None
    try:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    except Exception:  # whatever PyYAML raises: the input stays as it is
        return None


@dataclass(frozen=True)
class YamlEdit:
    """A YAML value changed (``set``/``delete``/``wrap``/``add``), the file rewritten."""

    steps: tuple[int, ...]
    op: str
    value: Any
    flow: bool

    def apply(self, data: bytes) -> bytes:
        tree = _yaml_tree(data)
        if tree is None:
            return data
        tree = edit_tree(tree, self.steps, self.op, materialize(self.value))
        try:
            text = yaml.safe_dump(tree, default_flow_style=self.flow, allow_unicode=True)
        except Exception:  # a tree PyYAML cannot write: the input stays as it is
            return data
        return text.encode("utf-8", "surrogatepass")[:MAX_BYTES]


_YAML_VALUE = re.compile(rb"(?m)^(\s*(?:- )?[\w_]+: )(\S.*)$")


@dataclass(frozen=True)
class YamlScalar:
    """The first ``key: value`` after ``at`` given the value ``text`` as written.

    ``text`` is YAML-specific: tags (``!!python/object``, ``!!binary``), a bad
    date, a sexagesimal or 10⁶-digit integer, ``.nan``, an alias, a merge key.
    """

    at: float
    text: Text

    def apply(self, data: bytes) -> bytes:
        found = _YAML_VALUE.search(data, position(data, self.at)) or _YAML_VALUE.search(data)
        if found is None:
            return data
        text = str(self.text).encode("utf-8", "surrogatepass")
        return data[: found.start(2)] + text + data[found.end(2):]


def laughs(levels: int, width: int) -> tuple[str, str]:
    """Billion-laughs anchors (``width ** levels`` leaves) and the alias of the top one."""
    lines = [f"lol0: &lol0 [{', '.join(['lol'] * width)}]"]
    lines += [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * width)}]"
              for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n", f"*lol{levels}"


@dataclass(frozen=True)
class BillionLaughs:
    """A billion-laughs YAML: anchors whose aliases expand to ``width ** levels`` items.

    The anchors go on top; the top alias then stands for the value ``at`` a point
    (a node's name, a link's key, the header …) or, with ``merge``, is merged
    into mappings with ``<<``.
    """

    levels: int
    width: int
    at: float
    merge: bool

    def apply(self, data: bytes) -> bytes:
        anchors, alias = laughs(self.levels, self.width)
        if self.merge:
            anchors = "m0: &m0 {a: lol}\n" + "".join(
                f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * self.width)}], k{i}: lol}}\n"
                for i in range(1, self.levels + 1))
            alias = f"{{<<: *m{self.levels}}}"
        body = YamlScalar(self.at, alias).apply(data)
        return anchors.encode() + body


@dataclass(frozen=True)
class DeepNesting:
    """A value nested ``depth`` deep (``[[[…]]]`` or ``{a: {a: …}}``), flow or block style."""

    at: float
    depth: int
    style: str  # "list", "map", "block"

    def apply(self, data: bytes) -> bytes:
        if self.style == "list":
            text = "[" * self.depth + "0" + "]" * self.depth
        elif self.style == "map":
            text = '{"a": ' * self.depth + "0" + "}" * self.depth
        else:  # indentation grows with depth: 1,500 levels make 4.5 MB already
            text = "\n" + "".join("  " * (i + 1) + "- \n" for i in range(min(self.depth, 1_500)))
        return ReplaceToken(self.at, text, numbers_only=False).apply(data)[:MAX_BYTES]


# --- markdown ---------------------------------------------------------------------------

_LINE_KINDS = {"table": re.compile(rb"^ {0,3}\|"), "heading": re.compile(rb"^ {0,3}#"),
               "bold": re.compile(rb"\*\*"), "id": re.compile(rb"PMID|NCT\d")}


@dataclass(frozen=True)
class RunInLine:
    """A run of ``unit`` (``size`` characters) put inside a line of a kind: a table row, a
    heading, a ``**Key:** value`` line, a line citing PMIDs or trials — where the report
    parser applies its patterns, and a pattern that backtracks shows."""

    kind: str
    at: float
    within: float
    size: int
    unit: str

    def apply(self, data: bytes) -> bytes:
        lines = _lines(data)
        found = [i for i, line in enumerate(lines) if _LINE_KINDS[self.kind].search(line)]
        if not found:
            return data
        i = found[min(position(found, self.at), len(found) - 1)]
        line = lines[i]
        cut = char_boundary(line, position(line.rstrip(b"\r\n"), self.within))
        run = (self.unit * (self.size // max(1, len(self.unit)) + 1))[: self.size]
        lines[i] = line[:cut] + run.encode() + line[cut:]
        return b"".join(lines)

_TABLE_ROW = re.compile(rb"(?m)^ {0,3}\|.*$")


@dataclass(frozen=True)
class TableCells:
    """A table row ``at`` a point broken: a cell added or dropped, pipes removed or escaped."""

    at: float
    op: str  # "add", "drop", "strip", "escape", "empty"

    def apply(self, data: bytes) -> bytes:
        rows = list(_TABLE_ROW.finditer(data))
        if not rows:
            return data
        row = rows[min(position(rows, self.at), len(rows) - 1)]
        text = row.group(0)
        new = {"add": text + b" extra |", "drop": text.rsplit(b"|", 2)[0] + b"|",
               "strip": text.strip().strip(b"|"), "escape": text.replace(b"|", b"\\|", 2),
               "empty": b"|" + b"|" * text.count(b"|")}[self.op]
        return data[: row.start()] + new + data[row.end():]


BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
        codecs.BOM_UTF8 * 2)
