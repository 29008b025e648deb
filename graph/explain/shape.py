"""What curated mechanisms look like, learned from curated paths: the ``learned`` ranking.

A curated mechanism (DrugMechDB's drug → disease paths) is read as a walk of
*steps*, each a statement of some edge type from a node of one kind to a node
of another: ``Drug -INHIBITS-> Gene``, ``Gene -INCREASES-> BiologicalProcess``,
``BiologicalProcess -CAUSES-> Disease``. :class:`MechanismShape` counts, over
the curated walks it is fitted on,

* which step follows a node of each kind (``P(edge type, next kind | kind)``),
* which edge type follows which (``P(edge type | previous edge type)``),
* how long the walks are (``P(length)``),

in txkg's own kinds and edge types (:mod:`graph.model`), so a shape fitted on
DrugMechDB applies to any graph loaded into txkg (PrimeKG, Hetionet). Unseen
steps get a small share through a back-off (an edge type's and a kind's own
frequencies), so nothing scores zero.

:class:`LearnedRanking` ranks a path by its path-degree product, the
``mechanism`` ranking's prices (per hop, per hop walked against its stored
direction, polarity) and the shape's log-probability of the path's steps,
scaled by ``weight``. A step's price ``weight · -ln P(step)`` is additive, so
the best-first search walks towards curated-looking paths directly
(:meth:`LearnedRanking.search_costs`).

The shape shipped with txkg (``graph/explain/data/mechanism_shape.json``) was
fitted on DrugMechDB's development half; the file says how (``provenance``).
Re-fit with ``python bench/fit_shape.py``; cross-validated figures are in
docs/benchmarks.md.

>>> shape = fit_shape([(("Drug", "Gene", "Disease"), ("INHIBITS", "CAUSES"))] * 3)
>>> round(shape.step_probability("Drug", "INHIBITS", "Gene"), 3)
0.799
>>> shape.step_probability("Drug", "CAUSES", "Gene") < 0.1
True
"""

from __future__ import annotations

import itertools
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from graph.errors import InvalidArgument, ParseError
from graph.explain.metagraph import Metapath


class PathFacts(Protocol):
    """What the learned ranking reads of a path (:class:`graph.explain.ranking.PathFacts`)."""

    @property
    def metapath(self) -> str: ...
    @property
    def length(self) -> int: ...
    @property
    def pdp(self) -> float: ...
    @property
    def directions(self) -> tuple[str, ...]: ...
    @property
    def net(self) -> int | None: ...
    @property
    def reverse_hops(self) -> int: ...

#: A curated walk: its node kinds (drug first, disease last) and its edge types, in order.
Walk = tuple[Sequence[str], Sequence[str]]

#: Version of the file format written by :meth:`MechanismShape.to_dict`.
FORMAT = "txkg.mechanism-shape/1"

#: Where the shipped shape lives, inside the package.
SHIPPED = "mechanism_shape.json"

#: Stands for "nothing before" in the edge-type follow counts (the first step).
START = "^"


@dataclass(frozen=True, eq=False)
class MechanismShape:
    """Counts of curated walks' steps, edge-type successions and lengths (see the module).

    ``steps[kind]["TYPE>Kind"]``, ``follows[previous type or START][type]`` and
    ``lengths[n]`` are (fractional) counts; ``smoothing`` is the weight of the
    back-off share in each conditional probability.
    """

    steps: Mapping[str, Mapping[str, float]]
    follows: Mapping[str, Mapping[str, float]]
    lengths: Mapping[int, float]
    smoothing: float = 1.0
    provenance: Mapping[str, Any] = field(default_factory=dict)
    sequences: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        types: defaultdict[str, float] = defaultdict(float)
        kinds: defaultdict[str, float] = defaultdict(float)
        for counts in self.steps.values():
            for step, c in counts.items():
                t, _, b = step.partition(">")
                types[t] += c
                kinds[b] += c
        # Back-off shares: add-one frequencies, one share kept for what was never seen.
        set_ = object.__setattr__
        set_(self, "_types", (types, math.fsum(types.values()) + len(types) + 1))
        set_(self, "_kinds", (kinds, math.fsum(kinds.values()) + len(kinds) + 1))
        set_(self, "_totals", {k: math.fsum(v.values()) for k, v in self.steps.items()})
        set_(self, "_follow_totals", {k: math.fsum(v.values()) for k, v in self.follows.items()})
        set_(self, "_length_total", math.fsum(self.lengths.values()))
        set_(self, "_cache", {})
        moves: defaultdict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
        for kind, counts in self.steps.items():
            for step, c in counts.items():
                moves[kind][step.partition(">")[2]] += c
        set_(self, "_moves", ({k: dict(v) for k, v in moves.items()},
                              {k: math.fsum(v.values()) for k, v in moves.items()}))
        set_(self, "_sequence_total", math.fsum(self.sequences.values()))

    def _type_share(self, edge_type: str) -> float:
        counts, total = self._types  # type: ignore[attr-defined]
        return float((counts.get(edge_type, 0.0) + 1.0) / total)

    def _kind_share(self, kind: str) -> float:
        counts, total = self._kinds  # type: ignore[attr-defined]
        return float((counts.get(kind, 0.0) + 1.0) / total)

    # -- probabilities ---------------------------------------------------------

    def step_probability(self, kind: str, edge_type: str, next_kind: str) -> float:
        """``P(edge type, next kind | kind)``, smoothed towards the back-off share."""
        cache: dict[tuple[str, str, str], float] = self._cache  # type: ignore[attr-defined]
        key = (kind, edge_type, next_kind)
        found = cache.get(key)
        if found is None:
            counts = self.steps.get(kind, {})
            backoff = self._type_share(edge_type) * self._kind_share(next_kind)
            found = ((counts.get(f"{edge_type}>{next_kind}", 0.0) + self.smoothing * backoff)
                     / (self._totals.get(kind, 0.0) + self.smoothing))  # type: ignore[attr-defined]
            cache[key] = found
        return found

    def follow_probability(self, previous: str, edge_type: str) -> float:
        """``P(edge type | previous edge type)`` (``START`` before the first step), smoothed."""
        counts = self.follows.get(previous, {})
        total = self._follow_totals.get(previous, 0.0)  # type: ignore[attr-defined]
        backoff = self._type_share(edge_type)
        return float((counts.get(edge_type, 0.0) + self.smoothing * backoff)
                     / (total + self.smoothing))

    def length_probability(self, length: int) -> float:
        """``P(length)`` with add-one smoothing over lengths 1 to 8."""
        return float((self.lengths.get(length, 0.0) + 1.0)
                     / (self._length_total + 8.0))  # type: ignore[attr-defined]

    def sequence_probability(self, kinds: Sequence[str]) -> float:
        """``P(kind sequence)`` of a whole walk (drug first), smoothed towards a chain of
        kinds (``P(next kind | kind)``, add-one) times ``P(length)``."""
        moves, totals = self._moves  # type: ignore[attr-defined]
        chain = self.length_probability(len(kinds) - 1)
        for a, b in itertools.pairwise(kinds):
            known = moves.get(a, {})
            chain *= (known.get(b, 0.0) + self._kind_share(b)) / (totals.get(a, 0.0) + 1.0)
        found = self.sequences.get(">".join(kinds), 0.0)
        return float((found + self.smoothing * chain)
                     / (self._sequence_total + self.smoothing))  # type: ignore[attr-defined]

    def log_probability(self, kinds: Sequence[str], edge_types: Sequence[str], *,
                        follows: bool = True, length: bool = True) -> float:
        """The natural log of a walk's probability: its steps, optionally its edge-type
        successions and its length."""
        total = 0.0
        previous = START
        for a, t, b in zip(kinds, edge_types, kinds[1:], strict=False):
            total += math.log(self.step_probability(a, t, b))
            if follows:
                total += math.log(self.follow_probability(previous, t))
            previous = t
        if length:
            total += math.log(self.length_probability(len(edge_types)))
        return total

    # -- the file --------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``format``, ``provenance``, ``smoothing``, the counts, sorted)."""
        def rounded(counts: Mapping[Any, float]) -> dict[str, float]:
            return {str(k): round(v, 6) for k, v in sorted(counts.items(), key=lambda x: str(x[0]))}

        return {
            "format": FORMAT,
            "provenance": dict(self.provenance),
            "smoothing": self.smoothing,
            "lengths": rounded(self.lengths),
            "steps": {k: rounded(v) for k, v in sorted(self.steps.items())},
            "follows": {k: rounded(v) for k, v in sorted(self.follows.items())},
            "sequences": rounded(self.sequences),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "<data>") -> MechanismShape:
        """Read :meth:`to_dict`'s form; ParseError naming ``where`` if it is not one."""
        try:
            if data.get("format") != FORMAT:
                raise ParseError(f"not a mechanism shape ({FORMAT}): format is "
                                 f"{data.get('format')!r}", path=where)
            return cls(
                steps={str(k): {str(s): float(c) for s, c in v.items()}
                       for k, v in data["steps"].items()},
                follows={str(k): {str(s): float(c) for s, c in v.items()}
                         for k, v in data["follows"].items()},
                lengths={int(k): float(v) for k, v in data["lengths"].items()},
                smoothing=float(data.get("smoothing", 1.0)),
                provenance=dict(data.get("provenance") or {}),
                sequences={str(k): float(v) for k, v in (data.get("sequences") or {}).items()},
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ParseError(f"not a mechanism shape: {error!r}", path=where) from error

    def save(self, path: Path | str) -> None:
        """Write the JSON form to ``path``."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n",
                              encoding="utf-8")

    @classmethod
    def load(cls, path: Path | str) -> MechanismShape:
        """Read a file written by :meth:`save`."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ParseError(f"cannot read a mechanism shape: {error}", path=str(path)) from error
        if not isinstance(data, dict):
            raise ParseError("not a mechanism shape: not a JSON object", path=str(path))
        return cls.from_dict(data, where=str(path))


def fit_shape(walks: Iterable[Walk], *, smoothing: float = 1.0,
              provenance: Mapping[str, Any] | None = None,
              weights: Iterable[float] | None = None) -> MechanismShape:
    """Count the steps, successions and lengths of ``walks`` (each weighted, default 1)."""
    steps: defaultdict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
    follows: defaultdict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
    lengths: defaultdict[int, float] = defaultdict(float)
    sequences: defaultdict[str, float] = defaultdict(float)
    weight_list = list(weights) if weights is not None else None
    for i, (kinds, edge_types) in enumerate(walks):
        w = weight_list[i] if weight_list is not None else 1.0
        if len(kinds) != len(edge_types) + 1 or not edge_types:
            raise InvalidArgument(f"walk {i}: {len(kinds)} kinds for {len(edge_types)} steps")
        previous = START
        for a, t, b in zip(kinds, edge_types, kinds[1:], strict=False):
            steps[a][f"{t}>{b}"] += w
            follows[previous][t] += w
            previous = t
        lengths[len(edge_types)] += w
        sequences[">".join(kinds)] += w
    return MechanismShape(steps={k: dict(v) for k, v in steps.items()},
                          follows={k: dict(v) for k, v in follows.items()},
                          lengths=dict(lengths), smoothing=smoothing,
                          provenance=dict(provenance or {}), sequences=dict(sequences))


@dataclass(frozen=True, slots=True)
class LearnedRanking:
    """PDP × the ``mechanism`` ranking's prices × ``P(steps)^weight`` under a shape.

    ``shape`` None means the shipped shape (read on first use). A hop walked
    against its stored direction is scored as the statement it is (its stored
    source kind, type, target kind); ``against`` prices the walking direction.
    ``follows`` and ``length`` weigh the edge-type successions and the length
    (not additive, so they re-rank what the search found).

    >>> shape = fit_shape([(("Drug", "Gene", "Disease"), ("INHIBITS", "CAUSES"))])
    >>> rank = LearnedRanking(shape, weight=1.0, follows=0.0, length=0.0, sequence=0.0)
    >>> from graph.explain.ranking import PathFacts
    >>> curated = PathFacts("CihGcD", 2, 1.0, ("forward", "forward"), None)
    >>> odd = PathFacts("CcGihD", 2, 1.0, ("forward", "forward"), None)
    >>> rank(curated) > 10 * rank(odd)
    True
    """

    shape: MechanismShape | None = None
    weight: float = 0.0
    follows: float = 0.0
    length: float = 0.0
    sequence: float = 1.0
    per_hop: float = math.exp(-1.0)
    against: float = math.exp(-1.0)
    coherent: float = 1.0
    unknown: float = 0.5
    incoherent: float = 0.25

    @property
    def model(self) -> MechanismShape:
        """The shape in use (the shipped one when none was given)."""
        return self.shape if self.shape is not None else shipped_shape()

    def step_cost(self, kind: str, edge_type: str, next_kind: str) -> float:
        """``weight · -ln P(step)`` of a statement read in its stored direction (≥ 0)."""
        return -self.weight * math.log(self.model.step_probability(kind, edge_type, next_kind))

    def __call__(self, facts: PathFacts) -> float:
        kinds, edge_types = _metapath_parts(facts.metapath)
        model = self.model
        log_p = 0.0
        for i, edge_type in enumerate(edge_types):
            a, b = kinds[i], kinds[i + 1]
            if facts.directions[i] == "reverse":
                a, b = b, a
            log_p += math.log(model.step_probability(a, edge_type, b))
        extra = 0.0
        if self.follows:
            previous = START
            for edge_type in edge_types:
                extra += self.follows * math.log(model.follow_probability(previous, edge_type))
                previous = edge_type
        if self.length:
            extra += self.length * math.log(model.length_probability(len(edge_types)))
        if self.sequence:
            extra += self.sequence * math.log(model.sequence_probability(kinds))
        polarity = (self.unknown if facts.net is None
                    else self.coherent if facts.net < 0 else self.incoherent)
        return (facts.pdp * self.per_hop ** facts.length * self.against ** facts.reverse_hops
                * polarity * math.exp(self.weight * log_p + extra))


@lru_cache(maxsize=1)
def shipped_shape() -> MechanismShape:
    """The shape shipped with txkg (fitted on DrugMechDB's development half)."""
    text = resources.files("graph.explain.data").joinpath(SHIPPED).read_text(encoding="utf-8")
    return MechanismShape.from_dict(json.loads(text), where=SHIPPED)


@lru_cache(maxsize=4096)
def _metapath_parts(abbreviation: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    metapath = Metapath.from_abbreviation(abbreviation)
    return metapath.kinds, tuple(e.edge_type for e in metapath.edges)


__all__ = ["FORMAT", "START", "LearnedRanking", "MechanismShape", "Walk", "fit_shape",
           "shipped_shape"]
