"""One source's load into Neo4j: many transactions, one generation, undone on failure.

A large source (PrimeKG: four million statements) cannot be one Neo4j
transaction: the server holds a transaction's changes in its heap. So a load
commits as it goes, chunk by chunk, and stays all-or-nothing through
**generations** (:mod:`graph.store.neo4j_layout`):

1. **begin**: the load takes the next generation number ``g`` (a counter on the
   ``:TxkgMeta`` node) and records it on its ``:TxkgSource`` node as
   ``loading_gen`` with ``phase = 'loading'``; the source now reads as
   incomplete (``SourceInfo.complete`` is false);
2. **write**, one transaction per part of a chunk: every node, relationship and
   ledger entry the load writes carries ``g``; nothing another generation said
   is changed, only added to. What the source said before (its live generation
   ``g0``) stays, so a failure can always go back to it;
3. **finish**: ``phase = 'replacing'``, then generation ``g0`` is *withdrawn*
   (its assertions removed, views merged again, elements nobody asserts any
   more deleted), then ``g`` becomes the live generation and the phase is
   cleared: the source is complete.

A fault while writing (a :class:`~graph.errors.ParseError` deep in the file,
a server error, Ctrl-C) sets ``phase = 'undoing'`` and withdraws ``g``: the
store is as it was before the load. A process killed part-way leaves the phase
on the source node; the next load of that source first finishes the work
(``replacing``: withdraw ``g0``, promote ``g``) or undoes it (``loading``,
``undoing``: withdraw ``g``), so rerunning the same command completes it and
gives what a clean load gives. One load of a source at a time.

Writes are shaped for speed: parameterised ``UNWIND $rows`` statements grouped
by relationship type (types are quoted, never parameters), ends found by
element id (the load keeps each touched node's element id), and ``CREATE``
rather than ``MERGE`` where the relationship cannot exist yet: one of its ends
was created by this load, or a stored end had no relationship of that type in
that direction when the load first met it, and this load has not written its
key before (a one-hash bitmap of written keys; a hit means "maybe", and only
those are read first). Statements that share their properties share one parameter map.
A source of one small chunk, with nothing large to replace, is written in one
transaction instead, all steps included.
"""

from __future__ import annotations

import queue
import threading
from collections import defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any, NamedTuple, TypeVar

from neo4j import Driver, ManagedTransaction

from graph.cypher_names import (
    LEDGER_LABEL,
    META_LABEL,
    NODE_LABEL,
    RECOUNT_LABEL,
    SOURCE_LABEL,
    quote,
)
from graph.errors import StoreError
from graph.model import Edge, EdgeType, LoadResult, Node, Rejection, SourceInfo
from graph.store.base import REJECTIONS_SHOWN
from graph.store.neo4j_layout import (
    DEGREE_MARK,
    Generations,
    Said,
    combine,
    node_assertions,
    node_properties,
    node_record,
    plain_properties,
    provenance_records,
    relationship_assertions,
    relationship_properties,
)
from graph.stream import Chunk, SourceStream, Statement, edge_line

T = TypeVar("T")
ROWS = 10_000  # rows per UNWIND statement
PART = 50_000  # nodes or edges per transaction
SMALL = 20_000  # a source this small (and what it replaces) loads in one transaction
_BITS = 1 << 27  # the written-keys bitmap: 16 MiB, ~3 % false "maybe"s at 4 M keys
_N, _SRC, _LEDGER = quote(NODE_LABEL), quote(SOURCE_LABEL), quote(LEDGER_LABEL)
_RECOUNT = quote(RECOUNT_LABEL)
#: What a write does to a node ``n`` whose relationships it changed: its kept degrees
#: are no longer to be trusted, and it is listed for recounting.
STALE = f"REMOVE n.{DEGREE_MARK} SET n:{_RECOUNT}"
_TYPE_CODE = {t.value: i for i, t in enumerate(EdgeType)}
_SOURCE_FIELDS = ("name", "kind", "version", "path", "seq", "gen", "loading_gen",
                  "loading_kind", "loading_version", "loading_path", "phase", "size")
SOURCE_RETURN = ", ".join(f"s.{f} AS {f}" for f in _SOURCE_FIELDS)
_OF_GEN = "(x._gen = $gen OR $gen IN x._gens)"


def rows(tx: ManagedTransaction, cypher: str, **params: Any) -> list[dict[str, Any]]:
    return [record.data() for record in tx.run(cypher, params)]


def unwind(tx: ManagedTransaction, cypher: str, items: Sequence[Any], **params: Any
           ) -> list[dict[str, Any]]:
    """``UNWIND $rows AS row`` + ``cypher``, :data:`ROWS` rows at a time."""
    out: list[dict[str, Any]] = []
    for start in range(0, len(items), ROWS):
        out.extend(rows(tx, f"UNWIND $rows AS row {cypher}",
                        rows=list(items[start:start + ROWS]), **params))
    return out


def of_gen(var: str) -> str:
    """``var`` carries an assertion of generation ``$gen``."""
    return _OF_GEN.replace("x.", f"{var}.")


def source_state(tx: ManagedTransaction, name: str) -> dict[str, Any] | None:
    found = rows(tx, f"MATCH (s:{_SRC} {{name: $name}}) RETURN {SOURCE_RETURN}", name=name)
    return found[0] if found else None


def generations(tx: ManagedTransaction) -> Generations:
    return Generations.of(rows(tx, f"MATCH (s:{_SRC}) RETURN {SOURCE_RETURN}"))


class Runner:
    """Runs write work: each piece in its own transaction, or all in one given one."""

    def __init__(self, driver: Driver | None, database: str | None = None,
                 tx: ManagedTransaction | None = None) -> None:
        self.driver, self.database, self.tx = driver, database, tx

    @classmethod
    def within(cls, tx: ManagedTransaction) -> Runner:
        """A runner that does all its work in ``tx``."""
        return cls(None, None, tx)

    def _session(self) -> Any:
        if self.driver is None:
            raise StoreError("no driver to open a session with")
        return self.driver.session(database=self.database)

    def write(self, work: Callable[[ManagedTransaction], T]) -> T:
        if self.tx is not None:
            return work(self.tx)
        with self._session() as session:
            result: T = session.execute_write(work)
        return result

    def scan(self, cypher: str, **params: Any) -> Iterator[dict[str, Any]]:
        """The rows of a read, streamed (in one transaction, they are all read first)."""
        if self.tx is not None:
            yield from rows(self.tx, cypher, **params)
            return
        with self._session() as session:
            for record in session.run(cypher, params):
                yield record.data()

    def delete(self, match: str, scope: str, delete: str, counted: str = "1",
               **params: Any) -> int:
        """Run ``delete`` on every ``match`` row, in batches; the sum of ``counted``."""
        if self.tx is not None:
            found = rows(self.tx, f"{match} WITH {scope}, {counted} AS counted "
                         f"{delete} RETURN sum(counted) AS n", **params)
            return int(found[0]["n"] or 0)
        with self._session() as session:
            record = session.run(
                f"{match} CALL ({scope}) {{ WITH {scope}, {counted} AS counted {delete} "
                "RETURN counted } IN TRANSACTIONS OF 10000 ROWS RETURN sum(counted) AS n",
                params).single()
        return int(record["n"] or 0) if record is not None else 0


# -- withdrawing a generation --------------------------------------------------------------


def withdraw(runner: Runner, name: str, gen: int) -> tuple[int, int]:
    """Remove every assertion of generation ``gen`` (of source ``name``): views are
    merged again, elements nobody asserts any more go. Returns (nodes removed,
    edges removed); an edge removed with one of its nodes is not counted."""
    gens = runner.write(generations)
    _rewrite(runner, gens, gen, "MATCH (a)-[x]->(b) WHERE $gen IN x._gens "
             "RETURN elementId(x) AS e, properties(x) AS p", relationship=True)
    edges = runner.delete(
        f"MATCH (a:{_N})-[x]->(b:{_N}) WHERE x._gen = $gen", "a, x, b",
        f"REMOVE a.{DEGREE_MARK}, b.{DEGREE_MARK} SET a:{_RECOUNT}, b:{_RECOUNT} DELETE x",
        "CASE WHEN a._gen = $gen OR b._gen = $gen THEN 0 ELSE 1 END", gen=gen)
    _rewrite(runner, gens, gen, f"MATCH (x:{_N}) WHERE $gen IN x._gens "
             "RETURN elementId(x) AS e, properties(x) AS p", relationship=False)
    nodes = runner.delete(f"MATCH (x:{_N}) WHERE x._gen = $gen", "x",
                          f"FOREACH (m IN [(x)--(m) | m] | REMOVE m.{DEGREE_MARK} "
                          f"SET m:{_RECOUNT}) "
                          "DETACH DELETE x", gen=gen)
    runner.delete(f"MATCH (x:{_LEDGER} {{source: $name}}) WHERE x.gen = $gen", "x", "DELETE x",
                  name=name, gen=gen)
    return nodes, edges


def _rewrite(runner: Runner, gens: Generations, gen: int, read: str, *,
             relationship: bool) -> None:
    """Drop ``gen``'s assertion from elements that have others too (pages of :data:`ROWS`)."""
    page: list[dict[str, Any]] = []

    def flush() -> None:
        statement = ("MATCH ()-[x]->() WHERE elementId(x) = row.e SET x = row.p"
                     if relationship else
                     "MATCH (x) WHERE elementId(x) = row.e SET x = row.p")
        batch = list(page)
        runner.write(lambda tx: unwind(tx, statement, batch))
        page.clear()

    for row in runner.scan(read, gen=gen):
        if relationship:
            said: dict[int, Any] = relationship_assertions(row["p"], gens)
            said.pop(gen, None)
            props = relationship_properties(said, gens)
        else:
            records = node_assertions(row["p"])
            records.pop(gen, None)
            props = node_properties(records, gens)
        page.append({"e": row["e"], "p": props})
        if len(page) >= ROWS:
            flush()
    if page:
        flush()


# -- writing -------------------------------------------------------------------------------


class End(NamedTuple):
    """A node a load has touched: its element id, a number for edge keys, whether this
    load created it, its kind."""

    element: str
    number: int
    created: bool
    kind: str


@dataclass
class _Part:
    """What one transaction wrote, applied to the load's state once it committed."""

    first_number: int = 0  # node numbers this part hands out start here
    ends: dict[str, End] = field(default_factory=dict)
    asserted: set[str] = field(default_factory=set)
    created_keys: list[int] = field(default_factory=list)
    bare: dict[tuple[int, int, bool], bool] = field(default_factory=dict)
    edges: int = 0
    rejections: list[Rejection] = field(default_factory=list)


class Writer:
    """The writing half of one source's load: generation ``gen``, chunk by chunk."""

    def __init__(self, info: SourceInfo, gen: int, seq: int, gens: Generations) -> None:
        self.info, self.name = info, info.name
        self.gen, self.seq, self.gens = gen, seq, gens
        self.ends: dict[str, End] = {}
        self.numbers = 0  # node numbers handed out (for edge keys)
        #: (node number, type code, outgoing) -> the stored node had no such relationship
        self.bare: dict[tuple[int, int, bool], bool] = {}
        self.asserted: set[str] = set()
        self.edges = 0
        self.refused = 0
        self.rejections: list[Rejection] = []
        self._bits: bytearray | None = None

    # -- state -----------------------------------------------------------------

    def apply(self, part: _Part) -> None:
        """Take in what a committed transaction wrote."""
        self.ends.update(part.ends)
        self.bare.update(part.bare)
        self.numbers = max(self.numbers, part.first_number + len(part.ends))
        self.asserted |= part.asserted
        self.edges += part.edges
        if part.created_keys:
            bits = self._bitmap()
            for key in part.created_keys:
                h = hash((key,)) & (_BITS - 1)  # a tuple's hash mixes the bits
                bits[h >> 3] |= 1 << (h & 7)
        room = max(REJECTIONS_SHOWN - len(self.rejections), 0)
        self.rejections.extend(part.rejections[:room])
        self.refused += len(part.rejections)

    def _bitmap(self) -> bytearray:
        if self._bits is None:
            self._bits = bytearray(_BITS >> 3)
        return self._bits

    def _maybe_written(self, key: int) -> bool:
        if self._bits is None:
            return False
        h = hash((key,)) & (_BITS - 1)
        return bool(self._bits[h >> 3] & (1 << (h & 7)))

    def result(self, nodes_removed: int = 0, edges_removed: int = 0) -> LoadResult:
        return LoadResult(source=self.info, nodes=len(self.asserted), edges=self.edges,
                          rejections=tuple(self.rejections), refused=self.refused,
                          nodes_removed=nodes_removed, edges_removed=edges_removed)

    # -- one transaction ---------------------------------------------------------

    def write(self, tx: ManagedTransaction, chunk: Chunk) -> _Part:
        """Write a chunk (or part of one) in ``tx``; apply the result once committed."""
        part = _Part(first_number=self.numbers)
        if chunk.nodes:
            self._nodes(tx, chunk.nodes, part)
        rejections = list(chunk.rejections)
        if chunk.edges:
            self._edges(tx, chunk.edges, part, rejections)
        if rejections:
            first = self.refused + len(part.rejections)
            unwind(tx, f"CREATE (e:{_LEDGER}) SET e = row", [
                {"source": self.name, "path": r.path, "line": r.line, "record": r.record,
                 "reason": r.reason, "seq": self.seq, "n": first + i, "gen": self.gen}
                for i, r in enumerate(rejections)])
            part.rejections.extend(rejections)
        return part

    def _number(self, part: _Part) -> int:
        return part.first_number + len(part.ends)

    def _end(self, part: _Part, node_id: str) -> End | None:
        return self.ends.get(node_id) or part.ends.get(node_id)

    def _look_up(self, tx: ManagedTransaction, node_ids: Iterable[str], part: _Part
                 ) -> dict[str, dict[str, Any]]:
        """Stored nodes among these ids: keyed into ``part.ends``; their properties."""
        found = {r["id"]: r for r in unwind(
            tx, f"MATCH (n:{_N} {{id: row}}) RETURN row AS id, elementId(n) AS e, "
            "n.kind AS kind, properties(n) AS p", sorted(node_ids))}
        for node_id, row in found.items():
            if self._end(part, node_id) is None:
                part.ends[node_id] = End(row["e"], self._number(part), False, row["kind"])
        return found

    def _nodes(self, tx: ManagedTransaction, nodes: Sequence[Node], part: _Part) -> None:
        asserted = {node.id: node for node in nodes}  # a later assertion replaces one
        stored = self._look_up(tx, asserted, part)
        creates: dict[str, list[dict[str, Any]]] = defaultdict(list)
        updates = []
        for node_id, node in asserted.items():
            record = node_record(node)
            row = stored.get(node_id)
            if row is None:
                creates[node.label].append(node_properties({self.gen: record}, self.gens))
                continue
            if row["kind"] != node.label:
                raise StoreError(f"{node_id} is a {row['kind']} in the store but this "
                                 f"source says {node.label}")
            said = node_assertions(row["p"])
            said[self.gen] = record
            updates.append({"e": row["e"], "p": node_properties(said, self.gens)})
        for kind, props in sorted(creates.items()):
            for row in unwind(tx, f"CREATE (n:{_N}:{quote(kind)}:{_RECOUNT}) SET n = row "
                              "RETURN n.id AS id, elementId(n) AS e", props):
                part.ends[row["id"]] = End(row["e"], self._number(part), True, kind)
        unwind(tx, "MATCH (n) WHERE elementId(n) = row.e SET n = row.p", updates)
        part.asserted.update(asserted)

    def _edges(self, tx: ManagedTransaction, edges: Sequence[Edge | Statement], part: _Part,
               rejections: list[Rejection]) -> None:
        missing = {e for edge in edges for e in (edge.source, edge.target)
                   if self._end(part, e) is None}
        if missing:
            self._look_up(tx, missing, part)
        first: dict[int, int] = {}  # edge key -> index of its first statement in the chunk
        repeated: dict[int, Said] = {}
        ends: list[tuple[End, End, int] | None] = []
        for i, edge in enumerate(edges):
            a, b = self._end(part, edge.source), self._end(part, edge.target)
            if a is None or b is None:
                rejections.append(Rejection(
                    source=self.name, path=self.info.path, line=edge_line(edge),
                    record=f"{edge.source} -[{edge.type.value}]-> {edge.target}",
                    reason=f"edge endpoint {edge.source if a is None else edge.target} "
                           "is not a known node"))
                ends.append(None)
                continue
            key = ((a.number << 32) | b.number) << 6 | _TYPE_CODE[edge.type.value]
            ends.append((a, b, key))
            if key in first:
                earlier = repeated.get(key) or self._said(edges[first[key]])
                repeated[key] = combine(earlier, self._said(edge))
            else:
                first[key] = i
        bare = self._bare_ends(tx, [(ends[i], edges[i].type.value)  # type: ignore[misc]
                                    for i in first.values()], part)
        fresh = _Groups()
        slow: dict[str, list[tuple[End, End, Said]]] = defaultdict(list)
        for key, i in first.items():
            a, b, _ = ends[i]  # type: ignore[misc]
            edge = edges[i]
            code = _TYPE_CODE[edge.type.value]
            new = (a.created or b.created or bare.get((a.number, code, True), False)
                   or bare.get((b.number, code, False), False))
            if new and not self._maybe_written(key):
                part.created_keys.append(key)
                fresh.add(edge, a, b, repeated.get(key), self)
            else:
                slow[edge.type.value].append((a, b, repeated.get(key) or self._said(edge)))
        part.edges += len(first)
        fresh.write(tx)
        for edge_type, items in sorted(slow.items()):
            part.edges -= self._merge_into(tx, edge_type, items)
        # Degrees kept for the explainer are stale on the stored ends now.
        stored = {end.element for i in first.values() for end in ends[i][:2]  # type: ignore[index]
                  if not end.created}
        unwind(tx, f"MATCH (n) WHERE elementId(n) = row {STALE}", sorted(stored))

    def _bare_ends(self, tx: ManagedTransaction,
                   items: list[tuple[tuple[End, End, int], str]], part: _Part
                   ) -> dict[tuple[int, int, bool], bool]:
        """For statements between two stored nodes: whether an end has no relationship of
        the statement's type in its direction (then the statement cannot exist yet).

        Asked once per node, type and direction, the first time a statement needs it
        (so before this load writes any such relationship on that node), and kept.
        """
        wanted: dict[tuple[str, bool], dict[tuple[int, int, bool], str]] = defaultdict(dict)
        for (a, b, _), edge_type in items:
            if a.created or b.created:
                continue
            code = _TYPE_CODE[edge_type]
            for end, out in ((a, True), (b, False)):
                if (end.number, code, out) not in self.bare:
                    wanted[(edge_type, out)][(end.number, code, out)] = end.element
        for (edge_type, out), ends in sorted(wanted.items()):
            pattern = f"(n)-[:{quote(edge_type)}]->()" if out else f"(n)<-[:{quote(edge_type)}]-()"
            keys = list(ends)
            for row in unwind(tx, "MATCH (n) WHERE elementId(n) = row[0] "
                              f"RETURN row[1] AS i, NOT EXISTS {{ {pattern} }} AS bare",
                              [[ends[k], i] for i, k in enumerate(keys)]):
                part.bare[keys[row["i"]]] = row["bare"]
        return {**self.bare, **part.bare}

    def _said(self, edge: Edge | Statement) -> Said:
        if isinstance(edge, Statement):
            entry: dict[str, Any] = {"source": self.name}
            if self.info.version is not None:
                entry["version"] = self.info.version
            if edge.line is not None:
                entry["line"] = edge.line
            if edge.pmids:
                entry["pmids"] = list(edge.pmids)
            return {"provenance": [entry], "properties": dict(edge.properties or {})}
        return {"provenance": provenance_records(edge.provenance),
                "properties": dict(edge.properties)}

    def _merge_into(self, tx: ManagedTransaction, edge_type: str,
                    items: list[tuple[End, End, Said]]) -> int:
        """Statements whose relationship may exist: read, add this load's assertion, write.
        Returns how many this load had already stated (own repeats, counted once)."""
        rel = quote(edge_type)
        found = {r["i"]: r for r in unwind(
            tx, "MATCH (a) WHERE elementId(a) = row[0] MATCH (b) WHERE elementId(b) = row[1] "
            f"MATCH (a)-[r:{rel}]->(b) RETURN row[2] AS i, elementId(r) AS e, "
            "properties(r) AS p", [[a.element, b.element, i] for i, (a, b, _) in
                                   enumerate(items)])}
        creates, updates, repeats = [], [], 0
        for i, (a, b, said) in enumerate(items):
            row = found.get(i)
            if row is None:
                creates.append([a.element, b.element,
                                relationship_properties({self.gen: said}, self.gens)])
                continue
            assertions = relationship_assertions(row["p"], self.gens)
            if self.gen in assertions:
                said = combine(assertions[self.gen], said)
                repeats += 1
            assertions[self.gen] = said
            updates.append([row["e"], relationship_properties(assertions, self.gens)])
        unwind(tx, "MATCH (a) WHERE elementId(a) = row[0] MATCH (b) WHERE elementId(b) = row[1] "
               f"CREATE (a)-[r:{rel}]->(b) SET r = row[2]", creates)
        unwind(tx, "MATCH ()-[r]->() WHERE elementId(r) = row[0] SET r = row[1]", updates)
        return repeats


class _Groups:
    """New relationships to CREATE, grouped so that shared properties travel once."""

    def __init__(self) -> None:
        # (type, id of the shared properties) -> (the shared map, rows)
        self.shared: dict[tuple[str, int], tuple[dict[str, Any], list[list[Any]]]] = {}
        self.own: dict[str, list[list[Any]]] = defaultdict(list)  # type -> [a, b, properties]
        self._bases: dict[int, dict[str, Any] | None] = {}

    def add(self, edge: Edge | Statement, a: End, b: End, said: Said | None,
            writer: Writer) -> None:
        edge_type = edge.type.value
        if said is None and isinstance(edge, Statement):
            props = edge.properties or {}
            if id(props) not in self._bases:
                self._bases[id(props)] = self._base(props, writer)
            base = self._bases[id(props)]
            if base is not None:
                group = self.shared.setdefault((edge_type, id(props)), (base, []))
                group[1].append([a.element, b.element, edge.line, list(edge.pmids) or None])
                return
        said = said or writer._said(edge)
        self.own[edge_type].append([a.element, b.element, relationship_properties(
            {writer.gen: said}, writer.gens)])

    @staticmethod
    def _base(props: Mapping[str, Any], writer: Writer) -> dict[str, Any] | None:
        """What every statement of ``writer``'s source with these properties shares."""
        if not plain_properties(props):
            return None
        return {**props, "sources": [writer.name], "_gen": writer.gen}

    def write(self, tx: ManagedTransaction) -> None:
        ends = "MATCH (a) WHERE elementId(a) = row[0] MATCH (b) WHERE elementId(b) = row[1] "
        for (edge_type, _), (base, items) in sorted(self.shared.items(),
                                                     key=lambda kv: kv[0][0]):
            unwind(tx, ends + f"CREATE (a)-[r:{quote(edge_type)}]->(b) SET r = $base, "
                   "r._line = row[2], r.pmids = row[3]", items, base=base)
        for edge_type, items in sorted(self.own.items()):
            unwind(tx, ends + f"CREATE (a)-[r:{quote(edge_type)}]->(b) SET r = row[2]", items)


# -- the whole load ------------------------------------------------------------------------


def begin(tx: ManagedTransaction, info: SourceInfo) -> Writer:
    """Take a generation and mark the source as loading it."""
    gen = rows(tx, f"MERGE (m:{quote(META_LABEL)} {{name: 'generations'}}) "
               "SET m.last = coalesce(m.last, 0) + 1 RETURN m.last AS gen")[0]["gen"]
    seq = rows(tx, f"OPTIONAL MATCH (s:{_SRC}) RETURN coalesce(max(s.seq), 0) + 1 AS seq"
               )[0]["seq"]
    rows(tx, f"MERGE (s:{_SRC} {{name: $name}}) SET s.loading_gen = $gen, "
         "s.loading_kind = $kind, s.loading_version = $version, s.loading_path = $path, "
         "s.phase = 'loading', s.seq = $seq", name=info.name, gen=gen, kind=info.kind,
         version=info.version, path=info.path, seq=seq)
    return Writer(info, gen, seq, generations(tx))


def promote(tx: ManagedTransaction, name: str, size: int | None = None) -> None:
    """The loaded generation becomes the live one: the source is complete."""
    rows(tx, f"MATCH (s:{_SRC} {{name: $name}}) SET s.gen = s.loading_gen, "
         "s.kind = s.loading_kind, s.version = s.loading_version, s.path = s.loading_path, "
         "s.loaded_at = $at, s.size = coalesce($size, s.size), s.loading_gen = null, "
         "s.loading_kind = null, s.loading_version = null, s.loading_path = null, "
         "s.phase = null", name=name, size=size,
         at=datetime.now(UTC).isoformat(timespec="seconds"))


def set_phase(tx: ManagedTransaction, name: str, phase: str) -> None:
    rows(tx, f"MATCH (s:{_SRC} {{name: $name}}) SET s.phase = $phase", name=name, phase=phase)


def recover(runner: Runner, name: str) -> dict[str, Any] | None:
    """Finish or undo a load of ``name`` that stopped part-way; the source's state after."""
    state = runner.write(lambda tx: source_state(tx, name))
    if state is None or state["phase"] is None:
        return state
    if state["phase"] == "replacing":
        if state["gen"] is not None:
            withdraw(runner, name, state["gen"])
        runner.write(lambda tx: promote(tx, name))
    else:  # 'loading' or 'undoing': back to the live generation
        undo(runner, name, state["loading_gen"])
    return runner.write(lambda tx: source_state(tx, name))


def undo(runner: Runner, name: str, gen: int | None) -> None:
    """Withdraw an unfinished generation; forget the source if nothing else is left of it."""
    runner.write(lambda tx: set_phase(tx, name, "undoing"))
    if gen is not None:
        withdraw(runner, name, gen)
    runner.write(lambda tx: rows(
        tx, f"MATCH (s:{_SRC} {{name: $name}}) SET s.loading_gen = null, "
        "s.loading_kind = null, s.loading_version = null, s.loading_path = null, "
        "s.phase = null WITH s WHERE s.gen IS NULL DELETE s", name=name))


def load_small(tx: ManagedTransaction, chunk: Chunk, info: SourceInfo,
               old_gen: int | None) -> LoadResult:
    """A whole small source in one transaction: begin, write, replace, promote."""
    writer = begin(tx, info)
    for piece in parts(chunk):
        writer.apply(writer.write(tx, piece))
    removed = (0, 0)
    if old_gen is not None:
        removed = withdraw(Runner.within(tx), info.name, old_gen)
    promote(tx, info.name, len(writer.asserted) + writer.edges)
    return writer.result(*removed)


def parts(chunk: Chunk) -> Iterator[Chunk]:
    """A chunk in pieces of at most :data:`PART` nodes or edges: nodes first, then edges
    (as measured, with the default heap); the refusals go with the last piece."""
    nodes, edges = list(chunk.nodes), list(chunk.edges)
    pieces = [Chunk(nodes=nodes[at:at + PART]) for at in range(0, len(nodes), PART)]
    pieces += [Chunk(edges=edges[at:at + PART]) for at in range(0, len(edges), PART)]
    last = pieces.pop() if pieces else Chunk()
    yield from pieces
    if len(last) or chunk.rejections:
        yield Chunk(nodes=last.nodes, edges=last.edges, rejections=chunk.rejections)


def prefetched(chunks: Iterator[Chunk], depth: int = 2) -> Generator[Chunk, None, None]:
    """The chunks, read ahead in a thread: the file is parsed while the server writes."""
    box: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def read() -> None:
        try:
            for chunk in chunks:
                while not stop.is_set():
                    try:
                        box.put(("chunk", chunk), timeout=0.2)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            box.put(("end", None))
        except BaseException as error:  # handed to the loading thread, raised there
            box.put(("error", error))

    thread = threading.Thread(target=read, name="txkg-read", daemon=True)
    thread.start()
    try:
        while True:
            what, value = box.get()
            if what == "end":
                return
            if what == "error":
                raise value
            yield value
    finally:
        stop.set()


def _one_line(error: BaseException) -> str:
    text = str(getattr(error, "message", None) or error).strip()
    return text.splitlines()[0].rstrip(":") if text else type(error).__name__


def load_stream(runner: Runner, stream: SourceStream, first: Chunk,
                rest: Iterator[Chunk], where: str = "the server") -> LoadResult:
    """A large source: begin, one transaction per part, replace, promote (module docstring).

    ``where`` names the server (its URI) in the error of a load that could not be undone.
    """
    info = stream.source
    writer = runner.write(lambda tx: begin(tx, info))
    try:
        for chunk in _chain(first, rest):
            for piece in parts(chunk):
                writer.apply(runner.write(partial(writer.write, chunk=piece)))
    except BaseException as error:
        try:
            undo(runner, info.name, writer.gen)
        except Exception as undo_error:
            raise StoreError(
                f"the load of {info.name} into {where} stopped part-way ({_one_line(error)}) "
                f"and could not be undone ({_one_line(undo_error)}): the store holds part of "
                "it, marked incomplete (txkg stats); run the same load again to complete "
                "it") from error
        raise
    state = runner.write(lambda tx: source_state(tx, info.name))
    runner.write(lambda tx: set_phase(tx, info.name, "replacing"))
    removed = (0, 0)
    if state is not None and state["gen"] is not None:
        removed = withdraw(runner, info.name, state["gen"])
    runner.write(lambda tx: promote(tx, info.name, len(writer.asserted) + writer.edges))
    return writer.result(*removed)


def _chain(first: Chunk, rest: Iterator[Chunk]) -> Iterator[Chunk]:
    yield first
    yield from rest


def size_of(chunk: Chunk) -> int:
    return len(chunk.nodes) + len(chunk.edges)


def counts_of(tx: ManagedTransaction, name: str, gen: int) -> tuple[int, int, int]:
    """Nodes, edges and ledger entries generation ``gen`` of ``name`` asserts."""
    nodes = rows(tx, f"MATCH (x:{_N}) WHERE {_OF_GEN} RETURN count(*) AS c", gen=gen)[0]["c"]
    edges = rows(tx, f"MATCH ()-[x]->() WHERE {_OF_GEN} RETURN count(*) AS c", gen=gen)[0]["c"]
    refused = rows(tx, f"MATCH (x:{_LEDGER} {{source: $name}}) WHERE x.gen = $gen "
                   "RETURN count(*) AS c", name=name, gen=gen)[0]["c"]
    return int(nodes), int(edges), int(refused)


