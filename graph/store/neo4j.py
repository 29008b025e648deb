"""The server store: a real Neo4j (Community, Enterprise, clusters, Aura) over Bolt.

It behaves exactly like :class:`~graph.store.sqlite.SqliteStore`; the same test
suite runs against both. The graph in Neo4j, as Browser users see it:

* a node per entity with two labels, ``:Node`` and its kind (``:Drug``,
  ``:Gene`` …); properties ``id``, ``kind``, ``name`` and every field of the
  merged view (lists stay lists, dicts such as ``scores`` are JSON strings);
* a relationship per statement, of its type (``TARGETS`` …), with ``sources``
  and ``pmids`` lists and the merged properties (``key_finding`` …);
* bookkeeping in underscore properties: ``_assertions`` (JSON: what each source
  said, kept apart so a reload or removal changes exactly that), ``_data``
  (the merged node as JSON), ``_keys`` (lookup keys, full-text indexed),
  ``_sources`` (names of the asserting sources);
* ``:TxkgSource`` and ``:TxkgLedgerEntry`` nodes for loaded sources and the
  ledger; they carry no ``:Node`` label, so counts and kind queries skip them.

Every read goes through one call shape, ``driver.execute_query(q,
parameters_=…, database_=…, routing_=…)``. A load is one managed write
transaction (``session.execute_write``) of batched ``UNWIND $rows`` statements:
all or nothing, retried by the driver on transient errors.
"""

from __future__ import annotations

import difflib
import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import networkx as nx
from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    Driver,
    GraphDatabase,
    ManagedTransaction,
    NotificationMinimumSeverity,
)
from neo4j import RoutingControl as Routing
from neo4j.exceptions import DriverError, Neo4jError

from graph import ids
from graph.cypher_names import LEDGER_LABEL, NODE_LABEL, SOURCE_LABEL, quote
from graph.errors import QueryError, StoreError, TxkgError
from graph.explain.neighbourhood import HopKey, NodeFacts, Step, StepRequest, Within
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
from graph.store.base import REJECTIONS_SHOWN, GraphStore, degree_key
from graph.store.merge import lookup_keys, merge_records, priority, query_keys
from graph.store.neo4j_cypher import (
    schema_statements,
    translate,
)
from graph.store.neo4j_paths import (
    DEGREES,
    ELEMENT_IDS,
    HOP_STATEMENTS,
    MECHANISM_KIND_NAMES,
    REFRESH_DEGREES,
    TOUCHED,
    UNMARKED,
    hop_rows,
    read_degrees,
    read_steps,
    steps_statement,
)
from graph.stream import SourceStream, as_stream

BATCH = 5_000  # rows per UNWIND statement
DEGREE_BATCH = 2_000  # nodes whose degrees one statement counts and stores
_EVIDENCE_TYPES = sorted(t.value for t in EVIDENCE_EDGE_TYPES)
_MECHANISM_KINDS = sorted(k.value for k in MECHANISM_KINDS)
_N, _SRC, _LEDGER = quote(NODE_LABEL), quote(SOURCE_LABEL), quote(LEDGER_LABEL)
# A relationship `r` between `a` and `b` that is a mechanism statement.
_MECHANISM_REL = ("NOT type(r) IN $evidence_types AND a.kind IN $mechanism_kinds "
                  "AND b.kind IN $mechanism_kinds")
_MECHANISM_PARAMS = {"evidence_types": _EVIDENCE_TYPES, "mechanism_kinds": _MECHANISM_KINDS}

EdgeKey = tuple[str, str, str]


def _batches(rows: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _name_keys(node: Node) -> set[str]:
    return lookup_keys(node.id, node.name, node.synonyms, node.xrefs, kind=node.label)


def public_uri(uri: str) -> str:
    """The URI without any user or password in it.

    >>> public_uri("bolt://neo4j:secret@db.example.org:7687")
    'bolt://db.example.org:7687'
    """
    parts = urlsplit(uri)
    if parts.username is None and parts.password is None:
        return uri
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


class Neo4jStore(GraphStore):
    """The graph in a Neo4j database; ``bolt://`` for one server, ``neo4j://`` for routing."""

    def __init__(self, uri: str, *, user: str | None = "neo4j", password: str | None,
                 database: str | None = None) -> None:
        self.uri = public_uri(uri)
        self.database = database
        self._degrees_checked = False
        #: Element ids of nodes the explainer's reads met (reset by every write).
        self._element_ids: dict[str, str] = {}
        auth = (user or "neo4j", password) if password is not None else None
        try:
            # Server notifications (deprecations, unknown property keys in library queries that
            # a small graph lacks) would be logged to stderr on every query: off.
            self._driver: Driver = GraphDatabase.driver(
                uri, auth=auth, notifications_min_severity=NotificationMinimumSeverity.OFF)
        except (DriverError, Neo4jError, ValueError) as error:
            raise StoreError(f"cannot open {self.uri}: {error}") from error
        try:
            self._driver.verify_connectivity()
            self._apply_schema()
        except TxkgError:
            self._driver.close()
            raise
        except (DriverError, Neo4jError, OSError) as error:
            self._driver.close()
            raise translate(error, self.uri, database) from error

    # -- plumbing ------------------------------------------------------------

    def _query(self, cypher: str, params: dict[str, Any] | None = None, *,
               write: bool = False) -> list[dict[str, Any]]:
        """Run one statement in its own transaction; the one call shape of every read."""
        try:
            result = self._driver.execute_query(
                cypher, parameters_=params or {}, database_=self.database,
                routing_=Routing.WRITE if write else Routing.READ)
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error
        return [record.data() for record in result.records]

    def _apply_schema(self) -> None:
        present = {r["name"] for r in self._query("SHOW INDEXES YIELD name RETURN name")}
        present |= {r["name"] for r in self._query("SHOW CONSTRAINTS YIELD name RETURN name")}
        missing = [s for name, s in schema_statements() if name not in present]
        for statement in missing:
            self._query(statement, write=True)
        if missing:
            self._query("CALL db.awaitIndexes(300)", write=True)

    def close(self) -> None:
        self._driver.close()

    def run_query(self, cypher_or_name: str, params: dict[str, Any] | None = None, *,
                  write: bool = False) -> tuple[list[str], list[dict[str, Any]]]:
        """Run a named query of the Cypher library, or ad-hoc Cypher; ``(columns, rows)``.

        Read-only unless ``write``: a statement that writes then fails with
        :class:`~graph.errors.QueryError`. Values in rows are plain data
        (:func:`graph.store.neo4j_cypher.plain`).
        """
        from graph.cypher_library import is_query_name, load_query, with_defaults
        from graph.store.neo4j_cypher import plain

        if is_query_name(cypher_or_name):
            named = load_query(cypher_or_name)
            cypher, params = named.text, with_defaults(named, params or {})
        else:
            cypher, params = cypher_or_name, dict(params or {})
        mode = WRITE_ACCESS if write else READ_ACCESS
        try:
            with self._driver.session(database=self.database, default_access_mode=mode) as s:
                result = s.run(cypher, params)
                columns = list(result.keys())
                rows = [{k: plain(record[k]) for k in columns} for record in result]
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error
        return columns, rows

    def clear(self) -> None:
        """Delete every node and relationship (tests and benchmarks; never called by txkg)."""
        # CALL … IN TRANSACTIONS needs an auto-commit transaction, hence a session here.
        try:
            with self._driver.session(database=self.database) as session:
                session.run("MATCH (n) CALL { WITH n DETACH DELETE n } "
                            "IN TRANSACTIONS OF 10000 ROWS").consume()
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error
        self._element_ids.clear()

    # -- writing -------------------------------------------------------------

    def load(self, source: SourceBatch | SourceStream) -> LoadResult:
        stream = as_stream(source)
        name = stream.source.name
        old = self._query(f"MATCH (s:{_SRC} {{name: $name}}) RETURN s.version AS version",
                          {"name": name})
        if old and stream.source.version is not None and old[0]["version"] == stream.source.version:
            nodes = self._query(f"MATCH (n:{_N}) WHERE $name IN n._sources RETURN count(n) AS c",
                                {"name": name})[0]["c"]
            edges = self._query("MATCH ()-[r]->() WHERE $name IN r._sources RETURN count(r) AS c",
                                {"name": name})[0]["c"]
            refused = self._query(f"MATCH (e:{_LEDGER} {{source: $name}}) RETURN count(e) AS c",
                                  {"name": name})[0]["c"]
            return LoadResult(source=stream.source, nodes=nodes, edges=edges, refused=refused,
                              rejections=tuple(self.ledger(source=name, limit=REJECTIONS_SHOWN)),
                              unchanged=True)
        batch = stream.collect()
        return self._write(lambda tx: _Replace(tx, batch).run(), name)

    def remove_source(self, name: str) -> LoadResult:
        rows = self._query(f"MATCH (s:{_SRC} {{name: $name}}) RETURN s.kind AS kind, "
                           "s.version AS version, s.path AS path", {"name": name})
        if not rows:
            raise StoreError(f"no source named {name!r} is loaded")
        info = SourceInfo(name=name, **rows[0])

        def work(tx: ManagedTransaction) -> LoadResult:
            result = _Replace(tx, SourceBatch(source=info)).run()
            tx.run(f"MATCH (s:{_SRC} {{name: $name}}) DELETE s", {"name": name}).consume()
            return result

        return self._write(work, name)

    def _write(self, work: Any, name: str | None = None) -> LoadResult:
        touched = self._touched(name) if name is not None else set()
        try:
            with self._driver.session(database=self.database) as session:
                result: LoadResult = session.execute_write(work)
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error
        self._element_ids.clear()
        if name is not None:
            self.refresh_degrees(touched | self._touched(name))
        return result

    # -- reading nodes -------------------------------------------------------

    def _nodes(self, node_ids: Sequence[str]) -> dict[str, Node]:
        found: dict[str, Node] = {}
        for chunk in _batches(list(node_ids)):
            for row in self._query(f"UNWIND $ids AS id MATCH (n:{_N} {{id: id}}) "
                                   "RETURN n.id AS id, n._data AS data", {"ids": list(chunk)}):
                found[row["id"]] = node_from_record(json.loads(row["data"]))
        return found

    def node(self, node_id: str) -> Node | None:
        return self._nodes([node_id]).get(node_id)

    def find(self, text: str, *, kind: str | None = None, limit: int = 20) -> list[Node]:
        return self.find_many([text], kind=kind).get(text, [])[:limit]

    def kinds_of(self, node_ids: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in _batches(list(dict.fromkeys(node_ids))):
            for row in self._query(
                f"UNWIND $ids AS id MATCH (n:{_N} {{id: id}}) RETURN n.id AS id, n.kind AS kind",
                {"ids": list(chunk)},
            ):
                found[row["id"]] = row["kind"]
        return found

    def find_many(self, texts: Iterable[str], *,
                  kind: str | None = None) -> dict[str, list[Node]]:
        keys_of = {text: query_keys(text) for text in texts}
        all_keys = sorted(set().union(*keys_of.values())) if keys_of else []
        ids_by_key: dict[str, set[str]] = defaultdict(set)
        for chunk in _batches(all_keys):
            # The full-text index (keyword analyzer) matches whole keys; a quoted phrase
            # needs only '"' and '\' escaped.
            rows = [{"key": k, "q": '"' + k.replace("\\", "\\\\").replace('"', '\\"') + '"'}
                    for k in chunk]
            for row in self._query(
                "UNWIND $rows AS row CALL db.index.fulltext.queryNodes('node_keys', row.q) "
                "YIELD node WHERE $kind IS NULL OR node.kind = $kind "
                "RETURN row.key AS key, node.id AS id", {"rows": rows, "kind": kind},
            ):
                ids_by_key[row["key"]].add(row["id"])
        nodes = self._nodes(sorted({n for hits in ids_by_key.values() for n in hits}))
        found: dict[str, list[Node]] = {}
        for text, keys in keys_of.items():
            hits = [nodes[n] for n in sorted({n for k in keys for n in ids_by_key.get(k, ())})
                    if n in nodes and keys & _name_keys(nodes[n])]
            if hits:
                wanted = text.strip().casefold()
                hits.sort(key=lambda n: (n.id.casefold() != wanted, n.id))
                found[text] = hits
        return found

    def similar_names(self, text: str, *, kind: str | None = None, limit: int = 5) -> list[str]:
        where = "" if kind is None else " WHERE n.kind = $kind"
        names = [r["name"] for r in self._query(
            f"MATCH (n:{_N}){where} RETURN DISTINCT n.name AS name", {"kind": kind})]
        by_key = {ids.name_key(n): n for n in names}
        close = difflib.get_close_matches(ids.name_key(text), list(by_key), n=limit, cutoff=0.6)
        return [by_key[c] for c in close]

    def neighbours(self, node_id: str, *, kind: str | None = None,
                   edge_type: str | None = None, limit: int | None = None) -> list[Neighbour]:
        rows = self._query(
            f"MATCH (a:{_N} {{id: $id}})-[r]->(b:{_N}) RETURN a.id AS s, type(r) AS t, "
            "b.id AS o, r._assertions AS x, b._data AS data "
            f"UNION ALL MATCH (a:{_N} {{id: $id}})<-[r]-(b:{_N}) WHERE b.id <> $id "
            "RETURN b.id AS s, type(r) AS t, a.id AS o, r._assertions AS x, b._data AS data",
            {"id": node_id})
        result = []
        for row in rows:
            if edge_type is not None and row["t"] != edge_type:
                continue
            other = node_from_record(json.loads(row["data"]))
            if kind is not None and other.label != kind:
                continue
            outgoing = row["s"] == node_id
            source, target = (node_id, other.id) if outgoing else (other.id, node_id)
            edge = _edge(source, row["t"], target, row["x"])
            result.append(Neighbour(edge=edge, node=other, outgoing=outgoing))
        result.sort(key=lambda n: (n.edge.type.value, n.node.label, n.node.name.casefold()))
        return result[:limit] if limit is not None else result

    # -- predictions and evidence -------------------------------------------

    def predictions(self, *, drug_id: str | None = None,
                    disease_id: str | None = None) -> list[Prediction]:
        clauses = []
        if drug_id is not None:
            clauses.append(f"EXISTS {{ (p)-[:{quote('OF_DRUG')}]->(:{_N} {{id: $drug}}) }}")
        if disease_id is not None:
            clauses.append(
                f"EXISTS {{ (p)-[:{quote('FOR_DISEASE')}]->(:{_N} {{id: $disease}}) }}")
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._query(f"MATCH (p:{quote('Prediction')}){where} RETURN p._data AS data",
                           {"drug": drug_id, "disease": disease_id})
        found = [node_from_record(json.loads(r["data"])) for r in rows]
        predictions = [p for p in found if isinstance(p, Prediction)]
        predictions.sort(key=lambda p: (p.score is None, -(p.score or 0.0), p.rank or 0, p.id))
        return predictions

    def evidence(self, prediction_id: str) -> list[Evidence]:
        rows = self._query(
            f"MATCH (:{_N} {{id: $id}})-[r:{quote('SUPPORTED_BY')}]->(b:{_N}) "
            "RETURN b.id AS id, b._data AS data, r._assertions AS x", {"id": prediction_id})
        result = []
        for row in rows:
            edge = _edge(prediction_id, "SUPPORTED_BY", row["id"], row["x"])
            finding = edge.properties.get("key_finding")
            reports = [p.source for p in edge.provenance]
            result.append(Evidence(node=node_from_record(json.loads(row["data"])),
                                   key_finding=str(finding) if finding else None,
                                   report=reports[0] if reports else None))
        result.sort(key=lambda e: (e.node.label, e.node.id))
        return result

    # -- analysis ------------------------------------------------------------

    def mechanism_links(self, node_ids: Sequence[str]) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        for chunk in _batches(list(node_ids)):
            for row in self._query(
                f"UNWIND $ids AS id MATCH (a:{_N} {{id: id}})-[r]-(b:{_N}) "
                f"WHERE {_MECHANISM_REL} RETURN DISTINCT a.id AS a, b.id AS b",
                {"ids": list(chunk), **_MECHANISM_PARAMS},
            ):
                found.add((row["a"], row["b"]))
        return found

    def refresh_degrees(self, node_ids: Collection[str]) -> None:
        """Count and store the per-metaedge degrees of these nodes (a load calls this for
        the nodes it touched), a batch per transaction."""
        wanted = sorted(node_ids)
        for start in range(0, len(wanted), DEGREE_BATCH):
            self._query(REFRESH_DEGREES, {"ids": wanted[start:start + DEGREE_BATCH],
                                          "kinds": MECHANISM_KIND_NAMES}, write=True)

    def _touched(self, name: str) -> set[str]:
        return {node for row in self._query(TOUCHED, {"name": name}) for node in row["ids"]}

    def _degrees_set(self) -> None:
        """Once per store object: nodes without degrees (a database neo4j-admin built, or
        loaded by an older txkg) get them."""
        if not self._degrees_checked:
            self.refresh_degrees([row["id"] for row in self._query(UNMARKED)])
            self._degrees_checked = True

    def mechanism_degrees(self, node_ids: Collection[str]) -> dict[str, NodeFacts]:
        self._degrees_set()
        rows = self._query(DEGREES, {"ids": list(dict.fromkeys(node_ids))})
        self._element_ids.update((row["id"], row["eid"]) for row in rows)
        return read_degrees(rows)

    def mechanism_steps(self, requests: Sequence[StepRequest], *,
                        within: Within | None = None) -> list[Step]:
        if not requests:
            return []
        self._degrees_set()
        allowed = None
        if within is not None:
            known = self._element_ids
            missing = list({n for nodes in within.values() for n in nodes if n not in known})
            if missing:
                known.update((row["id"], row["eid"]) for row in self._query(ELEMENT_IDS,
                                                                           {"ids": missing}))
            allowed = {metaedge: [known[n] for n in nodes if n in known]
                       for metaedge, nodes in within.items()}
        rows = self._query(*steps_statement(requests, allowed))
        self._element_ids.update((row["other"], row["eid"]) for row in rows)
        return read_steps(rows)

    def mechanism_path_graph(self, hops: Collection[HopKey]) -> nx.MultiDiGraph[str]:
        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        facts = self.mechanism_degrees({n for u, _, v in hops for n in (u, v)})
        for node_id, node in facts.items():
            graph.add_node(node_id, kind=node.kind, name=node.name, degrees={
                degree_key(t, k): d for (t, k), d in node.degrees.items()})
        for row in self._query(HOP_STATEMENTS, {"hops": hop_rows(hops)}):
            edge = _edge(row["s"], row["t"], row["o"], row["x"])
            graph.add_edge(edge.source, edge.target, key=edge.type.value, type=edge.type.value,
                           provenance=edge.provenance, properties=dict(edge.properties))
        return graph

    def mechanism_graph(self) -> nx.MultiDiGraph[str]:
        rows = self._query(f"MATCH (n:{_N}) WHERE n.kind IN $mechanism_kinds RETURN n.id AS id",
                           _MECHANISM_PARAMS)
        return self.induced_mechanism_graph([r["id"] for r in rows])

    def induced_mechanism_graph(self, node_ids: Sequence[str]) -> nx.MultiDiGraph[str]:
        """The mechanism graph on these nodes, with global per-metaedge degrees."""
        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        wanted = set(node_ids)
        edges: list[tuple[str, str, str, str]] = []
        for chunk in _batches(list(node_ids)):
            params = {"ids": list(chunk), **_MECHANISM_PARAMS}
            for row in self._query(
                f"UNWIND $ids AS id MATCH (n:{_N} {{id: id}}) WHERE n.kind IN $mechanism_kinds "
                "RETURN n.id AS id, n.kind AS kind, n.name AS name", params,
            ):
                graph.add_node(row["id"], kind=row["kind"], name=row["name"], degrees={})
            for row in self._query(
                f"UNWIND $ids AS id MATCH (a:{_N} {{id: id}})-[r]->(b:{_N}) "
                f"WHERE {_MECHANISM_REL} RETURN a.id AS s, type(r) AS t, b.id AS o, "
                "r._assertions AS x", params,
            ):
                if row["o"] in wanted:
                    edges.append((row["s"], row["t"], row["o"], row["x"]))
            for row in self._query(
                f"UNWIND $ids AS id MATCH (a:{_N} {{id: id}})-[r]->(b:{_N}) "
                f"WHERE {_MECHANISM_REL} RETURN a.id AS id, type(r) AS t, b.kind AS k, "
                "count(*) AS d "
                f"UNION ALL UNWIND $ids AS id MATCH (b:{_N})-[r]->(a:{_N} {{id: id}}) "
                f"WHERE {_MECHANISM_REL} RETURN a.id AS id, type(r) AS t, b.kind AS k, "
                "count(*) AS d", params,
            ):
                if row["id"] in graph:
                    degrees = graph.nodes[row["id"]]["degrees"]
                    key = degree_key(row["t"], row["k"])
                    degrees[key] = degrees.get(key, 0) + row["d"]
        for source, edge_type, target, assertions in edges:
            edge = _edge(source, edge_type, target, assertions)
            if source in graph and target in graph:
                graph.add_edge(source, target, key=edge_type, type=edge_type,
                               provenance=edge.provenance, properties=dict(edge.properties))
        return graph

    # -- bookkeeping ---------------------------------------------------------

    def counts(self) -> Counts:
        nodes = {r["k"]: r["c"] for r in self._query(
            f"MATCH (n:{_N}) RETURN n.kind AS k, count(*) AS c ORDER BY k")}
        edges = {r["t"]: r["c"] for r in self._query(
            f"MATCH (:{_N})-[r]->(:{_N}) RETURN type(r) AS t, count(*) AS c ORDER BY t")}
        return Counts(nodes=nodes, edges=edges)

    def sources(self) -> list[SourceInfo]:
        return [SourceInfo(**r) for r in self._query(
            f"MATCH (s:{_SRC}) RETURN s.name AS name, s.kind AS kind, s.version AS version, "
            "s.path AS path ORDER BY s.seq")]

    def ledger(self, *, source: str | None = None,
               limit: int | None = None) -> list[Rejection]:
        where = "" if source is None else " WHERE e.source = $source"
        return [Rejection(**r) for r in self._query(
            f"MATCH (e:{_LEDGER}){where} RETURN e.source AS source, e.path AS path, "
            "e.line AS line, e.record AS record, e.reason AS reason ORDER BY e.seq, e.n"
            + ("" if limit is None else " LIMIT $limit"),
            {"source": source, "limit": limit})]

    def source_batch(self, name: str) -> SourceBatch:
        rows = self._query(f"MATCH (s:{_SRC} {{name: $name}}) RETURN s.kind AS kind, "
                           "s.version AS version, s.path AS path", {"name": name})
        if not rows:
            raise StoreError(f"no source named {name!r} is loaded")
        nodes = [node_from_record(json.loads(r["x"])[name]) for r in self._query(
            f"MATCH (n:{_N}) WHERE $name IN n._sources RETURN n._assertions AS x ORDER BY n.id",
            {"name": name})]
        edges = []
        for r in self._query(
            f"MATCH (a:{_N})-[r]->(b:{_N}) WHERE $name IN r._sources RETURN a.id AS s, "
            "type(r) AS t, b.id AS o, r._assertions AS x ORDER BY s, t, o", {"name": name},
        ):
            said = json.loads(r["x"])[name]
            edges.append(_edge(r["s"], r["t"], r["o"], json.dumps({name: said})))
        return SourceBatch(source=SourceInfo(name=name, **rows[0]), nodes=tuple(nodes),
                           edges=tuple(edges), rejections=tuple(self.ledger(source=name)))


class _Replace:
    """One source's replace, inside one write transaction (see SqliteStore._replace)."""

    def __init__(self, tx: ManagedTransaction, batch: SourceBatch) -> None:
        self.tx = tx
        self.batch = batch
        self.name = batch.source.name
        self.emptied: set[EdgeKey] = set()  # edges no source asserts any more

    def rows(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return [record.data() for record in self.tx.run(cypher, params or {})]

    def unwind(self, cypher: str, rows: Sequence[Any], **params: Any) -> list[dict[str, Any]]:
        """``UNWIND $rows AS row`` + ``cypher``, in batches of :data:`BATCH`."""
        out: list[dict[str, Any]] = []
        for chunk in _batches(rows):
            out.extend(self.rows(f"UNWIND $rows AS row {cypher}", {"rows": list(chunk), **params}))
        return out

    def run(self) -> LoadResult:
        name, info = self.name, self.batch.source
        known = {r["name"]: (priority(r["kind"]), r["seq"]) for r in self.rows(
            f"MATCH (s:{_SRC}) RETURN s.name AS name, s.kind AS kind, s.seq AS seq")}
        seq = max((s for _, s in known.values()), default=0) + 1
        loaded_before = name in known
        known[name] = (priority(info.kind), seq)
        old_nodes: list[str] = []
        old_edges: set[EdgeKey] = set()
        if loaded_before:  # a first load has nothing of its own to withdraw: skip the scans
            old_nodes = [r["id"] for r in self.rows(
                f"MATCH (n:{_N}) WHERE $name IN n._sources RETURN n.id AS id", {"name": name})]
            old_edges = {(r["s"], r["t"], r["o"]) for r in self.rows(
                f"MATCH (a:{_N})-[r]->(b:{_N}) WHERE $name IN r._sources "
                "RETURN a.id AS s, type(r) AS t, b.id AS o", {"name": name})}

        asserted: dict[str, Node] = {node.id: node for node in self.batch.nodes}
        stored = {r["id"]: r for r in self.unwind(
            f"MATCH (n:{_N} {{id: row}}) RETURN n.id AS id, n.kind AS kind, "
            "n._assertions AS x", sorted(set(asserted) | set(old_nodes)))}
        for node_id, node in asserted.items():
            if node_id in stored and stored[node_id]["kind"] != node.label:
                raise StoreError(f"{node_id} is a {stored[node_id]['kind']} in the store but "
                                 f"this source says {node.label}")

        rejections, edges = self._edges(asserted, stored)

        # Nodes: replace this source's assertion, recompute the merged view.
        gone: list[str] = []
        by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for node_id in sorted(set(asserted) | set(old_nodes)):
            assertions = json.loads(stored[node_id]["x"]) if node_id in stored else {}
            assertions.pop(name, None)
            if node_id in asserted:
                assertions[name] = json.loads(asserted[node_id].model_dump_json())
            if not assertions:
                gone.append(node_id)
                continue
            order = sorted(assertions, key=lambda s: known.get(s, (0, 0)))
            node = node_from_record(merge_records(assertions[s] for s in order))
            by_kind[node.label].append({"id": node.id, "props": node_properties(
                node, assertions, order)})
        for kind, rows in sorted(by_kind.items()):
            self.unwind(f"MERGE (n:{_N} {{id: row.id}}) SET n = row.props SET n:{quote(kind)}",
                        rows)

        self._write_edges(edges, old_edges)
        gone_set = set(gone)
        removed_edges = sum(1 for key in old_edges if key not in edges
                            and key[0] not in gone_set and key[2] not in gone_set
                            and key in self.emptied)
        self.unwind(f"MATCH (n:{_N} {{id: row}}) DETACH DELETE n", gone)

        self.rows(f"MATCH (e:{_LEDGER} {{source: $name}}) DELETE e", {"name": name})
        self.unwind(f"CREATE (e:{_LEDGER}) SET e = row", [
            {"source": name, "path": r.path, "line": r.line, "record": r.record,
             "reason": r.reason, "seq": seq, "n": i} for i, r in enumerate(rejections)])
        self.rows(f"MERGE (s:{_SRC} {{name: $name}}) SET s.kind = $kind, s.version = $version, "
                  "s.path = $path, s.loaded_at = $at, s.seq = $seq",
                  {"name": name, "kind": info.kind, "version": info.version, "path": info.path,
                   "at": datetime.now(UTC).isoformat(timespec="seconds"), "seq": seq})
        return LoadResult(source=info, nodes=len(asserted), edges=len(edges),
                          rejections=tuple(rejections[:REJECTIONS_SHOWN]),
                          refused=len(rejections), nodes_removed=len(gone),
                          edges_removed=removed_edges)

    def _edges(self, asserted: dict[str, Node], stored: dict[str, Any]
               ) -> tuple[list[Rejection], dict[EdgeKey, Edge]]:
        """The batch's edges, merged per key; those to unknown nodes become rejections."""
        endpoints = {e for edge in self.batch.edges for e in (edge.source, edge.target)}
        unknown = sorted(endpoints - asserted.keys() - stored.keys())
        present = {r["id"] for r in self.unwind(
            f"MATCH (n:{_N} {{id: row}}) RETURN n.id AS id", unknown)}
        known = asserted.keys() | stored.keys() | present
        rejections = list(self.batch.rejections)
        edges: dict[EdgeKey, Edge] = {}
        for edge in self.batch.edges:
            missing = [e for e in (edge.source, edge.target) if e not in known]
            if missing:
                rejections.append(Rejection(
                    source=self.name, path=self.batch.source.path,
                    line=next((p.line for p in edge.provenance if p.line), None),
                    record=f"{edge.source} -[{edge.type.value}]-> {edge.target}",
                    reason=f"edge endpoint {missing[0]} is not a known node"))
                continue
            previous = edges.get(edge.key)
            if previous is not None:
                edge = previous.model_copy(update={
                    "provenance": previous.provenance + edge.provenance,
                    "properties": {**previous.properties, **edge.properties}})
            edges[edge.key] = edge
        return rejections, edges

    def _write_edges(self, edges: dict[EdgeKey, Edge], old_edges: set[EdgeKey]) -> None:
        """Replace this source's assertion on every edge it states or stated."""
        by_type: dict[str, list[EdgeKey]] = defaultdict(list)
        for key in sorted(edges.keys() | old_edges):
            by_type[key[1]].append(key)
        for edge_type, keys in sorted(by_type.items()):
            rel = quote(edge_type)
            existing = {(r["s"], r["o"]): json.loads(r["x"]) for r in self.unwind(
                f"MATCH (a:{_N} {{id: row.s}})-[r:{rel}]->(b:{_N} {{id: row.o}}) "
                "RETURN row.s AS s, row.o AS o, r._assertions AS x",
                [{"s": s, "o": o} for s, _, o in keys])}
            writes, deletes = [], []
            for key in keys:
                assertions = existing.get((key[0], key[2]), {})
                assertions.pop(self.name, None)
                if key in edges:
                    edge = edges[key]
                    assertions[self.name] = {
                        "provenance": [p.model_dump(mode="json", exclude_defaults=True)
                                       for p in edge.provenance],
                        "properties": edge.properties}
                if assertions:
                    writes.append({"s": key[0], "o": key[2],
                                   "props": edge_properties(key, assertions)})
                else:
                    deletes.append({"s": key[0], "o": key[2]})
                    self.emptied.add(key)
            self.unwind(f"MATCH (a:{_N} {{id: row.s}}) MATCH (b:{_N} {{id: row.o}}) "
                        f"MERGE (a)-[r:{rel}]->(b) SET r = row.props", writes)
            self.unwind(f"MATCH (:{_N} {{id: row.s}})-[r:{rel}]->(:{_N} {{id: row.o}}) DELETE r",
                        deletes)


def node_properties(node: Node, assertions: dict[str, Any], order: list[str]) -> dict[str, Any]:
    """Neo4j properties of a merged node: its fields for people, bookkeeping for txkg."""
    props: dict[str, Any] = {}
    for field, value in node.model_dump(mode="json").items():
        if value is None:
            continue
        if isinstance(value, dict):
            props[field] = json.dumps(value, sort_keys=True)
        elif isinstance(value, list):
            props[field] = [str(v) for v in value]
        else:
            props[field] = value
    props["_data"] = node.model_dump_json()
    props["_assertions"] = json.dumps(assertions, sort_keys=True)
    props["_sources"] = order
    props["_keys"] = sorted(_name_keys(node))
    return props


def edge_properties(key: EdgeKey, assertions: dict[str, Any]) -> dict[str, Any]:
    edge = _edge(key[0], key[1], key[2], json.dumps(assertions))
    props: dict[str, Any] = {k: v for k, v in edge.properties.items() if v is not None}
    props["sources"] = list(dict.fromkeys(p.source for p in edge.provenance))
    props["pmids"] = list(edge.pmids)
    props["_assertions"] = json.dumps(assertions, sort_keys=True)
    props["_sources"] = sorted(assertions)
    return props


def _edge(source: str, edge_type: str, target: str, assertions_json: str) -> Edge:
    """The merged edge: every source's provenance (by source name), properties unioned."""
    assertions = json.loads(assertions_json)
    provenance: list[Provenance] = []
    properties: dict[str, Any] = {}
    for name in sorted(assertions):
        said = assertions[name]
        provenance.extend(Provenance.model_validate(p) for p in said["provenance"])
        properties.update(said["properties"])
    if not isinstance(edge_type, str) or edge_type not in EdgeType.__members__.values():
        raise QueryError(f"unknown relationship type {edge_type!r} between {source} and {target}")
    return Edge(source=source, target=target, type=EdgeType(edge_type),
                provenance=tuple(provenance), properties=properties)
