"""Loading into Neo4j: UNWIND batches vs one row per transaction; export + neo4j-admin import.

Run against a server you started (it is emptied!)::

    NEO4J_PASSWORD=... python bench/neo4j_load.py --uri bolt://127.0.0.1:17687 \\
        --rows 200000 [--home ~/.cache/txkg/neo4j-5.26.19] [--repeat 3]

Data: a synthetic graph in PrimeKG's kg.csv format (scripts/synthetic_primekg.py; PrimeKG
itself is not available offline), read by the PrimeKG loader into one source batch.
Figures (medians of ``--repeat`` runs) go to docs/benchmarks.md, section neo4j-load:

* ``Neo4jStore.load`` end to end: one managed transaction of UNWIND batches, nodes,
  relationships, per-source bookkeeping and all;
* the relationship write alone, as UNWIND batches of 5,000 in one transaction, and as
  one MERGE per transaction (``execute_query`` per row, on a sample) — the same statement;
* ``export_neo4j_csv`` and ``neo4j-admin database import full`` of the loaded graph.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from neo4j import RoutingControl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, machine, write_section

from graph.cypher_names import quote
from graph.model import SourceBatch
from graph.neo4j_export import export_neo4j_csv
from graph.store.neo4j import BATCH, Neo4jStore, edge_properties
from loaders.primekg import load_primekg


def synthetic_batch(rows: int, folder: Path) -> SourceBatch:
    out = folder / "kg.csv"
    subprocess.run([sys.executable, str(REPO / "scripts" / "synthetic_primekg.py"), str(rows),
                    str(out)], check=True, capture_output=True)
    return load_primekg(out, name="PrimeKG-synthetic", version="bench").batch


def timed(run: Any) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def delete_relationships(store: Neo4jStore) -> None:
    with store._driver.session(database=store.database) as session:
        session.run("MATCH ()-[r]->() CALL { WITH r DELETE r } IN TRANSACTIONS OF 10000 ROWS"
                    ).consume()


def edge_rows(store: Neo4jStore, batch: SourceBatch) -> dict[str, list[dict[str, Any]]]:
    """Per type: the rows the store writes for the batch's relationships (same properties)."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for edge in batch.edges:
        said = {batch.source.name: {
            "provenance": [p.model_dump(mode="json", exclude_defaults=True)
                           for p in edge.provenance], "properties": edge.properties}}
        rows.setdefault(edge.type.value, []).append(
            {"s": edge.source, "o": edge.target, "props": edge_properties(edge.key, said)})
    return rows


def write_unwind(store: Neo4jStore, rows: dict[str, list[dict[str, Any]]]) -> None:
    def work(tx: Any) -> None:
        for edge_type, items in rows.items():
            for start in range(0, len(items), BATCH):
                tx.run(f"UNWIND $rows AS row MATCH (a:Node {{id: row.s}}) "
                       f"MATCH (b:Node {{id: row.o}}) MERGE (a)-[r:{quote(edge_type)}]->(b) "
                       "SET r = row.props", {"rows": items[start:start + BATCH]}).consume()

    with store._driver.session(database=store.database) as session:
        session.execute_write(work)


def write_one_per_transaction(store: Neo4jStore, sample: list[tuple[str, dict[str, Any]]]) -> None:
    for edge_type, row in sample:
        store._driver.execute_query(
            f"MATCH (a:Node {{id: $s}}) MATCH (b:Node {{id: $o}}) "
            f"MERGE (a)-[r:{quote(edge_type)}]->(b) SET r = $props",
            parameters_=row, database_=store.database, routing_=RoutingControl.WRITE)


def admin_import(home: Path, arguments: tuple[str, ...]) -> tuple[float, float]:
    """Wall time of the neo4j-admin import (JVM start included) and its own 'IMPORT DONE' time."""
    with tempfile.TemporaryDirectory() as instance:
        command = [os.environ.get("TXKG_NEO4J_JAVA", "java"), "-Xmx1g", "-cp",
                   f"{home}/lib/*", "org.neo4j.cli.AdminTool",
                   *(a.replace("<database>", "neo4j") for a in arguments)]
        start = time.perf_counter()
        done = subprocess.run(command, env={**os.environ, "NEO4J_HOME": instance},
                              capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"neo4j-admin failed:\n{done.stdout}\n{done.stderr}")
        match = re.search(r"IMPORT DONE in (?:(\d+)m )?(\d+)s (\d+)ms", done.stdout + done.stderr)
        own = (int(match.group(1) or 0) * 60 + int(match.group(2)) + int(match.group(3)) / 1000
               if match else float("nan"))
        return wall, own


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uri", default=os.environ.get("TXKG_STORE", "bolt://127.0.0.1:7687"))
    parser.add_argument("--rows", type=int, default=200_000, help="PrimeKG rows (edges x 2)")
    parser.add_argument("--sample", type=int, default=2_000,
                        help="relationships written one per transaction")
    parser.add_argument("--repeat", type=int, default=3)
    version = (REPO / "scripts" / "neo4j" / "VERSION").read_text().strip()
    parser.add_argument("--home", type=Path, default=Path(os.environ.get(
        "TXKG_NEO4J_HOME", Path.home() / ".cache" / "txkg" / f"neo4j-{version}")))
    args = parser.parse_args()

    store = Neo4jStore(args.uri, user=os.environ.get("NEO4J_USER", "neo4j"),
                       password=os.environ.get("NEO4J_PASSWORD"))
    with tempfile.TemporaryDirectory() as folder:
        batch = synthetic_batch(args.rows, Path(folder))
    nodes, edges = len(batch.nodes), len(batch.edges)
    print(f"batch: {nodes} nodes, {edges} relationships", file=sys.stderr)

    loads = []
    for _ in range(args.repeat):
        store.clear()
        loads.append(timed(lambda: store.load(batch)))
        print(f"  Neo4jStore.load {loads[-1]:.1f}s", file=sys.stderr)
    counts = store.counts()
    assert counts.total_edges == edges, (counts.total_edges, edges)

    rows = edge_rows(store, batch)
    unwind = []
    for _ in range(args.repeat):
        delete_relationships(store)
        unwind.append(timed(lambda: write_unwind(store, rows)))
        print(f"  UNWIND batches {unwind[-1]:.1f}s", file=sys.stderr)
    flat = [(t, r) for t, items in rows.items() for r in items]
    sample = flat[:: max(1, len(flat) // args.sample)][: args.sample]
    single = []
    for _ in range(args.repeat):
        delete_relationships(store)
        single.append(timed(lambda: write_one_per_transaction(store, sample)))
        print(f"  one per transaction ({len(sample)}) {single[-1]:.1f}s", file=sys.stderr)

    store.clear()
    store.load(batch)
    exports, imports, import_own = [], [], []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(args.repeat):
            result = None

            def export() -> None:
                nonlocal result
                result = export_neo4j_csv(store, Path(out) / "csv")

            exports.append(timed(export))
            assert result is not None
            wall, own = admin_import(args.home, result.arguments)
            imports.append(wall)
            import_own.append(own)
            print(f"  export {exports[-1]:.1f}s, import {wall:.1f}s ({own:.1f}s)",
                  file=sys.stderr)
    store.close()

    load_s, unwind_s, single_s = (statistics.median(x) for x in (loads, unwind, single))
    export_s, import_s, own_s = (statistics.median(x) for x in (exports, imports, import_own))
    per_tx = len(sample) / single_s
    load_row = (f"| `Neo4jStore.load` (one transaction, UNWIND batches of {BATCH:,}; nodes + "
                f"relationships + bookkeeping) | {load_s:.1f} s | {edges / load_s:,.0f} |")
    unwind_row = (f"| relationship MERGE only, UNWIND batches of {BATCH:,} in one transaction "
                  f"| {unwind_s:.1f} s | {edges / unwind_s:,.0f} |")
    single_row = (f"| relationship MERGE only, one row per transaction (`execute_query`, "
                  f"{len(sample):,}-row sample) | {single_s:.1f} s for the sample "
                  f"| {per_tx:,.0f} |")
    heap = os.environ.get("TXKG_NEO4J_HEAP", "1g")
    write_section("neo4j-load", f"""
## Loading into Neo4j (bench/neo4j_load.py)

Neo4j {version} Community from scripts/neo4j-local (TXKG_NEO4J_HEAP={heap},
TXKG_NEO4J_PAGECACHE={os.environ.get("TXKG_NEO4J_PAGECACHE", "256m")}, loopback Bolt),
{machine()},
2 shared cores, pure-Python driver (no neo4j-rust-ext). Data: synthetic PrimeKG-format graph,
`--rows {args.rows}` → one source batch of {nodes:,} nodes and {edges:,} relationships.
Medians of {args.repeat} runs; the database emptied before each.

| what | time | relationships/s |
|---|---:|---:|
{load_row}
{unwind_row}
{single_row}

UNWIND batching writes relationships **{(edges / unwind_s) / per_tx:.0f}×** faster than one
row per transaction (projected: {edges / per_tx:,.0f} s for all {edges:,}).

| bulk path | time |
|---|---:|
| `txkg export neo4j-csv` (`export_neo4j_csv` from the Neo4j store) | {export_s:.1f} s |
| `neo4j-admin database import full` (wall, JVM start included) | {import_s:.1f} s |
| … of which the import itself (its "IMPORT DONE in") | {own_s:.1f} s |
| export + import, total | {export_s + import_s:.1f} s \
({edges / (export_s + import_s):,.0f} relationships/s) |
""")


if __name__ == "__main__":
    main()
