"""Neo4j specifics: the Cypher library on a real server, the CLI's faults, Browser, export.

The store port's behaviour on Neo4j is tested in test_store.py (the ``store``
fixture runs every test on SQLite and on Neo4j); this file covers what only a
Neo4j store has.
"""

from __future__ import annotations

import os
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from test_store import CD28, CD80, CD86, PREDICTION_ID, mechanism, report
from test_streaming import dump

from graph.api import KnowledgeGraph
from graph.cli import main
from graph.cypher_library import list_queries, load_query
from graph.errors import QueryError
from graph.model import (
    Disease,
    Edge,
    EdgeType,
    Node,
    Prediction,
    Provenance,
    SourceBatch,
    SourceInfo,
)
from graph.neo4j_export import export_neo4j_csv
from graph.store.base import GraphStore
from graph.store.neo4j import Neo4jStore
from graph.store.neo4j_cypher import schema_statements
from graph.store.sqlite import SqliteStore
from graph.stream import as_edge

REPO = Path(__file__).resolve().parents[1]


def neo4j_home() -> Path:
    """Where scripts/neo4j-local keeps the jars (the same rule as the script)."""
    if os.environ.get("TXKG_NEO4J_HOME"):
        return Path(os.environ["TXKG_NEO4J_HOME"])
    version = (REPO / "scripts" / "neo4j" / "VERSION").read_text().strip()
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return cache / "txkg" / f"neo4j-{version}"


ARTHRITIS = Disease(id="MONDO:0008383", name="rheumatoid arthritis")


def curated() -> SourceBatch:
    """A second disease sharing CD86 and CD28 with myeloma, and a report's data gaps."""
    prov = (Provenance(source="curated", version="1"),)
    gaps = Prediction(id=PREDICTION_ID, name="Belatacept → plasma cell myeloma",
                      drug_id="DRUGBANK:DB06681", disease_id="MONDO:0009693",
                      data_gaps=("no phase 3 trial", "dose in myeloma unknown"))
    return SourceBatch(
        source=SourceInfo(name="curated", kind="report", version="1"),
        nodes=(ARTHRITIS, CD86, CD28, gaps),
        edges=tuple(Edge(source=gene.id, target=ARTHRITIS.id, type=EdgeType.ASSOCIATED_WITH,
                         provenance=prov) for gene in (CD86, CD28)))


@pytest.fixture
def examples(neo4j_store: Neo4jStore) -> Neo4jStore:
    for batch in (mechanism(), report(), curated()):
        neo4j_store.load(batch)
    return neo4j_store


# -- the Cypher library ---------------------------------------------------------------------

EXPECTED: dict[str, list[dict[str, object]]] = {
    "drug_predictions": [{
        "drug": "Belatacept", "disease": "plasma cell myeloma", "disease_id": "MONDO:0009693",
        "score": 0.9703, "rank": None, "evidence_level": "L3", "decision": "Hold",
        "trials": 1, "publications": 1}],
    "disease_predictions": [{
        "disease": "plasma cell myeloma", "drug": "Belatacept", "drug_id": "DRUGBANK:DB06681",
        "score": 0.9703, "rank": None, "evidence_level": "L3", "decision": "Hold"}],
    "prediction_evidence": [
        {"drug": "Belatacept", "disease": "plasma cell myeloma", "kind": "ClinicalTrial",
         "id": "clinicaltrials:NCT04827979", "name": "NCT04827979", "phase": "Phase 1/2",
         "status": None, "year": None, "key_finding": "plasma cell depletion",
         "reports": ["reports/belatacept.md"]},
        {"drug": "Belatacept", "disease": "plasma cell myeloma", "kind": "Publication",
         "id": "PMID:31129111", "name": "PMID 31129111", "phase": None, "status": None,
         "year": 2019, "key_finding": None, "reports": ["reports/belatacept.md"]}],
    "drug_targets": [
        {"drug": "Belatacept", "gene": "CD80", "symbol": "CD80", "gene_id": "NCBIGene:941",
         "sources": ["kg"], "pmids": []},
        {"drug": "Belatacept", "gene": "CD86", "symbol": "CD86", "gene_id": "NCBIGene:942",
         "sources": ["kg"], "pmids": []}],
    "diseases_sharing_targets": [{
        "disease": "plasma cell myeloma", "other_disease": "rheumatoid arthritis",
        "other_id": "MONDO:0008383", "shared": 2, "shared_genes": ["CD28", "CD86"]}],
    "predictions_by_level": [{
        "evidence_level": "L3", "decision": "Hold", "drug": "Belatacept",
        "disease": "plasma cell myeloma", "score": 0.9703, "prediction_id": PREDICTION_ID}],
    "open_data_gaps": [
        {"drug": "Belatacept", "disease": "plasma cell myeloma", "evidence_level": "L3",
         "decision": "Hold", "gap": gap}
        for gap in ("dose in myeloma unknown", "no phase 3 trial")],
}


def test_every_named_query_has_a_test_and_a_header() -> None:
    names = {q.name for q in list_queries()}
    assert names == set(EXPECTED) | {"mechanism_paths"}
    for query in list_queries():
        assert query.answers and set(query.params) == set(query.examples)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_named_query_returns_the_expected_rows(examples: Neo4jStore, name: str) -> None:
    query = load_query(name)
    columns, rows = examples.run_query(name, dict(query.examples))
    assert rows == EXPECTED[name]
    assert columns == list(EXPECTED[name][0])


def test_mechanism_paths_query_finds_the_paths_the_explainer_walks(examples: Neo4jStore) -> None:
    _, rows = examples.run_query("mechanism_paths",
                                 {"drug": "belatacept", "disease": "MONDO:0009693"})
    assert [(r["hops"], r["names"], r["types"]) for r in rows] == [
        (2, ["Belatacept", "CD86", "plasma cell myeloma"], ["TARGETS", "ASSOCIATED_WITH"]),
        (3, ["Belatacept", "CD86", "CD28", "plasma cell myeloma"],
         ["TARGETS", "INTERACTS_WITH", "ASSOCIATED_WITH"])]
    assert [n["id"] for n in rows[0]["path"]["nodes"]] == [
        "DRUGBANK:DB06681", "NCBIGene:942", "MONDO:0009693"]


def test_the_subgraph_holds_every_path_the_library_query_finds(examples: Neo4jStore) -> None:
    _, rows = examples.run_query("mechanism_paths", {"drug": "Belatacept",
                                                     "disease": "plasma cell myeloma"})
    graph = examples.mechanism_subgraph("DRUGBANK:DB06681", "MONDO:0009693", max_hops=3)
    on_paths = {n["id"] for r in rows for n in r["path"]["nodes"]}
    assert on_paths == set(graph)


def test_a_lone_assertion_names_its_source_by_generation_alone(examples: Neo4jStore) -> None:
    """One source's relationship keeps no ``sources`` list (``_gen`` names the source);
    two sources' does. The library and ``txkg query`` show the sources either way."""
    props = ("MATCH (:Drug {name: 'Belatacept'})-[t:TARGETS]->(:Gene {symbol: 'CD80'}) "
             "RETURN properties(t) AS p")
    (row,) = examples.run_query(props)[1]
    assert "sources" not in row["p"] and isinstance(row["p"]["_gen"], int)
    (shown,) = examples.run_query(props.replace("properties(t) AS p", "t"))[1]
    assert shown["t"]["sources"] == ["kg"]
    also = SourceBatch(source=SourceInfo(name="also", kind="report", version="1"),
                       nodes=(CD80,), edges=(Edge(
                           source="DRUGBANK:DB06681", target=CD80.id, type=EdgeType.TARGETS,
                           provenance=(Provenance(source="also", version="1"),)),))
    examples.load(also)
    (row,) = examples.run_query(props)[1]
    assert row["p"]["sources"] == ["also", "kg"] and "_gen" not in row["p"]
    _, rows = examples.run_query("drug_targets", {"drug": "Belatacept"})
    assert [r["sources"] for r in rows] == [["also", "kg"], ["kg"]]
    examples.remove_source("also")
    (row,) = examples.run_query(props)[1]
    assert "sources" not in row["p"]


def test_a_named_query_without_its_parameter_says_which(examples: Neo4jStore) -> None:
    with pytest.raises(QueryError, match="needs parameter drug"):
        examples.run_query("drug_targets", {})


def test_ad_hoc_cypher_is_read_only_unless_asked(examples: Neo4jStore) -> None:
    with pytest.raises(QueryError, match="writes"):
        examples.run_query("CREATE (n:Drug {id: 'x'})")
    assert examples.node("x") is None
    _, rows = examples.run_query("MATCH (d:Drug) RETURN count(d) AS n")
    assert rows == [{"n": 2}]


def test_schema_covers_every_label() -> None:
    from graph.model import NodeKind

    statements = " ".join(s for _, s in schema_statements())
    for kind in NodeKind:
        assert f"FOR (n:{kind.value}) REQUIRE n.id IS UNIQUE" in statements


# -- the command line -----------------------------------------------------------------------


def run(uri: str, password: str, *args: str, user: str = "neo4j") -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--store", uri, *args],
                                env={"NEO4J_USER": user, "NEO4J_PASSWORD": password,
                                     "NEO4J_DATABASE": None, "TXKG_STORE": None})
    return result.exit_code, result.output


def test_query_command_formats(examples: Neo4jStore,
                               neo4j_server: tuple[str, str, str]) -> None:
    uri, _, password = neo4j_server
    code, out = run(uri, password, "query", "drug_targets", "--param", "drug=Belatacept",
                    "--format", "csv")
    assert code == 0, out
    assert out.splitlines() == ["drug,gene,symbol,gene_id,sources,pmids",
                                'Belatacept,CD80,CD80,NCBIGene:941,"[""kg""]",[]',
                                'Belatacept,CD86,CD86,NCBIGene:942,"[""kg""]",[]']
    code, out = run(uri, password, "query", "--cypher",
                    "MATCH (g:Gene) RETURN g.symbol AS s ORDER BY s", "--format", "json")
    assert code == 0 and '"s": "CD28"' in out
    code, out = run(uri, password, "query", "--list")
    assert code == 0 and "mechanism_paths" in out


@pytest.mark.parametrize("case", ["password", "unreachable", "database", "syntax", "write",
                                  "unknown-query"])
def test_faults_give_one_clear_line_and_no_password(
        neo4j_store: Neo4jStore, neo4j_server: tuple[str, str, str], case: str) -> None:
    uri, user, password = neo4j_server
    secret = "not-the-password-42"
    # A made-up user for the wrong password: failed logins of the real one would lock it.
    args = {
        "password": (uri, secret, ["stats"], "txkg-nobody", "authentication failed"),
        "unreachable": ("bolt://127.0.0.1:1", secret, ["stats"], user, "no Neo4j server"),
        "database": (uri, password, ["--database", "nonexistent", "stats"], user,
                     "does not exist"),
        "syntax": (uri, password, ["query", "--cypher", "MATC (n) RETURN n"], user,
                   "syntax error"),
        "write": (uri, password, ["query", "--cypher", "CREATE (n:Gene {id: 'x'})"], user,
                  "--write"),
        "unknown-query": (uri, password, ["query", "no_such_query"], user,
                          "no named query"),
    }[case]
    target, pw, cli_args, who, expected = args
    code, out = run(target, pw, *cli_args, user=who)
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), out
    assert expected in lines[0]
    assert target in lines[0] or case == "unknown-query"  # a library error, not a server one
    assert secret not in out and password not in out


def test_query_on_sqlite_is_a_clear_error(tmp_path: Path) -> None:
    code, out = run(f"sqlite:///{tmp_path / 'kg.db'}", "x", "query", "drug_targets")
    assert code == 1 and "needs a Neo4j store" in out
    assert not (tmp_path / "kg.db").exists()  # refused before the store is opened
    with KnowledgeGraph.open(f"sqlite:///{tmp_path / 'kg.db'}") as kg:
        with pytest.raises(QueryError, match="need a Neo4j store"):
            kg.cypher("MATCH (n) RETURN n")
        with pytest.raises(QueryError, match="no named query"):
            kg.query("no_such_query")


def test_write_flag_lets_ad_hoc_cypher_write(neo4j_store: Neo4jStore,
                                             neo4j_server: tuple[str, str, str]) -> None:
    uri, _, password = neo4j_server
    code, out = run(uri, password, "query", "--write", "--cypher",
                    "CREATE (n:Scratch {x: 1}) RETURN n.x AS x")
    assert code == 0 and "1" in out
    neo4j_store.run_query("MATCH (n:Scratch) DELETE n", write=True)


# -- Browser --------------------------------------------------------------------------------


def test_the_server_serves_neo4j_browser(neo4j_server: tuple[str, str, str]) -> None:
    from neo4j_server import http_url

    http = http_url()
    with urllib.request.urlopen(f"{http.rstrip('/')}/browser/", timeout=10) as response:
        body = response.read().decode("utf-8", "replace")
        assert response.status == 200
    assert "<title>Neo4j Browser</title>" in body or "neo4j browser" in body.lower()


def test_grass_styles_every_kind() -> None:
    from graph.model import NodeKind

    grass = (REPO / "cypher" / "browser" / "txkg.grass").read_text()
    for kind in NodeKind:
        assert f"node.{kind.value} {{" in grass


# -- export and neo4j-admin import ----------------------------------------------------------


def test_export_writes_what_the_store_holds(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "kg.db")
    for batch in (mechanism(), report(), curated()):
        store.load(batch)
    result = export_neo4j_csv(store, tmp_path / "csv")
    counts = store.counts()
    assert (result.nodes, result.relationships) == (counts.total_nodes, counts.total_edges)
    assert any(f.startswith("nodes_Drug_") for f in result.files)
    (prediction,) = (f for f in result.files if f.startswith("nodes_Prediction_")
                     and f.endswith(".header.csv"))
    header = (tmp_path / "csv" / prediction).read_text()
    assert header.startswith("id:ID(Node),:LABEL,") and "score:double" in header
    store.close()


@pytest.fixture
def admin_instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A second Neo4j instance (own data; ports beside the test server's) to import into."""
    bolt = int(os.environ.get("TXKG_TEST_NEO4J_BOLT_PORT", "17687")) + 10
    http = int(os.environ.get("TXKG_TEST_NEO4J_HTTP_PORT", "17474")) + 10
    env = {"TXKG_NEO4J_HOME": str(neo4j_home()),
           "TXKG_NEO4J_INSTANCE_DIR": str(tmp_path / "instance"),
           "TXKG_NEO4J_BOLT_PORT": str(bolt), "TXKG_NEO4J_HTTP_PORT": str(http),
           "TXKG_NEO4J_JAVA_OPTS": "-XX:TieredStopAtLevel=1", "TXKG_NEO4J_CDS": "0",
           "NEO4J_PASSWORD": "import-test-pw"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    yield {**env, "uri": f"bolt://127.0.0.1:{bolt}"}
    subprocess.run([str(REPO / "scripts" / "neo4j-local"), "stop"], env={**os.environ, **env},
                   check=False, capture_output=True)


def test_stored_reads_alike_from_both_stores(examples: Neo4jStore, tmp_path: Path) -> None:
    sqlite = SqliteStore(tmp_path / "kg.db")
    for batch in (mechanism(), report(), curated()):
        sqlite.load(batch)

    def contents(store: GraphStore) -> dict[object, dict[str, str]]:
        versions = {s.name: s for s in store.sources()}
        return {item.key: {name: as_edge(said, versions[name]).model_dump_json()
                           if not isinstance(said, Node) else said.model_dump_json()
                           for name, said in item.said.items()}
                for chunk in store.stored() for item in chunk}

    assert contents(examples) == contents(sqlite)
    sqlite.close()


def test_bulk_import_reads_exactly_like_an_online_load(
        examples: Neo4jStore, admin_instance: dict[str, str], tmp_path: Path) -> None:
    sqlite = SqliteStore(tmp_path / "kg.db")
    for batch in (mechanism(), report(), curated()):
        sqlite.load(batch)
    result = export_neo4j_csv(sqlite, tmp_path / "csv")
    sqlite.close()
    assert (result.nodes, result.relationships) == (examples.counts().total_nodes,
                                                     examples.counts().total_edges)
    code, out = run_with_store(f"sqlite:///{tmp_path / 'kg.db'}", "export", "neo4j-csv",
                               str(tmp_path / "csv"), "--import")
    assert code == 0, out
    imported = Neo4jStore(admin_instance["uri"], user="neo4j", password="import-test-pw")
    try:
        assert dump(imported) == dump(examples)
        assert [n.id for n in imported.find("nulojix")] == ["DRUGBANK:DB06681"]
        assert imported.predictions() == examples.predictions()
        assert nx.utils.graphs_equal(imported.mechanism_graph(), examples.mechanism_graph())
        imported.load(mechanism("2", extra=True))  # an imported store loads on as usual
        assert [n.node.id for n in imported.neighbours(CD80.id, kind="Gene")] == [CD28.id]
    finally:
        imported.close()


def run_with_store(store: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--store", store, *args])
    return result.exit_code, result.output


def test_the_browser_guide_is_current() -> None:
    from graph.cypher_library import browser_guide

    guide = REPO / "cypher" / "browser" / "txkg-guide.html"
    assert guide.read_text(encoding="utf-8") == browser_guide(), (
        "regenerate: python -c 'from graph.cypher_library import browser_guide; "
        "print(browser_guide(), end=\"\")' > cypher/browser/txkg-guide.html")
    for query in list_queries():
        assert f"<h3>{query.name}</h3>" in guide.read_text(encoding="utf-8")


def test_counts_from_the_count_store_in_one_call_match_one_count_per_label(
        examples: Neo4jStore) -> None:
    counts = examples.counts()
    assert counts.nodes and counts.edges
    assert counts == examples._counts_one_by_one()
    kinds = examples.run_query("MATCH (n:Node) RETURN n.kind AS k, count(*) AS c")[1]
    assert counts.nodes == {r["k"]: r["c"] for r in kinds}
