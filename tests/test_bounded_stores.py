"""The bounded search on a store: both stores answer as the in-memory graph does.

The same random typed graph (hubs, statements stored one way, the other way or
both, signed predicates) is loaded into each store and kept as a networkx
graph; the store's degrees and neighbour steps must equal what
:class:`~graph.explain.neighbourhood.GraphNeighbourhoods` reads from the networkx
graph, and ``KnowledgeGraph.explain`` must list the exhaustive search's top paths.
"""

from __future__ import annotations

import pathlib
import sqlite3
from typing import Any

import networkx as nx
import pytest

from graph.api import KnowledgeGraph
from graph.cypher_names import NODE_LABEL, RECOUNT_LABEL, quote
from graph.explain import explain_pair
from graph.explain.neighbourhood import GraphNeighbourhoods, Step, StepRequest
from graph.model import (
    Disease,
    Drug,
    Edge,
    EdgeType,
    Gene,
    Node,
    Pathway,
    Prediction,
    Provenance,
    SourceBatch,
    SourceInfo,
)
from graph.store.base import GraphStore
from graph.store.neo4j import Neo4jStore
from graph.store.neo4j_paths import COUNT_DEGREES, MECHANISM_KIND_NAMES, TO_RECOUNT, kept_degrees
from graph.store.sqlite import SqliteStore
from graph.stream import Chunk, SourceStream
from tests.test_bounded_search import random_graph, ranked

MAKERS: dict[str, Any] = {
    "Drug": lambda n: Drug(id=f"DRUGBANK:DB{n:05d}", name=f"drug {n}"),
    "Gene": lambda n: Gene(id=f"NCBIGene:{n + 1}", name=f"gene {n}"),
    "Disease": lambda n: Disease(id=f"MONDO:{n + 1:07d}", name=f"disease {n}"),
    "Pathway": lambda n: Pathway(id=f"REACT:R-HSA-{n + 1}", name=f"pathway {n}"),
}
SOURCE = SourceInfo(name="random", kind="primekg", version="1")


def stored_graph(seed: int) -> tuple[SourceBatch, nx.MultiDiGraph[Any]]:
    """``random_graph(seed)`` with real ids, as a source batch and as the graph it makes."""
    G = random_graph(seed)
    nodes: dict[str, Node] = {}
    for name, data in G.nodes(data=True):
        nodes[name] = MAKERS[data["kind"]](int(name[2:]))
    edges = tuple(
        Edge(source=nodes[u].id, target=nodes[v].id, type=EdgeType(data["type"]),
             provenance=(Provenance(source=SOURCE.name, version="1"),),
             properties=data["properties"])
        for u, v, data in G.edges(data=True))
    batch = SourceBatch(source=SOURCE, nodes=tuple(nodes.values()), edges=edges)
    H: nx.MultiDiGraph[Any] = nx.relabel_nodes(G, {n: node.id for n, node in nodes.items()})
    for node in nodes.values():
        H.nodes[node.id]["name"] = node.name
    return batch, H


def predictions(drug: str, diseases: list[str]) -> SourceBatch:
    """Predictions of ``drug`` for each disease (scores falling), as a TxGNN-like source."""
    found = [Prediction(id=f"txkg:prediction/TxGNN/{drug}/{d}", name=f"{drug} → {d}",
                        drug_id=drug, disease_id=d, score=0.9 - i / 100)
             for i, d in enumerate(diseases)]
    prov = (Provenance(source="txgnn", version="1"),)
    edges = [e for p in found for e in (
        Edge(source=p.id, target=drug, type=EdgeType.OF_DRUG, provenance=prov),
        Edge(source=p.id, target=p.disease_id, type=EdgeType.FOR_DISEASE, provenance=prov))]
    return SourceBatch(source=SourceInfo(name="txgnn", kind="txgnn", version="1"),
                       nodes=tuple(found), edges=tuple(edges))


def steps(found: list[Step]) -> list[tuple[Any, ...]]:
    return sorted((s.node, s.edge_type, s.other, s.other_kind, s.outgoing, s.incoming,
                   s.other_degree) for s in found)


@pytest.mark.parametrize("seed", [3, 54])
def test_a_store_reads_degrees_and_steps_as_the_graph_does(store: GraphStore, seed: int) -> None:
    batch, G = stored_graph(seed)
    KnowledgeGraph(store).load(batch)
    hood = GraphNeighbourhoods(G)
    every = list(G)
    assert store.mechanism_degrees(every) == hood.mechanism_degrees(every)
    facts = hood.mechanism_degrees(every)
    requests = [StepRequest(n, t, k, None if i % 2 else max(d // 2, 1))
                for i, n in enumerate(every[::3]) for (t, k), d in facts[n].degrees.items()]
    assert steps(store.mechanism_steps(requests)) == steps(hood.mechanism_steps(requests))
    within = {(t, k): every[i % 2::2] for i, (t, k) in enumerate(
        sorted({(r.edge_type, r.other_kind) for r in requests}))}
    assert steps(store.mechanism_steps(requests, within=within)) == steps(
        hood.mechanism_steps(requests, within=within))
    # Allowed sets that grow, shrink, shift and come back: a store that writes only the
    # difference from the set it holds must answer as if it wrote each afresh.
    metaedges = sorted({(r.edge_type, r.other_kind) for r in requests})
    n = len(every)
    for low, high in [(0, n), (0, n // 2), (n // 4, n), (n // 4, n // 4 + 2), (0, n), (0, n)]:
        within = {m: every[low:high][i % 2::2 if i % 3 else 1] for i, m in enumerate(metaedges)}
        assert steps(store.mechanism_steps(requests, within=within)) == steps(
            hood.mechanism_steps(requests, within=within))
    # Requests of several searches in one question, each group with its own sets (a
    # group's key missing: nothing), as the lockstep searches ask (graph/explain/lockstep.py).
    grouped = [StepRequest(r.node, r.edge_type, r.other_kind, r.max_degree, group)
               for group in (1, 2, 3) for r in requests[group - 1::2]]
    within = {(t, k, group): every[group % 2::group] for group in (1, 2)
              for t, k in sorted({(r.edge_type, r.other_kind) for r in requests})}
    assert steps(store.mechanism_steps(grouped, within=within)) == steps(
        hood.mechanism_steps(grouped, within=within))
    # The same nodes asked about in two groups, with disjoint sets and different caps: a
    # store reading each node once (with the loosest cap, in either set) must still keep
    # each request to its own set and cap.
    twice = [StepRequest(r.node, r.edge_type, r.other_kind, cap, group)
             for r in requests for group, cap in ((4, 1), (5, None))]
    within = {(t, k, group): every[group % 2::2] for group in (4, 5)
              for t, k in sorted({(r.edge_type, r.other_kind) for r in requests})}
    assert steps(store.mechanism_steps(twice, within=within)) == steps(
        hood.mechanism_steps(twice, within=within))
    assert store.mechanism_degrees(["nowhere"]) == {}


@pytest.mark.parametrize("seed", [3, 54, 101])
def test_both_stores_list_the_exhaustive_top_paths(store: GraphStore, seed: int) -> None:
    batch, G = stored_graph(seed)
    kg = KnowledgeGraph(store)
    kg.load(batch)
    drug, diseases = "DRUGBANK:DB00000", ["MONDO:0000001", "MONDO:0000002", "MONDO:0000005"]
    kg.load(predictions(drug, diseases))
    results = kg.explain_drug(drug, top=5)
    assert [r.disease.id for r in results] == diseases
    # Dealt out to forked workers, each on its own connection: the same explanations.
    done: list[int] = []
    assert kg.explain_drug(drug, top=5, jobs=2, on_progress=lambda n, _: done.append(n)) == results
    assert done == [1, 2, 3]
    for result in results:
        every = explain_pair(G, drug, result.disease.id, search="all", top=5)
        bounded = result.explanation
        assert bounded.search == "bounded"
        # The top 5 of mechanisms and associations together (each listed apart, up to 5).
        found, expected = ranked(bounded)[:5], ranked(every)[:5]
        assert [(n, t) for n, t, _ in found] == [(n, t) for n, t, _ in expected]
        assert [s for *_, s in found] == pytest.approx([s for *_, s in expected], rel=1e-12)
        single = kg.explain(drug, result.disease.id, top=5).explanation
        assert single == bounded
    exact = kg.explain(drug, diseases[0], metapaths=["CtGaD", "CiCtGaD"]).explanation
    assert exact.complete and exact.search == "metapaths"
    expected = explain_pair(G, drug, diseases[0], metapaths=["CtGaD", "CiCtGaD"])
    assert exact.path_count == expected.path_count
    assert exact.total == pytest.approx(expected.total, rel=1e-12)


def test_the_old_searches_stay_available_on_a_store(store: GraphStore) -> None:
    kg = KnowledgeGraph(store)
    kg.load(stored_graph(3)[0])
    every = kg.explain("DRUGBANK:DB00000", "MONDO:0000002", search="all", top=3).explanation
    assert every.search == "all" and every.complete and every.score_floor is None


def recount(path: pathlib.Path) -> list[tuple[Any, ...]]:
    """Degrees counted from the edges, as the degree table should hold them."""
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT x.node, x.type, n.kind, count(DISTINCT x.other) FROM ("
            "SELECT src AS node, type, dst AS other FROM edges UNION ALL "
            "SELECT dst, type, src FROM edges) x JOIN nodes n ON n.nid = x.other "
            "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3").fetchall()
        table = db.execute("SELECT * FROM degrees ORDER BY 1, 2, 3").fetchall()
    db.close()
    assert table == rows
    return rows


def test_what_the_search_keeps_about_nodes_follows_every_write(tmp_path: pathlib.Path) -> None:
    """The SQLite store keeps node keys, facts and degrees between questions (the joining
    hops are read from the edge index alone): a load on the same store, or on another
    connection to the file, must not leave it answering from what it kept before."""
    path = tmp_path / "kg.db"
    batch, G = stored_graph(3)
    half = batch.model_copy(update={"source": SOURCE.model_copy(update={"version": "2"}),
                                    "edges": batch.edges[::2]})
    kept = {(e.source, e.type.value, e.target) for e in half.edges}
    H: nx.MultiDiGraph[Any] = nx.MultiDiGraph()
    H.add_nodes_from(G.nodes(data=True))
    H.add_edges_from((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)
                     if (u, d["type"], v) in kept)
    every = list(G)
    facts = GraphNeighbourhoods(G).mechanism_degrees(every)
    requests = [StepRequest(n, t, k) for n in every for t, k in facts[n].degrees]
    within = {(t, k): every[1::2] for t, k in {(r.edge_type, r.other_kind) for r in requests}}

    def answers(store: SqliteStore) -> list[tuple[Any, ...]]:
        degrees = {n: dict(f.degrees) for n, f in store.mechanism_degrees(every).items()}
        return [degrees, *steps(store.mechanism_steps(requests, within=within))]

    def expected(graph: nx.MultiDiGraph[Any]) -> list[tuple[Any, ...]]:
        hood = GraphNeighbourhoods(graph)
        degrees = {n: dict(f.degrees) for n, f in hood.mechanism_degrees(every).items()}
        return [degrees, *steps(hood.mechanism_steps(requests, within=within))]

    store = SqliteStore(path)
    kg = KnowledgeGraph(store)
    kg.load(batch)
    assert answers(store) == expected(G)
    kg.load(half)  # this connection withdraws half the edges: other degrees now
    assert answers(store) == expected(H) != expected(G)
    other = SqliteStore(path)  # another connection: every node again, under new keys
    other.remove_source("random")
    KnowledgeGraph(other).load(batch.model_copy(update={"source": SOURCE.model_copy(
        update={"version": "3"})}))
    other.close()
    assert answers(store) == expected(G)
    store.close()


def test_the_degree_table_follows_loads_reloads_and_removals(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "kg.db"
    store = SqliteStore(path)
    kg = KnowledgeGraph(store)
    batch, _ = stored_graph(3)
    kg.load(batch)
    first = recount(path)
    half = batch.model_copy(update={"source": SOURCE.model_copy(update={"version": "2"}),
                                    "edges": batch.edges[::2]})
    kg.load(half)  # a reload that withdraws half the edges
    assert recount(path) != first
    kg.load(predictions("DRUGBANK:DB00000", ["MONDO:0000001"]))  # a small load: dirty nodes only
    recount(path)
    store.remove_source("random")
    assert recount(path) == []
    store.close()


def test_a_layout_4_file_gets_its_degree_table(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "four.db"
    store = SqliteStore(path)
    KnowledgeGraph(store).load(stored_graph(3)[0])
    expected = recount(path)
    store.close()
    with sqlite3.connect(path) as db:  # what schema 4 looked like: no degrees, a dst index
        db.execute("DROP TABLE degrees")
        db.execute("DROP INDEX edges_by_target")
        db.execute("CREATE INDEX edges_target ON edges (dst)")
        db.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    db.close()
    SqliteStore(path, read_only=True).close()  # a reading command brings it up to date too
    assert recount(path) == expected
    with sqlite3.connect(path) as db:
        indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    db.close()
    assert "edges_by_target" in indexes and "edges_target" not in indexes


def neo4j_recount(store: Neo4jStore) -> dict[str, dict[tuple[str, str], int]]:
    """The degrees the Neo4j store keeps, checked against a count from the relationships
    made now; nothing is left listed for recounting after a complete load."""
    every = [r["id"] for r in store.run_query(
        f"MATCH (n:{quote(NODE_LABEL)}) RETURN n.id AS id")[1]]
    kept = {n: f.degrees for n, f in store.mechanism_degrees(every).items()}
    rows = store.run_query(COUNT_DEGREES, {
        "eids": [r["e"] for r in store.run_query(
            f"MATCH (n:{quote(NODE_LABEL)}) RETURN elementId(n) AS e")[1]],
        "kinds": MECHANISM_KIND_NAMES})[1]
    counted = {r["id"]: kept_degrees(r["kept"]) for r in rows}
    assert kept == counted
    assert store.run_query(TO_RECOUNT)[1] == []
    return kept


def in_two_chunks(batch: SourceBatch) -> SourceStream:
    """The batch as a stream of two chunks (a load in many transactions on Neo4j)."""
    half = len(batch.edges) // 2
    return SourceStream(batch.source, [Chunk(nodes=list(batch.nodes), edges=batch.edges[:half]),
                                       Chunk(edges=batch.edges[half:])])


def test_neo4j_keeps_degrees_through_loads_reloads_and_removals(
        neo4j_store: GraphStore, neo4j_server: tuple[str, str, str]) -> None:
    assert isinstance(neo4j_store, Neo4jStore)
    store = neo4j_store
    kg = KnowledgeGraph(store)
    batch, G = stored_graph(3)
    kg.load(in_two_chunks(batch))
    first = neo4j_recount(store)
    assert first == {n: f.degrees for n, f in GraphNeighbourhoods(G).mechanism_degrees(
        list(G)).items()}
    half = batch.model_copy(update={"source": SOURCE.model_copy(update={"version": "2"}),
                                    "edges": batch.edges[::2]})
    kg.load(in_two_chunks(half))  # a reload in many transactions that withdraws half the edges
    assert neo4j_recount(store) != first
    kg.load(half.model_copy(update={"source": SOURCE.model_copy(update={"version": "3"}),
                                    "edges": batch.edges[1::2]}))  # one transaction
    neo4j_recount(store)
    kg.load(predictions("DRUGBANK:DB00000", ["MONDO:0000001"]))
    neo4j_recount(store)
    # A load killed before counting leaves its nodes listed and unmarked: the explainer's
    # first read on a new connection counts them.
    store.run_query(f"MATCH (n:{quote(NODE_LABEL)}) REMOVE n._deg SET n:{quote(RECOUNT_LABEL)}",
                    write=True)
    uri, user, password = neo4j_server
    again = Neo4jStore(uri, user=user, password=password)
    try:
        neo4j_recount(again)
    finally:
        again.close()
    store.remove_source("random")
    assert all(not degrees for degrees in neo4j_recount(store).values())
