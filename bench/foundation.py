"""The main job's cost: load examples/ and explain Belatacept, each in a fresh process.

Baselines measured in the same run:
- loading: the same rows read by Python's csv module and inserted into a bare SQLite
  table (what any loader pays), so the ratio is txkg's bookkeeping (provenance,
  per-source assertions, name index) on top;
- explaining: ``networkx.all_simple_paths`` over the whole example mechanism graph with
  the same cutoff, without kinds, degrees or evidence.

Run: ``python bench/foundation.py [--repeat N]``; writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import child_run, machine, write_section

IMPORTS = """
from graph.api import KnowledgeGraph
from loaders.primekg import load_primekg
from loaders.reports import iter_report_paths, read_report
import networkx as nx
"""

LOAD = """
with KnowledgeGraph.open("sqlite:///" + db) as kg:
    kg.load(load_primekg("examples/mechanisms.csv").batch)
    for f in iter_report_paths(["examples/reports"]):
        kg.load(read_report(f))
"""

LOAD_BASELINE = """
import csv, sqlite3
db = sqlite3.connect(db)
with open("examples/mechanisms.csv", newline="") as handle:
    reader = csv.reader(handle)
    header = next(reader)
    db.execute(f"CREATE TABLE rows ({', '.join(header)})")
    db.executemany(f"INSERT INTO rows VALUES ({','.join('?' * len(header))})", reader)
db.commit()
for path in sorted(__import__("pathlib").Path("examples/reports").iterdir()):
    path.read_text()
"""

EXPLAIN = """
with KnowledgeGraph.open("sqlite:///" + db) as kg:
    kg.explain("belatacept", "plasma cell myeloma", top=25)
"""

EXPLAIN_BASELINE = """
with KnowledgeGraph.open("sqlite:///" + db) as kg:
    G = nx.Graph(kg.store.mechanism_graph())
    drug, disease = kg.resolve("belatacept").id, kg.resolve("plasma cell myeloma").id
    sum(1 for _ in nx.all_simple_paths(G, drug, disease, cutoff=4))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = []

        def fresh(template: str) -> str:
            # A new file each run: the first load, not an idempotent no-op.
            return f"import os, uuid\ndb = os.path.join({tmp!r}, uuid.uuid4().hex + '.db')\n" + (
                template)

        def on(db: str, template: str) -> str:
            return f"db = {db!r}\n" + template

        base = child_run(fresh(LOAD_BASELINE), args.repeat)
        ours = child_run(fresh(LOAD), args.repeat, setup=IMPORTS)
        rows.append(("load examples/ into a new SQLite file", ours,
                     "csv + bare SQLite insert of the same rows", base))
        db = str(Path(tmp) / "kg.db")
        child_run(on(db, LOAD), 1, setup=IMPORTS)
        base = child_run(on(db, EXPLAIN_BASELINE), args.repeat, setup=IMPORTS)
        ours = child_run(on(db, EXPLAIN), args.repeat, setup=IMPORTS)
        rows.append(("explain Belatacept → plasma cell myeloma (top 25, ≤ 4 hops)", ours,
                     "nx.all_simple_paths, cutoff 4, whole mechanism graph", base))
    lines = [
        "## The main job (examples/, embedded store)",
        "",
        f"Each run is a fresh Python process; *work* excludes interpreter start and imports, "
        f"*command* is the whole process as a user's command pays it. Medians of {args.repeat} "
        f"runs; {machine()}. `python bench/foundation.py`.",
        "",
        "| task | work | command | peak RSS | baseline | baseline work | ratio (work) |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    lines += [f"| {task} | {w:.3f} s | {c:.2f} s | {mb:.0f} MiB | {b} | {bw:.3f} s | "
              f"{w / bw:.1f}× |" for task, (w, c, mb), b, (bw, _bc, _bmb) in rows]
    write_section("foundation", "\n".join(lines))


if __name__ == "__main__":
    main()
