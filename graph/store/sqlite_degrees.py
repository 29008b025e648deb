"""The embedded store's degree table: every node's degree for every metaedge, kept current.

``degrees (nid, type, kind, degree)``: the number of distinct nodes of kind
``kind`` joined to node ``nid`` by a ``type`` edge, either direction (a
statement stored both ways counts once) — what the explainer's path-degree
product damps by, and what its bounded search prunes with before fetching a
hub's neighbours. It is written set-wise at the end of every load, for the
nodes whose edges the load added or removed:

* edges a load adds have fresh keys (``edges.eid``) from the load's first key on;
* edges it removes are noted, as they go, by a temporary trigger
  (:func:`watch_removed_edges`, on the load's connection only).

When those nodes are many (a first load of a large source) the whole table
is rebuilt by one ``GROUP BY`` over ``edges`` (read from a covering index); otherwise
only their rows are.

>>> import sqlite3
>>> db = sqlite3.connect(":memory:")
>>> db.executescript(
...     "CREATE TABLE nodes (nid INTEGER PRIMARY KEY, kind TEXT);"
...     "CREATE TABLE edges (eid INTEGER PRIMARY KEY, src INT, type TEXT, dst INT);"
...     + DEGREES_SCHEMA)  # doctest: +ELLIPSIS
<sqlite3.Cursor ...>
>>> watch_removed_edges(db)
>>> _ = db.executemany("INSERT INTO nodes VALUES (?, ?)", [(1, "Drug"), (2, "Gene"), (3, "Gene")])
>>> _ = db.executemany("INSERT INTO edges VALUES (?, ?, 'TARGETS', ?)",
...                    [(1, 1, 2), (2, 1, 3), (3, 2, 1)])  # 2 -> 1 mirrors 1 -> 2
>>> refresh_degrees(db, since_eid=1)
>>> db.execute("SELECT * FROM degrees ORDER BY nid, kind").fetchall()
[(1, 'TARGETS', 'Gene', 2), (2, 'TARGETS', 'Drug', 1), (3, 'TARGETS', 'Drug', 1)]
>>> _ = db.execute("DELETE FROM edges WHERE eid = 2")
>>> refresh_degrees(db, since_eid=4)
>>> db.execute("SELECT nid, degree FROM degrees ORDER BY nid").fetchall()
[(1, 1), (2, 1)]
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

DEGREES_SCHEMA = """
CREATE TABLE IF NOT EXISTS degrees (
    nid INTEGER NOT NULL, type TEXT NOT NULL, kind TEXT NOT NULL, degree INTEGER NOT NULL,
    PRIMARY KEY (nid, type, kind)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edges_by_target ON edges (dst, type, src);
"""

#: Rebuild the whole table when more than this share of all nodes changed degree.
FULL_REBUILD_SHARE = 0.25

# Distinct neighbours per (node, type, neighbour kind), for the nodes `{nodes}` selects.
_COUNT = """
SELECT x.node, x.type, n.kind, count(DISTINCT x.other) FROM (
    SELECT e.src AS node, e.type AS type, e.dst AS other FROM {out}
    UNION ALL SELECT e.dst, e.type, e.src FROM {into}) AS x
JOIN {kinds} n ON n.nid = x.other
GROUP BY x.node, x.type, n.kind
"""


def watch_removed_edges(db: sqlite3.Connection) -> None:
    """Note both ends of every edge deleted on this connection from now on."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS degree_dirty (nid INTEGER PRIMARY KEY)")
    db.execute("CREATE TEMP TRIGGER IF NOT EXISTS degree_edges_removed AFTER DELETE ON "
               "main.edges BEGIN INSERT OR IGNORE INTO degree_dirty "
               "VALUES (old.src), (old.dst); END")


def refresh_degrees(db: sqlite3.Connection, *, since_eid: int) -> None:
    """Bring the rows of every node whose edges changed up to date.

    Those are the ends of edges with a key of at least ``since_eid`` (added) and
    those :func:`watch_removed_edges` noted (removed). Runs inside the caller's
    transaction.
    """
    watch_removed_edges(db)
    db.execute("INSERT OR IGNORE INTO temp.degree_dirty SELECT src FROM edges "
               "WHERE eid >= ?1 UNION SELECT dst FROM edges WHERE eid >= ?1", (since_eid,))
    dirty = db.execute("SELECT count(*) FROM temp.degree_dirty").fetchone()[0]
    if dirty:
        total = db.execute("SELECT count(*) FROM nodes").fetchone()[0]
        if dirty > FULL_REBUILD_SHARE * total:
            rebuild_degrees(db)
        else:
            _refresh_dirty(db)
    db.execute("DELETE FROM temp.degree_dirty")


def rebuild_degrees(db: sqlite3.Connection) -> None:
    """Fill the table again from every edge (one pass over each covering index)."""
    db.execute("DELETE FROM degrees")
    with _node_kinds(db) as kinds:
        db.execute("INSERT INTO degrees " + _COUNT.format(out="edges e", into="edges e",
                                                          kinds=kinds))


def _refresh_dirty(db: sqlite3.Connection) -> None:
    db.execute("DELETE FROM degrees WHERE nid IN (SELECT nid FROM temp.degree_dirty)")
    db.execute("INSERT INTO degrees " + _COUNT.format(
        out="temp.degree_dirty d CROSS JOIN edges e ON e.src = d.nid",
        into="temp.degree_dirty d CROSS JOIN edges e ON e.dst = d.nid", kinds="nodes"))


@contextmanager
def _node_kinds(db: sqlite3.Connection) -> Iterator[str]:
    """A temporary copy of ``nodes (nid, kind)``: small rows, so a rebuild's lookups of
    both ends of every edge stay in cache (rows of ``nodes`` carry each node's JSON)."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS degree_kinds "
               "(nid INTEGER PRIMARY KEY, kind TEXT NOT NULL)")
    db.execute("INSERT INTO temp.degree_kinds SELECT nid, kind FROM nodes")
    try:
        yield "temp.degree_kinds"
    finally:
        db.execute("DELETE FROM temp.degree_kinds")


__all__ = [
    "DEGREES_SCHEMA",
    "FULL_REBUILD_SHARE",
    "rebuild_degrees",
    "refresh_degrees",
    "watch_removed_edges",
]
