"""Hostile names, ids and query parameters are data, never code, on both stores.

Node names and ids holding quotes, backticks, braces, Cypher and SQL fragments, and
Unicode confusables are loaded (through ``txkg load primekg`` from a file, and through
the library with ``txkg:`` ids, hostile source names and ledger records), then looked up
by name and by id, shown, searched and passed to ``txkg query`` as parameters: each comes
back exactly as it went in, matches only itself, and the rest of the graph is untouched.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.model import Drug, Edge, EdgeType, Gene, Provenance, Rejection, SourceBatch, SourceInfo
from graph.store import open_store
from tests.conftest import EXAMPLES

HOSTILE = [
    "O'Brien's \"quoted\" drug",
    "back`tick` name",
    "`}) MATCH (n) DETACH DELETE n //",
    "x'}) DETACH DELETE n WITH 1 AS x MATCH (m {name:'",
    "\"}) CALL { MATCH (n) DETACH DELETE n } //",
    "'; DROP TABLE nodes; --",
    "Robert'); DELETE FROM edges WHERE ('1'='1",
    "$name {param} ${x} %s ?1 :1",
    "a\\' OR 1=1 --",
    "}{}{ ][ ;;",
    "Веlatacept",  # Cyrillic В and е: looks like Belatacept, is not
    "Bela\u200btacept-zw",  # a zero-width space inside
    "\u202eevil-rtl",  # a right-to-left override
    "Ｆｕｌｌｗｉｄｔｈ ＤＲＯＰ",
]
# Ids txkg mints itself accept any non-blank text after "txkg:".
HOSTILE_IDS = ["txkg:drug/o'brien", "txkg:drug/`x`", "txkg:drug/a}b{c",
               "txkg:drug/'});MATCH(n)DETACH_DELETE_n//", "txkg:drug/x';DROP_TABLE_nodes;--",
               "txkg:drug/$id", "txkg:drug/Веlatacept"]
HEADER = ["relation", "display_relation", "x_index", "x_id", "x_type", "x_name", "x_source",
          "y_index", "y_id", "y_type", "y_name", "y_source", "pmids"]


def txkg(store: str, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(main, ["--store", store, *args])
    assert result.exit_code == code, result.output
    return json.loads(result.output) if "json" in args and code == 0 else result.output


@pytest.fixture(params=["sqlite", "neo4j"])
def store_uri(request: pytest.FixtureRequest, tmp_path: Path,
              monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kg.db'}"
    request.getfixturevalue("neo4j_store")  # emptied
    uri, user, password = request.getfixturevalue("neo4j_server")
    monkeypatch.setenv("NEO4J_USER", user)
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    return str(uri)


def hostile_primekg(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i, name in enumerate(HOSTILE):
            drug = [2 * i, f"DB09{i:03d}", "drug", name, "DrugBank"]
            gene = [2 * i + 1, str(990000 + i), "gene/protein", f"gene {name}", "NCBI"]
            out.writerow(["drug_protein", "target", *drug, *gene, ""])
            out.writerow(["drug_protein", "target", *gene, *drug, ""])
    return path


def test_hostile_names_load_and_are_looked_up_inert(store_uri: str, tmp_path: Path) -> None:
    txkg(store_uri, "load", "primekg", str(EXAMPLES / "mechanisms.csv"))
    before = txkg(store_uri, "stats", "--format", "json")
    txkg(store_uri, "load", "primekg", str(hostile_primekg(tmp_path / "kg.csv")),
         "--name", "hostile")
    after = txkg(store_uri, "stats", "--format", "json")
    n = len(HOSTILE)
    assert after["counts"]["nodes"]["Drug"] == before["counts"]["nodes"]["Drug"] + n
    assert after["counts"]["nodes"]["Gene"] == before["counts"]["nodes"]["Gene"] + n
    assert after["counts"]["edges"]["TARGETS"] == before["counts"]["edges"]["TARGETS"] + n

    for i, name in enumerate(HOSTILE):
        shown = txkg(store_uri, "show", name, "--format", "json")
        assert (shown["node"]["id"], shown["node"]["name"]) == (f"DRUGBANK:DB09{i:03d}", name)
        assert [nb["node"]["name"] for nb in shown["neighbours"]] == [f"gene {name}"]
        by_id = txkg(store_uri, "show", f"DRUGBANK:DB09{i:03d}", "--format", "json")
        assert by_id["node"]["name"] == name
    # The confusable is not Belatacept, nor Belatacept it.
    real = txkg(store_uri, "show", "Belatacept", "--format", "json")
    assert real["node"]["id"] == "DRUGBANK:DB06681"
    # The examples are all still there, and the hostile source is removable by its name.
    assert txkg(store_uri, "show", "CD86", "--format", "json")["node"]["name"] == "CD86"


def test_hostile_ids_source_names_and_ledger_records_round_trip(store_uri: str) -> None:
    source = "kg`}) MATCH (n) DETACH DELETE n //'; DROP TABLE sources; --"
    nodes = tuple(Drug(id=node_id, name=f"name of {node_id}") for node_id in HOSTILE_IDS)
    gene = Gene(id="NCBIGene:990999", name="CD`}'\"")
    edges = tuple(Edge(source=n.id, target=gene.id, type=EdgeType.TARGETS,
                       provenance=(Provenance(source=source, line=i + 1),),
                       properties={"note": HOSTILE[i % len(HOSTILE)]})
                  for i, n in enumerate(nodes))
    rejection = Rejection(source=source, path="`x`.csv", line=3, record=HOSTILE[2],
                          reason=HOSTILE[5])
    batch = SourceBatch(source=SourceInfo(name=source, kind="test", version="1'}"),
                        nodes=(*nodes, gene), edges=edges, rejections=(rejection,))
    store = open_store(store_uri)
    try:
        result = store.load(batch)
        assert (result.nodes, result.edges) == (len(nodes) + 1, len(edges))
        for i, node in enumerate(nodes):
            found = store.node(node.id)
            assert found is not None and (found.id, found.name) == (node.id, node.name)
            assert [n.id for n in store.find(node.id)] == [node.id]
            (edge,) = [nb.edge for nb in store.neighbours(node.id)]
            assert edge.properties["note"] == HOSTILE[i % len(HOSTILE)]
            assert [p.source for p in edge.provenance] == [source]
        assert store.node("txkg:drug/Belatacept") is None
        assert [s.name for s in store.sources()] == [source]
        (entry,) = store.ledger(source=source)
        assert (entry.record, entry.reason, entry.path) == (HOSTILE[2], HOSTILE[5], "`x`.csv")
        assert store.remove_source(source).nodes_removed == len(nodes) + 1
        assert store.counts().total_nodes == 0 and store.counts().total_edges == 0
        assert store.sources() == []
    finally:
        store.close()


@pytest.fixture
def neo4j_uri(neo4j_store: Any, neo4j_server: tuple[str, str, str],
              monkeypatch: pytest.MonkeyPatch) -> str:
    uri, user, password = neo4j_server
    monkeypatch.setenv("NEO4J_USER", user)
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    return uri


def test_query_parameters_are_only_ever_values(neo4j_uri: str, tmp_path: Path) -> None:
    store_uri = neo4j_uri
    txkg(store_uri, "load", "primekg", str(hostile_primekg(tmp_path / "kg.csv")),
         "--name", "hostile")
    total = txkg(store_uri, "stats", "--format", "json")["counts"]
    for i, name in enumerate(HOSTILE):
        rows = txkg(store_uri, "query", "--cypher",
                    "MATCH (d:Drug) WHERE d.name = $name RETURN d.id AS id",
                    "--param", f"name={name}", "--format", "json")
        assert rows == [{"id": f"DRUGBANK:DB09{i:03d}"}]
        rows = txkg(store_uri, "query", "drug_targets", "--param", f"drug={name}",
                    "--format", "json")
        assert [r["gene"] for r in rows] == [f"gene {name}"]
    for injection in ("x' OR 1=1 //", "x\"}) RETURN 1 //", "*", ".*", "%"):
        rows = txkg(store_uri, "query", "--cypher",
                    "MATCH (d:Drug) WHERE d.name = $name RETURN d.id AS id",
                    "--param", f"name={injection}", "--format", "json")
        assert rows == []
    assert txkg(store_uri, "stats", "--format", "json")["counts"] == total


REFUSED_WRITES = [
    "CREATE (n:Scratch) RETURN n",
    "MATCH (n) DETACH DELETE n",
    "CALL apoc.create.node(['Scratch'], {a: 1}) YIELD node RETURN node",
    "CALL apoc.cypher.runWrite('CREATE (n:Scratch) RETURN n', {}) YIELD value RETURN value",
    "CALL apoc.cypher.run('MATCH (n) DETACH DELETE n RETURN 1', {}) YIELD value RETURN value",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {}) "
    "YIELD committedOperations RETURN committedOperations",
    "CALL db.createLabel('Scratch')",
    "CREATE INDEX scratch IF NOT EXISTS FOR (n:Scratch) ON (n.x)",
]
REFUSED_ELSEWHERE = [
    "USE system CALL dbms.components() YIELD name RETURN name",
    "SHOW USERS",
    "ALTER CURRENT USER SET PASSWORD FROM 'x' TO 'y-y-y-y-y'",
    "CREATE USER eve SET PASSWORD 'abcdefghij'",
]


def test_ad_hoc_cypher_cannot_write_read_files_or_leave_its_database(
        neo4j_uri: str, tmp_path: Path) -> None:
    txkg(neo4j_uri, "load", "primekg", str(EXAMPLES / "mechanisms.csv"))
    total = txkg(neo4j_uri, "stats", "--format", "json")["counts"]

    def refused(cypher: str, why: str, *extra: str) -> None:
        out = txkg(neo4j_uri, "query", *extra, "--cypher", cypher, code=1)
        assert out.count("\n") == 1 and why in out, out

    for cypher in REFUSED_WRITES:
        refused(cypher, "it writes, and queries are read-only unless you ask to write")
    for cypher in REFUSED_ELSEWHERE:
        refused(cypher, "it uses database 'system', not 'neo4j'")

    outside = tmp_path / "outside.csv"
    outside.write_text("secret,row\n")
    for url in (outside.as_uri(), "file:///etc/passwd", "file:///../../../etc/passwd",
                "http://127.0.0.1:1/x.csv"):
        refused(f"LOAD CSV FROM '{url}' AS row RETURN row", "it runs LOAD CSV")
        # Even when asked to write, the server reads files from its import folder alone.
        if url.startswith("file:"):
            refused(f"LOAD CSV FROM '{url}' AS row RETURN row", "Couldn't load", "--write")
            refused(f"CALL apoc.cypher.run(\"LOAD CSV FROM '{url}' AS row RETURN row\", {{}}) "
                    "YIELD value RETURN value", "NoSuchFileException", "--write")
            refused(f"CALL apoc.load.json('{url}') YIELD value RETURN value",
                    "Import from files not enabled")
    # Nor, even when asked to write, from this machine's or private networks' addresses.
    from neo4j_server import http_url

    own = f"{http_url()}/"
    refused(f"LOAD CSV FROM '{own}' AS row RETURN row", "is blocked", "--write")
    for cypher in (f"CALL apoc.cypher.run(\"LOAD CSV FROM '{own}' AS row RETURN row\", {{}}) "
                   "YIELD value RETURN value",
                   f"CALL apoc.load.json('{own}') YIELD value RETURN value"):
        refused(cypher, "is blocked")
    assert txkg(neo4j_uri, "stats", "--format", "json")["counts"] == total
    # A file in the server's import folder is what LOAD CSV may read, with --write.
    if not os.environ.get("TXKG_TEST_NEO4J_URI"):
        from neo4j_server import _script_env

        folder = Path(_script_env()[0]["TXKG_NEO4J_INSTANCE_DIR"]) / "import"
        (folder / "txkg-test.csv").write_text("inside,row\n")
        rows = txkg(neo4j_uri, "query", "--write", "--cypher",
                    "LOAD CSV FROM 'file:///txkg-test.csv' AS row RETURN row", "--format",
                    "json")
        assert rows == [{"row": ["inside", "row"]}]
    # With --write, writing is what it does.
    txkg(neo4j_uri, "query", "--write", "--cypher", "CREATE (n:Scratch {x: 1})")
    rows = txkg(neo4j_uri, "query", "--cypher", "MATCH (n:Scratch) RETURN n.x AS x",
                "--format", "json")
    assert rows == [{"x": 1}]
