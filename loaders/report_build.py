"""Assembling one report page's nodes, edges and rejections into a SourceBatch.

>>> disease_name("偏頭痛預防 (Migraine Disorder)")
('Migraine Disorder', ('偏頭痛預防',))
>>> disease_name("Raynaud disease *(highest-evidence candidate among 10 predictions)*")
('Raynaud disease', ())
>>> disease_name("None — TxGNN predictions not available"), disease_name("No predictions generated")
(None, None)
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from graph import ids
from graph.errors import ParseError
from graph.model import (
    ClinicalTrial,
    Disease,
    Drug,
    Edge,
    EdgeType,
    Node,
    Prediction,
    Provenance,
    Publication,
    Rejection,
    SourceBatch,
    SourceInfo,
)
from loaders import report_fields as fields
from loaders.markdown import Document, clean
from loaders.report_evidence import Problem, table_citations, text_citations
from loaders.report_page import RankRow

_CJK = re.compile(r"[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]")
_NOTE = re.compile(r"rank|score|%|predict|candidate|evidence|\btop\b|best|highest|maps to|txgnn|"
                   r"false positive|排名|最高|預測|分數", re.IGNORECASE)
_BRACKETED = re.compile(r"\s*[(（][^()（）]*[)）]")
_DASH_NOTE = re.compile(r"\s+[—–]\s+|\s+-\s+")
_NAME_AND_BRACKET = re.compile(r"^(.*?)\s*[(（]([^()（）]+)[)）]\s*$")
_DRUGBANK_ID = re.compile(r"DB\d{5}(?!\d)")
_NO_INDICATION = re.compile(
    r"^(none\b|no\b.*\b(predictions?|indications?|data|output)\b|not (yet )?available|"
    r"unavailable|pending|無|n/?a\b|[—–-])", re.IGNORECASE)


def _split_top_level(text: str, separators: str) -> list[str]:
    if not any(separator in text for separator in separators):  # one part: skip the scan
        return [text.strip()] if text.strip() else []
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "(（[":
            depth += 1
        elif char in ")）]":
            depth = max(0, depth - 1)
        if char in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def disease_name(raw: str) -> tuple[str, tuple[str, ...]] | None:
    """``(name, synonyms)`` of the first indication a value names, or None for none.

    Notes in brackets (ranks, scores, remarks) are dropped; a name given in two
    scripts (``偏頭痛 (Migraine Disorder)``) is named in Latin script, the other
    spelling kept as a synonym; ``English (ABBR)`` keeps the abbreviation.
    """
    text = clean(raw)
    if fields.is_blank(text) or _NO_INDICATION.match(text):
        return None
    text = _BRACKETED.sub(lambda m: "" if _NOTE.search(m.group(0)) else m.group(0), text)
    text = _DASH_NOTE.split(text)[0]
    parts = _split_top_level(text, "、;；")
    if not parts:
        return None
    text = parts[0].strip(" *_:：,，.")
    match = _NAME_AND_BRACKET.match(text)
    synonyms: tuple[str, ...] = ()
    if match and match.group(1).strip():
        head, inner = match.group(1).strip(), match.group(2).strip()
        if _CJK.search(head) and not _CJK.search(inner):
            text, synonyms = inner, (head,)
        else:
            text, synonyms = head, (inner,)
    text = text.strip(" *_:：,，.")
    if not text or fields.is_blank(text):
        return None
    return text, tuple(s for s in synonyms if s and s != text)


class PageBuilder:
    """Collects one page's nodes, edges and rejections, then makes its batch."""

    def __init__(self, doc: Document, *, path: str, source_name: str, version: str) -> None:
        self.doc = doc
        self.path = path
        self.source_name = source_name
        self.version = version
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, EdgeType, str],
                         tuple[dict[str, Any], list[Provenance]]] = {}
        self.rejections: list[Rejection] = []
        self.provenances: dict[tuple[int | None, tuple[str, ...], tuple[str, ...]],
                               Provenance] = {}
        self.drug: Drug | None = None
        self.main: Prediction | None = None

    # -- records ------------------------------------------------------------------------

    def reject(self, line: int | None, reason: str, record: str | None = None) -> None:
        if record is None and line is not None and 0 < line <= len(self.doc.lines):
            record = self.doc.lines[line - 1].strip()
        self.rejections.append(Rejection(source=self.source_name, path=self.path, line=line,
                                         record=record, reason=reason))

    def _provenance(self, line: int | None, *, pmids: tuple[str, ...] = (),
                    nct_ids: tuple[str, ...] = ()) -> Provenance:
        # Built without re-validation: every id here is a node id checked already. Made once
        # per value (frozen, so shared): a prediction's OF_DRUG and FOR_DISEASE edges share one.
        key = (line, pmids, nct_ids)
        if key not in self.provenances:
            self.provenances[key] = Provenance.model_construct(
                source=self.source_name, version=self.version, line=line, pmids=pmids,
                nct_ids=nct_ids, note=None)
        return self.provenances[key]

    def _link(self, source: str, edge_type: EdgeType, target: str, line: int | None,
              properties: dict[str, Any] | None = None, *, pmids: tuple[str, ...] = (),
              nct_ids: tuple[str, ...] = ()) -> None:
        key = (source, edge_type, target)
        if key not in self.edges:
            self.edges[key] = (dict(properties or {}),
                               [self._provenance(line, pmids=pmids, nct_ids=nct_ids)])
            return
        props, provenances = self.edges[key]
        if all(p.line != line for p in provenances):  # one provenance per line
            provenances.append(self._provenance(line, pmids=pmids, nct_ids=nct_ids))
        for name, value in (properties or {}).items():
            if props.get(name) is None:
                props[name] = value

    # -- drug and predictions -----------------------------------------------------------

    def set_drug(self, name: str, *, drugbank: str | None = None,
                 brand_names: tuple[str, ...] = (),
                 approved_indications: tuple[str, ...] = ()) -> None:
        match = _DRUGBANK_ID.search(drugbank or "")
        drug_id = ids.normalize(match.group(0)) if match else ids.provisional_id("Drug", name)
        try:
            self.drug = Drug(id=drug_id, name=name, brand_names=brand_names,
                             approved_indications=approved_indications)
        except ValidationError as error:
            raise ParseError(f"cannot make a drug of {name!r}: {error.errors()[0]['msg']}",
                             path=self.path, line=1) from error
        self.nodes[self.drug.id] = self.drug

    def _prediction(self, indication_raw: str, line: int, values: dict[str, Any], *,
                    parsed: tuple[str, tuple[str, ...]] | None = None) -> Prediction | None:
        """A prediction for the indication a value names (``parsed``: its
        :func:`disease_name`, when the caller has it already)."""
        assert self.drug is not None
        if parsed is None:
            parsed = disease_name(indication_raw)
        if parsed is None:
            self.reject(line, f"no predicted indication named: {clean(indication_raw)!r}")
            return None
        name, synonyms = parsed
        try:
            disease = Disease(id=ids.provisional_id("Disease", name), name=name,
                              synonyms=synonyms)
            prediction = Prediction(
                id=ids.prediction_id(self.drug.id, disease.id),
                name=f"{self.drug.name} → {name}", drug_id=self.drug.id,
                disease_id=disease.id, indication_raw=indication_raw.strip(),
                report=self.source_name, **values)
        except ValidationError as error:
            self.reject(line, f"cannot make a prediction of {name!r}: "
                              f"{error.errors()[0]['msg']}")
            return None
        if prediction.id in self.nodes:
            return None  # the same indication listed twice: the first statement stands
        self.nodes.setdefault(disease.id, disease)
        self.nodes[prediction.id] = prediction
        self._link(prediction.id, EdgeType.OF_DRUG, self.drug.id, line)
        self._link(prediction.id, EdgeType.FOR_DISEASE, disease.id, line)
        return prediction

    def set_main_prediction(self, indication_raw: str | None, *, line: int,
                            score_raw: str | None, evidence_level_raw: str | None,
                            decision_raw: str | None, market_status_raw: str | None,
                            market_region: str | None, authorizations_raw: str | None,
                            **text: Any) -> None:
        """The prediction the pharmacist's report is about, with its report fields."""
        if indication_raw is None:
            self.reject(None, "page names no predicted indication")
            return
        score = fields.percent_score(score_raw) if score_raw else None
        values: dict[str, Any] = dict(
            score=score, score_raw=score_raw,
            scores={self.source_name: score} if score is not None else {},
            rank=fields.rank(score_raw or "") or fields.rank(indication_raw),
            evidence_level=fields.evidence_level(evidence_level_raw)
            if evidence_level_raw else None,
            evidence_level_raw=evidence_level_raw,
            decision=fields.decision(decision_raw) if decision_raw else None,
            decision_raw=decision_raw,
            market_status=fields.market_status(market_status_raw) if market_status_raw else None,
            market_status_raw=market_status_raw, market_region=market_region,
            authorizations=fields.leading_int(authorizations_raw) if authorizations_raw else None,
            authorizations_raw=authorizations_raw, **text)
        self.main = self._prediction(indication_raw, line, values)

    def add_ranked_prediction(self, row: RankRow) -> None:
        """A rank-table row: a further prediction, or the rank of the main one."""
        assert self.drug is not None
        rank = fields.rank(row.rank_raw) if row.rank_raw else None
        parsed = disease_name(row.indication_raw)
        if parsed is None:
            return
        disease_id = ids.provisional_id("Disease", parsed[0])
        if self.main is not None and self.main.disease_id == disease_id:
            if self.main.rank is None and rank is not None:
                self.main = self.main.model_copy(update={"rank": rank})
                self.nodes[self.main.id] = self.main
            return
        score = fields.percent_score(row.score_raw) if row.score_raw else None
        self._prediction(row.indication_raw, row.line, dict(
            rank=rank, score=score, score_raw=row.score_raw,
            scores={self.source_name: score} if score is not None else {},
            evidence_level=fields.evidence_level(row.evidence_level_raw)
            if row.evidence_level_raw else None,
            evidence_level_raw=row.evidence_level_raw,
            decision=fields.decision(row.decision_raw) if row.decision_raw else None,
            decision_raw=row.decision_raw,
            method=clean(row.method) if row.method else None), parsed=parsed)

    # -- evidence -----------------------------------------------------------------------

    def add_citations(self) -> None:
        """Trials and publications of the evidence tables, then every other mention."""
        problems: list[Problem] = []
        table = table_citations(self.doc, self.path, problems)
        # A mention of a trial or publication a table lists cites the table's node.
        text = text_citations(self.doc, problems, known={c.node.id: c.node for c in table})
        for problem in problems:
            self.reject(problem.line, problem.reason, problem.record)
        unlinked = 0
        for citation in [*table, *text]:
            node = citation.node
            self.nodes.setdefault(node.id, node)  # tables come first: their details stand
            if self.main is None:
                unlinked += 1
                continue
            self._link(self.main.id, EdgeType.SUPPORTED_BY, node.id, citation.line,
                       {"key_finding": citation.key_finding,
                        "mentioned_in": citation.mentioned_in},
                       pmids=(node.id,) if isinstance(node, Publication) else (),
                       nct_ids=(node.id,) if isinstance(node, ClinicalTrial) else ())
        if unlinked:
            self.reject(None, f"{unlinked} citations not linked: the page has no single "
                              f"prediction to link them to")

    def batch(self, *, kind: str) -> SourceBatch:
        edges = tuple(Edge(source=s, type=t, target=o, provenance=tuple(provs),
                           properties=props)
                      for (s, t, o), (props, provs) in self.edges.items())
        info = SourceInfo(name=self.source_name, kind=kind, version=self.version,
                          path=self.path)
        return SourceBatch.model_validate({"source": info, "nodes": tuple(self.nodes.values()),
                                           "edges": edges, "rejections": tuple(self.rejections)})
