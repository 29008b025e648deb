"""The embedded store read out whole, a chunk at a time: :meth:`SqliteStore.stored`.

Nodes in key order with every source's assertion (``node_said``), then edges in
key order, their ends' ids from a map of node keys (one entry per node, held
while the edges pass): each edge row's own assertion joined, in the same pass,
with the further ones ``edge_assertions`` keeps (both are read in edge-key order, so one
merge pass and no sort). An assertion with the usual single provenance entry
comes out as a :class:`~graph.stream.Statement`; property texts, shared by
millions of a large source's edges, are parsed once each.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from typing import Any

from graph.model import Edge, EdgeType, Node, node_from_record
from graph.store.base import Stored
from graph.store.sqlite_rows import read_provenance
from graph.stream import CHUNK_SIZE, Statement

_EdgeRow = tuple[int, int | None, int | None, str | None, str | None]  # eid, sid, line, prov, props


def stored_rows(db: sqlite3.Connection, size: int = CHUNK_SIZE) -> Iterator[list[Stored]]:
    """Every node, then every edge, with what each source says of it (module docstring)."""
    sources = {sid: (name, version) for sid, name, version in
               db.execute("SELECT sid, name, version FROM sources")}
    chunk: list[Stored] = []
    current: tuple[int, str] | None = None
    said: dict[str, Node | Edge | Statement] = {}
    for nid, node_id, sid, data in db.execute(
            "SELECT a.nid, n.id, a.sid, a.data FROM node_said a JOIN nodes n ON n.nid = a.nid "
            "ORDER BY a.nid"):
        if current is not None and current[0] != nid:
            chunk.append(Stored(current[1], said))
            said = {}
            if len(chunk) >= size:
                yield chunk
                chunk = []
        current = (nid, node_id)
        said[sources[sid][0]] = node_from_record(json.loads(data))
    if current is not None:
        chunk.append(Stored(current[1], said))
    if chunk:
        yield chunk
    yield from _edges(db, sources, size)


def _edges(db: sqlite3.Connection, sources: Mapping[int, tuple[str, str | None]],
           size: int) -> Iterator[list[Stored]]:
    statement = _Statements(sources)
    names = {sid: name for sid, (name, _) in sources.items()}
    types, texts = statement.types, statement.properties
    extra = db.cursor().execute(
        "SELECT eid, sid, line, provenance, properties FROM edge_assertions ORDER BY eid")
    pending: _EdgeRow | None = next(extra, None)
    next_extra = pending[0] if pending is not None else -1
    chunk: list[Stored] = []
    new = tuple.__new__  # the NamedTuples' own constructors are Python code, 3x slower
    ids = dict(db.execute("SELECT nid, id FROM nodes"))  # cheaper than two joins per edge
    for eid, src_key, typ, dst_key, sid, line, provenance, properties in db.execute(
            "SELECT eid, src, type, dst, sid, line, provenance, properties FROM edges "
            "ORDER BY eid"):
        src, dst = ids[src_key], ids[dst_key]
        if provenance is None and sid is not None and eid != next_extra:
            # The usual edge: one source, its own provenance entry.
            props = None if properties is None else texts.get(properties)
            if props is None and properties is not None:
                props = texts[properties] = json.loads(properties)
            chunk.append(new(Stored, ((src, typ, dst), {names[sid]: new(Statement, (
                src, types[typ], dst, line, (), props))})))
        else:
            said: dict[str, Node | Edge | Statement] = {}
            if sid is not None:
                said[names[sid]] = statement(src, typ, dst, sid, line, provenance, properties)
            while pending is not None and pending[0] <= eid:
                other, other_sid, other_line, other_prov, other_props = pending
                if other == eid and other_sid is not None:
                    said[names[other_sid]] = statement(src, typ, dst, other_sid, other_line,
                                                       other_prov, other_props)
                pending = next(extra, None)
            next_extra = pending[0] if pending is not None else -1
            chunk.append(Stored((src, typ, dst), said))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Statements:
    """Stored edge assertions as statements (or edges, for unusual provenance)."""

    def __init__(self, sources: Mapping[int, tuple[str, str | None]]) -> None:
        self.sources = sources
        self.properties: dict[str, dict[str, Any]] = {}
        self.types = {t.value: t for t in EdgeType}

    def __call__(self, src: str, typ: str, dst: str, sid: int, line: int | None,
                 provenance: str | None, properties: str | None) -> Edge | Statement:
        props = None
        if properties is not None:
            props = self.properties.get(properties)
            if props is None:
                props = self.properties[properties] = json.loads(properties)
        edge_type = self.types[typ]
        if provenance is None:
            return Statement(src, edge_type, dst, line, (), props)
        name, version = self.sources[sid]
        entries = read_provenance(name, version, line, provenance)
        only = entries[0]
        if (len(entries) == 1 and only.source == name and only.version == version
                and not only.nct_ids and only.note is None):
            return Statement(src, edge_type, dst, only.line, only.pmids, props)
        return Edge(source=src, target=dst, type=edge_type, provenance=tuple(entries),
                    properties=dict(props or {}))
