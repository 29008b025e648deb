"""One source's load into the embedded store, chunk by chunk, in one transaction.

:class:`SqliteLoad` is what :meth:`SqliteStore.load` and
:meth:`SqliteStore.remove_source` run inside their transaction:

1. **withdraw** what the source said before (a reload): its assertions leave
   the rows and the assertion tables; the ids of the nodes and edges it had
   asserted go to two temporary tables, not to Python lists, so withdrawing a
   source of millions of edges costs no memory;
2. **write** each chunk: nodes first (a new node gets the next free key and
   keeps its one assertion on its row; a stored node's merged view is brought
   up to date), then edges, set-wise: every edge is appended with a fresh key
   by ``INSERT OR IGNORE``, and only the few that already existed (another
   source, or an earlier chunk, stated them) are found again and given this
   source's assertion;
3. **finish**: nodes the source asserted before but not now are merged again
   from what the other sources say (or removed, with their edges, when nobody
   asserts them), edges nobody asserts any more are removed; the degree table
   is brought up to date for the nodes whose edges changed
   (:mod:`graph.store.sqlite_degrees`).

What the load holds in memory besides the chunk at hand is one entry per node
it touched (its key and kind), never one per edge.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from graph.errors import StoreError
from graph.model import Edge, LoadResult, Node, Provenance, Rejection, SourceInfo
from graph.store.base import REJECTIONS_SHOWN
from graph.store.merge import lookup_keys, merge_records, priority
from graph.store.sqlite_degrees import refresh_degrees, watch_removed_edges
from graph.store.sqlite_rows import (
    KEYED_FIELDS,
    in_lists,
    json_text,
    marks,
    provenance_record,
    read_provenance,
    record_keys,
    stored_provenance,
)
from graph.stream import Chunk, Statement, edge_line

# A stored edge row: key, ends' keys, type, source key, line, provenance, properties.
_EdgeRow = tuple[int, int, str, int, int, int | None, str | None, str | None]


class SqliteLoad:
    """One source's assertions replacing its earlier ones (see the module docstring)."""

    def __init__(self, db: sqlite3.Connection, source: SourceInfo, *, reload: bool) -> None:
        self.db = db
        self.source = source
        self.name, self.version = source.name, source.version
        self.reload = reload
        seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM sources").fetchone()[0]
        self.sid: int = db.execute(
            "INSERT INTO sources (name, kind, version, path, loaded_at, seq) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
            "kind = excluded.kind, version = excluded.version, path = excluded.path, "
            "loaded_at = excluded.loaded_at, seq = excluded.seq RETURNING sid",
            (source.name, source.kind, source.version, source.path,
             datetime.now(UTC).isoformat(timespec="seconds"), seq),
        ).fetchone()[0]
        others = db.execute("SELECT kind, name FROM sources WHERE name != ?",
                            (source.name,)).fetchall()
        #: This source's values win over every other loaded source's (merge order).
        self.strongest = all((priority(source.kind), source.name) > (priority(kind), name)
                             for kind, name in others)
        self.ends = _Ends(db)
        self.asserted: set[str] = set()  # node ids this load has asserted so far
        self.edges = 0
        self.refused = 0
        self.rejections: list[Rejection] = []
        self.next_eid: int = db.execute("SELECT coalesce(max(eid), 0) + 1 FROM edges").fetchone()[0]
        self.counts: Counter[str] = Counter()  # edges added (removed: < 0) by type
        self.edges_removed = 0  # edges that went with a node nobody asserts any more
        self.first_eid = self.next_eid  # edges this load adds get keys from here on
        watch_removed_edges(db)
        if reload:
            self._withdraw()

    # -- 1. withdraw -----------------------------------------------------------

    def _withdraw(self) -> None:
        db, sid = self.db, self.sid
        for table, key, view in (("old_nodes", "nid", "node_said"),
                                 ("old_edges", "eid", "edge_said")):
            db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} ({key} INTEGER PRIMARY KEY)")
            db.execute(f"DELETE FROM temp.{table}")
            db.execute(f"INSERT OR IGNORE INTO temp.{table} SELECT {key} FROM {view} "
                       "WHERE sid = ?", (sid,))
        # A node's data stays its (now stale) view until it is merged again.
        db.execute("UPDATE nodes SET sid = NULL WHERE sid = ?", (sid,))
        db.execute("DELETE FROM node_assertions WHERE sid = ?", (sid,))
        db.execute("UPDATE edges SET sid = NULL, line = NULL, provenance = NULL, "
                   "properties = NULL WHERE sid = ?", (sid,))
        db.execute("DELETE FROM edge_assertions WHERE sid = ?", (sid,))
        db.execute("DELETE FROM ledger WHERE sid = ?", (sid,))

    # -- 2. write --------------------------------------------------------------

    def write(self, chunk: Chunk) -> None:
        """Write one chunk: its nodes, then its edges, then its refusals."""
        rejections = list(chunk.rejections)
        if chunk.nodes:
            self._write_nodes(chunk.nodes)
        if chunk.edges:
            self._write_edges(chunk.edges, rejections)
        if rejections:
            self.refused += len(rejections)
            room = REJECTIONS_SHOWN - len(self.rejections)
            self.rejections.extend(rejections[:max(room, 0)])
            self.db.executemany("INSERT INTO ledger VALUES (?, ?, ?, ?, ?)", (
                (self.sid, r.path, r.line, r.record, r.reason) for r in rejections))

    def _write_nodes(self, nodes: Sequence[Node]) -> None:
        db, sid = self.db, self.sid
        # One assertion per (node, source): a later one of the same node replaces it.
        asserted: dict[str, Node] = {node.id: node for node in nodes}
        # model_dump_json(exclude_none=True), without its Python wrapper: once per node.
        fresh = {node_id: node.__pydantic_serializer__.to_json(node, exclude_none=True).decode()
                 for node_id, node in asserted.items()}
        ends = self.ends
        stored = ends.add_nodes(asserted)
        nid = ends.nid
        # Another assertion kept on a stored node's row (the node's whole view) is about
        # to stop being its only one: move it to node_assertions first.
        for keys in in_lists([nid[n] for n in stored]):
            db.execute("INSERT OR REPLACE INTO node_assertions SELECT nid, sid, data FROM nodes "
                       f"WHERE sid IS NOT NULL AND nid IN ({marks(len(keys))})", keys)
            db.execute(f"UPDATE nodes SET sid = NULL WHERE sid IS NOT NULL "
                       f"AND nid IN ({marks(len(keys))})", keys)
        db.executemany("INSERT OR REPLACE INTO node_assertions VALUES (?, ?, ?)",
                       ((nid[node_id], sid, fresh[node_id]) for node_id in stored))

        rows: list[tuple[int, str, str, str, str, int | None]] = []
        names: list[tuple[str, int]] = []
        changed: list[tuple[str, dict[str, Any], dict[str, Any]]] = []  # id, old, new view
        again = self._said_before([n for n in stored if n not in self.asserted])
        full: list[str] = []
        for node_id, data in fresh.items():
            if node_id not in stored:  # a new node: its one assertion is its view
                node, key, kind = asserted[node_id], nid[node_id], ends.kind[node_id]
                rows.append((key, node_id, kind, node.name, data, sid))
                names.extend((k, key) for k in lookup_keys(
                    node_id, node.name, node.synonyms, node.xrefs, kind=kind))
            elif self.strongest and node_id not in again and node_id not in self.asserted:
                # The strongest source, new to this node: fold its assertion into the view.
                old = json.loads(stored[node_id])
                record = merge_records([old, json.loads(data)])
                if record != old:
                    changed.append((node_id, old, record))
                    rows.append((nid[node_id], node_id, record["kind"], record["name"],
                                 json_text(record), None))
            else:
                full.append(node_id)
        self._rewrite_names(changed, names)
        self._put_nodes(rows, names)
        self.asserted.update(asserted)
        if full:
            self.remerge(full)
        if self.reload:
            for keys in in_lists([nid[n] for n in asserted]):
                db.execute(f"DELETE FROM temp.old_nodes WHERE nid IN ({marks(len(keys))})", keys)

    def _said_before(self, node_ids: Sequence[str]) -> set[str]:
        """Which of these stored nodes this source asserted before this load (a reload)."""
        if not self.reload or not node_ids:
            return set()
        found: set[str] = set()
        for chunk in in_lists(node_ids):
            found.update(r[0] for r in self.db.execute(
                f"SELECT n.id FROM nodes n JOIN temp.old_nodes o ON o.nid = n.nid "
                f"WHERE n.id IN ({marks(len(chunk))})", chunk))
        return found

    def _put_nodes(self, rows: list[tuple[int, str, str, str, str, int | None]],
                   names: list[tuple[str, int]]) -> None:
        self.db.executemany(
            "INSERT INTO nodes VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (nid) DO UPDATE "
            "SET kind = excluded.kind, name = excluded.name, data = excluded.data, "
            "sid = excluded.sid", rows)
        names.sort()  # in key order: each B-tree page is visited once, not at random
        self.db.executemany("INSERT OR IGNORE INTO names VALUES (?, ?)", names)

    def _rewrite_names(self, changed: Iterable[tuple[str, dict[str, Any], dict[str, Any] | None]],
                       names: list[tuple[str, int]]) -> None:
        """Delete the keys of old views that new views lack; add the new keys to ``names``."""
        stale: list[tuple[str, int]] = []
        for node_id, old_view, new_view in changed:
            if new_view is not None and all(old_view.get(field) == new_view.get(field)
                                            for field in KEYED_FIELDS):
                continue
            key = self.ends.nid[node_id]
            old_keys = record_keys(old_view)
            new_keys = record_keys(new_view) if new_view is not None else set()
            stale.extend((k, key) for k in old_keys - new_keys)
            names.extend((k, key) for k in new_keys - old_keys)
        self.db.executemany("DELETE FROM names WHERE key = ? AND nid = ?", stale)

    def remerge(self, node_ids: Sequence[str]) -> int:
        """Merge these nodes' views again from every assertion; remove those with none.

        Merging is a left fold in priority order, then source-name order. A node left with
        one assertion keeps it on its row (``nodes.sid``). Returns the nodes removed.
        """
        db = self.db
        seq = {source: (priority(kind), name) for source, kind, name in
               db.execute("SELECT sid, kind, name FROM sources")}
        removed = 0
        for chunk in in_lists(sorted(node_ids)):
            in_chunk = marks(len(chunk))
            old_views: dict[str, dict[str, Any]] = {}
            for node_id, key, data in db.execute(
                    f"SELECT id, nid, data FROM nodes WHERE id IN ({in_chunk})", chunk):
                old_views[node_id] = json.loads(data)
                self.ends.nid[node_id] = key
            said: dict[str, list[tuple[tuple[int, int], int, str]]] = defaultdict(list)
            for node_id, source, data in db.execute(
                f"SELECT id, sid, data FROM nodes WHERE sid IS NOT NULL AND id IN ({in_chunk}) "
                "UNION ALL SELECT n.id, a.sid, a.data FROM nodes n JOIN node_assertions a "
                f"ON a.nid = n.nid WHERE n.id IN ({in_chunk})", [*chunk, *chunk]
            ):
                said[node_id].append((seq.get(source, (0, "")), source, data))
            gone = [self.ends.nid[n] for n in old_views if n not in said]
            removed += len(gone)
            if gone:
                in_gone = marks(len(gone))
                db.execute(f"DELETE FROM edge_assertions WHERE eid IN (SELECT eid FROM edges "
                           f"WHERE src IN ({in_gone}) OR dst IN ({in_gone}))", [*gone, *gone])
                went = [t for (t,) in db.execute(
                    f"DELETE FROM edges WHERE src IN ({in_gone}) OR dst IN ({in_gone}) "
                    "RETURNING type", [*gone, *gone]).fetchall()]
                self.counts.subtract(went)
                self.edges_removed += len(went)
                db.execute(f"DELETE FROM nodes WHERE nid IN ({in_gone})", gone)
            rows: list[tuple[int, str, str, str, str, int | None]] = []
            inlined: list[tuple[int, int]] = []
            changed: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = []
            for node_id, old_view in old_views.items():
                assertions = sorted(said.get(node_id, ()), key=lambda a: a[0])
                if not assertions:
                    changed.append((node_id, old_view, None))
                    continue
                record = merge_records(json.loads(data) for _, _, data in assertions)
                only = assertions[0][1] if len(assertions) == 1 else None
                key = self.ends.nid[node_id]
                if only is not None:
                    inlined.append((key, only))
                changed.append((node_id, old_view, record))
                rows.append((key, node_id, record["kind"], record["name"], json_text(record),
                             only))
            db.executemany("DELETE FROM node_assertions WHERE nid = ? AND sid = ?", inlined)
            names: list[tuple[str, int]] = []
            self._rewrite_names(changed, names)
            self._put_nodes(rows, names)
        return removed

    def _write_edges(self, edges: Sequence[Edge | Statement], rejections: list[Rejection]) -> None:
        """Append the chunk's edges; give the ones that already existed this assertion.

        A statement said twice (in this chunk or an earlier one) is appended once: its
        second row is not taken, and is added to the first as an own duplicate.
        """
        ends = self.ends
        ends.look_up({e.source for e in edges} | {e.target for e in edges})
        nid = ends.nid
        if not all(e.source in nid and e.target in nid for e in edges):
            kept = []
            for edge in edges:
                src, dst = edge.source, edge.target
                if src in nid and dst in nid:
                    kept.append(edge)
                    continue
                rejections.append(Rejection(
                    source=self.name, path=self.source.path, line=edge_line(edge),
                    record=f"{src} -[{edge.type.value}]-> {dst}",
                    reason=f"edge endpoint {src if src not in nid else dst} is not a "
                           "known node"))
            edges = kept
        rows = self._rows(edges)
        if not rows:
            return
        first = self.next_eid
        self.next_eid += len(rows)
        before = self.db.total_changes
        self.db.executemany("INSERT OR IGNORE INTO edges VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self.edges += len(rows)
        if self.db.total_changes - before == len(rows):
            self.counts.update(row[2] for row in rows)
            return
        # Some statements were already stored: those keys were not taken.
        taken = {eid for (eid,) in self.db.execute(
            "SELECT eid FROM edges WHERE eid BETWEEN ? AND ?", (first, self.next_eid - 1))}
        self.counts.update(row[2] for row in rows if row[0] in taken)
        self._assert_existing([row for row in rows if row[0] not in taken])

    def _rows(self, edges: Sequence[Edge | Statement]) -> list[_EdgeRow]:
        """Edge rows with fresh keys (``edges.eid``), in the chunk's order."""
        nid, sid, eid = self.ends.nid, self.sid, self.next_eid
        # Loaders share property (and provenance) objects between edges: encode each once.
        texts: dict[int, tuple[object, Any]] = {}

        def properties(value: Mapping[str, Any] | None) -> str | None:
            if not value:
                return None
            known = texts.get(id(value))
            if known is None:
                known = texts[id(value)] = (value, json_text(dict(value)))
            return str(known[1])

        if all(e.__class__ is Statement and not e.pmids for e in edges):
            # The common case of a large load: one comprehension, no per-edge branches.
            statements: Sequence[Statement] = edges  # type: ignore[assignment]
            distinct = {id(e.properties): e.properties for e in statements}
            text = {key: properties(value) for key, value in distinct.items()}
            return [(eid + i, nid[e.source], e.type._value_, nid[e.target], sid, e.line,
                     None, text[id(e.properties)]) for i, e in enumerate(statements)]
        rows: list[_EdgeRow] = []
        for i, edge in enumerate(edges):
            if isinstance(edge, Statement):
                stored: tuple[int | None, str | None] = (edge.line, None) if not edge.pmids \
                    else (None, json_text([provenance_record(Provenance(
                        source=self.name, version=self.version, line=edge.line,
                        pmids=edge.pmids))]))
                props: Mapping[str, Any] | None = edge.properties
            else:
                provenance = edge.provenance
                shared: object = provenance[0] if len(provenance) == 1 else provenance
                known = texts.get(id(shared))
                if known is None:
                    known = texts[id(shared)] = (shared, stored_provenance(
                        provenance, self.name, self.version))
                stored, props = known[1], edge.properties
            rows.append((eid + i, nid[edge.source], edge.type._value_, nid[edge.target], sid,
                         stored[0], stored[1], properties(props)))
        return rows

    def _assert_existing(self, rows: list[_EdgeRow]) -> None:
        """This source's assertion on edges that were already stored.

        An edge this source stated in an earlier chunk gets the new provenance added to
        that assertion; an edge whose row slot is free (its source withdrew) takes the
        assertion on its row; any other goes to ``edge_assertions``.
        """
        db, sid = self.db, self.sid
        rows = self._merged(rows)
        db.execute("CREATE TEMP TABLE IF NOT EXISTS batch_edges (src INTEGER, type TEXT, "
                   "dst INTEGER, line INTEGER, provenance TEXT, properties TEXT)")
        db.execute("DELETE FROM temp.batch_edges")
        db.executemany("INSERT INTO temp.batch_edges VALUES (?, ?, ?, ?, ?, ?)",
                       [(s, t, d, line, prov, props) for _, s, t, d, _, line, prov, props in rows])
        own = db.execute(
            "SELECT e.eid, b.rowid, b.line, b.provenance, b.properties, e.sid = ? "
            "FROM temp.batch_edges b JOIN edges e ON e.src = b.src AND e.type = b.type "
            "AND e.dst = b.dst WHERE e.sid = ? OR EXISTS (SELECT 1 FROM edge_assertions a "
            "WHERE a.eid = e.eid AND a.sid = ?)", (sid, sid, sid)).fetchall()
        for eid, rowid, line, provenance, properties, on_row in own:
            self._add_to_own(eid, bool(on_row), line, provenance, properties)
            db.execute("DELETE FROM temp.batch_edges WHERE rowid = ?", (rowid,))
        self.edges -= len(own)  # counted once already
        db.execute("UPDATE edges SET sid = ?, line = b.line, provenance = b.provenance, "
                   "properties = b.properties FROM temp.batch_edges b WHERE edges.sid IS NULL "
                   "AND edges.src = b.src AND edges.type = b.type AND edges.dst = b.dst", (sid,))
        db.execute("INSERT INTO edge_assertions SELECT e.eid, ?, b.line, b.provenance, "
                   "b.properties FROM temp.batch_edges b JOIN edges e ON "
                   "e.src = b.src AND e.type = b.type AND e.dst = b.dst WHERE e.sid != ?",
                   (sid, sid))
        db.execute("DELETE FROM temp.batch_edges")

    def _merged(self, rows: list[_EdgeRow]) -> list[_EdgeRow]:
        """One row per statement: a statement said twice in a chunk gets both provenances."""
        by_key: dict[tuple[int, str, int], _EdgeRow] = {}
        for row in rows:
            key = (row[1], row[2], row[3])
            first = by_key.get(key)
            if first is None:
                by_key[key] = row
                continue
            line, provenance = stored_provenance(
                read_provenance(self.name, self.version, first[5], first[6])
                + read_provenance(self.name, self.version, row[5], row[6]),
                self.name, self.version)
            properties = {**json.loads(first[7] or "{}"), **json.loads(row[7] or "{}")}
            by_key[key] = (*first[:5], line, provenance,
                           json_text(properties) if properties else None)
            self.edges -= 1
        return list(by_key.values())

    def _add_to_own(self, eid: int, on_row: bool, line: int | None, provenance: str | None,
                    properties: str | None) -> None:
        """Add a repeated statement's provenance and properties to this source's assertion."""
        table, where = ("edges", "eid = ?") if on_row else ("edge_assertions",
                                                            "eid = ? AND sid = ?")
        args = (eid,) if on_row else (eid, self.sid)
        old_line, old_provenance, old_properties = self.db.execute(
            f"SELECT line, provenance, properties FROM {table} WHERE {where}", args).fetchone()
        entries = (read_provenance(self.name, self.version, old_line, old_provenance)
                   + read_provenance(self.name, self.version, line, provenance))
        merged = {**json.loads(old_properties or "{}"), **json.loads(properties or "{}")}
        new_line, new_provenance = stored_provenance(entries, self.name, self.version)
        self.db.execute(f"UPDATE {table} SET line = ?, provenance = ?, properties = ? "
                        f"WHERE {where}",
                        (new_line, new_provenance, json_text(merged) if merged else None, *args))

    # -- 3. finish -------------------------------------------------------------

    def finish(self) -> LoadResult:
        """Merge again or remove what the source no longer says; the load's figures."""
        removed_nodes = removed_edges = 0
        if self.reload:
            left = [r[0] for r in self.db.execute(
                "SELECT n.id FROM temp.old_nodes o JOIN nodes n ON n.nid = o.nid")]
            removed_nodes = self.remerge(left)
            removed = [t for (t,) in self.db.execute(
                "DELETE FROM edges WHERE eid IN (SELECT eid FROM temp.old_edges) "
                "AND sid IS NULL AND NOT EXISTS "
                "(SELECT 1 FROM edge_assertions a WHERE a.eid = edges.eid) RETURNING type"
            ).fetchall()]
            removed_edges = len(removed) + self.edges_removed
            self.counts.subtract(removed)
            self.db.execute("DELETE FROM temp.old_nodes")
            self.db.execute("DELETE FROM temp.old_edges")
        self.db.executemany(
            "INSERT INTO edge_counts VALUES (?, ?) ON CONFLICT (type) DO UPDATE "
            "SET n = n + excluded.n", [(t, n) for t, n in self.counts.items() if n])
        refresh_degrees(self.db, since_eid=self.first_eid)
        return LoadResult(
            source=self.source, nodes=len(self.asserted), edges=self.edges,
            rejections=tuple(self.rejections), refused=self.refused,
            nodes_removed=removed_nodes, edges_removed=removed_edges)


class _Ends:
    """Keys and kinds of the nodes a load touches: its own (a new node gets the next
    free key) and the stored nodes its edges point at."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self.nid: dict[str, int] = {}
        self.kind: dict[str, str] = {}

    def add_nodes(self, asserted: dict[str, Node]) -> dict[str, str]:
        """Key these nodes; return the stored merged data of those that exist.

        Raises StoreError when a node is stored as another kind.
        """
        stored: dict[str, str] = {}
        kinds = {node_id: node.label for node_id, node in asserted.items()}
        for chunk in in_lists(list(asserted)):
            for node_id, key, kind, data in self._db.execute(
                f"SELECT id, nid, kind, data FROM nodes WHERE id IN ({marks(len(chunk))})",
                chunk,
            ):
                if kinds[node_id] != kind:
                    raise StoreError(
                        f"{node_id} is a {kind} in the store but this source says "
                        f"{kinds[node_id]}")
                stored[node_id] = data
                self.nid[node_id] = key
        self.kind.update(kinds)
        new = [node_id for node_id in asserted if node_id not in stored]
        last = self._db.execute("SELECT coalesce(max(nid), 0) FROM nodes").fetchone()[0]
        self.nid.update(zip(new, range(last + 1, last + 1 + len(new)), strict=True))
        return stored

    def look_up(self, node_ids: set[str]) -> None:
        """Key the stored nodes among ``node_ids`` not keyed yet."""
        wanted = [n for n in node_ids if n not in self.kind]
        for chunk in in_lists(wanted):
            for node_id, key, kind in self._db.execute(
                f"SELECT id, nid, kind FROM nodes WHERE id IN ({marks(len(chunk))})", chunk
            ):
                self.nid[node_id] = key
                self.kind[node_id] = kind
