"""DrugMechDB's curated paths: every file loads, ids normalise, known errors reach the ledger."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import shared_data

from graph.drugmechdb_vocabulary import PREDICATES, raw_curie
from graph.errors import InvalidId, ParseError
from graph.explain.polarity import PREDICATE_READINGS
from graph.model import EdgeType
from graph.store.sqlite import SqliteStore
from loaders.drugmechdb import DrugMechDBLoad, read_drugmechdb


@pytest.fixture(scope="module")
def corpus() -> DrugMechDBLoad:
    return read_drugmechdb(shared_data("drugmechdb", "paths"))


def _reasons(load: DrugMechDBLoad, start: str) -> list[tuple[str, str]]:
    return [(Path(r.path).name if r.path else "", r.reason) for r in load.batch.rejections
            if r.reason.startswith(start)]


@pytest.mark.parametrize(("raw", "curie"), [
    ("UniProt:P33681", "UniProtKB:P33681"),
    ("DB:DB01281", "DRUGBANK:DB01281"),
    ("DB:DBMET01698", "DRUGBANK:DBMET01698"),
    ("taxonomy:1280", "NCBITaxon:1280"),
    ("reactome:R-HSA-2162123", "REACT:R-HSA-2162123"),
    ("MESH:D001172", "MESH:D001172"),
    ("GO:0032743", "GO:0032743"),
    ("CL:0000236", "CL:0000236"),
    ("UBERON:0002107", "UBERON:0002107"),
    ("InterPro:IPR001128\ufeff", "InterPro:IPR001128"),
    ("HP:0002829", "HP:0002829"),
    ("CHEBI:15377", "CHEBI:15377"),
    ("PR:000050567", "PR:000050567"),
    ("Pfam:PF00905", "PFAM:PF00905"),
    ("TIGR:02074", "TIGRFAM:TIGR02074"),
])
def test_prefixes_normalise(raw: str, curie: str) -> None:
    assert raw_curie(raw) == curie


@pytest.mark.parametrize("raw", ["UniProt:P4984", "DB:DB010473", "InterPro:SSF50353",
                                 "MESH:C040934,MESH:D017291", "nonsense"])
def test_malformed_ids_raise(raw: str) -> None:
    with pytest.raises(InvalidId):
        raw_curie(raw)


def test_every_predicate_has_a_type_and_a_polarity_reading() -> None:
    assert len(PREDICATES) == 67
    assert set(PREDICATES) <= set(PREDICATE_READINGS)


def test_all_2501_files_load(corpus: DrugMechDBLoad) -> None:
    index = list(csv.DictReader(shared_data("drugmechdb", "index.csv").open()))
    assert corpus.files == len(index) == 2501
    assert len(corpus.paths) == 2501
    assert {p.path_id for p in corpus.paths} == {row["path_id"] for row in index}
    assert not _reasons(corpus, "unknown predicate")
    assert not _reasons(corpus, "unknown node label")
    assert len({n.id for n in corpus.batch.nodes}) == len(corpus.batch.nodes)
    node_ids = {n.id for n in corpus.batch.nodes}
    assert all(e.source in node_ids and e.target in node_ids for e in corpus.batch.edges)


def test_each_path_names_its_drug_and_disease(corpus: DrugMechDBLoad) -> None:
    index = {r["path_id"]: r for r in csv.DictReader(shared_data("drugmechdb", "index.csv").open())}
    for path in corpus.paths:
        row = index[path.path_id]
        assert path.disease_id == row["disease_mesh"]
        if row["drugbank"] and row["drugbank"] != "DB:DB010473":
            assert path.drug_id == row["drugbank"].replace("DB:", "DRUGBANK:")
        kinds = {n.id: n.kind for n in path.nodes}
        assert kinds[path.drug_id] == "Drug" and kinds[path.disease_id] == "Disease"


def test_drug_is_keyed_by_drugbank_with_mesh_as_xref(corpus: DrugMechDBLoad) -> None:
    nodes = {n.id: n for n in corpus.batch.nodes}
    abatacept = nodes["DRUGBANK:DB01281"]
    assert abatacept.label == "Drug" and "MESH:D000069594" in abatacept.xrefs
    assert "MESH:D000069594" not in nodes
    # The malformed header id DB010473 is fluocinonide's DB01047 (same MeSH id).
    assert "MESH:D005447" in nodes["DRUGBANK:DB01047"].xrefs
    (path,) = [p for p in corpus.paths if p.path_id == "DB01281_MESH_D001172_1"]
    assert path.targets == ("UniProtKB:P33681", "UniProtKB:P42081")
    assert path.kind_of("UniProtKB:P10747") == "Gene"


def test_disease_nodes_labelled_drug_load_as_diseases_and_are_ledgered(
        corpus: DrugMechDBLoad) -> None:
    nodes = {n.id: n for n in corpus.batch.nodes}
    assert nodes["MESH:D001172"].label == "Disease"
    noted = _reasons(corpus, "disease node labelled Drug")
    assert ("DB01281_MESH_D001172_1.yaml",
            "disease node labelled Drug: MESH:D001172 labelled Drug ('Rheumatoid arthritis') "
            "loaded as Disease (its path's header names it the disease)") in noted
    assert {f for f, _ in noted} >= {"DB01281_MESH_D001171_1.yaml", "DB00645_MESH_D011537_1.yaml"}


def test_known_errors_are_in_the_ledger(corpus: DrugMechDBLoad) -> None:
    reused = _reasons(corpus, "MeSH id reused")
    assert len(reused) == 1 and "MESH:C107057" in reused[0][1]
    nodes = {n.id: n for n in corpus.batch.nodes}
    assert "MESH:C107057" not in nodes["DRUGBANK:DB01201"].xrefs
    assert "MESH:C107057" not in nodes["DRUGBANK:DB12829"].xrefs
    assert _reasons(corpus, "no drugbank id") == [
        ("MESH_C106301_MESH_D003233_1.yaml",
         "no drugbank id in the header: the drug is keyed by its MeSH id")]
    assert {f for f, _ in _reasons(corpus, "malformed header drugbank")} == {
        "DB010473_MESH_D003876_1.yaml", "DB010473_MESH_D009450_1.yaml",
        "DB010473_MESH_D012628_1.yaml"}
    several = _reasons(corpus, "several ")
    assert len({f for f, _ in several}) >= 100  # README: 101 paths with >1 Drug or Disease
    assert _reasons(corpus, "malformed node id")


def test_evaluation_mode_gives_dataset_level_provenance_only() -> None:
    folder = shared_data("drugmechdb", "paths")
    files = sorted(folder.glob("DB01281_*.yaml"))
    kept = read_drugmechdb(files).batch
    hidden = read_drugmechdb(files, keep_path_ids=False).batch
    edge = next(e for e in kept.edges if e.type is EdgeType.ACTIVATES)
    assert edge.properties["paths"] == "DB01281_MESH_D001171_1;DB01281_MESH_D001172_1"
    assert edge.properties["predicate"] == "increases activity of"
    for e in hidden.edges:
        assert set(e.properties) == {"predicate"}
        assert [(p.source, p.pmids) for p in e.provenance] == [("DrugMechDB", ())]
    assert kept.source.version == hidden.source.version


def test_loads_into_sqlite_and_reloads_unchanged(corpus: DrugMechDBLoad, tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "kg.db")
    first = store.load(corpus.batch)
    assert (first.nodes, first.edges) == (len(corpus.batch.nodes), len(corpus.batch.edges))
    assert store.load(corpus.batch).unchanged
    assert len(store.ledger(source="DrugMechDB")) == len(corpus.batch.rejections)
    store.close()


def _path_file(folder: Path, name: str, data: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data))
    return path


def _tiny(path_id: str, drugbank: str, drug_mesh: str, disease: str,
          nodes: list[tuple[str, str, str]], links: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {"directed": True, "multigraph": True,
            "graph": {"_id": path_id, "drugbank": drugbank, "drug_mesh": drug_mesh,
                      "disease_mesh": disease, "drug": "d", "disease": "x"},
            "nodes": [{"id": i, "label": lab, "name": n} for i, lab, n in nodes],
            "links": [{"source": s, "target": t, "key": k} for s, k, t in links],
            "references": ["https://pubmed.ncbi.nlm.nih.gov/31129111/"]}


def test_a_small_folder_in_detail(tmp_path: Path) -> None:
    _path_file(tmp_path, "a.yaml", _tiny(
        "DB00001_MESH_D1_1", "DB:DB00001", "MESH:C000001", "MESH:D000001",
        [("MESH:C000001", "Drug", "Alpha"), ("UniProt:P12345", "Protein", "Thing receptor"),
         ("MESH:D000001", "Drug", "Some disease")],
        [("MESH:C000001", "decreases activity of", "UniProt:P12345"),
         ("UniProt:P12345", "caused by", "MESH:D000001")]))
    _path_file(tmp_path, "b.yaml", _tiny(
        "DB00002_MESH_D2_1", "DB:DB00002", "MESH:C000002", "MESH:D000002",
        [("MESH:C000002", "Drug", "Beta"), ("MESH:C000001", "ChemicalSubstance", "alpha"),
         ("MESH:D000002", "Disease", "Other disease")],
        [("MESH:C000002", "has metabolite", "MESH:C000001"),
         ("MESH:C000001", "treats", "MESH:D000002"),
         ("MESH:C000001", "teleports", "MESH:D000002")]))
    load = read_drugmechdb(tmp_path)
    nodes = {n.id: n for n in load.batch.nodes}
    assert set(nodes) == {"DRUGBANK:DB00001", "DRUGBANK:DB00002", "UniProtKB:P12345",
                          "MESH:D000001", "MESH:D000002"}
    assert nodes["DRUGBANK:DB00001"].synonyms == ("alpha",)  # the metabolite is the drug
    assert nodes["MESH:D000001"].label == "Disease"
    edges = {(e.source, e.type.value, e.target): e for e in load.batch.edges}
    caused = edges[("UniProtKB:P12345", "AFFECTED_BY", "MESH:D000001")]  # never flipped
    assert caused.properties["predicate"] == "caused by"
    assert caused.pmids == ("PMID:31129111",)
    assert ("DRUGBANK:DB00002", "PRODUCES", "DRUGBANK:DB00001") in edges
    reasons = Counter(r.reason.split(":")[0] for r in load.batch.rejections)
    assert reasons == {"disease node labelled Drug": 1, "unknown predicate 'teleports'": 1,
                       "several Drug nodes in one path": 1}  # b.yaml: Beta and alpha


def test_structural_breakage_raises_with_the_file(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("graph: {_id: x\nnodes: [")
    with pytest.raises(ParseError, match=r"broken\.yaml"):
        read_drugmechdb(tmp_path / "broken.yaml")
    (tmp_path / "broken.yaml").write_text("graph: {}\nnodes: 3\nlinks: []\n")
    with pytest.raises(ParseError, match="'nodes' must be a list"):
        read_drugmechdb(tmp_path / "broken.yaml")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ParseError, match="no DrugMechDB path files"):
        read_drugmechdb(empty)


