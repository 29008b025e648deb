"""Mechanism paths between two nodes: along one metapath, or every one up to a length.

A path is *node-simple* (no node twice); statements are walked in either
direction, and a statement stored both ways is one hop, not two paths. Paths
never pass through evidence (``Prediction``, ``ClinicalTrial``,
``Publication``) nor along evidence edges.

Each search comes twice: a checked function on a graph (:func:`paths_along`,
:func:`mechanism_paths`) and the same search on a :class:`GraphIndex` the
caller already holds, without argument checks (:func:`indexed_paths_along`,
:func:`indexed_mechanism_paths`).

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene"}),
...                   ("h", {"kind": "Gene"}), ("d", {"kind": "Disease"})])
>>> for u, t, v in [("c", "TARGETS", "g"), ("c", "TARGETS", "h"), ("g", "ASSOCIATED_WITH", "d")]:
...     _ = G.add_edge(u, v, key=t, type=t, provenance=())
>>> [p.nodes for p in paths_along(G, "c", "d", "CtGaD")]
[('c', 'g', 'd')]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph.errors import InvalidArgument
from graph.explain.checks import check_ends, check_hops, require_node
from graph.explain.index import GraphIndex
from graph.explain.metagraph import (
    Metapath,
    as_metapath,
    is_mechanism_edge_type,
    is_mechanism_kind,
)

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True, slots=True)
class MechanismPath:
    """A node-simple path: its nodes and the type of each edge, in path order.

    >>> MechanismPath(("c", "g", "d"), ("TARGETS", "ASSOCIATED_WITH")).length
    2
    """

    nodes: tuple[Any, ...]
    edge_types: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.edge_types) != len(self.nodes) - 1 or not self.edge_types:
            raise InvalidArgument(
                f"a path of {len(self.nodes)} nodes needs {len(self.nodes) - 1} edge types, "
                f"got {len(self.edge_types)}"
            )

    @property
    def length(self) -> int:
        return len(self.edge_types)

    def reversed(self) -> MechanismPath:
        return MechanismPath(self.nodes[::-1], self.edge_types[::-1])


# -- paths along one metapath -----------------------------------------------


def paths_along(
    G: nx.MultiDiGraph[Any], source: Any, target: Any, metapath: Metapath | str
) -> Iterator[MechanismPath]:
    """Node-simple paths from ``source`` to ``target`` that follow ``metapath``.

    Parameters
    ----------
    G : MultiDiGraph with node attribute ``kind``; edges keyed by type.
    source, target : node ids in ``G``.
    metapath : a :class:`~graph.explain.metagraph.Metapath` or its abbreviation (``"CtGaD"``).

    Returns
    -------
    An iterator of :class:`MechanismPath`, each in ``source`` → ``target`` order.

    Raises
    ------
    NotFound : ``source`` or ``target`` is not in ``G``.
    InvalidArgument : the metapath is malformed or does not start at the
        source's kind and end at the target's.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([(n, {"kind": "Gene"}) for n in "abc"])
    >>> _ = G.add_edge("a", "b", key="INTERACTS_WITH")
    >>> _ = G.add_edge("c", "b", key="INTERACTS_WITH")
    >>> _ = G.add_edge("a", "c", key="INTERACTS_WITH")
    >>> sorted(p.nodes for p in paths_along(G, "a", "c", "GiGiG"))
    [('a', 'b', 'c')]
    """
    require_node(G, source)
    require_node(G, target)
    path = as_metapath(metapath)
    index = GraphIndex(G)
    check_ends(index, source, target, path)
    return indexed_paths_along(index, source, target, path)


def indexed_paths_along(
    index: GraphIndex, source: Any, target: Any, metapath: Metapath
) -> Iterator[MechanismPath]:
    """:func:`paths_along` on an index, arguments unchecked."""
    if source == target:
        return iter(())
    # Walk from the end with fewer first steps; reverse the paths found.
    first = metapath.edges[0]
    last = metapath.edges[-1]
    from_source = len(index.neighbours(source, first.edge_type, first.target_kind))
    from_target = len(index.neighbours(target, last.edge_type, last.source_kind))
    if from_target < from_source:
        return (p.reversed() for p in _layered_paths(index, target, source, metapath.inverse))
    return _layered_paths(index, source, target, metapath)


def _layered_paths(
    index: GraphIndex, source: Any, target: Any, metapath: Metapath
) -> Iterator[MechanismPath]:
    """Depth-first from ``source``; positions 2… restricted to nodes that reach ``target``."""
    kinds, types = metapath.kinds, metapath.edge_types
    length = len(types)
    # allowed[i]: nodes of kind i that have a neighbour in allowed[i + 1] along edge i + 1.
    allowed: dict[int, dict[Any, None]] = {length: {target: None}}
    for position in range(length - 1, 1, -1):
        layer: dict[Any, None] = {}
        for node in allowed[position + 1]:
            layer.update(index.neighbours(node, types[position], kinds[position]))
        layer.pop(source, None)
        layer.pop(target, None)
        allowed[position] = layer
        if not layer:
            return
    nodes: list[Any] = [source]

    def extend(position: int) -> Iterator[MechanismPath]:
        step = index.neighbours(nodes[-1], types[position - 1], kinds[position])
        if position == length:
            if target in step:
                yield MechanismPath((*nodes, target), types)
            return
        gate = allowed.get(position)
        for node in step:
            if node == target or node in nodes or (gate is not None and node not in gate):
                continue
            nodes.append(node)
            yield from extend(position + 1)
            nodes.pop()

    yield from extend(1)


# -- every mechanism path ----------------------------------------------------


def mechanism_paths(
    G: nx.MultiDiGraph[Any], source: Any, target: Any, *, min_hops: int = 2, max_hops: int = 4
) -> Iterator[MechanismPath]:
    """Every node-simple path of ``min_hops``…``max_hops`` edges over mechanism kinds and types.

    Nodes of kind Prediction, ClinicalTrial or Publication (and of kinds
    outside :data:`graph.model.MECHANISM_KINDS`) and evidence edge types are
    never walked through. Two nodes joined by two edge types give two paths.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene"}),
    ...                   ("p", {"kind": "Publication"}), ("d", {"kind": "Disease"})])
    >>> for u, t, v in [("c", "TARGETS", "g"), ("g", "ASSOCIATED_WITH", "d"),
    ...                 ("c", "MENTIONS", "p"), ("p", "MENTIONS", "d")]:
    ...     _ = G.add_edge(u, v, key=t)
    >>> [p.nodes for p in mechanism_paths(G, "c", "d")]
    [('c', 'g', 'd')]
    """
    require_node(G, source)
    require_node(G, target)
    check_hops(min_hops, max_hops)
    return indexed_mechanism_paths(GraphIndex(G), source, target, min_hops, max_hops)


def indexed_mechanism_paths(
    index: GraphIndex, source: Any, target: Any, min_hops: int, max_hops: int
) -> Iterator[MechanismPath]:
    """:func:`mechanism_paths` on an index, arguments unchecked."""
    if source == target:
        return iter(())
    fan_out = {end: sum(len(o) for *_, o in _mechanism_steps(index, end))
               for end in (source, target)}
    if fan_out[target] < fan_out[source]:
        found = _bounded_paths(index, target, source, min_hops, max_hops)
        return (p.reversed() for p in found)
    return _bounded_paths(index, source, target, min_hops, max_hops)


def _mechanism_steps(index: GraphIndex,
                     node: Any) -> Iterator[tuple[str, str, dict[Any, None]]]:
    for (edge_type, kind), others in index.neighbour_groups(node).items():
        if is_mechanism_edge_type(edge_type) and is_mechanism_kind(kind):
            yield edge_type, kind, others


def _bounded_paths(
    index: GraphIndex, source: Any, target: Any, min_hops: int, max_hops: int
) -> Iterator[MechanismPath]:
    """Depth-first from ``source``, pruned by hop distance to ``target``.

    Distances are exact up to ``max_hops - 2``; beyond that a node is at least
    ``max_hops - 1`` away, which only the source's own neighbours may be.
    """
    horizon = max_hops - 2
    distance = {target: 0}
    frontier = deque([target])
    while frontier:
        node = frontier.popleft()
        if distance[node] >= horizon:
            continue
        for _, _, others in _mechanism_steps(index, node):
            for other in others:
                if other not in distance and other != source:
                    distance[other] = distance[node] + 1
                    frontier.append(other)
    unknown = max(horizon + 1, 1)  # a lower bound on the distance of nodes not reached
    nodes: list[Any] = [source]
    types: list[str] = []
    on_path = {source}

    def extend() -> Iterator[MechanismPath]:
        remaining = max_hops - len(types) - 1  # edges left after the next one
        for edge_type, _, others in _mechanism_steps(index, nodes[-1]):
            for node in others:
                if node == target:
                    if len(types) + 1 >= min_hops:
                        yield MechanismPath((*nodes, node), (*types, edge_type))
                    continue
                if node in on_path or distance.get(node, unknown) > remaining:
                    continue
                nodes.append(node)
                types.append(edge_type)
                on_path.add(node)
                yield from extend()
                on_path.discard(node)
                types.pop()
                nodes.pop()

    yield from extend()


__all__ = [
    "MechanismPath",
    "indexed_mechanism_paths",
    "indexed_paths_along",
    "mechanism_paths",
    "paths_along",
]
