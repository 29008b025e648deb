"""How often the best-first search's candidates hold a curated mechanism's kind sequence.

Run: ``python bench/pool_ceiling.py [--every 10] [--offset 4] [--pool 100]``. For each
indication of DrugMechDB's development half (own statements hidden, as ``txkg evaluate``
does), it asks two candidate generators for drug → disease paths and reports the share of
indications for which some candidate has one of the indication's curated kind sequences
(node kinds, drug first): Yen's first N paths over the search's hop costs, for several N,
and the layered search (:mod:`graph.explain.kind_paths`) over every kind sequence seen in
*other* drugs' curated paths. No ranking can score above these shares with that pool.
Figures and what they led to: docs/benchmarks.md ("A pool widened by mechanism shapes").
"""

from __future__ import annotations

import argparse
import itertools
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import networkx as nx

from graph.explain.best_first import cost_graph
from graph.explain.evaluation import from_loader_paths
from graph.explain.evaluation.methods import BestFirstMethod
from graph.explain.evaluation.run import evaluate, indications
from graph.explain.kind_paths import kind_paths
from loaders.drugmechdb import read_drugmechdb

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "drugmechdb" / "paths"
SIZES = (10, 30, 100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="?", type=Path, default=DATA)
    parser.add_argument("--every", type=int, default=10)
    parser.add_argument("--offset", type=int, default=4)
    parser.add_argument("--pool", type=int, default=max(SIZES))
    args = parser.parse_args()
    paths = from_loader_paths(read_drugmechdb(args.paths, keep_path_ids=False).paths)
    found, _ = indications(paths)
    by_drug: defaultdict[Any, Counter[tuple[str, ...]]] = defaultdict(Counter)
    for ind in found:
        by_drug[ind.drug].update(ind.kind_sequences)
    seen_anywhere: Counter[tuple[str, ...]] = sum(by_drug.values(), Counter())
    own = {(i.drug, i.disease): i.kind_sequences for i in found}
    hits: Counter[str] = Counter()
    asked = [0]

    class Probe(BestFirstMethod):
        """Records what the generators hold; returns nothing (the report's scores are moot)."""

        def __call__(self, G: nx.MultiDiGraph[Any], drug: Any, disease: Any,
                     k: int) -> list[tuple[Any, ...]]:
            asked[0] += 1
            if self._H is None:
                self._H = cost_graph(G, self.costs)
            H, wanted = self._H, own[(drug, disease)]
            kind = {n: str(d.get("kind")) for n, d in G.nodes(data=True)}.__getitem__
            if drug not in H or disease not in H:
                return []
            try:
                yen = [tuple(kind(n) for n in p) for p in itertools.islice(
                    nx.shortest_simple_paths(H, drug, disease, weight="cost"), args.pool)]
            except nx.NetworkXNoPath:
                return []
            hits["answered"] += 1
            for n in SIZES:
                hits[f"Yen's first {n}"] += any(p in wanted for p in yen[:n])
            others = seen_anywhere - by_drug[drug]
            hits["layered search, sequences seen in other drugs"] += any(
                kinds in wanted and kind_paths(H, kind, drug, disease, kinds, per=1)
                for kinds in others)
            return []

    evaluate(paths, {"probe": Probe(guide=None)}, k=10, every=args.every, offset=args.offset)
    print(f"{asked[0]} indications (every {args.every} from {args.offset})")
    for name, count in hits.items():
        print(f"{name:50s} {count / asked[0]:.3f}")


if __name__ == "__main__":
    main()
