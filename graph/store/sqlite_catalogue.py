"""What the embedded store has loaded: sources, the ledger, counts, a source read back.

:class:`SqliteCatalogue` is the part of :class:`~graph.store.sqlite.SqliteStore` that
answers for the bookkeeping: the loaded sources (``sources``), what their loaders refused
(``ledger``), how many nodes and edges of each kind there are, one source's batch as it
was loaded, and the whole store streamed (:mod:`graph.store.sqlite_stored`). (The Neo4j
store's counterpart is :mod:`graph.store.neo4j_catalogue`.)
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from graph.errors import StoreError
from graph.model import (
    Counts,
    Edge,
    EdgeType,
    Rejection,
    SourceBatch,
    SourceInfo,
    node_from_record,
)
from graph.store.base import Stored
from graph.store.sqlite_rows import read_provenance
from graph.store.sqlite_stored import stored_rows


class SqliteCatalogue:
    """The store's bookkeeping, read (a part of ``SqliteStore``)."""

    _db: sqlite3.Connection  # set by SqliteStore

    def _rows(self, sql: str, args: Iterable[Any] = ()) -> list[sqlite3.Row]:
        raise NotImplementedError  # the store's query runner

    def counts(self) -> Counts:
        nodes: dict[str, int] = {k: n for k, n in self._rows(
            "SELECT kind, count(*) FROM nodes GROUP BY kind ORDER BY kind")}
        edges: dict[str, int] = {t: n for t, n in self._rows(
            "SELECT type, n FROM edge_counts WHERE n > 0 ORDER BY type")}
        return Counts(nodes=nodes, edges=edges)

    def sources(self) -> list[SourceInfo]:
        return [SourceInfo(name=n, kind=k, version=v, path=p) for n, k, v, p in
                self._rows("SELECT name, kind, version, path FROM sources ORDER BY seq")]

    def ledger(self, *, source: str | None = None,
               limit: int | None = None) -> list[Rejection]:
        sql = ("SELECT s.name, l.path, l.line, l.record, l.reason FROM ledger l "
               "JOIN sources s ON s.sid = l.sid")
        args: list[str | int] = []
        if source is not None:
            sql, args = sql + " WHERE s.name = ?", [source]
        sql += " ORDER BY l.rowid"
        if limit is not None:
            sql, args = sql + " LIMIT ?", [*args, limit]
        return [Rejection(source=s, path=p, line=ln, record=r, reason=why)
                for s, p, ln, r, why in self._rows(sql, args)]

    def ledger_size(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM ledger").fetchone()[0])

    def stored(self) -> Iterator[list[Stored]]:
        """Every node and edge with each source's assertion, streamed (sqlite_stored)."""
        return stored_rows(self._db)

    def source_batch(self, name: str) -> SourceBatch:
        rows = self._rows("SELECT kind, version, path, sid FROM sources WHERE name = ?", (name,))
        if not rows:
            raise StoreError(f"no source named {name!r} is loaded")
        info = SourceInfo(name=name, kind=rows[0][0], version=rows[0][1], path=rows[0][2])
        sid = rows[0][3]
        nodes = [node_from_record(json.loads(data)) for (data,) in self._rows(
            "SELECT a.data FROM node_said a JOIN nodes n ON n.nid = a.nid "
            "WHERE a.sid = ? ORDER BY n.id", (sid,))]
        edges = [Edge(source=src, target=dst, type=EdgeType(typ),
                      provenance=tuple(read_provenance(name, info.version, line, prov)),
                      properties=json.loads(props) if props is not None else {})
                 for src, typ, dst, line, prov, props in self._rows(
                     "SELECT e.source_id, e.type, e.target_id, a.line, a.provenance, "
                     "a.properties FROM edge_said a JOIN edge_ends e ON e.id = a.eid "
                     "WHERE a.sid = ? ORDER BY e.id", (sid,))]
        return SourceBatch(source=info, nodes=tuple(nodes), edges=tuple(edges),
                           rejections=tuple(self.ledger(source=name)))
