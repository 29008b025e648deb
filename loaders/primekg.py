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

Large files: :class:`PrimeKGReader` streams nodes, edges and rejections as it
reads; :func:`load_primekg` collects them into one
:class:`~graph.model.SourceBatch`.

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

import csv
import gc
import gzip
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from graph import ids
from graph.errors import InvalidId, ParseError
from graph.model import (
    Anatomy,
    BiologicalProcess,
    CellularComponent,
    Disease,
    Drug,
    Edge,
    EdgeType,
    Exposure,
    Gene,
    MolecularFunction,
    Node,
    Pathway,
    Phenotype,
    Provenance,
    Rejection,
    SourceBatch,
    SourceInfo,
)

#: PrimeKG's ``kg.csv`` columns, in PrimeKG's order.
HEADER: tuple[str, ...] = (
    "relation", "display_relation",
    "x_index", "x_id", "x_type", "x_name", "x_source",
    "y_index", "y_id", "y_type", "y_name", "y_source",
)
#: Columns the loader needs; ``x_index``/``y_index`` may be absent (``kg_raw.csv``).
REQUIRED_COLUMNS: frozenset[str] = frozenset(HEADER) - {"x_index", "y_index"}
#: txkg's one extension of the format: an optional last column ``pmids``, the
#: PubMed ids behind a row, separated by ``;``. PrimeKG itself has no such column.
PMIDS_COLUMN = "pmids"

#: PrimeKG node type -> txkg node class.
NODE_TYPES: dict[str, type[Node]] = {
    "gene/protein": Gene,
    "drug": Drug,
    "effect/phenotype": Phenotype,
    "disease": Disease,
    "biological_process": BiologicalProcess,
    "molecular_function": MolecularFunction,
    "cellular_component": CellularComponent,
    "exposure": Exposure,
    "pathway": Pathway,
    "anatomy": Anatomy,
}

#: PrimeKG's ``parent-child`` ontology relations keep no direction in kg.csv (both
#: orientations are listed, and nothing says which node is the parent), so they
#: are stored as an undirected RELATED_TO, not as SUBCLASS_OF.
HIERARCHY_EDGE_TYPE = EdgeType.RELATED_TO

#: ``drug_protein`` rows split by ``display_relation`` (DrugBank's target categories).
DRUG_PROTEIN_TYPES: dict[str, EdgeType] = {
    "target": EdgeType.TARGETS,
    "enzyme": EdgeType.METABOLIZED_BY,
    "transporter": EdgeType.TRANSPORTED_BY,
    "carrier": EdgeType.CARRIED_BY,
}


@dataclass(frozen=True)
class RelationRule:
    """How one PrimeKG relation becomes a txkg edge.

    The canonical edge runs from a ``subject`` node to an ``object`` node
    (PrimeKG node types); ``display_relation`` is PrimeKG's label for it.
    When both ends are of one type the edge is symmetric and runs from the
    smaller CURIE to the larger.
    """

    subject: str
    object: str
    edge_type: EdgeType
    display_relation: str

    @property
    def symmetric(self) -> bool:
        return self.subject == self.object


def _rule(subject: str, obj: str, edge_type: EdgeType, display: str) -> RelationRule:
    return RelationRule(subject, obj, edge_type, display)


_GENE, _DRUG, _DISEASE, _PHENO = "gene/protein", "drug", "disease", "effect/phenotype"
_BP, _MF, _CC = "biological_process", "molecular_function", "cellular_component"
_EXPO, _PATH, _ANAT = "exposure", "pathway", "anatomy"
_HIER = HIERARCHY_EDGE_TYPE

#: The 30 PrimeKG relations. ``drug_protein``'s edge type depends on its
#: ``display_relation`` (see :data:`DRUG_PROTEIN_TYPES`); TARGETS is its rule's default.
RELATIONS: dict[str, RelationRule] = {
    "protein_protein": _rule(_GENE, _GENE, EdgeType.INTERACTS_WITH, "ppi"),
    "drug_protein": _rule(_DRUG, _GENE, EdgeType.TARGETS, "target"),
    "contraindication": _rule(_DRUG, _DISEASE, EdgeType.CONTRAINDICATED_FOR, "contraindication"),
    "indication": _rule(_DRUG, _DISEASE, EdgeType.INDICATED_FOR, "indication"),
    "off-label use": _rule(_DRUG, _DISEASE, EdgeType.OFF_LABEL_FOR, "off-label use"),
    "drug_drug": _rule(_DRUG, _DRUG, EdgeType.INTERACTS_WITH, "synergistic interaction"),
    "drug_effect": _rule(_DRUG, _PHENO, EdgeType.HAS_SIDE_EFFECT, "side effect"),
    "phenotype_protein": _rule(_GENE, _PHENO, EdgeType.ASSOCIATED_WITH, "associated with"),
    "phenotype_phenotype": _rule(_PHENO, _PHENO, _HIER, "parent-child"),
    "disease_phenotype_negative": _rule(_DISEASE, _PHENO, EdgeType.LACKS_PHENOTYPE,
                                        "phenotype absent"),
    "disease_phenotype_positive": _rule(_DISEASE, _PHENO, EdgeType.HAS_PHENOTYPE,
                                        "phenotype present"),
    "disease_protein": _rule(_GENE, _DISEASE, EdgeType.ASSOCIATED_WITH, "associated with"),
    "disease_disease": _rule(_DISEASE, _DISEASE, _HIER, "parent-child"),
    "bioprocess_bioprocess": _rule(_BP, _BP, _HIER, "parent-child"),
    "molfunc_molfunc": _rule(_MF, _MF, _HIER, "parent-child"),
    "cellcomp_cellcomp": _rule(_CC, _CC, _HIER, "parent-child"),
    "bioprocess_protein": _rule(_GENE, _BP, EdgeType.PARTICIPATES_IN, "interacts with"),
    "molfunc_protein": _rule(_GENE, _MF, EdgeType.ENABLES, "interacts with"),
    "cellcomp_protein": _rule(_GENE, _CC, EdgeType.LOCATED_IN, "interacts with"),
    "exposure_protein": _rule(_EXPO, _GENE, EdgeType.INTERACTS_WITH, "interacts with"),
    "exposure_disease": _rule(_EXPO, _DISEASE, EdgeType.LINKED_TO, "linked to"),
    "exposure_exposure": _rule(_EXPO, _EXPO, _HIER, "parent-child"),
    "exposure_bioprocess": _rule(_EXPO, _BP, EdgeType.INTERACTS_WITH, "interacts with"),
    "exposure_molfunc": _rule(_EXPO, _MF, EdgeType.INTERACTS_WITH, "interacts with"),
    "exposure_cellcomp": _rule(_EXPO, _CC, EdgeType.INTERACTS_WITH, "interacts with"),
    "pathway_pathway": _rule(_PATH, _PATH, _HIER, "parent-child"),
    "pathway_protein": _rule(_GENE, _PATH, EdgeType.PARTICIPATES_IN, "interacts with"),
    "anatomy_anatomy": _rule(_ANAT, _ANAT, _HIER, "parent-child"),
    "anatomy_protein_present": _rule(_GENE, _ANAT, EdgeType.EXPRESSED_IN, "expression present"),
    "anatomy_protein_absent": _rule(_GENE, _ANAT, EdgeType.NOT_EXPRESSED_IN,
                                    "expression absent"),
}

#: Rows between two calls of the ``on_progress`` callback.
PROGRESS_EVERY = 50_000


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
    """A loaded PrimeKG file: the batch to hand to a store, and the figures."""

    batch: SourceBatch
    stats: PrimeKGStats


class PrimeKGReader:
    """Stream a PrimeKG file as txkg statements, for files too large to hold at once.

    Iterating yields each :class:`~graph.model.Node` when it is first needed,
    then each canonical :class:`~graph.model.Edge` (its two nodes already
    yielded) and each :class:`~graph.model.Rejection`, in file order.
    :attr:`stats` is complete once iteration ends. Parameters as for
    :func:`load_primekg`; a structural fault raises
    :class:`~graph.errors.ParseError` from the iteration.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        name: str = "PrimeKG",
        version: str | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        self.file = Path(path)
        self.path = str(path)
        if not self.file.is_file():
            raise ParseError("no such file", path=self.path)
        self.version = version if version is not None else _sha256(self.file, self.path)
        self.source = SourceInfo(name=name, kind="primekg", version=self.version,
                                 path=self.path)
        self.on_progress = on_progress
        self._builder = _Builder(name=name, version=self.version, path=self.path)

    @property
    def stats(self) -> PrimeKGStats:
        """Counts so far (final once iteration has ended)."""
        return self._builder.stats()

    def __iter__(self) -> Iterator[Node | Edge | Rejection]:
        builder, progress = self._builder, self.on_progress
        out = builder.out
        with _open_text(self.file, self.path) as handle:
            for line, row in _rows(handle, self.path):
                builder.add(line, row)
                if out:
                    yield from out
                    out.clear()
                if progress is not None and builder.rows % PROGRESS_EVERY == 0:
                    progress(builder.rows)
        if progress is not None:
            progress(builder.rows)


def load_primekg(
    path: str | Path,
    *,
    name: str = "PrimeKG",
    version: str | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> PrimeKGResult:
    """Read a PrimeKG ``kg.csv`` (or ``kg.csv.gz``) into one source batch.

    Parameters
    ----------
    path
        The file. A name ending in ``.gz`` is read through gzip.
    name
        The source name recorded in every edge's provenance.
    version
        The dataset's release; when ``None``, the file's SHA-256 digest.
    on_progress
        Called with the number of data rows read so far, every
        :data:`PROGRESS_EVERY` rows and once at the end.

    Returns
    -------
    PrimeKGResult
        ``batch`` (nodes, canonical edges, rejections) and ``stats``.

    Raises
    ------
    ParseError
        When the file is missing, unreadable or not in PrimeKG's format.
    """
    reader = PrimeKGReader(path, name=name, version=version, on_progress=on_progress)
    nodes: list[Node] = []
    edges: list[Edge] = []
    rejections: list[Rejection] = []
    # Millions of small, acyclic objects: the cyclic garbage collector would rescan
    # them over and over (it tripled the load time), so it pauses while reading.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for item in reader:
            if isinstance(item, Edge):
                edges.append(item)
            elif isinstance(item, Rejection):
                rejections.append(item)
            else:
                nodes.append(item)
    finally:
        if collecting:
            gc.enable()
    batch = SourceBatch(source=reader.source, nodes=tuple(nodes), edges=tuple(edges),
                        rejections=tuple(rejections))
    return PrimeKGResult(batch=batch, stats=reader.stats)


def _sha256(file: Path, shown: str) -> str:
    try:
        with file.open("rb") as handle:
            return "sha256:" + hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as error:
        raise ParseError(f"cannot read file: {error.strerror or error}", path=shown) from error


def _open_text(file: Path, shown: str) -> IO[str]:
    try:
        if file.name.endswith(".gz"):
            return gzip.open(file, "rt", encoding="utf-8-sig", newline="")
        return file.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise ParseError(f"cannot read file: {error.strerror or error}", path=shown) from error


# Positions in the tuples _rows() yields: relation, display, then x's and y's
# (id, type, name, source) fields.
_RELATION, _DISPLAY, _X, _Y, _PMIDS = 0, 1, 2, 6, 10
_ID, _TYPE, _NAME, _SOURCE = 0, 1, 2, 3
_FIELDS = ("relation", "display_relation", "x_id", "x_type", "x_name", "x_source",
           "y_id", "y_type", "y_name", "y_source")


def _rows(handle: IO[str], shown: str) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Yield ``(line, fields)`` for each data row after checking the header.

    ``fields`` are the stripped values of :data:`_FIELDS`; ``line`` is the
    file line where the row starts (the header is line 1). Blank lines are
    skipped. Structural faults raise :class:`ParseError`.
    """
    reader = csv.reader(handle)
    line = 1
    try:
        header = next(reader, None)
        if header is None:
            raise ParseError("empty file: expected PrimeKG's kg.csv header", path=shown, line=1)
        columns = _check_header(header, shown)
        width = len(columns)
        positions = [columns.index(f) for f in _FIELDS]
        no_pmids: tuple[str, ...] = ()
        if PMIDS_COLUMN in columns:
            positions.append(columns.index(PMIDS_COLUMN))
        else:
            no_pmids = ("",)
        line = reader.line_num + 1
        for values in reader:
            if len(values) != width:
                if not values or values == [""]:
                    line = reader.line_num + 1
                    continue
                raise ParseError(
                    f"expected {width} columns, found {len(values)}", path=shown, line=line)
            yield line, tuple([values[i].strip() for i in positions]) + no_pmids
            line = reader.line_num + 1
    except csv.Error as error:
        raise ParseError(f"broken CSV: {error}", path=shown, line=line) from error
    except UnicodeDecodeError as error:
        raise ParseError(f"not UTF-8 text: {error.reason}", path=shown, line=line) from error
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise ParseError(f"cannot read file: {error}", path=shown, line=line) from error


def _check_header(header: list[str], shown: str) -> tuple[str, ...]:
    columns = tuple(c.strip() for c in header)
    missing = [c for c in HEADER if c in REQUIRED_COLUMNS and c not in columns]
    unknown = [c for c in columns if c not in HEADER and c != PMIDS_COLUMN]
    if missing or unknown or len(set(columns)) != len(columns):
        detail = []
        if missing:
            detail.append("missing " + ", ".join(missing))
        if unknown:
            detail.append("unexpected " + ", ".join(repr(c) for c in unknown[:5]))
        if len(set(columns)) != len(columns):
            detail.append("repeated column names")
        raise ParseError(
            "not a PrimeKG kg.csv header (" + "; ".join(detail) + "); expected "
            + ",".join(HEADER), path=shown, line=1)
    return columns


class _Reject(Exception):
    """Internal: a row the loader cannot use; becomes a Rejection."""


@dataclass(frozen=True)
class _Endpoint:
    id: str
    kind: type[Node]


class _Builder:
    """Turns rows into nodes, canonical edges and rejections, appended to ``out``."""

    def __init__(self, *, name: str, version: str, path: str) -> None:
        self.name = name
        self.version = version
        self.path = path
        self.rows = 0
        self.edges = 0
        self.rejected = 0
        self.mirrored = 0
        self.duplicates = 0
        self.out: list[Node | Edge | Rejection] = []
        # node id -> its class, for every node already yielded
        self._kinds: dict[str, type[Node]] = {}
        # canonical (source, type, target) -> orientations seen: 1 as written, 2 flipped
        self._seen: dict[tuple[str, str, str], int] = {}
        # (raw id, source, type) -> endpoint, so each distinct node is resolved once
        self._endpoints: dict[tuple[str, str, str], _Endpoint] = {}

    def stats(self) -> PrimeKGStats:
        return PrimeKGStats(
            rows=self.rows, nodes=len(self._kinds), edges=self.edges,
            mirrored_rows=self.mirrored, duplicate_rows=self.duplicates,
            rejected_rows=self.rejected)

    def add(self, line: int, row: tuple[str, ...]) -> None:
        self.rows += 1
        try:
            self._add(line, row)
        except _Reject as reason:
            self.rejected += 1
            self.out.append(Rejection(
                source=self.name, path=self.path, line=line, record=",".join(row),
                reason=str(reason)))

    def _add(self, line: int, row: tuple[str, ...]) -> None:
        relation = row[_RELATION]
        rule = RELATIONS.get(relation)
        if rule is None:
            raise _Reject(f"unknown relation {relation!r}")
        display = row[_DISPLAY]
        edge_type = rule.edge_type
        if relation == "drug_protein":
            by_display = DRUG_PROTEIN_TYPES.get(display)
            if by_display is None:
                raise _Reject(f"unknown drug_protein display_relation {display!r}; expected "
                              + ", ".join(DRUG_PROTEIN_TYPES))
            edge_type = by_display
        x_type, y_type = row[_X + _TYPE], row[_Y + _TYPE]
        for node_type in (x_type, y_type):
            if node_type not in NODE_TYPES:
                raise _Reject(f"unknown node type {node_type!r}")
        if x_type == rule.subject and y_type == rule.object:
            flipped = False
        elif x_type == rule.object and y_type == rule.subject:
            flipped = True
        else:
            raise _Reject(f"relation {relation!r} joins {rule.subject} and {rule.object},"
                          f" not {x_type} and {y_type}")
        x = self._endpoint(row, _X)
        y = self._endpoint(row, _Y)
        source, target = (y, x) if flipped else (x, y)
        first, second = (_Y, _X) if flipped else (_X, _Y)
        if rule.symmetric and source.id > target.id:
            source, target, first, second = target, source, second, first
            flipped = not flipped
        key = (source.id, edge_type.value, target.id)
        orientation = 2 if flipped else 1
        seen = self._seen.get(key, 0)
        if seen:
            if seen & orientation:
                self.duplicates += 1
            else:
                self.mirrored += 1
                self._seen[key] = seen | orientation
            return
        pmids = _pmids(row[_PMIDS]) if row[_PMIDS] else ()
        self._check_kind(source)
        self._check_kind(target)
        self._seen[key] = orientation
        self._node(source, row, first)
        self._node(target, row, second)
        self.edges += 1
        self.out.append(Edge(
            source=source.id, target=target.id, type=edge_type,
            provenance=(Provenance(source=self.name, version=self.version, line=line,
                                   pmids=pmids),),
            properties={"relation": relation, "display_relation": display}))

    def _endpoint(self, row: tuple[str, ...], side: int) -> _Endpoint:
        raw_id, node_type, source = row[side + _ID], row[side + _TYPE], row[side + _SOURCE]
        cache_key = (raw_id, source, node_type)
        found = self._endpoints.get(cache_key)
        if found is not None:
            return found
        kind = NODE_TYPES.get(node_type)
        if kind is None:
            raise _Reject(f"unknown node type {node_type!r}")
        try:
            curie = _curie(raw_id, source)
        except InvalidId as error:
            raise _Reject(f"{_FIELDS[side + _ID]}: {error}") from error
        endpoint = _Endpoint(curie, kind)
        self._endpoints[cache_key] = endpoint
        return endpoint

    def _check_kind(self, endpoint: _Endpoint) -> None:
        known = self._kinds.get(endpoint.id)
        if known is not None and known is not endpoint.kind:
            raise _Reject(f"{endpoint.id} is a {_kind_name(known)} elsewhere in the file, "
                          f"not a {_kind_name(endpoint.kind)}")

    def _node(self, endpoint: _Endpoint, row: tuple[str, ...], side: int) -> None:
        if endpoint.id in self._kinds:
            return
        name = row[side + _NAME] or endpoint.id
        fields: dict[str, object] = {
            "id": endpoint.id, "name": name,
            "xrefs": _xrefs(endpoint.id, row[side + _ID], row[side + _SOURCE])}
        if endpoint.kind is Gene:
            fields["symbol"] = name
        self._kinds[endpoint.id] = endpoint.kind
        self.out.append(endpoint.kind.model_validate(fields))


def _pmids(text: str) -> tuple[str, ...]:
    """PubMed CURIEs from the ``pmids`` column.

    >>> _pmids("9869202; PMID:38562904")
    ('PMID:9869202', 'PMID:38562904')
    """
    try:
        return tuple(ids.pmid(p) for p in text.split(";") if p.strip())
    except InvalidId as error:
        raise _Reject(f"pmids: {error}") from error


def _kind_name(kind: type[Node]) -> str:
    return str(kind.model_fields["kind"].default)


def _curie(raw_id: str, source: str) -> str:
    """The CURIE of a PrimeKG node id in its ``x_source`` id space.

    >>> _curie("9693", "MONDO"), _curie("941", "NCBI"), _curie("R-HSA-388841", "REACTOME")
    ('MONDO:0009693', 'NCBIGene:941', 'REACT:R-HSA-388841')
    >>> _curie("13924_12592", "MONDO_grouped")
    'MONDO:0013924'
    """
    if source == "MONDO_grouped":
        return _group_members(raw_id)[0]
    return ids.normalize(raw_id, source=source)


def _group_members(raw_id: str) -> list[str]:
    members = raw_id.split("_")
    if not members or any(not m for m in members):
        raise InvalidId(f"malformed grouped MONDO id {raw_id!r}: expected ids joined by '_'")
    return [ids.normalize(m, source="MONDO") for m in members]


def _xrefs(curie: str, raw_id: str, source: str) -> tuple[str, ...]:
    """Cross-references kept for a node: the raw id, and a group's other members.

    >>> _xrefs("MONDO:0009693", "9693", "MONDO")
    ('MONDO:9693',)
    >>> _xrefs("DRUGBANK:DB06681", "DB06681", "DrugBank")
    ('DrugBank:DB06681',)
    >>> _xrefs("MONDO:0000001", "1_20", "MONDO_grouped")
    ('MONDO_grouped:1_20', 'MONDO:0000020')
    """
    raw = f"{source}:{raw_id}"
    out = [] if raw == curie else [raw]
    if source == "MONDO_grouped":
        out.extend(m for m in _group_members(raw_id) if m != curie)
    return tuple(dict.fromkeys(out))
