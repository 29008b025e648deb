"""TxGNN's predictions: the candidate list and the website's search index.

One (drug, disease) pair is one Prediction node
(:func:`graph.ids.prediction_id`) whichever file mentions it, joined on the
DrugBank id and the disease resolved to its MONDO id through the vocabulary.
Each file records its own score under its source name in ``scores``; the
store's merge lets the candidate list's full-precision ``score`` and ``rank``
win over the search index's rounded percentages (source kind
``search-index`` ranks below datasets, see :mod:`graph.store.merge`).

``repurposing_candidates_merged.csv`` (``license_id, brand_name, ingredient,
drugbank_id, potential_indication, source, score``): ``source`` is
``TxGNN Deep Learning`` (method ``DL``) or ``TxGNN Knowledge Graph`` (``KG``).
Knowledge-graph rows carry a placeholder score of 0.5; they are kept with
``score=None``, ``unscored=True`` and no rank. Deep-learning predictions are
ranked within their drug by score, best first (1 = best; equal scores keep
file order). Brand names and ingredients go on the Drug nodes.

``search-index.json``: ``drugs[].indications[]`` with percent scores (divided
by 100) and a listed level; an indication name that is a leaked markdown table
row (``**Lewy Body Dementia** | L3 | …``) is refused, as is a name the
vocabulary cannot resolve. ``rank`` is the position the site lists it at. The
site shows knowledge-graph pairs first, at their placeholder 50.00%; given the
candidate list's unscored pairs, those keep neither score nor rank.
The ``indications`` section repeats the same pairs inverted and is not read.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

from graph import ids
from graph.errors import InvalidId, ParseError
from graph.gc_pause import collector_paused
from graph.model import (
    Disease,
    Drug,
    Edge,
    EdgeType,
    Prediction,
    Provenance,
    Rejection,
    SourceBatch,
    SourceInfo,
)
from loaders.json_input import parse_json
from loaders.txgnn._files import CsvTable, read_text, rejection, source_info
from loaders.txgnn.vocabulary import Unresolved, Vocabulary

CANDIDATES = "repurposing_candidates_merged.csv"
SEARCH_INDEX = "search-index.json"
MODEL = "TxGNN"
CANDIDATE_COLUMNS: tuple[str, ...] = (
    "license_id", "brand_name", "ingredient", "drugbank_id",
    "potential_indication", "source", "score")
#: ``source`` column value -> prediction method.
METHODS: dict[str, str] = {"TxGNN Deep Learning": "DL", "TxGNN Knowledge Graph": "KG"}
#: Methods whose rows carry no real score (TxGNN writes a placeholder 0.5).
UNSCORED_METHODS: frozenset[str] = frozenset({"KG"})

_LEAKED_ROW = re.compile(r"\|")


@dataclass(frozen=True)
class PredictionLoad:
    """A prediction file's batch, why rows were refused, and drug ingredients learnt."""

    batch: SourceBatch
    rows: int
    reasons: Counter[str] = field(default_factory=Counter)
    ingredients: dict[str, str] = field(default_factory=dict)
    #: (drug id, disease id) pairs the file marks unscored (knowledge-graph rows).
    unscored: frozenset[tuple[str, str]] = frozenset()

    @property
    def predictions(self) -> int:
        return sum(1 for n in self.batch.nodes if isinstance(n, Prediction))


@dataclass(slots=True)
class _Pair:
    """One accepted prediction row, before it becomes a node."""

    line: int | None
    drug: str
    disease: str
    score: float | None
    method: str | None = None
    rank: int | None = None
    level: str | None = None
    unscored: bool | None = None


@dataclass
class _Collector:
    """Accepted pairs, drugs' extra names, and refusals, for one file."""

    info: SourceInfo
    vocab: Vocabulary
    pairs: dict[tuple[str, str], _Pair] = field(default_factory=dict)
    brands: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    synonyms: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    rejections: list[Rejection] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)

    def refuse(self, line: int | None, record: str, reason: str) -> None:
        self.rejections.append(rejection(self.info, line, record, reason))
        self.reasons[reason_category(reason)] += 1

    def add(self, pair: _Pair, record: Callable[[], str]) -> None:
        key = (pair.drug, pair.disease)
        first = self.pairs.get(key)
        if first is not None:
            self.refuse(pair.line, record(), f"duplicate prediction: first at line {first.line}")
        else:
            self.pairs[key] = pair

    def batch(self) -> SourceBatch:
        info, vocab = self.info, self.vocab
        nodes: list[Any] = []
        edges: list[Edge] = []
        diseases: set[str] = set()
        drugs: dict[str, None] = {}
        for pair in self.pairs.values():
            drug_name = vocab.drugs.get(pair.drug) or pair.drug
            disease_name = vocab.diseases[pair.disease]
            pid = ids.prediction_id(pair.drug, pair.disease, MODEL)
            nodes.append(Prediction(
                id=pid, name=f"{drug_name} → {disease_name}", drug_id=pair.drug,
                disease_id=pair.disease, model=MODEL, score=pair.score, rank=pair.rank,
                scores={info.name: pair.score} if pair.score is not None else {},
                unscored=(pair.method in UNSCORED_METHODS) if pair.method else pair.unscored,
                method=pair.method, listed_level=pair.level))
            provenance = (Provenance(source=info.name, version=info.version, line=pair.line),)
            edges.append(Edge(source=pid, target=pair.drug, type=EdgeType.OF_DRUG,
                              provenance=provenance))
            edges.append(Edge(source=pid, target=pair.disease, type=EdgeType.FOR_DISEASE,
                              provenance=provenance))
            drugs[pair.drug] = None
            diseases.add(pair.disease)
        for drug in (*drugs, *(d for d in self.brands if d not in drugs)):
            name = vocab.drugs.get(drug) or next(iter(self.synonyms.get(drug, ())), drug)
            synonyms = [s for s in dict.fromkeys(self.synonyms.get(drug, ()))
                        if ids.name_key(s) != ids.name_key(name)]
            nodes.append(Drug(id=drug, name=name, synonyms=tuple(synonyms),
                              brand_names=tuple(dict.fromkeys(self.brands.get(drug, ())))))
        nodes.extend(Disease(id=d, name=vocab.diseases[d]) for d in sorted(diseases))
        return SourceBatch(source=info, nodes=tuple(nodes), edges=tuple(edges),
                           rejections=tuple(self.rejections))


def reason_category(reason: str) -> str:
    """A refusal reason without its particulars, for counting.

    >>> reason_category("ambiguous disease name: matches MONDO:0009646, MONDO:0031178")
    'ambiguous disease name: matches …'
    """
    text = re.sub(r"(['\"]).*?\1|\b[A-Za-z][\w.]*:\S+", "…", reason)
    text = re.sub(r"\d+", "N", text)
    return re.sub(r"…(,? …)+", "…", text)


_score = attrgetter("score")


def _rank_by_score(pairs: list[_Pair]) -> None:
    """Number each drug's scored pairs 1, 2, … by score, best first; ties keep file order."""
    by_drug: dict[str, list[_Pair]] = defaultdict(list)
    for pair in pairs:
        if pair.score is not None:
            by_drug[pair.drug].append(pair)
    for ranked in by_drug.values():
        # ``pairs`` come in file order and the sort is stable, also when reversed.
        ranked.sort(key=_score, reverse=True)
        for position, pair in enumerate(ranked, start=1):
            pair.rank = position


@collector_paused()
def read_candidates(path: str | Path, vocab: Vocabulary) -> PredictionLoad:
    """Predictions from ``repurposing_candidates_merged.csv``.

    Raises :class:`~graph.errors.ParseError` when the header lacks a column or
    a row has the wrong number of columns; a row whose drug id, disease name,
    method or score cannot be used becomes a Rejection.
    """
    file = Path(path)
    info = source_info(file, name=f"txgnn/{file.name}", kind="txgnn-candidates")
    table = CsvTable.open(file, required=CANDIDATE_COLUMNS)
    pick = itemgetter(*(table.columns[c] for c in CANDIDATE_COLUMNS))
    out = _Collector(info, vocab)
    ingredients: dict[str, set[str]] = defaultdict(set)
    # 32k rows name ~640 drugs and ~4,600 disease names: resolve each distinct value once.
    # (A refusal is not remembered: it raises again, and is rare.)
    drug_id = cache(partial(ids.normalize, source="DRUGBANK"))
    disease_id = cache(vocab.resolve_disease)
    rows = 0
    for line, values in table.rows():
        rows += 1
        _, brand, ingredient, raw_drug, indication, method_raw, raw_score = pick(values)
        try:
            drug = drug_id(raw_drug)
            disease = disease_id(indication)
            method = METHODS.get(method_raw.strip())
            if method is None:
                raise Unresolved(f"unknown prediction source {method_raw!r}")
            score = _unit_score(raw_score)
        except (InvalidId, Unresolved) as why:
            out.refuse(line, ",".join(values), str(why))
            continue
        brand = brand.strip()
        if brand:
            out.brands[drug].append(brand)
        synonym = ingredient.strip()
        if synonym:
            out.synonyms[drug].append(synonym)
            ingredients[ingredient].add(drug)
        out.add(_Pair(line, drug, disease, None if method in UNSCORED_METHODS else score,
                      method), partial(",".join, values))
    _rank_by_score(list(out.pairs.values()))
    batch = out.batch()
    by_key: dict[str, set[str]] = defaultdict(set)
    for ingredient, drugs in ingredients.items():
        by_key[ids.name_key(ingredient)].update(drugs)
    unique = {k: next(iter(v)) for k, v in by_key.items() if len(v) == 1}
    unscored = frozenset(k for k, p in out.pairs.items() if p.method in UNSCORED_METHODS)
    return PredictionLoad(batch, rows, out.reasons, unique, unscored)


def _unit_score(raw: str) -> float:
    try:
        score = float(raw)
    except ValueError:
        raise Unresolved(f"score is not a number: {raw!r}") from None
    if not 0.0 <= score <= 1.0:
        raise Unresolved(f"score out of range 0–1: {raw!r}")
    return score


@collector_paused()
def read_search_index(path: str | Path, vocab: Vocabulary, *,
                      unscored: frozenset[tuple[str, str]] = frozenset()) -> PredictionLoad:
    """Predictions listed by the website's ``search-index.json``.

    ``unscored`` names the (drug, disease) pairs the candidate list marks
    unscored: the site shows their placeholder as 50.00% and lists them first,
    so for them neither that score nor that position is kept.
    """
    file = Path(path)
    info = source_info(file, name=f"txgnn/{file.name}", kind="search-index")
    text = read_text(file)
    document = parse_json(lambda: json.loads(text), file)
    drugs = document.get("drugs") if isinstance(document, dict) else None
    if not isinstance(drugs, list):
        raise ParseError("not a search index: expected an object with a 'drugs' list",
                         path=str(file), line=1)
    lines = _NameLines(text)
    out = _Collector(info, vocab)
    rows = 0
    for entry in drugs:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            out.refuse(None, json.dumps(entry)[:200], "drug entry without a name")
            continue
        drug_name: str = entry["name"]
        drug_line = lines.find(drug_name)
        drug = vocab.resolve_drug(drug_name)
        if drug is not None:
            brands = entry.get("brands") or []
            out.brands[drug].extend(b for b in brands if isinstance(b, str) and b.strip())
            out.synonyms[drug].append(drug_name)
        listed = entry.get("indications") or []
        for position, item in enumerate(listed if isinstance(listed, list) else [], 1):
            rows += 1
            name = item.get("name") if isinstance(item, dict) else None
            line = lines.find(name) if isinstance(name, str) else drug_line
            record = f"{drug_name}: {name if isinstance(name, str) else item!r}"
            try:
                pair = _listed_pair(vocab, drug, drug_name, item, position, line)
            except Unresolved as why:
                out.refuse(line, record, str(why))
                continue
            if (pair.drug, pair.disease) in unscored:
                pair.score, pair.rank, pair.unscored = None, None, True
            out.add(pair, partial(str, record))
    return PredictionLoad(out.batch(), rows, out.reasons)


def _listed_pair(vocab: Vocabulary, drug: str | None, drug_name: str, item: Any,
                 position: int, line: int | None) -> _Pair:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise Unresolved("indication entry without a name")
    name: str = item["name"]
    if _LEAKED_ROW.search(name):
        raise Unresolved("leaked markdown table row, not an indication name")
    if drug is None:
        raise Unresolved(f"drug name not in TxGNN's DrugBank vocabulary: {drug_name!r}")
    disease = vocab.resolve_disease(name)
    percent = item.get("score")
    if isinstance(percent, bool) or not isinstance(percent, int | float) \
            or not 0 <= percent <= 100:
        raise Unresolved(f"score is not a percentage: {percent!r}")
    level = item.get("level")
    return _Pair(line, drug, disease, round(percent / 100, 6), rank=position,
                 level=level if isinstance(level, str) and level.strip() else None)


class _NameLines:
    """Line numbers of successive ``"name": "…"`` values in a JSON text, in document order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cursor = 0
        self.line = 1

    def find(self, value: str) -> int | None:
        for encoded in dict.fromkeys((json.dumps(value), json.dumps(value, ensure_ascii=False))):
            start = self.text.find('"name": ' + encoded, self.cursor)
            if start >= 0:
                self.line += self.text.count("\n", self.cursor, start)
                self.cursor = start
                return self.line
        return None
