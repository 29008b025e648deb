"""Read DrugMechDB's curated drug → disease mechanism paths.

Each DrugMechDB file is one curated path in networkx node-link form (YAML):
a ``graph`` header (``_id``, ``drug``, ``drug_mesh``, ``drugbank``, ``disease``,
``disease_mesh``), ``nodes`` (``id``, ``label``, ``name``, optional ``alt_ids``
and ``alt_names``), ``links`` (``source``, ``target``, ``key`` = the Biolink
predicate text) and ``references`` (URLs). :func:`read_drugmechdb` reads a
folder of them (or single files) into **one** source batch, the dataset as a
whole: the same statement curated in several paths is one edge, the folder
loads in one transaction, and reloading an unchanged folder is a no-op (its
version is a hash of every file). :func:`curated_paths` gives each path as a
:class:`CuratedPath` for evaluation.

Identity. A path's drug is keyed by its header's DrugBank id
(``DRUGBANK:DB01281``; the MeSH id stays as an xref), so that every path of a
drug meets at one node and meets the DrugBank-keyed drugs of other sources. A
MeSH id that a header gives as some drug's ``drug_mesh`` names that drug in
every file (a metabolite that is itself a drug becomes the Drug). Other ids
are normalised (:func:`~graph.drugmechdb_vocabulary.raw_curie`) with the raw
form kept as an xref. One id has one kind across the dataset: the header's
disease is a Disease, the header's drug a Drug, otherwise the kind most files
give it.

Known errors go to the ledger rather than into the graph wrongly: disease
nodes labelled Drug (loaded as the Disease their header says they are), other
ids labelled inconsistently across files, MeSH ids reused for different drugs
(never used as a drug xref), a header without a DrugBank id or with a
malformed one, paths with several Drug or Disease nodes, unknown labels and
predicates, malformed ids.

Provenance is at dataset level (``DrugMechDB`` and the version). With
``keep_path_ids`` (the default) each edge also says which paths state it (the
property ``paths``) and carries the PubMed ids of those paths' references;
evaluation turns this off so that no edge reveals its curated path.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from graph import ids
from graph.drugmechdb_vocabulary import NODE_LABELS, PREDICATES, predicate_type, raw_curie
from graph.errors import InvalidId, ParseError
from graph.explain.polarity import reading
from graph.model import (
    Drug,
    Edge,
    EdgeType,
    Node,
    Provenance,
    Rejection,
    SourceBatch,
    SourceInfo,
)

# PyYAML with libyaml's loader where PyYAML was built with it (its wheels are).
try:
    _YAML_LOADER: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _YAML_LOADER = yaml.SafeLoader

#: Longest integer or float a path file may write (DrugMechDB's files write none).
_MAX_NUMBER_LENGTH = 100


class _PathLoader(_YAML_LOADER):  # type: ignore[misc]
    """The safe YAML loader, refusing what no curated path file uses and a hostile one might.

    * Aliases (``*name``): nested, a few lines of them stand for billions of
      values (a "billion laughs"), which any later use would expand.
    * Numbers over :data:`_MAX_NUMBER_LENGTH` characters: a sexagesimal integer
      (``1:2:3:…``) takes time quadratic in its length to convert.

    A value PyYAML's constructors cannot build (a date such as ``2001-13-45``,
    ``!!bool maybe``, a float out of range) is reported as a YAML error at its
    line, as other errors are, instead of the constructor's own exception.
    """

    def construct_document(self, node: yaml.Node) -> Any:
        _refuse_aliases(node)
        return super().construct_document(node)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError, LookupError, AttributeError, TypeError) as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read the value: {error}", node.start_mark) from error

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        _refuse_long_number(node)
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:
        _refuse_long_number(node)
        return super().construct_yaml_float(node)


_PathLoader.add_constructor("tag:yaml.org,2002:int", _PathLoader.construct_yaml_int)
_PathLoader.add_constructor("tag:yaml.org,2002:float", _PathLoader.construct_yaml_float)


def _refuse_aliases(root: yaml.Node) -> None:
    """Raise a YAML error at the first node met twice (an alias) in the document."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise yaml.constructor.ConstructorError(
                None, None, "found an alias (*name): path files write every value out",
                node.start_mark)
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)


def _refuse_long_number(node: yaml.ScalarNode) -> None:
    """Raise a YAML error for a number too long to convert in good time."""
    if len(node.value) > _MAX_NUMBER_LENGTH:
        raise yaml.constructor.ConstructorError(
            None, None, f"a number of {len(node.value):,} characters", node.start_mark)

DATASET = "DrugMechDB"
_PUBMED = re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d{1,9})")
_DRUG_KIND = Drug.model_fields["kind"].default
_DRUGBANK_DRUG = re.compile(r"DRUGBANK:DB\d{5}")  # not DBMET…: DrugBank's metabolites
_DISEASE_KIND = "Disease"
_CHEMICAL_KIND = "ChemicalSubstance"


@dataclass(frozen=True, slots=True)
class PathNode:
    """One node of a curated path: its txkg id and kind, and how the file wrote it."""

    id: str
    kind: str
    name: str
    raw_id: str
    label: str


@dataclass(frozen=True, slots=True)
class PathEdge:
    """One statement of a curated path, ``source -[predicate]-> target`` (txkg ids)."""

    source: str
    target: str
    type: EdgeType
    predicate: str


@dataclass(frozen=True, slots=True)
class CuratedPath:
    """One curated mechanism: a drug, a disease and the statements between them.

    ``nodes`` keep the file's order (DrugMechDB writes them drug first, disease
    last); ids are txkg ids, as in the loaded graph.
    """

    path_id: str
    file: str
    drug_id: str
    disease_id: str
    nodes: tuple[PathNode, ...]
    edges: tuple[PathEdge, ...]
    pmids: tuple[str, ...] = ()

    @property
    def targets(self) -> tuple[str, ...]:
        """The drug's successors: the nodes the drug acts on directly."""
        return tuple(dict.fromkeys(e.target for e in self.edges if e.source == self.drug_id))

    @property
    def intermediates(self) -> tuple[str, ...]:
        """Every node but the drug and the disease."""
        return tuple(n.id for n in self.nodes if n.id not in (self.drug_id, self.disease_id))

    def kind_of(self, node_id: str) -> str:
        return next(n.kind for n in self.nodes if n.id == node_id)


@dataclass(frozen=True)
class DrugMechDBLoad:
    """A read folder: the batch to load, every curated path, and how many files."""

    batch: SourceBatch
    paths: tuple[CuratedPath, ...]
    files: int = 0
    rejections_by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def sources(self) -> tuple[SourceBatch]:
        """The one source to load (see :class:`graph.stream.Loaded`)."""
        return (self.batch,)


@dataclass
class _File:
    path: Path
    data: dict[str, Any]

    @cached_property
    def header(self) -> dict[str, Any]:
        header = self.data.get("graph")
        return header if isinstance(header, dict) else {}

    @cached_property
    def path_id(self) -> str:
        return str(self.header.get("_id") or self.path.stem)


def path_files(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """The path files named: files as given, folders' ``*.yaml`` (a ``paths/`` subfolder first).

    >>> path_files([])
    []
    """
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    found: list[Path] = []
    for item in map(Path, items):
        if item.is_dir():
            folder = item / "paths" if (item / "paths").is_dir() else item
            found.extend(sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")))
        elif item.is_file():
            found.append(item)
        else:
            raise ParseError("no such file or folder", path=str(item))
    return found


def _read_file(path: Path, digest: Any) -> _File:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ParseError(f"cannot read: {error}", path=str(path)) from error
    digest.update(path.name.encode() + b"\0" + raw)
    try:
        data = yaml.load(raw, Loader=_PathLoader)
    except UnicodeDecodeError as error:
        raise ParseError(f"not UTF-8: {error.reason}", path=str(path)) from error
    except yaml.reader.ReaderError as error:  # a byte that is not (allowed) text
        raise ParseError(f"not YAML: byte {error.position}: {error.reason}", path=str(path),
                         line=raw.count(b"\n", 0, error.position) + 1) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = " ".join(str(getattr(error, "problem", None) or error).split())
        if len(problem) > 200:  # a tag or anchor of 10^5 characters is quoted in it
            problem = problem[:200] + "…"
        raise ParseError(f"not YAML: {problem}", path=str(path),
                         line=mark.line + 1 if mark is not None else None) from error
    if not isinstance(data, dict):
        raise ParseError("not a DrugMechDB path: expected a mapping", path=str(path))
    for key in ("nodes", "links"):
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise ParseError(f"not a DrugMechDB path: {key!r} must be a list of mappings",
                             path=str(path))
    for node in data["nodes"]:
        if not all(isinstance(node.get(k), str) for k in ("id", "label")):
            raise ParseError(f"a node needs an id and a label: {node!r:.200}", path=str(path))
        if not all(isinstance(node.get(k) or [], list) for k in ("alt_ids", "alt_names")):
            raise ParseError(f"a node's alt_ids and alt_names must be lists: {node!r:.200}",
                             path=str(path))
    for link in data["links"]:
        if not all(isinstance(link.get(k), str) for k in ("source", "target", "key")):
            raise ParseError(f"a link needs source, target and key: {link!r:.200}",
                             path=str(path))
    if not isinstance(data.get("references") or [], list):
        raise ParseError("not a DrugMechDB path: 'references' must be a list", path=str(path))
    return _File(path, data)


class _Ledger:
    def __init__(self, source: str) -> None:
        self.source = source
        self.entries: list[Rejection] = []

    def add(self, file: _File | None, reason: str, record: str | None = None) -> None:
        self.entries.append(Rejection(source=self.source,
                                      path=str(file.path) if file else None,
                                      record=record, reason=reason))


def _header_curie(file: _File, key: str, ledger: _Ledger) -> str | None:
    raw = file.header.get(key)
    return _curie(file, str(raw), key, ledger) if raw else None


class _Identity:
    """Which txkg id each DrugMechDB id stands for, from every file's header.

    A header's ``drug_mesh`` may list several MeSH ids (a combination product,
    ``MESH:C040934,MESH:D017291``): the first listed that is a node of the path
    is its drug there, and none of them names the drug elsewhere.
    """

    def __init__(self, files: Sequence[_File], ledger: _Ledger) -> None:
        self.drugbank: dict[str, str | None] = {}  # path id -> DRUGBANK:… of its drug
        self.drug_mesh: dict[str, tuple[str, ...]] = {}
        self.disease: dict[str, str | None] = {}
        by_mesh: dict[str, dict[str, str]] = defaultdict(dict)
        for file in files:
            header = file.header
            if "drugbank" not in header:
                ledger.add(file, "no drugbank id in the header: the drug is keyed by its "
                                 "MeSH id", record=file.path_id)
            drugbank = _header_curie(file, "drugbank", ledger)
            if drugbank is not None and not drugbank.startswith("DRUGBANK:"):
                ledger.add(file, f"drugbank {drugbank} is not a DrugBank id", record=drugbank)
                drugbank = None
            meshes = tuple(m for m in (_curie(file, raw, "drug_mesh", ledger) for raw in
                                       str(header.get("drug_mesh") or "").split(",") if raw)
                           if m)
            self.drugbank[file.path_id] = drugbank
            self.drug_mesh[file.path_id] = meshes
            self.disease[file.path_id] = _header_curie(file, "disease_mesh", ledger)
            if len(meshes) == 1 and drugbank:
                by_mesh[meshes[0]].setdefault(drugbank, str(header.get("drug") or ""))
        #: MeSH id -> the one DrugBank drug it names; reused ids are left out.
        self.mesh_drug: dict[str, str] = {}
        self.reused_mesh: set[str] = set()
        for mesh, drugs in sorted(by_mesh.items()):
            if len(drugs) == 1:
                self.mesh_drug[mesh] = next(iter(drugs))
            else:
                self.reused_mesh.add(mesh)
                named = ", ".join(f"{name} ({db})" for db, name in sorted(drugs.items()))
                ledger.add(None, f"MeSH id reused for different drugs: {mesh} names "
                                 f"{named}; it is used as the xref of none", record=mesh)
        self.diseases = {d for d in self.disease.values() if d}
        self.drugs = {d for d in self.drugbank.values() if d}

    def drug_node(self, file: _File, curies: Iterable[str]) -> str | None:
        """The id, as the file writes it, of the path's drug node (None if absent)."""
        present = set(curies)
        drugbank = self.drugbank[file.path_id]
        for candidate in (*self.drug_mesh[file.path_id], drugbank):
            if candidate and candidate in present and candidate not in self.diseases:
                return candidate
        return None

    def node_id(self, file: _File, curie: str, label: str, drug_node: str | None) -> str:
        """The txkg id of a node of ``file`` whose own id is ``curie``."""
        drugbank = self.drugbank[file.path_id]
        if drugbank and curie == drug_node:
            return drugbank
        if label in ("Drug", "ChemicalSubstance") and curie in self.mesh_drug:
            return self.mesh_drug[curie]
        return curie


def _curie(file: _File, raw: str, key: str, ledger: _Ledger) -> str | None:
    try:
        return raw_curie(raw)
    except InvalidId as error:
        ledger.add(file, f"malformed header {key}: {raw!r} ({error})", record=raw)
        return None


@dataclass
class _Occurrence:
    file: _File
    raw_id: str
    label: str
    name: str
    alt_ids: list[str]
    alt_names: list[str]


def read_drugmechdb(paths: str | Path | Iterable[str | Path], *, name: str = DATASET,
                    version: str | None = None, keep_path_ids: bool = True) -> DrugMechDBLoad:
    """Read DrugMechDB path files (folders or files) into one source batch.

    ``keep_path_ids=False`` is evaluation mode: edges carry dataset-level
    provenance only (no path ids, no PubMed ids), so none reveals its path.
    Raises :class:`~graph.errors.ParseError` when a file is not YAML or not a
    path; every refused or corrected record becomes a rejection.
    """
    files_found = path_files(paths)
    if not files_found:
        raise ParseError("no DrugMechDB path files (*.yaml) found",
                         path=str(paths) if isinstance(paths, str | Path) else None)
    digest = hashlib.sha256()
    files = [_read_file(p, digest) for p in files_found]
    version = version or digest.hexdigest()
    ledger = _Ledger(name)
    identity = _Identity(files, ledger)

    occurrences: dict[str, list[_Occurrence]] = defaultdict(list)
    file_nodes: list[list[tuple[str, _Occurrence]]] = []
    for file in files:
        mapped: list[tuple[str, _Occurrence]] = []
        curies: dict[str, str] = {}
        for node in file.data["nodes"]:
            try:
                curies[node["id"]] = raw_curie(node["id"])
            except InvalidId as error:
                ledger.add(file, f"malformed node id: {error}", record=node["id"])
        drug_node = identity.drug_node(file, curies.values())
        for node in file.data["nodes"]:
            raw, label = node["id"], node["label"]
            if raw not in curies:
                continue
            curie = curies[raw]
            if label not in NODE_LABELS:
                ledger.add(file, f"unknown node label {label!r}", record=raw)
                continue
            occurrence = _Occurrence(file, raw, label, str(node.get("name") or raw).strip(),
                                     [str(a) for a in node.get("alt_ids") or ()],
                                     [str(a) for a in node.get("alt_names") or ()])
            final = identity.node_id(file, curie, label, drug_node)
            occurrences[final].append(occurrence)
            mapped.append((final, occurrence))
        file_nodes.append(mapped)

    kinds = _choose_kinds(occurrences, identity, ledger)
    nodes = [_node(node_id, kinds[node_id], occ, identity, ledger)
             for node_id, occ in occurrences.items()]

    curated: list[CuratedPath] = []
    statements: dict[tuple[str, str, str], dict[str, Any]] = {}
    for file, mapped in zip(files, file_nodes, strict=True):
        path = _curated_path(file, mapped, kinds, identity, ledger)
        if path is None:
            continue
        curated.append(path)
        for edge in path.edges:
            key = (edge.source, edge.type.value, edge.target)
            seen = statements.setdefault(key, {"predicate": edge.predicate, "paths": [],
                                               "pmids": []})
            if reading(edge.type.value, seen["predicate"]) != reading(edge.type.value,
                                                                        edge.predicate):
                ledger.add(file, f"conflicting predicates: {edge.source} -[{edge.predicate}]-> "
                                 f"{edge.target} is also stated as {seen['predicate']!r}, "
                                 "whose sign reads differently; kept that one",
                           record=edge.predicate)
            seen["paths"].append(path.path_id)
            seen["pmids"].extend(path.pmids)

    provenance_cache: dict[tuple[str, ...], Provenance] = {}

    def provenance(pmids: tuple[str, ...]) -> Provenance:
        if pmids not in provenance_cache:
            provenance_cache[pmids] = Provenance(source=DATASET, version=version, pmids=pmids)
        return provenance_cache[pmids]

    edges = []
    for (source, edge_type, target), seen in statements.items():
        properties: dict[str, str | int | float | bool | None] = {"predicate": seen["predicate"]}
        pmids: tuple[str, ...] = ()
        if keep_path_ids:
            properties["paths"] = ";".join(dict.fromkeys(seen["paths"]))
            pmids = tuple(dict.fromkeys(seen["pmids"]))
        # Both ends are ids of nodes built and validated above.
        edges.append(Edge.model_construct(source=source, target=target,
                                          type=EdgeType(edge_type),
                                          provenance=(provenance(pmids),),
                                          properties=properties))
    where = files_found[0].parent if len(files_found) > 1 else files_found[0]
    info = SourceInfo(name=name, kind="drugmechdb", version=version, path=str(where))
    entries = tuple(r.model_copy(update={"source": name}) for r in ledger.entries)
    by_reason = Counter(_reason_kind(r.reason) for r in entries)
    return DrugMechDBLoad(batch=SourceBatch(source=info, nodes=tuple(nodes), edges=tuple(edges),
                                            rejections=entries),
                          paths=tuple(curated), files=len(files),
                          rejections_by_reason=dict(by_reason))


def curated_paths(paths: str | Path | Iterable[str | Path]) -> tuple[CuratedPath, ...]:
    """Every curated path in these files or folders, ids as the loaded graph has them."""
    return read_drugmechdb(paths, keep_path_ids=False).paths


def _reason_kind(reason: str) -> str:
    """A short class of a ledger reason, for summaries."""
    return reason.split(":")[0][:60]


def _kind_of(label: str) -> str:
    return str(NODE_LABELS[label].model_fields["kind"].default)


def _choose_kinds(occurrences: dict[str, list[_Occurrence]], identity: _Identity,
                  ledger: _Ledger) -> dict[str, str]:
    """One kind per id; every occurrence labelled otherwise is noted in the ledger."""
    kinds: dict[str, str] = {}
    for node_id, occ in occurrences.items():
        votes = Counter(_kind_of(o.label) for o in occ)
        if node_id in identity.diseases:
            kind, why = _DISEASE_KIND, "its path's header names it the disease"
        elif node_id in identity.drugs:
            kind, why = _DRUG_KIND, "a path's header names it the drug"
        elif _DRUGBANK_DRUG.fullmatch(node_id) and set(votes) <= {_DRUG_KIND, _CHEMICAL_KIND}:
            kind, why = _DRUG_KIND, "DrugBank catalogues it as a drug"
        else:
            kind = min(votes, key=lambda k: (-votes[k], k))
            why = f"labelled so in {votes[kind]} of {len(occ)} occurrences"
        kinds[node_id] = kind
        for o in occ:
            label_kind = _kind_of(o.label)
            if label_kind == kind or (kind == _DRUG_KIND and label_kind == _CHEMICAL_KIND):
                continue
            what = ("disease node labelled " + o.label if node_id in identity.diseases
                    else "inconsistent label")
            ledger.add(o.file, f"{what}: {o.raw_id} labelled {o.label} ({o.name!r}) loaded "
                               f"as {kind} ({why})", record=o.raw_id)
    return kinds


def _node(node_id: str, kind: str, occ: list[_Occurrence], identity: _Identity,
          ledger: _Ledger) -> Node:
    names = Counter(o.name for o in occ)
    name = max(names, key=lambda n: names[n])  # most used; first seen on ties
    synonyms = [n for n in names if n != name]
    xrefs: list[str] = []
    for o in occ:
        synonyms.extend(o.alt_names)
        if o.raw_id != node_id:
            curie = raw_curie(o.raw_id)  # parsed once already: cannot fail
            if o.raw_id != curie:
                xrefs.append(o.raw_id)  # the spelling DrugMechDB uses
            if curie != node_id and curie not in identity.reused_mesh:
                xrefs.append(curie)
        for alt in o.alt_ids:
            try:
                xrefs.append(raw_curie(alt))
            except InvalidId:
                ledger.add(o.file, f"malformed alt_id of {o.raw_id}", record=alt)
    cls = NODE_LABELS_BY_KIND[kind]
    return cls(id=node_id, name=name,
               synonyms=tuple(s for s in dict.fromkeys(synonyms) if s != name),
               xrefs=tuple(x for x in dict.fromkeys(xrefs) if x != node_id))


NODE_LABELS_BY_KIND: dict[str, type[Node]] = {
    str(cls.model_fields["kind"].default): cls for cls in NODE_LABELS.values()}


def _curated_path(file: _File, mapped: list[tuple[str, _Occurrence]], kinds: dict[str, str],
                  identity: _Identity, ledger: _Ledger) -> CuratedPath | None:
    raw_to_final = {o.raw_id: final for final, o in mapped}
    nodes: dict[str, PathNode] = {}
    for final, o in mapped:
        nodes.setdefault(final, PathNode(final, kinds[final], o.name, o.raw_id, o.label))
    edges: list[PathEdge] = []
    for link in file.data["links"]:
        predicate = " ".join(link["key"].split())
        edge_type = predicate_type(predicate)
        source, target = raw_to_final.get(link["source"]), raw_to_final.get(link["target"])
        record = f"{link['source']} -[{predicate}]-> {link['target']}"
        if edge_type is None:
            ledger.add(file, f"unknown predicate {predicate!r}", record=record)
        elif source is None or target is None:
            ledger.add(file, "edge endpoint is not a loaded node of this path", record=record)
        elif source == target:
            ledger.add(file, f"both ends are {source} once ids are resolved: edge left out",
                       record=record)
        else:
            edges.append(PathEdge(source, target, edge_type, predicate))
    path_id = file.path_id
    drug = identity.drugbank[path_id]
    if drug not in nodes:
        drug = next((n.id for n in nodes.values() if n.kind == _DRUG_KIND), None)
    disease = identity.disease[path_id]
    if drug is None or disease not in nodes:
        ledger.add(file, "the path's drug or disease is not among its nodes: path not "
                         "offered for evaluation", record=path_id)
        return None
    counts = Counter(n.kind for n in nodes.values())
    for kind in (_DRUG_KIND, _DISEASE_KIND):
        if counts[kind] > 1:
            names = ", ".join(n.name for n in nodes.values() if n.kind == kind)
            ledger.add(file, f"several {kind} nodes in one path: {counts[kind]} ({names}), "
                             "loaded as curated", record=path_id)
    references = file.data.get("references") or ()
    pmids = tuple(dict.fromkeys(
        ids.pmid(m) for ref in references if isinstance(ref, str) for m in _PUBMED.findall(ref)))
    return CuratedPath(path_id=path_id, file=str(file.path), drug_id=drug,
                       disease_id=str(disease), nodes=tuple(nodes.values()),
                       edges=tuple(edges), pmids=pmids)


__all__ = [
    "PREDICATES",
    "CuratedPath",
    "DrugMechDBLoad",
    "PathEdge",
    "PathNode",
    "curated_paths",
    "path_files",
    "read_drugmechdb",
]
