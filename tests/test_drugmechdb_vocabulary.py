"""One DrugMechDB vocabulary: the loader and the evaluation's reader map it alike.

``loaders/drugmechdb.py`` (what the store loads) and
``graph/explain/evaluation/curated.py`` (the evaluation's small reader) both take
labels and predicates from :mod:`graph.drugmechdb_vocabulary`. These tests read
one path file that uses every label and every predicate with both readers and
compare what each made of it, so a reader that grows a table of its own again
is caught.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml
from conftest import shared_data

from graph.drugmechdb_vocabulary import NODE_KINDS, NODE_LABELS, PREDICATES
from graph.explain.evaluation.curated import read_curated_paths
from loaders.drugmechdb import curated_paths

#: A valid DrugMechDB id for a node of each label (the drug and disease come first).
_IDS = {
    "Drug": "MESH:C000001", "Disease": "MESH:D000001", "Protein": "UniProt:P00001",
    "BiologicalProcess": "GO:0000001", "ChemicalSubstance": "MESH:D000002",
    "PhenotypicFeature": "HP:0000001", "OrganismTaxon": "taxonomy:1",
    "GeneFamily": "InterPro:IPR000001", "GrossAnatomicalStructure": "UBERON:0000001",
    "MolecularActivity": "GO:0000002", "CellularComponent": "GO:0000003",
    "Pathway": "reactome:R-HSA-1", "Cell": "CL:0000001",
    "MacromolecularComplex": "PR:000000001",
}


def _every_label_and_predicate() -> dict[str, Any]:
    nodes = [{"id": _IDS[label], "label": label, "name": f"a {label}"} for label in _IDS]
    pairs = [(a["id"], b["id"]) for a in nodes for b in nodes if a is not b]
    links = [{"source": s, "target": t, "key": predicate}
             for (s, t), predicate in zip(pairs, sorted(PREDICATES), strict=False)]
    return {"directed": True, "multigraph": True,
            "graph": {"_id": "DB00001_MESH_D000001_1", "drug": "a Drug",
                      "drug_mesh": _IDS["Drug"], "drugbank": "DB:DB00001",
                      "disease": "a Disease", "disease_mesh": _IDS["Disease"]},
            "nodes": nodes, "links": links}


def test_the_vocabulary_covers_every_label_the_ids_here_use() -> None:
    assert set(_IDS) == set(NODE_LABELS) == set(NODE_KINDS)


def test_loader_and_evaluation_reader_map_labels_and_predicates_alike(tmp_path: Path) -> None:
    file = tmp_path / "DB00001_MESH_D000001_1.yaml"
    file.write_text(yaml.safe_dump(_every_label_and_predicate()), encoding="utf-8")
    [loaded] = curated_paths(file)
    [read] = read_curated_paths(file)

    loader_kinds = {n.label: n.kind for n in loaded.nodes}
    reader_kinds = dict(zip(_IDS, (kind for _, kind, _ in read.nodes), strict=True))
    assert loader_kinds == reader_kinds
    assert loader_kinds["MacromolecularComplex"] == "MacromolecularComplex"

    loader_types = {e.predicate: e.type.value for e in loaded.edges}
    reader_types = {predicate: edge_type for _, edge_type, _, predicate in read.edges}
    assert len(loader_types) == len(PREDICATES) == 67
    assert loader_types == reader_types
    assert loader_types["caused by"] == "AFFECTED_BY"


def test_every_label_and_predicate_of_the_development_paths_maps() -> None:
    index = list(csv.DictReader(shared_data("drugmechdb", "index.csv").open()))
    labels: set[str] = set()
    predicates: set[str] = set()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for row in index:
        data = yaml.load(shared_data("drugmechdb", row["file"]).read_text(encoding="utf-8"),
                         Loader=loader)
        labels.update(str(n["label"]) for n in data["nodes"])
        predicates.update(" ".join(str(link["key"]).split()).lower() for link in data["links"])
    assert labels <= set(NODE_KINDS), labels - set(NODE_KINDS)
    assert predicates <= set(PREDICATES), predicates - set(PREDICATES)
    assert len(labels) == 14 and len(predicates) == 61  # the development half uses these
