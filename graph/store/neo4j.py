"""The server store: a real Neo4j (Community, Enterprise, clusters, Aura) over Bolt.

It behaves exactly like :class:`~graph.store.sqlite.SqliteStore`; the same test
suite runs against both. The graph in Neo4j, as Browser users see it:

* a node per entity with two labels, ``:Node`` and its kind (``:Drug``,
  ``:Gene`` …); properties ``id``, ``kind``, ``name`` and every non-empty field
  of the merged view (lists stay lists, dicts such as ``scores`` are JSON text);
* a relationship per statement, of its type (``TARGETS`` …), with a ``sources``
  list, a ``pmids`` list (absent when none) and the merged properties
  (``relation``, ``key_finding`` …);
* bookkeeping in underscore properties (:mod:`graph.store.neo4j_layout`): the
  load generation(s) asserting the element (``_gen``, or ``_gens`` with each
  one's statement in ``_assertions`` JSON when there are several), ``_line``,
  and ``_keys`` (lookup keys, full-text indexed);
* ``:TxkgSource`` nodes (loaded sources, their live generation and any load in
  progress), ``:TxkgLedgerEntry`` nodes (the ledger) and one ``:TxkgMeta``
  node (the generation counter); they carry no ``:Node`` label, so counts and
  kind queries skip them.

Every read goes through one call shape, ``driver.execute_query(q,
parameters_=…, database_=…, routing_=…)``. Loads are
:mod:`graph.store.neo4j_load`: a large source commits in many transactions and
stays all-or-nothing through load generations.
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote, urlsplit, urlunsplit

from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    Driver,
    GraphDatabase,
    ManagedTransaction,
    NotificationMinimumSeverity,
)
from neo4j import RoutingControl as Routing
from neo4j.exceptions import AuthError, CypherSyntaxError, DriverError, Neo4jError

from graph.cypher_names import LEDGER_LABEL, NODE_LABEL, SOURCE_LABEL, quote
from graph.errors import QueryError, StoreConnectionError, StoreError, TxkgError
from graph.model import (
    Counts,
    EdgeType,
    Evidence,
    LoadResult,
    Neighbour,
    Node,
    NodeKind,
    Prediction,
    Rejection,
    SourceBatch,
    SourceInfo,
    node_from_record,
)
from graph.store.base import (
    REJECTIONS_SHOWN,
    GraphStore,
    Stored,
    closest_names,
    evidence_order,
    exact_id_first,
    neighbour_order,
    prediction_order,
)
from graph.store.merge import lookup_keys, query_keys
from graph.store.neo4j_cypher import (
    schema_statements,
    translate,
)
from graph.store.neo4j_layout import (
    Generations,
    edge_from_assertions,
    edge_from_properties,
    node_assertions,
    node_from_properties,
    relationship_assertions,
)
from graph.store.neo4j_load import (
    SMALL,
    counts_of,
    load_small,
    load_stream,
    prefetched,
    recover,
    size_of,
    withdraw,
)
from graph.store.neo4j_lock import writer_lock
from graph.store.neo4j_mechanisms import (
    MechanismQueries,
    batches,
)
from graph.store.neo4j_tx import SOURCE_RETURN, Runner, of_gen
from graph.stream import Chunk, SourceStream, as_stream, chunked

if TYPE_CHECKING:
    pass

T = TypeVar("T")
# The driver logs its retries and broken connections as warnings; with no handler of its
# own, Python would print them to stderr, around the one line an error gives. An
# application that configures logging still gets them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())
_N, _SRC, _LEDGER = quote(NODE_LABEL), quote(SOURCE_LABEL), quote(LEDGER_LABEL)

EdgeKey = tuple[str, str, str]


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


class Neo4jStore(MechanismQueries, GraphStore):
    """The graph in a Neo4j database; ``bolt://`` for one server, ``neo4j://`` for routing."""

    def __init__(self, uri: str, *, user: str | None = "neo4j", password: str | None,
                 database: str | None = None) -> None:
        self.uri = public_uri(uri)
        self.database = database
        # txkg id -> element id of nodes the explainer's reads met (its allowed sets of
        # neighbours are element ids); forgotten on every write.
        self._element_ids: dict[str, str] = {}
        self._keep_degrees = True  # False once writing them was refused
        self._recount_checked = False
        # Credentials written into the URI are used, and the driver never sees them there
        # (its errors quote the URI it was given).
        parts = urlsplit(uri)
        if parts.password is not None:
            user, password = unquote(parts.username or "") or user, unquote(parts.password)
        uri = self.uri
        # An empty password is no password: the driver would send a token the server refuses
        # with "missing key `credentials`", which tells a user nothing.
        auth = (user or "neo4j", password) if password else None
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
        except AuthError as error:
            self._driver.close()
            if auth is None:  # the driver would say "missing key `scheme`"
                raise StoreConnectionError(
                    f"cannot connect to {self.uri}: the server asks for a password and none "
                    "was given (set NEO4J_PASSWORD)") from error
            raise translate(error, self.uri, database) from error
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
        from graph.store.neo4j_cypher import explained, plain, read_only_refusal, unexplained

        if is_query_name(cypher_or_name):
            named = load_query(cypher_or_name)
            cypher, params = named.text, with_defaults(named, params or {})
        else:
            cypher, params = cypher_or_name, dict(params or {})
        mode = WRITE_ACCESS if write else READ_ACCESS
        try:
            with self._driver.session(database=self.database, default_access_mode=mode) as s:
                if not write:
                    try:
                        planned = s.run(explained(cypher), params).consume()
                    except CypherSyntaxError as error:
                        raise QueryError(f"Cypher syntax error on {self.uri}: "
                                         f"{unexplained(error, cypher)}") from error
                    refusal = read_only_refusal(planned.plan, planned.database)
                    if refusal is not None:
                        where = self.uri if self.database is None else (
                            f"{self.uri} (database {self.database!r})")
                        raise QueryError(f"query refused on {where}: {refusal}, and queries "
                                         "are read-only unless you ask to write "
                                         "(txkg query --write)")
                result = s.run(cypher, params)
                columns = list(result.keys())
                rows = [{k: plain(record[k]) for k in columns} for record in result]
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error
        return columns, rows

    def clear(self) -> None:
        """Delete every node and relationship (tests and benchmarks; never called by txkg)."""
        self._element_ids.clear()
        # CALL … IN TRANSACTIONS needs an auto-commit transaction, hence a session here.
        try:
            with self._driver.session(database=self.database) as session:
                # Relationships first: a hub's thousands of them in one inner
                # transaction would not fit in a small heap.
                session.run("MATCH ()-[r]->() CALL (r) { DELETE r } "
                            "IN TRANSACTIONS OF 20000 ROWS").consume()
                session.run("MATCH (n) CALL (n) { DETACH DELETE n } "
                            "IN TRANSACTIONS OF 20000 ROWS").consume()
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error

    # -- writing -------------------------------------------------------------

    def load(self, source: SourceBatch | SourceStream, *, force: bool = False) -> LoadResult:
        """See :mod:`graph.store.neo4j_load`: many transactions, one generation."""
        self._element_ids.clear()  # a write may delete nodes and free their element ids
        stream = as_stream(source)
        info = stream.source
        runner = Runner(self._driver, self.database)
        try:
            with writer_lock(self._driver, self.database, self.uri):
                return self._load(stream, info, runner, force=force)
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error

    def _load(self, stream: SourceStream, info: SourceInfo, runner: Runner, *,
              force: bool) -> LoadResult:
        try:
            state = recover(runner, info.name)
            if (state is not None and state["gen"] is not None and info.version is not None
                    and state["version"] == info.version and not force):
                return self._unchanged(info, state["gen"])
            chunks = stream.chunks()
            first = next(chunks, Chunk())
            second = next(chunks, None)
            old_size = (state["size"] or 0) if state is not None else 0
            if second is None:
                if size_of(first) <= SMALL and old_size <= SMALL:
                    result = self._write(lambda tx: load_small(tx, first, info))
                    self.keep_degrees()
                    return result
                second = Chunk()
            rest = prefetched(itertools.chain([second], chunks))
            try:
                # The collector stays on: pausing it here doubled the peak memory of a
                # PrimeKG load (1.2 GiB instead of 0.6) for no measurable speed.
                result = load_stream(runner, stream, first, rest, where=self.uri)
            finally:
                rest.close()  # stops the reading thread
            self.keep_degrees()
            return result
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error

    def _unchanged(self, info: SourceInfo, gen: int) -> LoadResult:
        nodes, edges, refused = self._read(lambda tx: counts_of(tx, info.name, gen))
        return LoadResult(source=info, nodes=nodes, edges=edges, refused=refused,
                          rejections=tuple(self.ledger(source=info.name,
                                                       limit=REJECTIONS_SHOWN)),
                          unchanged=True)

    def remove_source(self, name: str) -> LoadResult:
        self._element_ids.clear()
        runner = Runner(self._driver, self.database)
        try:
            with writer_lock(self._driver, self.database, self.uri):
                return self._remove(name, runner)
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error

    def _remove(self, name: str, runner: Runner) -> LoadResult:
        try:
            state = recover(runner, name)
            if state is None:
                raise StoreError(f"no source named {name!r} is loaded")
            info = SourceInfo(name=name, kind=state["kind"], version=state["version"],
                              path=state["path"])

            def remove(work_runner: Runner) -> tuple[int, int]:
                removed = withdraw(work_runner, name, state["gen"])
                work_runner.write(lambda tx: tx.run(
                    f"MATCH (s:{_SRC} {{name: $name}}) DELETE s", {"name": name}).consume())
                return removed

            if (state["size"] or 0) <= SMALL:
                nodes, edges = self._write(lambda tx: remove(Runner.within(tx)))
            else:
                nodes, edges = remove(runner)
            self.keep_degrees()
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error
        return LoadResult(source=info, nodes=0, edges=0, nodes_removed=nodes,
                          edges_removed=edges)

    def keep_originals(self, name: str, data: str | None) -> None:
        self._write(lambda tx: tx.run(f"MATCH (s:{_SRC} {{name: $name}}) SET s.originals = $data",
                                      {"name": name, "data": data}).consume())

    def originals(self, name: str) -> str | None:
        rows = self._query(f"MATCH (s:{_SRC} {{name: $name}}) RETURN s.originals AS o",
                           {"name": name})
        return rows[0]["o"] if rows else None

    def _write(self, work: Callable[[ManagedTransaction], T]) -> T:
        try:
            with self._driver.session(database=self.database) as session:
                result: T = session.execute_write(work)
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error
        return result

    def _read(self, work: Callable[[ManagedTransaction], T]) -> T:
        try:
            with self._driver.session(database=self.database) as session:
                result: T = session.execute_read(work)
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error
        return result

    def _generations(self) -> Generations:
        return Generations.of(self._query(f"MATCH (s:{_SRC}) RETURN {SOURCE_RETURN}"))

    # -- reading nodes -------------------------------------------------------

    def _nodes(self, node_ids: Sequence[str]) -> dict[str, Node]:
        found: dict[str, Node] = {}
        for chunk in batches(list(node_ids)):
            for row in self._query(f"UNWIND $ids AS id MATCH (n:{_N} {{id: id}}) "
                                   "RETURN n.id AS id, properties(n) AS p", {"ids": list(chunk)}):
                found[row["id"]] = node_from_properties(row["p"])
        return found

    def node_sources(self, node_ids: Iterable[str]) -> dict[str, set[str]]:
        gens = self._generations()
        found: dict[str, set[str]] = {}
        for batch in batches(list(dict.fromkeys(node_ids))):
            for row in self._query(f"UNWIND $ids AS id MATCH (n:{_N} {{id: id}}) "
                                   "RETURN n.id AS id, n._gen AS g, n._gens AS gs",
                                   {"ids": list(batch)}):
                said = {g for g in (row["g"], *(row["gs"] or ())) if g is not None}
                found[row["id"]] = {gens.ref(g).name for g in said if g in gens}
        return found

    def sources_of(self, node_ids: Iterable[str]) -> set[str]:
        gens = self._generations()
        found: set[int] = set()
        for batch in batches(list(dict.fromkeys(node_ids))):
            for row in self._query(
                    f"UNWIND $ids AS id MATCH (n:{_N} {{id: id}}) "
                    "OPTIONAL MATCH (n)-[r]-() "
                    "RETURN n._gen AS g, n._gens AS gs, collect(r._gen) AS rg, "
                    "collect(r._gens) AS rgs", {"ids": list(batch)}):
                found.update(g for g in (row["g"], *row["rg"]) if g is not None)
                for many in (row["gs"], *row["rgs"]):
                    found.update(many or ())
        return {gens.ref(g).name for g in found if g in gens}

    def node(self, node_id: str) -> Node | None:
        return self._nodes([node_id]).get(node_id)

    def nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        return self._nodes(list(dict.fromkeys(node_ids)))

    def find(self, text: str, *, kind: str | None = None, limit: int = 20) -> list[Node]:
        return self.find_many([text], kind=kind).get(text, [])[:limit]

    def kinds_of(self, node_ids: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in batches(list(dict.fromkeys(node_ids))):
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
        for chunk in batches(all_keys):
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
                hits.sort(key=exact_id_first(text))
                found[text] = hits
        return found

    def similar_names(self, text: str, *, kind: str | None = None, limit: int = 5) -> list[str]:
        where = "" if kind is None else " WHERE n.kind = $kind"
        names = [r["name"] for r in self._query(
            f"MATCH (n:{_N}){where} RETURN DISTINCT n.name AS name", {"kind": kind})]
        return closest_names(text, names, limit)

    def neighbours(self, node_id: str, *, kind: str | None = None,
                   edge_type: str | None = None, limit: int | None = None) -> list[Neighbour]:
        # Sorted and cut on the cheap columns first: a hub gene has thousands of
        # neighbours, and only ``limit`` of them are read whole and become models.
        rows = self._query(
            f"MATCH (a:{_N} {{id: $id}})-[r]->(b:{_N}) RETURN elementId(r) AS r, true AS out, "
            "type(r) AS t, b.kind AS k, b.name AS name "
            f"UNION ALL MATCH (a:{_N} {{id: $id}})<-[r]-(b:{_N}) WHERE b <> a "
            "RETURN elementId(r) AS r, false AS out, type(r) AS t, b.kind AS k, b.name AS name",
            {"id": node_id})
        rows = [r for r in rows if (edge_type is None or r["t"] == edge_type)
                and (kind is None or r["k"] == kind)]
        rows.sort(key=lambda r: neighbour_order(r["t"], r["k"], r["name"]))
        if limit is not None:
            rows = rows[:limit]
        if not rows:
            return []
        read = {row["r"]: row for row in self._query(
            "UNWIND $rows AS row MATCH (a)-[r]->(b) WHERE elementId(r) = row "
            "RETURN row AS r, a.id AS s, b.id AS o, properties(r) AS x, "
            "properties(CASE WHEN a.id = $id THEN b ELSE a END) AS data",
            {"rows": [r["r"] for r in rows], "id": node_id})}
        gens = self._generations()
        result = []
        for row in rows:
            found = read[row["r"]]
            edge = edge_from_properties((found["s"], row["t"], found["o"]), found["x"], gens)
            result.append(Neighbour(edge=edge, node=node_from_properties(found["data"]),
                                    outgoing=row["out"]))
        return result

    def neighbour_count(self, node_id: str) -> int:
        rows = self._query(f"MATCH (a:{_N} {{id: $id}}) RETURN COUNT {{ (a)-->() }} + "
                           "COUNT { (a)<-[]-(b) WHERE b <> a } AS n", {"id": node_id})
        return int(rows[0]["n"]) if rows else 0

    # -- predictions and evidence -------------------------------------------

    def predictions(self, *, drug_id: str | None = None,
                    disease_id: str | None = None) -> list[Prediction]:
        # Start from the drug's (or the disease's) node, an index seek, and walk to its
        # predictions: not a scan of every prediction.
        prediction = quote("Prediction")
        if drug_id is not None:
            match = (f"MATCH (:{_N} {{id: $drug}})<-[:{quote('OF_DRUG')}]-(p:{prediction})")
            if disease_id is not None:
                match += (f" WHERE EXISTS {{ (p)-[:{quote('FOR_DISEASE')}]->"
                          f"(:{_N} {{id: $disease}}) }}")
        elif disease_id is not None:
            match = (f"MATCH (:{_N} {{id: $disease}})<-[:{quote('FOR_DISEASE')}]-"
                     f"(p:{prediction})")
        else:
            match = f"MATCH (p:{prediction})"
        rows = self._query(f"{match} RETURN DISTINCT properties(p) AS p",
                           {"drug": drug_id, "disease": disease_id})
        found = [node_from_properties(r["p"]) for r in rows]
        predictions = [p for p in found if isinstance(p, Prediction)]
        predictions.sort(key=prediction_order)
        return predictions

    def evidence(self, prediction_id: str) -> list[Evidence]:
        rows = self._query(
            f"MATCH (:{_N} {{id: $id}})-[r:{quote('SUPPORTED_BY')}]->(b:{_N}) "
            "RETURN b.id AS id, properties(b) AS data, properties(r) AS x",
            {"id": prediction_id})
        gens = self._generations() if rows else Generations()
        result = []
        for row in rows:
            edge = edge_from_properties((prediction_id, "SUPPORTED_BY", row["id"]), row["x"],
                                        gens)
            finding = edge.properties.get("key_finding")
            reports = [p.source for p in edge.provenance]
            result.append(Evidence(node=node_from_properties(row["data"]),
                                   key_finding=str(finding) if finding else None,
                                   report=reports[0] if reports else None))
        result.sort(key=evidence_order)
        return result

    def evidence_counts(self, prediction_ids: Iterable[str]) -> dict[str, Counter[str]]:
        wanted = list(dict.fromkeys(prediction_ids))
        counts: dict[str, Counter[str]] = {p: Counter() for p in wanted}
        for chunk in batches(wanted):
            for row in self._query(
                    f"UNWIND $ids AS id MATCH (:{_N} {{id: id}})-[:{quote('SUPPORTED_BY')}]->"
                    f"(b:{_N}) RETURN id, b.kind AS kind, count(*) AS n", {"ids": list(chunk)}):
                counts[row["id"]][row["kind"]] += row["n"]
        return counts

    # -- bookkeeping ---------------------------------------------------------

    def counts(self) -> Counts:
        # The count store, in one call (tens of milliseconds at PrimeKG's size, where one
        # count per label and type took half a second to plan and run).
        try:
            data = self._query("CALL db.stats.retrieve('GRAPH COUNTS') YIELD data "
                               "RETURN data")[0]["data"]
        except (StoreError, IndexError, KeyError):
            return self._counts_one_by_one()
        kinds = {k.value for k in NodeKind}
        types = {t.value for t in EdgeType}
        nodes = {r["label"]: r["count"] for r in data["nodes"]
                 if r.get("label") in kinds and r["count"]}
        edges = {r["relationshipType"]: r["count"] for r in data["relationships"]
                 if r.get("relationshipType") in types and "startLabel" not in r
                 and "endLabel" not in r and r["count"]}
        return Counts(nodes=dict(sorted(nodes.items())), edges=dict(sorted(edges.items())))

    def _counts_one_by_one(self) -> Counts:
        """One count-store lookup per label and type (a user not allowed the procedure)."""
        labels = {r["label"] for r in self._query("CALL db.labels() YIELD label RETURN label")}
        types = {r["t"] for r in self._query(
            "CALL db.relationshipTypes() YIELD relationshipType AS t RETURN t")}
        kinds = sorted(k.value for k in NodeKind if k.value in labels)
        rels = sorted(t.value for t in EdgeType if t.value in types)
        nodes = {r["k"]: r["c"] for r in self._query(" UNION ALL ".join(
            f"MATCH (n:{quote(k)}) RETURN '{k}' AS k, count(n) AS c" for k in kinds))
            if r["c"]} if kinds else {}
        edges = {r["t"]: r["c"] for r in self._query(" UNION ALL ".join(
            f"MATCH ()-[r:{quote(t)}]->() RETURN '{t}' AS t, count(r) AS c" for t in rels))
            if r["c"]} if rels else {}
        return Counts(nodes=dict(sorted(nodes.items())), edges=dict(sorted(edges.items())))

    def kinds_present(self, kinds: Iterable[str]) -> set[str]:
        held = self.counts().nodes
        return {kind for kind in kinds if held.get(kind)}

    def sources(self) -> list[SourceInfo]:
        return [source_info(r) for r in self._query(
            f"MATCH (s:{_SRC}) RETURN {SOURCE_RETURN} ORDER BY s.seq")]

    def ledger(self, *, source: str | None = None,
               limit: int | None = None) -> list[Rejection]:
        where = "" if source is None else " WHERE e.source = $source"
        return [Rejection(**r) for r in self._query(
            f"MATCH (e:{_LEDGER}){where} RETURN e.source AS source, e.path AS path, "
            "e.line AS line, e.record AS record, e.reason AS reason ORDER BY e.seq, e.n"
            + ("" if limit is None else " LIMIT $limit"),
            {"source": source, "limit": limit})]

    def ledger_size(self) -> int:
        return int(self._query(f"MATCH (e:{_LEDGER}) RETURN count(e) AS n")[0]["n"])

    def stored(self) -> Iterator[list[Stored]]:
        """Every node and edge with each source's assertion, streamed from the server."""
        gens = self._generations()
        types = sorted(self.counts().edges)
        try:
            with self._driver.session(database=self.database) as session:
                yield from chunked(
                    Stored(r["id"], {gens.ref(g).name: node_from_record(record) for g, record
                                     in node_assertions(r["p"]).items()})
                    for r in session.run(f"MATCH (n:{_N}) RETURN n.id AS id, "
                                         "properties(n) AS p ORDER BY n.id"))
                for edge_type in types:
                    yield from chunked(
                        Stored((r["s"], edge_type, r["o"]), {
                            gens.ref(g).name: edge_from_assertions(
                                (r["s"], edge_type, r["o"]), {g: said}, gens)
                            for g, said in relationship_assertions(r["p"], gens).items()})
                        for r in session.run(f"MATCH (a:{_N})-[r:{quote(edge_type)}]->(b:{_N}) "
                                             "RETURN a.id AS s, b.id AS o, properties(r) AS p"))
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error

    def source_batch(self, name: str) -> SourceBatch:
        rows = self._query(f"MATCH (s:{_SRC} {{name: $name}}) RETURN {SOURCE_RETURN}",
                           {"name": name})
        if not rows:
            raise StoreError(f"no source named {name!r} is loaded")
        gen = rows[0]["gen"] if rows[0]["gen"] is not None else rows[0]["loading_gen"]
        gens = self._generations()
        nodes = [node_from_record(node_assertions(r["p"])[gen]) for r in self._query(
            f"MATCH (n:{_N}) WHERE {of_gen('n')} RETURN properties(n) AS p ORDER BY n.id",
            {"gen": gen})]
        edges = []
        for r in self._query(
            f"MATCH (a:{_N})-[r]->(b:{_N}) WHERE {of_gen('r')} RETURN a.id AS s, "
            "type(r) AS t, b.id AS o, properties(r) AS p ORDER BY s, t, o", {"gen": gen},
        ):
            key = (r["s"], r["t"], r["o"])
            said = relationship_assertions(r["p"], gens)[gen]
            edges.append(edge_from_assertions(key, {gen: said}, gens))
        return SourceBatch(source=source_info(rows[0]), nodes=tuple(nodes),
                           edges=tuple(edges), rejections=tuple(self.ledger(source=name)))


def source_info(row: dict[str, Any]) -> SourceInfo:
    """A ``:TxkgSource`` row as a SourceInfo: what is loaded, or what is being loaded."""
    if row.get("gen") is None:  # a first load that has not finished
        return SourceInfo(name=row["name"], kind=row["loading_kind"] or "?",
                          version=row["loading_version"], path=row["loading_path"],
                          complete=False)
    return SourceInfo(name=row["name"], kind=row["kind"], version=row["version"],
                      path=row["path"], complete=row.get("phase") is None)
