"""How the embedded store writes values into its rows, and reads them back.

Shared by the reads (:mod:`graph.store.sqlite`) and the load path
(:mod:`graph.store.sqlite_load`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

import pydantic_core

from graph.model import Provenance
from graph.store.merge import lookup_keys

_T = TypeVar("_T")
#: Ids per ``IN (...)`` list; SQLite allows 32,766 variables per statement.
IN_LIST = 500

#: The fields of a node's record its lookup keys come from.
KEYED_FIELDS = ("id", "kind", "name", "synonyms", "xrefs")


def in_lists(items: Sequence[_T], size: int = IN_LIST) -> Iterator[Sequence[_T]]:
    """Slices of ``items`` short enough for one ``IN (...)`` list."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(n: int) -> str:
    """``?,?,…`` for ``n`` parameters.

    >>> marks(3)
    '?,?,?'
    """
    return ",".join("?" * n)


def record_keys(record: dict[str, Any]) -> set[str]:
    """The lookup keys of a node stored as a JSON record."""
    return lookup_keys(record["id"], record["name"], record.get("synonyms") or (),
                       record.get("xrefs") or (), kind=record["kind"])


def json_text(value: Any) -> str:
    """Compact JSON text, encoded in Rust (several times faster than ``json.dumps``).

    >>> json_text([{"source": "x", "line": 3}]), json_text({})
    ('[{"source":"x","line":3}]', '{}')
    """
    if not value:
        return "{}" if isinstance(value, dict) else json.dumps(value)
    return pydantic_core.to_json(value).decode()


def provenance_record(provenance: Provenance) -> dict[str, Any]:
    """A provenance entry as stored: only the fields that say something."""
    record: dict[str, Any] = {"source": provenance.source}
    for field in ("version", "line", "note"):
        value = getattr(provenance, field)
        if value is not None:
            record[field] = value
    if provenance.pmids:
        record["pmids"] = list(provenance.pmids)
    if provenance.nct_ids:
        record["nct_ids"] = list(provenance.nct_ids)
    return record


def stored_provenance(provenance: Sequence[Provenance], source: str,
                      version: str | None) -> tuple[int | None, str | None]:
    """An edge assertion's provenance as stored: ``(line, None)`` for the usual single
    entry that names only the asserting source, its version and a line; else
    ``(None, JSON list)``. :func:`read_provenance` is the inverse."""
    if len(provenance) == 1:
        only = provenance[0]
        if (only.source == source and only.version == version and not only.pmids
                and not only.nct_ids and only.note is None):
            return only.line, None
    return None, json_text([provenance_record(p) for p in provenance])


def read_provenance(source: str, version: str | None, line: int | None,
                    stored: str | None) -> list[Provenance]:
    """The provenance entries of one edge assertion (see :func:`stored_provenance`).

    >>> entries = read_provenance("s", "v1", 7, None)
    >>> [(p.source, p.version, p.line) for p in entries]
    [('s', 'v1', 7)]
    >>> read_provenance("s", "v1", *stored_provenance(tuple(entries), "s", "v1")) == entries
    True
    """
    if stored is None:
        return [Provenance(source=source, version=version, line=line)]
    return [Provenance.model_validate(p) for p in json.loads(stored)]
