"""The store port's behaviour. The same tests run against every adapter.

The ``store`` fixture (tests/conftest.py) yields a fresh, empty store of each
kind: a real SQLite file, and a real Neo4j server.
"""

from __future__ import annotations

import pathlib

import pytest

from graph.api import KnowledgeGraph
from graph.errors import NotFound, StoreError
from graph.model import (
    ClinicalTrial,
    Disease,
    Drug,
    Edge,
    EdgeType,
    Gene,
    Prediction,
    Provenance,
    Publication,
    SourceBatch,
    SourceInfo,
)
from graph.store.base import GraphStore, degree_key
from graph.store.sqlite import SqliteStore

BELATACEPT = Drug(id="DRUGBANK:DB06681", name="Belatacept", synonyms=("Nulojix",))
ABATACEPT = Drug(id="DRUGBANK:DB01281", name="Abatacept")
CD80 = Gene(id="NCBIGene:941", name="CD80", symbol="CD80")
CD86 = Gene(id="NCBIGene:942", name="CD86", symbol="CD86")
CD28 = Gene(id="NCBIGene:940", name="CD28", symbol="CD28")
MYELOMA = Disease(id="MONDO:0009693", name="plasma cell myeloma", synonyms=("multiple myeloma",))


def prov(source: str, *pmids: str) -> tuple[Provenance, ...]:
    return (Provenance(source=source, version="1", pmids=pmids),)


def mechanism(version: str = "1", *, extra: bool = False) -> SourceBatch:
    edges = [
        Edge(source=BELATACEPT.id, target=CD80.id, type=EdgeType.TARGETS, provenance=prov("kg")),
        Edge(source=BELATACEPT.id, target=CD86.id, type=EdgeType.TARGETS, provenance=prov("kg")),
        Edge(source=ABATACEPT.id, target=CD86.id, type=EdgeType.TARGETS, provenance=prov("kg")),
        Edge(source=CD86.id, target=CD28.id, type=EdgeType.INTERACTS_WITH,
             provenance=prov("kg")),
        Edge(source=CD28.id, target=MYELOMA.id, type=EdgeType.ASSOCIATED_WITH,
             provenance=prov("kg", "38562904")),
    ]
    if extra:
        edges.append(Edge(source=CD80.id, target=CD28.id, type=EdgeType.INTERACTS_WITH,
                          provenance=prov("kg")))
    else:
        edges.append(Edge(source=CD86.id, target=MYELOMA.id, type=EdgeType.ASSOCIATED_WITH,
                          provenance=prov("kg", "9869202")))
    return SourceBatch(
        source=SourceInfo(name="kg", kind="primekg", version=version),
        nodes=(BELATACEPT, ABATACEPT, CD80, CD86, CD28, MYELOMA),
        edges=tuple(edges),
    )


PREDICTION_ID = "txkg:prediction/TxGNN/DRUGBANK:DB06681/MONDO:0009693"


def report(version: str = "1", score: float = 0.9703) -> SourceBatch:
    prediction = Prediction(id=PREDICTION_ID, name="Belatacept → plasma cell myeloma",
                            drug_id=BELATACEPT.id, disease_id=MYELOMA.id, score=score,
                            evidence_level="L3", decision="Hold")
    trial = ClinicalTrial(id="clinicaltrials:NCT04827979", name="NCT04827979",
                          phase="Phase 1/2", enrollment=19)
    paper = Publication(id="PMID:31129111", name="PMID 31129111", year=2019)
    source = "reports/belatacept.md"
    return SourceBatch(
        source=SourceInfo(name=source, kind="report", version=version, path=source),
        nodes=(prediction, trial, paper, Drug(id=BELATACEPT.id, name="Belatacept"),
               Disease(id=MYELOMA.id, name="Plasma Cell Myeloma")),
        edges=(
            Edge(source=PREDICTION_ID, target=BELATACEPT.id, type=EdgeType.OF_DRUG,
                 provenance=prov(source)),
            Edge(source=PREDICTION_ID, target=MYELOMA.id, type=EdgeType.FOR_DISEASE,
                 provenance=prov(source)),
            Edge(source=PREDICTION_ID, target=trial.id, type=EdgeType.SUPPORTED_BY,
                 provenance=prov(source), properties={"key_finding": "plasma cell depletion"}),
            Edge(source=PREDICTION_ID, target=paper.id, type=EdgeType.SUPPORTED_BY,
                 provenance=prov(source)),
        ),
    )


def test_load_counts_nodes_by_kind_and_edges_by_type(store: GraphStore) -> None:
    result = store.load(mechanism())
    assert (result.nodes, result.edges, result.unchanged) == (6, 6, False)
    counts = store.counts()
    assert counts.nodes == {"Disease": 1, "Drug": 2, "Gene": 3}
    assert counts.edges == {"ASSOCIATED_WITH": 2, "INTERACTS_WITH": 1, "TARGETS": 3}


def test_loading_the_same_source_twice_changes_nothing(store: GraphStore) -> None:
    store.load(mechanism())
    store.load(report())
    before = store.counts()
    assert store.load(mechanism()).unchanged
    assert store.load(report()).unchanged
    assert store.counts() == before
    edge = next(n.edge for n in store.neighbours(CD28.id, kind="Disease"))
    assert len(edge.provenance) == 1


def test_a_changed_version_replaces_what_the_source_said(store: GraphStore) -> None:
    store.load(mechanism("1"))
    result = store.load(mechanism("2", extra=True))
    assert result.edges_removed == 1
    assert not store.neighbours(CD86.id, kind="Disease")
    assert [n.node.id for n in store.neighbours(CD80.id, kind="Gene")] == [CD28.id]


def test_reloading_a_report_leaves_nothing_stale(store: GraphStore) -> None:
    store.load(mechanism())
    store.load(report())
    smaller = report("2")
    smaller = smaller.model_copy(update={
        "nodes": tuple(n for n in smaller.nodes if n.label != "Publication"),
        "edges": tuple(e for e in smaller.edges if e.target != "PMID:31129111")})
    store.load(smaller)
    assert store.node("PMID:31129111") is None
    assert [e.node.id for e in store.evidence(PREDICTION_ID)] == ["clinicaltrials:NCT04827979"]


def test_two_sources_stating_one_edge_give_one_edge_with_both_provenances(
        store: GraphStore) -> None:
    store.load(mechanism())
    other = SourceBatch(
        source=SourceInfo(name="curated", kind="drugmechdb", version="1"),
        nodes=(CD86, MYELOMA),
        edges=(Edge(source=CD86.id, target=MYELOMA.id, type=EdgeType.ASSOCIATED_WITH,
                    provenance=prov("curated", "15370258")),))
    store.load(other)
    assert store.counts().edges["ASSOCIATED_WITH"] == 2
    edge = next(n.edge for n in store.neighbours(CD86.id, kind="Disease"))
    assert {p.source for p in edge.provenance} == {"kg", "curated"}
    assert set(edge.pmids) == {"PMID:9869202", "PMID:15370258"}
    store.remove_source("curated")
    edge = next(n.edge for n in store.neighbours(CD86.id, kind="Disease"))
    assert [p.source for p in edge.provenance] == ["kg"]
    store.remove_source("kg")
    assert store.counts().total_nodes == 0


@pytest.mark.parametrize("text", ["belatacept", "Belatacept", "BELATACEPT", "DB06681",
                                  "DRUGBANK:DB06681", "drugbank:db06681", "nulojix"])
def test_find_by_id_name_or_synonym_ignoring_case(store: GraphStore, text: str) -> None:
    store.load(mechanism())
    assert [n.id for n in store.find(text)] == [BELATACEPT.id]


def test_find_filters_by_kind_and_suggests_close_names(store: GraphStore) -> None:
    store.load(mechanism())
    assert store.find("CD80", kind="Disease") == []
    assert store.similar_names("belatacep", kind="Drug")[0] == "Belatacept"


def test_neighbours_by_kind_and_direction(store: GraphStore) -> None:
    store.load(mechanism())
    around = store.neighbours(CD86.id)
    assert {(n.node.id, n.outgoing) for n in around} == {
        (BELATACEPT.id, False), (ABATACEPT.id, False), (CD28.id, True), (MYELOMA.id, True)}
    assert [n.node.id for n in store.neighbours(CD86.id, kind="Drug")] == sorted(
        [ABATACEPT.id, BELATACEPT.id], key=lambda i: store.node(i).name)  # type: ignore[union-attr]
    assert [n.node.id for n in store.neighbours(CD86.id, edge_type="INTERACTS_WITH")] == [
        CD28.id]


def test_predictions_and_their_evidence(store: GraphStore) -> None:
    store.load(mechanism())
    store.load(report())
    [prediction] = store.predictions(drug_id=BELATACEPT.id)
    assert (prediction.score, prediction.evidence_level, prediction.decision) == (
        0.9703, "L3", "Hold")
    assert store.predictions(disease_id=MYELOMA.id) == [prediction]
    assert store.predictions(drug_id=ABATACEPT.id) == []
    evidence = {e.node.id: e for e in store.evidence(PREDICTION_ID)}
    assert set(evidence) == {"clinicaltrials:NCT04827979", "PMID:31129111"}
    assert evidence["clinicaltrials:NCT04827979"].key_finding == "plasma cell depletion"
    assert evidence["clinicaltrials:NCT04827979"].node.enrollment == 19  # type: ignore[union-attr]


def test_a_prediction_is_found_as_drug_arrow_disease_or_by_id(store: GraphStore) -> None:
    store.load(mechanism())
    store.load(report())
    graph = KnowledgeGraph(store)
    assert store.find("Belatacept → plasma cell myeloma") == []  # no keys of its own
    for text in ("Belatacept → plasma cell myeloma", "nulojix -> Multiple Myeloma",
                 "DB06681 → MONDO:0009693", PREDICTION_ID):
        assert graph.resolve(text).id == PREDICTION_ID, text
    with pytest.raises(NotFound):
        graph.resolve("Abatacept → plasma cell myeloma")  # no such prediction
    with pytest.raises(NotFound):
        graph.resolve("Belatacept → plasma cell myeloma", kind="Drug")


def test_dataset_values_outrank_a_reports_on_one_node(store: GraphStore) -> None:
    store.load(mechanism())
    store.load(report(score=0.9703))
    dataset = SourceBatch(
        source=SourceInfo(name="candidates", kind="txgnn", version="1"),
        nodes=(Prediction(id=PREDICTION_ID, name="Belatacept → plasma cell myeloma",
                          drug_id=BELATACEPT.id, disease_id=MYELOMA.id,
                          score=0.9702630639076232, rank=1),))
    store.load(dataset)
    [prediction] = store.predictions(drug_id=BELATACEPT.id)
    assert (prediction.score, prediction.rank, prediction.decision) == (
        0.9702630639076232, 1, "Hold")
    # The name the dataset and the report both give merges; the report's spelling is a synonym
    # only if a source says so.
    assert store.node(MYELOMA.id).name == "plasma cell myeloma"  # type: ignore[union-attr]


def test_mechanism_subgraph_has_global_degrees_and_no_evidence(store: GraphStore) -> None:
    store.load(mechanism())
    store.load(report())
    graph = store.mechanism_subgraph(BELATACEPT.id, MYELOMA.id, max_hops=3)
    assert set(graph) == {BELATACEPT.id, CD80.id, CD86.id, CD28.id, MYELOMA.id} - {CD80.id}
    assert graph.nodes[CD86.id]["degrees"] == {
        degree_key("TARGETS", "Drug"): 2, degree_key("INTERACTS_WITH", "Gene"): 1,
        degree_key("ASSOCIATED_WITH", "Disease"): 1}
    assert graph.nodes[CD86.id]["kind"] == "Gene"
    data = graph.get_edge_data(CD28.id, MYELOMA.id, key="ASSOCIATED_WITH")
    assert data["provenance"][0].pmids == ("PMID:38562904",)
    whole = store.mechanism_graph()
    assert whole.number_of_nodes() == 6 and whole.number_of_edges() == 6
    assert store.mechanism_subgraph(BELATACEPT.id, MYELOMA.id, max_hops=1).number_of_nodes() == 0


def test_edges_to_unknown_nodes_go_to_the_ledger(store: GraphStore) -> None:
    batch = mechanism()
    batch = batch.model_copy(update={"edges": (*batch.edges, Edge(
        source=CD28.id, target="NCBIGene:1493", type=EdgeType.INTERACTS_WITH,
        provenance=(Provenance(source="kg", line=42),)))})
    result = store.load(batch)
    assert result.edges == 6
    [entry] = store.ledger(source="kg")
    assert entry.line == 42 and "NCBIGene:1493" in entry.reason


def test_a_failed_load_leaves_the_store_as_it_was(store: GraphStore) -> None:
    store.load(mechanism())
    before = store.counts()
    clash = SourceBatch(source=SourceInfo(name="bad", kind="x", version="1"),
                        nodes=(Disease(id=CD80.id, name="CD80 as a disease"),
                               Drug(id="DRUGBANK:DB00001", name="Lepirudin")))
    with pytest.raises(StoreError, match="NCBIGene:941"):
        store.load(clash)
    assert store.counts() == before
    assert store.node("DRUGBANK:DB00001") is None
    assert [s.name for s in store.sources()] == ["kg"]


def test_a_source_batch_copies_a_source_into_another_store(
        store: GraphStore, tmp_path: pathlib.Path) -> None:
    store.load(mechanism())
    store.load(report())
    with pytest.raises(StoreError, match="nope"):
        store.source_batch("nope")
    copy = SqliteStore(tmp_path / "copy.db")
    for source in store.sources():
        copy.load(store.source_batch(source.name))
    assert copy.counts() == store.counts()
    assert copy.predictions() == store.predictions()
    edge = next(n.edge for n in copy.neighbours(CD28.id, kind="Disease"))
    assert edge.pmids == ("PMID:38562904",)
    copy.close()


def test_withdrawing_a_source_leaves_what_the_others_said(store: GraphStore) -> None:
    store.load(mechanism())  # creates the myeloma node
    other = SourceBatch(source=SourceInfo(name="other", kind="txgnn-vocabulary", version="1"),
                        nodes=(Disease(id=MYELOMA.id, name="plasma cell myeloma",
                                       synonyms=("Kahler disease",), xrefs=("DOID:9538",)),))
    store.load(other)
    assert set(store.node(MYELOMA.id).synonyms) == {  # type: ignore[union-attr]
        "multiple myeloma", "Kahler disease"}
    store.remove_source("other")
    assert store.node(MYELOMA.id).synonyms == ("multiple myeloma",)  # type: ignore[union-attr]
    assert store.find("Kahler disease") == [] and store.find("DOID:9538") == []
    store.load(other)
    store.remove_source("kg")  # the source that created the node goes; the other's view stays
    node = store.node(MYELOMA.id)
    assert node is not None and node.synonyms == ("Kahler disease",)
    assert store.find("multiple myeloma") == []
    assert [n.id for n in store.find("Kahler disease")] == [MYELOMA.id]


def test_a_shared_edge_and_node_survive_either_source_reloading_or_leaving(
        store: GraphStore) -> None:
    def curated(version: str, *, edge: bool = True) -> SourceBatch:
        return SourceBatch(
            source=SourceInfo(name="curated", kind="drugmechdb", version=version),
            nodes=(CD86, Disease(id=MYELOMA.id, name=MYELOMA.name, xrefs=("DOID:9538",))),
            edges=(Edge(source=CD86.id, target=MYELOMA.id, type=EdgeType.ASSOCIATED_WITH,
                        provenance=prov("curated", "15370258")),) if edge else ())

    def stated_by() -> list[str]:
        edges = [n.edge for n in store.neighbours(CD86.id, kind="Disease")]
        return sorted(p.source for e in edges for p in e.provenance)

    store.load(mechanism())  # kg creates the CD86 → myeloma edge and the myeloma node
    store.load(curated("1"))
    store.load(mechanism("2"))  # kg reloads: the edge and node are still both sources'
    assert stated_by() == ["curated", "kg"]
    assert store.node(MYELOMA.id).xrefs == ("DOID:9538",)  # type: ignore[union-attr]
    store.remove_source("kg")
    assert stated_by() == ["curated"]
    assert store.node(MYELOMA.id).synonyms == ()  # type: ignore[union-attr]
    store.load(mechanism("3"))
    store.load(curated("2", edge=False))  # curated reloads without the edge
    assert stated_by() == ["kg"]
    assert store.find("DOID:9538") != []  # curated still states the node's xref
    store.remove_source("curated")
    assert store.find("DOID:9538") == []
    copied = store.source_batch("kg")
    assert {(e.source, e.type, e.target) for e in copied.edges} == {
        (e.source, e.type, e.target) for e in mechanism("3").edges}
    assert {n.id: n for n in copied.nodes} == {n.id: n for n in mechanism("3").nodes}
    assert store.load(mechanism("4")).edges_removed == 0


def test_loads_in_one_bulk_block_see_each_other_and_each_stays_atomic(
        store: GraphStore) -> None:
    clash = SourceBatch(source=SourceInfo(name="bad", kind="x", version="1"),
                        nodes=(Disease(id=CD80.id, name="CD80 as a disease"),
                               Drug(id="DRUGBANK:DB00001", name="Lepirudin")))
    with pytest.raises(StoreError, match="NCBIGene:941"), store.bulk():
        store.load(mechanism())
        store.load(report())  # its edges point at the nodes the first load made
        assert [e.node.id for e in store.evidence(PREDICTION_ID)] == [
            "clinicaltrials:NCT04827979", "PMID:31129111"]
        store.load(clash)
    assert store.node("DRUGBANK:DB00001") is None
    if isinstance(store, SqliteStore):  # one commit for the block: nothing of it stays
        assert store.counts().nodes == {} and store.sources() == []
    else:  # Neo4j commits load by load
        assert [s.name for s in store.sources()] == ["kg", "reports/belatacept.md"]


def test_a_store_file_of_another_layout_is_refused(tmp_path: pathlib.Path) -> None:
    import sqlite3

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    db.close()
    with pytest.raises(StoreError, match=r"schema 1.*delete it"):
        SqliteStore(path)


def test_a_layout_3_file_is_brought_up_to_date(tmp_path: pathlib.Path) -> None:
    import sqlite3

    path = tmp_path / "three.db"
    store = SqliteStore(path)
    store.load(mechanism())
    expected = store.counts()
    store.close()
    with sqlite3.connect(path) as db:  # what schema 3 looked like: no edge counts
        db.execute("DROP TABLE edge_counts")
        db.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    db.close()
    reopened = SqliteStore(path)
    assert reopened.counts() == expected and expected.edges
    reopened.close()


def test_a_layout_5_file_is_brought_up_to_date(tmp_path: pathlib.Path) -> None:
    import sqlite3

    path = tmp_path / "five.db"
    store = SqliteStore(path)
    store.load(mechanism())
    store.close()
    with sqlite3.connect(path) as db:  # what layout 5 looked like: no originals
        db.execute("DROP TABLE originals")
        db.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    db.close()
    reopened = SqliteStore(path)
    assert reopened.originals("kg") is None
    reopened.keep_originals("kg", "{}")
    assert reopened.originals("kg") == "{}"
    reopened.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'"
                          ).fetchone() == ("6",)
    db.close()


def test_edge_counts_follow_loads_reloads_and_removals(tmp_path: pathlib.Path) -> None:
    import sqlite3

    store = SqliteStore(tmp_path / "kg.db")

    def counted() -> dict[str, int]:
        with sqlite3.connect(tmp_path / "kg.db") as reader:
            rows = reader.execute("SELECT type, count(*) FROM edges GROUP BY type").fetchall()
        reader.close()
        return dict(sorted(rows))

    kg = KnowledgeGraph(store)
    kg.load(mechanism())
    kg.load(mechanism("2", extra=True))  # a reload that drops one edge and adds another
    assert store.counts().edges == counted()
    kg.load(SourceBatch(source=SourceInfo(name="other", kind="primekg", version="1"),
                        nodes=(CD80, CD28), edges=(Edge(
                            source=CD80.id, target=CD28.id, type=EdgeType.INTERACTS_WITH,
                            provenance=prov("other")),)))
    assert store.counts().edges == counted()
    store.remove_source("kg")
    assert store.counts().edges == counted() == {"INTERACTS_WITH": 1}
    store.remove_source("other")
    assert store.counts().edges == counted() == {}
    store.close()


def test_removing_a_source_reports_the_nodes_and_edges_it_took_away(
        store: GraphStore) -> None:
    """`txkg remove` prints these figures: every node and edge that went, counted once."""
    store.load(mechanism())
    store.load(report())
    before = store.counts()
    removed = store.remove_source("kg")
    after = store.counts()
    assert removed.nodes_removed == before.total_nodes - after.total_nodes > 0
    edges_before, edges_after = sum(before.edges.values()), sum(after.edges.values())
    assert removed.edges_removed == edges_before - edges_after > 0
    alone = store.remove_source("reports/belatacept.md")  # the last source: all goes
    assert (alone.nodes_removed, alone.edges_removed) == (
        after.total_nodes, sum(after.edges.values()))
