"""What an explanation is: ranked mechanism paths and their contributions, as pydantic models.

:func:`graph.explain.explain_pair` builds an :class:`Explanation`;
:func:`explanation_to_dict` gives its stable JSON form (schema ``txkg.explanation/2``,
documented in ``docs/explain.md``) and :func:`to_networkx` its top paths as a
graph; :mod:`graph.explain.render` draws it as text, Markdown, HTML or Cypher.
All scores are degree-weighted: a path's ``pdp`` is its path-degree product,
a metapath's ``dwpc`` the sum of its paths' ``pdp``; every ``share`` is a part
of the explanation's ``total`` (the sum of every path's ``pdp``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from graph.explain.polarity import NetDirection
from graph.model import Provenance

if TYPE_CHECKING:
    import networkx as nx

#: How a hop's stored edge(s) run relative to the path: from the path's
#: earlier node to its later one, the other way, or stored both ways.
Direction = Literal["forward", "reverse", "both"]


class PathNode(BaseModel):
    """A node on a path: its id, kind and name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    kind: str
    name: str


class Hop(BaseModel):
    """One edge of a path, in path order, with every source that states it.

    ``predicate`` is the source's own wording when it has one (DrugMechDB's
    ``decreases activity of``); ``sign`` is the hop's effect read along the
    path (:mod:`graph.explain.polarity`): +1, -1, 0 for neutral scaffolding, None if unknown.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    target: str
    edge_type: str
    direction: Direction
    sources: tuple[str, ...] = ()
    pmids: tuple[str, ...] = ()
    nct_ids: tuple[str, ...] = ()
    provenance: tuple[Provenance, ...] = ()
    predicate: str | None = None
    sign: int | None = None


class RankedPath(BaseModel):
    """A path from drug to disease, its path-degree product and its share of the total.

    ``score`` is what the path was ranked by (its ``pdp`` under the plain
    ``dwpc`` ranking). ``net_direction`` is what acting along the path does
    to the disease, from its hops' signs; ``coherent`` is True when that is
    ``decreases`` (a therapeutic reading), False when ``increases`` (the path
    says the drug would worsen the disease: flagged, not hidden), None when unknown.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    rank: int
    metapath: str
    nodes: tuple[PathNode, ...]
    hops: tuple[Hop, ...]
    pdp: float
    share: float
    score: float = 0.0
    net_direction: NetDirection = "unknown"
    coherent: bool | None = None
    #: ``mechanism`` (through targets and biology) or ``association`` (through a drug's
    #: clinical use of a disease: :mod:`graph.explain.association`).
    evidence: Literal["mechanism", "association"] = "mechanism"

    @property
    def length(self) -> int:
        return len(self.hops)


class MetapathContribution(BaseModel):
    """One metapath's paths: how many, their DWPC, and its share of the total."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    metapath: str
    description: str
    length: int
    path_count: int
    dwpc: float
    share: float


class EdgeContribution(BaseModel):
    """All paths leaving the drug (or reaching the disease) through one edge.

    ``node`` is the drug's neighbour on that edge (or the disease's);
    ``score`` the sum of those paths' ``pdp``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    node: PathNode
    edge_type: str
    direction: Direction
    path_count: int
    score: float
    share: float


class Explanation(BaseModel):
    """Why ``drug`` might treat ``disease``: mechanism paths, ranked, with their evidence.

    ``paths`` are the top mechanism paths; ``associations`` the top paths through a
    drug's clinical use of a disease (:mod:`graph.explain.association`), ranked
    apart by the same ranking, each list numbered from 1. ``path_count``, ``total``
    and the tables cover both; ``association_count`` is how many of the paths
    found are associations.

    ``search`` names how the paths were found. ``complete`` says whether
    ``path_count``, ``total`` and the tables cover every path within the lengths
    searched; when not, ``score_floor`` (if set) is τ: every path scoring at least τ
    is counted (and listed in rank order up to ``top``), and any other path scores
    less (the bounded search, :mod:`graph.explain.bounded`). The best-first search
    states no floor.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    drug: PathNode
    disease: PathNode
    damping: float
    ranking: str = "dwpc"
    min_hops: int
    max_hops: int
    path_count: int
    total: float
    paths: tuple[RankedPath, ...]
    metapaths: tuple[MetapathContribution, ...]
    first_edges: tuple[EdgeContribution, ...]
    last_edges: tuple[EdgeContribution, ...]
    search: str = "all"
    complete: bool = True
    score_floor: float | None = None
    associations: tuple[RankedPath, ...] = ()
    association_count: int = 0


#: Version tag of the JSON form; bump it when a field changes meaning or goes.
SCHEMA = "txkg.explanation/2"

#: What ``txkg explain`` and ``KnowledgeGraph.explain`` use unless told otherwise: the
#: search (:data:`graph.explain.explainer.SEARCHES`; ``bounded`` finds the same top paths
#: as ``all`` without enumerating a hub's neighbourhood; :func:`explain_pair`, handed a
#: graph already in memory, enumerates unless told otherwise) and the ranking
#: (:data:`graph.explain.ranking.RANKINGS`). Here, with the result models, so that the API
#: names them without importing the explainer.
DEFAULT_SEARCH = "bounded"
DEFAULT_RANKING = "mechanism"


def explanation_to_dict(explanation: Explanation) -> dict[str, Any]:
    """Plain JSON-ready data: ``{"schema": SCHEMA, ...every Explanation field}``.

    >>> node = PathNode(id="x:1", kind="Drug", name="x")
    >>> empty = Explanation(drug=node, disease=node, damping=0.4, min_hops=2, max_hops=4,
    ...     path_count=0, total=0.0, paths=(), metapaths=(), first_edges=(), last_edges=())
    >>> sorted(explanation_to_dict(empty))  # doctest: +NORMALIZE_WHITESPACE
    ['association_count', 'associations', 'complete', 'damping', 'disease', 'drug',
     'first_edges', 'last_edges', 'max_hops', 'metapaths', 'min_hops', 'path_count', 'paths',
     'ranking', 'schema', 'score_floor', 'search', 'total']
    """
    return {"schema": SCHEMA, **explanation.model_dump(mode="json")}


def to_networkx(explanation: Explanation) -> nx.MultiDiGraph[str]:
    """The explanation's top paths as a small graph for a notebook.

    Same shape as the store's subgraphs (node ``kind``/``name``; edges in their
    stored direction, keyed by type, with ``type`` and ``provenance``), plus
    ``pmids``, ``paths`` (the ranks of the paths using an edge) and ``share``
    (their summed share). A hop stored both ways appears in path order.

    >>> from graph.explain import explain_pair
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene"}),
    ...                   ("d", {"kind": "Disease"})])
    >>> _ = G.add_edge("c", "g", key="TARGETS")
    >>> _ = G.add_edge("d", "g", key="ASSOCIATED_WITH")
    >>> sorted(to_networkx(explain_pair(G, "c", "d")).edges(keys=True))
    [('c', 'g', 'TARGETS'), ('d', 'g', 'ASSOCIATED_WITH')]
    """
    import networkx as nx  # where used: a quick read does without it
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
    "DEFAULT_RANKING",
    "DEFAULT_SEARCH",
    "SCHEMA",
    "Direction",
    "EdgeContribution",
    "Explanation",
    "Hop",
    "MetapathContribution",
    "PathNode",
    "RankedPath",
    "explanation_to_dict",
    "to_networkx",
]
