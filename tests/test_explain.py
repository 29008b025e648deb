"""The explainer: metapaths, degree-weighted path counts, ranked explanations, renderings."""

from __future__ import annotations

import json
import lzma
import math
import random
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from explain_baseline import brute_force_dwpc, brute_force_paths, brute_force_pdp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import InvalidArgument, NotFound, TxkgError
from graph.explain import (
    MechanismPath,
    dwpc,
    explain_pair,
    mechanism_paths,
    path_degree_product,
    paths_along,
    to_networkx,
)
from graph.explain.explanation import SCHEMA, explanation_to_dict
from graph.explain.metagraph import Metapath, mechanism_metapath
from graph.explain.render import format_markdown, format_text
from graph.model import Provenance

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
W = 0.4


def add(G: nx.MultiDiGraph, u: str, edge_type: str, v: str, *pmids: str,
        source: str = "hand") -> None:
    G.add_edge(u, v, key=edge_type, type=edge_type,
               provenance=(Provenance(source=source, pmids=pmids),))


@pytest.fixture
def hand_graph() -> nx.MultiDiGraph:
    """A small graph whose degrees are listed here and used in the golden values below.

    C1 belatacept targets G1 (CD86), G2 (CD80) and H (a hub gene); C2 targets H and G2.
    Degrees per metaedge (distinct neighbours, either direction):
      C1: TARGETS|Gene 3          C2: TARGETS|Gene 2, INDICATED_FOR|Disease 1
      G1: TARGETS|Drug 1, INTERACTS_WITH|Gene 2 (G3, H), ASSOCIATED_WITH|Disease 1
      G2: TARGETS|Drug 2, INTERACTS_WITH|Gene 2 (G3, H)
      G3: INTERACTS_WITH|Gene 3 (G1, G2, H), ASSOCIATED_WITH|Disease 1
      H:  TARGETS|Drug 2, INTERACTS_WITH|Gene 3, ASSOCIATED_WITH|Disease 3 (D1, D2, D3)
      D1: ASSOCIATED_WITH|Gene 3 (G1, G3, H), INDICATED_FOR|Drug 2 (C1, C2)
    """
    G = nx.MultiDiGraph()
    nodes = [("C1", "Drug", "Belatacept"), ("C2", "Drug", "Abatacept"),
             ("G1", "Gene", "CD86"), ("G2", "Gene", "CD80"), ("G3", "Gene", "CD28"),
             ("H", "Gene", "HUB"), ("D1", "Disease", "plasma cell myeloma"),
             ("D2", "Disease", "d2"), ("D3", "Disease", "d3"),
             ("PW", "Pathway", "costimulation"),
             ("P1", "Prediction", "prediction"), ("PB", "Publication", "a paper"),
             ("T1", "ClinicalTrial", "a trial")]
    for node_id, kind, name in nodes:
        G.add_node(node_id, kind=kind, name=name)
    add(G, "C1", "TARGETS", "G1", "PMID:9869202")
    add(G, "C1", "TARGETS", "G2")
    add(G, "C1", "TARGETS", "H")
    add(G, "C2", "TARGETS", "H")
    add(G, "C2", "TARGETS", "G2")
    add(G, "G1", "INTERACTS_WITH", "G3")
    add(G, "G2", "INTERACTS_WITH", "G3")
    add(G, "H", "INTERACTS_WITH", "G1")
    add(G, "H", "INTERACTS_WITH", "G2")
    add(G, "H", "INTERACTS_WITH", "G3")
    add(G, "D1", "ASSOCIATED_WITH", "G3", "PMID:38562904")  # stored disease → gene
    add(G, "G1", "ASSOCIATED_WITH", "D1")
    for disease in ("D1", "D2", "D3"):
        add(G, "H", "ASSOCIATED_WITH", disease)
    add(G, "G1", "PARTICIPATES_IN", "PW")
    add(G, "G3", "PARTICIPATES_IN", "PW")
    add(G, "C1", "INDICATED_FOR", "D1")  # the direct edge: length 1, never in an explanation
    add(G, "C2", "INDICATED_FOR", "D1")
    # Evidence: shortcuts from drug to disease that must never be walked.
    add(G, "P1", "OF_DRUG", "C1")
    add(G, "P1", "FOR_DISEASE", "D1")
    add(G, "P1", "SUPPORTED_BY", "PB")
    add(G, "P1", "SUPPORTED_BY", "T1")
    add(G, "PB", "MENTIONS", "G1")
    add(G, "PB", "MENTIONS", "D1")
    return G


# -- golden values ------------------------------------------------------------


def test_dwpc_golden_ctgad(hand_graph: nx.MultiDiGraph) -> None:
    # CtGaD from C1 to D1: two paths.
    #   C1-G1-D1: (D(C1,t,G)=3 * D(G1,t,C)=1) * (D(G1,a,D)=1 * D(D1,a,G)=3) = 9
    #   C1-H-D1:  (3 * D(H,t,C)=2) * (D(H,a,D)=3 * 3)                       = 54
    expected = 9 ** -W + 54 ** -W  # 0.415244 + 0.202788 = 0.618032
    assert dwpc(hand_graph, "C1", "D1", "CtGaD", damping=W) == pytest.approx(expected)
    assert expected == pytest.approx(0.618032, abs=1e-6)


def test_dwpc_golden_ctgigad(hand_graph: nx.MultiDiGraph) -> None:
    # CtGiGaD from C1 to D1, degree products hop by hop (C1-x, x-y, y-D1):
    #   C1-G1-G3-D1: (3*1) * (2*3) * (1*3) =  54
    #   C1-G2-G3-D1: (3*2) * (2*3) * (1*3) = 108
    #   C1-H-G3-D1:  (3*2) * (3*3) * (1*3) = 162
    #   C1-G1-H-D1:  (3*1) * (2*3) * (3*3) = 162
    #   C1-G2-H-D1:  (3*2) * (2*3) * (3*3) = 324
    #   C1-H-G1-D1:  (3*2) * (3*2) * (1*3) = 108
    products = [54, 108, 162, 162, 324, 108]
    expected = sum(p ** -W for p in products)
    assert dwpc(hand_graph, "C1", "D1", "CtGiGaD", damping=W) == pytest.approx(expected)
    assert dwpc(hand_graph, "C1", "D1", "CtGiGaD", damping=0) == 6.0


def test_dwpc_golden_drug_sharing_a_target(hand_graph: nx.MultiDiGraph) -> None:
    # CtGtCidD: C1-x-C2-D1 where C2 is indicated for D1.
    #   C1-G2-C2-D1: (3*2) * (D(G2,t,C)=2 * D(C2,t,G)=2) * (D(C2,id,D)=1 * D(D1,id,C)=2) = 48
    #   C1-H-C2-D1:  (3*2) * (2*2) * (1*2)                                              = 48
    assert dwpc(hand_graph, "C1", "D1", "CtGtCidD", damping=W) == pytest.approx(2 * 48 ** -W)


def test_explanation_on_hand_graph(hand_graph: nx.MultiDiGraph) -> None:
    e = explain_pair(hand_graph, "C1", "D1", damping=W)
    best = e.paths[0]
    # The specific path beats the hub's: 9 ** -0.4 against 54 ** -0.4.
    assert [n.id for n in best.nodes] == ["C1", "G1", "D1"]
    assert best.pdp == pytest.approx(9 ** -W)
    assert best.hops[0].pmids == ("PMID:9869202",)
    assert best.hops[0].sources == ("hand",)
    assert math.isclose(sum(m.share for m in e.metapaths), 1.0)
    assert math.isclose(sum(r.share for r in e.first_edges), 1.0)
    assert math.isclose(sum(r.share for r in e.last_edges), 1.0)
    assert e.total == pytest.approx(sum(m.dwpc for m in e.metapaths))
    table = {m.metapath: m for m in e.metapaths}
    assert table["CtGaD"].path_count == 2
    assert table["CtGaD"].dwpc == pytest.approx(9 ** -W + 54 ** -W)
    assert e.path_count == sum(m.path_count for m in e.metapaths)
    # No evidence node, no evidence edge, no direct edge, never a repeated node.
    for path in e.paths:
        assert {n.kind for n in path.nodes} <= {"Drug", "Gene", "Disease", "Pathway"}
        assert len({n.id for n in path.nodes}) == len(path.nodes)
        assert 2 <= path.length <= 4
    assert e.path_count == len(list(mechanism_paths(hand_graph, "C1", "D1")))


def test_hop_direction_is_the_stored_one(hand_graph: nx.MultiDiGraph) -> None:
    e = explain_pair(hand_graph, "C1", "D1", metapaths=["CtGiGaD"])
    path = next(p for p in e.paths if [n.id for n in p.nodes] == ["C1", "G1", "G3", "D1"])
    assert [h.direction for h in path.hops] == ["forward", "forward", "reverse"]
    assert path.hops[2].pmids == ("PMID:38562904",)


def test_damping_zero_counts_paths(hand_graph: nx.MultiDiGraph) -> None:
    e = explain_pair(hand_graph, "C1", "D1", damping=0)
    assert all(p.pdp == 1.0 for p in e.paths)
    assert all(m.dwpc == m.path_count for m in e.metapaths)
    assert e.total == e.path_count


def test_stored_degrees_are_used(hand_graph: nx.MultiDiGraph) -> None:
    # The store says G1 has 4 TARGETS neighbours in the whole graph (the subgraph shows 1):
    #   C1-G1-D1 becomes (3*4) * (1*3) = 36.
    hand_graph.nodes["G1"]["degrees"] = {"TARGETS|Drug": 4}
    path = MechanismPath(("C1", "G1", "D1"), ("TARGETS", "ASSOCIATED_WITH"))
    assert path_degree_product(hand_graph, path, damping=W) == pytest.approx(36 ** -W)


def test_hub_does_not_outrank_a_specific_path() -> None:
    G = nx.MultiDiGraph()
    G.add_node("drug", kind="Drug", name="drug")
    G.add_node("disease", kind="Disease", name="disease")
    G.add_node("specific", kind="Gene", name="specific")
    G.add_node("hub", kind="Gene", name="hub")
    add(G, "drug", "TARGETS", "specific")
    add(G, "drug", "TARGETS", "hub")
    add(G, "specific", "ASSOCIATED_WITH", "disease")
    add(G, "hub", "ASSOCIATED_WITH", "disease")
    for i in range(40):  # the hub touches everything
        G.add_node(f"d{i}", kind="Disease", name=f"d{i}")
        G.add_node(f"c{i}", kind="Drug", name=f"c{i}")
        G.add_node(f"g{i}", kind="Gene", name=f"g{i}")
        add(G, "hub", "ASSOCIATED_WITH", f"d{i}")
        add(G, f"c{i}", "TARGETS", "hub")
        add(G, "hub", "INTERACTS_WITH", f"g{i}")
        add(G, f"g{i}", "ASSOCIATED_WITH", "disease")
    e = explain_pair(G, "drug", "disease")
    assert [n.id for n in e.paths[0].nodes] == ["drug", "specific", "disease"]
    assert all(p.pdp < e.paths[0].pdp for p in e.paths[1:])
    # Damping is what shrinks the hub: without it, it takes 41 of 42 paths' worth.
    plain = explain_pair(G, "drug", "disease", damping=0)
    hub_share = {r.node.id: r.share for r in e.first_edges}["hub"]
    plain_hub_share = {r.node.id: r.share for r in plain.first_edges}["hub"]
    assert plain_hub_share == pytest.approx(41 / 42)
    assert hub_share < 0.7 < plain_hub_share


# -- node-simple paths, evidence, directions ---------------------------------


def test_paths_are_node_simple() -> None:
    G = nx.MultiDiGraph()
    for node, kind in [("c", "Drug"), ("g1", "Gene"), ("g2", "Gene"), ("d", "Disease")]:
        G.add_node(node, kind=kind)
    add(G, "c", "TARGETS", "g1")
    add(G, "g1", "INTERACTS_WITH", "g2")
    add(G, "g2", "INTERACTS_WITH", "g1")
    add(G, "g1", "ASSOCIATED_WITH", "d")
    # The walk c-g1-g2-g1-d follows CtGiGiGaD but repeats g1.
    assert list(paths_along(G, "c", "d", "CtGiGiGaD")) == []
    assert dwpc(G, "c", "d", "CtGiGiGaD") == 0.0
    assert [p.nodes for p in paths_along(G, "c", "d", "CtGaD")] == [("c", "g1", "d")]


def test_statement_stored_both_ways_counts_once(hand_graph: nx.MultiDiGraph) -> None:
    doubled = hand_graph.copy()
    for u, v, key, data in list(hand_graph.edges(keys=True, data=True)):
        doubled.add_edge(v, u, key=key, **data)
    once = explain_pair(hand_graph, "C1", "D1")
    twice = explain_pair(doubled, "C1", "D1")
    assert twice.path_count == once.path_count
    assert twice.total == pytest.approx(once.total)
    assert {h.direction for p in twice.paths for h in p.hops} == {"both"}


def test_evidence_is_never_walked() -> None:
    G = nx.MultiDiGraph()
    for node, kind in [("c", "Drug"), ("p", "Prediction"), ("pub", "Publication"),
                       ("t", "ClinicalTrial"), ("d", "Disease"), ("g", "Gene")]:
        G.add_node(node, kind=kind)
    add(G, "p", "OF_DRUG", "c")
    add(G, "p", "FOR_DISEASE", "d")
    add(G, "p", "SUPPORTED_BY", "pub")
    add(G, "pub", "MENTIONS", "d")
    add(G, "t", "MENTIONS", "c")
    add(G, "t", "MENTIONS", "d")
    add(G, "c", "MENTIONS", "g")  # an evidence edge type between mechanism nodes
    add(G, "g", "ASSOCIATED_WITH", "d")
    e = explain_pair(G, "c", "d")
    assert e.path_count == 0 and e.paths == () and e.total == 0.0
    assert "No mechanism path" in format_text(e)
    with pytest.raises(InvalidArgument, match="evidence"):
        explain_pair(G, "c", "d", metapaths=["CmPBmD"])
    with pytest.raises(InvalidArgument, match="not a mechanism node"):
        explain_pair(G, "p", "d")


# -- arguments ----------------------------------------------------------------


@pytest.mark.parametrize("kwargs", [
    {"damping": -0.1}, {"damping": float("nan")}, {"damping": float("inf")},
    {"min_hops": 0}, {"min_hops": 3, "max_hops": 2}, {"max_hops": 99}, {"top": 0},
    {"metapaths": ["CtG"]},  # does not end at a disease
    {"metapaths": ["not a metapath"]},
])
def test_bad_arguments(hand_graph: nx.MultiDiGraph, kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidArgument) as caught:
        explain_pair(hand_graph, "C1", "D1", **kwargs)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, TxkgError)


def test_missing_nodes_and_mismatched_ends(hand_graph: nx.MultiDiGraph) -> None:
    with pytest.raises(NotFound):
        explain_pair(hand_graph, "C1", "nowhere")
    with pytest.raises(NotFound):
        dwpc(hand_graph, "nowhere", "D1", "CtGaD")
    with pytest.raises(InvalidArgument, match="starts at Drug"):
        list(paths_along(hand_graph, "G1", "D1", "CtGaD"))
    with pytest.raises(InvalidArgument, match="same node"):
        explain_pair(hand_graph, "C1", "C1")
    with pytest.raises(InvalidArgument, match="no TARGETS edge"):
        path_degree_product(hand_graph, MechanismPath(("C2", "G1"), ("TARGETS",)))


# -- cross-check against brute force on random graphs --------------------------

KINDS = ["Drug", "Gene", "Gene", "Disease", "Pathway", "Publication"]
TYPES = ["TARGETS", "INTERACTS_WITH", "ASSOCIATED_WITH", "PARTICIPATES_IN", "MENTIONS"]


def random_graph(seed: int, nodes: int, edges: int) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    G.add_node(0, kind="Drug", name="n0")
    G.add_node(1, kind="Disease", name="n1")
    for n in range(2, nodes):
        G.add_node(n, kind=rng.choice(KINDS), name=f"n{n}")
    for _ in range(edges):
        u, v = rng.randrange(nodes), rng.randrange(nodes)
        edge_type = rng.choice(TYPES)
        G.add_edge(u, v, key=edge_type, type=edge_type, provenance=())
    return G


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), nodes=st.integers(3, 11), edges=st.integers(0, 30),
       hops=st.tuples(st.integers(1, 4), st.integers(0, 2)))
def test_paths_and_dwpc_match_brute_force(seed: int, nodes: int, edges: int,
                                          hops: tuple[int, int]) -> None:
    G = random_graph(seed, nodes, edges)
    min_hops, max_hops = hops[0], min(hops[0] + hops[1], 4)
    found = list(mechanism_paths(G, 0, 1, min_hops=min_hops, max_hops=max_hops))
    expected = brute_force_paths(G, 0, 1, min_hops=min_hops, max_hops=max_hops)
    assert len(found) == len(set(found))
    assert set(found) == set(expected)
    metapaths = {mechanism_metapath([G.nodes[n]["kind"] for n in p.nodes], p.edge_types)
                 for p in expected}
    for metapath in metapaths:
        along = list(paths_along(G, 0, 1, metapath))
        assert set(along) == set(brute_force_paths(G, 0, 1, metapath=metapath))
        assert dwpc(G, 0, 1, metapath) == pytest.approx(brute_force_dwpc(G, 0, 1, metapath))
    if min_hops <= max_hops and found:
        e = explain_pair(G, 0, 1, min_hops=min_hops, max_hops=max_hops, top=1000)
        assert e.total == pytest.approx(math.fsum(brute_force_pdp(G, p, W) for p in expected))
        assert len(e.paths) == len(expected)


def test_larger_random_graph_matches_brute_force() -> None:
    G = random_graph(7, 60, 240)
    found = list(mechanism_paths(G, 0, 1))
    expected = brute_force_paths(G, 0, 1)
    assert found and set(found) == set(expected) and len(found) == len(expected)


# -- renderings ---------------------------------------------------------------


def test_text_rendering(hand_graph: nx.MultiDiGraph) -> None:
    text = format_text(explain_pair(hand_graph, "C1", "D1", top=5, ranking="dwpc"))
    assert "Belatacept (C1) → plasma cell myeloma (D1)" in text
    assert "Belatacept -[TARGETS]-> CD86 -[ASSOCIATED_WITH]-> plasma cell myeloma" in text
    assert "CD28 <-[ASSOCIATED_WITH]- plasma cell myeloma" in text
    assert "PMID 9869202" in text
    assert "plasma cell myeloma associated with CD28" in text  # a reverse hop, read as stored
    for heading in ("Top 5 paths", "Metapaths", "First edges", "Last edges"):
        assert heading in text


def test_markdown_rendering(hand_graph: nx.MultiDiGraph) -> None:
    md = format_markdown(explain_pair(hand_graph, "C1", "D1", top=3))
    assert md.startswith("## Belatacept → plasma cell myeloma")
    assert "[PMID 9869202](https://pubmed.ncbi.nlm.nih.gov/9869202/)" in md
    assert "| `CtGaD` | Drug–TARGETS–Gene–ASSOCIATED_WITH–Disease | 2 |" in md


def test_json_form_is_stable(hand_graph: nx.MultiDiGraph) -> None:
    data = explanation_to_dict(explain_pair(hand_graph, "C1", "D1", top=3))
    data = json.loads(json.dumps(data))  # plain JSON all the way down
    assert data["schema"] == SCHEMA
    assert set(data) == {"schema", "drug", "disease", "damping", "ranking", "min_hops",
                         "max_hops", "path_count", "total", "paths", "metapaths",
                         "first_edges", "last_edges", "search", "complete", "score_floor"}
    assert (data["search"], data["complete"], data["score_floor"]) == ("all", True, None)
    path = data["paths"][0]
    assert set(path) == {"rank", "metapath", "nodes", "hops", "pdp", "share", "score",
                         "net_direction", "coherent"}
    assert set(path["hops"][0]) == {"source", "target", "edge_type", "direction", "sources",
                                    "pmids", "nct_ids", "provenance", "predicate", "sign"}
    assert path["nodes"][0] == {"id": "C1", "kind": "Drug", "name": "Belatacept"}


def test_to_networkx(hand_graph: nx.MultiDiGraph) -> None:
    e = explain_pair(hand_graph, "C1", "D1", top=2)
    small = to_networkx(e)
    assert set(small) == {n.id for p in e.paths for n in p.nodes}
    assert small.has_edge("C1", "G1", key="TARGETS")
    assert small.edges["C1", "G1", "TARGETS"]["pmids"] == ("PMID:9869202",)
    # The small graph is itself a valid input: its top path scores again.
    assert explain_pair(small, "C1", "D1").path_count == 2


# -- Hetionet's reference values (hetnetpy's test data) -----------------------

HETIONET_KINDS = {"Gene": "Gene", "Disease": "Disease", "Tissue": "Anatomy",
                  "Compound": "Drug", "Pathway": "Pathway"}
HETIONET_TYPES = {"interaction": "INTERACTS_WITH", "association": "ASSOCIATED_WITH",
                  "expression": "EXPRESSED_IN", "localization": "LOCATED_IN",
                  "binds": "TARGETS", "participates": "PARTICIPATES_IN",
                  "associates": "ASSOCIATED_WITH", "interacts": "INTERACTS_WITH"}


def read_hetnet(path: Path) -> nx.MultiDiGraph:
    """Just enough of a hetnetpy JSON reader for these tests (the loader comes later)."""
    opener = lzma.open if path.suffix == ".xz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    G = nx.MultiDiGraph()
    for node in data["nodes"]:
        kind = HETIONET_KINDS.get(node["kind"], node["kind"])
        G.add_node(f"{node['kind']}::{node['identifier']}", kind=kind, name=node["name"])
    for edge in data["edges"]:
        u = "::".join(map(str, edge["source_id"]))
        v = "::".join(map(str, edge["target_id"]))
        edge_type = HETIONET_TYPES.get(edge["kind"], edge["kind"])
        G.add_edge(u, v, key=edge_type, type=edge_type, provenance=())
    return G


def hetionet_file(name: str) -> Path:
    path = DATA / "hetionet" / name
    if not path.exists():
        pytest.skip(f"{path} is absent (shared development data not mounted)")
    return path


def test_hetnetpy_disease_gene_example() -> None:
    # hetnetpy's own test (from Himmelstein & Baranzini 2015, figure 2): IRF1 → multiple
    # sclerosis; GeTlD has 1 path with DWPC 2 ** -0.5 and GiGaD 3 paths with
    # DWPC 0.25 + 0.25 + 32 ** -0.5, at damping 0.5.
    G = read_hetnet(hetionet_file("disease-gene-example-graph.json"))
    source, target = "Gene::IRF1", "Disease::Multiple Sclerosis"
    getld = Metapath.from_abbreviation("GeAlD")
    assert len(list(paths_along(G, source, target, getld))) == 1
    assert dwpc(G, source, target, getld, damping=0.5) == pytest.approx(2 ** -0.5)
    gigad = Metapath.from_abbreviation("GiGaD")
    assert len(list(paths_along(G, source, target, gigad))) == 3
    assert dwpc(G, source, target, gigad, damping=0.5) == pytest.approx(
        0.25 + 0.25 + 32 ** -0.5)


def test_hetnetpy_bupropion_subgraph() -> None:
    # hetnetpy's test: bupropion → nicotine dependence along CbGpPWpGaD, 142 node-simple
    # paths, DWPC 0.03287590886921623 at damping 0.4 (Hetionet v1.0 subgraph).
    G = read_hetnet(hetionet_file("bupropion-CbGpPWpGaD-subgraph.json.xz"))
    source, target = "Compound::DB01156", "Disease::DOID:0050742"
    metapath = Metapath.from_abbreviation("CtGpPWpGaD")
    assert len(list(paths_along(G, source, target, metapath))) == 142
    assert dwpc(G, source, target, metapath, damping=0.4) == pytest.approx(
        0.03287590886921623)
    e = explain_pair(G, source, target, metapaths=[metapath])
    assert e.path_count == 142 and e.total == pytest.approx(0.03287590886921623)
