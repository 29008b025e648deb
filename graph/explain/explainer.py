"""The explainer: why a drug might treat a disease, as an :class:`Explanation`.

:func:`explain_pair` finds the paths between the two (every path up to a
length, those along chosen metapaths, or the best few by best-first search),
ranks them (:mod:`graph.explain.ranking`) and assembles the explanation: the
top paths with every hop's evidence and sign, and how the total path-degree
product splits by metapath, by first edge and by last edge.

>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("c", {"kind": "Drug", "name": "belatacept"}),
...                   ("g", {"kind": "Gene", "name": "CD86"}),
...                   ("d", {"kind": "Disease", "name": "myeloma"})])
>>> _ = G.add_edge("c", "g", key="INHIBITS", type="INHIBITS", provenance=())
>>> _ = G.add_edge("g", "d", key="CAUSES", type="CAUSES", provenance=())
>>> e = explain_pair(G, "c", "d")
>>> e.path_count, e.paths[0].net_direction, [h.sign for h in e.paths[0].hops]
(1, 'decreases', [-1, 1])
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import networkx as nx

from graph.errors import InvalidArgument
from graph.explain.association import path_evidence
from graph.explain.best_first import best_paths, search_costs
from graph.explain.checks import check_damping, check_ends, check_hops, require_node
from graph.explain.explanation import (
    EdgeContribution,
    Explanation,
    Hop,
    MetapathContribution,
    PathNode,
    RankedPath,
)
from graph.explain.index import GraphIndex
from graph.explain.metagraph import (
    Metapath,
    as_metapath,
    is_mechanism_edge_type,
    is_mechanism_kind,
)
from graph.explain.paths import MechanismPath, indexed_mechanism_paths, indexed_paths_along
from graph.explain.polarity import net_direction
from graph.explain.ranking import (
    DEFAULT_RANKING,
    PathRanking,
    ScoredPath,
    rank_paths,
    ranking_named,
)
from graph.model import Provenance


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
    require_node(G, drug_id)
    require_node(G, disease_id)
    check_damping(damping)
    if not isinstance(top, int) or top < 1:
        raise InvalidArgument(f"top must be a positive integer, got {top!r}")
    ranking_name, ranker = ranking_named(ranking)
    index = GraphIndex(G)
    for node in (drug_id, disease_id):
        if not is_mechanism_kind(index.kind(node)):
            raise InvalidArgument(f"{node!r} is a {index.kind(node)}, not a mechanism node")
    if drug_id == disease_id:
        raise InvalidArgument("the drug and the disease are the same node")
    if search not in ("all", "best-first"):
        raise InvalidArgument(f"search must be 'all' or 'best-first', got {search!r}")
    if metapaths is None and search == "best-first":
        check_hops(min_hops, max_hops)
        found = best_paths(G, drug_id, disease_id, k=top, min_hops=min_hops, max_hops=max_hops,
                           costs=search_costs(ranker, damping), ranking=ranker)
    elif metapaths is None:
        check_hops(min_hops, max_hops)
        found = list(indexed_mechanism_paths(index, drug_id, disease_id, min_hops, max_hops))
    else:
        chosen = _chosen_metapaths(index, drug_id, disease_id, metapaths)
        min_hops = min((m.length for m in chosen), default=min_hops)
        max_hops = max((m.length for m in chosen), default=max_hops)
        found = [p for m in chosen for p in indexed_paths_along(index, drug_id, disease_id, m)]
    return _explanation(index, drug_id, disease_id, found, damping=damping, top=top,
                        min_hops=min_hops, max_hops=max_hops, ranking=(ranking_name, ranker))


def _chosen_metapaths(index: GraphIndex, source: Any, target: Any,
                      metapaths: Iterable[Metapath | str]) -> list[Metapath]:
    chosen: dict[Metapath, None] = {}
    for given in metapaths:
        metapath = as_metapath(given)
        for edge in metapath.edges:
            if not (is_mechanism_edge_type(edge.edge_type)
                    and is_mechanism_kind(edge.source_kind)
                    and is_mechanism_kind(edge.target_kind)):
                raise InvalidArgument(
                    f"metapath {metapath.abbreviation} walks through evidence ({edge})"
                )
        check_ends(index, source, target, metapath)
        chosen[metapath] = None
    return list(chosen)


def _path_node(index: GraphIndex, node: Any) -> PathNode:
    data = index.graph.nodes[node]
    return PathNode(id=str(node), kind=index.kind(node), name=str(data.get("name") or node))


def _provenance(data: dict[str, Any]) -> Iterator[Provenance]:
    for entry in data.get("provenance") or ():
        yield entry if isinstance(entry, Provenance) else Provenance.model_validate(entry)


def _hop(index: GraphIndex, u: Any, edge_type: str, v: Any) -> Hop:
    """The hop ``u -edge_type- v`` in path order, with every statement's evidence."""
    stored = index.statements(u, edge_type, v)
    direction, sign = index.hop_facts(u, edge_type, v)
    provenance = tuple(dict.fromkeys(p for _, data in stored for p in _provenance(data)))
    predicates = tuple(dict.fromkeys(p for _, data in stored if (p := _predicate(data))))
    return Hop(
        source=str(u), target=str(v), edge_type=edge_type, direction=direction,
        sources=tuple(dict.fromkeys(p.source for p in provenance)),
        pmids=tuple(dict.fromkeys(x for p in provenance for x in p.pmids)),
        nct_ids=tuple(dict.fromkeys(x for p in provenance for x in p.nct_ids)),
        provenance=provenance,
        predicate="; ".join(predicates) or None,
        sign=sign,
    )


def _predicate(data: dict[str, Any]) -> str | None:
    properties = data.get("properties") or {}
    found = properties.get("predicate") if isinstance(properties, dict) else None
    return found if isinstance(found, str) and found else None


def _edge_contributions(index: GraphIndex, scored: Sequence[tuple[MechanismPath, float]],
                        total: float, *, last: bool) -> tuple[EdgeContribution, ...]:
    groups: dict[tuple[Any, str], list[float]] = {}
    for path, pdp in scored:
        key = (path.nodes[-2], path.edge_types[-1]) if last else (path.nodes[1],
                                                                 path.edge_types[0])
        groups.setdefault(key, []).append(pdp)
    end = scored[0][0].nodes[-1 if last else 0] if scored else None
    rows = []
    for (node, edge_type), pdps in groups.items():
        direction, _ = (index.hop_facts(node, edge_type, end) if last
                        else index.hop_facts(end, edge_type, node))
        score = math.fsum(pdps)
        rows.append(EdgeContribution(
            node=_path_node(index, node), edge_type=edge_type, direction=direction,
            path_count=len(pdps), score=score, share=score / total if total else 0.0,
        ))
    rows.sort(key=lambda r: (-r.score, r.node.id, r.edge_type))
    return tuple(rows)


def _explanation(index: GraphIndex, source: Any, target: Any, found: list[MechanismPath], *,
                 damping: float, top: int, min_hops: int, max_hops: int,
                 ranking: tuple[str, PathRanking]) -> Explanation:
    ranked_all = rank_paths(index, found, damping=damping, ranker=ranking[1])
    scored = [(path, facts.pdp) for path, _, facts, _ in ranked_all]
    metapath_of = {path: metapath for path, metapath, _, _ in ranked_all}
    total = math.fsum(pdp for _, pdp in scored)

    def share(x: float) -> float:
        return x / total if total else 0.0

    apart: dict[str, list[ScoredPath]] = {"mechanism": [], "association": []}
    for item in ranked_all:
        apart[path_evidence(item[1].kinds, item[0].edge_types)].append(item)

    def listed(items: list[ScoredPath]) -> tuple[RankedPath, ...]:
        return tuple(
            RankedPath(
                rank=rank, metapath=metapath.abbreviation, pdp=facts.pdp,
                share=share(facts.pdp), score=score, net_direction=net_direction(facts.net),
                coherent=None if facts.net is None else facts.net < 0,
                nodes=tuple(_path_node(index, n) for n in path.nodes),
                hops=tuple(_hop(index, u, t, v)
                           for u, t, v in zip(path.nodes, path.edge_types, path.nodes[1:],
                                              strict=False)),
                evidence=path_evidence(metapath.kinds, path.edge_types),
            )
            for rank, (path, metapath, facts, score) in enumerate(items[:top], 1)
        )

    ranked = listed(apart["mechanism"])
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
        drug=_path_node(index, source), disease=_path_node(index, target),
        damping=float(damping), ranking=ranking[0], min_hops=min_hops, max_hops=max_hops,
        path_count=len(scored), total=total, paths=ranked, metapaths=tuple(table),
        first_edges=_edge_contributions(index, scored, total, last=False),
        last_edges=_edge_contributions(index, scored, total, last=True),
        associations=listed(apart["association"]),
        association_count=len(apart["association"]),
    )


__all__ = ["explain_pair"]
