"""The graph index: a graph's neighbours, degrees and statements, looked up once and kept.

Every measure of the explainer asks the same few questions of a graph many
times: which nodes of a kind are joined to this node by edges of a type, how
many (the node's degree for that metaedge), and how the statement between two
path nodes is stored. :class:`GraphIndex` answers them from the networkx graph
and keeps each answer, so a search over thousands of paths reads each node's
edges once. Build one per computation, on a graph that does not change while it
is used (a changed graph needs a new index).

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene"}),
...                   ("h", {"kind": "Gene", "degrees": {"TARGETS|Drug": 7}})])
>>> _ = G.add_edge("c", "g", key="TARGETS", type="TARGETS")
>>> _ = G.add_edge("c", "h", key="TARGETS", type="TARGETS")
>>> index = GraphIndex(G)
>>> sorted(index.neighbours("c", "TARGETS", "Gene"))
['g', 'h']
>>> index.degree("c", "TARGETS", "Gene"), index.degree("h", "TARGETS", "Drug")
(2, 7)
>>> index.hop_facts("g", "TARGETS", "c")  # stored c -> g: walked backwards, sign unknown
('reverse', None)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graph.explain.explanation import Direction
from graph.explain.polarity import agreed_sign, statement_sign

if TYPE_CHECKING:
    import networkx as nx

#: One stored edge between two path nodes: whether it runs in path order, and its attributes.
StoredStatement = tuple[bool, dict[str, Any]]


class GraphIndex:
    """Neighbours, degrees and statements of one networkx ``MultiDiGraph``, cached.

    The graph is shaped as :mod:`graph.store.base` describes: node attributes
    ``kind`` and optionally ``degrees`` (``{"TYPE|Kind": count}``, the store's
    count over the whole graph); edges keyed by type, in their stored
    direction, with ``type`` (the key when absent).

    Parameters
    ----------
    G : the graph; it must not change while the index is in use.
    hops : :meth:`hop_facts` to share with other indexes, on graphs that hold the same
        statements for each hop both hold (graphs of a hop's every statement, as
        :meth:`~graph.explain.neighbourhood.Neighbourhoods.mechanism_path_graph` gives,
        from one store).
    """

    def __init__(self, G: nx.MultiDiGraph[Any],
                 hops: dict[tuple[Any, str, Any], tuple[Direction, int | None]] | None = None
                 ) -> None:
        self.graph = G
        self._groups: dict[Any, dict[tuple[str, str], dict[Any, None]]] = {}
        self._degrees: dict[tuple[Any, str, str], int] = {}
        self._hops = {} if hops is None else hops

    def kind(self, node: Any) -> str:
        """The node's kind (``"None"`` when it has none)."""
        return str(self.graph.nodes[node].get("kind"))

    def neighbour_groups(self, node: Any) -> dict[tuple[str, str], dict[Any, None]]:
        """Distinct neighbours of ``node`` by (edge type, neighbour kind), either direction.

        Each group is an insertion-ordered dict used as a set: the order
        neighbours are met in the graph, successors first.
        """
        found = self._groups.get(node)
        if found is None:
            found = {}
            nodes = self.graph.nodes
            for adjacency in (self.graph.succ[node], self.graph.pred[node]):
                for other, keyed in adjacency.items():
                    other_kind = str(nodes[other].get("kind"))
                    for key, data in keyed.items():
                        edge_type = str(data.get("type", key))
                        found.setdefault((edge_type, other_kind), {})[other] = None
            self._groups[node] = found
        return found

    def neighbours(self, node: Any, edge_type: str, kind: str) -> dict[Any, None]:
        """Nodes of ``kind`` joined to ``node`` by an ``edge_type`` edge, either direction."""
        return self.neighbour_groups(node).get((edge_type, kind), {})

    def degree(self, node: Any, edge_type: str, neighbour_kind: str) -> int:
        """The node's degree for metaedge ``kind(node) -edge_type- neighbour_kind``.

        Read from the node's ``degrees`` when it has a non-zero entry, else
        counted in the graph at hand.
        """
        cache_key = (node, edge_type, neighbour_kind)
        known = self._degrees.get(cache_key)
        if known is None:
            stored = self.graph.nodes[node].get("degrees")
            value = stored.get(f"{edge_type}|{neighbour_kind}") if stored else None
            known = int(value) if value else len(self.neighbours(node, edge_type, neighbour_kind))
            self._degrees[cache_key] = known
        return known

    def hop_degrees(self, u: Any, edge_type: str, v: Any) -> int:
        """``D(u) * D(v)`` for the hop ``u -edge_type- v``: what the path-degree product damps."""
        return self.degree(u, edge_type, self.kind(v)) * self.degree(v, edge_type, self.kind(u))

    def statements(self, u: Any, edge_type: str, v: Any) -> list[StoredStatement]:
        """The ``edge_type`` edges stored between ``u`` and ``v``, u → v ones first.

        Each is ``(forward, attributes)``: ``forward`` is True for an edge
        stored u → v (in path order), False for one stored v → u.
        """
        found: list[StoredStatement] = []
        for forward, (a, b) in ((True, (u, v)), (False, (v, u))):
            for key, data in self.graph.succ[a].get(b, {}).items():
                if str(data.get("type", key)) == edge_type:
                    found.append((forward, data))
        return found

    def hop_facts(self, u: Any, edge_type: str, v: Any) -> tuple[Direction, int | None]:
        """How the hop ``u -edge_type- v`` is stored relative to the path, and its sign.

        The direction is ``forward`` (stored u → v), ``reverse`` (v → u) or
        ``both``; the sign is the one every stored statement agrees on read
        along the path (:func:`~graph.explain.polarity.statement_sign`), None
        if unknown or if they disagree.
        """
        cache_key = (u, edge_type, v)
        known = self._hops.get(cache_key)
        if known is None:
            stored = self.statements(u, edge_type, v)
            ways = {forward for forward, _ in stored}
            direction: Direction = ("both" if len(ways) == 2
                                    else "forward" if True in ways else "reverse")
            sign = agreed_sign(statement_sign(edge_type, data, "forward" if forward else "reverse")
                               for forward, data in stored)
            known = (direction, sign)
            self._hops[cache_key] = known
        return known


__all__ = ["GraphIndex", "StoredStatement"]
