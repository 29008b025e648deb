"""A large load into Neo4j commits in parts and stays all-or-nothing.

Killed part-way (SIGKILL: nothing of txkg runs after it), the store reads the
source as incomplete; the same command run again completes the load, and the
graph equals a clean load of the file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from graph.api import KnowledgeGraph
from graph.store.neo4j import Neo4jStore
from loaders.primekg import read_primekg

REPO = Path(__file__).resolve().parents[1]
ROWS = 40_000  # ~20k statements, in chunks of 2,000: many transactions
CHUNK = "2000"


@pytest.fixture(scope="module")
def primekg_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("primekg") / "kg.csv"
    subprocess.run([sys.executable, str(REPO / "scripts" / "synthetic_primekg.py"), str(ROWS),
                    str(path)], check=True, capture_output=True)
    return path


def dump(store: Neo4jStore) -> dict[str, Any]:
    """What the store shows of each source (test_streaming.dump without the per-node views,
    which one source's nodes do not change, and which take a query per node)."""
    sources = {}
    for info in store.sources():
        batch = store.source_batch(info.name)
        sources[info.name] = {"info": info.model_dump(),
                              "nodes": sorted(n.model_dump_json() for n in batch.nodes),
                              "edges": sorted(e.model_dump_json() for e in batch.edges),
                              "ledger": sorted(r.model_dump_json() for r in batch.rejections)}
    return {"counts": store.counts().model_dump(), "sources": sources}


def txkg(server: tuple[str, str, str], *args: str) -> subprocess.Popen[str]:
    uri, user, password = server
    env = {**os.environ, "NEO4J_USER": user, "NEO4J_PASSWORD": password}
    env.pop("NEO4J_DATABASE", None)
    return subprocess.Popen([sys.executable, "-m", "graph", "--store", uri, *args], env=env,
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def finished(process: subprocess.Popen[str]) -> str:
    out, _ = process.communicate(timeout=600)
    assert process.returncode == 0, out
    return out


def test_a_load_killed_part_way_reads_incomplete_and_a_rerun_completes_it(
        neo4j_store: Neo4jStore, neo4j_server: tuple[str, str, str],
        primekg_file: Path) -> None:
    loading = txkg(neo4j_server, "load", "primekg", str(primekg_file), "--chunk-size", CHUNK)
    deadline = time.monotonic() + 300
    while not neo4j_store.counts().total_edges:  # the first part has committed
        assert loading.poll() is None, loading.communicate()[0]
        assert time.monotonic() < deadline
        time.sleep(0.1)
    loading.send_signal(signal.SIGKILL)
    loading.wait()

    (info,) = neo4j_store.sources()
    assert info.name == "PrimeKG" and not info.complete
    stats = json.loads(finished(txkg(neo4j_server, "stats", "--format", "json")))
    assert [s["complete"] for s in stats["sources"]] == [False]
    assert "incomplete: PrimeKG" in finished(txkg(neo4j_server, "stats"))

    out = finished(txkg(neo4j_server, "load", "primekg", str(primekg_file), "--chunk-size",
                        CHUNK))
    assert "incomplete" not in out
    resumed = dump(neo4j_store)
    assert resumed["sources"]["PrimeKG"]["info"]["complete"]

    neo4j_store.clear()
    KnowledgeGraph(neo4j_store).load(read_primekg(primekg_file, chunk_size=int(CHUNK)))
    assert dump(neo4j_store) == resumed
