"""Many readers and a writer on one embedded store: no reader sees half a load, none is
turned away, and two writers never corrupt it.

Eight reader processes loop over ``stats``, ``show``, ``predictions`` and
``explain`` while one writer reloads a source again and again, switching
between two versions of a PrimeKG-shaped file. Every ``stats`` a reader prints
must be one of the states a load committed; no command may fail (in particular
with "database is locked"). Then two writers load at once: each either
succeeds or, having waited, says in one line that another command is writing;
the file stays intact (``PRAGMA integrity_check``) and holds one committed state.

``TXKG_CONCURRENCY_SECONDS`` sets how long the readers run (CI: 15 s; the
figures in docs/guarantees.md come from a few minutes).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO

SECONDS = float(os.environ.get("TXKG_CONCURRENCY_SECONDS", "15"))
READERS = 8
TXKG = str(Path(sys.executable).with_name("txkg"))

READER = r"""
import json, subprocess, sys, time
txkg, store, until = sys.argv[1], sys.argv[2], float(sys.argv[3])
commands = [["stats", "--format", "json"], ["show", "CD80"], ["predictions", "belatacept"],
            ["explain", "belatacept", "plasma cell myeloma", "--top", "3"]]
seen, failures, runs, i = set(), [], 0, int(sys.argv[4])
while time.time() < until:
    args = commands[i % len(commands)]
    i += 1
    done = subprocess.run([txkg, "--store", "sqlite:///" + store, *args],
                          capture_output=True, text=True)
    runs += 1
    if done.returncode != 0:
        failures.append((args[0], (done.stdout + done.stderr).strip()[-300:]))
    elif args[0] == "stats":
        figures = json.loads(done.stdout)
        seen.add(json.dumps([figures["counts"], [s["version"] for s in figures["sources"]]],
                            sort_keys=True))
print(json.dumps({"runs": runs, "failures": failures, "seen": sorted(seen)}))
"""


def state(store: Path) -> str:
    done = subprocess.run([TXKG, "--store", f"sqlite:///{store}", "stats", "--format", "json"],
                          capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout)
    return json.dumps([figures["counts"], [s["version"] for s in figures["sources"]]],
                      sort_keys=True)


def load(store: Path, csv: Path, version: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([TXKG, "--store", f"sqlite:///{store}", "load", "primekg", str(csv),
                           "--name", "PrimeKG", "--version", version],
                          capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("concurrency")
    first = folder / "kg.csv"
    subprocess.run([sys.executable, str(REPO / "scripts" / "synthetic_primekg.py"), "60000",
                    str(first), "--seed", "3"], check=True, capture_output=True)
    lines = first.read_text().splitlines(keepends=True)
    second = folder / "kg-2.csv"
    second.write_text(lines[0] + "".join(line for i, line in enumerate(lines[1:]) if i % 7))
    return first, second


def test_readers_see_only_committed_states_while_a_writer_reloads(
        versions: tuple[Path, Path], tmp_path: Path) -> None:
    first, second = versions
    store = tmp_path / "kg.db"
    assert load(store, first, "1").returncode == 0
    assert subprocess.run([TXKG, "--store", f"sqlite:///{store}", "load", "reports",
                           str(EXAMPLES / "reports")], capture_output=True).returncode == 0
    committed = {state(store)}
    until = time.time() + SECONDS
    readers = [subprocess.Popen([sys.executable, "-c", READER, TXKG, str(store), str(until),
                                 str(i)], stdout=subprocess.PIPE, text=True)
               for i in range(READERS)]
    loads = 0
    while time.time() < until:
        for csv, version in ((second, "2"), (first, "1")):
            done = load(store, csv, version)
            assert done.returncode == 0, done.stdout + done.stderr
            committed.add(state(store))
            loads += 1
    reports = [json.loads(r.communicate()[0]) for r in readers]
    assert loads >= 2
    assert [f for r in reports for f in r["failures"]] == []
    seen = set().union(*(r["seen"] for r in reports))
    assert seen and seen <= committed, "a reader saw a state no load committed"
    assert sum(r["runs"] for r in reports) >= READERS
    print(f"\n{SECONDS:.0f} s: {loads} loads, {sum(r['runs'] for r in reports)} reader "
          f"commands, {len(seen)} distinct committed states seen, 0 failures")


def test_two_writers_at_once_wait_or_say_so_and_never_corrupt(
        versions: tuple[Path, Path], tmp_path: Path) -> None:
    first, second = versions
    store = tmp_path / "kg.db"
    assert load(store, first, "1").returncode == 0
    committed = {state(store)}
    both = [subprocess.Popen([TXKG, "--store", f"sqlite:///{store}", "load", "primekg",
                              str(csv), "--name", "PrimeKG", "--version", version],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for csv, version in ((second, "2"), (first, "3"))]
    for writer in both:
        _out, err = writer.communicate()
        if writer.returncode != 0:
            assert writer.returncode == 1 and "another command is writing" in err
            assert err.strip().count("\n") == 0
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    final = state(store)
    assert json.loads(final)[1] in (["1"], ["2"], ["3"])
    assert load(store, second, "2").returncode == 0
    committed.add(state(store))
    assert state(store) in committed
