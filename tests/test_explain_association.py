"""Mechanism and association apart: paths through a drug's clinical use are ranked and
shown apart from paths through targets and biology."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from graph.explain import explain_pair
from graph.explain.association import CLINICAL_USE_TYPES, path_evidence
from graph.explain.explanation import explanation_to_dict
from graph.explain.render import format_markdown, format_text


def graph_with_association() -> nx.MultiDiGraph:
    """Drug C targets gene G, associated with disease D (a mechanism); C resembles drug
    C2, indicated for D (an association: C2's use); C is also indicated for disease E,
    a subclass of D (C's own use of another disease: an association)."""
    G = nx.MultiDiGraph()
    G.add_nodes_from([("C", {"kind": "Drug", "name": "drug C"}),
                      ("C2", {"kind": "Drug", "name": "drug C2"}),
                      ("G", {"kind": "Gene", "name": "gene G"}),
                      ("D", {"kind": "Disease", "name": "disease D"}),
                      ("E", {"kind": "Disease", "name": "disease E"})])
    for u, t, v in [("C", "TARGETS", "G"), ("G", "ASSOCIATED_WITH", "D"),
                    ("C", "RESEMBLES", "C2"), ("C2", "INDICATED_FOR", "D"),
                    ("C", "INDICATED_FOR", "E"), ("E", "SUBCLASS_OF", "D")]:
        G.add_edge(u, v, key=t, type=t, provenance=())
    return G


def test_path_evidence_rule() -> None:
    assert path_evidence(["Drug", "Drug", "Disease"], ["RESEMBLES", "CONTRAINDICATED_FOR"]) \
        == "association"
    assert path_evidence(["Drug", "Disease", "Disease"], ["TREATS", "SUBCLASS_OF"]) \
        == "association"
    # A clinical-use type between kinds other than drug and disease is no clinical use.
    assert path_evidence(["Drug", "Gene", "Disease"], ["TREATS", "ASSOCIATED_WITH"]) \
        == "mechanism"
    assert "INDICATED_FOR" in CLINICAL_USE_TYPES


@pytest.mark.parametrize("search", ["all", "bounded", "best-first"])
def test_associations_are_ranked_apart(search: str) -> None:
    e = explain_pair(graph_with_association(), "C", "D", search=search, max_hops=4)
    assert [tuple(n.id for n in p.nodes) for p in e.paths] == [("C", "G", "D")]
    assert {tuple(n.id for n in p.nodes) for p in e.associations} == {("C", "C2", "D"),
                                                                      ("C", "E", "D")}
    assert e.association_count == 2 and e.path_count == 3
    assert [p.rank for p in e.associations] == [1, 2]  # numbered apart
    assert all(p.evidence == "association" for p in e.associations)
    assert e.paths[0].evidence == "mechanism"
    # The tables still cover every path.
    assert sum(m.path_count for m in e.metapaths) == 3


def test_json_and_text_show_them_apart() -> None:
    e = explain_pair(graph_with_association(), "C", "D")
    data = json.loads(json.dumps(explanation_to_dict(e)))
    assert [p["evidence"] for p in data["paths"]] == ["mechanism"]
    assert [p["evidence"] for p in data["associations"]] == ["association"] * 2
    text = format_text(e)
    mechanisms, _, associations = text.partition("Associations, ranked apart")
    assert "gene G" in mechanisms and "drug C2" not in mechanisms.split("Metapaths")[0]
    assert "drug C2" in associations.split("Metapaths")[0]
    assert "Associations, ranked apart" in format_markdown(e)


def test_only_associations_is_not_no_path() -> None:
    G = graph_with_association()
    G.remove_edge("C", "G", key="TARGETS")
    e = explain_pair(G, "C", "D")
    assert not e.paths and len(e.associations) == 2
    text = format_text(e)
    assert "only associations join them" in text
    assert "No mechanism path joins them" not in text
