"""Mechanism paths between a drug and a disease, weighted by degree-weighted path counts.

The functions take a networkx ``MultiDiGraph`` shaped as
:mod:`graph.store.base` describes (node attributes ``kind``, ``name`` and
optionally ``degrees``; edges keyed by type with ``type`` and ``provenance``).

Definitions (Himmelstein & Baranzini 2015, as in Project Rephetio):

* A path is *node-simple* (no node twice) and follows a metapath.
* Statements are read in either direction; the stored direction is kept for
  display. A statement stored both ways is one hop, not two paths.
* The degree of node ``u`` for metaedge ``Kind(u) -T- K`` is the number of
  distinct ``K`` nodes joined to ``u`` by a ``T`` edge, either direction. It is
  read from ``degrees["T|K"]`` when the node has it (the store's global count),
  else counted in the graph at hand.
* The path-degree product of a path is the product, over its edges ``u -T- v``,
  of ``(D(u, T, kind v) * D(v, T, kind u)) ** -w``; ``w`` is the damping exponent.
* The DWPC of a (source, target, metapath) is the sum of the path-degree
  products of its paths. With ``w = 0`` it is the plain path count.

>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene"}),
...                   ("h", {"kind": "Gene"}), ("d", {"kind": "Disease"})])
>>> for u, t, v in [("c", "TARGETS", "g"), ("c", "TARGETS", "h"), ("g", "ASSOCIATED_WITH", "d")]:
...     _ = G.add_edge(u, v, key=t, type=t, provenance=())
>>> [p.nodes for p in paths_along(G, "c", "d", "CtGaD")]
[('c', 'g', 'd')]
>>> round(dwpc(G, "c", "d", "CtGaD", damping=0.5), 4)  # (2*1)^-0.5 * (1*1)^-0.5
0.7071
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.errors import InvalidArgument, NotFound
from graph.explain.explanation import (
    Direction,
    EdgeContribution,
    Explanation,
    Hop,
    MetapathContribution,
    PathNode,
    RankedPath,
)
from graph.explain.metagraph import (
    Metapath,
    is_mechanism_edge_type,
    is_mechanism_kind,
    mechanism_metapath,
)
from graph.explain.polarity import net_direction, net_effect, statement_sign
from graph.explain.ranking import DEFAULT_RANKING, PathFacts, PathRanking, ranking_named
from graph.model import Provenance

#: Longest path explain_pair searches; the number of paths grows fast with length.
MAX_HOPS_LIMIT = 8


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


class _Walker:
    """Cached neighbourhoods and degrees of one graph, for one computation."""

    def __init__(self, G: nx.MultiDiGraph[Any]) -> None:
        self.G = G
        self._groups: dict[Any, dict[tuple[str, str], dict[Any, None]]] = {}
        self._degrees: dict[tuple[Any, str, str], int] = {}
        self._hops: dict[tuple[Any, str, Any], tuple[Direction, int | None]] = {}

    def kind(self, node: Any) -> str:
        return str(self.G.nodes[node].get("kind"))

    def groups(self, node: Any) -> dict[tuple[str, str], dict[Any, None]]:
        """Distinct neighbours of ``node`` by (edge type, neighbour kind), either direction."""
        found = self._groups.get(node)
        if found is None:
            found = {}
            nodes = self.G.nodes
            for adjacency in (self.G.succ[node], self.G.pred[node]):
                for other, keyed in adjacency.items():
                    other_kind = str(nodes[other].get("kind"))
                    for key, data in keyed.items():
                        edge_type = str(data.get("type", key))
                        found.setdefault((edge_type, other_kind), {})[other] = None
            self._groups[node] = found
        return found

    def neighbours(self, node: Any, edge_type: str, kind: str) -> dict[Any, None]:
        return self.groups(node).get((edge_type, kind), {})

    def degree(self, node: Any, edge_type: str, neighbour_kind: str) -> int:
        cache_key = (node, edge_type, neighbour_kind)
        known = self._degrees.get(cache_key)
        if known is None:
            stored = self.G.nodes[node].get("degrees")
            value = stored.get(f"{edge_type}|{neighbour_kind}") if stored else None
            known = int(value) if value else len(self.neighbours(node, edge_type, neighbour_kind))
            self._degrees[cache_key] = known
        return known

    def hop_facts(self, u: Any, edge_type: str, v: Any) -> tuple[Direction, int | None]:
        """How the ``edge_type`` statement(s) between u and v are stored, and the hop's sign."""
        cache_key = (u, edge_type, v)
        known = self._hops.get(cache_key)
        if known is None:
            ways: set[bool] = set()
            signs: list[int | None] = []
            for forward, (a, b) in ((True, (u, v)), (False, (v, u))):
                for key, data in self.G.succ[a].get(b, {}).items():
                    if str(data.get("type", key)) == edge_type:
                        ways.add(forward)
                        signs.append(statement_sign(edge_type, data,
                                                    "forward" if forward else "reverse"))
            direction: Direction = ("both" if len(ways) == 2
                                    else "forward" if True in ways else "reverse")
            known = (direction, _agreed_sign(signs))
            self._hops[cache_key] = known
        return known

    def pdp(self, path: MechanismPath, damping: float) -> float:
        product = 1.0
        nodes = path.nodes
        for i, edge_type in enumerate(path.edge_types):
            u, v = nodes[i], nodes[i + 1]
            degrees = self.degree(u, edge_type, self.kind(v)) * self.degree(
                v, edge_type, self.kind(u)
            )
            product *= degrees ** -damping
        return product


# -- argument checks ---------------------------------------------------------


def _require_node(G: nx.MultiDiGraph[Any], node: Any) -> None:
    if node not in G:
        raise NotFound(str(node))


def _check_damping(damping: float) -> None:
    if not (isinstance(damping, int | float) and math.isfinite(damping) and damping >= 0):
        raise InvalidArgument(f"damping must be a finite number >= 0, got {damping!r}")


def _as_metapath(metapath: Metapath | str) -> Metapath:
    return metapath if isinstance(metapath, Metapath) else Metapath.from_abbreviation(metapath)


def _check_ends(walker: _Walker, source: Any, target: Any, metapath: Metapath) -> None:
    for role, node, kind in (("source", source, metapath.source_kind),
                             ("target", target, metapath.target_kind)):
        if walker.kind(node) != kind:
            raise InvalidArgument(
                f"{role} {node!r} is a {walker.kind(node)}; metapath "
                f"{metapath.abbreviation} {'starts' if role == 'source' else 'ends'} at {kind}"
            )


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
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([(n, {"kind": "Gene"}) for n in "abc"])
    >>> _ = G.add_edge("a", "b", key="INTERACTS_WITH")
    >>> _ = G.add_edge("c", "b", key="INTERACTS_WITH")
    >>> _ = G.add_edge("a", "c", key="INTERACTS_WITH")
    >>> sorted(p.nodes for p in paths_along(G, "a", "c", "GiGiG"))
    [('a', 'b', 'c')]
    """
    _require_node(G, source)
    _require_node(G, target)
    path = _as_metapath(metapath)
    walker = _Walker(G)
    _check_ends(walker, source, target, path)
    return _paths_along(walker, source, target, path)


def _paths_along(
    walker: _Walker, source: Any, target: Any, metapath: Metapath
) -> Iterator[MechanismPath]:
    if source == target:
        return iter(())
    # Walk from the end with fewer first steps; reverse the paths found.
    first = metapath.edges[0]
    last = metapath.edges[-1]
    from_source = len(walker.neighbours(source, first.edge_type, first.target_kind))
    from_target = len(walker.neighbours(target, last.edge_type, last.source_kind))
    if from_target < from_source:
        return (p.reversed() for p in _layered_paths(walker, target, source, metapath.inverse))
    return _layered_paths(walker, source, target, metapath)


def _layered_paths(
    walker: _Walker, source: Any, target: Any, metapath: Metapath
) -> Iterator[MechanismPath]:
    """Depth-first from ``source``; positions 2… restricted to nodes that reach ``target``."""
    kinds, types = metapath.kinds, metapath.edge_types
    length = len(types)
    # allowed[i]: nodes of kind i that have a neighbour in allowed[i + 1] along edge i + 1.
    allowed: dict[int, dict[Any, None]] = {length: {target: None}}
    for position in range(length - 1, 1, -1):
        layer: dict[Any, None] = {}
        for node in allowed[position + 1]:
            layer.update(walker.neighbours(node, types[position], kinds[position]))
        layer.pop(source, None)
        layer.pop(target, None)
        allowed[position] = layer
        if not layer:
            return
    nodes: list[Any] = [source]

    def extend(position: int) -> Iterator[MechanismPath]:
        step = walker.neighbours(nodes[-1], types[position - 1], kinds[position])
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


# -- degree-weighted path counts --------------------------------------------


def path_degree_product(G: nx.MultiDiGraph[Any], path: MechanismPath,
                        damping: float = 0.4) -> float:
    """The path-degree product of ``path``: ∏ over edges of ``(D(u) * D(v)) ** -damping``.

    Raises :class:`~graph.errors.InvalidArgument` for a negative damping or a
    hop ``G`` does not hold, :class:`~graph.errors.NotFound` for an unknown node.

    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene", "degrees":
    ...                   {"TARGETS|Drug": 4}})])
    >>> _ = G.add_edge("c", "g", key="TARGETS")
    >>> path_degree_product(G, MechanismPath(("c", "g"), ("TARGETS",)), damping=0.5)
    0.5
    """
    _check_damping(damping)
    walker = _Walker(G)
    for node in path.nodes:
        _require_node(G, node)
    for u, edge_type, v in zip(path.nodes, path.edge_types, path.nodes[1:], strict=False):
        if v not in walker.neighbours(u, edge_type, walker.kind(v)):
            raise InvalidArgument(f"no {edge_type} edge between {u!r} and {v!r}")
    return walker.pdp(path, damping)


def dwpc(G: nx.MultiDiGraph[Any], source: Any, target: Any, metapath: Metapath | str,
         damping: float = 0.4) -> float:
    """Degree-weighted path count: the sum of the path-degree products along ``metapath``.

    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([(n, {"kind": "Gene"}) for n in "abcd"])
    >>> for u, v in ["ab", "bd", "ac", "cd"]:
    ...     _ = G.add_edge(u, v, key="INTERACTS_WITH")
    >>> dwpc(G, "a", "d", "GiGiG", damping=0.0)  # damping 0: the path count
    2.0
    """
    _check_damping(damping)
    _require_node(G, source)
    _require_node(G, target)
    path = _as_metapath(metapath)
    walker = _Walker(G)
    _check_ends(walker, source, target, path)
    return math.fsum(walker.pdp(p, damping) for p in _paths_along(walker, source, target, path))


# -- every mechanism path ----------------------------------------------------


def mechanism_paths(
    G: nx.MultiDiGraph[Any], source: Any, target: Any, *, min_hops: int = 2, max_hops: int = 4
) -> Iterator[MechanismPath]:
    """Every node-simple path of ``min_hops``…``max_hops`` edges over mechanism kinds and types.

    Nodes of kind Prediction, ClinicalTrial or Publication (and of kinds
    outside :data:`graph.model.MECHANISM_KINDS`) and evidence edge types are
    never walked through. Two nodes joined by two edge types give two paths.

    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene"}),
    ...                   ("p", {"kind": "Publication"}), ("d", {"kind": "Disease"})])
    >>> for u, t, v in [("c", "TARGETS", "g"), ("g", "ASSOCIATED_WITH", "d"),
    ...                 ("c", "MENTIONS", "p"), ("p", "MENTIONS", "d")]:
    ...     _ = G.add_edge(u, v, key=t)
    >>> [p.nodes for p in mechanism_paths(G, "c", "d")]
    [('c', 'g', 'd')]
    """
    _require_node(G, source)
    _require_node(G, target)
    _check_hops(min_hops, max_hops)
    walker = _Walker(G)
    return _mechanism_paths(walker, source, target, min_hops, max_hops)


def _check_hops(min_hops: int, max_hops: int) -> None:
    if not (isinstance(min_hops, int) and isinstance(max_hops, int)
            and 1 <= min_hops <= max_hops <= MAX_HOPS_LIMIT):
        raise InvalidArgument(
            f"need 1 <= min_hops <= max_hops <= {MAX_HOPS_LIMIT}, got {min_hops} and {max_hops}"
        )


def _mechanism_steps(walker: _Walker, node: Any) -> Iterator[tuple[str, str, dict[Any, None]]]:
    for (edge_type, kind), others in walker.groups(node).items():
        if is_mechanism_edge_type(edge_type) and is_mechanism_kind(kind):
            yield edge_type, kind, others


def _mechanism_paths(
    walker: _Walker, source: Any, target: Any, min_hops: int, max_hops: int
) -> Iterator[MechanismPath]:
    if source == target:
        return iter(())
    fan_out = {end: sum(len(o) for *_, o in _mechanism_steps(walker, end))
               for end in (source, target)}
    if fan_out[target] < fan_out[source]:
        found = _bounded_paths(walker, target, source, min_hops, max_hops)
        return (p.reversed() for p in found)
    return _bounded_paths(walker, source, target, min_hops, max_hops)


def _bounded_paths(
    walker: _Walker, source: Any, target: Any, min_hops: int, max_hops: int
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
        for _, _, others in _mechanism_steps(walker, node):
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
        for edge_type, _, others in _mechanism_steps(walker, nodes[-1]):
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


# -- explanations ------------------------------------------------------------


def explain_pair(
    G: nx.MultiDiGraph[Any],
    drug_id: Any,
    disease_id: Any,
    *,
    max_hops: int = 4,
    min_hops: int = 2,
    damping: float = 0.4,
    top: int = 25,
    metapaths: Iterable[Metapath | str] | None = None,
    ranking: str | PathRanking = DEFAULT_RANKING,
    search: str = "all",
) -> Explanation:
    """Why ``drug_id`` might treat ``disease_id``: its mechanism paths, ranked.

    Parameters
    ----------
    G : mechanism (sub)graph as :meth:`GraphStore.mechanism_subgraph` returns it.
    drug_id, disease_id : the two ends (any mechanism kinds; named for the usual case).
    max_hops, min_hops : path lengths searched when ``metapaths`` is None. The
        direct drug–disease edge (length 1) is left out by the default ``min_hops=2``.
    damping : the exponent ``w`` of the path-degree product (0 counts paths).
    top : how many paths to return in ``paths``; tables cover every path.
    metapaths : only these metapaths (objects or abbreviations), whatever their length.
    ranking : how paths are ordered: a name in :data:`graph.explain.ranking.RANKINGS`
        (``"mechanism"``, the default, or ``"dwpc"``) or a callable on
        :class:`~graph.explain.ranking.PathFacts`. Shares and tables are PDP-based either way.
    search : ``"all"`` (every path of ``min_hops``…``max_hops`` edges, then ranked:
        exact tables) or ``"best-first"`` (only the ``top`` best paths, found by
        :func:`graph.explain.best_first.best_paths`, so ``max_hops`` may be up to 8 on a
        large graph; the tables then cover those paths only).

    Returns
    -------
    :class:`~graph.explain.explanation.Explanation`.

    Raises
    ------
    NotFound : either id is not in ``G``.
    InvalidArgument : bad hops, damping, top or metapaths; an end that is not a
        mechanism kind; the drug and disease being the same node.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("c", {"kind": "Drug", "name": "belatacept"}),
    ...                   ("g", {"kind": "Gene", "name": "CD86"}),
    ...                   ("d", {"kind": "Disease", "name": "myeloma"})])
    >>> _ = G.add_edge("c", "g", key="TARGETS", type="TARGETS", provenance=())
    >>> _ = G.add_edge("d", "g", key="ASSOCIATED_WITH", type="ASSOCIATED_WITH", provenance=())
    >>> e = explain_pair(G, "c", "d")
    >>> e.paths[0].metapath, e.paths[0].share, [h.direction for h in e.paths[0].hops]
    ('CtGaD', 1.0, ['forward', 'reverse'])
    """
    _require_node(G, drug_id)
    _require_node(G, disease_id)
    _check_damping(damping)
    if not isinstance(top, int) or top < 1:
        raise InvalidArgument(f"top must be a positive integer, got {top!r}")
    ranking_name, ranker = ranking_named(ranking)
    walker = _Walker(G)
    for node in (drug_id, disease_id):
        if not is_mechanism_kind(walker.kind(node)):
            raise InvalidArgument(f"{node!r} is a {walker.kind(node)}, not a mechanism node")
    if drug_id == disease_id:
        raise InvalidArgument("the drug and the disease are the same node")
    if search not in ("all", "best-first"):
        raise InvalidArgument(f"search must be 'all' or 'best-first', got {search!r}")
    if metapaths is None and search == "best-first":
        from graph.explain.best_first import SearchCosts, best_paths

        _check_hops(min_hops, max_hops)
        found = best_paths(G, drug_id, disease_id, k=top, min_hops=min_hops, max_hops=max_hops,
                           costs=SearchCosts(damping=damping), ranking=ranker)
    elif metapaths is None:
        _check_hops(min_hops, max_hops)
        found = list(_mechanism_paths(walker, drug_id, disease_id, min_hops, max_hops))
    else:
        chosen = _chosen_metapaths(walker, drug_id, disease_id, metapaths)
        min_hops = min((m.length for m in chosen), default=min_hops)
        max_hops = max((m.length for m in chosen), default=max_hops)
        found = [p for m in chosen for p in _paths_along(walker, drug_id, disease_id, m)]
    return _explanation(walker, drug_id, disease_id, found, damping=damping, top=top,
                        min_hops=min_hops, max_hops=max_hops, ranking=(ranking_name, ranker))


def _chosen_metapaths(walker: _Walker, source: Any, target: Any,
                      metapaths: Iterable[Metapath | str]) -> list[Metapath]:
    chosen: dict[Metapath, None] = {}
    for given in metapaths:
        metapath = _as_metapath(given)
        for edge in metapath.edges:
            if not (is_mechanism_edge_type(edge.edge_type)
                    and is_mechanism_kind(edge.source_kind)
                    and is_mechanism_kind(edge.target_kind)):
                raise InvalidArgument(
                    f"metapath {metapath.abbreviation} walks through evidence ({edge})"
                )
        _check_ends(walker, source, target, metapath)
        chosen[metapath] = None
    return list(chosen)


def _path_node(walker: _Walker, node: Any) -> PathNode:
    data = walker.G.nodes[node]
    return PathNode(id=str(node), kind=walker.kind(node), name=str(data.get("name") or node))


def _provenance(data: dict[str, Any]) -> Iterator[Provenance]:
    for entry in data.get("provenance") or ():
        yield entry if isinstance(entry, Provenance) else Provenance.model_validate(entry)


def _hop(walker: _Walker, u: Any, edge_type: str, v: Any) -> Hop:
    G = walker.G
    stored: list[tuple[bool, dict[str, Any]]] = []
    for forward, (a, b) in ((True, (u, v)), (False, (v, u))):
        for key, data in G.succ[a].get(b, {}).items():
            if str(data.get("type", key)) == edge_type:
                stored.append((forward, data))
    ways = {forward for forward, _ in stored}
    direction: Direction = "both" if len(ways) == 2 else ("forward" if True in ways else "reverse")
    provenance = tuple(dict.fromkeys(p for _, data in stored for p in _provenance(data)))
    predicates = tuple(dict.fromkeys(p for _, data in stored if (p := _predicate(data))))
    return Hop(
        source=str(u), target=str(v), edge_type=edge_type, direction=direction,
        sources=tuple(dict.fromkeys(p.source for p in provenance)),
        pmids=tuple(dict.fromkeys(x for p in provenance for x in p.pmids)),
        nct_ids=tuple(dict.fromkeys(x for p in provenance for x in p.nct_ids)),
        provenance=provenance,
        predicate="; ".join(predicates) or None,
        sign=_agreed_sign(statement_sign(edge_type, data, "forward" if forward else "reverse")
                          for forward, data in stored),
    )


def _predicate(data: dict[str, Any]) -> str | None:
    properties = data.get("properties") or {}
    found = properties.get("predicate") if isinstance(properties, dict) else None
    return found if isinstance(found, str) and found else None


def _agreed_sign(signs: Iterable[int | None]) -> int | None:
    """One sign for a hop stored several ways: the known one, None if they disagree."""
    known = {s for s in signs if s is not None}
    return known.pop() if len(known) == 1 else None


def _edge_contributions(walker: _Walker, scored: Sequence[tuple[MechanismPath, float]],
                        total: float, *, last: bool) -> tuple[EdgeContribution, ...]:
    groups: dict[tuple[Any, str], list[float]] = {}
    for path, pdp in scored:
        key = (path.nodes[-2], path.edge_types[-1]) if last else (path.nodes[1],
                                                                 path.edge_types[0])
        groups.setdefault(key, []).append(pdp)
    end = scored[0][0].nodes[-1 if last else 0] if scored else None
    rows = []
    for (node, edge_type), pdps in groups.items():
        hop = _hop(walker, node, edge_type, end) if last else _hop(walker, end, edge_type, node)
        score = math.fsum(pdps)
        rows.append(EdgeContribution(
            node=_path_node(walker, node), edge_type=edge_type, direction=hop.direction,
            path_count=len(pdps), score=score, share=score / total if total else 0.0,
        ))
    rows.sort(key=lambda r: (-r.score, r.node.id, r.edge_type))
    return tuple(rows)


def path_facts(walker: _Walker, path: MechanismPath, metapath: Metapath,
               pdp: float) -> PathFacts:
    """What a ranking sees of one path."""
    hops = [walker.hop_facts(u, t, v)
            for u, t, v in zip(path.nodes, path.edge_types, path.nodes[1:], strict=False)]
    return PathFacts(metapath=metapath.abbreviation, length=path.length, pdp=pdp,
                     directions=tuple(d for d, _ in hops), net=net_effect(s for _, s in hops))


def rank_paths(walker: _Walker, found: Iterable[MechanismPath], *, damping: float,
               ranker: PathRanking) -> list[tuple[MechanismPath, Metapath, PathFacts, float]]:
    """Paths with their metapath, facts and score, best first (ties: PDP, metapath, ids)."""
    kinds = walker.kind
    scored = []
    for path in found:
        metapath = mechanism_metapath([kinds(n) for n in path.nodes], path.edge_types)
        facts = path_facts(walker, path, metapath, walker.pdp(path, damping))
        scored.append((path, metapath, facts, float(ranker(facts))))
    scored.sort(key=lambda item: (-item[3], -item[2].pdp, item[1].abbreviation,
                                  tuple(map(str, item[0].nodes))))
    return scored


def _explanation(walker: _Walker, source: Any, target: Any, found: list[MechanismPath], *,
                 damping: float, top: int, min_hops: int, max_hops: int,
                 ranking: tuple[str, PathRanking]) -> Explanation:
    ranked_all = rank_paths(walker, found, damping=damping, ranker=ranking[1])
    scored = [(path, facts.pdp) for path, _, facts, _ in ranked_all]
    metapath_of = {path: metapath for path, metapath, _, _ in ranked_all}
    total = math.fsum(pdp for _, pdp in scored)

    def share(x: float) -> float:
        return x / total if total else 0.0

    ranked = tuple(
        RankedPath(
            rank=rank, metapath=metapath.abbreviation, pdp=facts.pdp, share=share(facts.pdp),
            score=score, net_direction=net_direction(facts.net),
            coherent=None if facts.net is None else facts.net < 0,
            nodes=tuple(_path_node(walker, n) for n in path.nodes),
            hops=tuple(_hop(walker, u, t, v)
                       for u, t, v in zip(path.nodes, path.edge_types, path.nodes[1:],
                                          strict=False)),
        )
        for rank, (path, metapath, facts, score) in enumerate(ranked_all[:top], 1)
    )
    by_metapath: dict[Metapath, list[float]] = {}
    for path, pdp in scored:
        by_metapath.setdefault(metapath_of[path], []).append(pdp)
    table = sorted(
        (MetapathContribution(metapath=m.abbreviation, description=str(m), length=m.length,
                              path_count=len(p), dwpc=math.fsum(p), share=share(math.fsum(p)))
         for m, p in by_metapath.items()),
        key=lambda row: (-row.dwpc, row.metapath),
    )
    return Explanation(
        drug=_path_node(walker, source), disease=_path_node(walker, target),
        damping=float(damping), ranking=ranking[0], min_hops=min_hops, max_hops=max_hops,
        path_count=len(scored), total=total, paths=ranked, metapaths=tuple(table),
        first_edges=_edge_contributions(walker, scored, total, last=False),
        last_edges=_edge_contributions(walker, scored, total, last=True),
    )


def to_networkx(explanation: Explanation) -> nx.MultiDiGraph[str]:
    """The explanation's top paths as a small graph for a notebook.

    Same shape as the store's subgraphs (node ``kind``/``name``; edges in their
    stored direction, keyed by type, with ``type`` and ``provenance``), plus
    ``pmids``, ``paths`` (the ranks of the paths using an edge) and ``share``
    (their summed share). A hop stored both ways appears in path order.

    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene"}),
    ...                   ("d", {"kind": "Disease"})])
    >>> _ = G.add_edge("c", "g", key="TARGETS")
    >>> _ = G.add_edge("d", "g", key="ASSOCIATED_WITH")
    >>> sorted(to_networkx(explain_pair(G, "c", "d")).edges(keys=True))
    [('c', 'g', 'TARGETS'), ('d', 'g', 'ASSOCIATED_WITH')]
    """
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for path in explanation.paths:
        for node in path.nodes:
            graph.add_node(node.id, kind=node.kind, name=node.name)
        for hop in path.hops:
            u, v = (hop.target, hop.source) if hop.direction == "reverse" else (hop.source,
                                                                               hop.target)
            if graph.has_edge(u, v, key=hop.edge_type):
                data = graph.edges[u, v, hop.edge_type]
                data["paths"] = (*data["paths"], path.rank)
                data["share"] += path.share
            else:
                graph.add_edge(u, v, key=hop.edge_type, type=hop.edge_type,
                               provenance=hop.provenance, pmids=hop.pmids,
                               paths=(path.rank,), share=path.share)
    return graph


__all__ = [
    "MechanismPath",
    "dwpc",
    "explain_pair",
    "mechanism_paths",
    "path_degree_product",
    "path_facts",
    "paths_along",
    "rank_paths",
    "to_networkx",
]
