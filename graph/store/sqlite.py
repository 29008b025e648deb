"""The embedded store: one SQLite file, the default when no server is around.

The file is an ordinary SQLite database in WAL mode; delete it to start over.
Every source's assertions are kept apart (``node_assertions``,
``edge_assertions``) so that reloading or withdrawing a source changes exactly
what it said; ``nodes`` and ``edges`` hold the merged view that reads use.
"""

from __future__ import annotations

import difflib
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx
import pydantic_core

from graph import ids
from graph.errors import StoreError
from graph.model import (
    EVIDENCE_EDGE_TYPES,
    MECHANISM_KINDS,
    Counts,
    Edge,
    EdgeType,
    Evidence,
    LoadResult,
    Neighbour,
    Node,
    Prediction,
    Provenance,
    Rejection,
    SourceBatch,
    SourceInfo,
    node_from_record,
)
from graph.store.base import GraphStore, degree_key
from graph.store.merge import lookup_keys, merge_records, priority, query_keys

SCHEMA_VERSION = "3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    sid INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, version TEXT,
    path TEXT, loaded_at TEXT NOT NULL, seq INTEGER NOT NULL
);
-- Nodes and sources are referred to by integer keys (nid, sid) everywhere else:
-- indexes of small integers are a fraction of the size of indexes of CURIEs.
-- An assertion that is the only one its node or edge has is kept on that row:
-- nodes.sid / edges.sid name its source (nodes.data is then exactly what that source
-- said). Most nodes and edges of a large load have one source, so most loads write
-- no assertion rows at all. Further sources' assertions go to node_assertions /
-- edge_assertions. A node's view becomes a merge when a second source asserts it, so
-- the first assertion moves to node_assertions too (nodes.sid NULL); an edge's view is
-- assembled at read time, so its row keeps its one assertion beside the others.
CREATE TABLE IF NOT EXISTS nodes (
    nid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
    name TEXT NOT NULL, data TEXT NOT NULL, sid INTEGER
);
CREATE INDEX IF NOT EXISTS nodes_kind ON nodes (kind);
CREATE INDEX IF NOT EXISTS nodes_source ON nodes (sid);
CREATE TABLE IF NOT EXISTS node_assertions (
    nid INTEGER NOT NULL, sid INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (nid, sid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS node_assertions_source ON node_assertions (sid);
-- Lookup keys of each node's merged view (merge.lookup_keys); rewritten from the
-- old and new views, so no index by node is needed.
CREATE TABLE IF NOT EXISTS names (
    key TEXT NOT NULL, nid INTEGER NOT NULL, PRIMARY KEY (key, nid)
) WITHOUT ROWID;
-- line, provenance, properties: the assertion of source sid (see edge_assertions).
-- The ends' kinds are the nodes' (edge_ends), not repeated here.
CREATE TABLE IF NOT EXISTS edges (
    eid INTEGER PRIMARY KEY, src INTEGER NOT NULL, type TEXT NOT NULL, dst INTEGER NOT NULL,
    sid INTEGER, line INTEGER, provenance TEXT, properties TEXT,
    UNIQUE (src, type, dst)
);
CREATE INDEX IF NOT EXISTS edges_target ON edges (dst);
CREATE INDEX IF NOT EXISTS edges_source ON edges (sid);
-- provenance NULL: the usual single entry naming this source, its version and
-- ``line`` (the JSON list otherwise); properties NULL: none.
CREATE TABLE IF NOT EXISTS edge_assertions (
    eid INTEGER NOT NULL, sid INTEGER NOT NULL, line INTEGER,
    provenance TEXT, properties TEXT,
    PRIMARY KEY (eid, sid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edge_assertions_source ON edge_assertions (sid);
-- Every assertion, wherever it is kept.
CREATE VIEW IF NOT EXISTS node_said (nid, sid, data) AS
SELECT nid, sid, data FROM nodes WHERE sid IS NOT NULL
UNION ALL SELECT nid, sid, data FROM node_assertions;
CREATE VIEW IF NOT EXISTS edge_said (eid, sid, line, provenance, properties) AS
SELECT eid, sid, line, provenance, properties FROM edges WHERE sid IS NOT NULL
UNION ALL SELECT eid, sid, line, provenance, properties FROM edge_assertions;
CREATE TABLE IF NOT EXISTS ledger (
    sid INTEGER NOT NULL, path TEXT, line INTEGER, record TEXT, reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_source ON ledger (sid);
-- Edges with their ends' CURIEs and kinds, for reads. The unary + keeps a filter on
-- a kind from walking the nodes_kind index (every Gene, say) instead of the ids asked for.
CREATE VIEW IF NOT EXISTS edge_ends (id, source_id, type, target_id, source_kind, target_kind)
AS SELECT e.eid, s.id, e.type, t.id, +s.kind, +t.kind
FROM edges e JOIN nodes s ON s.nid = e.src JOIN nodes t ON t.nid = e.dst;
"""

_EVIDENCE_TYPES = tuple(sorted(t.value for t in EVIDENCE_EDGE_TYPES))
_MECHANISM_KINDS = tuple(sorted(k.value for k in MECHANISM_KINDS))
# SQL fragment restricting an `edges` row to mechanism statements.
_MECHANISM_EDGE = (
    f"type NOT IN ({','.join('?' * len(_EVIDENCE_TYPES))})"
    f" AND source_kind IN ({','.join('?' * len(_MECHANISM_KINDS))})"
    f" AND target_kind IN ({','.join('?' * len(_MECHANISM_KINDS))})"
)
_MECHANISM_ARGS = (*_EVIDENCE_TYPES, *_MECHANISM_KINDS, *_MECHANISM_KINDS)
_T = TypeVar("_T")
_CHUNK = 500  # ids per IN (...) list; SQLite allows 32,766 variables


def _chunks(items: Sequence[_T], size: int = _CHUNK) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


#: The fields of a node's record its lookup keys come from.
_KEYED_FIELDS = ("id", "kind", "name", "synonyms", "xrefs")


def _record_keys(record: dict[str, Any]) -> set[str]:
    return lookup_keys(record["id"], record["name"], record.get("synonyms") or (),
                       record.get("xrefs") or (), kind=record["kind"])


def _json(value: Any) -> str:
    """Compact JSON text, encoded in Rust (several times faster than ``json.dumps``).

    >>> _json([{"source": "x", "line": 3}]), _json({})
    ('[{"source":"x","line":3}]', '{}')
    """
    if not value:
        return "{}" if isinstance(value, dict) else json.dumps(value)
    return pydantic_core.to_json(value).decode()


def _provenance_record(provenance: Provenance) -> dict[str, Any]:
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


def _stored_provenance(provenance: tuple[Provenance, ...], source: str,
                       version: str | None) -> tuple[int | None, str | None]:
    """An edge assertion's provenance as stored: ``(line, None)`` for the usual single
    entry that names only the asserting source, its version and a line; else
    ``(None, JSON list)``. :func:`_read_provenance` is the inverse."""
    if len(provenance) == 1:
        only = provenance[0]
        if (only.source == source and only.version == version and not only.pmids
                and not only.nct_ids and only.note is None):
            return only.line, None
    return None, _json([_provenance_record(p) for p in provenance])


def _read_provenance(source: str, version: str | None, line: int | None,
                     stored: str | None) -> list[Provenance]:
    """The provenance entries of one edge assertion (see :func:`_stored_provenance`).

    >>> entries = _read_provenance("s", "v1", 7, None)
    >>> [(p.source, p.version, p.line) for p in entries]
    [('s', 'v1', 7)]
    >>> _read_provenance("s", "v1", *_stored_provenance(tuple(entries), "s", "v1")) == entries
    True
    """
    if stored is None:
        return [Provenance(source=source, version=version, line=line)]
    return [Provenance.model_validate(p) for p in json.loads(stored)]


def sqlite_path(uri: str) -> Path:
    """The file a ``sqlite:///path`` URI (or a plain path) names.

    >>> sqlite_path("sqlite:///txkg.db"), sqlite_path("sqlite:////tmp/x.db")
    (PosixPath('txkg.db'), PosixPath('/tmp/x.db'))
    """
    if uri.startswith("sqlite:///"):
        return Path(uri[len("sqlite:///") :])
    if uri.startswith("sqlite://"):
        raise StoreError(f"cannot open {uri!r}: write sqlite:///relative/path or sqlite:////abs/path")
    return Path(uri)


class SqliteStore(GraphStore):
    """The graph in one SQLite file (WAL; one transaction per load, or per :meth:`bulk` block)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.uri = f"sqlite:///{self.path}"
        if self.path.is_dir():
            raise StoreError(f"cannot open store {self.path}: it is a directory")
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA temp_store=MEMORY")
            self._db.execute("PRAGMA cache_size=-65536")  # 64 MiB of page cache
            self._db.execute("PRAGMA foreign_keys=OFF")
            self._check_schema_version()
            self._db.executescript(_SCHEMA)
            self._db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
            )
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot open store {self.path}: {error}") from error

    def _check_schema_version(self) -> None:
        """Refuse a file another layout of this store wrote (its tables would not fit)."""
        if not self._db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone():
            return
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is not None and row[0] != SCHEMA_VERSION:
            raise StoreError(
                f"cannot open store {self.path}: it was written with store schema {row[0]}, "
                f"this txkg reads schema {SCHEMA_VERSION}; delete it (or name a new file) and "
                f"load your sources again")

    # -- plumbing ------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One source's writes: a transaction, or a savepoint inside :meth:`bulk`."""
        nested = self._db.in_transaction
        try:
            self._db.execute("SAVEPOINT load" if nested else "BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot write {self.path}: {error}") from error
        try:
            yield self._db
        except BaseException:
            if nested:
                self._db.execute("ROLLBACK TO load")
                self._db.execute("RELEASE load")
            else:
                self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("RELEASE load" if nested else "COMMIT")

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Many loads, one commit: each load stays atomic (a savepoint), and the file is
        written once at the end instead of once per source. An error rolls back every
        load made inside the block."""
        if self._db.in_transaction:  # already inside a bulk block
            yield
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot write {self.path}: {error}") from error
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")

    def _rows(self, sql: str, args: Iterable[Any] = ()) -> list[sqlite3.Row]:
        try:
            cursor = self._db.execute(sql, tuple(args))
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot read {self.path}: {error}") from error
        return list(cursor.fetchall())

    def close(self) -> None:
        self._db.close()

    # -- writing -------------------------------------------------------------

    def load(self, batch: SourceBatch) -> LoadResult:
        source = batch.source
        old = self._rows("SELECT sid, version FROM sources WHERE name = ?", (source.name,))
        if old and source.version is not None and old[0][1] == source.version:
            sid = old[0][0]
            nodes = self._rows("SELECT count(*) FROM node_said WHERE sid = ?", (sid,))[0][0]
            edges = self._rows("SELECT count(*) FROM edge_said WHERE sid = ?", (sid,))[0][0]
            return LoadResult(source=source, nodes=nodes, edges=edges,
                              rejections=tuple(self.ledger(source=source.name)), unchanged=True)
        with self._transaction() as db:
            return self._replace(db, batch, new_source=not old)

    def remove_source(self, name: str) -> LoadResult:
        rows = self._rows("SELECT kind, version, path FROM sources WHERE name = ?", (name,))
        if not rows:
            raise StoreError(f"no source named {name!r} is loaded")
        info = SourceInfo(name=name, kind=rows[0][0], version=rows[0][1], path=rows[0][2])
        with self._transaction() as db:
            result = self._replace(db, SourceBatch(source=info))
            db.execute("DELETE FROM sources WHERE name = ?", (name,))
        return result

    def _replace(self, db: sqlite3.Connection, batch: SourceBatch, *,
                 new_source: bool = False) -> LoadResult:
        """Withdraw what the source said (nothing, for a ``new_source``), write what it says."""
        name, version = batch.source.name, batch.source.version
        seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM sources").fetchone()[0]
        sid = db.execute(
            "INSERT INTO sources (name, kind, version, path, loaded_at, seq) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
            "kind = excluded.kind, version = excluded.version, path = excluded.path, "
            "loaded_at = excluded.loaded_at, seq = excluded.seq RETURNING sid",
            (name, batch.source.kind, version, batch.source.path,
             datetime.now(UTC).isoformat(timespec="seconds"), seq),
        ).fetchone()[0]
        old_nodes: list[str] = []
        old_edges: list[int] = []
        if not new_source:
            old_nodes = [r[0] for r in db.execute(
                "SELECT n.id FROM node_said a JOIN nodes n ON n.nid = a.nid "
                "WHERE a.sid = ?", (sid,))]
            old_edges = [r[0] for r in db.execute(
                "SELECT eid FROM edge_said WHERE sid = ?", (sid,))]
            # A node's data stays its (now stale) view until _remerge rewrites it.
            db.execute("UPDATE nodes SET sid = NULL WHERE sid = ?", (sid,))
            db.execute("DELETE FROM node_assertions WHERE sid = ?", (sid,))
            db.execute("UPDATE edges SET sid = NULL, line = NULL, provenance = NULL, "
                       "properties = NULL WHERE sid = ?", (sid,))
            db.execute("DELETE FROM edge_assertions WHERE sid = ?", (sid,))
            db.execute("DELETE FROM ledger WHERE sid = ?", (sid,))

        # Nodes: one assertion per (node, source); a later duplicate in the batch wins.
        asserted: dict[str, Node] = {node.id: node for node in batch.nodes}
        # model_dump_json(exclude_none=True), without its Python wrapper: once per node.
        fresh = {node_id: node.__pydantic_serializer__.to_json(node, exclude_none=True).decode()
                 for node_id, node in asserted.items()}
        ends = _Ends(db)
        stored = ends.add_batch(asserted)
        # Another source's assertion kept on its node's row (the node's whole view) is
        # about to stop being the only one: move it to node_assertions first.
        for chunk in _chunks([ends.nid[n] for n in stored]):
            marks = _marks(len(chunk))
            db.execute("INSERT INTO node_assertions SELECT nid, sid, data FROM nodes "
                       f"WHERE sid IS NOT NULL AND nid IN ({marks})", chunk)
            db.execute(f"UPDATE nodes SET sid = NULL WHERE sid IS NOT NULL AND nid IN ({marks})",
                       chunk)
        # A node this source creates keeps its assertion on its row (see _remerge).
        db.executemany("INSERT INTO node_assertions VALUES (?, ?, ?)",
                       ((ends.nid[node_id], sid, fresh[node_id]) for node_id in stored))

        # Edges: endpoints must be known; an edge to nowhere is a rejection.
        endpoints = {edge.source for edge in batch.edges}
        endpoints.update(edge.target for edge in batch.edges)
        ends.look_up(endpoints)
        known = ends.kind
        rejections = list(batch.rejections)
        edges: dict[tuple[str, str, str], Edge] = {}
        for edge in batch.edges:
            src, dst = edge.source, edge.target
            if src not in known or dst not in known:
                rejections.append(Rejection(
                    source=name, path=batch.source.path,
                    line=next((p.line for p in edge.provenance if p.line), None),
                    record=f"{src} -[{edge.type.value}]-> {dst}",
                    reason=f"edge endpoint {src if src not in known else dst} is not a "
                           f"known node"))
                continue
            key = (src, edge.type._value_, dst)  # _value_: the plain str, for SQLite
            previous = edges.setdefault(key, edge)
            if previous is not edge:  # the same statement twice: keep both provenances
                edges[key] = previous.model_copy(update={
                    "provenance": previous.provenance + edge.provenance,
                    "properties": {**previous.properties, **edge.properties}})
        self._write_edges(db, sid, name, version, edges, ends,
                          created=fresh.keys() - stored.keys())
        db.executemany(
            "INSERT INTO ledger VALUES (?, ?, ?, ?, ?)",
            ((sid, r.path, r.line, r.record, r.reason) for r in rejections),
        )

        removed_nodes = self._remerge(db, sid, set(old_nodes), asserted, ends.kind, fresh,
                                      stored, ends.nid,
                                      strongest=self._is_strongest(db, batch.source))
        removed_edges = self._drop_unasserted_edges(db, old_edges)
        return LoadResult(
            source=batch.source, nodes=len(asserted), edges=len(edges),
            rejections=tuple(rejections), nodes_removed=removed_nodes,
            edges_removed=removed_edges,
        )

    @staticmethod
    def _write_edges(db: sqlite3.Connection, sid: int, name: str, version: str | None,
                     edges: dict[tuple[str, str, str], Edge], ends: _Ends,
                     created: set[str]) -> None:
        """Write the batch's edges with this source's assertion of each.

        An edge with an end this load created cannot be stored yet: it is appended with
        the next free key, the assertion on its row. The others may exist (another
        source said so): they go through a temporary table, set-wise. The assertion
        goes on the edge's row when that slot is free, else to ``edge_assertions``.
        """
        # Loaders often share provenance between edges (one tuple, or the one entry of
        # several tuples): encode each once, keyed by the shared object (alive all load).
        encoded: dict[int, tuple[int | None, str | None]] = {}
        nid = ends.nid
        eid = db.execute("SELECT coalesce(max(eid), 0) FROM edges").fetchone()[0]
        new_edges: list[tuple[Any, ...]] = []
        maybe_stored: list[tuple[Any, ...]] = []
        for (src, typ, dst), edge in edges.items():
            provenance = edge.provenance
            shared = id(provenance[0]) if len(provenance) == 1 else id(provenance)
            stored = encoded.get(shared)
            if stored is None:
                stored = encoded[shared] = _stored_provenance(provenance, name, version)
            properties = _json(edge.properties) if edge.properties else None
            if src in created or dst in created:
                eid += 1
                new_edges.append((eid, nid[src], typ, nid[dst], sid, *stored, properties))
            else:
                maybe_stored.append((nid[src], typ, nid[dst], *stored, properties))
        db.executemany("INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?, ?, ?)", new_edges)
        if not maybe_stored:
            return
        db.execute("CREATE TEMP TABLE IF NOT EXISTS batch_edges (src INTEGER, type TEXT, "
                   "dst INTEGER, line INTEGER, provenance TEXT, properties TEXT)")
        db.execute("DELETE FROM temp.batch_edges")
        db.executemany("INSERT INTO temp.batch_edges VALUES (?, ?, ?, ?, ?, ?)",
                       maybe_stored)
        db.execute("INSERT OR IGNORE INTO edges (src, type, dst, sid, line, provenance, "
                   "properties) SELECT src, type, dst, ?, line, provenance, properties "
                   "FROM temp.batch_edges", (sid,))
        # An edge whose row slot is free: the source kept there withdrew (a reload).
        db.execute("UPDATE edges SET sid = ?, line = b.line, provenance = b.provenance, "
                   "properties = b.properties FROM temp.batch_edges b WHERE edges.sid IS NULL "
                   "AND edges.src = b.src AND edges.type = b.type AND edges.dst = b.dst", (sid,))
        db.execute("INSERT INTO edge_assertions SELECT e.eid, ?, b.line, b.provenance, "
                   "b.properties FROM temp.batch_edges b JOIN edges e ON "
                   "e.src = b.src AND e.type = b.type AND e.dst = b.dst WHERE e.sid != ?",
                   (sid, sid))
        db.execute("DELETE FROM temp.batch_edges")

    @staticmethod
    def _is_strongest(db: sqlite3.Connection, source: SourceInfo) -> bool:
        """True when this source's values win over every other loaded source's."""
        others = [kind for (kind,) in db.execute(
            "SELECT DISTINCT kind FROM sources WHERE name != ?", (source.name,))]
        return all(priority(source.kind) >= priority(kind) for kind in others)

    def _remerge(self, db: sqlite3.Connection, sid: int, withdrawn: set[str],
                 asserted: dict[str, Node], kinds: dict[str, str],
                 fresh: dict[str, str], stored: dict[str, str], nids: dict[str, int], *,
                 strongest: bool) -> int:
        """Bring the merged view of the touched nodes up to date; drop those nobody asserts.

        ``withdrawn`` are nodes the source asserted before this load, ``fresh`` maps the
        nodes it asserts now to their assertion (``asserted``: the same, as models),
        ``stored`` the existing ones to their merged data, ``nids`` and ``kinds`` the
        batch's nodes to their keys and kinds. A new node's view is its one assertion,
        written as is. Merging is a left fold in priority order, so when the loading
        source is the strongest and said nothing about a node before, the new view is
        the old view folded with the new assertion; everything else is merged from
        scratch. A node left with one assertion keeps it on its row (``nodes.sid``).
        The names table follows: keys of an old view that the new view lacks are
        deleted, new ones inserted.
        """
        rows: list[tuple[int, str, str, str, str, int | None]] = []
        names: list[tuple[str, int]] = []
        old_views: dict[str, dict[str, Any]] = {}  # node id -> its view before this load
        new_views: dict[str, dict[str, Any]] = {}  # ... and after, where it changed
        full = set(withdrawn)
        for node_id, data in fresh.items():
            if node_id in withdrawn:
                continue
            if node_id not in stored:  # a new node: its one assertion is its view
                node, nid, kind = asserted[node_id], nids[node_id], kinds[node_id]
                rows.append((nid, node_id, kind, node.name, data, sid))
                names.extend((key, nid) for key in lookup_keys(
                    node_id, node.name, node.synonyms, node.xrefs, kind=kind))
                continue
            if strongest:
                old = json.loads(stored[node_id])
                record = merge_records([old, json.loads(data)])
                if record == old:
                    continue
            else:
                full.add(node_id)
                continue
            old_views[node_id], new_views[node_id] = old, record
            rows.append((nids[node_id], node_id, record["kind"], record["name"],
                         _json(record), None))

        seq = {source: (priority(kind), s) for source, kind, s in
               db.execute("SELECT sid, kind, seq FROM sources")} if full else {}
        by_node: dict[str, list[tuple[tuple[int, int], int, str]]] = defaultdict(list)
        ordered = sorted(full)
        for chunk in _chunks(ordered):
            marks = _marks(len(chunk))
            for node_id, nid, data in db.execute(
                    f"SELECT id, nid, data FROM nodes WHERE id IN ({marks})", chunk):
                old_views[node_id] = json.loads(data)
                nids[node_id] = nid
            for node_id, source, data in db.execute(
                f"SELECT id, sid, data FROM nodes WHERE sid IS NOT NULL AND id IN ({marks}) "
                "UNION ALL SELECT n.id, a.sid, a.data FROM nodes n JOIN node_assertions a "
                f"ON a.nid = n.nid WHERE n.id IN ({marks})", [*chunk, *chunk]
            ):
                by_node[node_id].append((seq.get(source, (0, 0)), source, data))
        gone = [nids[n] for n in ordered if n not in by_node and n in nids]
        for keys in _chunks(gone):
            marks = _marks(len(keys))
            db.execute(f"DELETE FROM edge_assertions WHERE eid IN (SELECT eid FROM edges "
                       f"WHERE src IN ({marks}) OR dst IN ({marks}))", [*keys, *keys])
            db.execute(f"DELETE FROM edges WHERE src IN ({marks}) OR dst IN ({marks})",
                       [*keys, *keys])
            db.execute(f"DELETE FROM nodes WHERE nid IN ({marks})", keys)
        inlined: list[tuple[int, int]] = []
        for node_id, assertions in by_node.items():
            assertions.sort(key=lambda a: a[0])
            record = merge_records(json.loads(data) for _, _, data in assertions)
            only = assertions[0][1] if len(assertions) == 1 else None
            if only is not None:
                inlined.append((nids[node_id], only))
            new_views[node_id] = record
            rows.append((nids[node_id], node_id, record["kind"], record["name"],
                         _json(record), only))
        db.executemany("DELETE FROM node_assertions WHERE nid = ? AND sid = ?", inlined)

        # Names of changed views: only the keys that differ are written.
        stale: list[tuple[str, int]] = []
        for node_id, old_view in old_views.items():
            new_view = new_views.get(node_id)
            if new_view is not None and all(old_view.get(field) == new_view.get(field)
                                            for field in _KEYED_FIELDS):
                continue
            old_keys = _record_keys(old_view)
            new_keys = _record_keys(new_view) if new_view is not None else set()
            stale.extend((key, nids[node_id]) for key in old_keys - new_keys)
            names.extend((key, nids[node_id]) for key in new_keys - old_keys)
        db.executemany("DELETE FROM names WHERE key = ? AND nid = ?", stale)
        db.executemany("INSERT INTO nodes VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (nid) DO UPDATE "
                       "SET kind = excluded.kind, name = excluded.name, data = excluded.data, "
                       "sid = excluded.sid",
                       rows)
        names.sort()  # in key order: each B-tree page is visited once, not at random
        db.executemany("INSERT OR IGNORE INTO names VALUES (?, ?)", names)
        return len(gone)

    def _drop_unasserted_edges(self, db: sqlite3.Connection, edge_ids: list[int]) -> int:
        removed = 0
        for chunk in _chunks(edge_ids):
            removed += db.execute(
                f"DELETE FROM edges WHERE eid IN ({_marks(len(chunk))}) AND sid IS NULL "
                "AND NOT EXISTS "
                "(SELECT 1 FROM edge_assertions a WHERE a.eid = edges.eid)", chunk
            ).rowcount
        return removed

    # -- reading nodes -------------------------------------------------------

    def _nodes(self, node_ids: Sequence[str]) -> dict[str, Node]:
        found: dict[str, Node] = {}
        for chunk in _chunks(node_ids):
            for node_id, data in self._rows(
                f"SELECT id, data FROM nodes WHERE id IN ({_marks(len(chunk))})", chunk
            ):
                found[node_id] = node_from_record(json.loads(data))
        return found

    def node(self, node_id: str) -> Node | None:
        return self._nodes([node_id]).get(node_id)

    def find(self, text: str, *, kind: str | None = None, limit: int = 20) -> list[Node]:
        keys = query_keys(text)
        hits = [r[0] for r in self._rows(
            f"SELECT DISTINCT n.id FROM names k JOIN nodes n ON n.nid = k.nid "
            f"WHERE k.key IN ({_marks(len(keys))})", keys)]
        nodes = [n for n in self._nodes(hits).values() if kind is None or n.label == kind]
        wanted = text.strip().casefold()
        nodes.sort(key=lambda n: (n.id.casefold() != wanted, n.id))
        return nodes[:limit]

    def kinds_of(self, node_ids: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(node_ids))
        found: dict[str, str] = {}
        for chunk in _chunks(wanted):
            found.update((node_id, kind) for node_id, kind in self._rows(
                f"SELECT id, kind FROM nodes WHERE id IN ({_marks(len(chunk))})", chunk))
        return found

    def kinds_present(self, kinds: Iterable[str]) -> set[str]:
        return {kind for kind in dict.fromkeys(kinds) if self._rows(
            "SELECT EXISTS (SELECT 1 FROM nodes WHERE kind = ?)", (kind,))[0][0]}

    def find_many(self, texts: Iterable[str], *,
                  kind: str | None = None) -> dict[str, list[Node]]:
        keys_of: dict[str, set[str]] = {}
        for text in texts:
            keys_of[text] = query_keys(text)
        nodes_by_key: dict[str, list[str]] = defaultdict(list)
        all_keys = sorted(set().union(*keys_of.values())) if keys_of else []
        for chunk in _chunks(all_keys):
            # The kind is checked on the hits below: a kind filter in SQL makes SQLite
            # walk every node of that kind.
            for key, node_id in self._rows(
                f"SELECT k.key, n.id FROM names k JOIN nodes n ON n.nid = k.nid "
                f"WHERE k.key IN ({_marks(len(chunk))})", chunk
            ):
                nodes_by_key[key].append(node_id)
        nodes = self._nodes(sorted({n for hits in nodes_by_key.values() for n in hits}))
        if kind is not None:
            nodes = {node_id: n for node_id, n in nodes.items() if n.label == kind}
        found: dict[str, list[Node]] = {}
        for text, keys in keys_of.items():
            hit_ids = sorted({n for key in keys for n in nodes_by_key.get(key, ())})
            hits = [nodes[n] for n in hit_ids if n in nodes]
            if hits:
                wanted = text.strip().casefold()
                hits.sort(key=lambda n: (n.id.casefold() != wanted, n.id))
                found[text] = hits
        return found

    def similar_names(self, text: str, *, kind: str | None = None, limit: int = 5) -> list[str]:
        sql, args = "SELECT DISTINCT name FROM nodes", []
        if kind is not None:
            sql, args = sql + " WHERE kind = ?", [kind]
        names = [r[0] for r in self._rows(sql, args)]
        by_key = {ids.name_key(n): n for n in names}
        close = difflib.get_close_matches(ids.name_key(text), list(by_key), n=limit, cutoff=0.6)
        return [by_key[c] for c in close]

    def neighbours(self, node_id: str, *, kind: str | None = None,
                   edge_type: str | None = None, limit: int | None = None) -> list[Neighbour]:
        sql = ("SELECT id, source_id, type, target_id FROM edge_ends WHERE source_id = ? "
               "UNION ALL SELECT id, source_id, type, target_id FROM edge_ends WHERE target_id = ? "
               "AND source_id != ?")
        rows = self._rows(sql, (node_id, node_id, node_id))
        if edge_type is not None:
            rows = [r for r in rows if r[2] == edge_type]
        edges = self._edges([r[0] for r in rows])
        others = self._nodes([r[3] if r[1] == node_id else r[1] for r in rows])
        result = []
        for edge_id, src, _type, dst in rows:
            other = others[dst if src == node_id else src]
            if kind is not None and other.label != kind:
                continue
            result.append(Neighbour(edge=edges[edge_id], node=other, outgoing=src == node_id))
        result.sort(key=lambda n: (n.edge.type.value, n.node.label, n.node.name.casefold()))
        return result[:limit] if limit is not None else result

    def _edges(self, edge_ids: Sequence[int]) -> dict[int, Edge]:
        """Merged edges by id: every source's provenance, properties unioned."""
        rows: dict[int, tuple[str, str, str]] = {}
        assertions: dict[int, list[tuple[list[Provenance], str | None]]] = defaultdict(list)
        for start in range(0, len(edge_ids), _CHUNK):
            chunk = list(edge_ids[start : start + _CHUNK])
            marks = _marks(len(chunk))
            for edge_id, src, typ, dst in self._rows(
                f"SELECT id, source_id, type, target_id FROM edge_ends WHERE id IN ({marks})", chunk
            ):
                rows[edge_id] = (src, typ, dst)
            for edge_id, source, version, line, provenance, properties in self._rows(
                "SELECT a.eid, s.name, s.version, a.line, a.provenance, a.properties "
                "FROM edge_said a JOIN sources s ON s.sid = a.sid "
                f"WHERE a.eid IN ({marks}) ORDER BY s.name", chunk
            ):
                assertions[edge_id].append(
                    (_read_provenance(source, version, line, provenance), properties))
        return {edge_id: _edge(src, typ, dst, assertions[edge_id])
                for edge_id, (src, typ, dst) in rows.items()}

    # -- predictions and evidence -------------------------------------------

    def predictions(self, *, drug_id: str | None = None,
                    disease_id: str | None = None) -> list[Prediction]:
        clauses, args = [], []
        if drug_id is not None:
            clauses.append("nid IN (SELECT src FROM edges WHERE type = 'OF_DRUG' "
                           "AND dst = (SELECT nid FROM nodes WHERE id = ?))")
            args.append(drug_id)
        if disease_id is not None:
            clauses.append("nid IN (SELECT src FROM edges WHERE type = 'FOR_DISEASE' "
                           "AND dst = (SELECT nid FROM nodes WHERE id = ?))")
            args.append(disease_id)
        where = " AND ".join(["kind = 'Prediction'", *clauses])
        rows = self._rows(f"SELECT data FROM nodes WHERE {where}", args)
        found = [node_from_record(json.loads(r[0])) for r in rows]
        predictions = [p for p in found if isinstance(p, Prediction)]
        predictions.sort(key=lambda p: (p.score is None, -(p.score or 0.0), p.rank or 0, p.id))
        return predictions

    def evidence(self, prediction_id: str) -> list[Evidence]:
        rows = self._rows("SELECT id, target_id FROM edge_ends WHERE source_id = ? "
                          "AND type = 'SUPPORTED_BY'", (prediction_id,))
        edges = self._edges([r[0] for r in rows])
        nodes = self._nodes([r[1] for r in rows])
        result = []
        for edge_id, target in rows:
            edge = edges[edge_id]
            finding = edge.properties.get("key_finding")
            reports = [p.source for p in edge.provenance]
            result.append(Evidence(node=nodes[target],
                                   key_finding=str(finding) if finding else None,
                                   report=reports[0] if reports else None))
        result.sort(key=lambda e: (e.node.label, e.node.id))
        return result

    # -- analysis ------------------------------------------------------------

    def mechanism_links(self, node_ids: Sequence[str]) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        for chunk in _chunks(node_ids):
            marks = _marks(len(chunk))
            found.update((node, other) for node, other in self._rows(
                f"SELECT source_id, target_id FROM edge_ends WHERE source_id IN ({marks}) "
                f"AND {_MECHANISM_EDGE} "
                f"UNION SELECT target_id, source_id FROM edge_ends WHERE target_id IN ({marks}) "
                f"AND {_MECHANISM_EDGE}",
                [*chunk, *_MECHANISM_ARGS, *chunk, *_MECHANISM_ARGS],
            ))
        return found

    def mechanism_graph(self) -> nx.MultiDiGraph[str]:
        ids_ = [r[0] for r in self._rows(
            f"SELECT id FROM nodes WHERE kind IN ({_marks(len(_MECHANISM_KINDS))})",
            _MECHANISM_KINDS)]
        return self.induced_mechanism_graph(ids_)

    def induced_mechanism_graph(self, node_ids: Sequence[str]) -> nx.MultiDiGraph[str]:
        """The mechanism graph on these nodes, with global per-metaedge degrees."""
        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        wanted = set(node_ids)
        edge_ids: list[int] = []
        for chunk in _chunks(node_ids):
            marks = _marks(len(chunk))
            for node_id, kind, name in self._rows(
                f"SELECT id, kind, name FROM nodes WHERE id IN ({marks}) "
                f"AND kind IN ({_marks(len(_MECHANISM_KINDS))})", [*chunk, *_MECHANISM_KINDS]
            ):
                graph.add_node(node_id, kind=kind, name=name, degrees={})
            for edge_id, target in self._rows(
                f"SELECT id, target_id FROM edge_ends WHERE source_id IN ({marks}) "
                f"AND {_MECHANISM_EDGE}", [*chunk, *_MECHANISM_ARGS]
            ):
                if target in wanted:
                    edge_ids.append(edge_id)
            # Degree per metaedge = distinct neighbours over it, either direction, so a
            # statement stored both ways counts once (as hetnetpy counts undirected edges).
            for node_id, edge_type, other_kind, degree in self._rows(
                "SELECT node, type, other_kind, count(DISTINCT other) FROM ("
                f"SELECT source_id AS node, type, target_kind AS other_kind, target_id AS other "
                f"FROM edge_ends WHERE source_id IN ({marks}) AND {_MECHANISM_EDGE} "
                f"UNION ALL SELECT target_id, type, source_kind, source_id FROM edge_ends "
                f"WHERE target_id IN ({marks}) AND {_MECHANISM_EDGE}) GROUP BY 1, 2, 3",
                [*chunk, *_MECHANISM_ARGS, *chunk, *_MECHANISM_ARGS],
            ):
                if node_id in graph:
                    graph.nodes[node_id]["degrees"][degree_key(edge_type, other_kind)] = degree
        for edge in self._edges(edge_ids).values():
            if edge.source in graph and edge.target in graph:
                graph.add_edge(edge.source, edge.target, key=edge.type.value,
                               type=edge.type.value, provenance=edge.provenance,
                               properties=dict(edge.properties))
        return graph

    # -- bookkeeping ---------------------------------------------------------

    def counts(self) -> Counts:
        nodes: dict[str, int] = {k: n for k, n in self._rows(
            "SELECT kind, count(*) FROM nodes GROUP BY kind ORDER BY kind")}
        edges: dict[str, int] = {t: n for t, n in self._rows(
            "SELECT type, count(*) FROM edges GROUP BY type ORDER BY type")}
        return Counts(nodes=nodes, edges=edges)

    def sources(self) -> list[SourceInfo]:
        return [SourceInfo(name=n, kind=k, version=v, path=p) for n, k, v, p in
                self._rows("SELECT name, kind, version, path FROM sources ORDER BY seq")]

    def ledger(self, *, source: str | None = None) -> list[Rejection]:
        sql, args = ("SELECT s.name, l.path, l.line, l.record, l.reason FROM ledger l "
                     "JOIN sources s ON s.sid = l.sid"), []
        if source is not None:
            sql, args = sql + " WHERE s.name = ?", [source]
        return [Rejection(source=s, path=p, line=ln, record=r, reason=why)
                for s, p, ln, r, why in self._rows(sql + " ORDER BY l.rowid", args)]

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
                      provenance=tuple(_read_provenance(name, info.version, line, prov)),
                      properties=json.loads(props) if props is not None else {})
                 for src, typ, dst, line, prov, props in self._rows(
                     "SELECT e.source_id, e.type, e.target_id, a.line, a.provenance, "
                     "a.properties FROM edge_said a JOIN edge_ends e ON e.id = a.eid "
                     "WHERE a.sid = ? ORDER BY e.id", (sid,))]
        return SourceBatch(source=info, nodes=tuple(nodes), edges=tuple(edges),
                           rejections=tuple(self.ledger(source=name)))


class _Ends:
    """Integer keys and kinds of the nodes one load touches: the batch's own (a new node
    gets the next free key) and the stored nodes its edges point at."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self.nid: dict[str, int] = {}
        self.kind: dict[str, str] = {}

    def add_batch(self, asserted: dict[str, Node]) -> dict[str, str]:
        """Key the batch's nodes; return the stored merged data of those that exist.

        Raises StoreError when the batch gives a stored node another kind.
        """
        stored: dict[str, str] = {}
        kinds = {node_id: node.label for node_id, node in asserted.items()}
        for chunk in _chunks(list(asserted)):
            for node_id, nid, kind, data in self._db.execute(
                f"SELECT id, nid, kind, data FROM nodes WHERE id IN ({_marks(len(chunk))})",
                chunk,
            ):
                if kinds[node_id] != kind:
                    raise StoreError(
                        f"{node_id} is a {kind} in the store but this source says "
                        f"{kinds[node_id]}")
                stored[node_id] = data
                self.nid[node_id] = nid
        self.kind.update(kinds)
        new = [node_id for node_id in asserted if node_id not in stored]
        last = self._db.execute("SELECT coalesce(max(nid), 0) FROM nodes").fetchone()[0]
        self.nid.update(zip(new, range(last + 1, last + 1 + len(new)), strict=True))
        return stored

    def look_up(self, node_ids: set[str]) -> None:
        """Key the stored nodes among ``node_ids`` that the batch does not hold."""
        wanted = [n for n in node_ids if n not in self.kind]
        for chunk in _chunks(wanted):
            for node_id, nid, kind in self._db.execute(
                f"SELECT id, nid, kind FROM nodes WHERE id IN ({_marks(len(chunk))})", chunk
            ):
                self.nid[node_id] = nid
                self.kind[node_id] = kind


def _edge(source: str, edge_type: str, target: str,
          assertions: list[tuple[list[Provenance], str | None]]) -> Edge:
    provenance: list[Provenance] = []
    properties: dict[str, Any] = {}
    for entries, props_json in assertions:
        provenance.extend(entries)
        if props_json is not None:
            properties.update(json.loads(props_json))
    return Edge(source=source, target=target, type=EdgeType(edge_type),
                provenance=tuple(provenance), properties=properties)
