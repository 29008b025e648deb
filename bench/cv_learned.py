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

from graph.explain.best_first import Diversity, ShapeGuide, search_costs, shipped_guide
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
    by = {"kinds": Diversity(kinds=diversity), "nodes": Diversity(nodes=diversity),
          "kinds+nodes": Diversity(kinds=diversity, nodes=diversity)}[diverse_by]

    def make(shape: MechanismShape) -> BestFirstMethod:
        ranking = LearnedRanking(shape, weight=weight, follows=follows, length=length,
                                 sequence=sequence, per_hop=math.exp(-per_hop),
                                 against=math.exp(-against))
        return BestFirstMethod(search_costs(ranking, 0.4), ranking=ranking,
                               oversample=oversample, diversity=by, guide=None)
    return make


def guided(weight: float, kinds: float, nodes: float, per_sequence: int = 3,
           sequences: int | None = None, oversample: int = 3,
           reserve: int = 0, flow: bool = False) -> LearnedMethod:
    """The mechanism ranking's best-first search, its pool widened by the shape's kind
    sequences and weighed by their prior (:class:`graph.explain.best_first.ShapeGuide`);
    ``flow``: the pick covers node flow (:class:`graph.explain.best_first.Diversity`)."""
    def make(shape: MechanismShape) -> BestFirstMethod:
        return BestFirstMethod(diversity=Diversity(kinds=kinds, nodes=nodes, flow=flow),
                               oversample=oversample,
                               guide=ShapeGuide(shape, weight=weight, sequences=sequences,
                                                per_sequence=per_sequence, reserve=reserve))
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
    "guided w=0.5 kinds 0.05 nodes 0.3": guided(0.5, 0.05, 0.3),
    "guided w=0.5 kinds 0.05 nodes 0.5": guided(0.5, 0.05, 0.5),
    "guided w=1 kinds 0.05 nodes 0.5": guided(1.0, 0.05, 0.5),
    "guided w=0.5 kinds 0.3 nodes 0.3": guided(0.5, 0.3, 0.3),
    "guided w=0.25 kinds 0.05 nodes 0.3": guided(0.25, 0.05, 0.3),
    "guided w=0 kinds 0.05 nodes 0.3": guided(0.0, 0.05, 0.3),
    "guided w=0 kinds 0.05 nodes 0.3 os=1": guided(0.0, 0.05, 0.3, oversample=1),
    "guided w=0 kinds 0.05 nodes 0.3 os=2": guided(0.0, 0.05, 0.3, oversample=2),
    "guided w=0 kinds 0.05 nodes 0.3 per=2": guided(0.0, 0.05, 0.3, per_sequence=2),
    "guided w=0 kinds 0.05 nodes 0.3 top 100 sequences": guided(0.0, 0.05, 0.3, sequences=100),
    "guided w=0 kinds 0.05 nodes 0.3 os=2 top 100 sequences": guided(
        0.0, 0.05, 0.3, oversample=2, sequences=100),
    "baseline: best-first default (kinds+nodes 0.3)": lambda shape: BestFirstMethod(
        diversity=Diversity(kinds=0.3, nodes=0.3), oversample=3, guide=None),
    "guided w=0 kinds 0.05 nodes 0.2 os=2 top 100": guided(
        0.0, 0.05, 0.2, oversample=2, sequences=100),
    "guided w=0 kinds 0.02 nodes 0.3 os=2 top 100": guided(
        0.0, 0.02, 0.3, oversample=2, sequences=100),
    "guided w=0 kinds 0.1 nodes 0.3 os=2 top 100": guided(
        0.0, 0.1, 0.3, oversample=2, sequences=100),
    "guided w=0 kinds 0.05 nodes 0.3 os=3 top 100": guided(
        0.0, 0.05, 0.3, oversample=3, sequences=100),
    "kinds 0.05 nodes 0.3 (no guide)": lambda shape: BestFirstMethod(
        diversity=Diversity(kinds=0.05, nodes=0.3), guide=None),
    "default: kinds+nodes 0.3": lambda shape: BestFirstMethod(
        diversity=Diversity(kinds=0.3, nodes=0.3), oversample=3, guide=None),
    "baseline: until now (guided, no reserved slots)": guided(
        0.0, 0.05, 0.3, oversample=2, sequences=100),
    "default: guided, 4 reserved slots": lambda shape: BestFirstMethod(
        guide=shipped_guide(shape)),
    **{f"guided reserve {r}": guided(0.0, 0.05, 0.3, oversample=2, sequences=100, reserve=r)
       for r in (1, 2, 3, 4, 5)},
    # The mechanism ranking itself (no shape, no diversity), named so that the report's
    # paired differences are taken against it.
    "baseline: mechanism ranking": learned(0.0, 1.0),
}


def _reserve_variants() -> dict[str, LearnedMethod]:
    out: dict[str, LearnedMethod] = {}
    for r in (2, 3, 4):
        for os_ in (2, 3, 4):
            for nodes in (0.3, 0.2):
                out[f"reserve {r} os={os_} nodes {nodes}"] = guided(
                    0.0, 0.05, nodes, oversample=os_, sequences=100, reserve=r)
    for kinds in (0.3, 1.0):
        out[f"reserve 4 os=2 nodes 0.3 kinds {kinds}"] = guided(
            0.0, kinds, 0.3, oversample=2, sequences=100, reserve=4)
    for nodes in (0.1, 0.5):
        out[f"reserve 4 os=2 nodes {nodes}"] = guided(
            0.0, 0.05, nodes, oversample=2, sequences=100, reserve=4)
    for per in (5, 8):
        out[f"reserve 4 os=2 nodes 0.3 per={per}"] = guided(
            0.0, 0.05, 0.3, oversample=2, sequences=100, reserve=4, per_sequence=per)
    out["baseline: until now (4 reserved slots, no flow, 3 per sequence)"] = guided(
        0.0, 0.05, 0.3, oversample=2, sequences=100, reserve=4)
    for per in (3, 5, 8):
        out[f"flow, reserve 4, os=2, per={per}"] = guided(
            0.0, 0.05, 0.3, oversample=2, sequences=100, reserve=4, per_sequence=per, flow=True)
    out["flow, reserve 5, os=2, per=8"] = guided(
        0.0, 0.05, 0.3, oversample=2, sequences=100, reserve=5, per_sequence=8, flow=True)
    out["flow, reserve 4, os=3, per=8"] = guided(
        0.0, 0.05, 0.3, oversample=3, sequences=100, reserve=4, per_sequence=8, flow=True)
    return out


VARIANTS.update(_reserve_variants())


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
    if not args.no_fixed:  # the default explainer: its pool's kind sequences fitted per fold
        chosen["explainer: best-first (mechanism)"] = lambda shape: BestFirstMethod(
            guide=shipped_guide(shape))
    fixed = {} if args.no_fixed else {"baseline: 10 shortest simple paths":
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
