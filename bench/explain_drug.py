"""Explaining every predicted indication of one drug on the largest graph at hand.

Run: ``python bench/explain_drug.py [ROWS] [--predictions 20]``. Writes a synthetic
PrimeKG-shaped file of ROWS rows (``scripts/synthetic_primekg.py``, 1,000,000 by
default), loads it into a fresh SQLite store, adds predictions of the drug with
the most targets for ``--predictions`` random diseases, and times
``KnowledgeGraph.explain_drug`` (median of 3 runs). Baseline in the same run:
only fetching each indication's mechanism subgraph from the store, which every
explanation needs first; the difference is the explainer's own cost.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import networkx as nx
from _common import REPO, machine, median_seconds, write_section

from graph.api import KnowledgeGraph
from graph.model import Edge, EdgeType, Prediction, SourceBatch, SourceInfo
from loaders.primekg import load_primekg


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--predictions", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
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
