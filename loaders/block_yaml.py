"""A fast reader for the plain block YAML that DrugMechDB's path files are written in.

PyYAML (even with libyaml) spends most of a DrugMechDB load building Python
objects from 2,501 small files. Those files use a small part of YAML: block
mappings and sequences, plain scalars (some folded over several lines) and
single-quoted ones. :func:`load_block_yaml` reads exactly that part and
answers ``None`` for anything else (flow collections, anchors, tags, block
scalars, comments, double quotes with escapes, plain scalars that YAML would
read as numbers, dates or nulls), so the caller can hand such a file to
PyYAML. Whatever it returns equals what ``yaml.safe_load`` returns.

>>> load_block_yaml("graph:\\n  _id: DB1\\nnodes:\\n"
...                 "  - id: 'MESH:D1'\\n    name: Crohn's disease\\n")
{'graph': {'_id': 'DB1'}, 'nodes': [{'id': 'MESH:D1', 'name': "Crohn's disease"}]}
>>> load_block_yaml("directed: true\\ncomment: a long\\n  remark\\n")
{'directed': True, 'comment': 'a long remark'}
>>> load_block_yaml("x: [1, 2]") is None
True
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$")
#: Characters a plain scalar may not start with (they open other YAML syntax).
_INDICATORS = set("&*!|>%@`{}[],#?:-\"")
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
          "FALSE": False}


class _Unsupported(Exception):
    """The text uses YAML this reader leaves to PyYAML."""


def load_block_yaml(text: str) -> Any:
    """The value of a block-YAML document, or ``None`` when PyYAML must read it."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    try:
        if not lines or any("\t" in ln or not ln.strip() for ln in lines):
            raise _Unsupported
        doc = _Lines(lines)
        value, end = _block(doc, 0, doc.indents[0])
        if end != len(lines):
            raise _Unsupported
    except _Unsupported:
        return None
    return value


class _Lines(list[str]):
    """The document's lines with each line's indentation computed once."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines)
        self.indents = [len(ln) - len(ln.lstrip(" ")) for ln in lines]


def _block(lines: _Lines, i: int, indent: int) -> tuple[Any, int]:
    if lines[i][indent:].startswith("- "):
        return _sequence(lines, i, indent)
    return _mapping(lines, i, indent)


def _sequence(lines: _Lines, i: int, indent: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    while i < len(lines) and lines.indents[i] == indent and lines[i][indent:].startswith("- "):
        rest = lines[i][indent + 2:]
        if rest.startswith(" "):
            raise _Unsupported
        if _KEY.match(rest):  # a mapping item whose first key shares the dash's line
            item, i = _mapping(lines, i, indent + 2, first=rest)
        else:
            item, i = _scalar_lines(lines, i, indent, rest)
        items.append(item)
    return items, i


def _mapping(lines: _Lines, i: int, indent: int,
             first: str | None = None) -> tuple[dict[str, Any], int]:
    """A block mapping at ``indent``; ``first`` is line ``i``'s text when it follows a dash."""
    out: dict[str, Any] = {}
    while i < len(lines):
        if first is not None:
            text, first = first, None
        elif lines.indents[i] == indent:
            text = lines[i][indent:]
        else:
            break
        match = _KEY.match(text)
        if match is None or match.group(1) in out:
            raise _Unsupported
        key, rest = match.group(1), match.group(2)
        if rest:
            out[key], i = _scalar_lines(lines, i, indent, rest)
            continue
        i += 1
        if i < len(lines) and lines.indents[i] > indent:
            out[key], i = _block(lines, i, lines.indents[i])
        elif i < len(lines) and lines.indents[i] == indent and \
                lines[i][indent:].startswith("- "):
            out[key], i = _sequence(lines, i, indent)
        else:
            raise _Unsupported  # an empty value is a null: leave it to PyYAML
    if i < len(lines) and lines.indents[i] > indent:
        raise _Unsupported
    return out, i


def _scalar_lines(lines: _Lines, i: int, indent: int, first: str) -> tuple[Any, int]:
    """A scalar starting on line ``i``; a plain one continues on more-indented lines."""
    parts = [first]
    i += 1
    while i < len(lines) and lines.indents[i] > indent:
        parts.append(lines[i].strip())
        i += 1
    return _scalar(parts), i


def _scalar(parts: list[str]) -> Any:
    text = parts[0]
    if text.startswith("'"):
        inner = text[1:-1]
        if len(parts) > 1 or len(text) < 2 or not text.endswith("'") \
                or "'" in inner.replace("''", ""):
            raise _Unsupported
        return inner.replace("''", "'")
    value = " ".join(parts)
    if not value or value[0] in _INDICATORS or ": " in value or " #" in value \
            or value.endswith(":") or value != value.strip():
        raise _Unsupported
    if value in _BOOLS:
        return _BOOLS[value]
    for _tag, pattern in _RESOLVERS.get(value[0], ()):
        if pattern.match(value):
            raise _Unsupported  # YAML would read a number, date, null or bool: not a string
    return value
