"""Best-first search: the same top paths as enumerating every path and ranking them."""

from __future__ import annotations

import itertools
import math
import random

import networkx as nx
import pytest

from graph.errors import InvalidArgument, NotFound
from graph.explain import GraphIndex, explain_pair, mechanism_paths, rank_paths
from graph.explain.best_first import (
    DIVERSITY,
    PER_SEQUENCE,
    RESERVE,
    Diversity,
    SearchCosts,
    ShapeGuide,
    best_paths,
    cost_graph,
    shipped_guide,
    update_cost_graph,
)
from graph.explain.kind_paths import Budget, kind_paths
from graph.explain.ranking import MechanismRanking
from graph.explain.shape import fit_shape

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
    assert second(diversity=Diversity(first_step=0.5)) in {"g1", "g2", "g3"}
    assert second(diversity=Diversity(kinds=0.5)) == "p"


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
    assert picked(diversity=Diversity(nodes=0.3)) == ["g", "h"]
    assert picked(diversity=Diversity(kinds=0.3)) == ["g", "g"]  # one kind sequence


def test_diversity_by_node_flow() -> None:
    """Three routes pass through gene g (via p0, p1, p2), each dearer than the two-hop
    routes through h and through x (x has two more partners); by score and nodes covered
    the second pick is x's route, by node flow one of g's, the node most of the pool's
    score runs through. The best-scoring path comes first either way."""
    G = nx.MultiDiGraph()
    G.add_nodes_from([("c", {"kind": "Drug"}), ("d", {"kind": "Disease"}),
                      ("h", {"kind": "Gene"}), ("x", {"kind": "Gene"}), ("g", {"kind": "Gene"})])
    edges = [("c", "INHIBITS", "h"), ("h", "CAUSES", "d"), ("c", "INHIBITS", "x"),
             ("x", "CAUSES", "d"), ("c", "INHIBITS", "g")]
    for i in range(3):
        G.add_node(f"p{i}", kind="BiologicalProcess")
        edges += [("g", "PARTICIPATES_IN", f"p{i}"), (f"p{i}", "CAUSES", "d")]
    for i in range(2):
        G.add_node(f"y{i}", kind="Disease")
        edges.append(("x", "CAUSES", f"y{i}"))
    for u, t, v in edges:
        G.add_edge(u, v, key=t, type=t)

    def picked(diversity: Diversity) -> list[tuple[str, ...]]:
        return [p.nodes for p in best_paths(G, "c", "d", k=2, diversity=diversity)]

    by_score = picked(Diversity(nodes=0.3))
    by_flow = picked(Diversity(kinds=0.05, flow=True))
    assert by_score[0] == by_flow[0] == ("c", "h", "d")
    assert by_score[1] == ("c", "x", "d")
    assert by_flow[1][1] == "g" and len(by_flow[1]) == 4


def _brute_kind_paths(H: nx.DiGraph, kind: dict, s: str, t: str,
                      kinds: tuple[str, ...]) -> list[tuple[tuple[str, ...], float]]:
    found = []
    for nodes in nx.all_simple_paths(H, s, t, cutoff=len(kinds) - 1):
        if len(nodes) == len(kinds) and all(
                kind[n] == k for n, k in zip(nodes, kinds, strict=True)):
            found.append((tuple(nodes), sum(H[a][b]["cost"] for a, b in itertools.pairwise(nodes))))
    return sorted(found, key=lambda pc: pc[1])


@pytest.mark.parametrize("seed", range(25))
def test_kind_paths_are_the_cheapest_of_their_shape(seed: int) -> None:
    """The layered search returns the cheapest node-simple paths of a kind sequence, the
    same costs as enumerating every simple path and keeping those of that shape."""
    rng = random.Random(seed)
    kinds_pool = ["Drug", "Gene", "Gene", "BiologicalProcess", "Disease"]
    kind = {f"n{i}": rng.choice(kinds_pool) for i in range(14)}
    kind["s"], kind["t"] = "Drug", "Disease"
    H = nx.DiGraph()
    H.add_nodes_from(kind)
    nodes = list(kind)
    for _ in range(45):
        a, b = rng.sample(nodes, 2)
        cost = round(rng.uniform(0.1, 3.0), 3)
        H.add_edge(a, b, cost=cost)
        H.add_edge(b, a, cost=cost + 1.0)
    for shape in [("Drug", "Gene", "Disease"), ("Drug", "Gene", "BiologicalProcess", "Disease"),
                  ("Drug", "Gene", "Gene", "BiologicalProcess", "Disease"),
                  ("Drug", "BiologicalProcess", "Gene", "Gene", "Disease")]:
        expected = _brute_kind_paths(H, kind, "s", "t", shape)
        got = kind_paths(H, kind.__getitem__, "s", "t", shape, per=4)
        assert [round(c, 9) for _, c in got] == [round(c, 9) for _, c in expected[:4]]
        assert all((p, c) in expected for p, c in got)
        assert all(tuple(kind[n] for n in p) == shape for p, _ in got)


def test_a_shape_guide_widens_the_pool() -> None:
    """Yen's pool of 3 holds only the cheap gene routes; the guide brings the process
    route, the only one of the shape seen in curated mechanisms."""
    G = nx.MultiDiGraph()
    G.add_nodes_from([("c", {"kind": "Drug"}), ("d", {"kind": "Disease"}),
                      ("p", {"kind": "BiologicalProcess"}), ("q", {"kind": "Gene"})])
    for i in range(4):
        G.add_node(f"g{i}", kind="Gene")
        G.add_edge("c", f"g{i}", key="INHIBITS", type="INHIBITS")
        G.add_edge(f"g{i}", "d", key="CAUSES", type="CAUSES")
    for u, t, v in [("c", "INHIBITS", "q"), ("q", "PARTICIPATES_IN", "p"), ("p", "CAUSES", "d")]:
        G.add_edge(u, v, key=t, type=t)
    shape = fit_shape([(("Drug", "Gene", "BiologicalProcess", "Disease"),
                        ("INHIBITS", "PARTICIPATES_IN", "CAUSES"))])

    def routes(guide: ShapeGuide | None) -> set[tuple[str, ...]]:
        return {p.nodes for p in best_paths(G, "c", "d", k=3, oversample=1, guide=guide)}

    assert ("c", "q", "p", "d") not in routes(None)
    assert ("c", "q", "p", "d") in routes(ShapeGuide(shape, weight=1.0))


def _gene_routes_and_a_process_route() -> nx.MultiDiGraph:
    """Four cheap drug–gene–disease routes, and two dearer drug–gene–process–disease ones
    (the one through g0 cheaper than the one through q, a gene with more partners)."""
    G = nx.MultiDiGraph()
    G.add_nodes_from([("c", {"kind": "Drug"}), ("d", {"kind": "Disease"})])
    for i in range(4):
        G.add_node(f"g{i}", kind="Gene")
        G.add_edge("c", f"g{i}", key="INHIBITS", type="INHIBITS")
        G.add_edge(f"g{i}", "d", key="CAUSES", type="CAUSES")
    G.add_nodes_from([("q", {"kind": "Gene"}), ("p", {"kind": "BiologicalProcess"}),
                      ("p2", {"kind": "BiologicalProcess"})])
    for u, t, v in [("c", "INHIBITS", "q"), ("q", "PARTICIPATES_IN", "p"), ("p", "CAUSES", "d"),
                    ("g0", "PARTICIPATES_IN", "p2"), ("p2", "CAUSES", "d"),
                    ("q", "INTERACTS_WITH", "x0"), ("q", "INTERACTS_WITH", "x1")]:
        G.add_edge(u, v, key=t, type=t)
    G.nodes["x0"]["kind"] = G.nodes["x1"]["kind"] = "Gene"
    return G


def test_reserved_slots_go_to_probable_shapes_the_pick_missed() -> None:
    """The process shape is the commoner in curated mechanisms but its routes score below
    the gene routes: unreserved, the top 3 are gene routes; one reserved slot brings a
    process route, the one through nodes the pick has not shown yet (q, not g0); more
    reserved slots than uncovered shapes are filled by the pick."""
    G = _gene_routes_and_a_process_route()
    shape = fit_shape([*[(("Drug", "Gene", "BiologicalProcess", "Disease"),
                          ("INHIBITS", "PARTICIPATES_IN", "CAUSES"))] * 3,
                       (("Drug", "Gene", "Disease"), ("INHIBITS", "CAUSES"))])

    def top(reserve: int, nodes: float = 0.3, k: int = 3) -> list[tuple[str, ...]]:
        guide = ShapeGuide(shape, weight=0.0, reserve=reserve)
        return [p.nodes for p in best_paths(G, "c", "d", k=k, oversample=1, guide=guide,
                                            diversity=Diversity(nodes=nodes))]

    unreserved = top(0)
    assert all(len(nodes) == 3 for nodes in unreserved)
    reserved = top(1)
    assert reserved[:2] == unreserved[:2]
    assert reserved[2] == ("c", "q", "p", "d")
    assert top(1, nodes=1.0)[2] == ("c", "g0", "p2", "d")  # no diversity: the best-scoring
    assert top(2) == top(1)  # at most half the slots are reserved
    four = top(2, k=4)
    assert len(four) == 4 and four[:2] == unreserved[:2] and four[2] == ("c", "q", "p", "d")
    assert len(four[3]) == 3  # only one shape left uncovered: the pick fills the last slot


def test_the_shipped_guide_reserves_slots() -> None:
    assert shipped_guide().reserve == RESERVE > 0
    assert shipped_guide().weight == 0.0
    assert shipped_guide().per_sequence == PER_SEQUENCE
    assert DIVERSITY.flow


def test_kind_paths_stop_when_their_budget_is_spent() -> None:
    """A hub's partners cost visits: a small budget ends the search empty-handed, a shared
    budget is drawn down across calls."""
    H = nx.DiGraph()
    kind = {"s": "Drug", "t": "Disease", "h": "Gene"}
    for i in range(50):
        kind[f"p{i}"] = "BiologicalProcess"
        for a, b in (("h", f"p{i}"), (f"p{i}", "t")):
            H.add_edge(a, b, cost=1.0 + i / 100)
            H.add_edge(b, a, cost=2.0)
    H.add_edge("s", "h", cost=1.0)
    H.add_edge("h", "s", cost=2.0)
    shape = ("Drug", "Gene", "BiologicalProcess", "Disease")
    assert [p for p, _ in kind_paths(H, kind.__getitem__, "s", "t", shape, per=1)] == [
        ("s", "h", "p0", "t")]
    assert kind_paths(H, kind.__getitem__, "s", "t", shape, budget=Budget(20)) == []
    shared = Budget(400)
    kind_paths(H, kind.__getitem__, "s", "t", shape, per=1, budget=shared)
    assert 0 < shared.left < 400
