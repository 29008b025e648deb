"""The command line, end to end, on a real SQLite file; state checked through the API."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graph.api import KnowledgeGraph
from graph.cli import main
from tests.conftest import EXAMPLES, REPO

MECHANISMS = EXAMPLES / "mechanisms.csv"
REPORTS = EXAMPLES / "reports"


def run(store: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--store", f"sqlite:///{store}", *args])
    # Whatever happens, a user never sees a traceback: only our exit codes.
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.output)
    return result


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    store = tmp_path / "kg.db"
    assert run(store, "load", "primekg", str(MECHANISMS)).exit_code == 0
    assert run(store, "load", "reports", str(REPORTS)).exit_code == 0
    return store


def counts(store: Path) -> tuple[dict[str, int], dict[str, int]]:
    with KnowledgeGraph.open(f"sqlite:///{store}") as kg:
        c = kg.stats().counts
        return c.nodes, c.edges


def test_the_main_job_explains_belatacept_for_plasma_cell_myeloma(loaded: Path) -> None:
    result = run(loaded, "explain", "belatacept", "plasma cell myeloma", "--top", "5")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "97.03%" in out and "evidence level L3" in out and "decision Hold" in out
    assert "2 trials, 7 publications" in out
    # One of the top three paths runs through CD80 or CD86, then CD28.
    paths = re.findall(r"^\s*([123])\s.*$", out, flags=re.MULTILINE)
    assert paths, out
    top3 = [line for line in out.splitlines() if re.match(r"^\s*[123]\s+\d\S*\s", line)]
    assert any(("CD80" in line or "CD86" in line) and "CD28" in line for line in top3), out
    assert "PMID:38562904" in out or "PMID 38562904" in out


def test_explain_json_has_the_documented_schema(loaded: Path) -> None:
    result = run(loaded, "explain", "DB06681", "--format", "json", "--top", "3")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["schema"] == "txkg.explain/1"
    first = doc["results"][0]
    assert first["prediction"]["evidence_level"] == "L3"
    assert {e["node"]["id"] for e in first["evidence"]} >= {
        "clinicaltrials:NCT04827979", "clinicaltrials:NCT05017545", "PMID:31129111"}
    assert len(first["explanation"]["paths"]) <= 3
    hop = first["explanation"]["paths"][0]["hops"][0]
    assert {"edge_type", "sources", "pmids"} <= hop.keys()


def test_explaining_a_drugs_predictions_in_several_processes_prints_the_same(
        loaded: Path) -> None:
    from tests.test_bounded_stores import predictions

    with KnowledgeGraph.open(f"sqlite:///{loaded}") as kg:  # two more predictions
        kg.load(predictions("DRUGBANK:DB06681", ["MONDO:0008383", "MONDO:0011849"]))
    one, two = (run(loaded, "explain", "belatacept", "--jobs", jobs, "--format", "json")
                for jobs in ("1", "2"))
    assert one.exit_code == two.exit_code == 0, one.output + two.output
    assert one.output == two.output
    assert len(json.loads(one.output)["results"]) == 3


def test_loading_twice_changes_no_count(loaded: Path) -> None:
    before = counts(loaded)
    again = run(loaded, "load", "primekg", str(MECHANISMS))
    assert again.exit_code == 0 and "unchanged" in again.output
    assert run(loaded, "load", "reports", str(REPORTS)).exit_code == 0
    assert counts(loaded) == before


def test_remove_gives_back_the_reports_alone(loaded: Path, tmp_path: Path) -> None:
    alone = tmp_path / "reports.db"
    assert run(alone, "load", "reports", str(REPORTS)).exit_code == 0
    result = run(loaded, "remove", "PrimeKG")
    assert result.exit_code == 0, result.output
    assert "removed" in result.output
    assert counts(loaded) == counts(alone)
    shown = run(loaded, "show", "belatacept")
    assert "txkg:drug/belatacept" in shown.output  # provisional again
    unknown = run(loaded, "remove", "PrimeKG")
    assert unknown.exit_code == 1
    assert len(unknown.output.strip().splitlines()) == 1
    assert "no source named 'PrimeKG' is loaded; loaded: " in unknown.output


def test_stats_show_and_predictions(loaded: Path) -> None:
    stats = json.loads(run(loaded, "stats", "--format", "json").output)
    assert stats["counts"]["nodes"]["Drug"] >= 5
    shown = run(loaded, "show", "belatacept")
    assert shown.exit_code == 0 and "DRUGBANK:DB06681" in shown.output
    assert "CD80" in shown.output and "CD86" in shown.output
    rows = json.loads(run(loaded, "predictions", "Belatacept", "--format", "json").output)
    top = rows[0]
    assert top["disease"]["id"] == "MONDO:0009693"
    assert (top["trials"], top["publications"]) == (2, 7)


def test_an_unknown_drug_gets_one_line_with_close_matches(loaded: Path) -> None:
    result = run(loaded, "explain", "belatacep")
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "belatacep" in result.output and "Belatacept" in result.output


@pytest.mark.parametrize("command", [["load", "primekg"], ["load", "reports"]])
def test_a_missing_file_is_one_line_and_exit_1(tmp_path: Path, command: list[str]) -> None:
    result = run(tmp_path / "kg.db", *command, str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert "nope.csv" in result.output and result.output.strip().count("\n") == 0


def test_a_short_csv_row_names_file_and_line_and_writes_nothing(
        loaded: Path, tmp_path: Path) -> None:
    before = counts(loaded)
    lines = MECHANISMS.read_text().splitlines()
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([*lines[:5], "indication,indication,1,DB06681", *lines[5:]]) + "\n")
    result = run(loaded, "load", "primekg", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:6" in result.output
    assert counts(loaded) == before


def test_a_report_in_the_wrong_format_writes_nothing(loaded: Path, tmp_path: Path) -> None:
    before = counts(loaded)
    good = sorted(REPORTS.iterdir())[0]
    broken = tmp_path / "broken.txt"
    broken.write_text("this is not an evidence report\njust | some | text\n")
    result = run(loaded, "load", "reports", str(good), str(broken))
    assert result.exit_code == 1 and "broken.txt" in result.output
    assert counts(loaded) == before


def test_a_wrong_format_file_for_primekg(tmp_path: Path) -> None:
    result = run(tmp_path / "kg.db", "load", "primekg",
                 str(sorted(REPORTS.iterdir())[0]))
    assert result.exit_code == 1 and "examples/reports" in result.output


def test_every_command_is_documented() -> None:
    doc = (REPO / "docs" / "cli.md").read_text()

    def walk(group: object, prefix: str) -> list[str]:
        commands = getattr(group, "commands", {})
        names = []
        for name, command in commands.items():
            full = f"{prefix} {name}".strip()
            names.append(full)
            names.extend(walk(command, full))
        return names

    missing = [name for name in walk(main, "txkg") if f"`{name}" not in doc]
    assert not missing, f"undocumented in docs/cli.md: {missing}"


def test_a_read_command_imports_neither_the_explainer_nor_the_commands_it_does_not_run(
        tmp_path: Path) -> None:
    """Commands are imported on demand: ``txkg stats`` starts without the explain command."""
    import subprocess
    import sys

    code = ("import sys; from graph.cli import main\n"
            "try: main(['--store', sys.argv[1], 'stats'])\n"
            "except SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('graph.cli.')\n"
            "             or m in ('networkx', 'graph.explain.explainer', 'neo4j')))")
    store = tmp_path / "kg.db"
    assert run(store, "load", "primekg", str(MECHANISMS)).exit_code == 0
    out = subprocess.run([sys.executable, "-c", code, f"sqlite:///{store}"], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout
    loaded = out.strip().splitlines()[-1]
    assert "graph.cli.query" in loaded
    assert "graph.cli.explain" not in loaded and "graph.cli.analysis" not in loaded
    # Nor networkx, the explainer or the neo4j driver: a quick read pays for none of them.
    assert "networkx" not in loaded and "explainer" not in loaded and "neo4j" not in loaded


def test_every_command_is_found_where_the_root_looks_for_it() -> None:
    """``COMMAND_MODULES`` names each command's module, and every command is named there."""
    import importlib

    from graph.cli.root import COMMAND_MODULES

    for module in set(COMMAND_MODULES.values()):
        importlib.import_module(module)
    assert set(main.commands) == set(COMMAND_MODULES)


def test_the_program_ends_with_the_commands_exit_code_and_all_its_output(
        tmp_path: Path) -> None:
    """``txkg`` (graph.cli.run) leaves without tearing down what a command built: the
    output must still be whole and the exit code the command's, success or error."""
    import subprocess
    import sys

    store = f"sqlite:///{tmp_path / 'kg.db'}"

    def program(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "graph", "--store", store, *args],
                              cwd=REPO, capture_output=True, text=True)

    missing = program("stats")
    assert missing.returncode == 1 and missing.stderr.startswith("Error: no store at")
    loaded = program("load", "primekg", str(MECHANISMS))
    assert loaded.returncode == 0
    listed = program("show", "DRUGBANK:DB06681", "--format", "json")
    expected = CliRunner().invoke(main, ["--store", store, "show", "DRUGBANK:DB06681",
                                         "--format", "json"]).output
    assert listed.returncode == 0 and listed.stdout == expected and len(expected) > 100
    assert program("show", "--no-such-option").returncode == 2
