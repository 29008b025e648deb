"""Read mechanism knowledge in PrimeKG's ``kg.csv`` format.

PrimeKG (Chandak, Huang & Zitnik, *Sci Data* 2023) ships its graph as one CSV
with twelve columns::

    relation,display_relation,x_index,x_id,x_type,x_name,x_source,
    y_index,y_id,y_type,y_name,y_source

Each row is one edge between node ``x`` and node ``y``. The graph is
undirected, so every fact is written twice, once as ``(x, y)`` and once as
``(y, x)``. :func:`load_primekg` stores **one canonical edge per fact**: the
orientation of each relation is fixed in :data:`RELATIONS` (a drug TARGETS a
gene, a gene is ASSOCIATED_WITH a disease); for relations between two nodes of
one kind (protein–protein, drug–drug, the ontology hierarchies) the node with
the smaller CURIE comes first. The mirrored rows are counted
(:attr:`PrimeKGStats.mirrored_rows`), not stored; the explainer walks edges in
both directions, so nothing is lost. The first row of a fact gives the edge its
provenance line and ``display_relation``; a row repeating a fact in the same
orientation is counted as a ``duplicate_row``. Every edge carries
``{"relation": …, "display_relation": …}`` as PrimeKG wrote them, and one
:class:`~graph.model.Provenance` (``name``, ``version`` — the file's SHA-256
unless given —, ``line``).

PrimeKG's ``parent-child`` relations (``disease_disease``, ``anatomy_anatomy``,
the GO, HPO, Reactome and exposure hierarchies) are stored as RELATED_TO, not
SUBCLASS_OF: kg.csv lists both orientations of each pair and nothing says which
node is the parent, so a SUBCLASS_OF edge would point the wrong way half the
time. ``display_relation`` is checked only for ``drug_protein``, where it picks
the edge type; elsewhere it is kept as written.

txkg extends the format by one optional column, ``pmids`` (PubMed ids
separated by ``;``), which becomes the edge's ``Provenance.pmids``; the
example graph in ``examples/mechanisms.csv`` uses it. ``x_index``/``y_index``
may be missing (PrimeKG's ``kg_raw.csv``). A blank node name falls back to the
CURIE.

Ids are normalised to Biolink CURIEs with :func:`graph.ids.normalize`, using
the ``x_source``/``y_source`` column as the id space (``NCBI`` → ``NCBIGene``,
``DrugBank`` → ``DRUGBANK``, bare MONDO/HPO/GO/UBERON integers zero-padded,
``REACTOME`` → ``REACT``, ``CTD`` exposures → ``MESH``). The raw id is kept as
an xref written ``<source>:<id>`` (``MONDO:9693``) whenever it differs from
the CURIE.

Grouped diseases (source ``MONDO_grouped``, id ``13924_12592_…``; TxGNN merges
near-identical MONDO diseases into one node) become one Disease whose id is the
**first** member's MONDO CURIE, as PrimeKG writes the group; the other members'
CURIEs and the raw group id are its xrefs. PrimeKG replaces every member by
the group, so the first member's id is not used by any other node.

Bad input. Breakage of the file itself raises
:class:`~graph.errors.ParseError` naming file and line, and nothing is
returned: a missing or unreadable file, a header that is not PrimeKG's, a row
with too few or too many columns, bytes that are not UTF-8, a broken CSV
quote. A row that is well formed but cannot be used becomes a
:class:`~graph.model.Rejection` (file, line, the row, the reason) and reading
goes on: an unknown relation or node type, a malformed id, a relation between
the wrong kinds of node, a drug–protein row whose ``display_relation`` is not
one of target/enzyme/transporter/carrier, an id already seen as another kind,
a malformed PMID.

Large files: :func:`read_primekg` returns a :class:`~graph.stream.SourceStream`
that reads the file as a store loads it, in chunks of nodes, edges (as
:class:`~graph.stream.Statement`\\ s) and rejections, so memory does not grow
with the file (what it keeps per distinct fact is in :mod:`loaders.primekg.builder`).
:func:`load_primekg` collects the whole file into one
:class:`~graph.model.SourceBatch`, for small files.

>>> import pathlib, tempfile
>>> rows = [",".join(HEADER),
...         "drug_protein,target,0,DB06681,drug,Belatacept,DrugBank,1,941,gene/protein,CD80,NCBI",
...         "drug_protein,target,1,941,gene/protein,CD80,NCBI,0,DB06681,drug,Belatacept,DrugBank"]
>>> tmp = tempfile.TemporaryDirectory()
>>> path = pathlib.Path(tmp.name) / "kg.csv"
>>> _ = path.write_text("\\n".join(rows) + "\\n")
>>> result = load_primekg(path, version="test")
>>> [(e.source, e.type.value, e.target) for e in result.batch.edges]
[('DRUGBANK:DB06681', 'TARGETS', 'NCBIGene:941')]
>>> result.stats.rows, result.stats.edges, result.stats.mirrored_rows
(2, 1, 1)
>>> tmp.cleanup()
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.errors import ParseError
from graph.model import SourceBatch, SourceInfo
from graph.stream import CHUNK_SIZE, Chunk, SourceStream
from loaders.primekg.builder import ROWS_BETWEEN_REPORTS, Builder
from loaders.primekg.rows import RowFile, file_digest
from loaders.primekg.vocabulary import (
    DRUG_PROTEIN_TYPES,
    HEADER,
    HIERARCHY_EDGE_TYPE,
    NODE_TYPES,
    PMIDS_COLUMN,
    RELATIONS,
    REQUIRED_COLUMNS,
    RelationRule,
)

#: Rows between two calls of the ``on_progress`` callback.
PROGRESS_EVERY = ROWS_BETWEEN_REPORTS

#: ``on_progress(rows read, bytes of the file read, bytes in the file)``.
Progress = Callable[[int, int, int], None]


@dataclass(frozen=True)
class PrimeKGStats:
    """What reading one file found.

    ``rows`` counts data rows; each is an ``edge`` (the first row of a fact),
    a ``mirrored_row`` (the same fact written the other way round), a
    ``duplicate_row`` (the same fact again in the same orientation) or a
    ``rejected_row``.
    """

    rows: int
    nodes: int
    edges: int
    mirrored_rows: int
    duplicate_rows: int
    rejected_rows: int


@dataclass(frozen=True)
class PrimeKGResult:
    """A whole PrimeKG file read at once: the batch to hand to a store, and the figures."""

    batch: SourceBatch
    stats: PrimeKGStats

    @property
    def sources(self) -> tuple[SourceBatch]:
        """The one source to load (see :class:`graph.stream.Loaded`)."""
        return (self.batch,)


class PrimeKGStream(SourceStream):
    """A PrimeKG file as a :class:`~graph.stream.SourceStream`; :attr:`stats` are
    complete once its chunks have been read."""

    def __init__(self, file: Path, shown: str, source: SourceInfo, *,
                 on_progress: Progress | None, chunk_size: int) -> None:
        self.file, self.shown = file, shown
        self.on_progress = on_progress
        self.chunk_size = chunk_size
        self._builder = Builder(name=source.name, path=shown)
        super().__init__(source, self._read())

    @property
    def stats(self) -> PrimeKGStats:
        """Counts so far (final once the chunks have been read)."""
        b = self._builder
        return PrimeKGStats(rows=b.rows, nodes=b.node_count, edges=b.edge_count,
                            mirrored_rows=b.mirrored, duplicate_rows=b.duplicates,
                            rejected_rows=b.rejected)

    def _read(self) -> Iterator[Chunk]:
        builder, progress, size = self._builder, self.on_progress, self.chunk_size
        with RowFile(self.file, self.shown) as rows:
            for count in builder.read(rows.rows(), chunk_size=size):
                if len(builder.edges) + len(builder.rejections) >= size:
                    yield self._take()
                if progress is not None:
                    progress(count, rows.bytes_read, rows.size)
            if builder.nodes or builder.edges or builder.rejections:
                yield self._take()
            if progress is not None:
                progress(builder.rows, rows.size, rows.size)

    def _take(self) -> Chunk:
        b = self._builder
        chunk = Chunk(nodes=b.nodes, edges=b.edges, rejections=b.rejections)
        b.nodes, b.edges, b.rejections = [], [], []
        return chunk


def read_primekg(
    path: str | Path,
    *,
    name: str = "PrimeKG",
    version: str | None = None,
    on_progress: Progress | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> PrimeKGStream:
    """A PrimeKG ``kg.csv`` (or ``kg.csv.gz``) as a stream a store loads chunk by chunk.

    Parameters
    ----------
    path
        The file. A name ending in ``.gz`` is read through gzip.
    name
        The source name recorded in every edge's provenance.
    version
        The dataset's release; when ``None``, the file's SHA-256 digest.
    on_progress
        Called with the rows read, the bytes read and the file's size, every
        :data:`PROGRESS_EVERY` rows and once at the end.
    chunk_size
        Edges (and rejections) per chunk.

    Raises
    ------
    ParseError
        When the file is missing or unreadable (here), or not in PrimeKG's
        format (while the stream is read: a store loading it rolls back).
    """
    file = Path(path)
    shown = str(path)
    if not file.is_file():
        raise ParseError("no such file" if not file.exists() else "not a file", path=shown)
    if version is None:
        version = file_digest(file, shown)
    source = SourceInfo(name=name, kind="primekg", version=version, path=shown)
    return PrimeKGStream(file, shown, source, on_progress=on_progress, chunk_size=chunk_size)


def load_primekg(
    path: str | Path,
    *,
    name: str = "PrimeKG",
    version: str | None = None,
    on_progress: Progress | None = None,
) -> PrimeKGResult:
    """Read a whole PrimeKG file into one source batch (small files; see :func:`read_primekg`).

    Parameters and errors as for :func:`read_primekg`.
    """
    stream = read_primekg(path, name=name, version=version, on_progress=on_progress)
    batch = stream.collect()
    return PrimeKGResult(batch=batch, stats=stream.stats)


__all__ = [
    "DRUG_PROTEIN_TYPES",
    "HEADER",
    "HIERARCHY_EDGE_TYPE",
    "NODE_TYPES",
    "PMIDS_COLUMN",
    "PROGRESS_EVERY",
    "RELATIONS",
    "REQUIRED_COLUMNS",
    "PrimeKGResult",
    "PrimeKGStats",
    "PrimeKGStream",
    "RelationRule",
    "load_primekg",
    "read_primekg",
]
