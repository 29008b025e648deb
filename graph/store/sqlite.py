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
from typing import Any

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

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    name TEXT PRIMARY KEY, kind TEXT NOT NULL, version TEXT, path TEXT,
    loaded_at TEXT NOT NULL, seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS nodes (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS nodes_kind ON nodes (kind);
CREATE TABLE IF NOT EXISTS node_assertions (
    node_id TEXT NOT NULL, source TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (node_id, source)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS node_assertions_source ON node_assertions (source);
CREATE TABLE IF NOT EXISTS names (
    key TEXT NOT NULL, node_id TEXT NOT NULL, PRIMARY KEY (key, node_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS names_node ON names (node_id);
CREATE TABLE IF NOT EXISTS edges (
    id INTEGER PRIMARY KEY,
    source_id TEXT NOT NULL, type TEXT NOT NULL, target_id TEXT NOT NULL,
    source_kind TEXT NOT NULL, target_kind TEXT NOT NULL,
    UNIQUE (source_id, type, target_id)
);
CREATE INDEX IF NOT EXISTS edges_target ON edges (target_id);
CREATE TABLE IF NOT EXISTS edge_assertions (
    edge_id INTEGER NOT NULL, source TEXT NOT NULL,
    provenance TEXT NOT NULL, properties TEXT NOT NULL,
    PRIMARY KEY (edge_id, source)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edge_assertions_source ON edge_assertions (source);
CREATE TABLE IF NOT EXISTS ledger (
    source TEXT NOT NULL, path TEXT, line INTEGER, record TEXT, reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_source ON ledger (source);
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
_CHUNK = 500  # ids per IN (...) list; SQLite allows 32,766 variables


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _record_keys(record: dict[str, Any]) -> set[str]:
    return lookup_keys(record["id"], record["name"], record.get("synonyms") or (),
                       record.get("xrefs") or ())


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
    """The graph in one SQLite file (WAL, one transaction per load)."""

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
            self._db.executescript(_SCHEMA)
            self._db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
            )
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot open store {self.path}: {error}") from error

    # -- plumbing ------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot write {self.path}: {error}") from error
        try:
            yield self._db
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
        old = self._rows("SELECT version FROM sources WHERE name = ?", (source.name,))
        if old and source.version is not None and old[0][0] == source.version:
            nodes = self._rows(
                "SELECT count(*) FROM node_assertions WHERE source = ?", (source.name,)
            )[0][0]
            edges = self._rows(
                "SELECT count(*) FROM edge_assertions WHERE source = ?", (source.name,)
            )[0][0]
            return LoadResult(source=source, nodes=nodes, edges=edges,
                              rejections=tuple(self.ledger(source=source.name)), unchanged=True)
        with self._transaction() as db:
            return self._replace(db, batch)

    def remove_source(self, name: str) -> LoadResult:
        rows = self._rows("SELECT kind, version, path FROM sources WHERE name = ?", (name,))
        if not rows:
            raise StoreError(f"no source named {name!r} is loaded")
        info = SourceInfo(name=name, kind=rows[0][0], version=rows[0][1], path=rows[0][2])
        with self._transaction() as db:
            result = self._replace(db, SourceBatch(source=info))
            db.execute("DELETE FROM sources WHERE name = ?", (name,))
        return result

    def _replace(self, db: sqlite3.Connection, batch: SourceBatch) -> LoadResult:
        name = batch.source.name
        old_nodes = [r[0] for r in db.execute(
            "SELECT node_id FROM node_assertions WHERE source = ?", (name,))]
        old_edges = [r[0] for r in db.execute(
            "SELECT edge_id FROM edge_assertions WHERE source = ?", (name,))]
        db.execute("DELETE FROM node_assertions WHERE source = ?", (name,))
        db.execute("DELETE FROM edge_assertions WHERE source = ?", (name,))
        db.execute("DELETE FROM ledger WHERE source = ?", (name,))
        seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM sources").fetchone()[0]
        db.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
            "kind = excluded.kind, version = excluded.version, path = excluded.path, "
            "loaded_at = excluded.loaded_at, seq = excluded.seq",
            (name, batch.source.kind, batch.source.version, batch.source.path,
             datetime.now(UTC).isoformat(timespec="seconds"), seq),
        )

        # Nodes: one assertion per (node, source); a later duplicate in the batch wins.
        asserted: dict[str, Node] = {}
        for node in batch.nodes:
            asserted[node.id] = node
        fresh = {node_id: node.model_dump_json(exclude_none=True)
                 for node_id, node in asserted.items()}
        kinds, stored = self._kinds(db, asserted)
        db.executemany("INSERT INTO node_assertions VALUES (?, ?, ?)",
                       ((node_id, name, data) for node_id, data in fresh.items()))

        # Edges: endpoints must be known; an edge to nowhere is a rejection.
        rejections = list(batch.rejections)
        edges: dict[tuple[str, str, str], Edge] = {}
        for edge in batch.edges:
            src, dst = edge.source, edge.target
            missing = [] if src in kinds and dst in kinds else [
                e for e in (src, dst) if e not in kinds]
            if missing:
                rejections.append(Rejection(
                    source=name, path=batch.source.path,
                    line=next((p.line for p in edge.provenance if p.line), None),
                    record=f"{edge.source} -[{edge.type.value}]-> {edge.target}",
                    reason=f"edge endpoint {missing[0]} is not a known node"))
                continue
            key = (src, edge.type.value, dst)
            previous = edges.get(key)
            if previous is not None:  # the same statement twice: keep both provenances
                edge = previous.model_copy(update={
                    "provenance": previous.provenance + edge.provenance,
                    "properties": {**previous.properties, **edge.properties}})
            edges[key] = edge
        # Through a temporary table: two set-wise statements instead of a lookup per edge.
        db.execute("CREATE TEMP TABLE IF NOT EXISTS batch_edges (source_id TEXT, type TEXT, "
                   "target_id TEXT, source_kind TEXT, target_kind TEXT, provenance TEXT, "
                   "properties TEXT)")
        db.execute("DELETE FROM temp.batch_edges")
        # Loaders often share one provenance tuple between edges: encode each once.
        provenance_json: dict[int, str] = {}

        def provenance_of(edge: Edge) -> str:
            text = provenance_json.get(id(edge.provenance))
            if text is None:
                text = provenance_json[id(edge.provenance)] = _json(
                    [_provenance_record(p) for p in edge.provenance])
            return text

        db.executemany(
            "INSERT INTO temp.batch_edges VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((src, typ, dst, kinds[src], kinds[dst], provenance_of(e), _json(e.properties))
             for (src, typ, dst), e in edges.items()),
        )
        db.execute("INSERT OR IGNORE INTO edges (source_id, type, target_id, source_kind, "
                   "target_kind) SELECT source_id, type, target_id, source_kind, target_kind "
                   "FROM temp.batch_edges")
        db.execute("INSERT INTO edge_assertions SELECT e.id, ?, b.provenance, b.properties "
                   "FROM temp.batch_edges b JOIN edges e ON e.source_id = b.source_id "
                   "AND e.type = b.type AND e.target_id = b.target_id", (name,))
        db.execute("DELETE FROM temp.batch_edges")
        db.executemany(
            "INSERT INTO ledger VALUES (?, ?, ?, ?, ?)",
            ((name, r.path, r.line, r.record, r.reason) for r in rejections),
        )

        removed_nodes = self._remerge(db, set(old_nodes), asserted, fresh, stored,
                                      strongest=self._is_strongest(db, batch.source))
        removed_edges = self._drop_unasserted_edges(db, old_edges)
        return LoadResult(
            source=batch.source, nodes=len(asserted), edges=len(edges),
            rejections=tuple(rejections), nodes_removed=removed_nodes,
            edges_removed=removed_edges,
        )

    def _kinds(self, db: sqlite3.Connection,
               asserted: dict[str, Node]) -> tuple[dict[str, str], dict[str, str]]:
        """Kinds of the batch's nodes and of stored nodes (a clash is an error), and the
        stored merged data of the batch's nodes that exist already."""
        kinds = {node_id: node.label for node_id, node in asserted.items()}
        stored: dict[str, str] = {}
        for chunk in _chunks(list(asserted)):
            for node_id, kind, data in db.execute(
                f"SELECT id, kind, data FROM nodes WHERE id IN ({_marks(len(chunk))})", chunk
            ):
                if kinds[node_id] != kind:
                    raise StoreError(
                        f"{node_id} is a {kind} in the store but this source says "
                        f"{kinds[node_id]}")
                stored[node_id] = data
        return _KindLookup(db, kinds), stored

    @staticmethod
    def _is_strongest(db: sqlite3.Connection, source: SourceInfo) -> bool:
        """True when this source's values win over every other loaded source's."""
        others = [kind for (kind,) in db.execute(
            "SELECT DISTINCT kind FROM sources WHERE name != ?", (source.name,))]
        return all(priority(source.kind) >= priority(kind) for kind in others)

    def _remerge(self, db: sqlite3.Connection, withdrawn: set[str], asserted: dict[str, Node],
                 fresh: dict[str, str], stored: dict[str, str], *, strongest: bool) -> int:
        """Bring the merged view of the touched nodes up to date; drop those nobody asserts.

        ``withdrawn`` are nodes the source asserted before this load, ``fresh`` maps the
        nodes it asserts now to their assertion (``asserted``: the same, as models),
        ``stored`` the existing ones to their merged data. A new node's view is its one
        assertion, written as is. Merging is a left fold in priority order, so when the
        loading source is the strongest and said nothing about a node before, the new
        view is the old view folded with the new assertion; everything else is merged
        from scratch.
        """
        rows: list[tuple[str, str, str, str]] = []
        names: list[tuple[str, str]] = []
        full = set(withdrawn)
        unnamed: set[str] = set()  # new nodes: no names to delete
        for node_id, data in fresh.items():
            if node_id in withdrawn:
                continue
            if node_id not in stored:  # a new node: its one assertion is its view
                node = asserted[node_id]
                rows.append((node_id, node.label, node.name, data))
                names.extend((key, node_id) for key in lookup_keys(
                    node_id, node.name, node.synonyms, node.xrefs))
                unnamed.add(node_id)
                continue
            if strongest:
                old = json.loads(stored[node_id])
                record = merge_records([old, json.loads(data)])
                if record == old:
                    continue
            else:
                full.add(node_id)
                continue
            rows.append((node_id, record["kind"], record["name"], json.dumps(record)))
            names.extend((key, node_id) for key in _record_keys(record))

        seq = {name: (priority(kind), s) for name, kind, s in
               db.execute("SELECT name, kind, seq FROM sources")} if full else {}
        by_node: dict[str, list[tuple[tuple[int, int], str]]] = defaultdict(list)
        ordered = sorted(full)
        for chunk in _chunks(ordered):
            for node_id, source, data in db.execute(
                "SELECT node_id, source, data FROM node_assertions "
                f"WHERE node_id IN ({_marks(len(chunk))})", chunk
            ):
                by_node[node_id].append((seq.get(source, (0, 0)), data))
        gone = [n for n in ordered if n not in by_node]
        for chunk in _chunks(gone):
            marks = _marks(len(chunk))
            db.execute(f"DELETE FROM edge_assertions WHERE edge_id IN (SELECT id FROM edges "
                       f"WHERE source_id IN ({marks}) OR target_id IN ({marks}))", [*chunk, *chunk])
            db.execute(f"DELETE FROM edges WHERE source_id IN ({marks}) "
                       f"OR target_id IN ({marks})", [*chunk, *chunk])
            db.execute(f"DELETE FROM nodes WHERE id IN ({marks})", chunk)
            db.execute(f"DELETE FROM names WHERE node_id IN ({marks})", chunk)
        for node_id, assertions in by_node.items():
            assertions.sort(key=lambda a: a[0])
            record = merge_records(json.loads(data) for _, data in assertions)
            rows.append((node_id, record["kind"], record["name"], json.dumps(record)))
            names.extend((key, node_id) for key in _record_keys(record))
        for chunk in _chunks([row[0] for row in rows if row[0] not in unnamed]):
            db.execute(f"DELETE FROM names WHERE node_id IN ({_marks(len(chunk))})", chunk)
        db.executemany("INSERT INTO nodes VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                       "kind = excluded.kind, name = excluded.name, data = excluded.data", rows)
        db.executemany("INSERT OR IGNORE INTO names VALUES (?, ?)", names)
        return len(gone)

    def _drop_unasserted_edges(self, db: sqlite3.Connection, edge_ids: list[int]) -> int:
        removed = 0
        for start in range(0, len(edge_ids), _CHUNK):
            chunk = edge_ids[start : start + _CHUNK]
            removed += db.execute(
                f"DELETE FROM edges WHERE id IN ({_marks(len(chunk))}) AND NOT EXISTS "
                "(SELECT 1 FROM edge_assertions a WHERE a.edge_id = edges.id)", chunk
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
            f"SELECT DISTINCT node_id FROM names WHERE key IN ({_marks(len(keys))})", keys)]
        nodes = [n for n in self._nodes(hits).values() if kind is None or n.label == kind]
        wanted = text.strip().casefold()
        nodes.sort(key=lambda n: (n.id.casefold() != wanted, n.label == "Prediction", n.id))
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
                f"SELECT key, node_id FROM names WHERE key IN ({_marks(len(chunk))})", chunk
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
                hits.sort(key=lambda n: (n.id.casefold() != wanted, n.label == "Prediction", n.id))
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
        sql = ("SELECT id, source_id, type, target_id FROM edges WHERE source_id = ? "
               "UNION ALL SELECT id, source_id, type, target_id FROM edges WHERE target_id = ? "
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
        assertions: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for start in range(0, len(edge_ids), _CHUNK):
            chunk = list(edge_ids[start : start + _CHUNK])
            marks = _marks(len(chunk))
            for edge_id, src, typ, dst in self._rows(
                f"SELECT id, source_id, type, target_id FROM edges WHERE id IN ({marks})", chunk
            ):
                rows[edge_id] = (src, typ, dst)
            for edge_id, provenance, properties in self._rows(
                "SELECT edge_id, provenance, properties FROM edge_assertions "
                f"WHERE edge_id IN ({marks}) ORDER BY source", chunk
            ):
                assertions[edge_id].append((provenance, properties))
        return {edge_id: _edge(src, typ, dst, assertions[edge_id])
                for edge_id, (src, typ, dst) in rows.items()}

    # -- predictions and evidence -------------------------------------------

    def predictions(self, *, drug_id: str | None = None,
                    disease_id: str | None = None) -> list[Prediction]:
        clauses, args = [], []
        if drug_id is not None:
            clauses.append("id IN (SELECT source_id FROM edges WHERE type = 'OF_DRUG' "
                           "AND target_id = ?)")
            args.append(drug_id)
        if disease_id is not None:
            clauses.append("id IN (SELECT source_id FROM edges WHERE type = 'FOR_DISEASE' "
                           "AND target_id = ?)")
            args.append(disease_id)
        where = " AND ".join(["kind = 'Prediction'", *clauses])
        rows = self._rows(f"SELECT data FROM nodes WHERE {where}", args)
        found = [node_from_record(json.loads(r[0])) for r in rows]
        predictions = [p for p in found if isinstance(p, Prediction)]
        predictions.sort(key=lambda p: (p.score is None, -(p.score or 0.0), p.rank or 0, p.id))
        return predictions

    def evidence(self, prediction_id: str) -> list[Evidence]:
        rows = self._rows("SELECT id, target_id FROM edges WHERE source_id = ? "
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

    def mechanism_neighbours(self, node_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(node_ids):
            marks = _marks(len(chunk))
            for (other,) in self._rows(
                f"SELECT target_id FROM edges WHERE source_id IN ({marks}) AND {_MECHANISM_EDGE} "
                f"UNION SELECT source_id FROM edges WHERE target_id IN ({marks}) "
                f"AND {_MECHANISM_EDGE}",
                [*chunk, *_MECHANISM_ARGS, *chunk, *_MECHANISM_ARGS],
            ):
                found.add(other)
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
                f"SELECT id, target_id FROM edges WHERE source_id IN ({marks}) "
                f"AND {_MECHANISM_EDGE}", [*chunk, *_MECHANISM_ARGS]
            ):
                if target in wanted:
                    edge_ids.append(edge_id)
            # Degree per metaedge = distinct neighbours over it, either direction, so a
            # statement stored both ways counts once (as hetnetpy counts undirected edges).
            for node_id, edge_type, other_kind, degree in self._rows(
                "SELECT node, type, other_kind, count(DISTINCT other) FROM ("
                f"SELECT source_id AS node, type, target_kind AS other_kind, target_id AS other "
                f"FROM edges WHERE source_id IN ({marks}) AND {_MECHANISM_EDGE} "
                f"UNION ALL SELECT target_id, type, source_kind, source_id FROM edges "
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
        sql, args = "SELECT source, path, line, record, reason FROM ledger", []
        if source is not None:
            sql, args = sql + " WHERE source = ?", [source]
        return [Rejection(source=s, path=p, line=ln, record=r, reason=why)
                for s, p, ln, r, why in self._rows(sql + " ORDER BY rowid", args)]

    def source_batch(self, name: str) -> SourceBatch:
        rows = self._rows("SELECT kind, version, path FROM sources WHERE name = ?", (name,))
        if not rows:
            raise StoreError(f"no source named {name!r} is loaded")
        info = SourceInfo(name=name, kind=rows[0][0], version=rows[0][1], path=rows[0][2])
        nodes = [node_from_record(json.loads(data)) for (data,) in self._rows(
            "SELECT data FROM node_assertions WHERE source = ? ORDER BY node_id", (name,))]
        edges = [Edge(source=src, target=dst, type=EdgeType(typ),
                      provenance=tuple(Provenance.model_validate(p) for p in json.loads(prov)),
                      properties=json.loads(props))
                 for src, typ, dst, prov, props in self._rows(
                     "SELECT e.source_id, e.type, e.target_id, a.provenance, a.properties "
                     "FROM edge_assertions a JOIN edges e ON e.id = a.edge_id "
                     "WHERE a.source = ? ORDER BY e.id", (name,))]
        return SourceBatch(source=info, nodes=tuple(nodes), edges=tuple(edges),
                           rejections=tuple(self.ledger(source=name)))


class _KindLookup(dict[str, str]):
    """Node kinds: the batch's own, else looked up (and cached) in the store."""

    def __init__(self, db: sqlite3.Connection, batch_kinds: dict[str, str]) -> None:
        super().__init__(batch_kinds)
        self._db = db

    def __missing__(self, node_id: str) -> str:
        row = self._db.execute("SELECT kind FROM nodes WHERE id = ?", (node_id,)).fetchone()
        if row is None:
            raise KeyError(node_id)
        self[node_id] = row[0]
        return str(row[0])

    def __contains__(self, node_id: object) -> bool:
        if dict.__contains__(self, node_id):
            return True
        try:
            self[node_id]  # type: ignore[index]
        except KeyError:
            return False
        return True


def _edge(source: str, edge_type: str, target: str,
          assertions: list[tuple[str, str]]) -> Edge:
    provenance: list[Provenance] = []
    properties: dict[str, Any] = {}
    for prov_json, props_json in assertions:
        provenance.extend(Provenance.model_validate(p) for p in json.loads(prov_json))
        properties.update(json.loads(props_json))
    return Edge(source=source, target=target, type=EdgeType(edge_type),
                provenance=tuple(provenance), properties=properties)
