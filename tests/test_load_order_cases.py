"""One set of sources, one graph: small forms of the order faults found on real data.

Each case is a few nodes cut from what differed when the TxGNN folder was loaded first
or last beside the EuTxGNN pages, DrugMechDB and two Hetionet subgraphs (see
docs/guarantees.md, "Load order"). Each loads the same sources in those two orders and
compares the canonical dumps of ``tests/test_load_order.py``, on SQLite and on Neo4j.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph import ids
from graph.api import KnowledgeGraph
from graph.model import (
    Disease,
    Drug,
    Edge,
    EdgeType,
    Gene,
    Node,
    Phenotype,
    Provenance,
    SourceBatch,
    SourceInfo,
)
from graph.store.base import GraphStore
from tests.test_load_order import canonical_dump


def _source(name: str, kind: str, nodes: Sequence[Node],
            edges: Sequence[tuple[str, str, str]] = ()) -> SourceBatch:
    return SourceBatch(
        source=SourceInfo(name=name, kind=kind, version="1"), nodes=tuple(nodes),
        edges=tuple(Edge(source=s, type=EdgeType(t), target=o,
                         provenance=(Provenance(source=name),)) for s, t, o in edges))


def _dump_after(store: GraphStore, sources: Sequence[SourceBatch]) -> dict[str, Any]:
    _empty(store)
    kg = KnowledgeGraph(store)
    for source in sources:
        kg.load(source)
    return canonical_dump(store)


def _empty(store: GraphStore) -> None:
    for info in store.sources():
        store.remove_source(info.name)


CD28 = Gene(id="NCBIGene:940", name="CD28", symbol="CD28")


def test_a_node_left_out_for_a_kind_clash_comes_back_when_the_clash_goes(
        store: GraphStore) -> None:
    """DrugMechDB keys a disease MESH:D003248; Hetionet has a phenotype of that id, left
    out while the disease holds it; TxGNN's MONDO disease listing the MeSH id then claims
    the disease, and the id is free: Hetionet's phenotype is kept, as it is when TxGNN
    comes first."""
    txgnn = _source("txgnn", "txgnn-vocabulary", [
        Disease(id="MONDO:0002203", name="constipation", xrefs=("MESH:D003248",))])
    drugmechdb = _source("drugmechdb", "drugmechdb", [
        Disease(id="MESH:D003248", name="Constipation"), CD28],
        [(CD28.id, "ASSOCIATED_WITH", "MESH:D003248")])
    hetionet = _source("hetionet", "hetionet", [
        Phenotype(id="MESH:D003248", name="Constipation"), CD28],
        [("MESH:D003248", "ASSOCIATED_WITH", CD28.id)])
    first = _dump_after(store, [txgnn, drugmechdb, hetionet])
    assert first["nodes"]["MESH:D003248"]["view"]["kind"] == "Phenotype"
    assert not [r for r in first["ledger"] if "kind clash" in r]
    last = _dump_after(store, [drugmechdb, hetionet, txgnn])
    assert last == first


def test_a_report_name_resolved_early_or_late_gives_one_view(store: GraphStore) -> None:
    """A report names a disease ("Irritable Bowel Syndrome"); DrugMechDB keys it by MeSH
    id, TxGNN by MONDO id listing that MeSH id. Resolved at once (TxGNN first) or through
    the MeSH node (TxGNN last), the report's name ends up the same way in the view."""
    name = "Irritable Bowel Syndrome"
    report = _source("report.md", "report", [
        Disease(id=ids.provisional_id("Disease", name), name=name)])
    drugmechdb = _source("drugmechdb", "drugmechdb", [
        Disease(id="MESH:D043183", name="Irritable bowel syndrome"), CD28],
        [(CD28.id, "ASSOCIATED_WITH", "MESH:D043183")])
    txgnn = _source("txgnn", "txgnn-vocabulary", [
        Disease(id="MONDO:0005052", name="irritable bowel syndrome",
                xrefs=("MESH:D043183",))])
    first = _dump_after(store, [txgnn, report, drugmechdb])
    view = first["nodes"]["MONDO:0005052"]["view"]
    assert view["name"] == "irritable bowel syndrome"
    assert name in view["synonyms"]
    last = _dump_after(store, [report, drugmechdb, txgnn])
    assert last == first


def test_a_report_name_resolved_by_a_synonym_moves_to_the_exact_name(
        store: GraphStore) -> None:
    """DrugMechDB lists "dapagliflozin" as a synonym of canagliflozin. The dapagliflozin
    page loaded before TxGNN resolved onto canagliflozin, the only drug of that name then
    stored; TxGNN then brings Dapagliflozin itself, and the page moves to it, as it
    resolves when it comes after TxGNN (an exact name beats a synonym)."""
    name = "Dapagliflozin"
    report = _source("dapagliflozin.md", "report", [
        Drug(id=ids.provisional_id("Drug", name), name=name)])
    other = _source("dapagliflozin-2.md", "report", [  # a second page naming it alike
        Drug(id=ids.provisional_id("Drug", name), name=name)])
    drugmechdb = _source("drugmechdb", "drugmechdb", [
        Drug(id="DRUGBANK:DB08907", name="Canagliflozin", synonyms=("dapagliflozin",)),
        CD28], [("DRUGBANK:DB08907", "TARGETS", CD28.id)])
    txgnn = _source("txgnn", "txgnn-vocabulary", [Drug(id="DRUGBANK:DB06292", name=name)])
    first = _dump_after(store, [txgnn, report, other, drugmechdb])
    assert first["nodes"]["DRUGBANK:DB06292"]["sources"] == [
        "dapagliflozin-2.md", "dapagliflozin.md", "txgnn"]
    last = _dump_after(store, [report, other, drugmechdb, txgnn])
    assert last == first


def _txgnn(diseases: Sequence[Disease]) -> tuple[SourceBatch, SourceBatch]:
    """TxGNN as it splits a disease over its files: the names in the vocabulary, the
    cross-references in ``mondo_references.csv`` (a later source)."""
    vocabulary = _source("txgnn/disease_vocab.csv", "txgnn-vocabulary",
                         [d.model_copy(update={"xrefs": ()}) for d in diseases])
    references = _source("txgnn/mondo_references.csv", "txgnn-references",
                         [d for d in diseases if d.xrefs])
    return vocabulary, references


def test_a_name_merge_gives_way_to_a_cross_reference_that_comes_later(
        store: GraphStore) -> None:
    """DrugMechDB keys "Adrenal Insufficiency" MESH:D000309; TxGNN names MONDO:0019801
    "adrenal insufficiency" and MONDO:0000004 "adrenocortical insufficiency", and only
    the second lists MESH:D000309. TxGNN first, the MeSH disease meets the xref and joins
    MONDO:0000004. TxGNN last, it joined MONDO:0019801 by name before the xrefs came; the
    xref releases it (a cross-reference outranks a name), and it joins MONDO:0000004."""
    vocabulary, references = _txgnn([
        Disease(id="MONDO:0019801", name="adrenal insufficiency"),
        Disease(id="MONDO:0000004", name="adrenocortical insufficiency",
                xrefs=("MESH:D000309",))])
    drugmechdb = _source("drugmechdb", "drugmechdb", [
        Disease(id="MESH:D000309", name="Adrenal Insufficiency"), CD28],
        [(CD28.id, "ASSOCIATED_WITH", "MESH:D000309")])
    first = _dump_after(store, [vocabulary, references, drugmechdb])
    assert first["nodes"]["MONDO:0000004"]["sources"] == [
        "drugmechdb", "txgnn/disease_vocab.csv", "txgnn/mondo_references.csv"]
    assert f"{CD28.id}|ASSOCIATED_WITH|MONDO:0000004" in first["edges"]
    last = _dump_after(store, [drugmechdb, vocabulary, references])
    assert last == first


def test_an_xref_two_nodes_list_keeps_a_node_merged_by_name_apart(store: GraphStore) -> None:
    """DrugMechDB's "Allergic conjunctivitis" MESH:D003233 lists "Vernal conjunctivitis"
    as a synonym; TxGNN's vernal and atopic conjunctivitis both list MESH:D003233. TxGNN
    first, the MeSH disease is ambiguous and kept apart. TxGNN last, it joined vernal
    conjunctivitis by that synonym; the two xrefs release it, and it is kept apart."""
    vocabulary, references = _txgnn([
        Disease(id="MONDO:0002313", name="vernal conjunctivitis", xrefs=("MESH:D003233",)),
        Disease(id="MONDO:0005642", name="atopic conjunctivitis", xrefs=("MESH:D003233",))])
    drugmechdb = _source("drugmechdb", "drugmechdb", [
        Disease(id="MESH:D003233", name="Allergic conjunctivitis",
                synonyms=("Vernal conjunctivitis",)), CD28],
        [(CD28.id, "ASSOCIATED_WITH", "MESH:D003233")])
    first = _dump_after(store, [vocabulary, references, drugmechdb])
    assert first["nodes"]["MESH:D003233"]["sources"] == ["drugmechdb"]
    assert first["nodes"]["MONDO:0002313"]["view"]["synonyms"] == []
    last = _dump_after(store, [drugmechdb, vocabulary, references])
    assert last == first


def test_a_name_ambiguity_its_cross_references_settle_leaves_no_note(
        store: GraphStore) -> None:
    """TxGNN's "bacterial pneumonia" MONDO:0004652 matches two DrugMechDB diseases by
    name; its xrefs, in a later file, name one of them. MeSH diseases stored first, the
    vocabulary noted the ambiguity; once the xrefs settle it the note goes, as it is
    never written when TxGNN comes first."""
    vocabulary, references = _txgnn([
        Disease(id="MONDO:0004652", name="bacterial pneumonia", xrefs=("MESH:D018410",)),
        Disease(id="MONDO:0005867", name="Mycoplasma pneumoniae pneumonia",
                xrefs=("MESH:D011019",))])
    drugmechdb = _source("drugmechdb", "drugmechdb", [
        Disease(id="MESH:D018410", name="Pneumonia, Bacterial",
                synonyms=("Bacterial pneumonia",)),
        Disease(id="MESH:D011019", name="Pneumonia, Mycoplasma",
                synonyms=("Bacterial pneumonia",)), CD28],
        [(CD28.id, "ASSOCIATED_WITH", "MESH:D018410"),
         (CD28.id, "ASSOCIATED_WITH", "MESH:D011019")])
    first = _dump_after(store, [vocabulary, references, drugmechdb])
    assert not [r for r in first["ledger"] if "ambiguous" in r]
    assert {"MONDO:0004652", "MONDO:0005867"} <= first["nodes"].keys()
    last = _dump_after(store, [drugmechdb, vocabulary, references])
    assert last == first


def test_two_edges_resolution_makes_one_keep_the_same_properties_in_any_order(
        store: GraphStore) -> None:
    """Two DrugMechDB edges, to MESH:D000309 and to MESH:D000307, become one statement
    when both diseases are MONDO:0000004. Which edge's properties the statement keeps
    does not hang on the order the source lists them in (a file's order, or the order
    a store gives back when the source is loaded again from what it said)."""
    vocabulary, references = _txgnn([
        Disease(id="MONDO:0000004", name="adrenocortical insufficiency",
                xrefs=("MESH:D000309", "MESH:D000307"))])
    said = [Edge(source=CD28.id, type=EdgeType.ASSOCIATED_WITH, target=target,
                 provenance=(Provenance(source="drugmechdb", pmids=(pmid,)),),
                 properties={"paths": path})
            for target, pmid, path in (("MESH:D000309", "PMID:1", "DB01_MESH_D000309_1"),
                                       ("MESH:D000307", "PMID:2", "DB02_MESH_D000307_1"))]
    drugmechdb = _source("drugmechdb", "drugmechdb", [
        Disease(id="MESH:D000309", name="Adrenal Insufficiency"),
        Disease(id="MESH:D000307", name="Addison Disease"), CD28])
    listed = drugmechdb.model_copy(update={"edges": tuple(said)})
    reversed_ = drugmechdb.model_copy(update={"edges": tuple(reversed(said))})
    first = _dump_after(store, [vocabulary, references, listed])
    [edge] = first["edges"].values()
    assert len(edge["drugmechdb"]["provenance"]) == 2
    assert _dump_after(store, [vocabulary, references, reversed_]) == first
    assert _dump_after(store, [reversed_, vocabulary, references]) == first
