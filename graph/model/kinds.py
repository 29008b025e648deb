"""The graph's closed vocabularies: node kinds and edge types.

Kinds are Neo4j labels (CamelCase nouns); edge types are Neo4j relationship
types (UPPER_SNAKE verbs). Both are closed, checked here, so a store may safely
quote them into a query. Which of them carry biology (what an explanation walks
through) and which link evidence is said here too.
"""

from __future__ import annotations

from enum import StrEnum


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
