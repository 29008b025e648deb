"""Loading a PrimeKG-size kg.csv into the embedded store, against a floor in the same run.

Run: ``python bench/primekg_load.py FILE [--repeat 3]``. Each run is a fresh process
under ``/usr/bin/time -v`` (wall, CPU, peak RSS), alternating:

* **txkg**: ``txkg --store NEW.db load primekg FILE`` — the whole command a user runs;
* **floor**: the least any loader could do with the same file and the same tables:
  ``csv.reader`` over the file, one node row per distinct id and one edge row per
  fact (the row whose ``x_index`` is the smaller of the two: PrimeKG writes every
  fact twice; typed by relation and display relation), each with its relation as
  JSON, inserted with plain ``executemany`` in one transaction into tables of the
  store's own schema and indexes, with the store's own connection settings. No
  identity resolution, no merge, no ledger, no lookup keys.

Medians are reported; ratio = txkg / floor. Writes docs/benchmarks.md, section
``primekg-load``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import REPO, machine, write_section

FLOOR = r'''
import csv, json, sqlite3, sys
from graph.store.sqlite import SqliteStore, LOAD_CACHE_KIB
csv_path, db_path = sys.argv[1], sys.argv[2]
SqliteStore(db_path).close()  # the store's schema, indexes and file settings
db = sqlite3.connect(db_path, isolation_level=None)
db.execute("PRAGMA synchronous=NORMAL")
db.execute(f"PRAGMA cache_size=-{LOAD_CACHE_KIB}")
db.execute("INSERT INTO sources VALUES (1, 'floor', 'primekg', NULL, NULL, '', 1)")
db.execute("BEGIN")
nid = {}
nodes, edges = [], []
with open(csv_path, newline="", encoding="utf-8") as handle:
    rows = csv.reader(handle)
    next(rows)
    for line, r in enumerate(rows, 2):
        if int(r[2]) > int(r[7]):
            continue
        x, y = r[6] + ":" + r[3], r[11] + ":" + r[8]
        for curie, i in ((x, 3), (y, 8)):
            if curie not in nid:
                nid[curie] = len(nid) + 1
                nodes.append((nid[curie], curie, r[i + 1], r[i + 2],
                              '{"name":' + json.dumps(r[i + 2]) + '}', 1))
        edges.append((nid[x], r[0] + "/" + r[1], nid[y], 1, line, None,
                      '{"relation":"' + r[0] + '","display_relation":"' + r[1] + '"}'))
        if len(edges) >= 50_000:
            db.executemany("INSERT INTO nodes VALUES (?, ?, ?, ?, ?, ?)", nodes)
            db.executemany("INSERT INTO edges (src, type, dst, sid, line, provenance, "
                           "properties) VALUES (?, ?, ?, ?, ?, ?, ?)", edges)
            nodes, edges = [], []
db.executemany("INSERT INTO nodes VALUES (?, ?, ?, ?, ?, ?)", nodes)
db.executemany("INSERT INTO edges (src, type, dst, sid, line, provenance, properties) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)", edges)
db.execute("COMMIT")
print(len(nid), db.execute("SELECT count(*) FROM edges").fetchone()[0])
'''


def timed(command: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + system), peak RSS in MiB, and stdout."""
    done = subprocess.run(["/usr/bin/time", "-v", *command], cwd=REPO, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr[-3000:]}")

    def field(name: str) -> str:
        found = re.search(rf"{re.escape(name)}: (.+)", done.stderr)
        if not found:
            raise SystemExit(f"no {name!r} in /usr/bin/time output")
        return found.group(1).strip()

    clock = [float(p) for p in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
    wall = sum(v * 60 ** i for i, v in enumerate(reversed(clock)))
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    return wall, cpu, int(field("Maximum resident set size (kbytes)")) / 1024, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    txkg = str(Path(sys.executable).with_name("txkg"))
    runs: dict[str, list[tuple[float, float, float]]] = {"txkg": [], "floor": []}
    summary = ""
    with tempfile.TemporaryDirectory(dir=os.environ.get("TXKG_BENCH_TMP")) as tmp:
        for i in range(args.repeat):
            for name in ("floor", "txkg"):
                db = Path(tmp) / f"{name}-{i}.db"
                command = ([sys.executable, "-c", FLOOR, str(args.file), str(db)]
                           if name == "floor" else
                           [txkg, "--store", str(db), "load", "primekg", str(args.file)])
                wall, cpu, rss, out = timed(command)
                runs[name].append((wall, cpu, rss))
                if name == "txkg":
                    summary = out.strip().splitlines()[-1]
                size = db.stat().st_size / 2**20
                print(f"run {i + 1} {name}: {wall:.1f} s wall, {cpu:.1f} s CPU, "
                      f"{rss:.0f} MiB peak, file {size:.0f} MiB", flush=True)
                for leftover in Path(tmp).glob(f"{name}-{i}.db*"):
                    leftover.unlink()

    def med(name: str, k: int) -> float:
        return statistics.median(r[k] for r in runs[name])

    rows = [(name, med(name, 0), med(name, 1), med(name, 2)) for name in ("txkg", "floor")]
    table = "\n".join(f"| {name} | {wall:.1f} s | {cpu:.1f} s | {rss:,.0f} MiB |"
                      for name, wall, cpu, rss in rows)
    write_section("primekg-load", f"""
## PrimeKG-size load into SQLite (bench/primekg_load.py)

`{args.file.name}` ({args.file.stat().st_size / 2**20:,.0f} MiB); txkg loaded: {summary}.
Each run a fresh process under `/usr/bin/time -v`, txkg and the floor alternating; medians of
{args.repeat} runs; {machine()}. The floor reads the same CSV with `csv.reader` and inserts one
node row per id and one edge row per fact with plain `executemany` into the store's own tables
and indexes (no identity resolution, merging, ledger or lookup keys).

| what | wall | CPU | peak RSS |
|---|---:|---:|---:|
{table}

Ratio txkg / floor: **{med("txkg", 0) / med("floor", 0):.2f}×** wall,
{med("txkg", 1) / med("floor", 1):.2f}× CPU.
""")


if __name__ == "__main__":
    main()
