"""The evidence-report loader: golden values, templates, bad input, the real corpus."""

from __future__ import annotations

import contextlib
import hashlib
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import ParseError
from graph.model import ClinicalTrial, Prediction, Publication, SourceBatch
from loaders.reports import iter_report_paths, read_report, read_report_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DATA = SHARED / "data"
REPORTS = DATA / "reports"
SEED = SHARED / "seed" / "000_cf2e54f67088547d.txt"
BELATACEPT = REPORTS / "eu" / "belatacept.md"

needs_data = pytest.mark.skipif(not REPORTS.is_dir(), reason=f"real data absent: {REPORTS}")
needs_seed = pytest.mark.skipif(not SEED.is_file() or not BELATACEPT.is_file(),
                                reason=f"seed or real data absent: {SEED}, {BELATACEPT}")


def main_prediction(batch: SourceBatch) -> Prediction:
    """The page's own prediction: the first Prediction of the batch."""
    return next(n for n in batch.nodes if isinstance(n, Prediction))


def supported(batch: SourceBatch) -> dict[str, dict[str, object]]:
    return {e.target: e.properties for e in batch.edges if e.type == "SUPPORTED_BY"}


# --- the seed and its markdown page agree -----------------------------------------------------

TRIALS = {  # read off the seed by eye: id -> (phase, status, enrollment)
    "clinicaltrials:NCT04827979": ("Phase 1/2", "Active, not recruiting", 19),
    "clinicaltrials:NCT05017545": ("Phase 1/2", "Active, not recruiting", 21),
}
PUBLICATIONS = {  # id -> (year, type, journal)
    "PMID:31129111": (2019, "Phase 1/2 Pilot", "Clin Lymphoma Myeloma Leuk"),
    "PMID:38562904": (2024, "Translational", "bioRxiv"),
    "PMID:9869202": (1998, "Observational", "Leuk Lymphoma"),
    "PMID:15370258": (2004, "Observational", "Leuk Lymphoma"),
    "PMID:11167807": (2001, "Genetic Association", "Br J Haematol"),
    "PMID:11981425": (2002, "Observational", "Transplantation"),
    "PMID:40398621": (2025, "Review/Registry", "Transplant Cell Ther"),
}


@needs_seed
@pytest.mark.parametrize("path", [SEED, BELATACEPT], ids=["seed-text", "eu-markdown"])
def test_belatacept_prediction_and_evidence(path: Path) -> None:
    batch = read_report(path)
    prediction = main_prediction(batch)
    assert prediction.name == "Belatacept → Plasma Cell Myeloma"
    assert prediction.score == pytest.approx(0.9703)
    assert (prediction.score_raw, prediction.evidence_level, prediction.decision) == (
        "97.03%", "L3", "Hold")
    assert (prediction.market_status, prediction.market_region, prediction.authorizations) == (
        "Not marketed", "Taiwan", 0)
    assert prediction.data_gaps == ("DG001", "DG002")
    assert len(prediction.next_steps) == 5 and prediction.next_steps[0].startswith("Resolve")
    assert prediction.summary is not None and prediction.summary.startswith("Belatacept (Nulojix®)")
    assert prediction.rationale is not None and "CD86" in prediction.rationale
    assert prediction.safety is not None and "PTLD" in prediction.safety
    assert prediction.original_indication is not None
    assert prediction.original_indication.startswith("Kidney transplant rejection prevention")
    trials = {n.id: (n.phase, n.status, n.enrollment)
              for n in batch.nodes if isinstance(n, ClinicalTrial)}
    publications = {n.id: (n.year, n.publication_type, n.journal)
                    for n in batch.nodes if isinstance(n, Publication)}
    assert trials == TRIALS
    assert publications == PUBLICATIONS
    edges = supported(batch)
    assert set(edges) == set(TRIALS) | set(PUBLICATIONS)
    assert all(props["mentioned_in"] == "table" for props in edges.values())
    assert str(edges["PMID:9869202"]["key_finding"]).startswith("B7 family costimulatory")
    assert batch.rejections == ()


@needs_seed
def test_seed_and_markdown_give_the_same_prediction() -> None:
    keep = {"name", "score", "evidence_level", "decision", "market_status", "authorizations",
            "data_gaps", "drug_id", "disease_id", "id", "original_indication"}
    text, markdown = (main_prediction(read_report(p)) for p in (SEED, BELATACEPT))
    assert text.model_dump(include=keep) == markdown.model_dump(include=keep)


@needs_seed
def test_provenance_names_file_version_and_the_line_of_each_mention() -> None:
    batch = read_report(BELATACEPT)
    digest = hashlib.sha256(BELATACEPT.read_bytes()).hexdigest()
    lines = BELATACEPT.read_text(encoding="utf-8").splitlines()
    assert batch.source.name == str(BELATACEPT) and batch.source.version == digest
    for edge in batch.edges:
        for provenance in edge.provenance:
            assert (provenance.source, provenance.version) == (str(BELATACEPT), digest)
            assert provenance.line is not None
            if edge.type == "SUPPORTED_BY":
                assert edge.target.split(":", 1)[1] in lines[provenance.line - 1]
    renamed = read_report(BELATACEPT, source_name="reports/belatacept")
    assert renamed.source.name == "reports/belatacept"
    assert main_prediction(renamed).report == "reports/belatacept"


# --- templates, by meaning ---------------------------------------------------------------------

NUMBERED = """\
# Aspirin: From Pain to Migraine Disorder

## 1. Executive Summary

Aspirin may prevent migraine (see PMID 11111111, 22222222 and 33333333).

## 2. Key Facts

- **Evidence Level:** Below L5 (no studies)
- **Recommended Decision:** Hold (Ranks 1–4) / Research Question (Ranks 5–10)
- **US Market Status:** ✓ Marketed
- **Number of NDAs:** 12

## 3. Clinical Trials

| NCT ID | Title | Phase | Status | Enrollment |
|---|---|---|---|---|
| NCT01234567 | A trial | Phase III | COMPLETED | 2,000 |
| NCT0123 | A broken id | Phase 2 | Recruiting | 10 |

## 4. Conclusion

**Decision: Hold**

**To proceed, the following is needed:**
1. A dedicated trial
2. Safety data (DG003)
"""


def test_a_numbered_template_without_quick_overview_loads() -> None:
    batch = read_report_text(NUMBERED, source_name="aspirin.md")
    prediction = main_prediction(batch)
    assert prediction.disease_id == "txkg:disease/migraine-disorder"
    assert prediction.summary is not None and prediction.summary.startswith("Aspirin may")
    assert (prediction.evidence_level, prediction.evidence_level_raw) == (
        None, "Below L5 (no studies)")
    assert prediction.decision == "Hold"
    assert (prediction.market_status, prediction.market_region, prediction.authorizations) == (
        "Marketed", "US", 12)
    assert prediction.next_steps == ("A dedicated trial", "Safety data (DG003)")
    assert prediction.data_gaps == ("DG003",)
    trial = next(n for n in batch.nodes if isinstance(n, ClinicalTrial))
    assert (trial.name, trial.phase, trial.phase_raw, trial.status, trial.enrollment) == (
        "A trial", "Phase 3", "Phase III", "Completed", 2000)
    edges = supported(batch)
    assert {"PMID:11111111", "PMID:22222222", "PMID:33333333"} <= set(edges)
    assert edges["PMID:22222222"] == {"key_finding": None, "mentioned_in": "text"}
    [rejection] = batch.rejections
    bad_row = next(i for i, line in enumerate(NUMBERED.splitlines(), 1) if "NCT0123 " in line)
    assert rejection.line == bad_row and "NCT0123" in rejection.reason
    assert rejection.path == "aspirin.md" and rejection.record is not None


CHINESE = """\
# 阿斯匹靈

# Aspirin：從鎮痛到偏頭痛

## 快速總覽

| 項目 | 內容 |
|------|------|
| 原適應症 | 鎮痛解熱 |
| DrugBank ID | DB00945 |
| 預測新適應症 | 偏頭痛 (Migraine Disorder) |
| TxGNN 預測分數 | 99.50% |
| 證據等級 | **L2**（單一 RCT） |
| 台灣上市 | ✓ 已上市 |
| 許可證數 | 20 張 |
| 建議決策 | Proceed with Guardrails |

## 臨床試驗證據

| 試驗編號 | 階段 | 狀態 | 人數 | 主要發現 |
|---------|------|------|------|---------|
| [NCT00000001](https://clinicaltrials.gov/study/NCT00000001) | Phase 3 | 已完成 | 300 | 有效 |
| - | - | - | - | （無其他試驗） |

## 文獻證據

| PMID | 年份 | 類型 | 期刊 | 主要發現 |
|------|------|------|------|---------|
| 12345678 | 2020 | RCT | Lancet | 減少發作 |
"""


def test_a_chinese_template_loads_by_meaning() -> None:
    batch = read_report_text(CHINESE, source_name="aspirin.md")
    prediction = main_prediction(batch)
    assert prediction.drug_id == "DRUGBANK:DB00945"
    assert prediction.disease_id == "txkg:disease/migraine-disorder"
    assert (prediction.score, prediction.evidence_level, prediction.decision) == (
        0.995, "L2", "Proceed with Guardrails")
    assert (prediction.market_status, prediction.authorizations, prediction.authorizations_raw) \
        == ("Marketed", 20, "20 張")
    assert prediction.original_indication == "鎮痛解熱"
    disease = next(n for n in batch.nodes if n.id == prediction.disease_id)
    assert disease.synonyms == ("偏頭痛",)
    trial = next(n for n in batch.nodes if isinstance(n, ClinicalTrial))
    assert (trial.status, trial.enrollment) == ("Completed", 300)
    assert supported(batch)["PMID:12345678"]["key_finding"] == "減少發作"
    assert batch.rejections == ()  # the placeholder row is no record


PREDICTION_LIST = """\
# Abiraterone Acetate

## Quick Overview

| Item | Value |
|------|-------|
| Drug Name | Abiraterone Acetate |
| DrugBank ID | [DB05812](https://go.drugbank.com/drugs/DB05812) |
| Brand Names (EU) | Zytiga, Yonsa |

## Approved Indication (EMA)

Treatment of adult patients with prostate cancer.

## Predicted New Indications

| Rank | Indication | Score | Source |
|:----:|------------|------:|--------|
| 1 | migraine disorder | 98.81% | DL |
| 2 | leprosy | 98.58% | KG |

## Clinical Evidence

| Indication | Level | Trials | Articles | Summary |
|------------|:-----:|:------:|:--------:|---------|
| leprosy | L1 | 20 | 19 | 6 Phase 3 trial(s) |
"""


def test_a_prediction_list_page_gives_one_prediction_per_rank_row() -> None:
    batch = read_report_text(PREDICTION_LIST, source_name="abiraterone-acetate.md")
    drug = batch.nodes[0]
    assert drug.id == "DRUGBANK:DB05812"
    assert drug.model_dump()["brand_names"] == ("Zytiga", "Yonsa")
    predictions = [n for n in batch.nodes if isinstance(n, Prediction)]
    assert [(p.rank, p.score, p.method, p.evidence_level) for p in predictions] == [
        (1, 0.9881, "DL", None), (2, 0.9858, "KG", "L1")]
    assert all(p.drug_id == "DRUGBANK:DB05812" for p in predictions)
    assert {e.type.value for e in batch.edges} == {"OF_DRUG", "FOR_DISEASE"}


# --- bad input ---------------------------------------------------------------------------------

def test_a_row_with_the_wrong_number_of_cells_is_a_parse_error() -> None:
    broken = CHINESE.replace("| 12345678 | 2020 | RCT | Lancet | 減少發作 |",
                             "| 12345678 | 2020 | RCT | 減少發作 |")
    with pytest.raises(ParseError) as caught:
        read_report_text(broken, source_name="aspirin.md")
    bad_row = next(i for i, line in enumerate(broken.splitlines(), 1) if "| 12345678 |" in line)
    assert caught.value.line == bad_row and caught.value.path == "aspirin.md"
    assert f"aspirin.md:{bad_row}" in str(caught.value)


def test_a_page_that_is_not_a_report_is_a_parse_error(tmp_path: Path) -> None:
    page = tmp_path / "notes.md"
    page.write_text("# Shopping\n\n- milk\n- bread\n", encoding="utf-8")
    with pytest.raises(ParseError, match="not an evidence report"):
        read_report(page)


@pytest.mark.parametrize("content", [b"\xff\xfe\x00b", b"# X: From A to B\n\xc3\x28\n", b""])
def test_unreadable_bytes_are_a_parse_error(tmp_path: Path, content: bytes) -> None:
    page = tmp_path / "bad.md"
    page.write_bytes(content)
    with pytest.raises(ParseError):
        read_report(page)


def test_a_missing_file_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="cannot read"):
        read_report(tmp_path / "absent.md")
    with pytest.raises(ParseError, match="no such file"):
        list(iter_report_paths([tmp_path / "absent"]))


def test_a_page_naming_no_indication_keeps_the_drug_and_says_why() -> None:
    page = CHINESE.replace("偏頭痛 (Migraine Disorder)", "無（TxGNN 預測結果為空）")
    batch = read_report_text(page, source_name="x.md")
    assert not any(isinstance(n, Prediction) for n in batch.nodes)
    assert {n.id for n in batch.nodes} >= {"DRUGBANK:DB00945", "PMID:12345678"}
    reasons = [r.reason for r in batch.rejections]
    assert any("no predicted indication" in r for r in reasons)
    assert any("not linked" in r for r in reasons)


def test_directories_are_searched_for_report_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text(CHINESE, encoding="utf-8")
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "c.csv").write_text("x", encoding="utf-8")
    assert [p.name for p in iter_report_paths([tmp_path])] == ["a.txt", "b.md"]


# --- the real corpus ---------------------------------------------------------------------------

FOLDERS = {"eu": 218, "tw": 279, "eu-predictions": 40}
NCT = re.compile(r"NCT\d{8}")
PUBMED_LINK = re.compile(r"pubmed\.ncbi\.nlm\.nih\.gov/(\d+)")
PMID_WORD = re.compile(r"PMID[: ]*(\d+)")


def _load_folder(folder: str) -> list[tuple[Path, SourceBatch]]:
    return [(p, read_report(p)) for p in sorted((REPORTS / folder).glob("*.md"))]


@needs_data
@pytest.mark.parametrize("folder,nct,pmid", [("eu", 519, 971), ("tw", 405, 678)])
def test_every_cited_id_becomes_a_node(folder: str, nct: int, pmid: int) -> None:
    pages = _load_folder(folder)
    assert len(pages) == FOLDERS[folder]
    texts = {p: p.read_text(encoding="utf-8") for p, _ in pages}
    # The figures, counted the way (links and "PMID n" only).
    grep_ncts = {m for t in texts.values() for m in NCT.findall(t)}
    grep_pmids = {m for t in texts.values()
                  for m in PUBMED_LINK.findall(t) + PMID_WORD.findall(t)}
    assert (len(grep_ncts), len(grep_pmids)) == (nct, pmid)
    for path, batch in pages:
        page_ids = {n.id for n in batch.nodes}
        linked = set(supported(batch))
        wanted = {f"clinicaltrials:{m}" for m in NCT.findall(texts[path])} | {
            f"PMID:{m}" for m in PUBMED_LINK.findall(texts[path]) + PMID_WORD.findall(texts[path])}
        assert wanted <= page_ids, path
        if any(isinstance(n, Prediction) for n in batch.nodes):
            assert wanted <= linked, path
        # The loader finds more PMIDs than the grep: bare numbers in PMID table cells and
        # the later items of "PMID a, b and c" lists. Each extra one is on the page.
        for extra in {i for i in page_ids if i.startswith("PMID:")} - wanted:
            assert re.search(rf"(?<!\d){extra[5:]}(?!\d)", texts[path]), (path, extra)


@needs_data
def test_every_real_page_parses_and_prediction_pages_give_their_rows() -> None:
    for folder, count in FOLDERS.items():
        batches = [b for _, b in _load_folder(folder)]
        assert len(batches) == count
    predictions = [b for _, b in _load_folder("eu-predictions")]
    assert all(sum(isinstance(n, Prediction) for n in b.nodes) == 20 for b in predictions)
    assert all(b.nodes[0].id.startswith("DRUGBANK:") for b in predictions)


QUICK_OVERVIEW = re.compile(r"^## (Quick Overview|快速總覽)")


def _overview_level(text: str) -> str | None:
    inside = False
    for line in text.splitlines():
        if line.startswith("## "):
            inside = bool(QUICK_OVERVIEW.match(line))
        elif inside and line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if re.search("Evidence Level|證據等級", cells[0]):
                return cells[1]
    return None


@needs_data
@pytest.mark.parametrize("folder", ["eu", "tw"])
def test_evidence_level_is_the_quick_overview_row(folder: str) -> None:
    checked = 0
    for path, batch in _load_folder(folder):
        row = _overview_level(path.read_text(encoding="utf-8"))
        predictions = [n for n in batch.nodes if isinstance(n, Prediction)]
        if row is None or not predictions:
            continue
        prediction = predictions[0]
        assert prediction.evidence_level_raw == row, path
        found = re.search(r"L([1-5])", row)
        expected = (None if found is None or row.lower().startswith("below")
                    else f"L{found.group(1)}")
        assert prediction.evidence_level == expected, (path, row)
        checked += 1
    assert checked > 200


# --- never anything but ParseError -------------------------------------------------------------

SYNTHETIC = [NUMBERED, CHINESE, PREDICTION_LIST]


def _real_pages() -> list[str]:
    if not REPORTS.is_dir():
        return []
    names = ["eu/belatacept.md", "eu/abiraterone_acetate.md", "tw/cyclandelate.md",
             "eu-predictions/efmoroctocog-alfa.md"]
    pages = [(REPORTS / n).read_text(encoding="utf-8") for n in names if (REPORTS / n).is_file()]
    if SEED.is_file():
        pages.append(SEED.read_text(encoding="utf-8"))
    return pages


PAGES = SYNTHETIC + _real_pages()


def _mutate(page: str, data: st.DataObject) -> str:
    lines = page.splitlines()
    how = data.draw(st.sampled_from(["truncate", "shuffle", "table", "unicode", "drop"]))
    if how == "truncate":
        return page[: data.draw(st.integers(0, len(page)))]
    if how == "shuffle":
        sections = re.split(r"(?m)^(?=## )", page)
        return "".join(data.draw(st.permutations(sections)))
    if how == "drop" and lines:
        index = data.draw(st.integers(0, len(lines) - 1))
        return "\n".join(lines[:index] + lines[index + 1:])
    if how == "table":
        rows = [i for i, line in enumerate(lines) if line.startswith("|")]
        if rows:
            index = data.draw(st.sampled_from(rows))
            line = lines[index]
            cut = data.draw(st.integers(0, len(line)))
            lines[index] = line[:cut] + data.draw(st.sampled_from(["", "|", " | x |", "NCT1"])) \
                + line[cut + 1:]
        return "\n".join(lines)
    noise = data.draw(st.text(min_size=1, max_size=40))
    at = data.draw(st.integers(0, len(page)))
    return page[:at] + noise + page[at:]


@given(data=st.data())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_mutated_pages_raise_nothing_but_parse_error(data: st.DataObject) -> None:
    page = data.draw(st.sampled_from(PAGES))
    for _ in range(data.draw(st.integers(1, 3))):
        page = _mutate(page, data)
    try:
        batch = read_report_text(page, source_name="mutant.md")
    except ParseError as error:
        assert error.path == "mutant.md"
        return
    assert isinstance(batch, SourceBatch)


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_arbitrary_text_raises_nothing_but_parse_error(text: str) -> None:
    with contextlib.suppress(ParseError):
        read_report_text(text, source_name="random.txt")


TOKENS = [*"|#-*:：()（）NCT0123456789 \n\tL5%PMID[]<>`_\\、", "\u200b", "\x00",
          "## Quick Overview\n", "# X: From A to B\n", "| Item | Content |\n|---|---|\n",
          "| Evidence Level | L3 |\n", "| Predicted New Indication | Gout |\n",
          "| Trial Number | Phase | Status |\n|---|---|---|\n", "| PMID | Year |\n|---|---|\n",
          "| Rank | Indication | Score |\n|---|---|---|\n", "PMID 123456, 234567", "NCT0000000"]


@given(st.lists(st.sampled_from(TOKENS), max_size=120).map("".join))
@settings(max_examples=300, deadline=None)
def test_report_shaped_token_soup_raises_nothing_but_parse_error(text: str) -> None:
    with contextlib.suppress(ParseError):
        read_report_text(text, source_name="soup.md")
