"""A load killed at any moment leaves the embedded store as it was; the rerun completes it.

``txkg load primekg`` runs in a subprocess on a PrimeKG-shaped file of 200,000
rows and is killed with SIGKILL at random moments of its run (reading,
identity resolution and writing are interleaved chunk by chunk, so random
moments cover all three). After each kill a reader (``txkg stats``) must see
the store exactly as before the load or exactly as after it, never between;
then the same command is run again, and the store must equal a clean load
(canonical dump: every node with its merged fields, every edge with its
provenance, the ledger, the sources).

``TXKG_CRASH_POINTS`` sets how many kill points each test tries (CI: a few;
the figures in docs/guarantees.md come from runs with 25).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO

POINTS = int(os.environ.get("TXKG_CRASH_POINTS", "3"))
ROWS = 200_000
TXKG = str(Path(sys.executable).with_name("txkg"))


def canonical(path: Path) -> str:
    """A digest of everything the store holds, independent of row keys and load times:
    every node with its merged view, every edge with each source's assertion, the
    ledger, the sources and the edge counts."""
    queries = (
        "SELECT id, kind, name, data FROM nodes ORDER BY id",
        "SELECT n.id, s.name, a.data FROM node_said a JOIN nodes n ON n.nid = a.nid "
        "JOIN sources s ON s.sid = a.sid ORDER BY 1, 2",
        "SELECT e.source_id, e.type, e.target_id, s.name, a.line, a.provenance, a.properties "
        "FROM edge_said a JOIN edge_ends e ON e.id = a.eid JOIN sources s ON s.sid = a.sid "
        "ORDER BY 1, 2, 3, 4",
        "SELECT s.name, l.path, l.line, l.record, l.reason FROM ledger l "
        "JOIN sources s ON s.sid = l.sid ORDER BY 1, 2, 3, 4, 5",
        "SELECT name, kind, version, path FROM sources ORDER BY name",
        "SELECT type, n FROM edge_counts WHERE n > 0 ORDER BY type",
    )
    digest = hashlib.sha256()
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        for query in queries:
            for row in db.execute(query):
                digest.update(repr(row).encode())
            digest.update(b"|")
    finally:
        db.close()
    return digest.hexdigest()


def load_command(store: Path, csv: Path, version: str) -> list[str]:
    return [TXKG, "--store", f"sqlite:///{store}", "load", "primekg", str(csv),
            "--name", "PrimeKG", "--version", version]


def stats(store: Path) -> str:
    done = subprocess.run([TXKG, "--store", f"sqlite:///{store}", "stats", "--format", "json"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0 and "no store at" in done.stderr + done.stdout:
        return "absent"
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    return json.dumps({"counts": figures["counts"],
                       "sources": [s["name"] + "@" + str(s["version"])
                                   for s in figures["sources"]]}, sort_keys=True)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A PrimeKG-shaped file, and a changed version of it (a tenth of its facts dropped)."""
    folder = tmp_path_factory.mktemp("crash")
    first = folder / "kg.csv"
    subprocess.run([sys.executable, str(REPO / "scripts" / "synthetic_primekg.py"), str(ROWS),
                    str(first), "--seed", "7"], check=True, capture_output=True)
    lines = first.read_text().splitlines(keepends=True)
    second = folder / "kg-2.csv"
    second.write_text(lines[0] + "".join(line for i, line in enumerate(lines[1:]) if i % 10))
    return first, second


def clean_load(folder: Path, csv: Path, version: str, before: Path | None = None) -> Path:
    store = folder / f"clean-{version}.db"
    if before is not None:
        subprocess.run(load_command(store, before, "1"), check=True, capture_output=True)
    subprocess.run(load_command(store, csv, version), check=True, capture_output=True)
    return store


def kill_and_rerun(store: Path, command: list[str], at: float,
                   allowed: set[str]) -> str:
    """Kill ``command`` after ``at`` seconds; check what a reader sees; rerun it."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(at)
    process.send_signal(signal.SIGKILL)
    process.wait()
    seen = stats(store)
    assert seen in allowed, f"a reader saw a half-written store after a kill at {at:.2f} s"
    subprocess.run(command, check=True, capture_output=True)
    return seen


def test_a_killed_first_load_leaves_nothing_and_the_rerun_completes_it(
        files: tuple[Path, Path], tmp_path: Path) -> None:
    csv, _ = files
    clean = clean_load(tmp_path, csv, "1")
    expected = canonical(clean)
    started = time.perf_counter()
    subprocess.run(load_command(tmp_path / "timing.db", csv, "1"), check=True,
                   capture_output=True)
    duration = time.perf_counter() - started
    rng = random.Random(12)
    outcomes = []
    for point in range(POINTS):
        store = tmp_path / f"killed-{point}.db"
        at = rng.uniform(0.05, duration * 0.98)
        outcomes.append(kill_and_rerun(store, load_command(store, csv, "1"), at,
                                       {"absent", stats(clean), _empty_store_stats(store)}))
        assert canonical(store) == expected
    assert outcomes


def test_a_killed_reload_keeps_the_old_version_and_the_rerun_completes_it(
        files: tuple[Path, Path], tmp_path: Path) -> None:
    first, second = files
    old = clean_load(tmp_path, first, "1")
    new = clean_load(tmp_path, second, "2", before=first)
    expected = canonical(new)
    allowed = {stats(old), stats(new)}
    rng = random.Random(13)
    for point in range(POINTS):
        store = tmp_path / f"reload-{point}.db"
        subprocess.run(load_command(store, first, "1"), check=True, capture_output=True)
        at = rng.uniform(0.05, 6.0)
        kill_and_rerun(store, load_command(store, second, "2"), at, allowed)
        assert canonical(store) == expected


def _empty_store_stats(store: Path) -> str:
    """What a reader sees of a store file that was created but holds nothing yet."""
    return json.dumps({"counts": {"nodes": {}, "edges": {}}, "sources": []}, sort_keys=True)
