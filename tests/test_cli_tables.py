"""Read commands for people and programs: tables that fit, cut lists that say so, CSV and
JSON everywhere, and the drugs predicted for a disease (on both stores)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graph.api import KnowledgeGraph
from graph.cli import main
from graph.store.base import GraphStore
from graph.table import CUT_MARK, fit_table
from loaders.primekg import read_primekg
from loaders.reports import read_report
from tests.conftest import EXAMPLES

MYELOMA = "MONDO:0009693"
BELATACEPT = "DRUGBANK:DB06681"


def run(store: Path | str, *args: str, columns: int | None = None) -> Result:
    uri = store if isinstance(store, str) else f"sqlite:///{store}"
    env = {"COLUMNS": str(columns)} if columns else {}
    result = CliRunner().invoke(main, ["--store", uri, *args], env=env)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    store = tmp_path / "kg.db"
    run(store, "load", "primekg", str(EXAMPLES / "mechanisms.csv"))
    run(store, "load", "reports", str(EXAMPLES / "reports"))
    return store


def test_a_wide_table_is_cut_to_the_width_with_a_visible_mark() -> None:
    rows = [["Belatacept", "Costimulation by the CD28 family " * 3, 0.25]]
    text = fit_table(["drug", "pathway", "share"], rows, width=40)
    assert max(len(line) for line in text.splitlines()) <= 40
    assert CUT_MARK in text and "Belatacept" in text and "0.25" in text
    assert fit_table(["drug"], [["Belatacept"]], width=None).endswith("Belatacept")


@pytest.mark.parametrize("command", [
    ["show", "belatacept"], ["ledger"], ["predictions", "belatacept"], ["stats"],
    ["metapaths", "Drug", "Disease"], ["explain", "belatacept", "--top", "3"],
])
def test_every_line_of_a_read_command_fits_the_terminal(loaded: Path,
                                                        command: list[str]) -> None:
    out = run(loaded, *command, columns=80).output
    assert max(len(line) for line in out.splitlines()) <= 80, out


def test_show_puts_mechanism_edges_first_and_says_how_many_are_left_out(loaded: Path) -> None:
    out = run(loaded, "show", "belatacept", "--limit", "2").output
    rows = [line for line in out.splitlines() if line.startswith(("-[", "<-["))]
    assert [r.split()[0] for r in rows] == ["-[TARGETS]->", "-[TARGETS]->"]
    with KnowledgeGraph.open(f"sqlite:///{loaded}") as kg:
        view = kg.show("belatacept", limit=2)
    assert view.neighbour_count > 2
    assert f"{CUT_MARK} {view.neighbour_count - 2} more neighbours (use --limit)" in out
    everything = run(loaded, "show", "belatacept", "--limit", "0").output
    assert "more neighbours" not in everything and "OF_DRUG" in everything


def test_a_cut_list_says_how_many_more(loaded: Path, tmp_path: Path) -> None:
    report = EXAMPLES / "reports" / "abatacept-rheumatoid-vasculitis.txt"
    other = tmp_path / "abatacept-other.txt"  # a second disease name nothing resolves
    other.write_text(report.read_text().replace("Rheumatoid Vasculitis", "Vasculitis X"))
    run(loaded, "load", "reports", str(other))
    with KnowledgeGraph.open(f"sqlite:///{loaded}") as kg:
        total = len(kg.ledger())
    assert total > 1
    out = run(loaded, "ledger", "--limit", "1").output
    assert f"{CUT_MARK} {total - 1} more entries (use --limit)" in out


@pytest.mark.parametrize("command", [
    ["stats"], ["show", "belatacept"], ["predictions", "belatacept"],
    ["predictions", "--disease", "plasma cell myeloma"], ["ledger"], ["metagraph"],
    ["metapaths", "Drug", "Disease"], ["explain", "belatacept", "--top", "3"],
])
def test_every_read_command_speaks_csv_and_json(loaded: Path, command: list[str]) -> None:
    rows = list(csv.reader(io.StringIO(run(loaded, *command, "--format", "csv").output)))
    assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows)
    assert json.loads(run(loaded, *command, "--format", "json").output)


def test_predictions_for_a_disease_on_the_command_line(loaded: Path) -> None:
    rows = json.loads(run(loaded, "predictions", "--disease", "plasma cell myeloma",
                          "--format", "json").output)
    assert [(r["drug"]["id"], r["disease"]["id"]) for r in rows] == [(BELATACEPT, MYELOMA)]
    text = run(loaded, "predictions", "--disease", MYELOMA).output
    assert "Belatacept" in text and "97.03%" in text and "drug id" in text
    both = CliRunner().invoke(main, ["--store", f"sqlite:///{loaded}", "predictions",
                                     "belatacept", "--disease", "x"])
    assert both.exit_code == 2


def test_predictions_for_a_disease_agree_on_both_stores(store: GraphStore) -> None:
    kg = KnowledgeGraph(store)
    kg.load(read_primekg(EXAMPLES / "mechanisms.csv"))
    for report in sorted((EXAMPLES / "reports").iterdir()):
        kg.load(read_report(report))
    views = kg.disease_predictions("plasma cell myeloma")
    assert [(v.drug.id, v.disease.id, v.trials, v.publications) for v in views] == [
        (BELATACEPT, MYELOMA, 2, 7)]
    assert views[0].prediction.score == pytest.approx(0.9703)
    by_drug = kg.predictions("belatacept")
    assert views[0].prediction == next(v.prediction for v in by_drug
                                       if v.disease.id == MYELOMA)


def test_query_text_is_the_default_table(neo4j_server: tuple[str, str, str],
                                         neo4j_store: GraphStore,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    uri, user, password = neo4j_server
    monkeypatch.setenv("NEO4J_USER", user)
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    run(uri, "load", "primekg", str(EXAMPLES / "mechanisms.csv"))
    run(uri, "load", "reports", str(EXAMPLES / "reports"))
    text = run(uri, "query", "disease_predictions", "--param", "disease=plasma cell myeloma",
               columns=80).output
    assert text == run(uri, "query", "disease_predictions", "--format", "text", "--param",
                       "disease=plasma cell myeloma", columns=80).output
    assert "Belatacept" in text and max(len(line) for line in text.splitlines()) <= 80
    cli = json.loads(run(uri, "predictions", "--disease", "plasma cell myeloma",
                         "--format", "json").output)
    assert [r["drug"]["id"] for r in cli] == [BELATACEPT]
