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

This module holds the store itself (connecting, ad-hoc queries, and the reads of nodes,
neighbours, predictions and evidence); its other parts are mixins beside it, over the
connection they share (:mod:`graph.store.neo4j_parts`): loads and removals
(:mod:`graph.store.neo4j_commands`), the bookkeeping read back
(:mod:`graph.store.neo4j_catalogue`) and the explainer's questions
(:mod:`graph.store.neo4j_mechanisms`).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    Driver,
    GraphDatabase,
    NotificationMinimumSeverity,
)
from neo4j.exceptions import AuthError, CypherSyntaxError, DriverError, Neo4jError

from graph.cypher_names import NODE_LABEL, quote
from graph.errors import QueryError, StoreConnectionError, StoreError, TxkgError
from graph.model import (
    Evidence,
    Neighbour,
    Node,
    Prediction,
)
from graph.store.base import (
    GraphStore,
    closest_names,
    evidence_order,
    exact_id_first,
    neighbour_order,
    prediction_order,
)
from graph.store.merge import lookup_keys, query_keys
from graph.store.neo4j_catalogue import Neo4jCatalogue
from graph.store.neo4j_commands import Neo4jCommands
from graph.store.neo4j_cypher import (
    schema_statements,
    translate,
)
from graph.store.neo4j_layout import (
    Generations,
    edge_from_properties,
    node_from_properties,
)
from graph.store.neo4j_mechanisms import (
    MechanismQueries,
    batches,
)

# The driver logs its retries and broken connections as warnings; with no handler of its
# own, Python would print them to stderr, around the one line an error gives. An
# application that configures logging still gets them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())
_N = quote(NODE_LABEL)


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


class Neo4jStore(MechanismQueries, Neo4jCatalogue, Neo4jCommands, GraphStore):
    """The graph in a Neo4j database; ``bolt://`` for one server, ``neo4j://`` for routing."""

    remote = True

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
        self._credentials = (user, password)  # for reopen()
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

    def _apply_schema(self) -> None:
        present = {r["name"] for r in self._query("SHOW INDEXES YIELD name RETURN name")}
        present |= {r["name"] for r in self._query("SHOW CONSTRAINTS YIELD name RETURN name")}
        missing = [s for name, s in schema_statements() if name not in present]
        for statement in missing:
            self._query(statement, write=True)
        if missing:
            self._query("CALL db.awaitIndexes(300)", write=True)

    def reopen(self) -> Neo4jStore:
        user, password = self._credentials
        return Neo4jStore(self.uri, user=user, password=password, database=self.database)

    def close(self) -> None:
        self._close_statement_pool()
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
                records = list(result)
            names = {gen: ref.name for gen, ref in self._generations().items()}
            rows = [{k: plain(record[k], names) for k in columns} for record in records]
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
