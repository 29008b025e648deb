"""Reading the parts of a report page: Quick Overview facts, prose, conclusion, rank tables.

Every part is found by meaning (see :mod:`loaders.report_fields`): the Quick
Overview is the section so titled (English or Chinese, numbered or not); in a
template without one, any ``Item | Content`` table, then ``**Key:** value``
lines, stand in for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders import report_fields as fields
from loaders.markdown import Document, Heading, Table, clean
from loaders.report_evidence import check_width, table_columns, table_kind


@dataclass(frozen=True)
class Fact:
    """One Quick Overview row: its name, its value as written, its line."""

    key: str
    raw: str
    line: int


@dataclass
class Facts:
    """The Quick Overview rows of a page, by what they hold (first row of a kind wins)."""

    by_kind: dict[str, Fact] = field(default_factory=dict)

    def add(self, kind: str | None, fact: Fact) -> None:
        if kind is not None and kind not in self.by_kind:
            self.by_kind[kind] = fact

    def raw(self, kind: str) -> str | None:
        """The value as written (markup kept), or None when absent."""
        fact = self.by_kind.get(kind)
        return fact.raw if fact else None

    def value(self, kind: str) -> str | None:
        """The value without markup, or None when absent or a placeholder."""
        fact = self.by_kind.get(kind)
        if fact is None or fields.is_blank(fact.raw):
            return None
        return clean(fact.raw)

    def key(self, kind: str) -> str | None:
        fact = self.by_kind.get(kind)
        return fact.key if fact else None

    def line(self, kind: str) -> int | None:
        fact = self.by_kind.get(kind)
        return fact.line if fact else None


def section(doc: Document, kind: str) -> Heading | None:
    """The first section of a kind (``summary``, ``safety`` …), or None."""
    return next((h for h in doc.headings
                 if h.level > 1 and fields.section_kind(h.title) == kind), None)


_KEY_HEADER = re.compile(r"^(item|field|key|parameter|attribute|項目|欄位)$", re.IGNORECASE)


def _key_value_tables(doc: Document, headings: list[Heading]) -> list[Table]:
    if headings:
        tables = [t for h in headings for t in doc.tables_in(h)]
    else:  # no Quick Overview: any two-column Item | Content table stands in
        tables = [t for t in doc.tables
                  if len(t.header) == 2 and _KEY_HEADER.match(t.header[0])]
    return [t for t in tables if len(t.header) >= 2 and table_kind(t) is None]


_BOLD_FACT = re.compile(r"^\s*(?:[-*+]\s+)?\*\*([^*:：]{2,60}?)\s*[:：]?\s*\*\*\s*[:：]?\s*(\S.*)$")


def overview_facts(doc: Document, path: str) -> Facts:
    """The page's Quick Overview rows, classified by :func:`report_fields.overview_key`.

    Raises ParseError for a row whose cell count differs from its table's header.
    """
    facts = Facts()
    headings = [h for h in doc.headings if fields.section_kind(h.title) == "overview"]
    tables = _key_value_tables(doc, headings)
    for table in tables:
        check_width(table, path)
        for row in table.rows:
            key, value = row.cells[0], row.cells[1]
            facts.add(fields.overview_key(key), Fact(clean(key), value.strip(), row.line))
    if not tables:
        for number in range(doc.body_start, len(doc.lines) + 1):
            if number in doc.table_lines or number in doc.code_lines:
                continue
            match = _BOLD_FACT.match(doc.lines[number - 1])
            if match:
                key, value = match.group(1), match.group(2).strip()
                facts.add(fields.overview_key(key), Fact(clean(key), value, number))
    return facts


_RULE = re.compile(r"[-*_=]{3,}|</?div[^>]*>")
_RULE_START = ("-", "*", "_", "=", "<")  # what a _RULE line starts with
_LEADER = re.compile(r"^(?:#{1,6}\s+|>\s?)")


def _prose_lines(doc: Document, heading: Heading) -> list[str]:
    lines = []
    for _, text in doc.section_text(heading):
        stripped = text.strip()
        if stripped.startswith(_RULE_START) and _RULE.fullmatch(stripped):
            stripped = ""
        if stripped.startswith(("#", ">")):
            stripped = _LEADER.sub("", stripped)
        lines.append(clean(stripped))
    return lines


def prose(doc: Document, heading: Heading | None) -> str | None:
    """A section's text without markup: lines joined, paragraphs separated by a blank line."""
    if heading is None:
        return None
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*_prose_lines(doc, heading), ""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return "\n\n".join(paragraphs) or None


@dataclass(frozen=True)
class Conclusion:
    """What a Conclusion section states: the decision, its rationale and next steps."""

    decision_raw: str | None = None
    rationale: str | None = None
    next_steps: tuple[str, ...] = ()


_DECISION_LINE = re.compile(r"^(?:recommended\s+)?(?:decision|決策|建議決策)\s*[:：]\s*(\S.*)$",
                            re.IGNORECASE)
_RATIONALE_LINE = re.compile(r"^(?:rationale|理由)\s*[:：]\s*(.*)$", re.IGNORECASE)
_STEPS_LINE = re.compile(r"(to proceed|next steps|would be needed|is needed|are needed|若要推進|"
                         r"下一步|需要[:：]?$)", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+(.*\S)")
_LABEL = re.compile(r"^[^:：]{1,60}[:：]\s*$")
_RULE_LINE = re.compile(r"^[-*_]{3,}$")


def conclusion_facts(doc: Document) -> Conclusion:
    """Decision, rationale and the "To proceed" list from the Conclusion section.

    Pages without a Conclusion section are searched whole.
    """
    heading = section(doc, "conclusion")
    if heading is not None:
        numbered = [(n, t) for n, t in doc.section_text(heading)]
    else:
        numbered = [(n, doc.lines[n - 1]) for n in range(doc.body_start, len(doc.lines) + 1)
                    if n not in doc.table_lines and n not in doc.code_lines]
    raw_lines = [t for _, t in numbered]
    lines = [clean(t) for t in raw_lines]
    decision_raw = next((m.group(1).strip() for t in lines if (m := _DECISION_LINE.match(t))),
                        None)
    rationale: str | None = None
    for index, text in enumerate(lines):
        match = _RATIONALE_LINE.match(text)
        if match is None:
            continue
        parts = [match.group(1).strip()] if match.group(1).strip() else []
        for following in lines[index + 1:]:
            if (_BULLET.match(following) or _LABEL.match(following)
                    or _STEPS_LINE.search(following) or _RULE_LINE.match(following)):
                break
            if not following and parts:
                break
            if following:
                parts.append(following)
        rationale = " ".join(parts) or None
        break
    steps: list[str] = []
    for index, text in enumerate(lines):
        if not (len(text) < 120 and _STEPS_LINE.search(text)):
            continue
        for raw in raw_lines[index + 1:]:
            bullet = _BULLET.match(raw)
            if bullet:
                steps.append(clean(bullet.group(1)))
            elif raw.strip():
                break
        if steps:
            break
    return Conclusion(decision_raw, rationale, tuple(s for s in steps if s))


@dataclass(frozen=True)
class RankRow:
    """One row of a rank table (``| Rank | Indication | Score | … |``), values as written."""

    line: int
    indication_raw: str
    rank_raw: str | None
    score_raw: str | None
    evidence_level_raw: str | None
    decision_raw: str | None
    method: str | None


def _column(table: Table, kind: str) -> int | None:
    return table_columns(table).get(kind)


def _get(cells: tuple[str, ...], index: int | None) -> str | None:
    if index is None:
        return None
    value = cells[index].strip()
    return None if fields.is_blank(value) else value


def rank_rows(doc: Document, path: str) -> list[RankRow]:
    """Rows of every rank table on the page, with evidence levels a separate
    ``| Indication | Level | … |`` table gives for the same indication filled in.

    Raises ParseError for a row whose cell count differs from its header.
    """
    levels: dict[str, str] = {}
    rows: list[RankRow] = []
    for table in doc.tables:
        kind = table_kind(table)
        indication = _column(table, "indication")
        level = _column(table, "evidence_level")
        if kind is None and indication is not None and level is not None:
            check_width(table, path)
            for row in table.rows:
                value = _get(row.cells, level)
                if value:
                    levels.setdefault(_name_key(row.cells[indication]), value)
        if kind != "ranks" or indication is None:
            continue
        check_width(table, path)
        columns = {k: _column(table, k) for k in
                   ("rank", "score", "evidence_level", "decision", "source")}
        for row in table.rows:
            name = row.cells[indication].strip()
            if fields.is_blank(name):
                continue
            rows.append(RankRow(row.line, name, _get(row.cells, columns["rank"]),
                                _get(row.cells, columns["score"]),
                                _get(row.cells, columns["evidence_level"]),
                                _get(row.cells, columns["decision"]),
                                _get(row.cells, columns["source"])))
    return [r if r.evidence_level_raw or _name_key(r.indication_raw) not in levels else
            RankRow(r.line, r.indication_raw, r.rank_raw, r.score_raw,
                    levels[_name_key(r.indication_raw)], r.decision_raw, r.method)
            for r in rows]


def _name_key(text: str) -> str:
    return clean(text).casefold()  # clean() collapses and strips whitespace already
