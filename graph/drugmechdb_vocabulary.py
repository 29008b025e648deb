"""DrugMechDB's vocabulary in txkg's terms: node labels, id prefixes, predicates.

The one mapping of DrugMechDB's vocabulary: the loader (``loaders/drugmechdb.py``)
and the evaluation's small path reader (``graph/explain/evaluation/curated.py``)
both read it from here, so a curated path means the same in the store and in
the evaluation (``tests/test_drugmechdb_vocabulary.py`` checks that they agree).

DrugMechDB labels nodes with Biolink-style classes and writes ids with its own
prefixes (``UniProt:``, ``DB:``, ``taxonomy:``, ``reactome:``, ``TIGR:02074``);
its edges carry Biolink predicate texts (67 of them). This module says what
each becomes in txkg. Every predicate maps to an edge type that reads
correctly in the stored direction (subject → object): a reverse predicate such
as ``caused by`` is not turned into CAUSES but into AFFECTED_BY, so the edge
never has to be flipped and its original text, kept as the property
``predicate``, still reads along it.

>>> raw_curie("UniProt:P33681"), raw_curie("DB:DB01281"), raw_curie("taxonomy:1280")
('UniProtKB:P33681', 'DRUGBANK:DB01281', 'NCBITaxon:1280')
>>> raw_curie("reactome:R-HSA-2162123"), raw_curie("TIGR:02074"), raw_curie("Pfam:PF00905")
('REACT:R-HSA-2162123', 'TIGRFAM:TIGR02074', 'PFAM:PF00905')
>>> PREDICATES["decreases activity of"].value, PREDICATES["caused by"].value
('INHIBITS', 'AFFECTED_BY')
"""

from __future__ import annotations

from functools import lru_cache

from graph import ids
from graph.model import (
    Anatomy,
    BiologicalProcess,
    Cell,
    CellularComponent,
    ChemicalSubstance,
    Disease,
    Drug,
    EdgeType,
    Gene,
    GeneFamily,
    MacromolecularComplex,
    MolecularFunction,
    Node,
    OrganismTaxon,
    Pathway,
    Phenotype,
)

#: DrugMechDB node label -> txkg node class.
NODE_LABELS: dict[str, type[Node]] = {
    "Drug": Drug,
    "Protein": Gene,
    "Disease": Disease,
    "BiologicalProcess": BiologicalProcess,
    "ChemicalSubstance": ChemicalSubstance,
    "PhenotypicFeature": Phenotype,
    "OrganismTaxon": OrganismTaxon,
    "GeneFamily": GeneFamily,
    "GrossAnatomicalStructure": Anatomy,
    "MolecularActivity": MolecularFunction,
    "CellularComponent": CellularComponent,
    "Pathway": Pathway,
    "Cell": Cell,
    "MacromolecularComplex": MacromolecularComplex,
}

#: DrugMechDB node label -> txkg node kind (the kind of :data:`NODE_LABELS`' class).
NODE_KINDS: dict[str, str] = {
    label: str(cls.model_fields["kind"].default) for label, cls in NODE_LABELS.items()}

_E = EdgeType
#: DrugMechDB predicate text -> txkg edge type, read subject -> object as stored.
PREDICATES: dict[str, EdgeType] = {
    # activity of a target
    "decreases activity of": _E.INHIBITS,
    "increases activity of": _E.ACTIVATES,
    # raising or lowering an amount, an expression, a process
    "positively regulates": _E.INCREASES,
    "increases abundance of": _E.INCREASES,
    "increases expression of": _E.INCREASES,
    "increases stability of": _E.INCREASES,
    "increases transport of": _E.INCREASES,
    "increases response to": _E.INCREASES,
    "negatively regulates": _E.DECREASES,
    "decreases abundance of": _E.DECREASES,
    "decreases expression of": _E.DECREASES,
    "decreases synthesis of": _E.DECREASES,
    "decreases uptake of": _E.DECREASES,
    "increases degradation of": _E.DECREASES,
    "decreases response to": _E.DECREASES,
    "disrupts": _E.DECREASES,
    "regulates": _E.REGULATES,
    # causation, forward and reverse
    "causes": _E.CAUSES,
    "contributes to": _E.CAUSES,
    "predisposes": _E.CAUSES,
    "exacerbates": _E.CAUSES,
    "produces": _E.PRODUCES,
    "has output": _E.PRODUCES,
    "has metabolite": _E.PRODUCES,
    "derives into": _E.PRODUCES,
    "expresses": _E.PRODUCES,
    "caused by": _E.AFFECTED_BY,
    "produced by": _E.AFFECTED_BY,
    "is metabolite of": _E.AFFECTED_BY,
    "derives from": _E.AFFECTED_BY,
    "disrupted by": _E.AFFECTED_BY,
    "affected by": _E.AFFECTED_BY,
    # correlation and phenotype
    "positively correlated with": _E.ASSOCIATED_WITH,
    "negatively correlated with": _E.ASSOCIATED_WITH,
    "correlated with": _E.ASSOCIATED_WITH,
    "affects risk for": _E.ASSOCIATED_WITH,
    "coexists with": _E.ASSOCIATED_WITH,
    "has phenotype": _E.HAS_PHENOTYPE,
    "manifestation of": _E.MANIFESTATION_OF,
    "phenotype of": _E.MANIFESTATION_OF,
    # clinical outcome
    "treats": _E.TREATS,
    "prevents": _E.TREATS,
    "ameliorates": _E.TREATS,
    "contraindicated for": _E.CONTRAINDICATED_FOR,
    # context and structure
    "participates in": _E.PARTICIPATES_IN,
    "actively involved in": _E.PARTICIPATES_IN,
    "capable of": _E.ENABLES,
    "enables": _E.ENABLES,
    "occurs in": _E.LOCATED_IN,
    "located in": _E.LOCATED_IN,
    "expressed in": _E.EXPRESSED_IN,
    "location of": _E.LOCATION_OF,
    "in taxon": _E.IN_TAXON,
    "precedes": _E.PRECEDES,
    "part of": _E.PART_OF,
    "has part": _E.HAS_PART,
    "has participant": _E.HAS_PART,
    "has active ingredient": _E.HAS_PART,
    "subclass of": _E.SUBCLASS_OF,
    "superclass of": _E.RELATED_TO,
    "chemically similar to": _E.RESEMBLES,
    "similar to": _E.RESEMBLES,
    # binding
    "molecularly interacts with": _E.INTERACTS_WITH,
    "directly interacts with": _E.INTERACTS_WITH,
    "physically interacts with": _E.INTERACTS_WITH,
    "interacts with": _E.INTERACTS_WITH,
    "in complex with": _E.INTERACTS_WITH,
}


@lru_cache(maxsize=1 << 15)
def raw_curie(raw: str) -> str:
    """The canonical CURIE of a DrugMechDB id; raises InvalidId when malformed.

    DrugMechDB writes TIGRFAMs ids without their ``TIGR`` letters (``TIGR:02074``);
    a few ids carry a stray byte-order mark, which is dropped.

    >>> raw_curie("InterPro:IPR001128\ufeff")
    'InterPro:IPR001128'
    """
    text = raw.replace("\ufeff", "").strip()
    if text.upper().startswith("TIGR:") and text[5:].isdigit():
        text = "TIGR:TIGR" + text[5:]
    return ids.normalize(text)


def node_kind(label: str) -> str | None:
    """The txkg kind of a DrugMechDB node label, None if unknown.

    >>> node_kind("Protein"), node_kind("MacromolecularComplex"), node_kind("Spaceship")
    ('Gene', 'MacromolecularComplex', None)
    """
    return NODE_KINDS.get(label)


def predicate_type(predicate: str) -> EdgeType | None:
    """The edge type of a predicate text (case and spacing ignored), None if unknown.

    >>> predicate_type("  Positively  regulates"), predicate_type("teleports")
    (<EdgeType.INCREASES: 'INCREASES'>, None)
    """
    return PREDICATES.get(" ".join(predicate.split()).lower())
