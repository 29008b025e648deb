"""Explaining every predicted indication of one drug on the largest graph at hand.

Run: ``python bench/explain_drug.py [ROWS] [--predictions 20]``. Writes a synthetic
PrimeKG-shaped file of ROWS rows (``scripts/synthetic_primekg.py``, 1,000,000 by
default), loads it into a fresh SQLite store, adds predictions of the drug with
the most targets for ``--predictions`` random diseases, and times
``KnowledgeGraph.explain_drug`` (median of 3 runs). Baseline in the same run:
only fetching each indication's mechanism subgraph from the store, which every
explanation needs first; the difference is the explainer's own cost.

``python bench/explain_drug.py --store PATH --drug NAME`` instead times what a user
runs on a store that exists (PrimeKG with TxGNN predictions): ``explain DRUG`` (every
prediction) and ``explain DRUG DISEASE`` (its best prediction), each in a fresh
process as the CLI runs it (medians of wall and CPU seconds, peak RSS), against
reading the drug's predictions and their diseases (what every ``explain DRUG`` does
first) and, as the ratio's baseline, against explaining the one pair, both in the same
run; it counts the store's calls during each and, on Neo4j, the Cypher statements run.
``--store`` takes a SQLite file or a URL (``bolt://host:port``, with ``NEO4J_PASSWORD``
set); ``--before DIR`` also times the code in DIR (a checkout of an earlier commit) in the
same run. Its sections of docs/benchmarks.md are ``explain-drug-store`` (SQLite) and
``explain-drug-neo4j``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import networkx as nx
from _common import REPO, machine, median_seconds, write_section

from graph.api import KnowledgeGraph
from graph.forked import available_cores
from graph.model import Edge, EdgeType, Prediction, SourceBatch, SourceInfo
from loaders.primekg import load_primekg


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--predictions", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--store", help="time explain on this store instead: a SQLite file "
                        "or a URL (bolt://host:port with NEO4J_PASSWORD set)")
    parser.add_argument("--drug", default="belatacept", help="with --store: the drug")
    parser.add_argument("--jobs", type=int, default=available_cores(),
                        help="with --store: also time explain DRUG with this many processes")
    parser.add_argument("--before", type=Path, help="with --store: also time the code in this "
                        "directory (a checkout of an earlier commit), in the same run")
    args = parser.parse_args()
    if args.store is not None:
        on_store(args.store, args.drug, args.repeat, args.before, args.jobs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "kg.csv"
        subprocess.run([sys.executable, str(REPO / "scripts" / "synthetic_primekg.py"),
                        str(args.rows), str(csv_path), "--seed", "1"], check=True)
        kg = KnowledgeGraph.open(f"sqlite:///{Path(tmp) / 'kg.db'}")
        load_seconds, _ = median_seconds(lambda: kg.load(load_primekg(csv_path).batch), 1)
        counts = kg.stats().counts
        drug_id, disease_ids = pick(kg, args.predictions)
        predictions = [Prediction(id=f"txkg:prediction/bench-{i}", name=f"bench {i}",
                                  drug_id=drug_id, disease_id=d, score=1 - i / 100, rank=i + 1)
                       for i, d in enumerate(disease_ids)]
        links = [Edge(source=p.id, target=t, type=e) for p in predictions
                 for t, e in ((p.drug_id, EdgeType.OF_DRUG), (p.disease_id, EdgeType.FOR_DISEASE))]
        kg.load(SourceBatch(source=SourceInfo(name="bench-predictions", kind="predictions"),
                            nodes=tuple(predictions), edges=tuple(links)))

        def fetch_only() -> int:
            return sum(kg.store.mechanism_subgraph(drug_id, d, max_hops=4).number_of_edges()
                       for d in disease_ids)

        base_seconds, edges = median_seconds(fetch_only, args.repeat)
        rows = []
        for ranking in ("mechanism", "dwpc"):
            seconds, results = median_seconds(
                lambda r=ranking: kg.explain_drug(drug_id, ranking=r), args.repeat)
            paths = sum(r.explanation.path_count for r in results)
            rows.append(f"| `explain_drug` ({ranking} ranking, top 25, ≤4 hops) | "
                        f"{len(results)} | {paths:,} | {seconds:.2f} s | "
                        f"{seconds / max(len(results), 1):.3f} s |")
        kg.close()
    total_nodes = sum(counts.nodes.values())
    total_edges = sum(counts.edges.values())
    write_section("explain-drug", f"""
## Explaining every predicted indication of one drug

`python bench/explain_drug.py {args.rows}` — a synthetic PrimeKG-shaped graph
(`scripts/synthetic_primekg.py`, {args.rows:,} rows: {total_nodes:,} nodes,
{total_edges:,} statements in SQLite, loaded in {load_seconds:.1f} s), the drug with the most
targets, {len(disease_ids)} predicted indications (diseases 2–4 hops from it).
Medians of {args.repeat} runs; {machine()}.

| what | indications | paths found | time | per indication |
|---|---:|---:|---:|---:|
{chr(10).join(rows)}
| baseline: fetch the {len(disease_ids)} mechanism subgraphs only | {len(disease_ids)} | — | \
{base_seconds:.2f} s | {base_seconds / max(len(disease_ids), 1):.3f} s |

The subgraphs hold {edges:,} statements in all. The explainer's own share is the difference
between the first rows and the baseline.
""")


#: Run in a fresh process: open the store, do one thing, report wall and CPU seconds of the
#: thing, the whole process's CPU seconds, its peak RSS (KiB), the store's calls during the
#: thing (every public read the explainer makes) and, on Neo4j, the statements it ran, as
#: JSON on stderr.
_CHILD = """
import json, resource, sys, time
def cpu():  # this process's and its ended workers'
    return sum(r.ru_utime + r.ru_stime for r in map(resource.getrusage, (
        resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
from graph.api import KnowledgeGraph
kg = KnowledgeGraph.open(sys.argv[1])
drug = kg.drug(sys.argv[2])
counts = {"calls": 0, "statements": 0}
def counted(method, key):
    def call(*args, **kwargs):
        counts[key] += 1
        return method(*args, **kwargs)
    return call
store = kg.store
for name in ("node", "predictions", "evidence", "mechanism_links", "mechanism_degrees",
             "mechanism_steps", "mechanism_path_graph", "mechanism_subgraph"):
    setattr(store, name, counted(getattr(store, name), "calls"))
for name in ("_query", "_records"):  # every statement a Neo4j store runs
    if hasattr(store, name):
        setattr(store, name, counted(getattr(store, name), "statements"))
w, c = time.perf_counter(), cpu()
what = sys.argv[3]
if what == "drug":
    done = len(kg.explain_drug(drug.id))
elif what == "jobs":
    done = len(kg.explain_drug(drug.id, jobs=int(sys.argv[4])))
elif what == "pair":
    done = kg.explain(drug.id, sys.argv[4]).explanation.path_count
else:
    done = len([kg.store.node(p.disease_id) for p in kg.store.predictions(drug_id=drug.id)])
rss = max(resource.getrusage(r).ru_maxrss for r in (resource.RUSAGE_SELF,
                                                    resource.RUSAGE_CHILDREN))
sys.stderr.write("BENCH " + json.dumps([time.perf_counter() - w, cpu() - c, cpu(), done,
                 rss, counts["calls"],
                 counts["statements"]]) + "\\n")
"""
_KEYS = ("wall", "cpu", "process_cpu", "count", "rss_kib", "calls", "statements")


def _child(args: list[str], repeat: int, code: Path = REPO) -> dict[str, float]:
    """Medians of what :data:`_CHILD` reports over ``repeat`` fresh processes, on the code
    in ``code`` (this checkout, or another for a before-and-after)."""
    runs = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c", _CHILD, *args], cwd=code,
                              env={**os.environ, "PYTHONPATH": str(code)},
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"benchmark child failed:\n{done.stderr}")
        line = next(ln for ln in done.stderr.splitlines() if ln.startswith("BENCH "))
        runs.append(json.loads(line[len("BENCH "):]))
    return {k: statistics.median(r[i] for r in runs) for i, k in enumerate(_KEYS)}


def store_url(store: str) -> str:
    """A store URL: ``bolt://``, ``neo4j://`` or ``sqlite:///`` as given, else a SQLite file.

    >>> store_url("bolt://localhost:7687"), store_url("/tmp/x.db")
    ('bolt://localhost:7687', 'sqlite:////tmp/x.db')
    """
    return store if "://" in store else f"sqlite:///{Path(store).resolve()}"


def on_store(store: str, drug_name: str, repeat: int, before: Path | None,
             jobs: int = 1) -> None:
    """``explain DRUG`` and ``explain DRUG DISEASE`` on an existing store (module docstring)."""
    url = store_url(store)
    kg = KnowledgeGraph.open(url)
    drug = kg.drug(drug_name)
    predicted = kg.store.predictions(drug_id=drug.id)
    best = predicted[0].disease_id
    disease = kg.store.node(best)
    stats = kg.stats().counts
    kg.close()
    pair_name = f"`explain {drug_name} \"{disease.name if disease else best}\"` (the best one)"
    base = _child([url, drug.id, "read"], repeat)
    runs = [(f"`explain {drug_name} --jobs 1` (every prediction)", [url, drug.id, "drug"]),
            (pair_name, [url, drug.id, "pair", best])]
    measured = {what: _child(args, repeat) for what, args in runs}
    earlier = {what: _child(args, repeat, before) for what, args in runs} if before else {}
    if jobs > 1:  # the workers' store calls are not counted (they are other processes)
        measured[f"`explain {drug_name} --jobs {jobs}` (every prediction, {jobs} processes)"] = \
            _child([url, drug.id, "jobs", str(jobs)], repeat)
    pair = measured[pair_name]
    rows = [("baseline: read the drug's predictions and their diseases", base), *measured.items()]
    table = "\n".join(_row(what, r, pair) for what, r in rows)
    versus = _versus(measured, earlier, before) if before else ""
    neo4j = not url.startswith("sqlite")
    write_section("explain-drug-neo4j" if neo4j else "explain-drug-store", f"""
## Explaining a drug's predictions on a PrimeKG-size store{" (Neo4j)" if neo4j else ""}

`python bench/explain_drug.py --store {store} --drug {drug_name}` — a \
{"Neo4j" if neo4j else "SQLite"} store of
{sum(stats.nodes.values()):,} nodes and {sum(stats.edges.values()):,} statements,
{len(predicted)} TxGNN predictions for {drug.name}. Each figure is the median of {repeat}
fresh processes (what the CLI costs, without its formatting): wall and CPU seconds of the
work itself, CPU seconds of the whole process (interpreter, imports and opening the store
included) and its peak RSS; the store's calls (its public reads: predictions, nodes,
evidence, degrees, neighbours, statements){", and the Cypher statements run" if neo4j else ""}
during the work; the last column is the work's CPU time over that of explaining the one
pair, measured in the same run. With `--jobs N` the CPU is that of all N worker processes
and the store calls are the parent's only. Top 25 paths of 2–4 hops, mechanism ranking, bounded
search. Load average when it ended: {_load()}. {machine()}.

| what | indications / paths | wall | CPU | process CPU | peak RSS | store calls | \
{"statements | " if neo4j else ""}CPU × one pair |
|---|---:|---:|---:|---:|---:|---:|{"---:|" if neo4j else ""}---:|
{table if neo4j else _without_statements(table)}
{versus}""")


def _row(what: str, r: dict[str, float], pair: dict[str, float]) -> str:
    return (f"| {what} | {r['count']:,.0f} | {r['wall']:.2f} s | {r['cpu']:.2f} s | "
            f"{r['process_cpu']:.2f} s | {r['rss_kib'] / 1024:,.0f} MiB | {r['calls']:,.0f} | "
            f"{r['statements']:,.0f} | {r['cpu'] / pair['cpu']:,.1f}× |")


def _without_statements(table: str) -> str:
    """The table without its statements column (a SQLite store runs none)."""
    return "\n".join("|".join(cells[:8] + cells[9:]) for cells in
                     (line.split("|") for line in table.splitlines()))


def _versus(after: dict[str, dict[str, float]], before: dict[str, dict[str, float]],
            code: Path) -> str:
    """Before and after, the same commands in the same run (``--before DIR``)."""
    lines = [f"| {what} | {before[what]['cpu']:.2f} s | {r['cpu']:.2f} s | "
             f"{before[what]['wall']:.2f} s | {r['wall']:.2f} s | "
             f"{before[what]['rss_kib'] / 1024:,.0f} MiB | {r['rss_kib'] / 1024:,.0f} MiB | "
             f"{before[what]['calls']:,.0f} | {r['calls']:,.0f} |" for what, r in after.items()
             if what in before]
    return f"""
Before (the code in `{code}`) and after, in the same run:

| what | CPU before | CPU after | wall before | wall after | RSS before | RSS after | \
store calls before | after |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
""" + "\n".join(lines) + "\n"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def pick(kg: KnowledgeGraph, n: int) -> tuple[str, list[str]]:
    """The drug with the most targets, and n diseases within 4 hops of it (seeded sample):
    a random disease of a sparse synthetic graph is usually not reachable at all."""
    G = kg.store.mechanism_graph()
    drugs = [(sum(1 for _ in G.successors(node)), node)
             for node, data in G.nodes(data=True) if data.get("kind") == "Drug"]
    drug = max(drugs)[1]
    near = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), drug, cutoff=4)
    diseases = sorted(node for node, hops in near.items()
                      if hops >= 2 and G.nodes[node].get("kind") == "Disease")
    return drug, random.Random(7).sample(diseases, min(n, len(diseases)))


if __name__ == "__main__":
    main()
