"""The SQLite store's layout: its tables, its version, and the steps from older ones.

A store file records the layout it was written with (``meta.schema_version``). Opening
one of an older layout listed in :data:`MIGRATIONS` brings it up to date in one
transaction; an unknown one is refused with a line saying what to do.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from graph.store.sqlite_degrees import DEGREES_SCHEMA, rebuild_degrees

SCHEMA_VERSION = "6"


def _count_edges(db: sqlite3.Connection) -> None:
    """3 -> 4: edges counted by type in a table the loads keep up to date."""
    db.execute("INSERT INTO edge_counts SELECT type, count(*) FROM edges GROUP BY type")


def _count_degrees(db: sqlite3.Connection) -> None:
    """4 -> 5: every node's degree per metaedge in a table the loads keep up to date, read
    with a ``(dst, type, src)`` index that replaces ``(dst)`` (:mod:`graph.store.sqlite_degrees`;
    tens of seconds for PrimeKG)."""
    db.execute("DROP INDEX IF EXISTS edges_target")
    rebuild_degrees(db)


def _keep_originals(db: sqlite3.Connection) -> None:
    """5 -> 6: the ``originals`` table (made by the schema script): what each source said
    where identity resolution changed it (:mod:`graph.originals`). It starts empty: removing
    a source loaded before does not undo the merges it caused then."""


#: Layouts this version opens and brings up to date: the steps from each, in order.
MIGRATIONS: dict[str, tuple[Callable[[sqlite3.Connection], None], ...]] = {
    "3": (_count_edges, _count_degrees, _keep_originals),
    "4": (_count_degrees, _keep_originals),
    "5": (_keep_originals,),
}

#: The layout: tables, indexes and views, created where missing.
SCHEMA = """
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
-- Edges by type, kept up to date by every load (counting 4M edges takes seconds).
CREATE TABLE IF NOT EXISTS edge_counts (type TEXT PRIMARY KEY, n INTEGER NOT NULL)
WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ledger (
    sid INTEGER NOT NULL, path TEXT, line INTEGER, record TEXT, reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_source ON ledger (sid);
-- What a source said where identity resolution changed it (graph.originals, JSON).
CREATE TABLE IF NOT EXISTS originals (sid INTEGER PRIMARY KEY, data TEXT NOT NULL);
-- Edges with their ends' CURIEs and kinds, for reads. The unary + keeps a filter on
-- a kind from walking the nodes_kind index (every Gene, say) instead of the ids asked for.
CREATE VIEW IF NOT EXISTS edge_ends (id, source_id, type, target_id, source_kind, target_kind)
AS SELECT e.eid, s.id, e.type, t.id, +s.kind, +t.kind
FROM edges e JOIN nodes s ON s.nid = e.src JOIN nodes t ON t.nid = e.dst;
""" + DEGREES_SCHEMA
