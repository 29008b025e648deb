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
