"""What the graph holds: node kinds, edge kinds and provenance, as pydantic models.

A node is one biomedical entity or record (a drug, a gene, a trial, a
prediction) with a CURIE ``id``. An edge is one statement between two nodes,
and it always says where it came from: every source that asserted it, with
that source's version and the PMIDs behind it.

Kinds are Neo4j labels (CamelCase nouns); edge types are Neo4j relationship
types (UPPER_SNAKE verbs). Both are closed vocabularies, checked here, so a
store may safely quote them into a query.

The models live in three modules, and every public name is re-exported here
(import them from ``graph.model``):

* :mod:`graph.model.kinds` — the vocabularies: :class:`NodeKind`, :class:`EdgeType`,
  and which of them carry mechanisms or link evidence;
* :mod:`graph.model.elements` — the graph's elements: :class:`Provenance`, a
  node class per kind (:class:`Drug`, :class:`Gene` … :class:`Prediction`),
  :func:`node_from_record` and :class:`Edge`;
* :mod:`graph.model.records` — what moves in and out of a store:
  :class:`SourceInfo`, :class:`SourceBatch`, :class:`Rejection`,
  :class:`LoadResult`, :class:`Counts`, :class:`Neighbour`, :class:`Evidence`.

They import one way (kinds ← elements ← records), and nothing else of
``graph/`` but :mod:`graph.ids` and :mod:`graph.errors`.

>>> Drug(id="DRUGBANK:DB06681", name="Belatacept").kind
'Drug'
>>> ClinicalTrial(id="clinicaltrials:NCT0482797", name="x")
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for ClinicalTrial
...
"""

from graph.model.elements import (
    NODE_CLASSES,
    Anatomy,
    AnyNode,
    BiologicalProcess,
    Cell,
    CellularComponent,
    ChemicalSubstance,
    ClinicalTrial,
    Disease,
    Drug,
    Edge,
    Exposure,
    Gene,
    GeneFamily,
    MacromolecularComplex,
    MolecularFunction,
    Node,
    OrganismTaxon,
    Pathway,
    PharmacologicClass,
    Phenotype,
    Prediction,
    Provenance,
    Publication,
    node_from_record,
)
from graph.model.kinds import (
    EVIDENCE_EDGE_TYPES,
    MECHANISM_EDGE_TYPES,
    MECHANISM_KINDS,
    EdgeType,
    NodeKind,
)
from graph.model.records import (
    Counts,
    Evidence,
    LoadResult,
    Neighbour,
    Rejection,
    SourceBatch,
    SourceInfo,
)

__all__ = [
    "EVIDENCE_EDGE_TYPES",
    "MECHANISM_EDGE_TYPES",
    "MECHANISM_KINDS",
    "NODE_CLASSES",
    "Anatomy",
    "AnyNode",
    "BiologicalProcess",
    "Cell",
    "CellularComponent",
    "ChemicalSubstance",
    "ClinicalTrial",
    "Counts",
    "Disease",
    "Drug",
    "Edge",
    "EdgeType",
    "Evidence",
    "Exposure",
    "Gene",
    "GeneFamily",
    "LoadResult",
    "MacromolecularComplex",
    "MolecularFunction",
    "Neighbour",
    "Node",
    "NodeKind",
    "OrganismTaxon",
    "Pathway",
    "PharmacologicClass",
    "Phenotype",
    "Prediction",
    "Provenance",
    "Publication",
    "Rejection",
    "SourceBatch",
    "SourceInfo",
    "node_from_record",
]
