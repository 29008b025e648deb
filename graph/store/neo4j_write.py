"""The writing half of one source's load into Neo4j: nodes, relationships, ledger.

See :mod:`graph.store.neo4j_load` for the load as a whole and how its writes are shaped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from neo4j import ManagedTransaction

from graph.cypher_names import LEDGER_LABEL, NODE_LABEL, SOURCE_LABEL, quote
from graph.errors import StoreError
from graph.model import Edge, EdgeType, LoadResult, Node, Rejection, SourceInfo
from graph.store.base import REJECTIONS_SHOWN
from graph.store.neo4j_degrees import Degrees
from graph.store.neo4j_layout import (
    Generations,
    Said,
    combine,
    node_assertions,
    node_properties,
    node_record,
    plain_properties,
    relationship_assertions,
    relationship_properties,
    said_by,
)
from graph.store.neo4j_tx import RECOUNT, STALE, Runner, rows, unwind
from graph.stream import Chunk, Statement, edge_line

_NO_PROPERTIES: Mapping[str, Any] = {}
#: The written keys, a Bloom filter of three hashes over 2^27 bits (16 MiB): "no" is
#: certain, "maybe" is wrong for about 0.06 % of keys at PrimeKG's four million. (One hash
#: gave 3 %, and each wrong "maybe" is a read of the relationships between two nodes,
#: slow at hubs: 23 s of the server's time on the full file.)
_BITS = 1 << 27
_MASK = _BITS - 1


def _hashes(key: int) -> tuple[int, int, int]:
    """Three bit positions for a statement key (a tuple's hash mixes the bits well)."""
    h, g = hash((key,)), hash((key, 1))
    return h & _MASK, (h >> 27) & _MASK, g & _MASK
_N, _SRC, _LEDGER = quote(NODE_LABEL), quote(SOURCE_LABEL), quote(LEDGER_LABEL)
#: Edge type (a member, or its value: a StrEnum hashes as its value) -> a small number,
#: the low 6 bits of an edge key.
_TYPE_CODE: dict[str, int] = {t: i for i, t in enumerate(EdgeType)}


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
    keys: list[int] = field(default_factory=list)  # every statement written (first loads)
    bare: dict[tuple[int, int, bool], bool] = field(default_factory=dict)
    edges: int = 0
    rejections: list[Rejection] = field(default_factory=list)


class Writer:
    """The writing half of one source's load: generation ``gen``, chunk by chunk."""

    def __init__(self, info: SourceInfo, gen: int, seq: int, gens: Generations,
                 first_load: bool = False) -> None:
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
        #: Into an empty database: degrees counted here (:mod:`graph.store.neo4j_degrees`)
        self.degrees = Degrees() if first_load else None

    # -- state -----------------------------------------------------------------

    def apply(self, part: _Part) -> None:
        """Take in what a committed transaction wrote."""
        self.ends.update(part.ends)
        self.bare.update(part.bare)
        self.numbers = max(self.numbers, part.first_number + len(part.ends))
        self.asserted |= part.asserted
        self.edges += part.edges
        if self.degrees is not None:
            self.degrees.add(part.keys)
        if part.created_keys:
            bits = self._bitmap()
            for key in part.created_keys:
                for h in _hashes(key):
                    bits[h >> 3] |= 1 << (h & 7)
        room = max(REJECTIONS_SHOWN - len(self.rejections), 0)
        self.rejections.extend(part.rejections[:room])
        self.refused += len(part.rejections)

    def _bitmap(self) -> bytearray:
        if self._bits is None:
            self._bits = bytearray(_BITS >> 3)
        return self._bits

    def _maybe_written(self, key: int) -> bool:
        bits = self._bits
        if bits is None:
            return False
        a, b, c = _hashes(key)
        return bool(bits[a >> 3] & (1 << (a & 7)) and bits[b >> 3] & (1 << (b & 7))
                    and bits[c >> 3] & (1 << (c & 7)))

    def keep_degrees(self, runner: Runner) -> None:
        """After a first load: its nodes' degrees, counted here, set (and unlisted)."""
        if self.degrees is not None:
            self.degrees.keep(runner, ((e.element, e.number, e.kind) for e in self.ends.values()))
            self.degrees = None

    def result(self, nodes_removed: int = 0, edges_removed: int = 0) -> LoadResult:
        return LoadResult(source=self.info, nodes=len(self.asserted), edges=self.edges,
                          rejections=tuple(self.rejections), refused=self.refused,
                          nodes_removed=nodes_removed, edges_removed=edges_removed)

    # -- one transaction ---------------------------------------------------------

    def write_part(self, tx: ManagedTransaction, chunk: Chunk, number: int) -> _Part:
        """Part ``number`` of a load in many transactions, written once however often the
        driver retries it: the part's number (and its statement count) is recorded on the
        source node in the same transaction as its writes, and a transaction that finds it
        recorded (one that committed although this process never saw the commit) writes
        nothing and reads back what the rest of the load needs (:meth:`_written`)."""
        found = rows(tx, f"MATCH (s:{_SRC} {{name: $name}}) WHERE s.loading_gen = $gen "
                     "RETURN coalesce(s.loading_parts, []) AS parts, "
                     "coalesce(s.loading_part_edges, []) AS edges", name=self.name, gen=self.gen)
        if not found:
            raise StoreError(f"the load of {self.name} is no longer in progress on the server "
                             "(another writer undid or finished it); run it again")
        done: list[int] = found[0]["parts"]
        if number in done:
            return self._written(tx, chunk, found[0]["edges"][done.index(number)])
        part = self.write(tx, chunk)
        rows(tx, f"MATCH (s:{_SRC} {{name: $name}}) "
             "SET s.loading_parts = coalesce(s.loading_parts, []) + $number, "
             "s.loading_part_edges = coalesce(s.loading_part_edges, []) + $edges",
             name=self.name, number=number, edges=part.edges)
        return part

    def _written(self, tx: ManagedTransaction, chunk: Chunk, edges: int) -> _Part:
        """A part already written, as :meth:`write` would have returned it, read back: its
        nodes' ends looked up again (as stored ones, not created), every key of its
        statements taken as maybe written, its refusals found again; ``edges`` recorded."""
        part = _Part(first_number=self.numbers, edges=edges)
        ids = {node.id for node in chunk.nodes}
        self._look_up(tx, ids, part)
        part.asserted.update(ids)
        part.rejections = list(chunk.rejections)
        ends = self._ends(tx, chunk.edges, part, part.rejections)
        part.created_keys = [found[2] for found in ends if found is not None]
        part.keys = part.created_keys
        return part

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
            for row in unwind(tx, f"CREATE (n:{_N}:{quote(kind)}:{RECOUNT}) SET n = row "
                              "RETURN n.id AS id, elementId(n) AS e", props):
                part.ends[row["id"]] = End(row["e"], self._number(part), True, kind)
        unwind(tx, "MATCH (n) WHERE elementId(n) = row.e SET n = row.p", updates)
        part.asserted.update(asserted)

    def _edges(self, tx: ManagedTransaction, edges: Sequence[Edge | Statement], part: _Part,
               rejections: list[Rejection]) -> None:
        ends = self._ends(tx, edges, part, rejections)
        first: dict[int, int] = {}  # edge key -> index of its first statement in the chunk
        repeated: dict[int, Said] = {}
        for i, found in enumerate(ends):
            if found is None:
                continue
            key = found[2]
            if key in first:
                earlier = repeated.get(key) or self._said(edges[first[key]])
                repeated[key] = combine(earlier, self._said(edges[i]))
            else:
                first[key] = i
        if self.degrees is not None:
            part.keys = list(first)
            bare = self.bare  # nothing was stored before the load: every end is created
        else:
            bare = self._bare_ends(tx, [(ends[i], edges[i].type.value)  # type: ignore[misc]
                                        for i in first.values()], part)
        fresh = _Groups(self)
        slow: dict[str, list[tuple[End, End, Said]]] = defaultdict(list)
        maybe_written, created = self._maybe_written, part.created_keys
        for key, i in first.items():  # the loop of a large load: kept lean
            a, b, _ = ends[i]  # type: ignore[misc]
            code = key & 63
            if ((a.created or b.created or bare.get((a.number, code, True), False)
                 or bare.get((b.number, code, False), False)) and not maybe_written(key)):
                created.append(key)
                fresh.add(edges[i], a, b, repeated.get(key) if repeated else None)
            else:
                edge = edges[i]
                slow[edge.type.value].append((a, b, repeated.get(key) or self._said(edge)))
        part.edges += len(first)
        fresh.write(tx)
        for edge_type, items in sorted(slow.items()):
            part.edges -= self._merge_into(tx, edge_type, items)
        # Degrees kept for the explainer are stale on the stored ends now.
        stored = {end.element for i in first.values() for end in ends[i][:2]  # type: ignore[index]
                  if not end.created}
        unwind(tx, f"MATCH (n) WHERE elementId(n) = row {STALE}", sorted(stored))

    def _ends(self, tx: ManagedTransaction, edges: Sequence[Edge | Statement], part: _Part,
              rejections: list[Rejection]) -> list[tuple[End, End, int] | None]:
        """Each statement's ends and key; ``None`` (and a refusal) for an unknown end."""
        missing = {e for edge in edges for e in (edge.source, edge.target)
                   if self._end(part, e) is None}
        if missing:
            self._look_up(tx, missing, part)
        ends: list[tuple[End, End, int] | None] = []
        known, found, codes = self.ends.get, part.ends.get, _TYPE_CODE
        for edge in edges:
            a = known(edge.source) or found(edge.source)
            b = known(edge.target) or found(edge.target)
            if a is None or b is None:
                rejections.append(Rejection(
                    source=self.name, path=self.info.path, line=edge_line(edge),
                    record=f"{edge.source} -[{edge.type.value}]-> {edge.target}",
                    reason=f"edge endpoint {edge.source if a is None else edge.target} "
                           "is not a known node"))
                ends.append(None)
                continue
            ends.append((a, b, ((a.number << 32) | b.number) << 6 | codes[edge.type]))
        return ends

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
        return said_by(self.name, self.info.version, edge)

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
    """New relationships to CREATE, grouped so that shared properties travel once: the
    statements of one type and one properties map (PrimeKG's ``relation`` and
    ``display_relation``) are rows of two element ids, a line and PMIDs."""

    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        # (type, id of the shared properties) -> (the shared map, rows)
        self.shared: dict[tuple[str, int], tuple[dict[str, Any], list[list[Any]]]] = {}
        self.own: dict[str, list[list[Any]]] = defaultdict(list)  # type -> [a, b, properties]
        self._bases: dict[int, dict[str, Any] | None] = {}

    def add(self, edge: Edge | Statement, a: End, b: End, said: Said | None) -> None:
        if said is None and edge.__class__ is Statement:
            props = edge.properties or _NO_PROPERTIES
            group = self.shared.get((edge.type, id(props)))
            if group is None:
                group = self._group(edge.type, props)
            if group is not None:
                group[1].append([a.element, b.element, edge.line,
                                 list(edge.pmids) or None])
                return
        writer = self.writer
        said = said or writer._said(edge)
        self.own[edge.type.value].append([a.element, b.element, relationship_properties(
            {writer.gen: said}, writer.gens)])

    def _group(self, edge_type: EdgeType, props: Mapping[str, Any]
               ) -> tuple[dict[str, Any], list[list[Any]]] | None:
        """The group of statements of this type sharing these properties (a new one), or
        ``None`` when the properties cannot be plain ones (then each is written whole)."""
        if id(props) not in self._bases:
            self._bases[id(props)] = ({**props, "_gen": self.writer.gen}
                                      if plain_properties(props) else None)
        base = self._bases[id(props)]
        if base is None:
            return None
        group: tuple[dict[str, Any], list[list[Any]]] = (base, [])
        self.shared[(edge_type, id(props))] = group
        return group

    def write(self, tx: ManagedTransaction) -> None:
        ends = "MATCH (a) WHERE elementId(a) = row[0] MATCH (b) WHERE elementId(b) = row[1] "
        for (edge_type, _), (base, items) in sorted(self.shared.items(),
                                                     key=lambda kv: kv[0][0]):
            unwind(tx, ends + f"CREATE (a)-[r:{quote(edge_type)}]->(b) SET r = $base, "
                   "r._line = row[2], r.pmids = row[3]", items, base=base)
        for edge_type, items in sorted(self.own.items()):
            unwind(tx, ends + f"CREATE (a)-[r:{quote(edge_type)}]->(b) SET r = row[2]", items)
