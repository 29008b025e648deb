"""DrugMechDB's path files: finding them, and reading one safely as YAML.

The YAML loader is PyYAML's safe one (libyaml's where PyYAML was built with it),
refusing what no curated path file uses and a hostile one might; a file that is
not YAML, not UTF-8 or not shaped as a path is a :class:`~graph.errors.ParseError`
naming the file (and the line where YAML says).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from graph.errors import ParseError

# PyYAML with libyaml's loader where PyYAML was built with it (its wheels are).
try:
    _YAML_LOADER: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _YAML_LOADER = yaml.SafeLoader

#: Longest integer or float a path file may write (DrugMechDB's files write none).
_MAX_NUMBER_LENGTH = 100


class _PathLoader(_YAML_LOADER):  # type: ignore[misc]
    """The safe YAML loader, refusing what no curated path file uses and a hostile one might.

    * Aliases (``*name``): nested, a few lines of them stand for billions of
      values (a "billion laughs"), which any later use would expand.
    * Numbers over :data:`_MAX_NUMBER_LENGTH` characters: a sexagesimal integer
      (``1:2:3:…``) takes time quadratic in its length to convert.

    A value PyYAML's constructors cannot build (a date such as ``2001-13-45``,
    ``!!bool maybe``, a float out of range) is reported as a YAML error at its
    line, as other errors are, instead of the constructor's own exception.
    """

    def construct_document(self, node: yaml.Node) -> Any:
        _refuse_aliases(node)
        return super().construct_document(node)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError, LookupError, AttributeError, TypeError) as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read the value: {error}", node.start_mark) from error

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        _refuse_long_number(node)
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:
        _refuse_long_number(node)
        return super().construct_yaml_float(node)


_PathLoader.add_constructor("tag:yaml.org,2002:int", _PathLoader.construct_yaml_int)
_PathLoader.add_constructor("tag:yaml.org,2002:float", _PathLoader.construct_yaml_float)


def _refuse_aliases(root: yaml.Node) -> None:
    """Raise a YAML error at the first node met twice (an alias) in the document."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise yaml.constructor.ConstructorError(
                None, None, "found an alias (*name): path files write every value out",
                node.start_mark)
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)


def _refuse_long_number(node: yaml.ScalarNode) -> None:
    """Raise a YAML error for a number too long to convert in good time."""
    if len(node.value) > _MAX_NUMBER_LENGTH:
        raise yaml.constructor.ConstructorError(
            None, None, f"a number of {len(node.value):,} characters", node.start_mark)


@dataclass
class PathFile:
    """One read path file: where it is and what it holds."""

    path: Path
    data: dict[str, Any]

    @cached_property
    def header(self) -> dict[str, Any]:
        header = self.data.get("graph")
        return header if isinstance(header, dict) else {}

    @cached_property
    def path_id(self) -> str:
        return str(self.header.get("_id") or self.path.stem)


def path_files(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """The path files named: files as given, folders' ``*.yaml`` (a ``paths/`` subfolder first).

    >>> path_files([])
    []
    """
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    found: list[Path] = []
    for item in map(Path, items):
        if item.is_dir():
            folder = item / "paths" if (item / "paths").is_dir() else item
            found.extend(sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")))
        elif item.is_file():
            found.append(item)
        else:
            raise ParseError("no such file or folder", path=str(item))
    return found


def read_path_file(path: Path, digest: Any) -> PathFile:
    """Read and check one path file, adding its name and bytes to ``digest`` (the version)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ParseError(f"cannot read: {error}", path=str(path)) from error
    digest.update(path.name.encode() + b"\0" + raw)
    try:
        data = yaml.load(raw, Loader=_PathLoader)
    except UnicodeDecodeError as error:
        raise ParseError(f"not UTF-8: {error.reason}", path=str(path)) from error
    except yaml.reader.ReaderError as error:  # a byte that is not (allowed) text
        raise ParseError(f"not YAML: byte {error.position}: {error.reason}", path=str(path),
                         line=raw.count(b"\n", 0, error.position) + 1) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = " ".join(str(getattr(error, "problem", None) or error).split())
        if len(problem) > 200:  # a tag or anchor of 10^5 characters is quoted in it
            problem = problem[:200] + "…"
        raise ParseError(f"not YAML: {problem}", path=str(path),
                         line=mark.line + 1 if mark is not None else None) from error
    if not isinstance(data, dict):
        raise ParseError("not a DrugMechDB path: expected a mapping", path=str(path))
    for key in ("nodes", "links"):
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise ParseError(f"not a DrugMechDB path: {key!r} must be a list of mappings",
                             path=str(path))
    for node in data["nodes"]:
        if not all(isinstance(node.get(k), str) for k in ("id", "label")):
            raise ParseError(f"a node needs an id and a label: {node!r:.200}", path=str(path))
        if not all(isinstance(node.get(k) or [], list) for k in ("alt_ids", "alt_names")):
            raise ParseError(f"a node's alt_ids and alt_names must be lists: {node!r:.200}",
                             path=str(path))
    for link in data["links"]:
        if not all(isinstance(link.get(k), str) for k in ("source", "target", "key")):
            raise ParseError(f"a link needs source, target and key: {link!r:.200}",
                             path=str(path))
    if not isinstance(data.get("references") or [], list):
        raise ParseError("not a DrugMechDB path: 'references' must be a list", path=str(path))
    return PathFile(path, data)

