"""Trials and publications a report cites: evidence tables and inline mentions.

An *evidence table* is recognised by its header: a trial-id column (``Trial
Number``, ``NCT ID``, ``試驗編號`` …) together with a phase, status or
enrollment column makes a trial table; a ``PMID`` column makes a publication
table. Every other NCT id (``NCT`` + 8 digits) and PMID (PubMed links,
``PMID 123``, ``PMIDs 1, 2 and 3``) anywhere on the page is an inline mention.

Errors: a row of an evidence table whose cell count differs from its header
raises :class:`~graph.errors.ParseError` (the table is broken, its columns
cannot be trusted). A row whose id cell holds a malformed id, or text but no
id, is one bad record: it becomes a :class:`Rejection`. Placeholder rows
(``-``, ``N/A``) are skipped. A malformed ``NCT`` id in prose is rejected too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from pydantic import ValidationError

from graph import ids
from graph.errors import InvalidId, ParseError
from graph.model import ClinicalTrial, Publication
from loaders import report_fields as fields
from loaders.markdown import Document, Table, clean

# Ids not inside a word. Each pattern starts with its literal (the regex engine then skips
# ahead to it, much faster than trying every position) and a lookbehind checks the character
# before it: ``NCT(?<![A-Za-z0-9]NCT)`` is ``(?<![A-Za-z0-9])NCT``, ``PMID(?<!\wPMID)`` is
# ``\bPMID``.
_NCT = re.compile(r"NCT(?<![A-Za-z0-9]NCT)\d{8}(?!\d)", re.IGNORECASE)
_NCT_LIKE = re.compile(r"NCT(?<![A-Za-z0-9]NCT)[ _-]?\d+", re.IGNORECASE)
_PMID_WORD = re.compile(r"PMID(?<!\wPMID)s?\b", re.IGNORECASE)
# A PubMed link: pubmed.ncbi.nlm.nih.gov/<id> (or /?term=<id>), or ncbi.nlm.nih.gov/pubmed/<id>;
# group 1 is the id. The part both spellings share comes first, for the same reason.
_PUBMED_LINK = re.compile(
    r"ncbi\.nlm\.nih\.gov/(?:(?<=pubmed\.ncbi\.nlm\.nih\.gov/)(?:\?term=)?|pubmed/)(\d{1,9})(?!\d)",
    re.IGNORECASE)
_BARE_NUMBER = re.compile(r"(?<![\d.])\d{1,9}(?![\d.])")
# ``\s*(?:[:：#]\s*)?`` rather than ``\s*[:：#]?\s*``, which matches the same but, on a
# long run of spaces with no id after it, backtracks in time quadratic in the run.
_FIRST_PMID = re.compile(r"\s*(?:[:：#]\s*)?\[?(\d{1,9})(?!\d)\]?(?:\([^)\s]*\))?")
_NEXT_PMID = re.compile(
    r"\s*(?:,|，|、|;|；|/|\band\b|&|\bor\b)\s*(?:PMIDs?\s*(?:[:：]\s*)?)?\[?(\d{5,9})(?!\d)\]?"
    r"(?:\([^)\s]*\))?", re.IGNORECASE)


@dataclass(frozen=True)
class Citation:
    """One trial or publication a page cites, and where."""

    node: ClinicalTrial | Publication
    line: int
    mentioned_in: str  # "table" or "text"
    key_finding: str | None = None


@dataclass(frozen=True)
class Problem:
    """A refused record: its line, the line's text and the reason."""

    line: int
    record: str
    reason: str


def pmids_in(text: str) -> list[str]:
    """Raw PMIDs a line names: PubMed links and ``PMID`` mentions, lists included.

    >>> pmids_in("see PMID 31129111, 38562904 and 9869202; [x](https://pubmed.ncbi.nlm.nih.gov/15370258/)")
    ['15370258', '31129111', '38562904', '9869202']
    """
    found = [m.group(1) for m in _PUBMED_LINK.finditer(text)]
    for word in _PMID_WORD.finditer(text):
        first = _FIRST_PMID.match(text, word.end())
        if first is None:
            continue
        found.append(first.group(1))
        position = first.end()
        while (more := _NEXT_PMID.match(text, position)) is not None:
            found.append(more.group(1))
            position = more.end()
    return list(dict.fromkeys(found))


def nct_ids_in(text: str) -> list[str]:
    """NCT ids (``NCT`` + 8 digits) a line names, upper-cased, first-seen order.

    >>> nct_ids_in("trials NCT04827979 and nct05017545 (not NCT123)")
    ['NCT04827979', 'NCT05017545']
    """
    return list(dict.fromkeys(m.group(0).upper() for m in _NCT.finditer(text)))


def table_columns(table: Table) -> Mapping[str, int]:
    """The index of the first column of each kind (:func:`report_fields.column_kind`)."""
    return _header_columns(table.header)


# Cached by header: pages share a few templates, and every table is classified several times.
@lru_cache(maxsize=1024)
def _header_columns(header: tuple[str, ...]) -> Mapping[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        kind = fields.column_kind(name)
        if kind is not None and kind not in found:
            found[kind] = index
    return MappingProxyType(found)  # read-only: the cache shares it


def table_kind(table: Table) -> str | None:
    """``trials``, ``publications``, ``ranks`` or None, from a table's header."""
    return _header_kind(table.header)


@lru_cache(maxsize=1024)
def _header_kind(header: tuple[str, ...]) -> str | None:
    columns = _header_columns(header)
    if "pmid" in columns:
        return "publications"
    if "nct" in columns and {"phase", "status", "enrollment"} & set(columns):
        return "trials"
    if "rank" in columns and "indication" in columns:
        return "ranks"
    return None


def check_width(table: Table, path: str) -> None:
    """Raise ParseError at the first row whose cell count differs from the header."""
    for row in table.rows:
        if len(row.cells) != len(table.header):
            raise ParseError(
                f"table row has {len(row.cells)} cells, its header {len(table.header)}",
                path=path, line=row.line)


def _cell(cells: tuple[str, ...], columns: Mapping[str, int], kind: str) -> str | None:
    index = columns.get(kind)
    if index is None:
        return None
    value = clean(cells[index])
    return None if fields.is_blank(value) else value


def _trial_rows(table: Table, problems: list[Problem], lines: tuple[str, ...]) -> list[Citation]:
    columns = table_columns(table)
    out: list[Citation] = []
    for row in table.rows:
        raw_id = row.cells[columns["nct"]]
        if fields.is_blank(raw_id):
            continue
        record = lines[row.line - 1].strip()
        tokens = list(dict.fromkeys(m.group(0) for m in _NCT_LIKE.finditer(raw_id)))
        if not tokens:
            problems.append(Problem(row.line, record, f"trial row without an NCT id: "
                                                      f"{clean(raw_id)!r}"))
            continue
        phase_raw = _cell(row.cells, columns, "phase")
        status_raw = _cell(row.cells, columns, "status")
        enrollment_raw = _cell(row.cells, columns, "enrollment")
        single = len(tokens) == 1
        for token in tokens:
            try:
                trial = ClinicalTrial(
                    id=ids.nct_id(token), name=_cell(row.cells, columns, "title") or token.upper(),
                    phase=fields.phase(phase_raw) if phase_raw and single else None,
                    phase_raw=phase_raw if single else None,
                    status=fields.trial_status(status_raw) if status_raw and single else None,
                    status_raw=status_raw if single else None,
                    enrollment=fields.leading_int(enrollment_raw)
                    if enrollment_raw and single else None,
                    enrollment_raw=enrollment_raw if single else None)
            except (InvalidId, ValidationError) as error:
                problems.append(Problem(row.line, record, _reason(error, token)))
                continue
            out.append(Citation(trial, row.line, "table",
                                _cell(row.cells, columns, "key_finding")))
    return out


def _publication_rows(table: Table, problems: list[Problem],
                      lines: tuple[str, ...]) -> list[Citation]:
    columns = table_columns(table)
    out: list[Citation] = []
    for row in table.rows:
        raw_id = row.cells[columns["pmid"]]
        if fields.is_blank(raw_id):
            continue
        record = lines[row.line - 1].strip()
        numbers = pmids_in(raw_id) or _BARE_NUMBER.findall(clean(raw_id))
        if not numbers:
            problems.append(Problem(row.line, record, f"publication row without a PMID: "
                                                      f"{clean(raw_id)!r}"))
            continue
        single = len(numbers) == 1
        year_raw = _cell(row.cells, columns, "year")
        for number in dict.fromkeys(numbers):
            try:
                publication = Publication(
                    id=ids.pmid(number),
                    name=(_cell(row.cells, columns, "title") if single else None)
                    or f"PMID {number}",
                    year=fields.year(year_raw) if year_raw and single else None,
                    publication_type=_cell(row.cells, columns, "publication_type")
                    if single else None,
                    journal=_cell(row.cells, columns, "journal") if single else None)
            except (InvalidId, ValidationError) as error:
                problems.append(Problem(row.line, record, _reason(error, number)))
                continue
            out.append(Citation(publication, row.line, "table",
                                _cell(row.cells, columns, "key_finding")))
    return out


def _reason(error: Exception, token: str) -> str:
    if isinstance(error, InvalidId):
        return str(error)
    return f"invalid record for {token!r}: {error.errors()[0]['msg']}" \
        if isinstance(error, ValidationError) else str(error)


def table_citations(doc: Document, path: str, problems: list[Problem]) -> list[Citation]:
    """Citations from every evidence table of a page, in page order."""
    out: list[Citation] = []
    for table in doc.tables:
        kind = table_kind(table)
        if kind == "trials":
            check_width(table, path)
            out.extend(_trial_rows(table, problems, doc.lines))
        elif kind == "publications":
            check_width(table, path)
            out.extend(_publication_rows(table, problems, doc.lines))
    return out


_CITATION_WORDS = (b"nct", b"pmid", b"pubmed")


def _candidate_lines(doc: Document) -> list[int]:
    """Line numbers (1-based) that may mention an NCT id or a PMID.

    Every id :func:`text_citations` finds is on a line holding ``nct``,
    ``pmid`` or ``pubmed`` in ASCII letters of any case (its NCT patterns match
    ASCII ``nct`` only; its PMID branch needs ``pmid`` or ``pubmed`` in the
    line's lower case, which only ASCII letters give). One pass over the page's
    ASCII characters, lower-cased: a line that only qualifies once its other
    characters are dropped is let through and yields nothing.
    """
    text = "\n".join(doc.lines).encode("ascii", "ignore").lower()
    found: set[int] = set()
    for word in _CITATION_WORDS:
        number, counted = 1, 0  # line `number` starts at or before offset `counted`
        position = text.find(word)
        while position >= 0:
            number += text.count(b"\n", counted, position)
            found.add(number)
            counted = text.find(b"\n", position)  # the rest of this line needs no search
            if counted < 0:
                break
            position = text.find(word, counted)
    return sorted(found)


def text_citations(doc: Document, problems: list[Problem], skip_lines: Iterable[int] = (), *,
                   known: Mapping[str, ClinicalTrial | Publication] | None = None
                   ) -> list[Citation]:
    """Citations mentioned anywhere else on the page (prose, links, other tables).

    The id cells of evidence-table rows are already citations; ``skip_lines``
    are lines not to scan at all (none by default). ``known`` maps ids to the
    nodes made for them already (the evidence tables'): a mention of one of
    those ids cites that node instead of a new one.
    """
    skipped = set(skip_lines)
    refused = {problem.line for problem in problems}  # a row refused already is not refused twice
    out: list[Citation] = []
    nodes = dict(known or {})  # one node per id, however often the page mentions it
    for number in _candidate_lines(doc):
        if number in skipped or number < doc.body_start:
            continue
        text = doc.lines[number - 1]
        if "NCT" in text.upper():
            # One scan: the NCT ids (nct_ids_in) are the NCT-like tokens of the right form.
            tokens = [match.group(0) for match in _NCT_LIKE.finditer(text)]
            for token in dict.fromkeys(t.upper() for t in tokens if _NCT.fullmatch(t)):
                trial_id = ids.nct_id(token)
                if trial_id not in nodes:
                    nodes[trial_id] = ClinicalTrial(id=trial_id, name=token)
                out.append(Citation(nodes[trial_id], number, "text"))
            for token in tokens:
                if number not in refused and not _NCT.fullmatch(token):
                    problems.append(Problem(number, text.strip(),
                                            f"malformed NCT id {token!r} in text: expected NCT "
                                            f"followed by 8 digits"))
        lowered = text.lower()
        if "pmid" in lowered or "pubmed" in lowered:
            for number_text in pmids_in(text):
                try:
                    curie = ids.pmid(number_text)
                except InvalidId as error:
                    problems.append(Problem(number, text.strip(), str(error)))
                    continue
                if curie not in nodes:
                    nodes[curie] = Publication(id=curie, name=f"PMID {number_text}")
                out.append(Citation(nodes[curie], number, "text"))
    return out
