"""The fast load path behaves as the slow one did: bulk lookups agree with one-by-one ones."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import ids
from graph.api import KnowledgeGraph
from graph.model import (
    Disease,
    Drug,
    Edge,
    EdgeType,
    Gene,
    Node,
    Prediction,
    Provenance,
    SourceBatch,
    SourceInfo,
)
from graph.store.base import GraphStore
from graph.store.sqlite import SqliteStore

STORED: list[Node] = [
    Disease(id="MONDO:0008383", name="rheumatoid arthritis", synonyms=("RA",)),
    Disease(id="MONDO:0009693", name="plasma cell myeloma"),
    Disease(id="MONDO:0000001", name="twin disease"),
    Disease(id="MONDO:0000002", name="Twin Disease"),
    Drug(id="DRUGBANK:DB06681", name="Belatacept", synonyms=("Nulojix",)),
    Gene(id="NCBIGene:941", name="CD80", symbol="CD80"),
]


def _batch(name: str, nodes: list[Node], edges: list[tuple[str, str, str]] | None = None,
           kind: str = "test") -> SourceBatch:
    return SourceBatch(
        source=SourceInfo(name=name, kind=kind, version="1"), nodes=tuple(nodes),
        edges=tuple(Edge(source=s, type=EdgeType(t), target=o,
                         provenance=(Provenance(source=name, line=1),)) for s, t, o in edges or ()))


@pytest.fixture
def kg(tmp_path: Path) -> Iterator[KnowledgeGraph]:
    graph = KnowledgeGraph(SqliteStore(tmp_path / "kg.db"))
    graph.load(_batch("vocabulary", STORED))
    yield graph
    graph.close()


@pytest.mark.parametrize("kind", [None, "Disease", "Drug", "Gene", "Prediction"])
def test_find_many_with_a_kind_agrees_with_find(kg: KnowledgeGraph, kind: str | None) -> None:
    texts = ["RA", "twin disease", "nulojix", "DB06681", "cd80", "MONDO:0009693", "nothing"]
    fast = kg.store.find_many(texts, kind=kind)
    slow = GraphStore.find_many(kg.store, texts, kind=kind)
    assert {t: [n.id for n in hits] for t, hits in fast.items()} == \
        {t: [n.id for n in hits] for t, hits in slow.items()}
    for text in texts:
        assert [n.id for n in fast.get(text, [])] == \
            [n.id for n in kg.store.find(text, kind=kind, limit=1000)]


def test_kinds_present_agrees_with_counts(kg: KnowledgeGraph) -> None:
    asked = ["Disease", "Drug", "Gene", "Pathway", "Prediction", "NoSuchKind"]
    assert kg.store.kinds_present(asked) == GraphStore.kinds_present(kg.store, asked) == \
        {"Disease", "Drug", "Gene"}


def test_provisional_names_resolve_in_bulk_as_one_by_one(kg: KnowledgeGraph) -> None:
    drug = Drug(id=ids.provisional_id("Drug", "Nulojix"), name="Nulojix")
    ra = Disease(id=ids.provisional_id("Disease", "RA"), name="RA")
    twin = Disease(id=ids.provisional_id("Disease", "twin disease"), name="twin disease")
    unknown = Disease(id=ids.provisional_id("Disease", "no such disease"),
                      name="no such disease")
    prediction = Prediction(id=ids.prediction_id(drug.id, ra.id), name="Nulojix → RA",
                            drug_id=drug.id, disease_id=ra.id)
    batch = _batch("page.md", [drug, ra, twin, unknown, prediction],
                   [(prediction.id, "OF_DRUG", drug.id), (prediction.id, "FOR_DISEASE", ra.id)],
                   kind="report")
    resolved = kg.resolve_batch(batch)
    # A resolved node shows the stored node's name and keeps its own as a synonym.
    by_name = {name: n.id for n in resolved.nodes if not isinstance(n, Prediction)
               for name in (n.name, *n.synonyms)}
    assert by_name["Nulojix"] == "DRUGBANK:DB06681"  # by synonym
    assert [n.name for n in resolved.nodes if n.id == "DRUGBANK:DB06681"] == [
        kg.node("DRUGBANK:DB06681").name]
    assert by_name["RA"] == "MONDO:0008383"
    assert ids.is_provisional(by_name["twin disease"])  # two stored diseases share the name
    assert ids.is_provisional(by_name["no such disease"])
    [linked] = [n for n in resolved.nodes if isinstance(n, Prediction)]
    assert (linked.drug_id, linked.disease_id) == ("DRUGBANK:DB06681", "MONDO:0008383")
    assert {(e.source, e.target) for e in resolved.edges} == {
        (linked.id, "DRUGBANK:DB06681"), (linked.id, "MONDO:0008383")}
    assert sorted(r.reason.split(":")[0] for r in resolved.rejections) == [
        "unresolved Disease name 'no such disease'", "unresolved Disease name 'twin disease'"]


def test_a_later_node_of_an_unresolved_id_is_still_tried(kg: KnowledgeGraph) -> None:
    provisional = ids.provisional_id("Disease", "myeloma")
    first = Disease(id=provisional, name="myeloma")
    second = Disease(id=provisional, name="myeloma", synonyms=("plasma cell myeloma",))
    resolved = kg.resolve_batch(_batch("page.md", [first, second], kind="report"))
    assert [n.id for n in resolved.nodes] == ["MONDO:0009693"]
    assert [r.reason for r in resolved.rejections] == [
        f"unresolved Disease name 'myeloma': kept as {provisional}"]


def test_a_batch_with_nothing_to_resolve_is_returned_as_is(kg: KnowledgeGraph) -> None:
    batch = _batch("more.md", [Disease(id="MONDO:0000003", name="third disease")])
    assert kg.resolve_batch(batch) is batch


def test_new_and_merged_nodes_read_back_as_loaded(kg: KnowledgeGraph) -> None:
    new = Disease(id="MONDO:0000004", name="Δ disease “quoted”", synonyms=("x",),
                  xrefs=("DOID:4",))
    longer = Disease(id="MONDO:0009693", name="plasma cell myeloma", synonyms=("myeloma",))
    kg.load(_batch("more", [new, longer], [("MONDO:0000004", "ASSOCIATED_WITH",
                                            "MONDO:0009693")]))
    assert kg.store.node("MONDO:0000004") == new
    assert kg.store.node("MONDO:0009693") == longer
    assert [n.id for n in kg.store.find("doid:4")] == ["MONDO:0000004"]
    [edge] = kg.store.source_batch("more").edges
    assert edge.provenance == (Provenance(source="more", line=1),) and edge.properties == {}
