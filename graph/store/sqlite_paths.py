"""The embedded store's answers to the explainer's path search, a frontier per query.

:class:`~graph.explain.neighbourhood.Neighbourhoods` asks for degrees of many
nodes, neighbours of many nodes over chosen metaedges, and the statements of
many hops. Each question is written once into a temporary table and answered
by one query joined to it, whatever its size (no ``IN`` lists of a few hundred
ids, no query per node):

* degrees come from the ``degrees`` table (:mod:`graph.store.sqlite_degrees`);
* neighbours over ``(type, kind)`` come from the covering indexes
  ``(src, type, dst)`` and ``(dst, type, src)``, each neighbour's own degree
  joined from ``degrees``, with the request's degree limit and the optional
  set of allowed neighbours applied in SQL (probing the index for each allowed
  neighbour, or scanning the request's range, whichever reads fewer entries for
  that request).

The allowed sets are the exception to "written once": a search asks for much the
same sets again and again, so a few temporary tables keep the last ones, and the
closest is brought to the set asked for by writing the difference.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

from graph.explain.neighbourhood import (
    HopKey,
    NodeFacts,
    Step,
    StepRequest,
    Within,
    merge_steps,
    within_key,
)
from graph.model import EVIDENCE_EDGE_TYPES, MECHANISM_KINDS

#: Runs one query and returns its rows (the store's reader, which turns SQLite errors
#: into StoreError).
Reader = Callable[[str, Iterable[Any]], list[sqlite3.Row]]

_MECHANISM_KINDS = frozenset(k.value for k in MECHANISM_KINDS)
_EVIDENCE_TYPES = frozenset(t.value for t in EVIDENCE_EDGE_TYPES)

_TABLES = """
CREATE TEMP TABLE IF NOT EXISTS path_ids (id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS path_requests (
    nid INTEGER NOT NULL, id TEXT NOT NULL, node_kind TEXT NOT NULL, type TEXT NOT NULL,
    kind TEXT NOT NULL, cap INTEGER, grp INTEGER NOT NULL, probes INTEGER NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS path_allowed0 (
    type TEXT NOT NULL, kind TEXT NOT NULL, grp INTEGER NOT NULL, nid INTEGER NOT NULL,
    PRIMARY KEY (type, kind, grp, nid)
) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS path_allowed1 (
    type TEXT NOT NULL, kind TEXT NOT NULL, grp INTEGER NOT NULL, nid INTEGER NOT NULL,
    PRIMARY KEY (type, kind, grp, nid)
) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS path_allowed2 (
    type TEXT NOT NULL, kind TEXT NOT NULL, grp INTEGER NOT NULL, nid INTEGER NOT NULL,
    PRIMARY KEY (type, kind, grp, nid)
) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS path_allowed3 (
    type TEXT NOT NULL, kind TEXT NOT NULL, grp INTEGER NOT NULL, nid INTEGER NOT NULL,
    PRIMARY KEY (type, kind, grp, nid)
) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS path_hops (u TEXT NOT NULL, type TEXT NOT NULL, v TEXT NOT NULL);
"""

# One direction of the neighbour query: `{near}` is the requested node's end of the
# edge, `{far}` the neighbour's. Joins in this order (CROSS JOIN fixes it): request →
# its edges of the type (index range) → the neighbour's degree (the limit checked before
# the node is read) → the neighbour (kind checked). `{edges}` is how the edges are found:
# all of the request's, or only to the neighbours allowed for its metaedge, either by
# scanning its range and looking each neighbour up in the allowed set, or by probing the
# edge index once per allowed neighbour (cheaper when the allowed set is the smaller).
# That choice is made per request (`{which}`: the request's own degree, joined as `rd`,
# against the size of its allowed set, `r.probes`): a question for many searches mixes
# hubs asked about a few far ends with small nodes asked about thousands.
_STEPS = """
SELECT r.id, r.type, o.id, o.kind, {forward}, d.degree, o.nid
FROM temp.path_requests r
{edges}
CROSS JOIN degrees d ON d.nid = e.{far} AND d.type = r.type AND d.kind = r.node_kind
CROSS JOIN nodes o ON o.nid = e.{far} AND o.kind = r.kind
WHERE (r.cap IS NULL OR d.degree <= r.cap){which}
"""
#: The request's own degree for its metaedge (what scanning its range reads).
_OWN = ("LEFT JOIN degrees rd ON rd.nid = r.nid AND rd.type = r.type "
        "AND rd.kind = r.kind ")
_SCAN = " AND coalesce(rd.degree, 0) <= r.probes"
_PROBING = " AND rd.degree > r.probes"
_ALL = "CROSS JOIN edges e ON e.{near} = r.nid AND e.type = r.type"
_MEMBER = ("CROSS JOIN edges e ON e.{near} = r.nid AND e.type = r.type "
           "CROSS JOIN temp.{allowed} a ON a.type = r.type AND a.kind = r.kind "
           "AND a.grp = r.grp AND a.nid = e.{far}")
#: The tables of allowed neighbours (see SqlitePathReads._allow).
_ALLOWED = tuple(f"path_allowed{i}" for i in range(4))
_PROBE = ("CROSS JOIN temp.{allowed} a ON a.type = r.type AND a.kind = r.kind "
          "AND a.grp = r.grp "
          "CROSS JOIN edges e ON e.{near} = r.nid AND e.type = r.type AND e.{far} = a.nid")


class SqlitePathReads:
    """The three reads, on one connection (its temporary tables are its own)."""

    def __init__(self, db: sqlite3.Connection, read: Reader) -> None:
        self.db = db
        self.read = read
        self._ready = False
        #: Key and kind of each node met so far (the store's ids are fixed while it is open
        #: for reading by the explainer: keys of a node never change).
        self.keys: dict[str, tuple[int, str]] = {}
        #: What the tables of allowed neighbours hold, least recently used first.
        self._allowed: dict[str, set[tuple[str, str, int, int]]] = {}

    def _known(self, node_ids: Collection[str]) -> None:
        """Look up the keys of the nodes not met yet."""
        missing = [n for n in node_ids if n not in self.keys]
        if missing:
            self._fill("path_ids", 1, ((n,) for n in missing))
            self.keys.update((node_id, (nid, kind)) for node_id, nid, kind in self.read(
                "SELECT n.id, n.nid, n.kind FROM temp.path_ids w CROSS JOIN nodes n "
                "ON n.id = w.id", ()))

    def _tables(self) -> None:
        if not self._ready:
            self.db.executescript(_TABLES)
            self._ready = True

    def _fill(self, table: str, columns: int, rows: Iterable[Sequence[Any]]) -> None:
        self._tables()
        self.db.execute(f"DELETE FROM temp.{table}")
        self.db.executemany(f"INSERT OR IGNORE INTO temp.{table} VALUES "
                            f"({','.join('?' * columns)})", rows)

    def _allow(self, wanted: set[tuple[str, str, int, int]]) -> str:
        """A table of allowed neighbours that holds ``wanted``, and its name.

        A search asks for much the same sets again and again (the joining hops' tiers
        take turns; a drug's side is the far side for each of its diseases), so a few
        tables keep the last sets asked for, and the one closest to ``wanted`` is brought
        to it by writing only the difference, when that is smaller than ``wanted``;
        else the least recently used one is refilled. Known only outside a transaction
        (one rolled back would undo what was written)."""
        tables = self._allowed
        if self.db.in_transaction:
            tables.clear()
        best, change = None, len(wanted)
        for name, held in tables.items():
            size = len(held ^ wanted) if abs(len(held) - len(wanted)) < change else change
            if size < change:
                best, change = name, size
        if best is not None:
            held = tables.pop(best)
            gone, new = held - wanted, wanted - held
            if gone:
                self.db.executemany(f"DELETE FROM temp.{best} WHERE type = ? AND kind = ? "
                                    "AND grp = ? AND nid = ?", gone)
            if new:
                self.db.executemany(f"INSERT INTO temp.{best} VALUES (?,?,?,?)", new)
        else:
            best = next((n for n in _ALLOWED if n not in tables), None) or next(iter(tables))
            tables.pop(best, None)
            self._fill(best, 4, wanted)
        if not self.db.in_transaction:
            tables[best] = wanted  # last: the most recently used
        return best

    def degrees(self, node_ids: Collection[str]) -> dict[str, NodeFacts]:
        """Kind, name and mechanism degrees of each node held (see the module docstring)."""
        self._fill("path_ids", 1, ((n,) for n in node_ids))
        found: dict[str, tuple[str, str, dict[tuple[str, str], int]]] = {}
        for node_id, nid, kind, name, edge_type, other_kind, degree in self.read(
            "SELECT n.id, n.nid, n.kind, n.name, d.type, d.kind, d.degree FROM temp.path_ids w "
            "CROSS JOIN nodes n ON n.id = w.id LEFT JOIN degrees d ON d.nid = n.nid", ()
        ):
            entry = found.get(node_id)
            if entry is None:
                entry = found[node_id] = (kind, name, {})
                self.keys[node_id] = (nid, kind)
            if (edge_type is not None and edge_type not in _EVIDENCE_TYPES
                    and other_kind in _MECHANISM_KINDS):
                entry[2][(edge_type, other_kind)] = degree
        return {node_id: NodeFacts(kind, name, degrees)
                for node_id, (kind, name, degrees) in found.items()}

    def steps(self, requests: Sequence[StepRequest],
              within: Within | None = None) -> list[Step]:
        """Neighbours each request asks for, with their own degree (one query)."""
        allowed = {n for nodes in within.values() for n in nodes} if within else set()
        self._known([r.node for r in requests] + list(allowed))
        keys = self.keys
        sizes = {key: len(nodes) for key, nodes in within.items()} if within else {}
        self._fill("path_requests", 8, (
            (keys[r.node][0], r.node, keys[r.node][1], r.edge_type, r.other_kind, r.max_degree,
             r.group, sizes.get(within_key(r), 0)) for r in requests if r.node in keys))
        if within is None:
            branches = [(_ALL, "")]
            allowed_in = ""
        else:
            allowed_in = self._allow({(key[0], key[1], key[2] if len(key) > 2 else 0,
                                       keys[n][0])
                                      for key, nodes in within.items()
                                      for n in nodes if n in keys})
            branches = [(_OWN + _MEMBER, _SCAN), (_OWN + _PROBE, _PROBING)]
        sql = " UNION ALL ".join(
            _STEPS.format(forward=forward, far=far, which=which,
                          edges=clause.format(near=near, far=far, allowed=allowed_in))
            for clause, which in branches
            for forward, near, far in ((1, "src", "dst"), (0, "dst", "src")))
        rows = self.read(sql, ())
        keys.update((other, (nid, kind)) for _, _, other, kind, _, _, nid in rows)
        return merge_steps((node, edge_type, other, kind, bool(forward), degree)
                           for node, edge_type, other, kind, forward, degree, _ in rows)

    def hop_edge_ids(self, hops: Collection[HopKey]) -> list[int]:
        """Keys of every edge stating one of these hops, stored either way."""
        self._fill("path_hops", 3, hops)
        return [row[0] for row in self.read(
            "SELECT e.eid FROM temp.path_hops h CROSS JOIN nodes a ON a.id = h.u "
            "CROSS JOIN nodes b ON b.id = h.v CROSS JOIN edges e "
            "ON e.src = a.nid AND e.type = h.type AND e.dst = b.nid "
            "UNION SELECT e.eid FROM temp.path_hops h CROSS JOIN nodes a ON a.id = h.u "
            "CROSS JOIN nodes b ON b.id = h.v CROSS JOIN edges e "
            "ON e.src = b.nid AND e.type = h.type AND e.dst = a.nid", ())]


__all__ = ["Reader", "SqlitePathReads"]
