"""What the Neo4j store has loaded: sources, the ledger, counts, a source read back.

:class:`Neo4jCatalogue` is the part of :class:`~graph.store.neo4j.Neo4jStore` that
answers for the bookkeeping: the ``:TxkgSource`` nodes (loaded sources, and loads in
progress), the ``:TxkgLedgerEntry`` nodes (what loaders refused), node and relationship
counts from the count store, one source's batch as it was loaded, and the whole store
streamed. (The SQLite store's counterpart is :mod:`graph.store.sqlite_catalogue`.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from neo4j.exceptions import DriverError, Neo4jError

from graph.cypher_names import LEDGER_LABEL, NODE_LABEL, SOURCE_LABEL, quote
from graph.errors import StoreError
from graph.model import (
    Counts,
    EdgeType,
    NodeKind,
    Rejection,
    SourceBatch,
    SourceInfo,
    node_from_record,
)
from graph.store.base import Stored
from graph.store.neo4j_cypher import translate
from graph.store.neo4j_layout import edge_from_assertions, node_assertions, relationship_assertions
from graph.store.neo4j_parts import Neo4jPart
from graph.store.neo4j_tx import SOURCE_RETURN, of_gen
from graph.stream import chunked

_N, _SRC, _LEDGER = quote(NODE_LABEL), quote(SOURCE_LABEL), quote(LEDGER_LABEL)


class Neo4jCatalogue(Neo4jPart):
    """The store's bookkeeping, read (a part of ``Neo4jStore``)."""

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
