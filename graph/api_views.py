"""What :class:`~graph.api.KnowledgeGraph` answers with, beyond the graph's own models.

A store's summary (:class:`Stats`), a node with its neighbours (:class:`NodeView`), a
prediction with its ends and evidence (:class:`PredictionView`), a predicted pair with
its mechanism explanation (:class:`ExplainedPrediction`), and a query's rows
(:data:`QueryRows`). They are pydantic models, as the graph's are, so every answer
serialises to the same JSON; :mod:`graph.api` re-exports them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from graph.explain.explanation import Explanation
from graph.model import Counts, Evidence, Neighbour, Prediction, SourceInfo

#: A query's answer: its column names, and one dict per row of plain (JSON-able) values.
QueryRows = tuple[list[str], list[dict[str, Any]]]


class Stats(BaseModel):
    """What a store holds: counts and the sources they came from."""

    model_config = ConfigDict(frozen=True)

    store: str
    counts: Counts
    sources: list[SourceInfo]
    ledger_size: int


class NodeView(BaseModel):
    """A node and its neighbours: mechanism edges first, then evidence and predictions.

    ``neighbour_count`` is how many neighbours the node has; ``neighbours`` may hold
    fewer (the ``limit`` asked for).
    """

    model_config = ConfigDict(frozen=True)

    node: Any  # an AnyNode; typed loosely so subclasses serialise with all fields
    neighbours: list[Neighbour]
    neighbour_count: int = 0


class PredictionView(BaseModel):
    """A prediction with its drug, its disease and the evidence behind it."""

    model_config = ConfigDict(frozen=True)

    prediction: Prediction
    drug: Any
    disease: Any
    trials: int
    publications: int


class ExplainedPrediction(BaseModel):
    """A predicted indication with its evidence and its mechanism explanation.

    ``prediction`` is ``None`` when the pair was asked for but no model predicted it.
    When the explanation has no path, ``drug_links`` and ``disease_links`` count each
    end's mechanism neighbours (0: nothing loaded links it, so nothing can join them);
    they are ``None`` when paths were found.
    """

    model_config = ConfigDict(frozen=True)

    drug: Any
    disease: Any
    prediction: Prediction | None
    evidence: list[Evidence]
    explanation: Explanation
    drug_links: int | None = None
    disease_links: int | None = None
