"""Read a hetnet in Hetionet's JSON format (hetnetpy's ``writegraph``).

A hetnet JSON file has five keys: ``metanode_kinds`` (node kinds),
``metaedge_tuples`` (``[source_kind, target_kind, edge_kind, direction]``),
``kind_to_abbrev``, ``nodes`` (``kind``, ``identifier``, ``name``, ``data``) and
``edges`` (``source_id`` and ``target_id`` as ``[kind, identifier]`` pairs,
``kind``, ``direction``, ``data``). Files may be plain or compressed
(``.json``, ``.json.gz``, ``.json.xz``, ``.json.bz2``).

Node kinds map to txkg kinds (:data:`NODE_KINDS`): Compound → Drug, Side Effect
and Symptom → Phenotype, Pharmacologic Class → PharmacologicClass, Tissue (the
hetnetpy example graph) → Anatomy. Identifiers become Biolink CURIEs
(:func:`node_id`); Hetionet's own notation (``Compound::DB00118``) is kept as
an xref. An entity known only by name (the example graph names its genes
``STAT3``) gets a provisional id that the API resolves against the store.

Edge kinds map to :data:`EDGE_KINDS`. A type that means what an existing txkg
type means is reused, so Hetionet joins other sources (``associates`` →
ASSOCIATED_WITH, ``causes`` → HAS_SIDE_EFFECT, ``presents`` → HAS_PHENOTYPE,
``upregulates`` → INCREASES); Hetionet's own letters survive where they fit, so
the bupropion subgraph's metapath reads ``CbGpPWpGaD``. Undirected (``both``)
edges are stored once, in the orientation txkg uses for that type (a gene is
ASSOCIATED_WITH a disease, a gene is EXPRESSED_IN an anatomy); between two
nodes of one kind the smaller CURIE comes first. Hetionet's edge kind is kept
as the edge property ``predicate``; the edge's ``data`` (sources, license,
``unbiased``, PubMed ids, affinities …) becomes provenance and properties.

>>> import json, pathlib, tempfile
>>> hetnet = {"metanode_kinds": ["Compound", "Gene"], "kind_to_abbrev": {},
...           "metaedge_tuples": [["Compound", "Gene", "binds", "both"]],
...           "nodes": [{"kind": "Compound", "identifier": "DB01156", "name": "Bupropion",
...                      "data": {}},
...                     {"kind": "Gene", "identifier": 6531, "name": "SLC6A3", "data": {}}],
...           "edges": [{"source_id": ["Gene", 6531], "target_id": ["Compound", "DB01156"],
...                      "kind": "binds", "direction": "both",
...                      "data": {"sources": ["DrugBank"], "pubmed_ids": ["11350116"]}}]}
>>> tmp = tempfile.TemporaryDirectory()
>>> path = pathlib.Path(tmp.name) / "tiny.json"
>>> _ = path.write_text(json.dumps(hetnet))
>>> batch = read_hetionet(path, version="test")
>>> [(e.source, e.type.value, e.target, e.pmids) for e in batch.edges]
[('DRUGBANK:DB01156', 'BINDS', 'NCBIGene:6531', ('PMID:11350116',))]
>>> tmp.cleanup()
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import hashlib
import io
import json
import lzma
import re
import zlib
from pathlib import Path
from typing import Any

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
    Gene,
    MolecularFunction,
    Node,
    Pathway,
    PharmacologicClass,
    Phenotype,
    Provenance,
    Rejection,
    SourceBatch,
    SourceInfo,
)
from loaders.json_input import parse_json

#: Hetionet node kind -> txkg node class.
NODE_KINDS: dict[str, type[Node]] = {
    "Compound": Drug,
    "Gene": Gene,
    "Disease": Disease,
    "Anatomy": Anatomy,
    "Tissue": Anatomy,
    "Biological Process": BiologicalProcess,
    "Cellular Component": CellularComponent,
    "Molecular Function": MolecularFunction,
    "Pathway": Pathway,
    "Pharmacologic Class": PharmacologicClass,
    "Side Effect": Phenotype,
    "Symptom": Phenotype,
}

#: Id space of each Hetionet node kind's identifiers (bare ids: 941, DB00118, C0000737).
ID_SPACES: dict[str, str] = {
    "Compound": "DRUGBANK",
    "Gene": "NCBIGene",
    "Disease": "DOID",
    "Anatomy": "UBERON",
    "Tissue": "UBERON",
    "Biological Process": "GO",
    "Cellular Component": "GO",
    "Molecular Function": "GO",
    "Pharmacologic Class": "NDFRT",
    "Side Effect": "UMLS",
    "Symptom": "MESH",
}

#: Hetionet edge kind -> (txkg edge type, the txkg kind that is the edge's subject,
#: or None to keep the metaedge's own orientation).
EDGE_KINDS: dict[str, tuple[EdgeType, str | None]] = {
    "binds": (EdgeType.BINDS, None),
    "upregulates": (EdgeType.INCREASES, None),
    "downregulates": (EdgeType.DECREASES, None),
    "expresses": (EdgeType.EXPRESSED_IN, "Gene"),
    "expression": (EdgeType.EXPRESSED_IN, "Gene"),
    "associates": (EdgeType.ASSOCIATED_WITH, "Gene"),
    "association": (EdgeType.ASSOCIATED_WITH, "Gene"),
    "participates": (EdgeType.PARTICIPATES_IN, "Gene"),
    "interacts": (EdgeType.INTERACTS_WITH, None),
    "interaction": (EdgeType.INTERACTS_WITH, None),
    "covaries": (EdgeType.COVARIES, None),
    "regulates": (EdgeType.REGULATES, None),
    "treats": (EdgeType.TREATS, None),
    "palliates": (EdgeType.PALLIATES, None),
    "causes": (EdgeType.HAS_SIDE_EFFECT, None),
    "resembles": (EdgeType.RESEMBLES, None),
    "includes": (EdgeType.INCLUDES, None),
    "localizes": (EdgeType.LOCATED_IN, None),
    "localization": (EdgeType.LOCATED_IN, None),
    "presents": (EdgeType.HAS_PHENOTYPE, None),
}

def _open(path: Path) -> io.BufferedIOBase:
    """The file's bytes, decompressed by its suffix (.gz, .xz, .bz2) or as they are."""
    if path.suffix == ".gz":
        return gzip.GzipFile(path, "rb")
    if path.suffix == ".xz":
        return lzma.LZMAFile(path, "rb")
    if path.suffix == ".bz2":
        return bz2.BZ2File(path, "rb")
    return path.open("rb")


_WIKIPATHWAYS = re.compile(r"(WP\d+)(_r\d+)?")
#: Edge ``data`` keys that hold PubMed ids.
_PMID_KEYS = ("pubmed_ids", "pmids", "pubmed")
_KEYS = ("metanode_kinds", "metaedge_tuples", "nodes", "edges")


def read_hetnet_json(path: str | Path) -> dict[str, Any]:
    """The parsed JSON of a (possibly compressed) hetnet file; ParseError if it is not one."""
    file = Path(path)
    try:
        with _open(file) as handle:
            data = parse_json(lambda: json.load(handle), file)
    except FileNotFoundError as error:
        raise ParseError("no such file", path=str(file)) from error
    except (OSError, EOFError, lzma.LZMAError, zlib.error, UnicodeDecodeError) as error:
        raise ParseError(f"cannot read: {error}", path=str(file)) from error
    if isinstance(data, dict) and "metanode_kinds" in data and "nodes" not in data:
        raise ParseError("a metagraph only (metanodes and metaedges): no nodes or edges to load",
                         path=str(file))
    if not isinstance(data, dict) or any(key not in data for key in _KEYS):
        raise ParseError(f"not a hetnet: a hetnet JSON object has keys {', '.join(_KEYS)}",
                         path=str(file))
    if not isinstance(data["nodes"], list) or not isinstance(data["edges"], list):
        raise ParseError("not a hetnet: 'nodes' and 'edges' must be lists", path=str(file))
    tuples = data["metaedge_tuples"]
    if not isinstance(tuples, list) or not all(
            isinstance(t, list) and len(t) == 4 and all(isinstance(v, str) for v in t)
            for t in tuples):
        raise ParseError("not a hetnet: 'metaedge_tuples' must be lists of four names "
                         "(source, target, kind, direction)", path=str(file))
    return data


def node_id(kind: str, identifier: Any, name: str) -> str:
    """The CURIE of a Hetionet node; raises InvalidId when the identifier is malformed.

    >>> node_id("Gene", 941, "CD80"), node_id("Compound", "DB01156", "Bupropion")
    ('NCBIGene:941', 'DRUGBANK:DB01156')
    >>> node_id("Pathway", "WP477_r67139", "x"), node_id("Pathway", "PC7_5322", "x")
    ('WIKIPATHWAYS:WP477', 'PATHWAYCOMMONS:PC7_5322')
    >>> node_id("Gene", "STAT3", "STAT3")
    'txkg:gene/stat3'
    """
    text = str(identifier).strip()
    target = NODE_KINDS[kind].model_fields["kind"].default
    if text == name.strip() and not text.isdigit():  # known by name only (example graphs)
        return ids.provisional_id(target, name)
    if kind == "Pathway":
        wikipathway = _WIKIPATHWAYS.fullmatch(text)
        if wikipathway:
            return f"WIKIPATHWAYS:{wikipathway.group(1)}"
        if text.startswith("PC"):
            return ids.normalize(text, source="PATHWAYCOMMONS")
        return ids.normalize(text)  # REACT:…, or a CURIE as written
    space = ID_SPACES[kind]
    if ":" in text and not text.upper().startswith(space.upper() + ":"):
        return ids.normalize(text)
    return ids.normalize(text, source=space)


def _scalar(value: Any) -> str | int | float | bool | None:
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def _make_node(record: dict[str, Any], curie: str) -> Node:
    kind, name = record["kind"], str(record.get("name") or record["identifier"]).strip()
    data = record.get("data") or {}
    cls = NODE_KINDS[kind]
    raw = f"{kind}::{record['identifier']}"
    xrefs = [raw] if raw != curie else []
    fields: dict[str, Any] = {}
    if data.get("mesh_id"):
        with contextlib.suppress(InvalidId):
            xrefs.append(ids.normalize(str(data["mesh_id"]), source="MESH"))
    if cls is Gene:
        fields["symbol"] = name
    if cls is PharmacologicClass and data.get("class_type"):
        fields["class_type"] = str(data["class_type"])
    description = data.get("description")
    return cls(id=curie, name=name, xrefs=tuple(xrefs),
               description=str(description) if description else None, **fields)


def file_version(path: Path) -> str:
    """A file's SHA-256 (the default source version)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_hetionet(path: str | Path, *, name: str | None = None, version: str | None = None,
                  dataset: str = "Hetionet") -> SourceBatch:
    """Read one hetnet JSON file into a source batch.

    ``name`` is the source's name in the store (default ``hetionet/<file name>``,
    so two subgraphs load side by side); ``dataset`` names it in each edge's
    provenance; ``version`` defaults to the file's SHA-256. A node of an
    unknown kind or with a malformed identifier, and an edge to such a node or
    of an unknown kind, become rejections.
    """
    file = Path(path)
    data = read_hetnet_json(file)
    source = name or f"hetionet/{file.name}"
    info = SourceInfo(name=source, kind="hetionet", version=version or file_version(file),
                      path=str(file))
    reader = _Reader(file, source, _ProvenanceCache(dataset, info.version),
                     {(a, b, k): d for a, b, k, d in data["metaedge_tuples"]})
    nodes = [node for record in data["nodes"] if (node := reader.node(record)) is not None]
    edges: dict[tuple[str, str, str], Edge] = {}
    for record in data["edges"]:
        edge = reader.edge(record)
        if edge is None:
            continue
        previous = edges.get(edge.key)
        if previous is not None:
            edge = previous.model_copy(update={
                "provenance": _merge_provenance(previous.provenance + edge.provenance)})
        edges[edge.key] = edge
    return SourceBatch(source=info, nodes=tuple(nodes), edges=tuple(edges.values()),
                       rejections=tuple(reader.rejections))


class _Reader:
    """The records of one hetnet file, read one at a time; what cannot be loaded is refused."""

    def __init__(self, file: Path, source: str, provenance: _ProvenanceCache,
                 orientations: dict[tuple[str, str, str], str]) -> None:
        self.file, self.source = file, source
        self.provenance, self.orientations = provenance, orientations
        self.curies: dict[tuple[str, str], str] = {}  # (kind, identifier) -> txkg id
        self.kinds: dict[str, str] = {}  # txkg id -> its label
        self.rejections: list[Rejection] = []

    def refuse(self, record: Any, reason: str) -> None:
        self.rejections.append(Rejection(
            source=self.source, path=str(self.file),
            record=json.dumps(record, default=str)[:300], reason=reason))

    def node(self, record: Any) -> Node | None:
        """The node of a node record, or None (refused)."""
        try:
            kind, identifier = record["kind"], record["identifier"]
            label = str(record.get("name") or identifier)
        except (KeyError, TypeError):
            raise ParseError(f"a node needs kind and identifier: {record!r:.200}",
                             path=str(self.file)) from None
        if not isinstance(kind, str) or kind not in NODE_KINDS:
            self.refuse(record, f"unknown node kind {kind!r}")
            return None
        if not isinstance(record.get("data") or {}, dict):
            self.refuse(record, "node data is not a JSON object")
            return None
        try:
            curie = node_id(kind, identifier, label)
            node = _make_node(record, curie)
        except (InvalidId, ValueError) as error:
            self.refuse(record, f"malformed {kind} identifier {identifier!r}: {error}")
            return None
        self.curies[(kind, str(identifier))] = curie
        self.kinds[curie] = node.label
        return node

    def edge(self, record: Any) -> Edge | None:
        """The edge of an edge record, both ends read before, or None (refused)."""
        try:
            (src_kind, src), (dst_kind, dst) = record["source_id"], record["target_id"]
            edge_kind = record["kind"]
        except (KeyError, TypeError, ValueError):
            raise ParseError(f"an edge needs source_id, target_id and kind: {record!r:.200}",
                             path=str(self.file)) from None
        if not isinstance(edge_kind, str) or edge_kind not in EDGE_KINDS:
            self.refuse(record, f"unknown edge kind {edge_kind!r}")
            return None
        source_id = self.curies.get((src_kind, str(src))) if isinstance(src_kind, str) else None
        target_id = self.curies.get((dst_kind, str(dst))) if isinstance(dst_kind, str) else None
        if source_id is None or target_id is None:
            self.refuse(record, "edge endpoint is not a loaded node")
            return None
        edge_data = record.get("data") or {}
        if not isinstance(edge_data, dict):
            self.refuse(record, "edge data is not a JSON object")
            return None
        direction = record.get("direction") or self.orientations.get(
            (src_kind, dst_kind, edge_kind), "both")
        if direction == "both":
            source_id, target_id = self.orient(source_id, target_id,
                                               (src_kind, dst_kind, edge_kind))
        return _edge(source_id, target_id, EDGE_KINDS[edge_kind][0], edge_kind, edge_data,
                     self.provenance)

    def orient(self, source_id: str, target_id: str,
               metaedge: tuple[str, str, str]) -> tuple[str, str]:
        """An undirected edge's ends in txkg's order: the metaedge's, then subject first."""
        src_kind, dst_kind, edge_kind = metaedge
        if (dst_kind, src_kind, edge_kind) in self.orientations and \
                metaedge not in self.orientations:
            source_id, target_id = target_id, source_id  # the metaedge's orientation
        subject_kind = EDGE_KINDS[edge_kind][1]
        subject_last = (subject_kind is not None
                        and self.kinds[target_id] == subject_kind != self.kinds[source_id])
        unordered = self.kinds[source_id] == self.kinds[target_id] and target_id < source_id
        if subject_last or unordered:
            return target_id, source_id
        return source_id, target_id


class _ProvenanceCache:
    """One Provenance object per distinct (PMIDs, note): most edges share one."""

    def __init__(self, dataset: str, version: str | None) -> None:
        self.dataset, self.version = dataset, version
        self._made: dict[tuple[tuple[str, ...], str | None], Provenance] = {}

    def __call__(self, pmids: tuple[str, ...], note: str | None) -> Provenance:
        found = self._made.get((pmids, note))
        if found is None:
            found = Provenance(source=self.dataset, version=self.version, pmids=pmids, note=note)
            self._made[(pmids, note)] = found
        return found


def _edge(source: str, target: str, edge_type: EdgeType, edge_kind: str, data: dict[str, Any],
          provenance: _ProvenanceCache) -> Edge:
    pmids: list[str] = []
    for key in _PMID_KEYS:
        values = data.get(key) or ()
        for value in values if isinstance(values, list | tuple) else (values,):
            try:
                pmids.append(ids.pmid(value))
            except InvalidId:
                continue
    sources = data.get("sources") or data.get("source")
    note = None
    if sources:
        note = "sources: " + ("; ".join(map(str, sources)) if isinstance(sources, list)
                              else str(sources))
    properties: dict[str, str | int | float | bool | None] = {"predicate": edge_kind}
    properties |= {k: _scalar(v) for k, v in data.items() if k not in _PMID_KEYS}
    # Both ends are ids of nodes built (and validated) above: skip re-validating them.
    return Edge.model_construct(source=source, target=target, type=edge_type,
                                provenance=(provenance(tuple(pmids), note),),
                                properties=properties)


def _merge_provenance(entries: tuple[Provenance, ...]) -> tuple[Provenance, ...]:
    """One provenance per (dataset, version, note): a statement seen twice in one file."""
    merged: dict[tuple[str, str | None, str | None], Provenance] = {}
    for entry in entries:
        key = (entry.source, entry.version, entry.note)
        old = merged.get(key)
        merged[key] = entry if old is None else old.model_copy(
            update={"pmids": tuple(dict.fromkeys(old.pmids + entry.pmids))})
    return tuple(merged.values())
