"""What an explanation is: ranked mechanism paths and their contributions, as pydantic models.

:func:`graph.explain.explain_pair` builds an :class:`Explanation`;
:mod:`graph.explain.render.text` renders it as text, Markdown or a JSON-ready dict.
All scores are degree-weighted: a path's ``pdp`` is its path-degree product,
a metapath's ``dwpc`` the sum of its paths' ``pdp``; every ``share`` is a part
of the explanation's ``total`` (the sum of every path's ``pdp``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from graph.explain.polarity import NetDirection
from graph.model import Provenance

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
    """Why ``drug`` might treat ``disease``: mechanism paths, ranked, with their evidence."""

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
