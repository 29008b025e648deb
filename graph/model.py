"""What the graph holds: node kinds, edge kinds and provenance, as pydantic models.

A node is one biomedical entity or record (a drug, a gene, a trial, a
prediction) with a CURIE ``id``. An edge is one statement between two nodes,
and it always says where it came from: every source that asserted it, with
that source's version and the PMIDs behind it.

Kinds are Neo4j labels (CamelCase nouns); edge types are Neo4j relationship
types (UPPER_SNAKE verbs). Both are closed vocabularies, checked here, so a
store may safely quote them into a query.

>>> Drug(id="DRUGBANK:DB06681", name="Belatacept").kind
'Drug'
>>> ClinicalTrial(id="clinicaltrials:NCT0482797", name="x")
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for ClinicalTrial
...
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationInfo,
    field_validator,
    model_validator,
)

from graph import ids


class NodeKind(StrEnum):
    """Node labels. Mechanism kinds first, then evidence and prediction records."""

    DRUG = "Drug"
    GENE = "Gene"
    DISEASE = "Disease"
    PATHWAY = "Pathway"
    BIOLOGICAL_PROCESS = "BiologicalProcess"
    MOLECULAR_FUNCTION = "MolecularFunction"
    CELLULAR_COMPONENT = "CellularComponent"
    PHENOTYPE = "Phenotype"
    ANATOMY = "Anatomy"
    EXPOSURE = "Exposure"
    CHEMICAL = "ChemicalSubstance"
    CELL = "Cell"
    ORGANISM = "OrganismTaxon"
    GENE_FAMILY = "GeneFamily"
    MACROMOLECULAR_COMPLEX = "MacromolecularComplex"
    PHARMACOLOGIC_CLASS = "PharmacologicClass"
    CLINICAL_TRIAL = "ClinicalTrial"
    PUBLICATION = "Publication"
    PREDICTION = "Prediction"


#: Kinds that carry biology; explanations walk only through these.
MECHANISM_KINDS: frozenset[NodeKind] = frozenset(NodeKind) - {
    NodeKind.CLINICAL_TRIAL,
    NodeKind.PUBLICATION,
    NodeKind.PREDICTION,
}


class EdgeType(StrEnum):
    """Relationship types. Mechanism statements first, then evidence links."""

    TARGETS = "TARGETS"
    CARRIED_BY = "CARRIED_BY"
    METABOLIZED_BY = "METABOLIZED_BY"
    TRANSPORTED_BY = "TRANSPORTED_BY"
    INTERACTS_WITH = "INTERACTS_WITH"
    INHIBITS = "INHIBITS"
    ACTIVATES = "ACTIVATES"
    INCREASES = "INCREASES"
    DECREASES = "DECREASES"
    REGULATES = "REGULATES"
    ASSOCIATED_WITH = "ASSOCIATED_WITH"
    EXPRESSED_IN = "EXPRESSED_IN"
    NOT_EXPRESSED_IN = "NOT_EXPRESSED_IN"
    PARTICIPATES_IN = "PARTICIPATES_IN"
    ENABLES = "ENABLES"
    LOCATED_IN = "LOCATED_IN"
    INDICATED_FOR = "INDICATED_FOR"
    CONTRAINDICATED_FOR = "CONTRAINDICATED_FOR"
    OFF_LABEL_FOR = "OFF_LABEL_FOR"
    TREATS = "TREATS"
    CAUSES = "CAUSES"
    HAS_SIDE_EFFECT = "HAS_SIDE_EFFECT"
    HAS_PHENOTYPE = "HAS_PHENOTYPE"
    LACKS_PHENOTYPE = "LACKS_PHENOTYPE"
    SUBCLASS_OF = "SUBCLASS_OF"
    RESEMBLES = "RESEMBLES"
    LINKED_TO = "LINKED_TO"
    RELATED_TO = "RELATED_TO"
    # Hetionet's metaedges where no type above means the same thing.
    BINDS = "BINDS"
    PALLIATES = "PALLIATES"
    COVARIES = "COVARIES"
    INCLUDES = "INCLUDES"
    # DrugMechDB predicates, each type read in the stored direction (subject -> object);
    # the predicate text itself is kept on the edge as the property ``predicate``.
    PRODUCES = "PRODUCES"
    AFFECTED_BY = "AFFECTED_BY"
    MANIFESTATION_OF = "MANIFESTATION_OF"
    PART_OF = "PART_OF"
    HAS_PART = "HAS_PART"
    LOCATION_OF = "LOCATION_OF"
    IN_TAXON = "IN_TAXON"
    PRECEDES = "PRECEDES"
    # Evidence links: never part of a mechanism path.
    OF_DRUG = "OF_DRUG"
    FOR_DISEASE = "FOR_DISEASE"
    SUPPORTED_BY = "SUPPORTED_BY"
    MENTIONS = "MENTIONS"


EVIDENCE_EDGE_TYPES: frozenset[EdgeType] = frozenset(
    {EdgeType.OF_DRUG, EdgeType.FOR_DISEASE, EdgeType.SUPPORTED_BY, EdgeType.MENTIONS}
)
MECHANISM_EDGE_TYPES: frozenset[EdgeType] = frozenset(EdgeType) - EVIDENCE_EDGE_TYPES


class Provenance(BaseModel):
    """Where a statement came from.

    ``source`` names the dataset (``PrimeKG``) or the file (``examples/…``);
    ``version`` is the dataset's release or the file's content hash;
    ``pmids`` are the publications a curator cited for the statement.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(min_length=1)
    version: str | None = None
    pmids: tuple[str, ...] = ()
    nct_ids: tuple[str, ...] = ()
    line: int | None = None
    note: str | None = None

    @field_validator("pmids", mode="before")
    @classmethod
    def _pmids(cls, value: Any) -> tuple[str, ...]:
        return tuple(dict.fromkeys(ids.pmid(v) for v in value or ()))

    @field_validator("nct_ids", mode="before")
    @classmethod
    def _ncts(cls, value: Any) -> tuple[str, ...]:
        return tuple(dict.fromkeys(ids.nct_id(v) for v in value or ()))


def _check_curie(value: str) -> str:
    ids.parse(value)  # raises InvalidId, a ValueError pydantic reports
    return value


class Node(BaseModel):
    """Fields every node has. Use a concrete kind (``Drug``, ``Gene`` …)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str = Field(min_length=1)
    synonyms: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    description: str | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        return _check_curie(value)

    @field_validator("xrefs", mode="before")
    @classmethod
    def _xrefs(cls, value: Any, info: ValidationInfo) -> Any:
        # One form per cross-reference, whichever loader wrote it (graph.ids.normalize_xref).
        if isinstance(value, list | tuple) and all(isinstance(x, str) for x in value):
            return ids.normalize_xrefs(value, info.data.get("id"))
        return value

    @property
    def label(self) -> str:
        """The node's Neo4j label (its kind)."""
        return str(getattr(self, "kind"))  # noqa: B009 - every concrete kind defines it

    def properties(self) -> dict[str, Any]:
        """Kind-specific fields, without the common ones, for storage."""
        common = {"id", "kind", "name", "synonyms", "xrefs", "description"}
        return {k: v for k, v in self.model_dump(mode="json").items() if k not in common}


class Drug(Node):
    kind: Literal["Drug"] = "Drug"
    approved_indications: tuple[str, ...] = ()
    brand_names: tuple[str, ...] = ()


class Gene(Node):
    kind: Literal["Gene"] = "Gene"
    symbol: str | None = None


class Disease(Node):
    """A disease; ``disease_areas`` are TxGNN's disease-area lists it is on."""

    kind: Literal["Disease"] = "Disease"
    disease_areas: tuple[str, ...] = ()


class Pathway(Node):
    kind: Literal["Pathway"] = "Pathway"


class BiologicalProcess(Node):
    kind: Literal["BiologicalProcess"] = "BiologicalProcess"


class MolecularFunction(Node):
    kind: Literal["MolecularFunction"] = "MolecularFunction"


class CellularComponent(Node):
    kind: Literal["CellularComponent"] = "CellularComponent"


class Phenotype(Node):
    kind: Literal["Phenotype"] = "Phenotype"


class Anatomy(Node):
    kind: Literal["Anatomy"] = "Anatomy"


class Exposure(Node):
    kind: Literal["Exposure"] = "Exposure"


class ChemicalSubstance(Node):
    kind: Literal["ChemicalSubstance"] = "ChemicalSubstance"


class Cell(Node):
    kind: Literal["Cell"] = "Cell"


class OrganismTaxon(Node):
    kind: Literal["OrganismTaxon"] = "OrganismTaxon"


class GeneFamily(Node):
    kind: Literal["GeneFamily"] = "GeneFamily"


class MacromolecularComplex(Node):
    kind: Literal["MacromolecularComplex"] = "MacromolecularComplex"


class PharmacologicClass(Node):
    """A class of drugs (Hetionet's, from NDF-RT via DrugCentral); ``class_type`` as given."""

    kind: Literal["PharmacologicClass"] = "PharmacologicClass"
    class_type: str | None = None


class ClinicalTrial(Node):
    """A registered trial; ``id`` is ``clinicaltrials:NCT`` + 8 digits."""

    kind: Literal["ClinicalTrial"] = "ClinicalTrial"
    phase: str | None = None
    status: str | None = None
    enrollment: int | None = None
    #: The values as a report wrote them ("Phase III", "Active, Not Recruiting", "2,000").
    phase_raw: str | None = None
    status_raw: str | None = None
    enrollment_raw: str | None = None

    @field_validator("id")
    @classmethod
    def _nct(cls, value: str) -> str:
        if not value.startswith("clinicaltrials:"):
            raise ValueError(f"a clinical trial id is clinicaltrials:NCT…, not {value!r}")
        return value


class Publication(Node):
    """A PubMed record; ``id`` is ``PMID:`` + digits."""

    kind: Literal["Publication"] = "Publication"
    year: int | None = None
    publication_type: str | None = None
    journal: str | None = None

    @field_validator("id")
    @classmethod
    def _pmid(cls, value: str) -> str:
        if not value.startswith("PMID:"):
            raise ValueError(f"a publication id is PMID:<digits>, not {value!r}")
        return value


class Prediction(Node):
    """One model's claim that ``drug_id`` may treat ``disease_id``.

    Raw values as the source wrote them sit beside normalised ones
    (``evidence_level_raw`` beside ``evidence_level``).
    """

    kind: Literal["Prediction"] = "Prediction"
    drug_id: str
    disease_id: str
    model: str = "TxGNN"
    score: float | None = Field(default=None, ge=0.0, le=1.0)
    rank: int | None = Field(default=None, ge=1)
    #: Every source's score for this pair, by source name (0–1; percentages divided by 100).
    scores: dict[str, float] = Field(default_factory=dict)
    #: True when the source gives no real score (TxGNN's knowledge-graph rows carry 0.5).
    unscored: bool | None = None
    #: How the model reached it: ``DL`` (deep learning) or ``KG`` (knowledge graph).
    method: str | None = None
    #: The evidence level a listing (the site's search index) shows, not a report's own.
    listed_level: str | None = None
    evidence_level: str | None = None
    evidence_level_raw: str | None = None
    decision: str | None = None
    decision_raw: str | None = None
    market_status: str | None = None
    authorizations: int | None = None
    #: As a report wrote them: "✗ Not marketed (未上市)", "20 張", "97.03%".
    market_status_raw: str | None = None
    authorizations_raw: str | None = None
    score_raw: str | None = None
    #: The market a report's status row speaks of ("Taiwan", "EU", "Taiwan/EU").
    market_region: str | None = None
    original_indication: str | None = None
    #: The predicted indication as the report wrote it, notes and markup included.
    indication_raw: str | None = None
    report: str | None = None
    summary: str | None = None
    rationale: str | None = None
    #: The reason the report gives for its decision (Conclusion's "Rationale:").
    decision_rationale: str | None = None
    safety: str | None = None
    next_steps: tuple[str, ...] = ()
    data_gaps: tuple[str, ...] = ()


AnyNode = Annotated[
    Drug | Gene | Disease | Pathway | BiologicalProcess | MolecularFunction
    | CellularComponent | Phenotype | Anatomy | Exposure | ChemicalSubstance | Cell
    | OrganismTaxon | GeneFamily | MacromolecularComplex | PharmacologicClass
    | ClinicalTrial | Publication | Prediction,
    Field(discriminator="kind"),
]
_NODE_ADAPTER: TypeAdapter[AnyNode] = TypeAdapter(AnyNode)

NODE_CLASSES: dict[str, type[Node]] = {
    cls.model_fields["kind"].default: cls
    for cls in (Drug, Gene, Disease, Pathway, BiologicalProcess, MolecularFunction,
                CellularComponent, Phenotype, Anatomy, Exposure, ChemicalSubstance, Cell,
                OrganismTaxon, GeneFamily, MacromolecularComplex, PharmacologicClass,
                ClinicalTrial, Publication, Prediction)
}
assert set(NODE_CLASSES) == {k.value for k in NodeKind}


def node_from_record(record: dict[str, Any]) -> Node:
    """Build the right node class from a flat record that carries ``kind``.

    >>> node_from_record({"kind": "Gene", "id": "NCBIGene:941", "name": "CD80"}).label
    'Gene'
    """
    node: Node = _NODE_ADAPTER.validate_python(record)
    return node


class Edge(BaseModel):
    """A directed statement ``source -[type]-> target`` with its provenance.

    Identity is ``(source, type, target)``; loading the same statement from two
    sources gives one edge with two provenance entries.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    target: str
    type: EdgeType
    provenance: tuple[Provenance, ...] = ()
    properties: dict[str, str | int | float | bool | None] = Field(default_factory=dict)

    @field_validator("source", "target")
    @classmethod
    def _ids(cls, value: str) -> str:
        return _check_curie(value)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.type.value, self.target)

    @property
    def pmids(self) -> tuple[str, ...]:
        """Every PMID any source cites for this edge, in first-seen order."""
        return tuple(dict.fromkeys(p for prov in self.provenance for p in prov.pmids))


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
