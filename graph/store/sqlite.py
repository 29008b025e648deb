"""The embedded store: one SQLite file, the default when no server is around.

The file is an ordinary SQLite database in WAL mode; delete it to start over.
Every source's assertions are kept apart (``node_assertions``,
``edge_assertions``) so that reloading or withdrawing a source changes exactly
what it said; ``nodes`` and ``edges`` hold the merged view that reads use.

This module holds the store itself: opening the file, loads and removals (run by
:mod:`graph.store.sqlite_load`), and the reads of nodes, neighbours, predictions and
evidence. Two parts of it live beside it: the explainer's questions
(:mod:`graph.store.sqlite_mechanisms`) and the bookkeeping read back
(:mod:`graph.store.sqlite_catalogue`); the file's layout is :mod:`graph.store.sqlite_schema`.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import StoreError
from graph.model import (
    Edge,
    EdgeType,
    Evidence,
    LoadResult,
    Neighbour,
    Node,
    Prediction,
    Provenance,
    SourceBatch,
    SourceInfo,
    node_from_record,
)
from graph.store.base import (
    REJECTIONS_SHOWN,
    GraphStore,
    closest_names,
    evidence_order,
    exact_id_first,
    neighbour_order,
    prediction_order,
)
from graph.store.merge import query_keys
from graph.store.sqlite_catalogue import SqliteCatalogue
from graph.store.sqlite_load import SqliteLoad
from graph.store.sqlite_mechanisms import SqliteMechanismQueries
from graph.store.sqlite_paths import SqlitePathReads
from graph.store.sqlite_rows import IN_LIST, in_lists, marks, read_provenance
from graph.store.sqlite_schema import MIGRATIONS, SCHEMA, SCHEMA_VERSION
from graph.stream import SourceStream, as_stream

if TYPE_CHECKING:
    pass

#: How long a command waits for another one's write to finish before giving up.
BUSY_TIMEOUT_MS = 10_000
#: Page cache for reads, and while a load writes (KiB).
READ_CACHE_KIB = 64 * 1024
LOAD_CACHE_KIB = 512 * 1024


def _said(error: sqlite3.DatabaseError) -> str:
    """SQLite's complaint in words a user can act on."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return (f"another command is writing to it (waited {BUSY_TIMEOUT_MS // 1000} s); "
                "try again when it has finished")
    if "readonly" in text or "read-only" in text:
        return "it is read-only here"
    return text


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


class SqliteStore(SqliteMechanismQueries, SqliteCatalogue, GraphStore):
    """The graph in one SQLite file (WAL; one transaction per load, or per :meth:`bulk` block)."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.uri = f"sqlite:///{self.path}"
        self.read_only = read_only
        if self.path.is_dir():
            raise StoreError(f"cannot open store {self.path}: it is a directory")
        if read_only and not self.path.exists():
            raise StoreError(f"no store at {self.path}: load something into it first "
                             "(txkg load …), or name another with --store")
        try:
            self._db = self._connect()
            self._paths = SqlitePathReads(self._db, self._rows)
            written_with = self._check_schema_version()
            if read_only:
                if written_with in MIGRATIONS:
                    self._db.close()
                    SqliteStore(self.path).close()  # brought up to date once, then read
                    self._db = self._connect()
                    self._paths = SqlitePathReads(self._db, self._rows)
                return
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(SCHEMA)
            if written_with in MIGRATIONS:
                with self._transaction() as db, self._large_cache():
                    for step in MIGRATIONS[written_with]:
                        step(db)
                    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                               (SCHEMA_VERSION,))
            self._db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
            )
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot open store {self.path}: {_said(error)}") from error

    def _connect(self) -> sqlite3.Connection:
        """A connection with the store's settings; read-only ones write nothing at all."""
        if self.read_only:
            target = f"{self.path.resolve().as_uri()}?mode=ro"
            if not os.access(self.path.parent, os.W_OK):
                # No -shm file can be made beside it: read it as it is (nobody can write
                # there either).
                target += "&immutable=1"
            db = sqlite3.connect(target, uri=True, isolation_level=None,
                                 check_same_thread=False)
        else:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA temp_store=MEMORY")
        db.execute(f"PRAGMA cache_size=-{READ_CACHE_KIB}")
        db.execute("PRAGMA foreign_keys=OFF")
        return db

    def _check_schema_version(self) -> str | None:
        """The layout the file was written with; refuse one this txkg cannot read or
        bring up to date (its tables would not fit)."""
        if not self._db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone():
            return None
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is not None and row[0] != SCHEMA_VERSION and row[0] not in MIGRATIONS:
            raise StoreError(
                f"cannot open store {self.path}: it was written with store schema {row[0]}, "
                f"this txkg reads schema {SCHEMA_VERSION}; delete it (or name a new file) and "
                f"load your sources again")
        return None if row is None else str(row[0])

    # -- plumbing ------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One source's writes: a transaction, or a savepoint inside :meth:`bulk`."""
        nested = self._db.in_transaction
        try:
            self._db.execute("SAVEPOINT load" if nested else "BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot write {self.path}: {_said(error)}") from error
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
        finally:
            self._paths.forget()  # what the path search kept about nodes may have changed

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
            raise StoreError(f"cannot write {self.path}: {_said(error)}") from error
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
            raise StoreError(f"cannot read {self.path}: {_said(error)}") from error
        return list(cursor.fetchall())

    def reopen(self) -> SqliteStore:
        return SqliteStore(self.path, read_only=True)

    def close(self) -> None:
        self._db.close()

    # -- writing -------------------------------------------------------------

    def load(self, source: SourceBatch | SourceStream, *, force: bool = False) -> LoadResult:
        stream = as_stream(source)
        info = stream.source
        old = self._rows("SELECT sid, version FROM sources WHERE name = ?", (info.name,))
        if old and info.version is not None and old[0][1] == info.version and not force:
            sid = old[0][0]
            nodes = self._rows("SELECT count(*) FROM node_said WHERE sid = ?", (sid,))[0][0]
            edges = self._rows("SELECT count(*) FROM edge_said WHERE sid = ?", (sid,))[0][0]
            refused = self._rows("SELECT count(*) FROM ledger WHERE sid = ?", (sid,))[0][0]
            return LoadResult(source=info, nodes=nodes, edges=edges, refused=refused,
                              rejections=tuple(self.ledger(source=info.name,
                                                           limit=REJECTIONS_SHOWN)),
                              unchanged=True)
        try:
            with self._transaction() as db, self._large_cache():
                writer = SqliteLoad(db, info, reload=bool(old))
                for chunk in stream.chunks():
                    writer.write(chunk)
                return writer.finish()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot write {self.path}: {_said(error)}") from error

    def remove_source(self, name: str) -> LoadResult:
        rows = self._rows("SELECT kind, version, path FROM sources WHERE name = ?", (name,))
        if not rows:
            raise StoreError(f"no source named {name!r} is loaded")
        info = SourceInfo(name=name, kind=rows[0][0], version=rows[0][1], path=rows[0][2])
        try:
            with self._transaction() as db, self._large_cache():
                result = SqliteLoad(db, info, reload=True).finish()
                db.execute("DELETE FROM originals WHERE sid IN "
                           "(SELECT sid FROM sources WHERE name = ?)", (name,))
                db.execute("DELETE FROM sources WHERE name = ?", (name,))
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot write {self.path}: {_said(error)}") from error
        return result

    def keep_originals(self, name: str, data: str | None) -> None:
        try:
            with self._transaction() as db:
                db.execute("DELETE FROM originals WHERE sid IN "
                           "(SELECT sid FROM sources WHERE name = ?)", (name,))
                if data is not None:
                    db.execute("INSERT INTO originals SELECT sid, ? FROM sources "
                               "WHERE name = ?", (data, name))
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot write {self.path}: {_said(error)}") from error

    def originals(self, name: str) -> str | None:
        if self.read_only and not self._rows(
                "SELECT 1 FROM sqlite_master WHERE name = 'originals'"):
            return None  # a file of layout 5, read as it is
        rows = self._rows("SELECT o.data FROM originals o JOIN sources s ON s.sid = o.sid "
                          "WHERE s.name = ?", (name,))
        return str(rows[0][0]) if rows else None

    @contextmanager
    def _large_cache(self) -> Iterator[None]:
        """A bigger page cache while a load runs: a large source's indexes stay in memory."""
        if self.read_only:
            raise StoreError(f"cannot write {self.path}: it was opened read-only")
        self._db.execute(f"PRAGMA cache_size=-{LOAD_CACHE_KIB}")
        try:
            yield
        finally:
            self._db.execute(f"PRAGMA cache_size=-{READ_CACHE_KIB}")

    # -- reading nodes -------------------------------------------------------

    def _nodes(self, node_ids: Sequence[str]) -> dict[str, Node]:
        found: dict[str, Node] = {}
        for chunk in in_lists(node_ids):
            for node_id, data in self._rows(
                f"SELECT id, data FROM nodes WHERE id IN ({marks(len(chunk))})", chunk
            ):
                found[node_id] = node_from_record(json.loads(data))
        return found

    def nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        return self._nodes(list(dict.fromkeys(node_ids)))

    def sources_of(self, node_ids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for chunk in in_lists(list(dict.fromkeys(node_ids))):
            found.update(name for (name,) in self._rows(
                "SELECT s.name FROM nodes n JOIN node_said a ON a.nid = n.nid "
                f"JOIN sources s ON s.sid = a.sid WHERE n.id IN ({marks(len(chunk))}) "
                "UNION SELECT s.name FROM nodes n JOIN edges e ON n.nid IN (e.src, e.dst) "
                "JOIN edge_said a ON a.eid = e.eid JOIN sources s ON s.sid = a.sid "
                f"WHERE n.id IN ({marks(len(chunk))})", [*chunk, *chunk]))
        return found

    def node_sources(self, node_ids: Iterable[str]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for chunk in in_lists(list(dict.fromkeys(node_ids))):
            for node_id, name in self._rows(
                    "SELECT n.id, s.name FROM nodes n JOIN node_said a ON a.nid = n.nid "
                    f"JOIN sources s ON s.sid = a.sid WHERE n.id IN ({marks(len(chunk))})",
                    chunk):
                found.setdefault(node_id, set()).add(name)
        return found

    def node(self, node_id: str) -> Node | None:
        return self._nodes([node_id]).get(node_id)

    def find(self, text: str, *, kind: str | None = None, limit: int = 20) -> list[Node]:
        keys = query_keys(text)
        hits = [r[0] for r in self._rows(
            f"SELECT DISTINCT n.id FROM names k JOIN nodes n ON n.nid = k.nid "
            f"WHERE k.key IN ({marks(len(keys))})", keys)]
        nodes = [n for n in self._nodes(hits).values() if kind is None or n.label == kind]
        wanted = text.strip().casefold()
        nodes.sort(key=lambda n: (n.id.casefold() != wanted, n.id))
        return nodes[:limit]

    def kinds_of(self, node_ids: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(node_ids))
        found: dict[str, str] = {}
        for chunk in in_lists(wanted):
            found.update((node_id, kind) for node_id, kind in self._rows(
                f"SELECT id, kind FROM nodes WHERE id IN ({marks(len(chunk))})", chunk))
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
        for chunk in in_lists(all_keys):
            # The kind is checked on the hits below: a kind filter in SQL makes SQLite
            # walk every node of that kind.
            for key, node_id in self._rows(
                f"SELECT k.key, n.id FROM names k JOIN nodes n ON n.nid = k.nid "
                f"WHERE k.key IN ({marks(len(chunk))})", chunk
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
                hits.sort(key=exact_id_first(text))
                found[text] = hits
        return found

    def similar_names(self, text: str, *, kind: str | None = None, limit: int = 5) -> list[str]:
        sql, args = "SELECT DISTINCT name FROM nodes", []
        if kind is not None:
            sql, args = sql + " WHERE kind = ?", [kind]
        names = [r[0] for r in self._rows(sql, args)]
        return closest_names(text, names, limit)

    def neighbours(self, node_id: str, *, kind: str | None = None,
                   edge_type: str | None = None, limit: int | None = None) -> list[Neighbour]:
        # Sorted and cut on the cheap columns first: a hub gene has thousands of
        # neighbours, and only ``limit`` of them become models.
        rows = self._rows(
            "SELECT e.eid, 1, e.type, o.id, o.kind, o.name FROM edges e "
            "JOIN nodes o ON o.nid = e.dst WHERE e.src = (SELECT nid FROM nodes WHERE id = ?) "
            "UNION ALL SELECT e.eid, 0, e.type, o.id, o.kind, o.name FROM edges e "
            "JOIN nodes o ON o.nid = e.src WHERE e.dst = (SELECT nid FROM nodes WHERE id = ?) "
            "AND e.src != e.dst", (node_id, node_id))
        rows = [r for r in rows if (edge_type is None or r[2] == edge_type)
                and (kind is None or r[4] == kind)]
        rows.sort(key=lambda r: neighbour_order(r[2], r[4], r[5]))
        if limit is not None:
            rows = rows[:limit]
        edges = self._edges([r[0] for r in rows])
        others = self._nodes([r[3] for r in rows])
        return [Neighbour(edge=edges[eid], node=others[other], outgoing=bool(outgoing))
                for eid, outgoing, _type, other, _kind, _name in rows]

    def neighbour_count(self, node_id: str) -> int:
        row = self._db.execute(
            "SELECT (SELECT count(*) FROM edges WHERE src = n.nid) + (SELECT count(*) FROM "
            "edges WHERE dst = n.nid AND src != n.nid) FROM nodes n WHERE n.id = ?",
            (node_id,)).fetchone()
        return int(row[0]) if row is not None else 0

    def _edges(self, edge_ids: Sequence[int]) -> dict[int, Edge]:
        """Merged edges by id: every source's provenance, properties unioned."""
        rows: dict[int, tuple[str, str, str]] = {}
        assertions: dict[int, list[tuple[list[Provenance], str | None]]] = defaultdict(list)
        for start in range(0, len(edge_ids), IN_LIST):
            chunk = list(edge_ids[start : start + IN_LIST])
            in_chunk = marks(len(chunk))
            for edge_id, src, typ, dst in self._rows(
                "SELECT id, source_id, type, target_id FROM edge_ends "
                f"WHERE id IN ({in_chunk})", chunk
            ):
                rows[edge_id] = (src, typ, dst)
            for edge_id, source, version, line, provenance, properties in self._rows(
                "SELECT a.eid, s.name, s.version, a.line, a.provenance, a.properties "
                "FROM edge_said a JOIN sources s ON s.sid = a.sid "
                f"WHERE a.eid IN ({in_chunk}) ORDER BY s.name", chunk
            ):
                assertions[edge_id].append(
                    (read_provenance(source, version, line, provenance), properties))
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
        predictions.sort(key=prediction_order)
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
        result.sort(key=evidence_order)
        return result


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
