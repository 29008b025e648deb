"""A source read piece by piece: what a large load hands a store.

A :class:`~graph.model.SourceBatch` holds everything a source says at once,
which is right for a report page and wrong for PrimeKG's eight million rows.
A :class:`SourceStream` says which source it is up front and yields what the
source says in :class:`Chunk`\\ s, as its file is read, so a load holds one
chunk at a time and peak memory does not grow with the file.

Large loaders yield edges as :class:`Statement`\\ s: the same statement as an
:class:`~graph.model.Edge` with its one provenance entry, as a plain tuple
(building millions of validated models would cost more than writing them).
Stores accept both.

>>> from graph.model import Drug, Gene, EdgeType, SourceInfo
>>> source = SourceInfo(name="toy", kind="primekg", version="1")
>>> chunk = Chunk(nodes=(Drug(id="DRUGBANK:DB06681", name="Belatacept"),
...                      Gene(id="NCBIGene:941", name="CD80")),
...               edges=(Statement("DRUGBANK:DB06681", EdgeType.TARGETS, "NCBIGene:941",
...                                line=2),))
>>> stream = SourceStream(source, [chunk])
>>> batch = stream.collect()
>>> [(e.key, e.provenance[0].line) for e in batch.edges]
[(('DRUGBANK:DB06681', 'TARGETS', 'NCBIGene:941'), 2)]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from graph.errors import StoreError
from graph.model import Edge, EdgeType, Node, Provenance, Rejection, SourceBatch, SourceInfo

#: Nodes and edges per chunk a large loader yields: big enough that a store's
#: per-chunk queries are few, small enough that a chunk is a few tens of MB.
CHUNK_SIZE = 50_000


class Statement(NamedTuple):
    """One source's edge ``source -[type]-> target``, as a large loader yields it.

    Its provenance is one entry: the stream's source at its version, ``line``
    and ``pmids``. ``properties`` may be shared between statements (a loader
    keeps one dict per distinct value); nobody mutates it.
    """

    source: str
    type: EdgeType
    target: str
    line: int | None = None
    pmids: tuple[str, ...] = ()
    properties: Mapping[str, str | int | float | bool | None] | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.type.value, self.target)

    def edge(self, source: SourceInfo) -> Edge:
        """The same statement as an :class:`~graph.model.Edge` of ``source``."""
        return Edge(source=self.source, target=self.target, type=self.type,
                    provenance=(Provenance(source=source.name, version=source.version,
                                           line=self.line, pmids=self.pmids),),
                    properties=dict(self.properties or {}))


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of what one source says: some nodes, some edges, some refusals.

    An edge may name a node of an earlier chunk of the same stream (or one the
    store already holds), never one of a later chunk.
    """

    nodes: Sequence[Node] = ()
    edges: Sequence[Edge | Statement] = ()
    rejections: Sequence[Rejection] = ()

    def __len__(self) -> int:
        return len(self.nodes) + len(self.edges) + len(self.rejections)


class SourceStream:
    """A source and what it says, read chunk by chunk (once).

    ``chunks`` is iterated by the store that loads the stream, only if the
    source needs loading at all (a reload of the same version reads nothing).
    Loaders that count things (rows read, rows refused) make those figures
    complete once iteration has ended.
    """

    def __init__(self, source: SourceInfo, chunks: Iterable[Chunk]) -> None:
        self.source = source
        self._chunks = chunks
        self._taken = False

    @property
    def sources(self) -> tuple[SourceStream]:
        """What a loader read, as the sources to load: this stream."""
        return (self,)

    @classmethod
    def of(cls, batch: SourceBatch) -> SourceStream:
        """A whole batch as a stream of one chunk."""
        return cls(batch.source, [Chunk(batch.nodes, batch.edges, batch.rejections)])

    def chunks(self) -> Iterator[Chunk]:
        """The chunks, in order; a stream can be read once."""
        if self._taken:
            raise StoreError(f"the stream of source {self.source.name!r} was already read")
        self._taken = True
        return iter(self._chunks)

    def map(self, change: Callable[[Chunk], Chunk]) -> SourceStream:
        """The same source with ``change`` applied to each chunk as it is read."""
        return SourceStream(self.source, (change(chunk) for chunk in self.chunks()))

    def collect(self) -> SourceBatch:
        """Everything at once, as one batch (for small sources, tests and copies)."""
        nodes: list[Node] = []
        edges: list[Edge] = []
        rejections: list[Rejection] = []
        for chunk in self.chunks():
            nodes.extend(chunk.nodes)
            edges.extend(as_edge(e, self.source) for e in chunk.edges)
            rejections.extend(chunk.rejections)
        return SourceBatch(source=self.source, nodes=tuple(nodes), edges=tuple(edges),
                           rejections=tuple(rejections))


#: One source to load, whole or in chunks.
Source = SourceBatch | SourceStream


class Loaded(Protocol):
    """What every loader's ``read_<format>`` returns: the sources to load, in order.

    A :class:`~graph.model.SourceBatch` and a :class:`SourceStream` are their own
    one source; readers of several files, or with figures of their own
    (``DrugMechDBLoad``, ``TxgnnLoad``, ``PrimeKGResult``), say which sources
    they read. ``KnowledgeGraph.load_all(read_x(...).sources)`` loads any of them.
    """

    @property
    def sources(self) -> Sequence[Source]: ...


def as_stream(source: SourceBatch | SourceStream) -> SourceStream:
    """A batch or a stream, as a stream."""
    return source if isinstance(source, SourceStream) else SourceStream.of(source)


def as_edge(edge: Edge | Statement, source: SourceInfo) -> Edge:
    """An edge of ``source``, whichever form it came in."""
    return edge if isinstance(edge, Edge) else edge.edge(source)


def rekeyed(edge: Edge | Statement, source: str, target: str) -> Edge | Statement:
    """The same statement between other ends (identity resolution moved them)."""
    if (source, target) == (edge.source, edge.target):
        return edge
    if isinstance(edge, Edge):
        return edge.model_copy(update={"source": source, "target": target})
    return edge._replace(source=source, target=target)


def edge_line(edge: Edge | Statement) -> int | None:
    """The first file line an edge's provenance names, if any."""
    if isinstance(edge, Statement):
        return edge.line
    return next((p.line for p in edge.provenance if p.line), None)


def chunked(items: Iterable[Any], size: int = CHUNK_SIZE) -> Iterator[list[Any]]:
    """Lists of up to ``size`` items, in order.

    >>> [len(c) for c in chunked(range(5), 2)]
    [2, 2, 1]
    """
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
