"""Cross-validate learned-ranking variants on DrugMechDB's development half (folds by drug).

Run: ``python bench/cv_learned.py [--every N] [--folds 5] [--jobs 2] [--variants NAME ...]``.
Every variant, the unlearned best-first explainer and the shortest-path baseline score the
same indications; each learned variant's shape is fitted on the other folds' drugs only
(:mod:`graph.explain.evaluation.crossval`). Figures and the choice made: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

from graph.explain.best_first import search_costs
from graph.explain.evaluation import (
    BestFirstMethod,
    format_report,
    from_loader_paths,
    shortest_paths_method,
)
from graph.explain.evaluation.crossval import LearnedMethod, cross_validate
from graph.explain.shape import LearnedRanking, MechanismShape
from loaders.drugmechdb import read_drugmechdb

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "drugmechdb" / "paths"


def learned(weight: float, per_hop: float, against: float = 1.0, follows: float = 0.0,
            length: float = 0.0, oversample: int = 3, sequence: float = 0.0,
            diversity: float = 1.0, diverse_by: str = "kinds") -> LearnedMethod:
    def make(shape: MechanismShape) -> BestFirstMethod:
        ranking = LearnedRanking(shape, weight=weight, follows=follows, length=length,
                                 sequence=sequence, per_hop=math.exp(-per_hop),
                                 against=math.exp(-against))
        return BestFirstMethod(search_costs(ranking, 0.4), ranking=ranking,
                               oversample=oversample, diversity=diversity, diverse_by=diverse_by)
    return make


VARIANTS: dict[str, LearnedMethod] = {
    "learned b=1 hop=0.5": learned(1.0, 0.5),
    "learned b=0.5 hop=0.5": learned(0.5, 0.5),
    "learned b=1 hop=0": learned(1.0, 0.0),
    "learned b=1 hop=0.5 follows=0.5 length=0.5": learned(1.0, 0.5, follows=0.5, length=0.5),
    "learned b=1 hop=0.5 against=0.5": learned(1.0, 0.5, against=0.5),
    "learned b=1.5 hop=0.5": learned(1.5, 0.5),
    "learned b=1 hop=0.5 length=1 os=5": learned(1.0, 0.5, length=1.0, oversample=5),
    "learned b=1 hop=0.5 follows=1 os=5": learned(1.0, 0.5, follows=1.0, oversample=5),
    "seq=1 b=0 hop=1": learned(0.0, 1.0, sequence=1.0),
    "seq=1 b=0 hop=1 os=6": learned(0.0, 1.0, sequence=1.0, oversample=6),
    "seq=1 b=0.25 hop=1": learned(0.25, 1.0, sequence=1.0),
    "seq=0.5 b=0 hop=1 os=6": learned(0.0, 1.0, sequence=0.5, oversample=6),
    "seq=1 b=0 hop=1 kinds-diverse 0.5": learned(0.0, 1.0, sequence=1.0, diversity=0.5),
    "seq=0 b=0 hop=1 kinds-diverse 0.5": learned(0.0, 1.0, diversity=0.5),
    "seq=1 b=0 hop=1 kinds-diverse 0.25 os=5": learned(0.0, 1.0, sequence=1.0,
                                                       diversity=0.25, oversample=5),
    "seq=0 b=0 hop=1 nodes-diverse 0.7": learned(0.0, 1.0, diversity=0.7, diverse_by="nodes"),
    "seq=0 b=0 hop=1 kinds+nodes-diverse 0.7 os=5": learned(
        0.0, 1.0, diversity=0.7, diverse_by="kinds+nodes", oversample=5),
    "seq=0 b=0 hop=1 kinds+nodes-diverse 0.5 os=5": learned(
        0.0, 1.0, diversity=0.5, diverse_by="kinds+nodes", oversample=5),
    "seq=0 b=0 hop=1 kinds+nodes-diverse 0.5 os=3": learned(
        0.0, 1.0, diversity=0.5, diverse_by="kinds+nodes", oversample=3),
    "seq=0 b=0 hop=1 kinds+nodes-diverse 0.3 os=3": learned(
        0.0, 1.0, diversity=0.3, diverse_by="kinds+nodes", oversample=3),
    "seq=0 b=0 hop=1 kinds+nodes-diverse 0.3 os=5": learned(
        0.0, 1.0, diversity=0.3, diverse_by="kinds+nodes", oversample=5),
    "seq=0 b=0 hop=1 kinds+nodes-diverse 0.5 os=8": learned(
        0.0, 1.0, diversity=0.5, diverse_by="kinds+nodes", oversample=8),
    # The mechanism ranking itself (no shape, no diversity), named so that the report's
    # paired differences are taken against it.
    "baseline: mechanism ranking": learned(0.0, 1.0),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="?", type=Path, default=DATA)
    parser.add_argument("--every", type=int, default=1)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--variants", nargs="*", default=None)
    parser.add_argument("--no-fixed", action="store_true")
    args = parser.parse_args()
    paths = from_loader_paths(read_drugmechdb(args.paths, keep_path_ids=False).paths)
    chosen = {n: VARIANTS[n] for n in (args.variants or VARIANTS)}
    fixed = {} if args.no_fixed else {"explainer: best-first (mechanism)": BestFirstMethod,
                                      "baseline: 10 shortest simple paths":
                                          lambda: shortest_paths_method}
    start = time.perf_counter()
    report = cross_validate(paths, chosen, fixed, folds=args.folds, seed=args.seed,
                            every=args.every, offset=args.offset, jobs=args.jobs,
                            progress=lambda done, _: print(f"\r{done}", end="",
                                                           file=sys.stderr))
    print(file=sys.stderr)
    print(f"{args.folds}-fold CV by drug, seed {args.seed}, every {args.every} from "
          f"{args.offset}; "
          f"{time.perf_counter() - start:.0f} s")
    print(format_report(report), end="")


if __name__ == "__main__":
    main()
