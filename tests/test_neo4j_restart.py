"""The Neo4j server stops (cleanly, or killed) while ``txkg load`` writes a large source.

Three faults, each while a PrimeKG-shaped file of 40,000 rows is being loaded in many
transactions, after its first part has committed:

* ``restart``: ``scripts/neo4j-local stop`` (SIGTERM, a clean shutdown), then ``start``;
* ``crash``: SIGKILL of the server's JVM, then ``start`` (Neo4j recovers from its log);
* ``outage``: ``stop``, and the server stays down until the load gives up, then ``start``.

The load either completes (the driver retries a failed transaction for up to 30 s), or
fails with one line naming the server. Then the store holds no part of the source, or
holds it marked incomplete; either way the same command run again completes it, and the
graph equals a clean load: nothing lost, nothing duplicated.

The test restarts the test server itself, so it needs the local one (not
``TXKG_TEST_NEO4J_URI``).

What a clean restart can do (issue 12), a part's transaction committed on the server while
the client never saw the commit, so that the driver runs it again, is also made to happen
on purpose, every time, by :func:`test_a_part_committed_unseen_and_run_again_is_written_once`.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from test_neo4j_load import CHUNK, dump, finished, primekg_file, txkg

import graph.store.neo4j_commands
from graph.store.neo4j import Neo4jStore
from graph.store.neo4j_tx import Runner, T
from loaders.primekg import read_primekg

__all__ = ["primekg_file"]  # a fixture, imported for its use here

CLEAN: dict[str, Any] = {}
REPLAYED: list[int] = []  # the parts Replaying ran twice


def server_script(*args: str) -> None:
    from neo4j_server import _run, _script_env, _tail

    env, _ = _script_env()
    done = _run(list(args), env, 600)
    assert done.returncode == 0, _tail(done)


def server_pid() -> int:
    from neo4j_server import _script_env

    env, _ = _script_env()
    return int((Path(env["TXKG_NEO4J_INSTANCE_DIR"]) / "run" / "neo4j-local.pid").read_text())


@pytest.mark.parametrize("fault", ["restart", "crash", "outage"])
def test_a_server_restart_during_a_load_loses_and_duplicates_nothing(
        fault: str, neo4j_store: Neo4jStore, neo4j_server: tuple[str, str, str],
        primekg_file: Path) -> None:
    if os.environ.get("TXKG_TEST_NEO4J_URI"):
        pytest.skip("restarts the server: needs the local test server, not TXKG_TEST_NEO4J_URI")
    command = ("load", "primekg", str(primekg_file), "--chunk-size", CHUNK)
    if "dump" not in CLEAN:
        finished(txkg(neo4j_server, *command))
        CLEAN["dump"] = dump(neo4j_store)
        neo4j_store.clear()

    loading = txkg(neo4j_server, *command)
    deadline = time.monotonic() + 300
    while not neo4j_store.counts().total_edges:  # the first part has committed
        assert loading.poll() is None, loading.communicate()[0]
        assert time.monotonic() < deadline
        time.sleep(0.1)
    if fault == "crash":
        os.kill(server_pid(), signal.SIGKILL)
        time.sleep(1)
        server_script("start")
    elif fault == "restart":
        server_script("stop")
        server_script("start")
    else:
        server_script("stop")
        loading.wait(timeout=600)
        server_script("start")
    out, _ = loading.communicate(timeout=600)

    uri = neo4j_server[0]
    if loading.returncode == 0:
        outcome = "completed through the driver's retries"
        assert "incomplete" not in out
    else:
        assert loading.returncode == 1
        assert out.count("\n") == 1 and out.startswith("Error: ") and uri in out, out
        figures = json.loads(finished(txkg(neo4j_server, "stats", "--format", "json")))
        state = [s["complete"] for s in figures["sources"]]
        assert state in ([], [False]), "a source left part-way is not marked incomplete"
        outcome = (f"failed ({'left incomplete' if state else 'undone'}): {out.strip()}")
        rerun = finished(txkg(neo4j_server, *command))
        assert "incomplete" not in rerun
    after = dump(neo4j_store)
    assert after == CLEAN["dump"], f"{fault}: {outcome}; {difference(after, CLEAN['dump'])}"
    print(f"\n{fault}: {outcome}")


def difference(after: dict[str, Any], clean: dict[str, Any]) -> str:
    """What differs from a clean load, in a few words (for the failure message)."""
    said = [f"counts {after['counts']} instead of {clean['counts']}"
            if after["counts"] != clean["counts"] else "counts equal"]
    ours, theirs = after["sources"].get("PrimeKG", {}), clean["sources"]["PrimeKG"]
    for part in ("nodes", "edges", "ledger"):
        more = set(ours.get(part, ())) - set(theirs[part])
        fewer = set(theirs[part]) - set(ours.get(part, ()))
        if more or fewer:
            said.append(f"{part}: {len(more)} more, e.g. {sorted(more)[:1]}; {len(fewer)} "
                        f"fewer, e.g. {sorted(fewer)[:1]}")
    if ours.get("info") != theirs["info"]:
        said.append(f"source {ours.get('info')} instead of {theirs['info']}")
    return "; ".join(said)



class Replaying(Runner):
    """Every third part's transaction commits unseen: it runs and commits, its result is
    dropped, and it runs again, as when the driver retries a commit whose reply was lost."""

    def write(self, work: Callable[[Any], T]) -> T:
        if (isinstance(work, partial) and work.func.__name__ == "write_part"
                and work.keywords["number"] % 3 == 1):
            super().write(work)
            REPLAYED.append(work.keywords["number"])
        return super().write(work)


def test_a_part_committed_unseen_and_run_again_is_written_once(
        neo4j_store: Neo4jStore, primekg_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clean_result = neo4j_store.load(read_primekg(primekg_file, chunk_size=int(CHUNK)))
    clean = dump(neo4j_store)
    neo4j_store.clear()

    monkeypatch.setattr(graph.store.neo4j_commands, "Runner", Replaying)
    result = neo4j_store.load(read_primekg(primekg_file, chunk_size=int(CHUNK)))
    assert len(REPLAYED) >= 3, REPLAYED
    assert dump(neo4j_store) == clean
    assert (result.nodes, result.edges, result.refused) == (
        clean_result.nodes, clean_result.edges, clean_result.refused)
    with neo4j_store._driver.session(database=neo4j_store.database) as session:
        left = session.run("MATCH (s:TxkgSource) RETURN s.loading_parts AS parts, "
                           "s.loading_part_edges AS edges").data()
    assert left == [{"parts": None, "edges": None}], "the parts' record outlived the load"
