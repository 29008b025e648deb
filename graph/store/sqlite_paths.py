"""The embedded store's answers to the explainer's path search, a frontier per query.

:class:`~graph.explain.neighbourhood.Neighbourhoods` asks for degrees of many
nodes, neighbours of many nodes over chosen metaedges, and the statements of
many hops. Each question is written once into a temporary table and answered
by one query joined to it, whatever its size (no ``IN`` lists of a few hundred
ids, no query per node):

* degrees come from the ``degrees`` table (:mod:`graph.store.sqlite_degrees`);
* neighbours over ``(type, kind)`` come from the covering indexes
  ``(src, type, dst)`` and ``(dst, type, src)``, each neighbour's own degree
  joined from ``degrees``, with the request's degree limit applied in SQL.

Neighbours *within allowed sets* (the hops that join the two sides of a search)
are asked differently: both ends are nodes the search has met, so their keys and
degrees are kept here, and only the edge index is read, with the near ends and
each allowed set passed as JSON arrays (``json_each``) rather than written into
tables row by row: a search's allowed sets hold thousands of nodes and change
from question to question. Per near end, the index is scanned (its edges of the
type, each far end looked up in the set) or probed (once per allowed far end),
whichever reads fewer entries.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
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

# Each node of `path_ids` with its degrees by mechanism metaedge (none: one row of nulls).
_DEGREES_SQL = (
    "SELECT n.id, n.nid, n.kind, n.name, d.type, d.kind, d.degree FROM temp.path_ids w "
    "CROSS JOIN nodes n ON n.id = w.id LEFT JOIN degrees d ON d.nid = n.nid "
    f"AND d.kind IN ({', '.join(repr(k) for k in sorted(_MECHANISM_KINDS))}) "
    f"AND d.type NOT IN ({', '.join(repr(t) for t in sorted(_EVIDENCE_TYPES))})")

_TABLES = """
CREATE TEMP TABLE IF NOT EXISTS path_ids (id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS path_requests (
    n INTEGER NOT NULL, nid INTEGER NOT NULL, id TEXT NOT NULL, node_kind TEXT NOT NULL,
    type TEXT NOT NULL, kind TEXT NOT NULL, cap INTEGER);
CREATE TEMP TABLE IF NOT EXISTS path_hops (u TEXT NOT NULL, type TEXT NOT NULL, v TEXT NOT NULL);
"""

# One direction of the neighbour query: `{near}` is the requested node's end of the
# edge, `{far}` the neighbour's. Joins in this order (CROSS JOIN fixes it): request →
# its edges of the type (index range) → the neighbour's degree (the limit checked before
# the node is read) → the neighbour (kind checked). A row names its request by its place
# `n` (its node, type and kinds are not read back as strings).
_STEPS = """
SELECT r.n, o.id, {forward}, d.degree, o.nid
FROM temp.path_requests r
CROSS JOIN edges e ON e.{near} = r.nid AND e.type = r.type
CROSS JOIN degrees d ON d.nid = e.{far} AND d.type = r.type AND d.kind = r.node_kind
CROSS JOIN nodes o ON o.nid = e.{far} AND o.kind = r.kind
WHERE (r.cap IS NULL OR d.degree <= r.cap)
"""
_STEPS_SQL = " UNION ALL ".join(_STEPS.format(forward=forward, near=near, far=far)
                                for forward, near, far in ((1, "src", "dst"), (0, "dst", "src")))

# The joining hops (neighbours within allowed sets): only the edge index is read, both ends
# being known nodes whose degrees are kept. The near ends and the allowed far ends are
# JSON arrays of node keys; SQLite turns each `IN (SELECT value FROM json_each(?))` into a
# temporary index once per statement. Scanning (`+` keeps the far end off the index, so
# each near end's range of the type is read and its far ends looked up in the allowed
# set) suits near ends with fewer edges of the type than allowed far ends; probing the
# index once per (near end, allowed far end) suits hubs asked about a few.
_JOIN = ("SELECT e.{near}, e.{far}, {forward} FROM edges e WHERE e.{near} IN "
         "(SELECT value FROM json_each(?1)) AND e.type = ?2 AND {plus}e.{far} IN "
         "(SELECT value FROM json_each(?3))")
#: Both directions in one statement (rows: near, far, stored near → far), by whether near
#: ends are scanned.
_JOINS = {scan: " UNION ALL ".join(
    _JOIN.format(near=near, far=far, forward=forward, plus="+" if scan else "")
    for forward, near, far in ((1, "src", "dst"), (0, "dst", "src"))) for scan in (True, False)}


class SqlitePathReads:
    """The three reads, on one connection (its temporary tables are its own)."""

    def __init__(self, db: sqlite3.Connection, read: Reader) -> None:
        self.db = db
        self.read = read
        self._ready = False
        self._version: int | None = None
        #: Key and kind of each node met so far, the id of each key, and the facts (and
        #: by key the mechanism degrees) of each node whose degrees were read (all
        #: forgotten when the store changes: see :meth:`forget`).
        self.keys: dict[str, tuple[int, str]] = {}
        self.ids: dict[int, str] = {}
        self.degrees_of: dict[int, dict[tuple[str, str], int]] = {}
        self.facts: dict[str, NodeFacts] = {}

    def forget(self) -> None:
        """Drop what is kept about nodes (the store was written to)."""
        self.keys, self.ids, self.degrees_of, self.facts = {}, {}, {}, {}

    def _fresh(self) -> None:
        """Forget what is kept if another connection has written to the store since, or if
        a write transaction is open on this one (its writes are not committed yet). Called
        once per question, on the way in."""
        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version or self.db.in_transaction:
            self.forget()
            self._version = version

    def _meet(self, found: Iterable[Sequence[Any]]) -> None:
        """Keep the key and kind of each ``(id, key, kind)``."""
        for node_id, nid, kind in found:
            self.keys[node_id] = (nid, kind)
            self.ids[nid] = node_id

    def _known(self, node_ids: Collection[str]) -> None:
        """Look up the keys of the nodes not met yet."""
        missing = [n for n in node_ids if n not in self.keys]
        if missing:
            self._fill("path_ids", 1, ((n,) for n in missing))
            self._meet(self.read("SELECT n.id, n.nid, n.kind FROM temp.path_ids w "
                                 "CROSS JOIN nodes n ON n.id = w.id", ()))

    def _tables(self) -> None:
        if not self._ready:
            self.db.executescript(_TABLES)
            self._ready = True

    def _fill(self, table: str, columns: int, rows: Iterable[Sequence[Any]]) -> None:
        self._tables()
        self.db.execute(f"DELETE FROM temp.{table}")
        self.db.executemany(f"INSERT OR IGNORE INTO temp.{table} VALUES "
                            f"({','.join('?' * columns)})", rows)

    def degrees(self, node_ids: Collection[str]) -> dict[str, NodeFacts]:
        """Kind, name and mechanism degrees of each node held (see the module docstring);
        those of nodes read before are kept (the statements of the paths a search found
        are between nodes whose degrees it read)."""
        self._fresh()
        facts = self.facts
        missing = [n for n in node_ids if n not in facts]
        if missing:
            self._degrees(missing)
        return {n: found for n in node_ids if (found := facts.get(n)) is not None}

    def _degrees(self, node_ids: Collection[str]) -> None:
        """Read and keep the facts of these nodes (mechanism degrees only)."""
        self._fill("path_ids", 1, ((n,) for n in node_ids))
        found: dict[str, tuple[str, str, dict[tuple[str, str], int]]] = {}
        for node_id, nid, kind, name, edge_type, other_kind, degree in self.read(
                _DEGREES_SQL, ()):
            entry = found.get(node_id)
            if entry is None:
                entry = found[node_id] = (kind, name, {})
                self._meet(((node_id, nid, kind),))
                self.degrees_of[nid] = entry[2]
            if edge_type is not None:
                entry[2][(edge_type, other_kind)] = degree
        self.facts.update((node_id, NodeFacts(kind, name, degrees))
                          for node_id, (kind, name, degrees) in found.items())

    def steps(self, requests: Sequence[StepRequest],
              within: Within | None = None) -> list[Step]:
        """Neighbours each request asks for, with their own degree (one query; within
        allowed sets, a few: see :meth:`_joining`)."""
        self._fresh()
        if within is not None:
            return self._joining(requests, within)
        self._known([r.node for r in requests])
        keys = self.keys
        asked = [r for r in requests if r.node in keys]
        self._fill("path_requests", 7, (  # rows name their request by its place (n)
            (n, keys[r.node][0], r.node, keys[r.node][1], r.edge_type, r.other_kind,
             r.max_degree) for n, r in enumerate(asked)))
        rows = self.read(_STEPS_SQL, ())
        self._meet((other, nid, asked[n].other_kind) for n, other, _, _, nid in rows)
        return merge_steps((asked[n].node, asked[n].edge_type, other, asked[n].other_kind,
                            bool(forward), degree) for n, other, forward, degree, _ in rows)

    def _joining(self, requests: Sequence[StepRequest], within: Within) -> list[Step]:
        """Neighbours within the allowed sets: the edge index alone, asked once per allowed
        set, direction and way of reading it (see ``_JOINS``)."""
        allowed = {n for nodes in within.values() for n in nodes}
        self._known([r.node for r in requests] + list(allowed))
        keys, degrees_of = self.keys, self.degrees_of
        unread = [node_id for node_id in {r.node for r in requests} | allowed
                  if node_id in keys and keys[node_id][0] not in degrees_of]
        if unread:
            self._degrees(unread)
        # By allowed set and the near end's kind: each near end's key and cap, scanned or
        # probed as its own edges of the metaedge or the allowed set is the smaller.
        groups: dict[tuple[Any, str], tuple[dict[int, int | None], dict[int, int | None]]] = {}
        sizes = {key: len(nodes) for key, nodes in within.items()}
        for r in requests:
            key, near = within_key(r), keys.get(r.node)
            if near is None or not sizes.get(key):
                continue
            scan, probe = groups.setdefault((key, near[1]), ({}, {}))
            own = degrees_of[near[0]].get((r.edge_type, r.other_kind), 0)
            (scan if own <= sizes[key] else probe)[near[0]] = r.max_degree
        rows: list[tuple[str, str, str, str, bool, int]] = []
        fars: dict[Any, str] = {}  # each allowed set as a JSON array of keys
        for (key, near_kind), ways in groups.items():
            edge_type, kind = key[0], key[1]
            far = fars.get(key)
            if far is None:
                far = fars[key] = json.dumps([
                    known[0] for n in within[key]
                    if (known := keys.get(n)) is not None and known[1] == kind])
            for scanned, caps in zip((True, False), ways, strict=True):
                if caps:
                    rows.extend(self._joined(caps, edge_type, kind, near_kind, far, scanned))
        return merge_steps(rows)

    def _joined(self, caps: dict[int, int | None], edge_type: str, kind: str, near_kind: str,
                far: str, scanned: bool) -> Iterator[tuple[str, str, str, str, bool, int]]:
        """Rows for :func:`merge_steps`: the hops of ``edge_type`` from the near ends (keys
        and caps) to the allowed far ends of ``kind`` (a JSON array of keys)."""
        ids, degrees_of = self.ids, self.degrees_of
        near = json.dumps(list(caps))
        for here, there, forward in self.read(_JOINS[scanned], (near, edge_type, far)):
            degree = degrees_of[there].get((edge_type, near_kind), 0)
            cap = caps[here]
            if cap is None or degree <= cap:
                yield ids[here], edge_type, ids[there], kind, bool(forward), degree

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
