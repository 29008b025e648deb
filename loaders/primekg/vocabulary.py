"""PrimeKG's vocabulary: its columns, node types and relations, and the txkg edge each becomes.

See :mod:`loaders.primekg` for how a row is read.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.model import (
    Anatomy,
    BiologicalProcess,
    CellularComponent,
    Disease,
    Drug,
    EdgeType,
    Exposure,
    Gene,
    MolecularFunction,
    Node,
    Pathway,
    Phenotype,
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

