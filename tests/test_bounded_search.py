"""The bounded search against the exhaustive one: the same top paths, and the stated floor holds.

Random graphs with hubs (a drug interacting with many drugs, genes with many
partners), statements stored one way, the other or both, some with signed
predicates; for both rankings and 2 to 4 hops, the bounded search's top paths
must be the exhaustive search's top paths in the same order, and every path
scoring at least its floor must be counted.
"""

from __future__ import annotations

import random
from typing import Any

import networkx as nx
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from graph.errors import InvalidArgument
from graph.explain import explain_pair
from graph.explain.bounded import top_paths
from graph.explain.explanation import Explanation, RankedPath
from graph.explain.meet import candidate_paths
from graph.explain.neighbourhood import CachedNeighbourhoods, GraphNeighbourhoods
from graph.explain.ranking import RANKINGS, HopFactors

#: (source kind, type, target kind, predicates a statement may carry)
METAEDGES = [
    ("Drug", "TARGETS", "Gene", ("decreases activity of", "increases activity of", None)),
    ("Drug", "INTERACTS_WITH", "Drug", (None,)),
    ("Drug", "INDICATED_FOR", "Disease", (None,)),
    ("Gene", "INTERACTS_WITH", "Gene", ("positively regulates", "negatively regulates", None)),
    ("Disease", "ASSOCIATED_WITH", "Gene", (None, "positively correlated with")),
    ("Gene", "PARTICIPATES_IN", "Pathway", (None,)),
    ("Pathway", "CAUSES", "Disease", (None,)),
]
KINDS = {"Drug": 14, "Gene": 30, "Disease": 6, "Pathway": 6}


def random_graph(seed: int) -> nx.MultiDiGraph[Any]:
    """A small typed graph with hubs, both storage directions and some predicates."""
    rng = random.Random(seed)
    G: nx.MultiDiGraph[Any] = nx.MultiDiGraph()
    nodes = {kind: [f"{kind[:2]}{i}" for i in range(n)] for kind, n in KINDS.items()}
    for kind, names in nodes.items():
        G.add_nodes_from((n, {"kind": kind, "name": n.lower()}) for n in names)
    hubs = {kind: names[: 2] for kind, names in nodes.items()}
    for a_kind, edge_type, b_kind, predicates in METAEDGES:
        for _ in range(rng.randint(10, 40)):
            a = rng.choice(hubs[a_kind] if rng.random() < 0.4 else nodes[a_kind])
            b = rng.choice(hubs[b_kind] if rng.random() < 0.4 else nodes[b_kind])
            if a == b:
                continue
            predicate = rng.choice(predicates)
            data = {"type": edge_type, "provenance": (),
                    "properties": {"predicate": predicate} if predicate else {}}
            way = rng.random()
            if way < 0.7:
                G.add_edge(a, b, key=edge_type, **data)
            if way >= 0.55:
                G.add_edge(b, a, key=edge_type, **data)
    return G


def listed(e: Explanation) -> list[RankedPath]:
    """Mechanisms and associations (listed apart) back in one ranking, best first."""
    return sorted([*e.paths, *e.associations],
                  key=lambda p: (-p.score, -p.pdp, p.metapath, tuple(n.id for n in p.nodes)))


def ranked(e: Explanation) -> list[tuple[tuple[str, ...], tuple[str, ...], float]]:
    return [(tuple(n.id for n in p.nodes), tuple(h.edge_type for h in p.hops), p.score)
            for p in listed(e)]


def assert_same_top(G: nx.MultiDiGraph[Any], drug: str, disease: str, **options: Any) -> None:
    top = options.pop("top")
    every = explain_pair(G, drug, disease, search="all", top=10_000, **options)
    bounded = explain_pair(G, drug, disease, search="bounded", top=top, **options)
    assert bounded.search == "bounded"
    expected = ranked(every)
    found = ranked(bounded)[:top]  # mechanisms and associations, each up to top
    assert [(n, t) for n, t, _ in found] == [(n, t) for n, t, _ in expected[:top]]
    assert [s for *_, s in found] == pytest.approx([s for *_, s in expected[:top]], rel=1e-12)
    if bounded.complete:
        assert bounded.path_count == every.path_count
        assert bounded.total == pytest.approx(every.total, rel=1e-12)
    else:
        floor = bounded.score_floor
        assert floor is not None and floor > 0
        # every path scoring >= the floor is counted, and nothing else
        above = [s for *_, s in expected if s >= floor]
        assert bounded.path_count == len(above) >= min(top, len(expected))
        assert all(s < floor for *_, s in expected[len(above):])


@settings(max_examples=40, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), top=st.sampled_from([1, 3, 10]))
@example(seed=9690, top=1)  # a joining hop's far ends left out once went unrecorded
def test_bounded_top_paths_equal_exhaustive_ones(seed: int, top: int) -> None:
    G = random_graph(seed)
    rng = random.Random(seed)
    drug = rng.choice(["Dr0", "Dr1", f"Dr{rng.randint(2, 13)}"])
    disease = f"Di{rng.randint(0, 5)}"
    for ranking in ("mechanism", "dwpc"):
        for max_hops in (2, 3, 4):
            assert_same_top(G, drug, disease, top=top, ranking=ranking, max_hops=max_hops)
    assert_same_top(G, drug, disease, top=top, min_hops=1, max_hops=3)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), damping=st.sampled_from([0.0, 0.5, 1.0]))
def test_bounded_search_at_other_dampings(seed: int, damping: float) -> None:
    G = random_graph(seed)
    assert_same_top(G, "Dr0", "Di1", top=5, damping=damping)


def hub_graph() -> nx.MultiDiGraph[Any]:
    """A drug whose best path starts with its most crowded metaedge.

    ``drug`` targets three genes that each reach the disease through a hub gene
    (many partners), and interacts with 40 drugs, one of which (``d7``) is the
    only drug indicated for the disease: the best path runs through the drug's
    highest-degree metaedge, which a search that dropped crowded groups by their
    degree alone would never open.
    """
    G: nx.MultiDiGraph[Any] = nx.MultiDiGraph()
    G.add_node("drug", kind="Drug", name="drug")
    G.add_node("disease", kind="Disease", name="disease")
    G.add_node("hub", kind="Gene", name="hub")
    for i in range(40):
        G.add_node(f"d{i}", kind="Drug", name=f"d{i}")
        G.add_edge("drug", f"d{i}", key="INTERACTS_WITH", type="INTERACTS_WITH")
    G.add_edge("d7", "disease", key="INDICATED_FOR", type="INDICATED_FOR")
    for i in range(3):
        G.add_node(f"g{i}", kind="Gene", name=f"g{i}")
        G.add_edge("drug", f"g{i}", key="TARGETS", type="TARGETS")
        G.add_edge(f"g{i}", "hub", key="INTERACTS_WITH", type="INTERACTS_WITH")
    for i in range(300):
        G.add_node(f"p{i}", kind="Gene", name=f"p{i}")
        G.add_edge("hub", f"p{i}", key="INTERACTS_WITH", type="INTERACTS_WITH")
        if i % 10 == 0:  # weak paths drug - g - hub - p - disease
            G.add_edge("disease", f"p{i}", key="ASSOCIATED_WITH", type="ASSOCIATED_WITH")
    G.add_edge("disease", "hub", key="ASSOCIATED_WITH", type="ASSOCIATED_WITH")
    return G


@pytest.mark.parametrize("ranking", ["mechanism", "dwpc"])
def test_the_best_path_behind_a_crowded_first_hop_is_found(ranking: str) -> None:
    G = hub_graph()
    bounded = explain_pair(G, "drug", "disease", top=1, ranking=ranking, search="bounded")
    every = explain_pair(G, "drug", "disease", top=1, ranking=ranking, search="all")
    assert [n.id for n in listed(bounded)[0].nodes] == ["drug", "d7", "disease"]
    assert bounded.associations[0].evidence == "association"  # d7's indication: listed apart
    assert ranked(bounded)[:1] == ranked(every)[:1]
    assert not bounded.complete and bounded.path_count < every.path_count


def test_pruning_reads_fewer_neighbours_than_there_are() -> None:
    """The bounded search reads fewer neighbour rows, over all its rounds, than one walk
    of every statement both ways (what enumerating every path up to 4 hops reads)."""
    G = hub_graph()
    found = top_paths(GraphNeighbourhoods(G), "drug", "disease", top=1, damping=0.4,
                      ranker=RANKINGS["dwpc"])
    assert not found.complete
    assert found.fetched < 2 * G.number_of_edges()
    assert found.ranked[0][0].nodes == ("drug", "d7", "disease")


def test_nothing_pruned_at_floor_zero_finds_every_path() -> None:
    G = random_graph(7)
    every = explain_pair(G, "Dr0", "Di1", search="all", top=10_000)
    found = candidate_paths(GraphNeighbourhoods(G), "Dr0", "Di1", HopFactors(damping=0.4),
                            tau=0.0, min_hops=2, max_hops=4)
    assert found.pruned is None
    assert sorted((p.nodes, p.edge_types) for p in found.paths) == sorted(
        (tuple(n.id for n in p.nodes), tuple(h.edge_type for h in p.hops))
        for p in listed(every))


@pytest.mark.parametrize("metapath", ["CtGaD", "CtGiGaD", "CiCiCtGaD", "CtGpPWcD"])
def test_bounded_metapaths_are_exact(metapath: str) -> None:
    G = random_graph(11)
    every = explain_pair(G, "Dr0", "Di1", metapaths=[metapath], top=10_000)
    bounded = explain_pair(G, "Dr0", "Di1", metapaths=[metapath], top=10_000,
                           search="bounded")
    assert bounded.complete and bounded.search == "metapaths"
    assert bounded.path_count == every.path_count
    assert bounded.total == pytest.approx(every.total, rel=1e-12)
    assert ranked(bounded) == ranked(every)


def test_a_cache_answers_the_same() -> None:
    G = random_graph(3)
    hood = CachedNeighbourhoods(GraphNeighbourhoods(G))
    for disease in ("Di0", "Di1", "Di2", "Di1"):
        direct = top_paths(GraphNeighbourhoods(G), "Dr0", disease, top=5, damping=0.4,
                           ranker=RANKINGS["mechanism"])
        cached = top_paths(hood, "Dr0", disease, top=5, damping=0.4,
                           ranker=RANKINGS["mechanism"])
        assert [(p, s) for p, _, _, s in cached.ranked] == [(p, s) for p, _, _, s in
                                                              direct.ranked]


def test_a_custom_ranking_cannot_be_bounded() -> None:
    with pytest.raises(InvalidArgument, match="per-hop factors"):
        explain_pair(random_graph(1), "Dr0", "Di1", ranking=lambda facts: facts.pdp,
                     search="bounded")


def test_collector_paused_nests_and_restores_the_collector() -> None:
    import gc

    from graph.gc_pause import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause leaves the outer one in force
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()


def _doubly_joined(seed: int) -> nx.MultiDiGraph[Any]:
    """:func:`random_graph` where the drug also interacts with some of its targets: a first
    level holding two partials ending at one node (a shared first level once kept one)."""
    G = random_graph(seed)
    for gene in sorted({v for _, v, t in G.out_edges("Dr0", keys=True) if t == "TARGETS"})[:3]:
        G.add_edge("Dr0", gene, key="INTERACTS_WITH", type="INTERACTS_WITH", provenance=(),
                   properties={})
    return G


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), top=st.sampled_from([1, 3, 10]))
@example(seed=3, top=5)
def test_one_drugs_searches_in_lockstep_find_what_each_finds_alone(seed: int, top: int) -> None:
    from graph.explain.bounded import SearchMemos
    from graph.explain.lockstep import in_lockstep

    G = _doubly_joined(seed)
    diseases = [f"Di{i}" for i in range(KINDS["Disease"])]
    ranker = RANKINGS["mechanism"]

    def search(disease: str, memos: SearchMemos | None = None) -> Any:
        return lambda hood: top_paths(hood, "Dr0", disease, top=top, damping=0.4,
                                      ranker=ranker, memos=memos)

    def seen(found: Any) -> Any:
        return [(p, s) for p, _, _, s in found.ranked], found.complete, found.floor

    alone = [seen(search(d)(GraphNeighbourhoods(G))) for d in diseases]
    shared, hood = SearchMemos(), CachedNeighbourhoods(GraphNeighbourhoods(G))
    together = in_lockstep(hood, [search(d, shared) for d in diseases])
    assert [seen(found) for found in together] == alone
    shared = SearchMemos()  # one after another, sharing what they read (the memo first)
    assert [seen(search(d, shared)(hood)) for d in diseases] == alone


@settings(max_examples=30, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), top=st.sampled_from([1, 3, 10]))
def test_a_reused_first_level_keeps_every_partial_at_a_node(seed: int, top: int) -> None:
    """A first level reused between rounds of one search holds the two partials that end at
    a node the drug reaches by two edge types: the top paths equal the exhaustive ones."""
    G = _doubly_joined(seed)
    for disease in ("Di0", "Di1", "Di2"):
        assert_same_top(G, "Dr0", disease, top=top, max_hops=3)
