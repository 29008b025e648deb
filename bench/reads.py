"""What a user waits for on a quick read: ``txkg stats``, ``show`` and ``predictions``.

Run: ``python bench/reads.py --store URI [--drug belatacept] [--repeat 5]`` where URI is a
store that exists (``sqlite:///path`` or ``bolt://host:port``, Neo4j credentials from
``NEO4J_USER`` / ``NEO4J_PASSWORD``). Each command runs as a user runs it, in a fresh
process (``txkg --store URI …``, output to a pipe), under ``/usr/bin/time -v``: medians of
wall seconds, CPU seconds (user + system) and peak RSS. The baseline, measured in the same
run, is the least a Python command asking that store anything costs: a fresh interpreter
that imports the store's own client (``sqlite3`` or the ``neo4j`` driver), connects and runs
one count. The section written to docs/benchmarks.md is ``reads-sqlite`` or ``reads-neo4j``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

from _common import machine, write_section

TXKG = str(Path(sys.executable).with_name("txkg"))

_SQLITE_FLOOR = """
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
print(db.execute("SELECT count(*) FROM nodes").fetchone()[0])
"""

_NEO4J_FLOOR = """
import os, sys
from neo4j import GraphDatabase
auth = (os.environ.get("NEO4J_USER", "neo4j"), os.environ["NEO4J_PASSWORD"])
with GraphDatabase.driver(sys.argv[1], auth=auth) as driver:
    records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS n")
    print(records[0]["n"])
"""


def timed(command: list[str]) -> dict[str, float]:
    """Wall and CPU seconds and peak RSS (MiB) of one run of ``command``, from time -v."""
    done = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True,
                          check=False, env=os.environ)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    report = done.stderr

    def field(name: str) -> str:
        found = re.search(rf"{re.escape(name)}: (.+)", report)
        if found is None:
            raise SystemExit(f"/usr/bin/time -v gave no {name!r}")
        return found.group(1).strip()

    minutes, _, seconds = field("Elapsed (wall clock) time (h:mm:ss or m:ss)").rpartition(":")
    wall = float(seconds) + 60 * sum(float(p) * 60 ** i
                                     for i, p in enumerate(reversed(minutes.split(":"))) if p)
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    return {"wall": wall, "cpu": cpu, "rss": int(field("Maximum resident set size (kbytes)"))
            / 1024}


def median_run(command: list[str], repeat: int) -> dict[str, float]:
    runs = [timed(command) for _ in range(repeat)]
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, help="sqlite:///path or bolt://host:port")
    parser.add_argument("--drug", default="belatacept")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    neo4j = not args.store.startswith("sqlite:")
    floor = (_NEO4J_FLOOR if neo4j else _SQLITE_FLOOR,
             args.store if neo4j else args.store.removeprefix("sqlite:///"))
    base = median_run([sys.executable, "-c", *floor], args.repeat)
    rows = [("baseline: a Python process that imports the store's client, connects and counts"
             " the nodes", base)]
    for words in (["stats"], ["show", args.drug], ["predictions", args.drug]):
        result = median_run([TXKG, "--store", args.store, *words], args.repeat)
        rows.append((f"`txkg {' '.join(words)}`", result))
    table = "\n".join(f"| {what} | {r['wall']:.2f} s | {r['cpu']:.2f} s | {r['rss']:,.0f} MiB | "
                      f"{r['wall'] / base['wall']:.1f}× |" for what, r in rows)
    kind = "neo4j" if neo4j else "sqlite"
    load = os.getloadavg()[0]
    write_section(f"reads-{kind}", f"""
## Quick reads on {"Neo4j" if neo4j else "SQLite"} (bench/reads.py)

`python bench/reads.py --store {args.store} --drug {args.drug}`: each command in a fresh
process as a user runs it, output to a pipe; medians of {args.repeat} runs of wall and CPU
seconds (user + system) and peak RSS from `/usr/bin/time -v`; the ratio is wall time over
the baseline's, measured in the same run. {machine()}, load average {load:.1f} at the end.

| command | wall | CPU | peak RSS | × baseline |
|---|---:|---:|---:|---:|
{table}
""")


if __name__ == "__main__":
    main()
