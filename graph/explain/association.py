"""Mechanism or association: does a path explain *how*, or only *who else*?

A mechanism path runs from the drug through its targets and biology to the
disease. On PrimeKG-shaped graphs a drug's paths also run through what drugs
are *used* for: ``drug -RESEMBLES- drug -INDICATED_FOR- disease``, ``drug
-TARGETS- gene -TARGETS- drug -CONTRAINDICATED_FOR- disease``, or the drug's own
indication of a neighbouring disease. Such a path says the disease keeps company
with the drug's (or a similar drug's) clinical uses — an association, not a
mechanism. The explainer ranks and shows the two apart
(:attr:`graph.explain.explanation.Explanation.associations`).

A path is an **association** when one of its hops is a clinical-use statement
between a drug and a disease (:data:`CLINICAL_USE_TYPES`); every other path is a
**mechanism**.

>>> path_evidence(["Drug", "Drug", "Disease"], ["RESEMBLES", "INDICATED_FOR"])
'association'
>>> path_evidence(["Drug", "Gene", "Disease"], ["TARGETS", "ASSOCIATED_WITH"])
'mechanism'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from graph.model import EdgeType

#: Statements of a drug's clinical use for a disease (indications, contraindications,
#: off-label uses, treats, palliates): hops that make a path an association.
CLINICAL_USE_TYPES: frozenset[str] = frozenset({
    EdgeType.INDICATED_FOR, EdgeType.CONTRAINDICATED_FOR, EdgeType.OFF_LABEL_FOR,
    EdgeType.TREATS, EdgeType.PALLIATES,
})

#: What a path is evidence of.
Evidence = Literal["mechanism", "association"]


def path_evidence(kinds: Sequence[str], edge_types: Sequence[str]) -> Evidence:
    """``association`` when a hop states a drug's clinical use for a disease, else
    ``mechanism``; ``kinds`` are the path's node kinds in order (drug first)."""
    for a, edge_type, b in zip(kinds, edge_types, kinds[1:], strict=False):
        if edge_type in CLINICAL_USE_TYPES and {a, b} == {"Drug", "Disease"}:
            return "association"
    return "mechanism"


__all__ = ["CLINICAL_USE_TYPES", "Evidence", "path_evidence"]
