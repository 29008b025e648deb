"""What moves in and out of a store: a source and its batch, load results, and what reads return.

A loader hands a store a :class:`SourceBatch` (or a stream of one, see
:mod:`graph.stream`); a load answers with a :class:`LoadResult` and keeps its
:class:`Rejection` records in the ledger. Reads answer with :class:`Counts`,
:class:`Neighbour` and :class:`Evidence`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph.model.elements import AnyNode, Edge


class SourceInfo(BaseModel):
    """One loaded source: a dataset or a file, at a version."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    kind: str
    version: str | None = None
    path: str | None = None
    #: False when a store holds only part of this source: a load that stopped part-way
    #: (Neo4j commits a large load in parts). Loading the source again completes it.
    #: Loaders leave it true.
    complete: bool = True


class Rejection(BaseModel):
    """A record a loader refused or could not resolve, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    path: str | None = None
    line: int | None = None
    record: str | None = None
    reason: str


class SourceBatch(BaseModel):
    """Everything one source asserts: what a store replaces atomically on load."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: SourceInfo
    nodes: tuple[AnyNode, ...] = ()
    edges: tuple[Edge, ...] = ()
    rejections: tuple[Rejection, ...] = ()

    @property
    def sources(self) -> tuple[SourceBatch]:
        """What a loader read, as the sources to load: this batch (see :mod:`graph.stream`)."""
        return (self,)


class Counts(BaseModel):
    """Node counts by kind and edge counts by type."""

    model_config = ConfigDict(frozen=True)

    nodes: dict[str, int]
    edges: dict[str, int]

    @property
    def total_nodes(self) -> int:
        return sum(self.nodes.values())

    @property
    def total_edges(self) -> int:
        return sum(self.edges.values())


class Neighbour(BaseModel):
    """A node next to another, the edge between them, and its direction."""

    model_config = ConfigDict(frozen=True)

    edge: Edge
    node: AnyNode
    outgoing: bool


class LoadResult(BaseModel):
    """What one load did to the store."""

    model_config = ConfigDict(frozen=True)

    source: SourceInfo
    nodes: int
    edges: int
    #: The first rejections (a store keeps them all in its ledger) …
    rejections: tuple[Rejection, ...] = ()
    #: … and how many there were (``len(rejections)`` when not given).
    refused: int = -1
    nodes_removed: int = 0
    edges_removed: int = 0
    unchanged: bool = False

    @model_validator(mode="after")
    def _count_rejections(self) -> LoadResult:
        if self.refused < len(self.rejections):
            object.__setattr__(self, "refused", len(self.rejections))
        return self


class Evidence(BaseModel):
    """A trial or publication behind a prediction, with what the report said of it."""

    model_config = ConfigDict(frozen=True)

    node: AnyNode
    key_finding: str | None = None
    report: str | None = None
