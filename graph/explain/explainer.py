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

A hop may run against the direction its statement is stored in:

>>> H = nx.MultiDiGraph()
>>> H.add_nodes_from(G.nodes(data=True))
>>> _ = H.add_edge("c", "g", key="TARGETS", type="TARGETS", provenance=())
>>> _ = H.add_edge("d", "g", key="ASSOCIATED_WITH", type="ASSOCIATED_WITH", provenance=())
>>> e = explain_pair(H, "c", "d")
>>> e.paths[0].metapath, e.paths[0].share, [h.direction for h in e.paths[0].hops]
('CtGaD', 1.0, ['forward', 'reverse'])
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import networkx as nx

from graph.errors import InvalidArgument, NotFound
from graph.explain.association import path_evidence
from graph.explain.best_first import (
    DIVERSITY,
    OVERSAMPLE,
    best_paths,
    search_costs,
    shipped_guide,
)
from graph.explain.bounded import (
    DEFAULT_BUDGET,
    SearchMemos,
    all_paths_along,
    top_paths,
)
from graph.explain.checks import (
    check_damping,
    check_end_kinds,
    check_hops,
    check_top,
    require_node,
)
from graph.explain.explanation import (
    DEFAULT_SEARCH,
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
from graph.explain.neighbourhood import GraphNeighbourhoods, Neighbourhoods
from graph.explain.paths import MechanismPath, indexed_mechanism_paths, indexed_paths_along
from graph.explain.polarity import net_direction
from graph.explain.ranking import (
    DEFAULT_RANKING,
    PathRanking,
    ScoredPath,
    rank_paths,
    ranking_named,
)
from graph.gc_pause import collector_paused
from graph.model import Provenance

#: How :func:`explain_pair` may find paths: ``"all"`` (every path of ``min_hops``…``max_hops``
#: edges, then ranked: exact tables); ``"bounded"`` (the same top paths in the same order,
#: found without enumerating every path, :func:`explain_from`: the tables then cover the
#: paths scoring at least the explanation's ``score_floor``); or ``"best-first"`` (only the
#: ``top`` best paths, found by :func:`graph.explain.best_first.best_paths`, so ``max_hops``
#: may be up to 8 on a large graph; the tables then cover those paths only).
SEARCHES = ("all", "bounded", "best-first")


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
        (``"mechanism"``, the default, ``"dwpc"`` or ``"learned"``) or a callable on
        :class:`~graph.explain.ranking.PathFacts`. Shares and tables are PDP-based either way.
    search : how paths are found: ``"all"`` (every path, the default), ``"bounded"`` or
        ``"best-first"``; what each finds, and what the tables then cover: :data:`SEARCHES`.

    Returns
    -------
    :class:`~graph.explain.explanation.Explanation`.

    Raises
    ------
    NotFound : either id is not in ``G``.
    InvalidArgument : bad hops, damping, top or metapaths; an end that is not a
        mechanism kind; the drug and disease being the same node.

    Examples are in the module docstring.
    """
    require_node(G, drug_id)
    require_node(G, disease_id)
    if search not in SEARCHES:
        raise InvalidArgument(f"search must be one of {', '.join(SEARCHES)}, got {search!r}")
    index = GraphIndex(G)
    if search == "bounded":
        return explain_from(GraphNeighbourhoods(G, index), drug_id, disease_id,
                            max_hops=max_hops, min_hops=min_hops, damping=damping, top=top,
                            metapaths=metapaths, ranking=ranking)
    return _explain_in_memory(index, drug_id, disease_id, hops=(min_hops, max_hops),
                              damping=damping, top=top, metapaths=metapaths, ranking=ranking,
                              search=search)


def _explain_in_memory(index: GraphIndex, drug_id: Any, disease_id: Any, *,
                       hops: tuple[int, int], damping: float, top: int,
                       metapaths: Iterable[Metapath | str] | None,
                       ranking: str | PathRanking, search: str) -> Explanation:
    """:func:`explain_pair` on the graph in ``index``, every path found (``search="all"``,
    or along ``metapaths``) or the ``top`` best ones (``"best-first"``), then ranked."""
    check_damping(damping)
    check_top(top)
    ranking_name, ranker = ranking_named(ranking)
    _check_ends((drug_id, index.kind(drug_id)), (disease_id, index.kind(disease_id)))
    min_hops, max_hops = hops
    G = index.graph
    if metapaths is None and search == "best-first":
        check_hops(min_hops, max_hops)
        found = best_paths(G, drug_id, disease_id, k=top, min_hops=min_hops, max_hops=max_hops,
                           costs=search_costs(ranker, damping), ranking=ranker,
                           diversity=DIVERSITY, oversample=OVERSAMPLE,
                           guide=shipped_guide())
    elif metapaths is None:
        check_hops(min_hops, max_hops)
        found = list(indexed_mechanism_paths(index, drug_id, disease_id, min_hops, max_hops))
    else:
        chosen = _chosen_metapaths((drug_id, index.kind(drug_id)),
                                   (disease_id, index.kind(disease_id)), metapaths)
        min_hops, max_hops = _lengths(chosen, min_hops, max_hops)
        found = [p for m in chosen for p in indexed_paths_along(index, drug_id, disease_id, m)]
    ranked = rank_paths(index, found, damping=damping, ranker=ranker)
    how = "metapaths" if metapaths is not None else search
    return _explanation(index, _path_node(index, drug_id), _path_node(index, disease_id),
                        ranked, damping=damping, top=top, lengths=(min_hops, max_hops),
                        ranking=ranking_name, search=(how, search != "best-first", None))


def explain_from(
    hood: Neighbourhoods,
    drug_id: Any,
    disease_id: Any,
    *,
    max_hops: int = 4,
    min_hops: int = 2,
    damping: float = 0.4,
    top: int = 25,
    metapaths: Iterable[Metapath | str] | None = None,
    ranking: str | PathRanking = DEFAULT_RANKING,
    budget: int = DEFAULT_BUDGET,
    memos: SearchMemos | None = None,
) -> Explanation:
    """:func:`explain_pair` with the bounded search, reading the graph from ``hood``.

    ``hood`` is anything that answers :class:`~graph.explain.neighbourhood.Neighbourhoods`
    (a store; :class:`~graph.explain.neighbourhood.GraphNeighbourhoods` on a networkx
    graph). Without ``metapaths``: the ``top`` paths are exactly those
    ``search="all"`` ranks first (:mod:`graph.explain.bounded`); ``path_count``,
    ``total`` and the tables cover every path scoring at least ``score_floor``
    (``complete`` when that is every path). With ``metapaths``: every path along
    them (exact DWPC; ``complete``). ``budget`` caps the partial paths one round of
    the search may hold; ``memos`` is shared by the explanations of one drug.

    Raises as :func:`explain_pair`, and InvalidArgument for a ranking that is not
    made of per-hop factors (a custom callable).
    """
    check_damping(damping)
    check_top(top)
    ranking_name, ranker = ranking_named(ranking)
    facts = hood.mechanism_degrees([drug_id, disease_id])
    for node in (drug_id, disease_id):
        if node not in facts:
            raise NotFound(str(node))
    ends = (drug_id, facts[drug_id].kind), (disease_id, facts[disease_id].kind)
    _check_ends(*ends)
    with collector_paused():
        if metapaths is None:
            check_hops(min_hops, max_hops)
            found = top_paths(hood, drug_id, disease_id, top=top, damping=damping, ranker=ranker,
                              min_hops=min_hops, max_hops=max_hops, budget=budget, memos=memos)
            how = "bounded"
        else:
            chosen = _chosen_metapaths(*ends, metapaths)
            min_hops, max_hops = _lengths(chosen, min_hops, max_hops)
            found = all_paths_along(hood, drug_id, disease_id, chosen, damping=damping,
                                    ranker=ranker)
            how = "metapaths"
        drug, disease = (PathNode(id=str(n), kind=facts[n].kind, name=facts[n].name)
                         for n in (drug_id, disease_id))
        return _explanation(found.index, drug, disease, list(found.ranked), damping=damping,
                            top=top, lengths=(min_hops, max_hops), ranking=ranking_name,
                            search=(how, found.complete, None if found.complete else found.floor))


def _check_ends(drug: tuple[Any, str], disease: tuple[Any, str]) -> None:
    for node, kind in (drug, disease):
        if not is_mechanism_kind(kind):
            raise InvalidArgument(f"{node!r} is a {kind}, not a mechanism node")
    if drug[0] == disease[0]:
        raise InvalidArgument("the drug and the disease are the same node")


def _lengths(chosen: Sequence[Metapath], min_hops: int, max_hops: int) -> tuple[int, int]:
    return (min((m.length for m in chosen), default=min_hops),
            max((m.length for m in chosen), default=max_hops))


def _chosen_metapaths(source: tuple[Any, str], target: tuple[Any, str],
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
        check_end_kinds(source, target, metapath)
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


def _explanation(index: GraphIndex, drug: PathNode, disease: PathNode,
                 ranked_all: list[ScoredPath], *, damping: float, top: int,
                 lengths: tuple[int, int], ranking: str,
                 search: tuple[str, bool, float | None]) -> Explanation:
    """The explanation of ranked paths; ``search``: (how found, complete, score floor)."""
    scored = [(path, facts.pdp) for path, _, facts, _ in ranked_all]
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
    for _, metapath, facts, _ in ranked_all:
        by_metapath.setdefault(metapath, []).append(facts.pdp)
    table = sorted(
        (MetapathContribution(metapath=m.abbreviation, description=str(m), length=m.length,
                              path_count=len(p), dwpc=math.fsum(p), share=share(math.fsum(p)))
         for m, p in by_metapath.items()),
        key=lambda row: (-row.dwpc, row.metapath),
    )
    how, complete, floor = search
    return Explanation(
        drug=drug, disease=disease, damping=float(damping), ranking=ranking,
        min_hops=lengths[0], max_hops=lengths[1],
        path_count=len(scored), total=total, paths=ranked, metapaths=tuple(table),
        first_edges=_edge_contributions(index, scored, total, last=False),
        last_edges=_edge_contributions(index, scored, total, last=True),
        search=how, complete=complete, score_floor=floor,
        associations=listed(apart["association"]),
        association_count=len(apart["association"]),
    )


__all__ = ["DEFAULT_SEARCH", "SEARCHES", "explain_from", "explain_pair"]
