"""Evidence reports in, model objects out: one page becomes one :class:`SourceBatch`.

Reads the pharmacist report pages (Jekyll markdown, English or Traditional
Chinese, and the seed's plain-text rendering) and the generated
prediction-list pages (``| Rank | Indication | Score | Source |``). Sections,
Quick Overview rows and table columns are recognised by meaning — their titles
and headers, English and Chinese (see :mod:`loaders.report_fields`) — never by
position, so numbered and unseen templates load too.

A pharmacist page gives a Drug, the predicted Disease and a Prediction
(score, evidence level from the Quick Overview row — the page header's level
is unreliable —, decision, market status, authorizations, summary, rationale,
safety, next steps, data gaps; raw values kept beside normalised ones), the
trials and publications of its evidence tables, and every NCT id or PMID it
mentions anywhere, linked ``SUPPORTED_BY`` with ``key_finding`` and
``mentioned_in`` (``table`` or ``text``). Rank tables on the page add further
Predictions (rank, score, level, decision). A prediction-list page gives one
Drug and a Disease and a Prediction per rank row.

Errors — the loader raises nothing but :class:`~graph.errors.ParseError`:

* ParseError (path and line): an unreadable or non-UTF-8 file, a page that is
  not a report at all (no report title, Quick Overview or evidence section, and
  no rank table), a page with no title, and a broken table the loader reads (a
  row of the Quick Overview, an evidence table or a rank table whose cell
  count differs from its header).
* Rejection (line and reason), the rest of the page still loads: an
  evidence-table row whose id is malformed or missing, a malformed NCT id in
  prose, a page that names no predicted indication (its drug and cited
  evidence still load, unlinked), a citation that cannot be linked.

>>> batch = read_report_text("# Aspirin: From Pain to Migraine\\n\\n## Quick Overview\\n\\n"
...     "| Item | Content |\\n|---|---|\\n| TxGNN Prediction Score | 91.50% |\\n"
...     "| Evidence Level | **L2** |\\n\\nSee PMID 12345678.\\n", source_name="demo.md")
>>> prediction = next(n for n in batch.nodes if n.kind == "Prediction")
>>> prediction.score, prediction.evidence_level, prediction.evidence_level_raw
(0.915, 'L2', '**L2**')
>>> [(e.target, e.properties["mentioned_in"]) for e in batch.edges if e.type == "SUPPORTED_BY"]
[('PMID:12345678', 'text')]
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.errors import ParseError
from graph.model import SourceBatch
from loaders import report_fields as fields
from loaders.markdown import Document, Table, parse_markdown, parse_plain
from loaders.report_build import PageBuilder
from loaders.report_evidence import table_kind
from loaders.report_page import (
    conclusion_facts,
    overview_facts,
    prose,
    rank_rows,
    section,
)

__all__ = ["iter_report_paths", "read_report", "read_report_text", "read_reports"]

REPORT_SUFFIXES = (".md", ".markdown", ".txt")
#: The largest page read. Real report pages are 2–25 KB; a page of megabytes is not one,
#: and parsing a million-row table in it would take seconds (found by fuzzing).
MAX_REPORT_CHARACTERS = 1 << 20


def read_report(path: Path | str, *, source_name: str | None = None) -> SourceBatch:
    """Read one report page (markdown or the plain-text rendering).

    ``source_name`` defaults to the path as given; the batch's version is the
    SHA-256 of the file's bytes. Nodes come in a fixed order: the drug first,
    then on a pharmacist page the report's own prediction before any from rank
    tables.

    Raises
    ------
    ParseError
        The file cannot be read, is not UTF-8 text, is not a report, or holds a
        broken table; the message names the file and line.
    """
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ParseError(f"cannot read file: {error.strerror or error}", path=name) from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ParseError("not UTF-8 text", path=name, line=line) from error
    return _read(text, path=name, source_name=source_name or name,
                 version=hashlib.sha256(data).hexdigest())


def read_report_text(text: str, *, source_name: str, path: str | None = None) -> SourceBatch:
    """Read a report page given as text (``path`` defaults to ``source_name``)."""
    return _read(text, path=path or source_name, source_name=source_name,
                 version=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())


def iter_report_paths(paths: Iterable[Path | str]) -> Iterator[Path]:
    """The report files among ``paths``: files as given, directories searched
    recursively for ``.md`` / ``.txt`` files, in sorted order.

    Raises ParseError for a path that does not exist and for a folder without any.
    """
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)
            if not found:
                raise ParseError("no report files (.md, .txt) in this folder", path=str(item))
            yield from found
        elif path.exists():
            yield path
        else:
            raise ParseError("no such file or directory", path=str(item))


def read_reports(paths: Iterable[Path | str]) -> Iterator[SourceBatch]:
    """Read every report under ``paths`` (see :func:`iter_report_paths`), one batch each."""
    for path in iter_report_paths(paths):
        yield read_report(path)


def _read(text: str, *, path: str, source_name: str, version: str) -> SourceBatch:
    if len(text) > MAX_REPORT_CHARACTERS:
        raise ParseError(f"not a report page: {len(text):,} characters (report pages are "
                         f"under {MAX_REPORT_CHARACTERS:,})", path=path)
    if "\x00" in text:
        raise ParseError("binary file, not a report", path=path, line=text.count("\n", 0,
                                                                           text.index("\x00")) + 1)
    if _looks_like_markdown(text):
        doc = parse_markdown(text)
    else:
        doc = parse_plain(text, fields.plain_heading_level)
    builder = PageBuilder(doc, path=path, source_name=source_name, version=version)
    if _is_pharmacist_page(doc):
        _pharmacist_page(doc, builder, path)
    elif any(_rank_tables(doc)):
        _prediction_list_page(doc, builder, path)
    else:
        raise ParseError("not an evidence report: no report title, Quick Overview, evidence "
                         "section or prediction table", path=path, line=1)
    return builder.batch(kind="report")


_ATX_HEADING = re.compile(r"(?m)^ {0,3}#{1,6}\s+\S")
# "DG" + 3 digits, not inside a word. The literal comes first so the regex engine can skip
# straight to each "DG"; the lookbehind then checks the character before it.
_DATA_GAP = re.compile(r"DG(?<![A-Za-z0-9]DG)\d{3}(?!\d)")
_APPROVED = re.compile(r"approved indication|核准適應症", re.I)
_BRAND_SEPARATOR = re.compile(r"[,;、]")


def _looks_like_markdown(text: str) -> bool:
    return _ATX_HEADING.search(text[:200_000]) is not None


def _data_gaps(doc: Document) -> tuple[str, ...]:
    """The data-gap codes (``DG001`` …) a page names, first-seen order."""
    return tuple(dict.fromkeys(_DATA_GAP.findall("\n".join(doc.lines))))


_REPORT_SECTIONS = {"overview", "summary", "rationale", "trials", "literature", "conclusion",
                    "pharmacist", "safety"}


def _is_pharmacist_page(doc: Document) -> bool:
    if any(fields.report_title(h.title) for h in doc.headings if h.level == 1):
        return True
    kinds = {fields.section_kind(h.title) for h in doc.headings}
    if "pharmacist" in kinds:
        return True
    # A prediction-list page has a Quick Overview too, but no prose report sections.
    return bool(kinds & (_REPORT_SECTIONS - {"overview"})) and not any(_rank_tables(doc))


def _rank_tables(doc: Document) -> Iterator[Table]:
    return (t for t in doc.tables if table_kind(t) == "ranks")


def _drug_name(doc: Document, path: str) -> str:
    for heading in doc.headings:
        if heading.level == 1 and heading.title:
            parts = fields.report_title(heading.title)
            return parts[0] if parts else heading.title
    title = doc.front_matter.get("title", "").strip()
    if title:
        return title
    raise ParseError("page has no title naming the drug", path=path, line=1)


def _pharmacist_page(doc: Document, builder: PageBuilder, path: str) -> None:
    facts = overview_facts(doc, path)
    if not facts.by_kind and not any(fields.report_title(h.title) for h in doc.headings):
        # Sections with report-like names, but neither a Quick Overview nor a title
        # "Drug: From A to B": some other document (a README, notes), not a report.
        raise ParseError("not an evidence report: no Quick Overview table and no report "
                         "title (Drug: From … to …)", path=path, line=1)
    drug_name = facts.value("drug_name") or _drug_name(doc, path)
    builder.set_drug(drug_name, drugbank=facts.value("drugbank"))
    body_title = next((fields.report_title(h.title) for h in doc.headings
                       if h.level == 1 and fields.report_title(h.title)), None)
    conclusion = conclusion_facts(doc)
    indication = facts.raw("predicted_indication")
    indication_line = facts.line("predicted_indication")
    if indication is None and body_title is not None:
        indication = body_title[2]
        indication_line = next(h.line for h in doc.headings
                               if h.level == 1 and fields.report_title(h.title))
    decision_raw = facts.raw("decision") or conclusion.decision_raw
    level_raw = facts.raw("evidence_level")
    score_raw = facts.raw("score")
    original = facts.value("original_indication") or (body_title[1] if body_title else None)
    builder.set_main_prediction(
        indication, line=indication_line or 1,
        score_raw=score_raw,
        evidence_level_raw=level_raw,
        decision_raw=decision_raw,
        market_status_raw=facts.raw("market_status"),
        market_region=fields.market_region(facts.key("market_status") or ""),
        authorizations_raw=facts.raw("authorizations"),
        original_indication=original,
        summary=prose(doc, section(doc, "summary")),
        rationale=prose(doc, section(doc, "rationale")),
        decision_rationale=conclusion.rationale,
        safety=prose(doc, section(doc, "safety")),
        next_steps=conclusion.next_steps,
        data_gaps=_data_gaps(doc),
    )
    for row in rank_rows(doc, path):
        builder.add_ranked_prediction(row)
    builder.add_citations()


def _prediction_list_page(doc: Document, builder: PageBuilder, path: str) -> None:
    facts = overview_facts(doc, path)
    drug_name = facts.value("drug_name") or _drug_name(doc, path)
    brands = facts.value("brand_names")
    approved = prose(doc, next((h for h in doc.headings
                                if _APPROVED.search(h.title)),
                               None))
    builder.set_drug(drug_name, drugbank=facts.value("drugbank"),
                     brand_names=tuple(b.strip() for b in _BRAND_SEPARATOR.split(brands or "")
                                       if b.strip() and not fields.is_blank(b)),
                     approved_indications=(approved,) if approved else ())
    for row in rank_rows(doc, path):
        builder.add_ranked_prediction(row)
    builder.add_citations()
