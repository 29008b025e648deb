"""DrugMechDB's path files read into one source batch, the dataset as a whole."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.drugmechdb_vocabulary import NODE_LABELS, raw_curie
from graph.errors import InvalidId, ParseError
from graph.explain.polarity import reading
from graph.model import Edge, EdgeType, Provenance, SourceBatch, SourceInfo
from loaders.drugmechdb.files import PathFile, path_files, read_path_file
from loaders.drugmechdb.identity import (
    HeaderIdentity,
    Ledger,
    Occurrence,
    build_node,
    choose_kinds,
)
from loaders.drugmechdb.paths import CuratedPath, curated_path

DATASET = "DrugMechDB"

#: The nodes of one file, each as the txkg id it resolves to and how the file wrote it.
_Mapped = list[tuple[str, Occurrence]]


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
class _Statement:
    """One statement as the dataset says it: its predicate, and the paths (and PMIDs) saying it."""

    predicate: str
    paths: list[str] = field(default_factory=list)
    pmids: list[str] = field(default_factory=list)


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
    files = [read_path_file(p, digest) for p in files_found]
    version = version or digest.hexdigest()
    ledger = Ledger(name)
    identity = HeaderIdentity(files, ledger)
    file_nodes = [_map_nodes(file, identity, ledger) for file in files]
    occurrences: dict[str, list[Occurrence]] = defaultdict(list)
    for mapped in file_nodes:
        for final, occurrence in mapped:
            occurrences[final].append(occurrence)
    kinds = choose_kinds(occurrences, identity, ledger)
    nodes = [build_node(node_id, kinds[node_id], occ, identity, ledger)
             for node_id, occ in occurrences.items()]
    per_file = [curated_path(file, mapped, kinds, identity, ledger)
                for file, mapped in zip(files, file_nodes, strict=True)]
    curated = [path for path in per_file if path is not None]
    statements = _statements(zip(files, per_file, strict=True), ledger)
    edges = _edges(statements, version, keep_path_ids)
    where = files_found[0].parent if len(files_found) > 1 else files_found[0]
    info = SourceInfo(name=name, kind="drugmechdb", version=version, path=str(where))
    entries = tuple(r.model_copy(update={"source": name}) for r in ledger.entries)
    return DrugMechDBLoad(batch=SourceBatch(source=info, nodes=tuple(nodes), edges=tuple(edges),
                                            rejections=entries),
                          paths=tuple(curated), files=len(files),
                          rejections_by_reason=dict(Counter(_reason_kind(r.reason)
                                                            for r in entries)))


def _map_nodes(file: PathFile, identity: HeaderIdentity, ledger: Ledger) -> _Mapped:
    """The file's nodes with the txkg id each resolves to; malformed or unknown ones noted."""
    curies: dict[str, str] = {}
    for node in file.data["nodes"]:
        try:
            curies[node["id"]] = raw_curie(node["id"])
        except InvalidId as error:
            ledger.add(file, f"malformed node id: {error}", record=node["id"])
    drug_node = identity.drug_node(file, curies.values())
    mapped: _Mapped = []
    for node in file.data["nodes"]:
        raw, label = node["id"], node["label"]
        if raw not in curies:
            continue
        if label not in NODE_LABELS:
            ledger.add(file, f"unknown node label {label!r}", record=raw)
            continue
        occurrence = Occurrence(file, raw, label, str(node.get("name") or raw).strip(),
                                [str(a) for a in node.get("alt_ids") or ()],
                                [str(a) for a in node.get("alt_names") or ()])
        mapped.append((identity.node_id(file, curies[raw], label, drug_node), occurrence))
    return mapped


def _statements(paths: Iterable[tuple[PathFile, CuratedPath | None]],
                ledger: Ledger) -> dict[tuple[str, str, str], _Statement]:
    """One statement per (source, type, target) across the dataset; sign conflicts noted."""
    statements: dict[tuple[str, str, str], _Statement] = {}
    for file, path in paths:
        if path is None:
            continue
        for edge in path.edges:
            key = (edge.source, edge.type.value, edge.target)
            seen = statements.setdefault(key, _Statement(edge.predicate))
            if reading(edge.type.value, seen.predicate) != reading(edge.type.value,
                                                                     edge.predicate):
                ledger.add(file, f"conflicting predicates: {edge.source} -[{edge.predicate}]-> "
                                 f"{edge.target} is also stated as {seen.predicate!r}, "
                                 "whose sign reads differently; kept that one",
                           record=edge.predicate)
            seen.paths.append(path.path_id)
            seen.pmids.extend(path.pmids)
    return statements


def _edges(statements: dict[tuple[str, str, str], _Statement], version: str,
           keep_path_ids: bool) -> list[Edge]:
    """The dataset's edges, with the paths and PubMed ids saying each unless evaluating."""
    provenances: dict[tuple[str, ...], Provenance] = {}
    edges = []
    for (source, edge_type, target), seen in statements.items():
        properties: dict[str, Any] = {"predicate": seen.predicate}
        pmids: tuple[str, ...] = ()
        if keep_path_ids:
            properties["paths"] = ";".join(dict.fromkeys(seen.paths))
            pmids = tuple(dict.fromkeys(seen.pmids))
        if pmids not in provenances:
            provenances[pmids] = Provenance(source=DATASET, version=version, pmids=pmids)
        # Both ends are ids of nodes built and validated above.
        edges.append(Edge.model_construct(source=source, target=target,
                                          type=EdgeType(edge_type),
                                          provenance=(provenances[pmids],),
                                          properties=properties))
    return edges


def curated_paths(paths: str | Path | Iterable[str | Path]) -> tuple[CuratedPath, ...]:
    """Every curated path in these files or folders, ids as the loaded graph has them."""
    return read_drugmechdb(paths, keep_path_ids=False).paths


def _reason_kind(reason: str) -> str:
    """A short class of a ledger reason, for summaries."""
    return reason.split(":")[0][:60]
