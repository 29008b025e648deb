"""Which way a statement pushes its object, and what a whole path does to a disease.

Every mechanism statement gets a *reading* from this module's table: the sign
of its subject's effect on its object (+1 more, -1 less), and how that sign
travels along a path:

``forward``
    the subject acts on the object (``decreases activity of``, ``causes``):
    the sign holds when the path walks the edge in its stored direction.
``backward``
    the object acts on the subject (``caused by``, ``produced by``): the sign
    holds when the path walks the edge against its stored direction.
``symmetric``
    a correlation (``positively correlated with``): the sign holds either way.
``neutral``
    scaffolding with no influence (``participates in``, ``located in``,
    ``subclass of``): skipped when signs are multiplied.
``opaque``
    an influence of unknown sign (``regulates``, ``molecularly interacts with``,
    a Hetionet-style ``TARGETS`` or ``ASSOCIATED_WITH``): the path's net effect
    is unknown.

The net effect of a drug → disease path is the product of its hops' signs. A
path nets to -1 when acting along it should push the disease down (a
therapeutic, *coherent* reading); +1 says the drug would make the disease worse
(incoherent: flagged, never hidden); anything opaque or walked against its
causal arrow makes the effect unknown, as does a path with no signed hop.

Facts about DrugMechDB's predicates (sign and role) follow the predicate
polarity lexicon DrugMechDB ships with its curated paths; two deliberate
differences: binding (``molecularly interacts with`` and kin) is *opaque*
here rather than skipped, because binding alone does not say whether a drug
blocks or stimulates its target; and the ``reverse`` role is read backwards
instead of being left indeterminate.

>>> net_effect([hop_sign("decreases activity of", "forward"),
...             hop_sign("positively regulates", "forward"),
...             hop_sign("positively correlated with", "reverse")])
-1
>>> net_effect([hop_sign("TARGETS", "forward"), hop_sign("ASSOCIATED_WITH", "reverse")]) is None
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Travel = Literal["forward", "backward", "symmetric", "neutral", "opaque"]
#: What a path does to its disease: lowers it (coherent), raises it, or unknown.
NetDirection = Literal["decreases", "increases", "unknown"]


@dataclass(frozen=True, slots=True)
class Reading:
    """How one predicate or edge type pushes its object, and how that travels."""

    sign: int  # +1, -1; 0 for neutral and opaque readings
    travel: Travel


def _r(sign: int, travel: Travel) -> Reading:
    return Reading(sign, travel)


_UP, _DOWN = _r(1, "forward"), _r(-1, "forward")
_NEUTRAL, _OPAQUE = _r(0, "neutral"), _r(0, "opaque")

#: DrugMechDB predicate texts (lower case) → reading.
PREDICATE_READINGS: dict[str, Reading] = {
    # a subject that raises its object
    "positively regulates": _UP, "increases activity of": _UP,
    "increases abundance of": _UP, "increases expression of": _UP,
    "increases stability of": _UP, "increases transport of": _UP,
    "increases response to": _UP, "causes": _UP, "contributes to": _UP,
    "produces": _UP, "has output": _UP, "enables": _UP, "expresses": _UP,
    "has metabolite": _UP, "derives into": _UP, "exacerbates": _UP, "predisposes": _UP,
    # a subject that lowers its object
    "negatively regulates": _DOWN, "decreases activity of": _DOWN,
    "decreases abundance of": _DOWN, "decreases expression of": _DOWN,
    "decreases synthesis of": _DOWN, "decreases uptake of": _DOWN,
    "increases degradation of": _DOWN, "decreases response to": _DOWN, "disrupts": _DOWN,
    "treats": _DOWN, "prevents": _DOWN, "ameliorates": _DOWN,
    # the object acts on the subject
    "caused by": _r(1, "backward"), "produced by": _r(1, "backward"),
    "is metabolite of": _r(1, "backward"), "derives from": _r(1, "backward"),
    "disrupted by": _r(-1, "backward"),
    # correlations: the sign holds whichever way the path walks
    "positively correlated with": _r(1, "symmetric"),
    "negatively correlated with": _r(-1, "symmetric"),
    "has phenotype": _r(1, "symmetric"), "phenotype of": _r(1, "symmetric"),
    "manifestation of": _r(1, "symmetric"),
    # scaffolding
    "participates in": _NEUTRAL, "occurs in": _NEUTRAL, "in taxon": _NEUTRAL,
    "located in": _NEUTRAL, "location of": _NEUTRAL, "expressed in": _NEUTRAL,
    "precedes": _NEUTRAL, "capable of": _NEUTRAL, "actively involved in": _NEUTRAL,
    "has participant": _NEUTRAL, "part of": _NEUTRAL, "has part": _NEUTRAL,
    "subclass of": _NEUTRAL, "superclass of": _NEUTRAL, "chemically similar to": _NEUTRAL,
    "similar to": _NEUTRAL, "has active ingredient": _NEUTRAL, "coexists with": _NEUTRAL,
    # influence of unknown sign
    "regulates": _OPAQUE, "correlated with": _OPAQUE, "affects risk for": _OPAQUE,
    "affected by": _OPAQUE, "contraindicated for": _OPAQUE,
    "molecularly interacts with": _OPAQUE, "directly interacts with": _OPAQUE,
    "physically interacts with": _OPAQUE, "interacts with": _OPAQUE, "in complex with": _OPAQUE,
}

#: txkg edge types → reading, for statements without a predicate text.
EDGE_TYPE_READINGS: dict[str, Reading] = {
    "INHIBITS": _DOWN, "DECREASES": _DOWN, "TREATS": _DOWN, "INDICATED_FOR": _DOWN,
    "OFF_LABEL_FOR": _DOWN,
    "ACTIVATES": _UP, "INCREASES": _UP, "CAUSES": _UP, "ENABLES": _UP,
    "HAS_SIDE_EFFECT": _UP,
    "HAS_PHENOTYPE": _r(1, "symmetric"),
    "PARTICIPATES_IN": _NEUTRAL, "LOCATED_IN": _NEUTRAL, "EXPRESSED_IN": _NEUTRAL,
    "SUBCLASS_OF": _NEUTRAL, "RESEMBLES": _NEUTRAL,
    # TARGETS, INTERACTS_WITH, REGULATES, ASSOCIATED_WITH, … : opaque (the default)
}


def reading(edge_type: str, predicate: str | None = None) -> Reading:
    """The reading of a statement: its predicate text first, else its edge type.

    >>> reading("REGULATES", "negatively regulates")
    Reading(sign=-1, travel='forward')
    >>> reading("TARGETS")
    Reading(sign=0, travel='opaque')
    """
    if predicate:
        found = PREDICATE_READINGS.get(predicate.strip().lower())
        if found is not None:
            return found
    return EDGE_TYPE_READINGS.get(edge_type, _OPAQUE)


def hop_sign(edge_type_or_predicate: str, direction: str) -> int | None:
    """The sign of one hop walked ``forward``, ``reverse`` or ``both`` (as stored).

    Returns +1 or -1 for a signed hop, 0 for a neutral one, and None when the
    sign is unknown (opaque, or walked against its causal arrow).

    >>> hop_sign("causes", "forward"), hop_sign("causes", "reverse")
    (1, None)
    >>> hop_sign("caused by", "reverse"), hop_sign("participates in", "reverse")
    (1, 0)
    """
    found = reading(edge_type_or_predicate, edge_type_or_predicate)
    return sign_along(found, direction)


def sign_along(found: Reading, direction: str) -> int | None:
    """The sign a reading gives a hop walked in ``direction`` relative to storage."""
    if found.travel == "neutral":
        return 0
    if found.travel == "opaque":
        return None
    if found.travel == "symmetric" or direction == "both":
        return found.sign
    wanted = "forward" if found.travel == "forward" else "reverse"
    return found.sign if direction == wanted else None


def statement_sign(edge_type: str, data: Mapping[str, Any] | None, direction: str) -> int | None:
    """:func:`sign_along` for a stored edge's attributes (its ``properties.predicate``)."""
    properties = (data or {}).get("properties") or {}
    predicate = properties.get("predicate") if isinstance(properties, Mapping) else None
    return sign_along(reading(edge_type, predicate if isinstance(predicate, str) else None),
                      direction)


def agreed_sign(signs: Iterable[int | None]) -> int | None:
    """One sign for a hop stored several ways: the known one, None if they disagree or none is.

    >>> agreed_sign([-1, None, -1]), agreed_sign([1, -1]), agreed_sign([])
    (-1, None, None)
    """
    known = {s for s in signs if s is not None}
    return known.pop() if len(known) == 1 else None


def net_effect(signs: Iterable[int | None]) -> int | None:
    """Product of the hops' signs, neutral hops skipped; None if any is unknown or none signed.

    >>> net_effect([-1, 0, 1, 1]), net_effect([0, 0]), net_effect([-1, None])
    (-1, None, None)
    """
    product, signed = 1, False
    for sign in signs:
        if sign is None:
            return None
        if sign:
            product *= sign
            signed = True
    return product if signed else None


def net_direction(net: int | None) -> NetDirection:
    """``decreases`` (the disease goes down), ``increases`` or ``unknown``.

    >>> net_direction(-1), net_direction(1), net_direction(None)
    ('decreases', 'increases', 'unknown')
    """
    if net is None:
        return "unknown"
    return "decreases" if net < 0 else "increases"


__all__ = [
    "EDGE_TYPE_READINGS",
    "PREDICATE_READINGS",
    "NetDirection",
    "Reading",
    "agreed_sign",
    "hop_sign",
    "net_direction",
    "net_effect",
    "reading",
    "sign_along",
    "statement_sign",
]
