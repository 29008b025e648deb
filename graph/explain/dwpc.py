"""Degree-weighted path counts (Himmelstein & Baranzini 2015, as in Project Rephetio).

* The degree of node ``u`` for metaedge ``Kind(u) -T- K`` is the number of
  distinct ``K`` nodes joined to ``u`` by a ``T`` edge, either direction. It is
  read from ``degrees["T|K"]`` when the node has it (the store's global count),
  else counted in the graph at hand (:meth:`GraphIndex.degree`).
* The path-degree product (PDP) of a path is the product, over its edges
  ``u -T- v``, of ``(D(u, T, kind v) * D(v, T, kind u)) ** -w``; ``w`` is the
  damping exponent.
* The DWPC of a (source, target, metapath) is the sum of the path-degree
  products of its paths. With ``w = 0`` it is the plain path count.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene"}),
...                   ("h", {"kind": "Gene"}), ("d", {"kind": "Disease"})])
>>> for u, t, v in [("c", "TARGETS", "g"), ("c", "TARGETS", "h"), ("g", "ASSOCIATED_WITH", "d")]:
...     _ = G.add_edge(u, v, key=t, type=t, provenance=())
>>> round(dwpc(G, "c", "d", "CtGaD", damping=0.5), 4)  # (2*1)^-0.5 * (1*1)^-0.5
0.7071
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from graph.errors import InvalidArgument
from graph.explain.checks import check_damping, check_ends, require_node
from graph.explain.index import GraphIndex
from graph.explain.metagraph import Metapath, as_metapath
from graph.explain.paths import MechanismPath, indexed_paths_along

if TYPE_CHECKING:
    import networkx as nx


def path_degree_product(G: nx.MultiDiGraph[Any], path: MechanismPath,
                        damping: float = 0.4) -> float:
    """The path-degree product of ``path``: ∏ over edges of ``(D(u) * D(v)) ** -damping``.

    Raises :class:`~graph.errors.InvalidArgument` for a negative damping or a
    hop ``G`` does not hold, :class:`~graph.errors.NotFound` for an unknown node.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene", "degrees":
    ...                   {"TARGETS|Drug": 4}})])
    >>> _ = G.add_edge("c", "g", key="TARGETS")
    >>> path_degree_product(G, MechanismPath(("c", "g"), ("TARGETS",)), damping=0.5)
    0.5
    """
    check_damping(damping)
    index = GraphIndex(G)
    for node in path.nodes:
        require_node(G, node)
    for u, edge_type, v in zip(path.nodes, path.edge_types, path.nodes[1:], strict=False):
        if v not in index.neighbours(u, edge_type, index.kind(v)):
            raise InvalidArgument(f"no {edge_type} edge between {u!r} and {v!r}")
    return indexed_path_degree_product(index, path, damping)


def indexed_path_degree_product(index: GraphIndex, path: MechanismPath,
                                damping: float) -> float:
    """:func:`path_degree_product` on an index, arguments unchecked."""
    product = 1.0
    nodes = path.nodes
    for i, edge_type in enumerate(path.edge_types):
        product *= index.hop_degrees(nodes[i], edge_type, nodes[i + 1]) ** -damping
    return product


def dwpc(G: nx.MultiDiGraph[Any], source: Any, target: Any, metapath: Metapath | str,
         damping: float = 0.4) -> float:
    """Degree-weighted path count: the sum of the path-degree products along ``metapath``.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([(n, {"kind": "Gene"}) for n in "abcd"])
    >>> for u, v in ["ab", "bd", "ac", "cd"]:
    ...     _ = G.add_edge(u, v, key="INTERACTS_WITH")
    >>> dwpc(G, "a", "d", "GiGiG", damping=0.0)  # damping 0: the path count
    2.0
    """
    check_damping(damping)
    require_node(G, source)
    require_node(G, target)
    path = as_metapath(metapath)
    index = GraphIndex(G)
    check_ends(index, source, target, path)
    return math.fsum(indexed_path_degree_product(index, p, damping)
                     for p in indexed_paths_along(index, source, target, path))


__all__ = ["dwpc", "indexed_path_degree_product", "path_degree_product"]
