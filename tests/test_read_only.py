"""Reading commands write nothing: a store opened to read is never created, changed or locked.

On the embedded store a read opens the file read-only: it works on a file in a
read-only folder, while another process holds a write transaction on it, and a
mistyped path is an error (nothing is created). A writer waiting for another
writer gives up after a while with one line.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graph.cli import main
from graph.errors import StoreError
from graph.store.sqlite import SqliteStore
from tests.conftest import EXAMPLES


def run(store: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--store", f"sqlite:///{store}", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    store = tmp_path / "kg.db"
    assert run(store, "load", "primekg", str(EXAMPLES / "mechanisms.csv")).exit_code == 0
    return store


@pytest.mark.parametrize("command", [["stats"], ["predictions", "belatacept"],
                                     ["show", "belatacept"], ["ledger"]])
def test_a_read_of_a_missing_store_says_so_and_creates_nothing(tmp_path: Path,
                                                              command: list[str]) -> None:
    typo = tmp_path / "txkg.dbb"
    result = run(typo, *command)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "no store at" in result.output
    assert list(tmp_path.iterdir()) == []


def test_reads_write_nothing(loaded: Path) -> None:
    before = {p.name: p.read_bytes() for p in loaded.parent.iterdir() if p.is_file()}
    for command in (["stats"], ["show", "belatacept"], ["explain", "belatacept",
                                                       "plasma cell myeloma"]):
        assert run(loaded, *command).exit_code == 0
    after = {p.name: p.read_bytes() for p in loaded.parent.iterdir() if p.is_file()}
    assert after.keys() <= before.keys() | {"kg.db-shm", "kg.db-wal"}
    assert after["kg.db"] == before["kg.db"]


def test_a_read_only_folder_as_the_store_sees_it(loaded: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A store in a folder nobody may write to (simulated: the store asks ``os.access``,
    and root may write anywhere, so a chmod would prove nothing under CI): read as it is,
    no -shm or -wal file made, writes refused in one line."""
    import graph.store.sqlite as sqlite_store

    for leftover in loaded.parent.glob("kg.db-*"):
        leftover.unlink()
    monkeypatch.setattr(sqlite_store.os, "access", lambda path, mode: False)
    store = SqliteStore(loaded, read_only=True)
    assert store.counts().nodes
    with pytest.raises(StoreError, match="read-only"):
        store.remove_source("PrimeKG")
    store.close()
    assert sorted(p.name for p in loaded.parent.iterdir()) == ["kg.db"]


HOLD_WRITE = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO meta VALUES ('held', 'by another process')")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("ROLLBACK")
"""


def test_reads_go_on_while_another_process_writes(loaded: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITE, str(loaded), "20"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().startswith("holding")
        for command in (["stats"], ["predictions", "belatacept"], ["show", "CD80"]):
            result = run(loaded, *command)
            assert result.exit_code == 0, result.output
    finally:
        holder.kill()
        holder.wait()


def test_a_second_writer_waits_then_says_so_in_one_line(loaded: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import graph.store.sqlite as sqlite_store

    monkeypatch.setattr(sqlite_store, "BUSY_TIMEOUT_MS", 500)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITE, str(loaded), "20"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().startswith("holding")
        changed = loaded.parent / "changed.csv"
        changed.write_text((EXAMPLES / "mechanisms.csv").read_text().rsplit("\n", 3)[0] + "\n")
        result = run(loaded, "load", "primekg", "--name", "PrimeKG", str(changed))
        assert result.exit_code == 1
        assert result.output.count("\n") == 1 and "another command is writing" in result.output
    finally:
        holder.kill()
        holder.wait()
    with sqlite3.connect(loaded) as db:  # the held write never landed; nothing half-done
        assert db.execute("SELECT count(*) FROM meta WHERE key = 'held'").fetchone()[0] == 0
    db.close()


def test_mistakes_get_one_line_and_change_nothing(loaded: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    before = loaded.read_bytes()
    for args, said in (
        (["load", "reports", str(empty)], "no report files"),
        (["load", "primekg", str(EXAMPLES)], "not a file"),
        (["metapaths", "Drug", "Diseaze"], "did you mean 'Disease'"),
        (["ledger", "--source", "nope.csv"], "no source named 'nope.csv' is loaded"),
    ):
        result = run(loaded, *args)
        assert result.exit_code == 1, (args, result.output)
        assert result.output.count("\n") == 1 and said in result.output, result.output
    assert loaded.read_bytes() == before


def test_a_page_that_is_not_a_report_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "kg.db"
    result = run(store, "load", "reports", str(EXAMPLES / "README.md"))
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "not an evidence report" in result.output
    assert not store.exists()
