"""Slow, obviously-correct versions of the explainer's path search, for tests and benchmarks.

Built on :func:`networkx.all_simple_paths` over an undirected projection of
the graph, with degrees counted straight from the edge list. They share no
code with :mod:`graph.explain` beyond its value types, so agreement between the
two is evidence both are right. Do not use them on large graphs.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import networkx as nx

from graph.explain import MechanismPath
from graph.explain.metagraph import Metapath, is_mechanism_edge_type, is_mechanism_kind


def _kind(G: nx.MultiDiGraph[Any], node: Any) -> str:
    return str(G.nodes[node].get("kind"))


def _statements(G: nx.MultiDiGraph[Any]) -> dict[frozenset[Any], set[str]]:
    """Edge types joining each unordered pair of distinct nodes."""
    joined: dict[frozenset[Any], set[str]] = {}
    for u, v, key, data in G.edges(keys=True, data=True):
        if u != v:
            joined.setdefault(frozenset((u, v)), set()).add(str(data.get("type", key)))
    return joined


def brute_force_paths(
    G: nx.MultiDiGraph[Any], source: Any, target: Any, *, min_hops: int = 2,
    max_hops: int = 4, metapath: Metapath | None = None,
) -> list[MechanismPath]:
    """Every node-simple path, by enumerating all simple paths and then filtering.

    Without ``metapath``: paths of ``min_hops``…``max_hops`` edges over
    mechanism kinds and edge types. With it: the paths that follow it.
    """
    joined = _statements(G)
    H: nx.Graph[Any] = nx.Graph()
    H.add_nodes_from(G)
    for pair in joined:
        u, v = tuple(pair)
        H.add_edge(u, v)
    if metapath is not None:
        min_hops = max_hops = metapath.length
    found = []
    for nodes in nx.all_simple_paths(H, source, target, cutoff=max_hops):
        if len(nodes) - 1 < min_hops:
            continue
        kinds = [_kind(G, n) for n in nodes]
        if metapath is None and not all(map(is_mechanism_kind, kinds)):
            continue
        if metapath is not None and tuple(kinds) != metapath.kinds:
            continue
        options = [sorted(joined[frozenset(pair)]) for pair in itertools.pairwise(nodes)]
        for combination in itertools.product(*options):
            if metapath is None and not all(map(is_mechanism_edge_type, combination)):
                continue
            if metapath is not None and combination != metapath.edge_types:
                continue
            found.append(MechanismPath(tuple(nodes), combination))
    return found


def brute_force_degree(G: nx.MultiDiGraph[Any], node: Any, edge_type: str, kind: str) -> int:
    """``degrees["TYPE|Kind"]`` if the node has it, else distinct neighbours counted."""
    stored = G.nodes[node].get("degrees") or {}
    if stored.get(f"{edge_type}|{kind}"):
        return int(stored[f"{edge_type}|{kind}"])
    others = set()
    for u, v, key, data in G.edges(keys=True, data=True):
        if str(data.get("type", key)) != edge_type:
            continue
        if u == node and _kind(G, v) == kind:
            others.add(v)
        if v == node and _kind(G, u) == kind:
            others.add(u)
    return len(others)


def brute_force_pdp(G: nx.MultiDiGraph[Any], path: MechanismPath, damping: float) -> float:
    """Path-degree product with every degree recounted from the edge list."""
    weights = []
    for u, edge_type, v in zip(path.nodes, path.edge_types, path.nodes[1:], strict=False):
        weights.append(brute_force_degree(G, u, edge_type, _kind(G, v)) ** -damping)
        weights.append(brute_force_degree(G, v, edge_type, _kind(G, u)) ** -damping)
    return float(math.prod(weights))


def brute_force_dwpc(G: nx.MultiDiGraph[Any], source: Any, target: Any, metapath: Metapath,
                     damping: float = 0.4) -> float:
    """DWPC from :func:`brute_force_paths` and :func:`brute_force_pdp`."""
    return math.fsum(brute_force_pdp(G, p, damping)
                     for p in brute_force_paths(G, source, target, metapath=metapath))
