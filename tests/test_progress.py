"""Long commands report progress: the API calls back as it goes, and the CLI draws one
line on a terminal (and nothing when stderr is not one)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph.cli.progress as progress
from graph.api import KnowledgeGraph
from graph.cli import main
from loaders.drugmechdb import read_drugmechdb
from loaders.primekg import read_primekg
from loaders.reports import read_report
from tests.conftest import EXAMPLES, shared_data


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def kg(tmp_path: Path) -> KnowledgeGraph:
    opened = KnowledgeGraph.open(f"sqlite:///{tmp_path / 'kg.db'}")
    opened.load(read_primekg(EXAMPLES / "mechanisms.csv"))
    for report in sorted((EXAMPLES / "reports").iterdir()):
        opened.load(read_report(report))
    return opened


def test_explaining_many_predictions_calls_back_for_each(kg: KnowledgeGraph) -> None:
    seen: list[tuple[int, int]] = []
    results = kg.explain_drug("belatacept", on_progress=lambda done, total: seen.append(
        (done, total)))
    assert seen == [(i, len(results)) for i in range(1, len(results) + 1)]


def test_export_calls_back_as_it_streams(kg: KnowledgeGraph, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    result = kg.export_neo4j_csv(tmp_path / "csv", on_progress=lambda d, t: seen.append((d, t)))
    done = [d for d, _ in seen]
    assert done == sorted(done) and len(set(done)) == len(done)
    assert done[-1] == result.nodes + result.relationships  # every element, no total known
    assert {t for _, t in seen} == {0}


def test_evaluation_calls_back_for_each_indication() -> None:
    folder = shared_data("drugmechdb", "paths")
    files = sorted(folder.glob("DB0000*_1.yaml"))[:3]
    seen: list[tuple[int, int]] = []
    KnowledgeGraph.evaluate_explainer(read_drugmechdb(files, keep_path_ids=False).paths, k=3,
                                      keep_own=True, on_progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1]


def test_the_progress_line_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "REDRAW_EVERY", 0.0)
    screen = Terminal()
    with progress.Progress("evaluating", unit="indications", stream=screen) as bar:
        bar.update(5, 5, 20)
    assert "evaluating" in screen.getvalue() and "5 indications" in screen.getvalue()
    assert "25%" in screen.getvalue()
    assert screen.getvalue().endswith("\r")  # the line is wiped at the end


def test_commands_print_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'kg.db'}"
    runner = CliRunner()
    assert runner.invoke(main, ["--store", store, "load", "primekg",
                                str(EXAMPLES / "mechanisms.csv")]).exit_code == 0
    for command in (["export", "neo4j-csv", str(tmp_path / "out")],
                    ["explain", "DB06681", "--format", "json", "--top", "1"]):
        result = runner.invoke(main, ["--store", store, *command])
        assert "\r" not in result.output, command
