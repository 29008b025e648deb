"""The vocabulary of evidence reports: what a title, a row name or a column means.

Reports come in English and Traditional Chinese and in several templates, so
every section, Quick Overview row and table column is recognised by what its
name says, never by where it sits. Values are normalised here, and the raw
value is always kept beside the normalised one by the caller.

>>> section_kind("Why Is This Prediction Reasonable?"), section_kind("1. Executive Summary")
('rationale', 'summary')
>>> overview_key("Number of Authorizations (Taiwan)"), overview_key("台灣上市狀態")
('authorizations', 'market_status')
>>> evidence_level("**L5** (僅預測)"), evidence_level("Below L5 (no data)")
('L5', None)
>>> decision("Hold (Ranks 1–4) / Research Question (Ranks 5–10)")
'Hold'
>>> phase("Phase III"), trial_status("ACTIVE_NOT_RECRUITING")
('Phase 3', 'Active, not recruiting')
>>> percent_score("97.03%"), leading_int("20 張"), market_status("✗ Not marketed (未上市)")
(0.9703, 20, 'Not marketed')
"""

from __future__ import annotations

import re
from functools import lru_cache

from loaders.markdown import clean, strip_numbering

# --- sections -------------------------------------------------------------------------------

_SECTIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("toc", r"^(目錄|table of contents|contents)$"),
        ("pharmacist", r"^藥師評估報告"),
        ("disclaimer", r"^(disclaimer|免責聲明)"),
        ("summary", r"^(one[- ]sentence summary|executive summary|summary$|一句話總結|摘要|"
                    r"總結$|bottom line)"),
        ("overview", r"^(quick overview|快速總覽|overview$|at a glance|key facts|總覽$|概覽$)"),
        ("rationale", r"^(why\b|為什麼|為何|mechanis|biological rationale|rationale|"
                      r"機轉|作用機轉|預測合理性)"),
        ("trials", r"^(clinical trials?\b|clinical evidence|臨床試驗|臨床證據)"),
        ("literature", r"^(literature|publications?\b|references?\b|文獻|相關文獻)"),
        ("safety", r"^(safety|安全性)"),
        ("conclusion", r"^(conclusion|recommendation|next steps|結論|建議與下一步)"),
        ("market", r"(market (information|status|authori[sz]ation)|regulatory|上市資訊|"
                   r"上市狀態|上市情形|上市製劑|核准適應症)"),
        ("cytotoxicity", r"^(cytotoxicity|細胞毒性)"),
    )
)


@lru_cache(maxsize=8192)
def section_kind(title: str) -> str | None:
    """What a section is about, from its title (numbering and markup ignored)."""
    text = strip_numbering(clean(title)).strip()
    for kind, pattern in _SECTIONS:
        if pattern.search(text):
            return kind
    return None


def plain_heading_level(line: str) -> int | None:
    """Heading level of a bare line in a plain-text rendering, or None for prose.

    A bare line is a heading when its wording names a known section and it
    reads like a title (short, not a sentence, not a ``Key: value`` line).

    >>> plain_heading_level("Quick Overview"), plain_heading_level("Decision: Hold")
    (2, None)
    >>> plain_heading_level("Belatacept: From Kidney Transplant to Myeloma")
    1
    """
    text = line.strip()
    if report_title(text) is not None:
        return 1
    if len(text) > 90 or text.endswith((".", "。", ":", "：", ",", "，", ";")):
        return None
    if re.match(r"^[^:：?？]{1,40}[:：]\s*\S", text):  # "Decision: Hold"
        return None
    return 2 if section_kind(text) is not None else None


_TITLE = re.compile(r"^(?P<drug>.+?)\s*[:：]\s*(?:from\s+(?P<orig>.+?)\s+to\s+(?P<new>.+)|"
                    r"從\s*(?P<orig_zh>.+?)\s*到\s*(?P<new_zh>.+))$", re.IGNORECASE)


def report_title(text: str) -> tuple[str, str, str] | None:
    """``(drug, original indication, predicted indication)`` from a report's title.

    >>> report_title("Belatacept: From Kidney Transplant Rejection to Plasma Cell Myeloma")
    ('Belatacept', 'Kidney Transplant Rejection', 'Plasma Cell Myeloma')
    >>> report_title("Acyclovir：從帶狀疱疹到點狀上皮角結膜炎")
    ('Acyclovir', '帶狀疱疹', '點狀上皮角結膜炎')
    """
    match = _TITLE.match(clean(text))
    if match is None:
        return None
    orig = match.group("orig") or match.group("orig_zh")
    new = match.group("new") or match.group("new_zh")
    return match.group("drug").strip(), orig.strip(), new.strip()


# --- Quick Overview rows --------------------------------------------------------------------

_OVERVIEW_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("count", r"(indications?|適應症)\s*(數量|數|count)|number of (predicted )?indications|"
                  r"predicted indications$|trials?\s*(數|count)|文獻數|臨床試驗數"),
        ("original_indication", r"original|approved indication|原.*適應症|核准適應症"),
        ("drugbank", r"drugbank"),
        ("predicted_indication", r"(predict|top|actionable|featured|best|primary|預測|最|主要|潛力|"
                                 r"再利用).*(indication|prediction|適應症|方向)$"),
        ("score", r"score|分數"),
        ("evidence_level", r"evidence level|證據等級"),
        ("decision", r"decision|決策"),
        ("authorizations", r"(number of|no\.? of|#)\s*.*(authori[sz]ations?|ndas?|dins?|"
                           r"artg|licen[cs]es?|registrations?)|許可證數|authori[sz]ations$"),
        ("market_status", r"market|上市|registration status"),
        ("drug_name", r"^(drug name|drug|藥物名稱|藥品名稱|藥物學名|藥品學名)$"),
        ("brand_names", r"brand|商品名|品牌名"),
    )
)


def _key_text(key: str) -> str:
    # No "(" inside a note: with it, a run of "(" and no ")" made each "(" scan to the end of
    # the key, in time quadratic in the run.
    text = re.sub(r"\([^()]*\)|（[^（）]*）", " ", clean(key))
    return re.split(r"\s+[—–-]\s+", text)[0].strip()


@lru_cache(maxsize=8192)
def overview_key(key: str) -> str | None:
    """What a Quick Overview row holds, from its name (notes in brackets ignored).

    >>> overview_key("TxGNN Score — Top Prediction"), overview_key("最高預測分數適應症")
    ('score', 'predicted_indication')
    """
    text = _key_text(key)
    for kind, pattern in _OVERVIEW_KEYS:
        if pattern.search(text):
            return kind
    return None


_REGIONS = (("Taiwan", r"taiwan|\btw\b|台灣|tfda"), ("EU", r"\beu\b|\bema\b|europe|歐盟"),
            ("US", r"\bus\b|\bfda\b|united states|美國"), ("UK", r"\buk\b|mhra|英國"),
            ("Canada", r"canada|加拿大"), ("Australia", r"australia|\btga\b|澳洲"))


@lru_cache(maxsize=8192)
def market_region(key: str) -> str | None:
    """The market a row name speaks of: ``Taiwan``, ``EU``, ``US``, …, joined by ``/``.

    >>> market_region("EU/TW Market Status"), market_region("Market Status")
    ('Taiwan/EU', None)
    """
    text = clean(key).lower()
    found = [name for name, pattern in _REGIONS if re.search(pattern, text)]
    return "/".join(found) or None


# --- evidence-table columns -----------------------------------------------------------------

_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("pmid", r"^(pmid|pubmed( id)?|pmid\s*/.*)$"),
        ("nct", r"^(trial( number| no\.?| id)?|nct( id| number| 編號)?|試驗\s*(編號|id)|"
                r"registry id|study id|nct 編號)$"),
        ("rank", r"^(rank|排名|#|no\.?)$"),
        ("indication", r"^(indication|disease|predicted indication|預測適應症|適應症|疾病|"
                       r"疾病名稱|predicted new indication)$"),
        ("score", r"score|分數"),
        ("evidence_level", r"^(evidence level|level|證據等級|evidence)$"),
        ("decision", r"^(decision|recommendation|建議決策|決策|建議)$"),
        ("source", r"^(source)$"),
        ("phase", r"^(phase|階段|期別|試驗階段)$"),
        ("status", r"^(status|狀態|recruitment status)$"),
        ("enrollment", r"^(enrollment|enrolment|n|sample size|participants|人數|收案人數|收案數|"
                       r"入組人數|受試者數|收案|樣本數)$"),
        ("year", r"^(year|年份|發表年份|publication year)$"),
        ("publication_type",
         r"^(type|study type|design|研究類型|類型|設計|研究設計|article type)$"),
        ("journal", r"^(journal|期刊|source journal)$"),
        ("title", r"^(title|標題|試驗名稱|標題摘要|study title|標題重點)$"),
        ("key_finding", r"key finding|main finding|finding|summary|result|relevance|conclusion|"
                        r"發現|結果|相關性|關聯性|說明|內容|結論|重點"),
    )
)


@lru_cache(maxsize=8192)
def column_kind(header: str) -> str | None:
    """What a table column holds, from its header."""
    text = clean(header).strip()
    for kind, pattern in _COLUMNS:
        if pattern.search(text):
            return kind
    return None


# --- values ---------------------------------------------------------------------------------

_NONE = re.compile(r"^(n/?a|na|none|nil|null|unknown|無|不適用|待評估|未知|[-—–−]+|\?)$",
                   re.IGNORECASE)


@lru_cache(maxsize=8192)
def is_blank(value: str) -> bool:
    """True for empty cells and placeholders (``—``, ``N/A``, ``無``).

    >>> is_blank(" — "), is_blank("NA"), is_blank("L3")
    (True, True, False)
    """
    text = clean(value).strip()
    return not text or bool(_NONE.match(text))


_LEVEL = re.compile(r"(?<![A-Za-z0-9])L\s?([1-5])(?![0-9])")
_BELOW_LEVELS = re.compile(r"^\s*(below|<|under|低於)", re.IGNORECASE)


def evidence_level(raw: str) -> str | None:
    """``L1``…``L5`` from an evidence-level cell, or None when it states no level."""
    text = clean(raw)
    if is_blank(text) or _BELOW_LEVELS.match(text):
        return None
    match = _LEVEL.search(text)
    return f"L{match.group(1)}" if match else None


_DECISIONS: tuple[tuple[str, str], ...] = (
    ("proceed with guardrails", "Proceed with Guardrails"),
    ("proceed with caution", "Proceed with Caution"),
    ("research question", "Research Question"),
    ("not recommended", "Not Recommended"),
    ("worth exploring", "Explore"),
    ("hold", "Hold"),
    ("go", "Go"),
    ("explore", "Explore"),
    ("consider", "Consider"),
    ("proceed", "Proceed"),
    ("watch", "Watch"),
    ("validate", "Validate"),
    ("研究問題", "Research Question"),
    ("可進一步探索", "Explore"),
    ("暫緩", "Hold"),
    ("不建議", "Not Recommended"),
)
_DECISION = re.compile(
    "|".join(f"(?<![A-Za-z]){re.escape(k)}(?![A-Za-z])" for k, _ in _DECISIONS), re.IGNORECASE)
_DECISION_NAMES = {k: v for k, v in _DECISIONS}


def decision(raw: str) -> str | None:
    """The first recommended decision a value names, in canonical spelling."""
    match = _DECISION.search(clean(raw))
    return _DECISION_NAMES[match.group(0).lower()] if match else None


_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
_PHASE = re.compile(r"(early\s+)?phase\s*((?:iv|i{1,3}|[0-4])[ab]?(?:\s*/\s*(?:iv|i{1,3}|[0-4])"
                    r"[ab]?)*)(?![A-Za-z0-9])", re.IGNORECASE)
_PHASE_NUMBER = re.compile(r"(iv|i{1,3}|[0-4])([ab]?)$", re.IGNORECASE)


def phase(raw: str) -> str | None:
    """A trial phase as ``Phase 1``…``Phase 4`` (``Phase 1/2``, ``Early Phase 1``), or ``N/A``.

    >>> phase("Phase I/II"), phase("PHASE2"), phase("NA"), phase("Phase 1b/2")
    ('Phase 1/2', 'Phase 2', 'N/A', 'Phase 1b/2')
    """
    text = clean(raw)
    if is_blank(text) or text.lower().startswith(("n/a", "na ", "不適用")):
        return "N/A" if text else None

    def number(token: str) -> str:
        head = _PHASE_NUMBER.match(token)
        if head is None:
            return token
        digit = _ROMAN.get(head.group(1).lower(), head.group(1))
        return digit + head.group(2).lower()

    match = _PHASE.search(text)
    if match is None:
        return None
    parts = [number(p.strip()) for p in match.group(2).split("/")]
    prefix = "Early Phase " if match.group(1) else "Phase "
    return prefix + "/".join(parts)


_STATUSES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), name)
    for pattern, name in (
        (r"active,?\s*not recruiting|活躍中（未招募）|已停招|不再招募|招募結束|招募完成",
         "Active, not recruiting"),
        (r"not yet recruiting|尚未招募|未開始", "Not yet recruiting"),
        (r"enrolling by invitation", "Enrolling by invitation"),
        (r"recruiting|招募中", "Recruiting"),
        (r"completed|已完成|^完成|入組完成", "Completed"),
        (r"terminated|終止", "Terminated"),
        (r"withdrawn|撤回", "Withdrawn"),
        (r"suspended|暫停", "Suspended"),
        (r"unknown|未知|不明", "Unknown status"),
        (r"進行中|active", "Active, not recruiting"),
    )
)


def trial_status(raw: str) -> str | None:
    """A trial's overall status in ClinicalTrials.gov's spelling.

    >>> trial_status("Active, Not Recruiting"), trial_status("已完成"), trial_status("-")
    ('Active, not recruiting', 'Completed', None)
    """
    text = clean(raw).replace("_", " ")
    if is_blank(text) and "unknown" not in text.lower() and text != "未知":
        return None
    for pattern, name in _STATUSES:
        if pattern.search(text):
            return name
    return None


_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_FRACTION = re.compile(r"(?<![\d.])(0(?:\.\d+)?|1(?:\.0+)?)(?![\d.%])")


def percent_score(raw: str) -> float | None:
    """A score in [0, 1] from ``97.03%`` or ``0.9703``; None when there is none.

    >>> percent_score("99.95% (Rank 7)"), percent_score("0.5"), percent_score("N/A")
    (0.9995, 0.5, None)
    """
    text = clean(raw)
    match = _PERCENT.search(text)
    if match:
        value = float(match.group(1)) / 100
    else:
        match = _FRACTION.search(text)
        if match is None:
            return None
        value = float(match.group(1))
    return round(value, 10) if 0.0 <= value <= 1.0 else None


_LEADING_INT = re.compile(r"\s*[~≈約>]?\s*(\d{1,3}(?:,\d{3})+|\d+)(?![\d.])")


def leading_int(raw: str) -> int | None:
    """The whole number a cell starts with (``2,000`` → 2000), or None.

    A number of more than 18 digits is no count of anything (and one of 4,301 or
    more is more than Python converts): None.

    >>> leading_int("2,000"), leading_int("0 (Taiwan)"), leading_int("多張")
    (2000, 0, None)
    >>> leading_int("1" * 19)
    """
    match = _LEADING_INT.match(clean(raw))
    digits = match.group(1).replace(",", "") if match else ""
    return int(digits) if 0 < len(digits) <= 18 else None


_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def year(raw: str) -> int | None:
    """A four-digit publication year, or None.

    >>> year("2019"), year("-")
    (2019, None)
    """
    match = _YEAR.search(clean(raw))
    return int(match.group(1)) if match else None


_BARE_RANK = re.compile(r"#?\s*(\d{1,4})")
_RANK = re.compile(r"(?:rank|排名)\s*#?\s*(\d{1,4})", re.IGNORECASE)


def rank(raw: str) -> int | None:
    """A rank from ``3``, ``**3**``, ``Rank #7`` or ``TxGNN rank 7``.

    >>> rank("**3**"), rank("Monoclonal Gammopathy (TxGNN rank 7)"), rank("L3")
    (3, 7, None)
    """
    text = clean(raw)
    match = _BARE_RANK.fullmatch(text) or _RANK.search(text)
    return int(match.group(1)) if match and int(match.group(1)) >= 1 else None


_NOT_MARKETED = re.compile(r"✗|not (marketed|registered|found|in dataset|authori[sz]ed)|"
                           r"\bno\b.*authori[sz]ations|未上市|已註銷|withdrawn|無上市",
                           re.IGNORECASE)
_MARKETED = re.compile(r"✓|marketed|registered|authori[sz]ed|approved|已上市|有上市|有效許可證|"
                       r"上市中", re.IGNORECASE)


def market_status(raw: str) -> str | None:
    """``Marketed`` or ``Not marketed`` from a market-status cell, or None when unclear."""
    text = clean(raw)
    if _NOT_MARKETED.search(text):
        return "Not marketed"
    if _MARKETED.search(text):
        return "Marketed"
    return None
