"""A curated path as evaluation sees it: a drug, a disease and the statements between."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from graph import ids
from graph.drugmechdb_vocabulary import predicate_type
from graph.model import EdgeType
from loaders.drugmechdb.files import PathFile
from loaders.drugmechdb.identity import (
    DISEASE_KIND,
    DRUG_KIND,
    HeaderIdentity,
    Ledger,
    Occurrence,
)

_PUBMED = re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d{1,9})")


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



def curated_path(file: PathFile, mapped: list[tuple[str, Occurrence]], kinds: dict[str, str],
                 identity: HeaderIdentity, ledger: Ledger) -> CuratedPath | None:
    """The file's path with ids resolved, or None (and a ledger entry) without its ends."""
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
        drug = next((n.id for n in nodes.values() if n.kind == DRUG_KIND), None)
    disease = identity.disease[path_id]
    if drug is None or disease not in nodes:
        ledger.add(file, "the path's drug or disease is not among its nodes: path not "
                         "offered for evaluation", record=path_id)
        return None
    counts = Counter(n.kind for n in nodes.values())
    for kind in (DRUG_KIND, DISEASE_KIND):
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

