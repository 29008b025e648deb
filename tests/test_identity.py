"""One entity, one node: batches re-keyed onto stored nodes by xref, name and gene symbol."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLES, shared_data

from graph.api import KnowledgeGraph
from graph.identity import symbol_candidates
from graph.model import (
    Disease,
    Drug,
    Edge,
    EdgeType,
    Gene,
    Node,
    Provenance,
    SourceBatch,
    SourceInfo,
)
from graph.store.base import GraphStore
from graph.store.sqlite import SqliteStore


@pytest.fixture
def kg(tmp_path: Path) -> Iterator[KnowledgeGraph]:
    graph = KnowledgeGraph(SqliteStore(tmp_path / "kg.db"))
    yield graph
    graph.close()


def _batch(name: str, nodes: list[Node], edges: list[tuple[str, str, str]] | None = None
           ) -> SourceBatch:
    return SourceBatch(
        source=SourceInfo(name=name, kind="test", version="1"), nodes=tuple(nodes),
        edges=tuple(Edge(source=s, type=EdgeType(t), target=o,
                         provenance=(Provenance(source=name),)) for s, t, o in edges or ()))


RA_MONDO = Disease(id="MONDO:0008383", name="rheumatoid arthritis",
                   xrefs=("MESH:D001172", "DOID:7148"))
CD80 = Gene(id="NCBIGene:941", name="CD80", symbol="CD80")


def test_a_mesh_disease_meets_the_mondo_disease_that_lists_it(kg: KnowledgeGraph) -> None:
    kg.load(_batch("txgnn", [RA_MONDO]))
    result = kg.load(_batch("drugmechdb", [
        Disease(id="MESH:D001172", name="Rheumatoid arthritis"),
        Gene(id="UniProtKB:P10747", name="T-cell-specific surface glycoprotein CD28")],
        [("UniProtKB:P10747", "ASSOCIATED_WITH", "MESH:D001172")]))
    assert result.rejections == ()
    assert kg.store.node("MESH:D001172") is None
    node = kg.node("MONDO:0008383")
    assert node.name == "rheumatoid arthritis"  # the name already known stays
    assert "MESH:D001172" in node.xrefs and "Rheumatoid arthritis" in node.synonyms
    (neighbour,) = kg.store.neighbours("MONDO:0008383")
    assert neighbour.node.id == "UniProtKB:P10747"


def test_a_doid_disease_meets_it_too_and_so_does_the_other_direction(
        kg: KnowledgeGraph) -> None:
    kg.load(_batch("drugmechdb", [Disease(id="MESH:D001172", name="Rheumatoid arthritis")]))
    kg.load(_batch("txgnn", [RA_MONDO]))  # lists the stored id, and MONDO is the better id
    kg.load(_batch("hetionet", [Disease(id="DOID:7148", name="rheumatoid arthritis")]))
    assert kg.store.counts().nodes == {"Disease": 1}
    assert kg.store.node("MESH:D001172") is None  # moved onto the MONDO id, loaded first or not
    node = kg.node("MONDO:0008383")
    assert {"MESH:D001172", "DOID:7148"} <= set(node.xrefs)
    assert node.name == "rheumatoid arthritis" and "Rheumatoid arthritis" in node.synonyms


def test_genes_meet_by_symbol_across_id_spaces(kg: KnowledgeGraph) -> None:
    kg.load(_batch("primekg", [CD80]))
    kg.load(_batch("drugmechdb", [
        Gene(id="UniProtKB:P33681", name="T-lymphocyte activation antigen CD80"),
        Gene(id="UniProtKB:P00533", name="Epidermal growth factor receptor")]))
    cd80 = kg.node("NCBIGene:941")
    assert cd80.name == "CD80"
    assert "UniProtKB:P33681" in cd80.xrefs
    assert "T-lymphocyte activation antigen CD80" in cd80.synonyms
    assert kg.store.node("UniProtKB:P00533") is not None  # nothing to meet: its own node


def test_drugs_meet_by_xref_and_by_name(kg: KnowledgeGraph) -> None:
    kg.load(_batch("txgnn", [Drug(id="DRUGBANK:DB01281", name="Abatacept"),
                             Drug(id="DRUGBANK:DB06681", name="Belatacept")]))
    kg.load(_batch("other", [Drug(id="MESH:D000069594", name="abatacept"),
                             Drug(id="MESH:C000000001", name="x", xrefs=("DRUGBANK:DB06681",))]))
    assert sorted(n.id for n in kg.store.find_many(["Abatacept", "Belatacept"])["Abatacept"]) \
        == ["DRUGBANK:DB01281"]
    assert kg.store.counts().nodes == {"Drug": 2}
    assert "MESH:D000069594" in kg.node("DRUGBANK:DB01281").xrefs
    assert "MESH:C000000001" in kg.node("DRUGBANK:DB06681").xrefs


def test_names_never_merge_two_ids_of_one_vocabulary(kg: KnowledgeGraph) -> None:
    kg.load(_batch("a", [Disease(id="MESH:D001249", name="Asthma")]))
    kg.load(_batch("b", [Disease(id="MESH:D000000", name="asthma")]))
    assert kg.store.counts().nodes == {"Disease": 2}


def test_ambiguous_matches_stay_apart_and_are_ledgered(kg: KnowledgeGraph) -> None:
    kg.load(_batch("mondo", [
        Disease(id="MONDO:0000001", name="one", xrefs=("MESH:D000001",)),
        Disease(id="MONDO:0000002", name="two", xrefs=("MESH:D000001",)),
        Gene(id="NCBIGene:1", name="ABC1"), Gene(id="HGNC:1", name="ABC1")]))
    result = kg.load(_batch("mesh", [Disease(id="MESH:D000001", name="three"),
                                     Gene(id="UniProtKB:P99999", name="Protein ABC1")]))
    reasons = sorted(r.reason for r in result.rejections)
    assert reasons == [
        "ambiguous identity: MESH:D000001 matches MONDO:0000001, MONDO:0000002 by "
        "cross-reference; kept as its own node",
        "ambiguous identity: UniProtKB:P99999 matches HGNC:1, NCBIGene:1 by symbol; kept as "
        "its own node"]
    assert kg.store.node("MESH:D000001") is not None
    assert len(kg.ledger(source="mesh")) == 2


def test_a_kind_clash_is_left_out_with_its_edges(kg: KnowledgeGraph) -> None:
    kg.load(_batch("a", [Disease(id="MESH:D014549", name="Urinary Incontinence")]))
    result = kg.load(_batch("b", [
        Gene(id="NCBIGene:1", name="A1BG"), Drug(id="MESH:D014549", name="not a drug")],
        [("NCBIGene:1", "ASSOCIATED_WITH", "MESH:D014549")]))
    assert [r.reason.split(":")[0] for r in result.rejections] == ["kind clash"]
    assert result.edges == 0
    assert kg.node("MESH:D014549").label == "Disease"


def test_edges_collapsing_onto_one_node_are_left_out(kg: KnowledgeGraph) -> None:
    kg.load(_batch("mondo", [RA_MONDO]))
    result = kg.load(_batch("b", [Disease(id="MESH:D001172", name="RA"),
                                  Disease(id="DOID:7148", name="RA too")],
                            [("MESH:D001172", "RESEMBLES", "DOID:7148")]))
    assert result.edges == 0
    assert [r.reason.split(" once")[0] for r in result.rejections] == [
        "both ends are MONDO:0008383"]


def test_find_many_agrees_with_the_default_built_on_find(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "kg.db")
    store.load(_batch("a", [RA_MONDO, CD80, Drug(id="DRUGBANK:DB01281", name="Abatacept")]))
    texts = ["MESH:D001172", "cd80", "941", "Abatacept", "DB01281", "nothing", "DOID:7148"]
    fast = store.find_many(texts)
    default = GraphStore.find_many(store, texts)
    assert {k: [n.id for n in v] for k, v in fast.items()} == \
        {k: [n.id for n in v] for k, v in default.items()}
    assert set(fast) == set(texts) - {"nothing"}
    assert [n.id for n in store.find_many(texts, kind="Gene")["941"]] == ["NCBIGene:941"]
    store.close()


@pytest.mark.parametrize(("name", "symbols"), [
    ("T-lymphocyte activation antigen CD80", ("CD80",)),
    ("HLA class II histocompatibility antigen, DRB1 beta chain", ("DRB1",)),
    ("P2Y purinoceptor 12", ("P2Y",)),  # a candidate only: no gene has the symbol P2Y
    ("Epidermal growth factor receptor", ()),
    ("Cytochrome P450 3A4", ("P450",)),
])
def test_symbol_candidates(name: str, symbols: tuple[str, ...]) -> None:
    assert symbol_candidates(Gene(id="UniProtKB:P33681", name=name)) == symbols


def test_belatacept_reaches_myeloma_through_abatacepts_curated_mechanism(
        kg: KnowledgeGraph) -> None:
    from loaders.drugmechdb import read_drugmechdb
    from loaders.primekg import load_primekg

    kg.load(load_primekg(EXAMPLES / "mechanisms.csv").batch)
    kg.load(read_drugmechdb(shared_data("drugmechdb", "paths")).batch)
    explained = kg.explain("Belatacept", "plasma cell myeloma").explanation
    curated = [p for p in explained.paths
               if [n.name for n in p.nodes] == ["Belatacept", "CD80", "CD28",
                                                  "plasma cell myeloma"]]
    assert curated, "no Belatacept → CD80 → CD28 → myeloma path"
    hop = curated[0].hops[1]
    assert (hop.source, hop.target) == ("NCBIGene:941", "NCBIGene:940")
    assert "DrugMechDB" in hop.sources and hop.predicate == "increases activity of"
    cd80 = kg.node("NCBIGene:941")
    assert "UniProtKB:P33681" in cd80.xrefs and cd80.name == "CD80"
    abatacept_targets = {n.node.id for n in kg.store.neighbours("DRUGBANK:DB01281")
                         if n.edge.type is EdgeType.INHIBITS}
    assert abatacept_targets == {"NCBIGene:941", "NCBIGene:942"}  # CD80, CD86: shared targets
    assert kg.node("MONDO:0008383").xrefs  # DrugMechDB's RA (MESH:D001172) met PrimeKG's
    assert "MESH:D001172" in kg.node("MONDO:0008383").xrefs


def test_a_held_node_gaining_an_xref_absorbs_the_stored_node_it_names(
        kg: KnowledgeGraph, tmp_path: Path) -> None:
    """The MONDO disease is held without xrefs when DrugMechDB's MeSH disease is stored; a
    later source gives it the MeSH xref. The graph equals the one of the other order."""
    bare = Disease(id="MONDO:0008383", name="rheumatoid arthritis")
    mesh = _batch("drugmechdb", [
        Disease(id="MESH:D001172", name="Rheumatoid arthritis (MeSH)"),
        Gene(id="UniProtKB:P10747", name="T-cell-specific surface glycoprotein CD28")],
        [("UniProtKB:P10747", "ASSOCIATED_WITH", "MESH:D001172")])
    kg.load(_batch("vocabulary", [bare]))
    kg.load(mesh)
    assert kg.store.counts().nodes["Disease"] == 2  # nothing says they are one yet
    kg.load(_batch("references", [RA_MONDO]))
    other = KnowledgeGraph(SqliteStore(tmp_path / "other.db"))
    for batch in (_batch("vocabulary", [bare]), _batch("references", [RA_MONDO]), mesh):
        other.load(batch)
    for graph in (kg, other):
        assert graph.store.counts().nodes == {"Disease": 1, "Gene": 1}
        assert graph.store.node("MESH:D001172") is None
        (neighbour,) = graph.store.neighbours("MONDO:0008383")
        assert neighbour.node.id == "UniProtKB:P10747"
    assert kg.node("MONDO:0008383") == other.node("MONDO:0008383")
    other.close()
