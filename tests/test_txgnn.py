"""The TxGNN loader: vocabularies, disease annotations, candidate list, search index.

Small files written here pin each rule; the real folder (../shared/data/txgnn)
checks the counts the issue promises. Golden values were read off the raw
files with grep/awk, not computed with the loader.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import shared_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import ids
from graph.errors import InvalidId, ParseError
from graph.model import Disease, Drug, Prediction, SourceBatch
from graph.store.sqlite import SqliteStore
from loaders.txgnn import (
    CANDIDATE_COLUMNS,
    TxgnnLoad,
    Vocabulary,
    read_candidates,
    read_disease_area,
    read_disease_vocab,
    read_grouped_diseases,
    read_mondo_references,
    read_search_index,
    read_txgnn,
    read_vocabulary,
    xref_curie,
)
from loaders.txgnn.vocabulary import Unresolved

DL, KG = "TxGNN Deep Learning", "TxGNN Knowledge Graph"
BELATACEPT = "DRUGBANK:DB06681"
MYELOMA = "MONDO:0009693"


# -- helpers ----------------------------------------------------------------


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)  # \r\n: a bare \r inside a cell gets quoted
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """A tiny TxGNN folder: two drugs, three diseases (one grouped)."""
    write_csv(tmp_path / "drugbank_vocab.csv", ["drugbank_id", "drug_name", "drug_name_upper"], [
        ["DB06681", "Belatacept", "BELATACEPT"],
        ["DB05812", "Abiraterone", "ABIRATERONE"],
    ])
    header = ["disease_id", "disease_name", "disease_name_upper"]
    write_csv(tmp_path / "disease_vocab.csv", header, [
        ["9693", "plasma cell myeloma", "PLASMA CELL MYELOMA"],
        ["13924_12592", "osteogenesis imperfecta", "OSTEOGENESIS IMPERFECTA"],
        ["9646_30801", "Monosomy 7 syndrome", "MONOSOMY 7 SYNDROME"],
        ["31178", "monosomy 7 syndrome", "MONOSOMY 7 SYNDROME"],
    ])
    return tmp_path


def candidates(folder: Path, rows: list[list[str]]) -> Path:
    return write_csv(folder / "repurposing_candidates_merged.csv", list(CANDIDATE_COLUMNS), rows)


def row(drug: str, disease: str, score: str, source: str = DL,
        brand: str = "Nulojix", ingredient: str = "BELATACEPT") -> list[str]:
    return ["EMEA/H/C/002098", brand, ingredient, drug, disease, source, score]


def predictions(batch: SourceBatch) -> list[Prediction]:
    return [n for n in batch.nodes if isinstance(n, Prediction)]


# -- ids: the shared grouped-disease rule ------------------------------------


def test_grouped_mondo_id_takes_first_member_and_keeps_the_rest_as_xrefs() -> None:
    assert ids.mondo_group("13924_12592") == ("MONDO:0013924", "MONDO:0012592")
    assert ids.mondo_group_xrefs("13924_12592") == ("MONDO_grouped:13924_12592",
                                                     "MONDO:0012592")
    assert ids.mondo_group_xrefs("9693") == ("MONDO:9693",)
    for bad in ("", "12__3", "12a", "_1"):
        with pytest.raises(InvalidId):
            ids.mondo_group(bad)


# -- vocabularies ----------------------------------------------------------


def test_vocabularies_make_drug_and_disease_nodes(folder: Path) -> None:
    load = read_vocabulary(folder)
    drugs = {n.id: n.name for n in load.drug_batch.nodes}
    assert drugs == {"DRUGBANK:DB06681": "Belatacept", "DRUGBANK:DB05812": "Abiraterone"}
    diseases = {n.id: n for n in load.disease_batch.nodes}
    grouped = diseases["MONDO:0013924"]
    assert grouped.name == "osteogenesis imperfecta"
    assert "MONDO:0012592" in grouped.xrefs and "MONDO_grouped:13924_12592" in grouped.xrefs
    vocab = load.vocabulary
    assert vocab.disease_for_member("12592") == "MONDO:0013924"
    assert vocab.disease_for_member("MONDO:0012592") == "MONDO:0013924"


def test_disease_names_match_exactly_first_then_by_key(folder: Path) -> None:
    vocab = read_vocabulary(folder).vocabulary
    assert vocab.resolve_disease("Monosomy 7 syndrome") == "MONDO:0009646"
    assert vocab.resolve_disease("monosomy 7 syndrome") == "MONDO:0031178"
    with pytest.raises(Unresolved, match="ambiguous"):
        vocab.resolve_disease("MONOSOMY 7 SYNDROME")
    assert vocab.resolve_disease(" **Plasma  Cell Myeloma** ") == MYELOMA
    with pytest.raises(Unresolved, match="not in TxGNN"):
        vocab.resolve_disease("made-up disease")


def test_a_member_claimed_twice_in_the_disease_vocab_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "disease_vocab.csv", ["disease_id", "disease_name"],
                     [["1_2", "a"], ["2", "b"], ["x", "c"]])
    batch, names, _ = read_disease_vocab(path)
    assert names == {"MONDO:0000001": "a"}
    assert [(r.line, r.reason) for r in batch.rejections] == [
        (3, "MONDO:0000002 already belongs to MONDO:0000001"),
        (4, "malformed grouped MONDO id 'x': expected integers joined by '_'")]


def test_drug_resolution_strips_salt_words(folder: Path) -> None:
    vocab = read_vocabulary(folder).vocabulary
    assert vocab.resolve_drug("Abiraterone Acetate") == "DRUGBANK:DB05812"
    assert vocab.resolve_drug("Belatacept (as Sulfate Monohydrate)") == BELATACEPT
    assert vocab.resolve_drug("Nothing Hydrochloride") is None


# -- candidate list -------------------------------------------------------------


def test_candidates_become_ranked_predictions_with_edges(folder: Path) -> None:
    vocab = read_vocabulary(folder).vocabulary
    path = candidates(folder, [
        row("DB06681", "osteogenesis imperfecta", "0.5"),
        row("DB06681", "plasma cell myeloma", "0.9702630639076232"),
        row("DB06681", "Monosomy 7 syndrome", "0.5", source=KG),
    ])
    load = read_candidates(path, vocab)
    by_disease = {p.disease_id: p for p in predictions(load.batch)}
    top = by_disease[MYELOMA]
    assert top.id == ids.prediction_id(BELATACEPT, MYELOMA)
    assert (top.score, top.rank, top.method, top.unscored) == (0.9702630639076232, 1, "DL", False)
    assert top.scores == {"txgnn/repurposing_candidates_merged.csv": 0.9702630639076232}
    assert by_disease["MONDO:0013924"].rank == 2
    kg = by_disease["MONDO:0009646"]
    assert (kg.score, kg.rank, kg.unscored, kg.method, kg.scores) == (None, None, True, "KG", {})
    edges = {(e.source, e.type.value, e.target) for e in load.batch.edges}
    assert (top.id, "OF_DRUG", BELATACEPT) in edges
    assert (top.id, "FOR_DISEASE", MYELOMA) in edges
    assert all(e.provenance[0].line for e in load.batch.edges)
    drug = next(n for n in load.batch.nodes if isinstance(n, Drug))
    assert drug.brand_names == ("Nulojix",) and drug.name == "Belatacept"


def test_equal_scores_keep_file_order(folder: Path) -> None:
    vocab = read_vocabulary(folder).vocabulary
    path = candidates(folder, [
        row("DB06681", "osteogenesis imperfecta", "0.9"),
        row("DB06681", "plasma cell myeloma", "0.9"),
    ])
    ranks = {p.disease_id: p.rank for p in predictions(read_candidates(path, vocab).batch)}
    assert ranks == {"MONDO:0013924": 1, MYELOMA: 2}


def test_unusable_candidate_rows_are_refused_with_line_and_reason(folder: Path) -> None:
    vocab = read_vocabulary(folder).vocabulary
    path = candidates(folder, [
        row("DB06681", "plasma cell myeloma", "0.9"),
        row("DB06681", "no such disease", "0.9"),
        row("DB6681", "plasma cell myeloma", "0.9"),
        row("DB05812", "plasma cell myeloma", "high"),
        row("DB05812", "plasma cell myeloma", "1.5"),
        row("DB05812", "plasma cell myeloma", "0.8", source="Oracle"),
        row("DB06681", "PLASMA CELL MYELOMA", "0.7"),
    ])
    load = read_candidates(path, vocab)
    assert len(predictions(load.batch)) == 1
    refused = [(r.line, r.reason) for r in load.batch.rejections]
    assert refused == [
        (3, "disease name not in TxGNN's disease vocabulary"),
        (4, "malformed DRUGBANK id 'DB6681'"),
        (5, "score is not a number: 'high'"),
        (6, "score out of range 0–1: '1.5'"),
        (7, "unknown prediction source 'Oracle'"),
        (8, "duplicate prediction: first at line 2"),
    ]
    assert all(r.path == str(path) and r.source == "txgnn/" + path.name
               for r in load.batch.rejections)
    assert load.rows == 7 and sum(load.reasons.values()) == 6


def test_a_row_with_too_few_columns_is_a_parse_error_naming_file_and_line(folder: Path) -> None:
    vocab = read_vocabulary(folder).vocabulary
    path = candidates(folder, [row("DB06681", "plasma cell myeloma", "0.9")])
    with path.open("a") as handle:
        handle.write("EMEA/H/C/1,Nulojix,BELATACEPT,DB06681,plasma cell myeloma\n")
    with pytest.raises(ParseError) as caught:
        read_candidates(path, vocab)
    assert caught.value.line == 3 and caught.value.path == str(path)
    assert str(caught.value) == f"{path}:3: expected 7 columns, found 5"


def test_a_header_without_a_needed_column_is_a_parse_error(folder: Path) -> None:
    vocab = read_vocabulary(folder).vocabulary
    path = write_csv(folder / "c.csv", ["drugbank_id", "score"], [["DB06681", "0.5"]])
    with pytest.raises(ParseError, match=r"c\.csv:1: header lacks column\(s\) license_id"):
        read_candidates(path, vocab)


def test_a_broken_quote_and_non_utf8_bytes_are_parse_errors(folder: Path) -> None:
    vocab = read_vocabulary(folder).vocabulary
    path = candidates(folder, [])
    path.write_bytes(path.read_bytes() + b"a,b,c,DB06681,\"x\"y\",z,0.5\n")
    path.write_bytes(path.read_bytes() + b'a,b,c,DB06681,"unclosed\n')
    with pytest.raises(ParseError, match=r"candidates_merged\.csv"):
        read_candidates(path, vocab)
    path.write_bytes(",".join(CANDIDATE_COLUMNS).encode() + b"\n\xff,b,c,d,e,f,0.5\n")
    with pytest.raises(ParseError, match=r":2: not UTF-8"):
        read_candidates(path, vocab)


# -- disease annotations ------------------------------------------------------------


def test_mondo_references_become_xrefs_and_the_rest_go_to_the_ledger(folder: Path) -> None:
    vocab = read_vocabulary(folder).vocabulary
    path = write_csv(folder / "mondo_references.csv", ["ontology_id", "ontology", "mondo_id"], [
        ["D009101", "MESH", "0009693"],
        ["0000408", "EFO", "0009693"],      # zeros kept: read as text
        ["254500", "OMIM", "0009693"],
        ["203655", "OMIMPS", "0012592"],    # a grouped disease's second member
        ["C90.0", "ICD10", "0009693"],
        ["CN228161", "UMLS", "0009693"],
        ["//orcid.org/0000-0002-2825-0621", "https", "0009693"],
        ["25253354", "PMID", "0009693"],
        ["NoID", "MESH", "0009693"],
        ["D000001", "MESH", "0000001"],     # not a TxGNN disease
    ])
    batch = read_mondo_references(path, vocab)
    xrefs = {n.id: n.xrefs for n in batch.nodes}
    assert xrefs == {
        MYELOMA: ("MESH:D009101", "EFO:0000408", "OMIM:254500", "ICD10:C90.0", "MEDGEN:CN228161"),
        "MONDO:0013924": ("OMIM:PS203655",),
    }
    assert [r.line for r in batch.rejections] == [8, 9, 10, 11]
    assert "not one of TxGNN's diseases" in batch.rejections[-1].reason


@pytest.mark.parametrize(("ontology", "local", "expected"), [
    ("DOID", "0111297", "DOID:0111297"),
    ("Orphanet", "377788", "ORPHANET:377788"),
    ("SCTID", "64572001", "SNOMEDCT:64572001"),
    ("MedDRA", "10060873", "MEDDRA:10060873"),
    ("ICDO", "8650/3", "ICDO:8650/3"),
    ("HP", "3570", "HP:0003570"),
])
def test_xref_prefixes(ontology: str, local: str, expected: str) -> None:
    assert xref_curie(ontology, local) == expected


def test_grouped_disease_members_become_synonyms(folder: Path) -> None:
    vocab = read_vocabulary(folder).vocabulary
    path = write_csv(folder / "kg_grouped_diseases.csv",
                     ["node_id", "node_type", "node_name", "node_source", "group_name_auto",
                      "group_name_bert"],
                     [["13924", "disease", "osteogenesis imperfecta type 13", "MONDO", "x", "y"],
                      ["12592", "disease", "osteogenesis imperfecta type 11", "MONDO", "x", "y"],
                      ["9693", "disease", "Plasma cell myeloma", "MONDO", "x", "y"],
                      ["77777", "disease", "stray", "MONDO", "x", "y"]])
    batch = read_grouped_diseases(path, vocab)
    nodes = {n.id: n for n in batch.nodes}
    assert nodes["MONDO:0013924"].synonyms == ("osteogenesis imperfecta type 13",
                                               "osteogenesis imperfecta type 11")
    assert nodes[MYELOMA].synonyms == ()  # same name up to case
    assert [r.line for r in batch.rejections] == [5]


@pytest.mark.parametrize("header", [
    ["", "node_id", "node_type", "node_name", "node_source"],
    ["node_index", "node_id", "node_type", "node_name", "node_source"],
])
def test_disease_area_files_of_both_header_variants(folder: Path, header: list[str]) -> None:
    vocab = read_vocabulary(folder).vocabulary
    (folder / "disease_files").mkdir()
    path = write_csv(folder / "disease_files" / "neurodigenerative.csv", header, [
        ["1", "9693.0", "disease", "plasma cell myeloma", "MONDO"],
        ["2", "12592", "disease", "osteogenesis imperfecta type 11", "MONDO"],
        ["3", "424242", "disease", "unknown", "MONDO"],
    ])
    batch = read_disease_area(path, vocab)
    areas = {n.id: n.disease_areas for n in batch.nodes if isinstance(n, Disease)}
    assert areas == {MYELOMA: ("neurodegenerative",), "MONDO:0013924": ("neurodegenerative",)}
    assert batch.source.name == "txgnn/disease_files/neurodigenerative.csv"
    assert [(r.line, r.reason) for r in batch.rejections] == [
        (4, "MONDO:0424242 is not one of TxGNN's diseases")]


# -- search index ---------------------------------------------------------------


def search_index(folder: Path, drugs: list[dict[str, object]]) -> Path:
    path = folder / "search-index.json"
    path.write_text(json.dumps({"generated": "2026-07-13", "drugs": drugs}, indent=2))
    return path


def test_search_index_scores_are_fractions_and_leaked_rows_are_refused(folder: Path) -> None:
    vocab = read_vocabulary(folder).vocabulary
    path = search_index(folder, [{
        "name": "Belatacept", "slug": "belatacept", "brands": ["Nulojix"], "level": "L5",
        "indications": [
            {"name": "Plasma Cell Myeloma", "score": 97.03, "level": "L5"},
            {"name": "**Lewy Body Dementia** | L3 | Tier-1 review", "score": 96.0, "level": "L5"},
            {"name": "osteogenesis imperfecta", "score": 95.5, "level": "L5"},
            {"name": "unheard-of disease", "score": 90.0, "level": "L5"},
        ]}])
    load = read_search_index(path, vocab)
    found = {p.disease_id: p for p in predictions(load.batch)}
    assert set(found) == {MYELOMA, "MONDO:0013924"}
    top = found[MYELOMA]
    assert (top.score, top.rank, top.listed_level, top.unscored) == (0.9703, 1, "L5", None)
    assert top.scores == {"txgnn/search-index.json": 0.9703}
    assert found["MONDO:0013924"].rank == 3  # the position the site lists it at
    refused = [(r.line, r.reason) for r in load.batch.rejections]
    lines = path.read_text().splitlines()
    assert refused[0][1] == "leaked markdown table row, not an indication name"
    assert "Lewy Body Dementia" in lines[refused[0][0] - 1]
    assert refused[1][1] == "disease name not in TxGNN's disease vocabulary"
    assert "unheard-of disease" in lines[refused[1][0] - 1]
    assert load.batch.source.kind == "search-index"


def test_search_index_keeps_no_placeholder_for_unscored_pairs(folder: Path) -> None:
    candidates(folder, [row("DB06681", "osteogenesis imperfecta", "0.5", source=KG),
                        row("DB06681", "plasma cell myeloma", "0.97")])
    search_index(folder, [{"name": "Belatacept", "indications": [
        {"name": "osteogenesis imperfecta", "score": 50.0, "level": "L5"},
        {"name": "plasma cell myeloma", "score": 97.0, "level": "L5"}]}])
    listed = {p.disease_id: p for p in predictions(read_txgnn(folder).batches[-1])}
    kg = listed["MONDO:0013924"]
    assert (kg.score, kg.rank, kg.unscored, kg.scores) == (None, None, True, {})
    assert (listed[MYELOMA].score, listed[MYELOMA].rank) == (0.97, 2)


def test_search_index_that_is_not_json_is_a_parse_error(folder: Path) -> None:
    vocab = read_vocabulary(folder).vocabulary
    path = folder / "search-index.json"
    path.write_text('{\n  "drugs": [\n    {"name": "x",,}\n  ]\n}\n')
    with pytest.raises(ParseError, match=r"search-index\.json:3: not JSON"):
        read_search_index(path, vocab)
    path.write_text('["not", "an", "index"]')
    with pytest.raises(ParseError, match="expected an object with a 'drugs' list"):
        read_search_index(path, vocab)


def test_load_txgnn_reads_vocabularies_first_and_names_each_file(folder: Path) -> None:
    candidates(folder, [row("DB05812", "plasma cell myeloma", "0.9",
                            ingredient="ABIRATERONE ACETATE MONOHYDRATE", brand="Zytiga")])
    search_index(folder, [{"name": "Abiraterone Acetate Monohydrate", "brands": ["Zytiga"],
                           "indications": [{"name": "plasma cell myeloma", "score": 90.0,
                                            "level": "L5"}]}])
    loaded = read_txgnn(folder)
    assert [b.source.name for b in loaded.batches] == [
        "txgnn/drugbank_vocab.csv", "txgnn/disease_vocab.csv",
        "txgnn/repurposing_candidates_merged.csv", "txgnn/search-index.json"]
    # the ingredient learnt from the candidate list resolves the search index's drug name
    (pair,) = predictions(loaded.batches[-1])
    assert pair.id == ids.prediction_id("DRUGBANK:DB05812", MYELOMA)
    (folder / "empty").mkdir()
    with pytest.raises(ParseError, match=r"needs drugbank_vocab\.csv"):
        read_txgnn(folder / "empty")
    with pytest.raises(ParseError, match="not a folder"):
        read_txgnn(folder / "absent")


# -- property-based ---------------------------------------------------------------

DISEASES = ["plasma cell myeloma", "osteogenesis imperfecta", "Monosomy 7 syndrome"]
cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
candidate_row = st.tuples(
    cell, cell, cell,
    st.sampled_from(["DB06681", "DB05812", "DB0", "x"]),
    st.one_of(st.sampled_from(DISEASES), cell),
    st.sampled_from([DL, KG, "other"]),
    st.one_of(st.floats(min_value=-1, max_value=2).map(repr), st.just("nan"), cell),
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(candidate_row, max_size=25))
def test_every_candidate_row_is_a_prediction_or_a_rejection(
        folder: Path, rows: list[tuple[str, ...]]) -> None:
    vocab = read_vocabulary(folder).vocabulary
    path = candidates(folder, [list(r) for r in rows])
    load = read_candidates(path, vocab)
    found = predictions(load.batch)
    assert load.rows == len(rows)
    assert len(found) + len(load.batch.rejections) == len(rows)
    by_drug: dict[str, list[Prediction]] = {}
    for prediction in found:
        assert prediction.drug_id in {BELATACEPT, "DRUGBANK:DB05812"}
        assert (prediction.score is None) == bool(prediction.unscored)
        if prediction.score is not None:
            by_drug.setdefault(prediction.drug_id, []).append(prediction)
    for ranked in by_drug.values():
        ranked.sort(key=lambda p: p.rank or 0)
        assert [p.rank for p in ranked] == list(range(1, len(ranked) + 1))
        scores = [p.score or 0.0 for p in ranked]
        assert scores == sorted(scores, reverse=True)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_any_text_either_loads_or_raises_parse_error(folder: Path, text: str) -> None:
    vocab = read_vocabulary(folder).vocabulary
    path = folder / "repurposing_candidates_merged.csv"
    path.write_text(",".join(CANDIDATE_COLUMNS) + "\n" + text, encoding="utf-8")
    try:
        read_candidates(path, vocab)
    except ParseError as error:
        assert error.path == str(path)
    index = folder / "search-index.json"
    index.write_text(text, encoding="utf-8")
    try:
        read_search_index(index, vocab)
    except ParseError as error:
        assert error.path == str(index)


# -- the real folder ---------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> TxgnnLoad:
    return read_txgnn(shared_data("txgnn"))


def test_real_vocabularies_load_whole(real: TxgnnLoad) -> None:
    batches = {b.source.name: b for b in real.batches}
    assert len(batches["txgnn/drugbank_vocab.csv"].nodes) == 7957
    assert len(batches["txgnn/disease_vocab.csv"].nodes) == 17080
    assert not batches["txgnn/disease_vocab.csv"].rejections
    grouped = next(n for n in batches["txgnn/disease_vocab.csv"].nodes
                   if n.name == "osteogenesis imperfecta")
    assert grouped.id == "MONDO:0013924"  # first of 13924_12592_14672_…
    assert len([x for x in grouped.xrefs if x.startswith("MONDO:")]) == 21
    areas = [b for name, b in batches.items() if "/disease_files/" in name]
    assert len(areas) == 9


def test_real_candidates_all_load(real: TxgnnLoad) -> None:
    cand = real.candidates
    assert cand is not None
    assert cand.rows == 32368
    found = predictions(cand.batch)
    assert len(found) == 32368 and not cand.batch.rejections
    methods = Counter(p.method for p in found)
    assert methods == {"DL": 31650, "KG": 718}
    assert all(p.score is None and p.unscored and p.rank is None
               for p in found if p.method == "KG")
    belatacept = sorted((p for p in found if p.drug_id == BELATACEPT), key=lambda p: p.rank or 0)
    assert len(belatacept) == 50
    assert belatacept[0].disease_id == MYELOMA
    assert belatacept[0].score == 0.9702630639076232 and belatacept[0].rank == 1


def test_real_search_index_refuses_exactly_the_leaked_rows(real: TxgnnLoad) -> None:
    index, cand = real.search_index, real.candidates
    assert index is not None and cand is not None
    assert index.rows == 12552
    assert len(index.batch.rejections) == 157
    assert {r.reason for r in index.batch.rejections} == {
        "leaked markdown table row, not an indication name"}
    assert all(r.line for r in index.batch.rejections)
    listed = predictions(index.batch)
    assert len(listed) == 12552 - 157
    in_csv = {p.id for p in predictions(cand.batch)}
    assert {p.id for p in listed} <= in_csv  # the two files name the same pairs


def test_real_candidates_in_sqlite(real: TxgnnLoad, tmp_path: Path) -> None:
    assert real.candidates is not None and real.search_index is not None
    with SqliteStore(tmp_path / "kg.db") as store:
        for batch in real.batches[:2]:  # the vocabularies
            store.load(batch)
        store.load(real.candidates.batch)
        store.load(real.search_index.batch)
        ranked = store.predictions(drug_id=BELATACEPT)
        assert len(ranked) == 50
        top = ranked[0]
        assert (top.disease_id, top.score, top.rank) == (MYELOMA, 0.9702630639076232, 1)
        assert top.scores == {"txgnn/repurposing_candidates_merged.csv": 0.9702630639076232,
                              "txgnn/search-index.json": 0.9703}
        assert len(store.ledger(source="txgnn/search-index.json")) == 157
        merged = store.predictions()
        assert len(merged) == 32368
        assert not [p.id for p in merged if p.unscored and (p.score, p.rank) != (None, None)]


def test_vocabulary_is_a_value() -> None:
    vocab = Vocabulary(drugs={BELATACEPT: "Belatacept"})
    assert vocab.with_ingredients({"nulojix": BELATACEPT}).resolve_drug("Nulojix") == BELATACEPT
    assert vocab.resolve_drug("Nulojix") is None
