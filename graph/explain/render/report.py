"""What every rendering of ``txkg explain`` says besides the paths: the prediction and
its evidence, why a prediction has no path (and what would join it), the summary
that comes first, and the one legend of the numbers.

The renderings take *explained pairs*: anything with the attributes of
:class:`ExplainedPair` (``graph.api.ExplainedPrediction`` has them), or a bare
:class:`~graph.explain.explanation.Explanation` wrapped by :func:`as_pair`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from graph.explain.explanation import Explanation
from graph.explain.ranking import AGAINST_COST, PER_HOP_COST
from graph.model import ClinicalTrial, Evidence, Prediction, Publication


class ExplainedPair(Protocol):
    """A drug–disease pair, its prediction (if any), its evidence and its explanation.

    ``drug_links`` and ``disease_links`` count each end's mechanism neighbours; they
    are set when the explanation has no path (``None`` otherwise) and say why.
    """

    @property
    def drug(self) -> Any: ...
    @property
    def disease(self) -> Any: ...
    @property
    def prediction(self) -> Prediction | None: ...
    @property
    def evidence(self) -> Sequence[Evidence]: ...
    @property
    def explanation(self) -> Explanation: ...
    @property
    def drug_links(self) -> int | None: ...
    @property
    def disease_links(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class BarePair:
    """An explanation with no prediction or evidence around it (a notebook's)."""

    explanation: Explanation
    prediction: Prediction | None = None
    evidence: tuple[Evidence, ...] = ()
    drug_links: int | None = None
    disease_links: int | None = None

    @property
    def drug(self) -> Any:
        return self.explanation.drug

    @property
    def disease(self) -> Any:
        return self.explanation.disease


def as_pair(item: Explanation | ExplainedPair) -> ExplainedPair:
    """An explained pair for either an explanation or a pair."""
    return BarePair(item) if isinstance(item, Explanation) else item


#: Why a pair has no mechanism path: an end with no mechanism statement at all, or
#: none joining them within the hops searched.
NoPath = Literal["drug unlinked", "disease unlinked", "both unlinked", "too far"]


def no_path_reason(pair: ExplainedPair) -> NoPath | None:
    """Why the pair's explanation has no path (``None`` when it has one)."""
    if pair.explanation.paths or pair.explanation.associations:
        return None
    drug_alone, disease_alone = pair.drug_links == 0, pair.disease_links == 0
    if drug_alone and disease_alone:
        return "both unlinked"
    if drug_alone:
        return "drug unlinked"
    if disease_alone:
        return "disease unlinked"
    return "too far"


def no_path_hint(pair: ExplainedPair) -> str:
    """One sentence: why there is no path, and what would join the two.

    >>> from graph.explain.explanation import PathNode
    >>> node = PathNode(id="MONDO:1", kind="Disease", name="cecal disease")
    >>> e = Explanation(drug=node, disease=node, damping=0.4, min_hops=2, max_hops=4,
    ...     path_count=0, total=0.0, paths=(), metapaths=(), first_edges=(), last_edges=())
    >>> print(no_path_hint(BarePair(e, drug_links=3, disease_links=0)))  # doctest: +ELLIPSIS
    cecal disease has no mechanism statement loaded: load knowledge that links it ...
    """
    e = pair.explanation
    load = "(PrimeKG, Hetionet, DrugMechDB)"
    reason = no_path_reason(pair)
    if reason == "both unlinked":
        return (f"neither {e.drug.name} nor {e.disease.name} has a mechanism statement "
                f"loaded: load mechanism knowledge {load}")
    if reason == "drug unlinked":
        return (f"{e.drug.name} has no mechanism statement loaded: load knowledge of its "
                f"targets {load}")
    if reason == "disease unlinked":
        return (f"{e.disease.name} has no mechanism statement loaded: load knowledge that "
                f"links it to genes or biology {load}")
    longer = (" (e.g. --max-hops 6 --search best-first)" if e.max_hops < 6 else "")
    return (f"both are linked, but no path of {e.min_hops}–{e.max_hops} hops joins them: "
            f"search longer paths{longer} or load more mechanism knowledge")


#: What would join a pair without a path, by reason.
REMEDIES: dict[str, str] = {
    "disease unlinked": "load knowledge that links the disease to genes or biology "
                        "(PrimeKG, Hetionet, DrugMechDB)",
    "drug unlinked": "load knowledge of the drug's targets (PrimeKG, Hetionet, DrugMechDB)",
    "both unlinked": "load mechanism knowledge (PrimeKG, Hetionet, DrugMechDB)",
    "too far": "search longer paths (--max-hops 6 --search best-first) or load more "
               "mechanism knowledge",
}

REASON_WORDS: dict[str, str] = {
    "disease unlinked": "the disease has no mechanism statement loaded",
    "drug unlinked": "the drug has no mechanism statement loaded",
    "both unlinked": "neither end has a mechanism statement loaded",
    "too far": "no path within the hops searched",
}


def summary_line(pairs: Sequence[ExplainedPair]) -> str:
    """How many pairs have paths and how many have none, and why.

    >>> summary_line([])
    'nothing to explain'
    """
    if not pairs:
        return "nothing to explain"
    reasons = Counter(r for p in pairs if (r := no_path_reason(p)) is not None)
    explained = len(pairs) - sum(reasons.values())
    what = ("predicted indication" if any(p.prediction for p in pairs) else "pair")
    line = (f"{len(pairs)} {what}{'s' * (len(pairs) != 1)}: {explained} with mechanism "
            f"paths, {len(pairs) - explained} without")
    if reasons:
        line += " (" + "; ".join(f"{n}: {REASON_WORDS[r]}" for r, n in reasons.most_common()) + ")"
    return line


def prediction_line(pair: ExplainedPair) -> str:
    """``predicted by TxGNN, model score 97.03% (rank 1); evidence level L3; decision Hold``."""
    p = pair.prediction
    if p is None:
        return "not a predicted indication"
    rank = f" (rank {p.rank})" if p.rank else ""
    return (f"predicted by {p.model}, model score {model_score(pair)}{rank}; "
            f"evidence level {p.evidence_level or '-'}; decision {p.decision or '-'}")


def model_score(pair: ExplainedPair) -> str:
    """The model's score of the prediction, as reports write it (``97.03%``), or ``-``."""
    p = pair.prediction
    return "-" if p is None or p.score is None else f"{p.score * 100:.2f}%"


def trials(pair: ExplainedPair) -> list[ClinicalTrial]:
    return [e.node for e in pair.evidence if isinstance(e.node, ClinicalTrial)]


def publications(pair: ExplainedPair) -> list[Publication]:
    """The publications behind the prediction, oldest first."""
    found = [e.node for e in pair.evidence if isinstance(e.node, Publication)]
    return sorted(found, key=lambda n: (n.year or 0, n.id))


def trial_facts(trial: ClinicalTrial) -> str:
    return ", ".join(str(v) for v in (trial.phase, trial.status, trial.enrollment and
                                      f"{trial.enrollment} enrolled") if v)


def publication_facts(paper: Publication) -> str:
    return ", ".join(str(v) for v in (paper.year, paper.publication_type, paper.journal) if v)


def evidence_count(pair: ExplainedPair) -> str:
    """``2 trials, 7 publications``."""
    t, p = len(trials(pair)), len(publications(pair))
    return f"{t} trial{'s' * (t != 1)}, {p} publication{'s' * (p != 1)}"


def score_legend(explanation: Explanation) -> str:
    """What ``score`` means for the explanation's ranking, said once per output."""
    w = explanation.damping
    pdp = (f"the path-degree product (PDP: every hop weighs (degree × degree)^-{w:g}, so a "
           "path through hubs counts less)")
    if explanation.ranking == "mechanism":
        return (f"score — what the paths are ranked by: {pdp} × {math.exp(-PER_HOP_COST):.2f} "
                f"per hop × {math.exp(-AGAINST_COST):.2f} per hop that walks a statement "
                "against its stored direction × 1, 0.5 or 0.25 for a path that lowers the "
                "disease, is of unknown effect, or raises it (ranking 'mechanism').")
    if explanation.ranking == "dwpc":
        return f"score — what the paths are ranked by: {pdp} (ranking 'dwpc')."
    return f"score — what the paths are ranked by (ranking {explanation.ranking!r})."


#: The rest of the legend: the same in every rendering.
LEGEND_REST = (
    "effect — what the chain of hop signs says the drug does to the disease: lowers "
    "(a coherent, therapeutic reading), RAISES (incoherent, flagged) or unknown.",
    "DWPC — the summed PDP of a group of paths (a metapath, a first or last edge); "
    "share — its part of the DWPC of all paths found.",
    "Metapaths are written Hetionet-style (CtGaD: Drug –TARGETS– Gene –ASSOCIATED_WITH– "
    "Disease), each beside its reading; A <-[TYPE]- B is a statement stored as B TYPE A, "
    "walked against its direction.",
)


__all__ = [
    "LEGEND_REST",
    "REASON_WORDS",
    "REMEDIES",
    "BarePair",
    "ExplainedPair",
    "NoPath",
    "as_pair",
    "evidence_count",
    "model_score",
    "no_path_hint",
    "no_path_reason",
    "prediction_line",
    "publication_facts",
    "publications",
    "score_legend",
    "summary_line",
    "trial_facts",
    "trials",
]
