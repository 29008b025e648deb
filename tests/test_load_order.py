"""One entity, one node, whatever the load order: a property over orders of real sources.

Hypothesis draws orders of a handful of sources (the bundled examples; with
../shared/data, real report pages and a slice of the TxGNN folder that names the
same drugs and diseases), loads them into an empty store, and compares a canonical
dump of the graph (every node with its id, kind and merged fields; every edge with
each source's provenance; the ledger; the sources) with the dump of one fixed order.
It also draws removals (and loads again after them): the dump is then the one of a
clean load of the sources left. It runs on SQLite and on Neo4j.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.api import KnowledgeGraph
from graph.ids import name_key
from graph.model import Edge
from graph.store.base import GraphStore
from graph.store.sqlite import SqliteStore
from graph.stream import Source, Statement
from loaders.drugmechdb import read_drugmechdb
from loaders.hetionet import read_hetionet
from loaders.primekg import read_primekg
from loaders.reports import read_report
from loaders.txgnn import read_txgnn
from tests.conftest import EXAMPLES, SHARED_DATA

#: Real report pages (EuTxGNN) whose drug and diseases the TxGNN slice below names.
REAL_PAGES = ("abacavir.md", "amlodipine.md", "dapagliflozin.md")
#: Hetionet subgraphs: genes and diseases by name only; DOID diseases, NCBI genes, DrugBank.
HETNETS = ("disease-gene-example-graph.json", "random-subgraph.json.xz")
SLICE_DRUGS = {"DB06681", "DB01281", "DB01048", "DB00381", "DB06292"}


def canonical_dump(store: GraphStore) -> dict[str, Any]:
    """The graph as plain sorted data: equal dumps, equal graphs."""
    nodes: dict[str, Any] = {}
    edges: dict[str, Any] = {}
    for chunk in store.stored():
        for item in chunk:
            if isinstance(item.key, str):
                node = store.node(item.key)
                assert node is not None
                nodes[item.key] = {"view": _sorted(node.model_dump(mode="json")),
                                   "sources": sorted(item.said)}
            else:
                edges["|".join(item.key)] = {
                    source: _statement(said) for source, said in sorted(item.said.items())
                    if isinstance(said, Edge | Statement)}
    ledger = sorted(json.dumps(r.model_dump(mode="json"), sort_keys=True)
                    for r in store.ledger())
    sources = sorted((s.name, s.kind, s.version, s.path) for s in store.sources())
    return {"nodes": dict(sorted(nodes.items())), "edges": dict(sorted(edges.items())),
            "ledger": ledger, "sources": sources}


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return sorted((_sorted(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def _statement(said: Edge | Statement) -> Any:
    if isinstance(said, Statement):
        return {"line": said.line, "pmids": sorted(said.pmids),
                "properties": _sorted(dict(said.properties or {}))}
    provenance = [p.model_dump(mode="json", exclude={"source", "version"})
                  for p in said.provenance]
    if len(provenance) == 1 and not provenance[0]["nct_ids"] and provenance[0]["note"] is None:
        return {"line": provenance[0]["line"], "pmids": sorted(provenance[0]["pmids"]),
                "properties": _sorted(said.properties)}
    return {"provenance": _sorted(provenance), "properties": _sorted(said.properties)}


def _txgnn_slice(folder: Path) -> Path:
    """A small TxGNN folder: the vocabulary rows, cross-references and candidates of the
    drugs above and of the diseases their pages and the examples name."""
    source = SHARED_DATA / "txgnn"
    folder.mkdir(parents=True, exist_ok=True)
    pages = [read_report(SHARED_DATA / "reports" / "eu" / p) for p in REAL_PAGES]
    pages += [read_report(p) for p in sorted((EXAMPLES / "reports").glob("*.txt"))]
    diseases = {name_key(n.name) for b in pages for n in b.nodes if n.label == "Disease"}

    def copy(name: str, keep: Callable[[dict[str, str]], bool]) -> list[dict[str, str]]:
        with (source / name).open(encoding="utf-8", newline="") as file:
            reader = csv.DictReader(file)
            kept = [row for row in reader if keep(row)]
            fields = reader.fieldnames or []
        with (folder / name).open("w", encoding="utf-8", newline="") as file:
            writer = csv.DictWriter(file, fields)
            writer.writeheader()
            writer.writerows(kept)
        return kept

    copy("drugbank_vocab.csv", lambda r: r["drugbank_id"] in SLICE_DRUGS)
    kept = copy("disease_vocab.csv", lambda r: name_key(r["disease_name"]) in diseases)
    mondo = {m.zfill(7) for r in kept for m in r["disease_id"].split("_")}
    copy("mondo_references.csv", lambda r: r["mondo_id"].zfill(7) in mondo
         and r["ontology"] in {"MESH", "DOID", "UMLS"})
    names = {name_key(r["disease_name"]) for r in kept}
    copy("repurposing_candidates_merged.csv",
         lambda r: r["drugbank_id"] in SLICE_DRUGS and name_key(r["potential_indication"])
         in names)
    return folder


def source_readers(tmp: Path) -> dict[str, Callable[[], Sequence[Source]]]:
    """Each element of an order: a name and a function reading its sources afresh."""
    readers: dict[str, Callable[[], Sequence[Source]]] = {
        "primekg example": lambda: read_primekg(EXAMPLES / "mechanisms.csv").sources,
    }
    for page in sorted((EXAMPLES / "reports").glob("*.txt")):
        readers[f"report {page.stem}"] = lambda page=page: (read_report(page),)
    if SHARED_DATA.joinpath("txgnn").is_dir() and SHARED_DATA.joinpath("reports").is_dir():
        folder = _txgnn_slice(tmp / "txgnn")
        readers["txgnn slice"] = lambda: read_txgnn(folder).sources
        for name in REAL_PAGES:
            path = SHARED_DATA / "reports" / "eu" / name
            readers[f"report {name}"] = lambda path=path: (read_report(path),)
    if SHARED_DATA.joinpath("drugmechdb").is_dir():
        paths = sorted(SHARED_DATA.joinpath("drugmechdb", "paths").glob("DB01281_*.yaml"))
        readers["drugmechdb abatacept"] = lambda: read_drugmechdb(paths).sources
    if SHARED_DATA.joinpath("hetionet").is_dir():
        for name in HETNETS:
            path = SHARED_DATA / "hetionet" / name
            readers[f"hetionet {name}"] = lambda path=path: read_hetionet(path).sources
    return readers


def load_in_order(kg: KnowledgeGraph, readers: dict[str, Callable[[], Sequence[Source]]],
                  order: Sequence[str]) -> None:
    for name in order:
        kg.load_all(readers[name]())


@pytest.fixture(scope="module")
def readers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Callable[[], Sequence[Source]]]:
    return source_readers(tmp_path_factory.mktemp("sources"))


@pytest.fixture(scope="module")
def reference(readers: dict[str, Callable[[], Sequence[Source]]],
              tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The dump of one fixed order (names sorted), on a SQLite file."""
    with KnowledgeGraph(SqliteStore(tmp_path_factory.mktemp("ref") / "kg.db")) as kg:
        load_in_order(kg, readers, sorted(readers))
        return canonical_dump(kg.store)


@pytest.fixture
def fresh(store: GraphStore, tmp_path: Path) -> Iterator[Callable[[], KnowledgeGraph]]:
    """A function giving an empty store of the parametrised kind, each call."""
    opened: list[GraphStore] = []

    def make() -> KnowledgeGraph:
        if isinstance(store, SqliteStore):
            new = SqliteStore(tmp_path / f"kg{len(opened)}.db")
            opened.append(new)
            return KnowledgeGraph(new)
        store.clear()  # type: ignore[attr-defined]
        return KnowledgeGraph(store)

    yield make
    for each in opened:
        each.close()


#: Orders drawn per store: a Neo4j load costs a few times a SQLite one.
ORDERS = {"sqlite": 20, "neo4j": 5}
#: Orders with removals drawn per store.
REMOVALS = {"sqlite": 25, "neo4j": 4}


@pytest.fixture(scope="module")
def clean_dumps(readers: dict[str, Callable[[], Sequence[Source]]],
                tmp_path_factory: pytest.TempPathFactory,
                ) -> Callable[[frozenset[str]], dict[str, Any]]:
    """The dump of a clean load (names sorted, on SQLite) of a set of elements, each set once."""
    made: dict[frozenset[str], dict[str, Any]] = {}

    def dump(names: frozenset[str]) -> dict[str, Any]:
        if names not in made:
            path = tmp_path_factory.mktemp("clean") / "kg.db"
            with KnowledgeGraph(SqliteStore(path)) as kg:
                load_in_order(kg, readers, sorted(names))
                made[names] = canonical_dump(kg.store)
        return made[names]

    return dump


def test_the_reference_graph_has_one_node_per_entity(
        reference: dict[str, Any], readers: dict[str, Callable[[], Sequence[Source]]]) -> None:
    nodes = reference["nodes"]
    assert "DRUGBANK:DB06681" in nodes and "MONDO:0009693" in nodes
    assert not [n for n in nodes if n.startswith(("txkg:drug/belatacept",
                                                  "txkg:disease/plasma-cell-myeloma"))]
    prediction = "txkg:prediction/TxGNN/DRUGBANK:DB06681/MONDO:0009693"
    assert prediction in nodes
    assert any("belatacept-plasma-cell-myeloma" in s for s in nodes[prediction]["sources"])
    if "txgnn slice" in readers:  # the real data is here
        assert len(nodes[prediction]["sources"]) == 2  # the report and the TxGNN candidates
        assert "UniProtKB:P33681" in nodes["NCBIGene:941"]["view"]["xrefs"]  # DrugMechDB's


@pytest.mark.parametrize("store", ["sqlite", "neo4j"], indirect=True)
def test_every_order_gives_the_same_graph(
        request: pytest.FixtureRequest, readers: dict[str, Callable[[], Sequence[Source]]],
        reference: dict[str, Any], fresh: Callable[[], KnowledgeGraph]) -> None:
    kind = request.node.callspec.params["store"]

    @settings(max_examples=ORDERS[kind], deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def every_order(data: st.DataObject) -> None:
        order = data.draw(st.permutations(sorted(readers)), label="order")
        again = data.draw(st.lists(st.sampled_from(sorted(readers)), max_size=2),
                          label="reloaded")
        kg = fresh()
        load_in_order(kg, readers, order)
        load_in_order(kg, readers, again)  # reloading the same files changes nothing
        assert canonical_dump(kg.store) == reference

    every_order()


@pytest.mark.parametrize("store", ["sqlite", "neo4j"], indirect=True)
def test_removing_sources_gives_the_graph_of_those_left(
        request: pytest.FixtureRequest, readers: dict[str, Callable[[], Sequence[Source]]],
        clean_dumps: Callable[[frozenset[str]], dict[str, Any]],
        fresh: Callable[[], KnowledgeGraph]) -> None:
    kind = request.node.callspec.params["store"]
    names = sorted(readers)
    sources = {name: [s.source.name for s in readers[name]()] for name in names}

    @settings(max_examples=REMOVALS[kind], deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def removals(data: st.DataObject) -> None:
        order = data.draw(st.permutations(names), label="order")
        removed = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3,
                                     unique=True), label="removed")
        back = data.draw(st.lists(st.sampled_from(removed), max_size=2, unique=True),
                         label="loaded again")
        kg = fresh()
        load_in_order(kg, readers, order)
        for name in removed:
            for source in sources[name]:
                kg.remove(source)
        load_in_order(kg, readers, back)
        assert canonical_dump(kg.store) == clean_dumps(frozenset(names) - {*removed} | {*back})

    removals()


def test_removing_primekg_gives_back_the_reports_provisional_nodes(
        fresh: Callable[[], KnowledgeGraph], readers: dict[str, Any],
        clean_dumps: Callable[[frozenset[str]], dict[str, Any]]) -> None:
    report = "report belatacept-plasma-cell-myeloma"
    kg = fresh()
    load_in_order(kg, readers, [report, "primekg example"])
    assert kg.store.node("txkg:drug/belatacept") is None
    [primekg] = [s.name for s in kg.store.sources() if s.kind == "primekg"]
    removed = kg.remove(primekg)
    assert removed.source.name == primekg and removed.nodes_removed
    assert kg.store.node("txkg:drug/belatacept") is not None
    assert [r for r in kg.store.ledger() if "Belatacept" in r.record]  # unresolved again
    assert canonical_dump(kg.store) == clean_dumps(frozenset({report}))


def test_reports_then_primekg_predicts_for_belatacept(fresh: Callable[[], KnowledgeGraph],
                                                      readers: dict[str, Any]) -> None:
    kg = fresh()
    load_in_order(kg, readers, ["report belatacept-plasma-cell-myeloma", "primekg example"])
    [view] = kg.predictions("belatacept")
    assert view.disease.id == "MONDO:0009693"
    assert view.prediction.drug_id == "DRUGBANK:DB06681"
    assert not [r for r in kg.store.ledger() if "Belatacept" in r.record]
    assert kg.store.node("txkg:drug/belatacept") is None
