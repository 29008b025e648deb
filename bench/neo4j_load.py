"""Loading a PrimeKG-shaped file into Neo4j: online (txkg load) against a bare baseline; bulk.

Run against a server you started (it is emptied!) with scripts/neo4j-local's default memory::

    NEO4J_PASSWORD=... python bench/neo4j_load.py --uri bolt://127.0.0.1:47687 \\
        --file /work/data/primekg-shaped/kg-1m.csv [--sqlite kg.db] [--repeat 3] \\
        [--before CHECKOUT] [--server-pid PID]

Figures (medians of ``--repeat`` runs) go to docs/benchmarks.md, section neo4j-load:

* **online**: ``txkg --store URI load primekg FILE`` as a user runs it, in its own process
  under ``/usr/bin/time -v`` (wall time, its CPU time, peak RSS), the database emptied
  before each run,
  and the server's CPU time over the run, read from ``/proc`` (steadier than wall time on a
  shared machine; the server's process id from ``--server-pid``, else from
  scripts/neo4j-local's pid file under ``TXKG_NEO4J_INSTANCE_DIR``). With ``--before
  CHECKOUT`` (e.g. a ``git worktree`` of an earlier commit) the same load by that code
  runs too, alternating with this one's;
* **baseline**, in the same run: the same relationships written with no txkg logic at all,
  ``UNWIND $rows AS row MATCH (a:Node {id: row[0]}) MATCH (b:Node {id: row[1]})
  CREATE (a)-[:TYPE]->(b)`` in batches of 10,000 (nodes already there, no properties);
* **bulk**: ``export_neo4j_csv`` from a SQLite store holding the file (``--sqlite``, else
  loaded here), then ``neo4j-admin database import full`` of the CSVs into a scratch
  folder (the import alone: JVM start included, and its own "IMPORT DONE in").
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, machine, write_section

from graph.cypher_names import quote
from graph.neo4j_export import export_neo4j_csv
from graph.store.neo4j import Neo4jStore
from graph.store.sqlite import SqliteStore
from loaders.primekg import read_primekg

TXKG = [sys.executable, "-m", "graph"]


def server_seconds(pid: int | None) -> float:
    """CPU seconds (user and system, all threads) the server's process has used so far."""
    if pid is None:
        return float("nan")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_pid(given: int | None) -> int | None:
    if given is not None:
        return given
    instance = os.environ.get("TXKG_NEO4J_INSTANCE_DIR")
    pid_file = Path(instance) / "run" / "neo4j-local.pid" if instance else None
    if pid_file is None or not pid_file.is_file():
        return None
    return int(pid_file.read_text().split()[0])


def online(uri: str, file: Path, code: Path = REPO) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user and system) and peak RSS (MiB) of ``txkg load
    primekg`` in its own process, run from the checkout ``code``."""
    done = subprocess.run(["/usr/bin/time", "-v", *TXKG, "--store", uri, "load", "primekg",
                           str(file)], cwd=code, capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(code)})
    if done.returncode != 0:
        raise SystemExit(f"txkg load failed:\n{done.stdout}\n{done.stderr}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    cpu = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr)
    assert wall and rss and len(cpu) == 2, done.stderr
    seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
    return seconds, sum(map(float, cpu)), int(rss.group(1)) / 1024, done.stdout


def statements(file: Path) -> dict[str, list[list[str]]]:
    """The file's statements by type, as ``[source id, target id]`` rows."""
    by_type: dict[str, list[list[str]]] = defaultdict(list)
    for chunk in read_primekg(file).chunks():
        for edge in chunk.edges:
            by_type[edge.type.value].append([edge.source, edge.target])
    return by_type


def baseline(store: Neo4jStore, rows: dict[str, list[list[str]]]) -> float:
    """Seconds to CREATE the same relationships, bare, between the nodes already there."""
    with store._driver.session(database=store.database) as session:
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS"
                    ).consume()
    start = time.perf_counter()
    for edge_type, items in rows.items():
        for at in range(0, len(items), 10_000):
            store._driver.execute_query(
                f"UNWIND $rows AS row MATCH (a:Node {{id: row[0]}}) "
                f"MATCH (b:Node {{id: row[1]}}) CREATE (a)-[:{quote(edge_type)}]->(b)",
                rows=items[at:at + 10_000], database_=store.database)
    return time.perf_counter() - start


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
    parser.add_argument("--file", type=Path,
                        default=Path("/work/data/primekg-shaped/kg-1m.csv"))
    parser.add_argument("--sqlite", type=Path, help="a SQLite store holding the file")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-bulk", action="store_true")
    parser.add_argument("--section", default="neo4j-load",
                        help="the docs/benchmarks.md section to write")
    parser.add_argument("--before", type=Path,
                        help="a checkout of earlier code whose load runs too, alternating")
    parser.add_argument("--server-pid", type=int, help="the server's process id (CPU time)")
    version = (REPO / "scripts" / "neo4j" / "VERSION").read_text().strip()
    parser.add_argument("--home", type=Path, default=Path(os.environ.get(
        "TXKG_NEO4J_HOME", Path.home() / ".cache" / "txkg" / f"neo4j-{version}")))
    args = parser.parse_args()

    store = Neo4jStore(args.uri, user=os.environ.get("NEO4J_USER", "neo4j"),
                       password=os.environ.get("NEO4J_PASSWORD"))
    busy = os.getloadavg()[0]  # other jobs on the machine, before ours start
    pid = server_pid(args.server_pid)
    codes = {"after": REPO, **({"before": args.before} if args.before else {})}
    runs: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in codes}
    during = []
    for _ in range(args.repeat):
        for name, code in reversed(codes.items()):  # the earlier code first
            store.clear()
            cpu = server_seconds(pid)
            seconds, own, peak, _ = online(args.uri, args.file, code)
            runs[name].append((seconds, server_seconds(pid) - cpu, own, peak))
            during.append(os.getloadavg()[0])  # the last minute of the load
            print(f"  txkg load ({name}) {seconds:.1f}s, server CPU {runs[name][-1][1]:.1f}s, "
                  f"txkg CPU {own:.1f}s, peak RSS {peak:.0f} MiB, "
                  f"load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    counts = store.counts()
    nodes, edges = counts.total_nodes, counts.total_edges
    rows = statements(args.file)
    assert sum(len(r) for r in rows.values()) == edges
    bare = []
    for _ in range(args.repeat):
        bare.append(baseline(store, rows))
        print(f"  bare CREATE {bare[-1]:.1f}s", file=sys.stderr)
    del rows
    store.clear()
    store.close()
    medians = {name: [statistics.median(r[i] for r in done) for i in range(4)]
               for name, done in runs.items()}
    load_s, cpu_s, own_s, peak = medians["after"]
    bare_s = statistics.median(bare)
    earlier = ""
    if "before" in medians:
        b_load, b_cpu, b_own, b_peak = medians["before"]
        commit = subprocess.run(["git", "-C", str(args.before), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=False).stdout.strip()
        earlier = (f"| `txkg load primekg`, before ({commit or args.before.name}) "
                   f"| {b_load:.1f} s | {edges / b_load:,.0f} | {b_cpu:.0f} s | {b_own:.0f} s "
                   f"| {b_peak:,.0f} MiB |\n")
        ratios = (f"After/before: **{load_s / b_load:.2f}×** the time "
                  f"({b_load / load_s:.2f}× the rate), {cpu_s / b_cpu:.2f}× the server's CPU; ")
    else:
        ratios = ""
    bulk = "" if args.skip_bulk else bulk_rows(args, edges)
    heap = os.environ.get("TXKG_NEO4J_HEAP", "1g")
    write_section(args.section, f"""
## Loading into Neo4j: {args.file.name} (bench/neo4j_load.py)

Neo4j {version} Community from scripts/neo4j-local with its default memory
(TXKG_NEO4J_HEAP={heap}, TXKG_NEO4J_PAGECACHE={os.environ.get("TXKG_NEO4J_PAGECACHE", "256m")}),
loopback Bolt, driver with neo4j-rust-ext; {machine()}, 2 cores shared with other jobs
(load average {busy:.1f} before the runs, {min(during):.1f}–{max(during):.1f} over the
loads). File: `{args.file}` → {nodes:,} nodes, {edges:,} relationships. Medians of
{args.repeat} runs{" of each code, alternating" if args.before else ""}, the database emptied
before each; the server's CPU time from `/proc`, txkg's from `/usr/bin/time`.

| online | time | relationships/s | server CPU | txkg CPU | peak RSS of txkg |
|---|---:|---:|---:|---:|---:|
{earlier}| `txkg load primekg`{", after" if args.before else ""} (end to end: parse, resolve, \
nodes, relationships, ledger) \
| {load_s:.1f} s | {edges / load_s:,.0f} | {cpu_s:.0f} s | {own_s:.0f} s | {peak:,.0f} MiB |
| baseline: bare `UNWIND … MATCH … MATCH … CREATE`, no properties, nodes already there \
| {bare_s:.1f} s | {edges / bare_s:,.0f} | | | |

{ratios}txkg's whole load takes **{load_s / bare_s:.2f}×** the bare relationship writes alone.
{bulk}""")


def bulk_rows(args: argparse.Namespace, edges: int) -> str:
    with tempfile.TemporaryDirectory() as folder:
        sqlite_path = args.sqlite
        if sqlite_path is None:
            sqlite_path = Path(folder) / "kg.db"
            subprocess.run([*TXKG, "--store", str(sqlite_path), "load", "primekg",
                            str(args.file)], cwd=REPO, check=True, capture_output=True)
        sqlite = SqliteStore(sqlite_path)
        exports, imports, own = [], [], []
        for _ in range(args.repeat):
            shutil.rmtree(Path(folder) / "csv", ignore_errors=True)
            start = time.perf_counter()
            result = export_neo4j_csv(sqlite, Path(folder) / "csv")
            exports.append(time.perf_counter() - start)
            wall, done = admin_import(args.home, result.arguments)
            imports.append(wall)
            own.append(done)
            print(f"  export {exports[-1]:.1f}s, import {wall:.1f}s ({done:.1f}s)",
                  file=sys.stderr)
        sqlite.close()
    export_s, import_s, own_s = (statistics.median(x) for x in (exports, imports, own))
    return f"""
| bulk path (from a SQLite store holding the file) | time |
|---|---:|
| `txkg export neo4j-csv` (streaming) | {export_s:.1f} s |
| `neo4j-admin database import full` (wall, JVM start included) | {import_s:.1f} s |
| … of which the import itself (its "IMPORT DONE in") | {own_s:.1f} s |
| export + import | {export_s + import_s:.1f} s ({edges / (export_s + import_s):,.0f} \
relationships/s), **{(export_s + import_s) / import_s:.2f}×** the import alone |
"""


if __name__ == "__main__":
    main()
