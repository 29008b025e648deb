"""Many readers and a writer on one Neo4j database: readers see committed states only (or a
source marked incomplete), none is turned away, and two writers never corrupt the graph.

Eight reader processes loop over ``stats``, ``show``, ``predictions`` and ``explain``
while one writer reloads a PrimeKG-shaped source again and again, switching between two
versions. Two loads in three are small enough for one transaction: whatever a reader
sees of them is a state a load committed. Every third is written in many transactions
(``--chunk-size 2000``): while it runs, readers see the source marked incomplete, and
every state they see with all sources complete is a committed one. No command may fail.

Then two writers load at once: each either succeeds or, having waited, says in one line
that another command is writing; the graph ends as a clean load of the version that won.

``TXKG_CONCURRENCY_SECONDS`` sets how long the readers run (CI: 15 s; the figures in
docs/guarantees.md come from longer runs).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_concurrency import READERS, SECONDS
from test_neo4j_load import dump

from graph.store.neo4j import Neo4jStore
from tests.conftest import EXAMPLES, REPO

READER = r"""
import json, os, subprocess, sys, time
store, until, i = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
commands = [["stats", "--format", "json"], ["show", "CD80"], ["predictions", "belatacept"],
            ["explain", "belatacept", "plasma cell myeloma", "--top", "3"]]
seen, failures, runs = {}, [], 0
while time.time() < until:
    args = commands[i % len(commands)]
    i += 1
    done = subprocess.run([sys.executable, "-m", "graph", "--store", store, *args],
                          capture_output=True, text=True)
    runs += 1
    if done.returncode != 0:
        failures.append((args[0], (done.stdout + done.stderr).strip()[-300:]))
    elif args[0] == "stats":
        figures = json.loads(done.stdout)
        state = json.dumps([figures["counts"], [[s["name"], s["version"], s["complete"]]
                                                for s in figures["sources"]]], sort_keys=True)
        seen[state] = seen.get(state, 0) + 1
print(json.dumps({"runs": runs, "failures": failures, "seen": seen}))
"""


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("neo4j-concurrency")
    first = folder / "kg.csv"
    subprocess.run([sys.executable, str(REPO / "scripts" / "synthetic_primekg.py"), "6000",
                    str(first), "--seed", "3"], check=True, capture_output=True)
    lines = first.read_text().splitlines(keepends=True)
    second = folder / "kg-2.csv"
    second.write_text(lines[0] + "".join(line for i, line in enumerate(lines[1:]) if i % 7))
    return first, second


def env_for(server: tuple[str, str, str]) -> dict[str, str]:
    _, user, password = server
    env = {**os.environ, "NEO4J_USER": user, "NEO4J_PASSWORD": password}
    env.pop("NEO4J_DATABASE", None)
    return env


def run(server: tuple[str, str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "graph", "--store", server[0], *args],
                          env=env_for(server), cwd=REPO, capture_output=True, text=True,
                          check=False)


def state(server: tuple[str, str, str]) -> str:
    done = run(server, "stats", "--format", "json")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    return json.dumps([figures["counts"], [[s["name"], s["version"], s["complete"]]
                                           for s in figures["sources"]]], sort_keys=True)


def load(server: tuple[str, str, str], csv: Path, version: str,
         *extra: str) -> subprocess.CompletedProcess[str]:
    return run(server, "load", "primekg", str(csv), "--name", "PrimeKG", "--version", version,
               *extra)


def test_readers_see_only_committed_states_while_a_writer_reloads(
        neo4j_store: Neo4jStore, neo4j_server: tuple[str, str, str],
        versions: tuple[Path, Path]) -> None:
    first, second = versions
    assert load(neo4j_server, first, "1").returncode == 0
    assert run(neo4j_server, "load", "primekg", str(EXAMPLES / "mechanisms.csv")).returncode == 0
    assert run(neo4j_server, "load", "reports", str(EXAMPLES / "reports")).returncode == 0
    committed = {state(neo4j_server)}
    until = time.time() + SECONDS
    readers = [subprocess.Popen([sys.executable, "-c", READER, neo4j_server[0], str(until),
                                 str(i)], env=env_for(neo4j_server), cwd=REPO,
                                stdout=subprocess.PIPE, text=True)
               for i in range(READERS)]
    loads = chunked = 0
    while time.time() < until or loads < 3:
        for csv, version in ((second, "2"), (first, "1")):
            many = loads % 3 == 2
            done = load(neo4j_server, csv, version, *(("--chunk-size", "2000") if many else ()))
            assert done.returncode == 0, done.stdout + done.stderr
            committed.add(state(neo4j_server))
            loads += 1
            chunked += many
    reports = [json.loads(r.communicate()[0]) for r in readers]
    assert [f for r in reports for f in r["failures"]] == []
    seen: dict[str, int] = {}
    for report in reports:
        for key, times in report["seen"].items():
            seen[key] = seen.get(key, 0) + times
    complete = {s for s in seen if all(c for _, _, c in json.loads(s)[1])}
    assert complete, "no reader saw a complete state"
    assert complete <= committed, "a reader saw a state no load committed"
    incomplete = sum(n for s, n in seen.items() if s not in complete)
    print(f"\n{SECONDS:.0f} s: {loads} loads ({chunked} in many transactions), "
          f"{sum(r['runs'] for r in reports)} reader commands, {sum(seen.values())} stats: "
          f"{sum(seen.values()) - incomplete} of committed states, {incomplete} marked incomplete")


def test_two_writers_at_once_wait_or_say_so_and_never_corrupt(
        neo4j_store: Neo4jStore, neo4j_server: tuple[str, str, str],
        versions: tuple[Path, Path]) -> None:
    first, second = versions
    clean = {}
    for csv, version in ((second, "2"), (first, "3")):
        neo4j_store.clear()
        assert load(neo4j_server, first, "1").returncode == 0
        assert load(neo4j_server, csv, version).returncode == 0
        clean[version] = dump(neo4j_store)
    neo4j_store.clear()
    assert load(neo4j_server, first, "1").returncode == 0
    both = [subprocess.Popen([sys.executable, "-m", "graph", "--store", neo4j_server[0],
                              "load", "primekg", str(csv), "--name", "PrimeKG", "--version",
                              version, *extra],
                             env=env_for(neo4j_server), cwd=REPO, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
            for csv, version, extra in ((second, "2", ("--chunk-size", "2000")),
                                        (first, "3", ()))]
    outcomes = []
    for writer in both:
        _out, err = writer.communicate(timeout=600)
        outcomes.append(writer.returncode)
        if writer.returncode != 0:
            assert writer.returncode == 1 and "another command is writing" in err, err
            assert err.strip().count("\n") == 0
    final = dump(neo4j_store)
    version = final["sources"]["PrimeKG"]["info"]["version"]
    assert version in clean and final == clean[version]
    print(f"\ntwo writers: exit codes {outcomes}, version {version} live")


HOLDER = r"""
import sys, time
from graph.store.neo4j import Neo4jStore
from graph.store.neo4j_lock import writer_lock
store = Neo4jStore(sys.argv[1], user=sys.argv[2], password=sys.argv[3])
with writer_lock(store._driver, None, store.uri):
    print("held", flush=True)
    time.sleep(600)
"""


def test_a_held_lock_refuses_in_one_line_and_dies_with_its_holder(
        neo4j_store: Neo4jStore, neo4j_server: tuple[str, str, str]) -> None:
    uri, user, password = neo4j_server
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, uri, user, password], cwd=REPO,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        started = time.monotonic()
        done = run(neo4j_server, "load", "primekg", str(EXAMPLES / "mechanisms.csv"))
        waited = time.monotonic() - started
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr == (f"Error: cannot write to {uri}: another command is writing to "
                               "it (waited 10 s); try again when it has finished\n")
        assert waited >= 10
        assert neo4j_store.sources() == []
        # The holder dies without a word (SIGKILL): the server frees the lock at once.
        holder.kill()
        holder.wait()
        started = time.monotonic()
        done = run(neo4j_server, "load", "primekg", str(EXAMPLES / "mechanisms.csv"))
        assert done.returncode == 0, done.stderr
        print(f"\nheld lock: refused after {waited:.1f} s; after its holder was killed, the "
              f"next load ran at once ({time.monotonic() - started:.1f} s in all)")
    finally:
        holder.kill()
        holder.wait()
