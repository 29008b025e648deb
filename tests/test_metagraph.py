"""Metanodes, metaedges and metapaths: abbreviations, inverses, derivation from a graph."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.errors import InvalidArgument
from graph.explain.metagraph import (
    EDGE_ABBREVIATIONS,
    KIND_ABBREVIATIONS,
    MetaEdge,
    Metapath,
    metagraph,
    metapaths,
)
from graph.model import EdgeType, NodeKind


def test_every_kind_and_type_has_a_unique_abbreviation() -> None:
    assert set(KIND_ABBREVIATIONS) == {k.value for k in NodeKind}
    assert set(EDGE_ABBREVIATIONS) == {t.value for t in EdgeType}
    assert len(set(KIND_ABBREVIATIONS.values())) == len(KIND_ABBREVIATIONS)
    assert len(set(EDGE_ABBREVIATIONS.values())) == len(EDGE_ABBREVIATIONS)
    assert all(a.isupper() for a in KIND_ABBREVIATIONS.values())
    assert all(a.islower() for a in EDGE_ABBREVIATIONS.values())


def test_hetionet_style_abbreviations() -> None:
    assert MetaEdge("Drug", "TARGETS", "Gene").abbreviation == "CtG"
    assert MetaEdge("Gene", "PARTICIPATES_IN", "Pathway").abbreviation == "GpPW"
    assert MetaEdge("Gene", "ASSOCIATED_WITH", "Disease").abbreviation == "GaD"
    path = Metapath.from_abbreviation("CtGpPWpGaD")
    assert path.length == len(path) == 4
    assert path.kinds == ("Drug", "Gene", "Pathway", "Gene", "Disease")
    assert path.inverse.abbreviation == "DaGpPWpGtC"
    assert path.inverse.inverse == path
    assert hash(path) == hash(Metapath.from_abbreviation("CtGpPWpGaD"))


@pytest.mark.parametrize("text", ["", "C", "CtG t", "Ct", "ctG", "CtXaD", "CqG"])
def test_bad_abbreviations(text: str) -> None:
    with pytest.raises(InvalidArgument):
        Metapath.from_abbreviation(text)


def test_metagraph_and_metapaths_from_a_graph() -> None:
    G = nx.MultiDiGraph()
    for node, kind in [("c", "Drug"), ("g", "Gene"), ("h", "Gene"), ("d", "Disease"),
                       ("p", "Publication")]:
        G.add_node(node, kind=kind)
    G.add_edge("c", "g", key="TARGETS", type="TARGETS")
    G.add_edge("g", "c", key="TARGETS", type="TARGETS")  # same statement, other way
    G.add_edge("c", "h", key="TARGETS", type="TARGETS")
    G.add_edge("d", "g", key="ASSOCIATED_WITH", type="ASSOCIATED_WITH")
    G.add_edge("g", "h", key="INTERACTS_WITH", type="INTERACTS_WITH")
    G.add_edge("p", "d", key="MENTIONS", type="MENTIONS")
    mg = metagraph(G)
    assert mg.node_count("Gene") == 2 and mg.node_count("Anatomy") == 0
    assert {e.abbreviation: n for e, n in mg.edge_counts} == {
        "CtG": 2, "DaG": 1, "GiG": 1, "PBmD": 1}
    assert mg.edge_count(MetaEdge("Gene", "TARGETS", "Drug")) == 2
    found = [m.abbreviation for m in metapaths(mg, "Drug", "Disease", max_length=3)]
    assert found == ["CtGaD", "CtGiGaD"]
    longer = [m.abbreviation for m in metapaths(mg, "Drug", "Disease", max_length=4)]
    assert longer == ["CtGaD", "CtGiGaD", "CtGaDaGaD", "CtGiGiGaD", "CtGtCtGaD"]
    assert [m.abbreviation for m in metapaths(mg, "Publication", "Gene", min_length=2,
                                               max_length=2, mechanism_only=False)] == ["PBmDaG"]
    for m in metapaths(mg, "Drug", "Disease", max_length=4):
        assert Metapath.from_abbreviation(m.abbreviation) == m
