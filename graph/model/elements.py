"""The graph's elements: nodes of every kind, edges, and the provenance every edge carries.

A node is one biomedical entity or record (a drug, a gene, a trial, a
prediction) with a CURIE ``id``. An edge is one statement between two nodes,
and it always says where it came from: every source that asserted it, with
that source's version and the PMIDs behind it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationInfo, field_validator

from graph import ids
from graph.model.kinds import EdgeType, NodeKind


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
