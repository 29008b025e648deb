"""Net direction of mechanism paths: hop signs from the polarity table, and what paths show."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from graph.explain import explain_pair
from graph.explain.explanation import explanation_to_dict
from graph.explain.polarity import (
    EDGE_TYPE_READINGS,
    PREDICATE_READINGS,
    hop_sign,
    net_direction,
    net_effect,
    reading,
    sign_along,
)
from graph.explain.render import format_markdown, format_text


@pytest.mark.parametrize(("predicate", "direction", "sign"), [
    ("decreases activity of", "forward", -1),
    ("decreases activity of", "reverse", None),  # walked against the causal arrow
    ("positively regulates", "both", 1),
    ("negatively correlated with", "reverse", -1),  # a correlation reads either way
    ("caused by", "reverse", 1),  # the object acts on the subject
    ("caused by", "forward", None),
    ("participates in", "forward", 0),
    ("molecularly interacts with", "forward", None),  # binding: sign unknown
    ("regulates", "forward", None),
    ("increases degradation of", "forward", -1),
])
def test_hop_signs(predicate: str, direction: str, sign: int | None) -> None:
    assert hop_sign(predicate, direction) == sign


def test_predicate_text_wins_over_edge_type_and_case_is_ignored() -> None:
    assert reading("INCREASES", "Negatively Regulates ").sign == -1
    assert reading("INHIBITS", "unheard-of predicate") == EDGE_TYPE_READINGS["INHIBITS"]
    assert sign_along(reading("TARGETS"), "forward") is None


def test_every_reading_is_well_formed() -> None:
    for table in (PREDICATE_READINGS, EDGE_TYPE_READINGS):
        for found in table.values():
            if found.travel in ("neutral", "opaque"):
                assert found.sign == 0
            else:
                assert found.sign in (1, -1)


@pytest.mark.parametrize(("signs", "net"), [
    ([-1, 1, 1], -1), ([-1, -1, 1], 1), ([-1, 0, 1], -1), ([0, 0], None), ([-1, None], None),
    ([], None),
])
def test_net_effect(signs: list[int | None], net: int | None) -> None:
    assert net_effect(signs) == net


def test_net_direction_names() -> None:
    assert [net_direction(x) for x in (-1, 1, None)] == ["decreases", "increases", "unknown"]


def add(G: nx.MultiDiGraph, u: str, predicate: str, edge_type: str, v: str) -> None:
    G.add_edge(u, v, key=edge_type, type=edge_type, provenance=(),
               properties={"predicate": predicate})


@pytest.fixture
def signed_graph() -> nx.MultiDiGraph:
    """Drug c lowers gene g; g raises process p1 and lowers process p2.

    p1 causes disease d (path c-g-p1-d: − · + · + = − → lowers the disease, coherent);
    p2 is positively correlated with d (c-g-p2-d: − · − · + = + → raises it, incoherent);
    g is bound by drug x, which treats d (c-g-x-d: − then binding, opaque → unknown).
    """
    G = nx.MultiDiGraph()
    for node, kind in [("c", "Drug"), ("g", "Gene"), ("p1", "BiologicalProcess"),
                       ("p2", "BiologicalProcess"), ("x", "Drug"), ("d", "Disease")]:
        G.add_node(node, kind=kind, name=node)
    add(G, "c", "decreases activity of", "INHIBITS", "g")
    add(G, "g", "positively regulates", "INCREASES", "p1")
    add(G, "g", "negatively regulates", "DECREASES", "p2")
    add(G, "p1", "causes", "CAUSES", "d")
    add(G, "p2", "positively correlated with", "ASSOCIATED_WITH", "d")
    add(G, "x", "molecularly interacts with", "INTERACTS_WITH", "g")
    add(G, "x", "treats", "TREATS", "d")
    return G


def test_paths_carry_net_direction_and_incoherent_ones_are_kept(
        signed_graph: nx.MultiDiGraph) -> None:
    e = explain_pair(signed_graph, "c", "d", ranking="dwpc")
    by_middle = {p.nodes[2].id: p for p in (*e.paths, *e.associations)}
    assert set(by_middle) == {"p1", "p2", "x"}  # nothing hidden
    # Through drug x, which treats d: an association, listed apart from the mechanisms.
    assert [p.nodes[2].id for p in e.associations] == ["x"]
    assert (by_middle["p1"].net_direction, by_middle["p1"].coherent) == ("decreases", True)
    assert (by_middle["p2"].net_direction, by_middle["p2"].coherent) == ("increases", False)
    assert (by_middle["x"].net_direction, by_middle["x"].coherent) == ("unknown", None)
    hop = by_middle["p1"].hops[0]
    assert (hop.predicate, hop.sign) == ("decreases activity of", -1)
    # x -[molecularly interacts with]-> g is walked g → x: opaque whichever way.
    assert by_middle["x"].hops[1].sign is None


def test_mechanism_ranking_puts_coherent_before_incoherent(signed_graph: nx.MultiDiGraph) -> None:
    # p1 and p2 paths have equal PDPs (same degrees); polarity decides.
    e = explain_pair(signed_graph, "c", "d")
    order = [p.nodes[2].id for p in e.paths]
    assert order.index("p1") < order.index("p2")
    assert e.paths[0].score >= e.paths[-1].score


def test_renderings_show_the_net_direction(signed_graph: nx.MultiDiGraph) -> None:
    e = explain_pair(signed_graph, "c", "d")
    text = format_text(e)
    assert "RAISES (incoherent)" in text and "lowers" in text
    assert "decreases activity of" in text and "(−)" in text
    md = format_markdown(e)
    assert "| effect |" in md and "RAISES (incoherent)" in md
    data = json.loads(json.dumps(explanation_to_dict(e)))
    listed = data["paths"] + data["associations"]
    assert {p["net_direction"] for p in listed} == {"decreases", "increases", "unknown"}
    assert {p["coherent"] for p in listed} == {True, False, None}
    assert data["paths"][0]["hops"][0]["predicate"] == "decreases activity of"
