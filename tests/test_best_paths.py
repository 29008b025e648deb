"""Best-first search: the same top paths as enumerating every path and ranking them."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest

from graph.errors import InvalidArgument, NotFound
from graph.explain import GraphIndex, explain_pair, mechanism_paths, rank_paths
from graph.explain.best_first import SearchCosts, best_paths, cost_graph, update_cost_graph
from graph.explain.ranking import MechanismRanking

TYPES = ["INHIBITS", "CAUSES", "ASSOCIATED_WITH", "INTERACTS_WITH"]


def random_graph(seed: int, nodes: int = 8, edges: int = 14) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    kinds = [*["Drug", *(["Gene", "BiologicalProcess"] * nodes)][:nodes - 1], "Disease"]
    for i, kind in enumerate(kinds):
        G.add_node(i, kind=kind, name=str(i))
    pairs = set()
    while len(pairs) < edges:
        u, v = rng.sample(range(nodes), 2)
        if frozenset((u, v)) not in {frozenset(p) for p in pairs}:
            pairs.add((u, v))
    for u, v in sorted(pairs):
        t = rng.choice(TYPES)
        G.add_edge(u, v, key=t, type=t)
    return G


@pytest.mark.parametrize("seed", range(12))
def test_best_first_equals_enumeration_then_ranking(seed: int) -> None:
    G = random_graph(seed)
    costs = SearchCosts(damping=0.4, per_hop=0.7, against=1.3)
    # Without a polarity factor the ranking score is exactly exp(-cost).
    ranking = MechanismRanking(per_hop=math.exp(-0.7), against=math.exp(-1.3),
                               unknown=1.0, incoherent=1.0)
    drug, disease = 0, G.number_of_nodes() - 1
    every = list(mechanism_paths(G, drug, disease, min_hops=2, max_hops=7))
    ranked = rank_paths(GraphIndex(G), every, damping=0.4, ranker=ranking)
    expected_scores = [score for *_, score in ranked[:4]]
    found = best_paths(G, drug, disease, k=4, max_hops=7, costs=costs, ranking=ranking)
    found_scores = [score for *_, score in rank_paths(GraphIndex(G), found, damping=0.4,
                                                      ranker=ranking)]
    assert found_scores == pytest.approx(expected_scores)


def test_updating_the_cost_graph_equals_rebuilding_it() -> None:
    G = random_graph(3, nodes=10, edges=20)
    H = cost_graph(G)
    u, v, key = next(iter(G.edges(keys=True)))
    G.remove_edge(u, v, key=key)
    update_cost_graph(H, G, {u, v})
    fresh = cost_graph(G)
    def rounded(graph: nx.DiGraph) -> list[tuple[int, int, float]]:
        return sorted((a, b, round(c, 9)) for a, b, c in graph.edges(data="cost"))

    assert rounded(H) == rounded(fresh)


def test_explain_pair_best_first_search() -> None:
    G = random_graph(5)
    e = explain_pair(G, 0, 7, search="best-first", top=3, max_hops=6)
    assert 1 <= len(e.paths) <= 3 and e.path_count == len(e.paths)
    with pytest.raises(InvalidArgument):
        explain_pair(G, 0, 7, search="greedy")
    with pytest.raises(NotFound):
        best_paths(G, 0, "nowhere")


def test_diversity_by_kind_sequence() -> None:
    """Three drug → gene → disease paths outscore one drug → process → disease path (its
    process is a hub); diversified by kind sequence, the second pick is the process path,
    diversified by first step it is not (each gene is its own first step)."""
    G = nx.MultiDiGraph()
    G.add_nodes_from([("c", {"kind": "Drug"}), ("d", {"kind": "Disease"}),
                      ("p", {"kind": "BiologicalProcess"})])
    for g in ("g1", "g2", "g3"):
        G.add_node(g, kind="Gene")
        G.add_edge("c", g, key="INHIBITS", type="INHIBITS")
        G.add_edge(g, "d", key="CAUSES", type="CAUSES")
    G.add_edge("c", "p", key="INHIBITS", type="INHIBITS")
    G.add_edge("p", "d", key="CAUSES", type="CAUSES")
    for i in range(15):  # p a hub: its path scores less than a gene path, more than half
        G.add_node(f"x{i}", kind="Disease")
        G.add_edge("p", f"x{i}", key="CAUSES", type="CAUSES")

    def second(**options: object) -> str:
        return str(best_paths(G, "c", "d", k=2, **options)[1].nodes[1])  # type: ignore[arg-type]

    assert second() in {"g1", "g2", "g3"}
    assert second(diversity=0.5) in {"g1", "g2", "g3"}
    assert second(diversity=0.5, diverse_by="kinds") == "p"


def test_diversity_by_nodes_covered() -> None:
    """Two routes through gene g (via p1 or p2) outscore the route through h, a hub's
    neighbour; diversified by nodes covered, the second pick is h's route, because the
    other g route repeats g."""
    G = nx.MultiDiGraph()
    G.add_nodes_from([("c", {"kind": "Drug"}), ("d", {"kind": "Disease"}),
                      ("g", {"kind": "Gene"}), ("h", {"kind": "Gene"}),
                      ("p1", {"kind": "Pathway"}), ("p2", {"kind": "Pathway"}),
                      ("q", {"kind": "Pathway"})])
    for u, t, v in [("c", "INHIBITS", "g"), ("g", "PARTICIPATES_IN", "p1"),
                    ("g", "PARTICIPATES_IN", "p2"), ("p1", "CAUSES", "d"),
                    ("p2", "CAUSES", "d"), ("c", "INHIBITS", "h"),
                    ("h", "PARTICIPATES_IN", "q"), ("q", "CAUSES", "d")]:
        G.add_edge(u, v, key=t, type=t)
    for i in range(6):  # q a hub: h's route scores less than either g route
        G.add_node(f"x{i}", kind="Disease")
        G.add_edge("q", f"x{i}", key="CAUSES", type="CAUSES")

    def picked(**options: object) -> list[str]:
        found = best_paths(G, "c", "d", k=2, **options)  # type: ignore[arg-type]
        return sorted(str(p.nodes[1]) for p in found)

    assert picked() == ["g", "g"]
    assert picked(diversity=0.3, diverse_by="nodes") == ["g", "h"]
    assert picked(diversity=0.3, diverse_by="kinds") == ["g", "g"]  # one kind sequence
