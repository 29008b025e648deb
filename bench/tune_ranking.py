"""Compare explainer variants on a sample of DrugMechDB's development half, own statements hidden.

Run: ``python bench/tune_ranking.py [--every 12] [--offset 0] [--round 1|2]``. Every
variant and the shortest-path baseline score the same indications in one pass
(:func:`graph.explain.evaluation.run.evaluate`). Round 1 varies the best-first search's hop
costs (damping w, price per hop, price per hop walked against its stored
direction) and drops the polarity factor; round 2 tries re-ranking for diverse
first steps. The figures and the choice made are in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from graph.explain.best_first import Diversity, SearchCosts
from graph.explain.evaluation import (
    BestFirstMethod,
    PathMethod,
    evaluate,
    explainer_method,
    format_report,
    from_loader_paths,
    read_curated_paths,
    shortest_paths_method,
)
from graph.explain.ranking import MechanismRanking

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "drugmechdb" / "paths"


def ranking(per_hop: float, against: float, polarity: bool = True) -> MechanismRanking:
    extra = {} if polarity else {"unknown": 1.0, "incoherent": 1.0}
    return MechanismRanking(per_hop=math.exp(-per_hop), against=math.exp(-against), **extra)


def best_first(costs: SearchCosts, **options: object) -> BestFirstMethod:
    """The best-first search as these rounds ran it: Yen's 3k paths, no guide, no diversity
    unless asked for."""
    settings: dict[str, object] = {"oversample": 3, "guide": None, "diversity": Diversity()}
    settings.update(options)
    return BestFirstMethod(costs, **settings)  # type: ignore[arg-type]


def variants(round_: int) -> dict[str, PathMethod]:
    if round_ == 1:
        found: dict[str, PathMethod] = {
            "enumerate <=4 hops, dwpc": explainer_method("dwpc"),
            "enumerate <=4 hops, mechanism": explainer_method("mechanism"),
        }
        for w, hop, against in [(0.4, 0.5, 1.5), (0.4, 1.0, 1.0), (0.4, 0.2, 1.5),
                                (0.4, 0.5, 0.0), (0.0, 0.5, 1.5), (1.0, 0.5, 1.5)]:
            found[f"best-first w={w} hop={hop} against={against}"] = best_first(
                SearchCosts(w, hop, against), ranking=ranking(hop, against))
        found["best-first w=0.4 hop=0.5 against=1.5, no polarity"] = best_first(
            SearchCosts(0.4, 0.5, 1.5), ranking=ranking(0.5, 1.5, polarity=False))
        return found
    return {
        "best-first w=0.4 hop=1 against=1": best_first(SearchCosts(0.4, 1.0, 1.0)),
        "… + diverse first steps 0.5": best_first(SearchCosts(0.4, 1.0, 1.0),
                                                  diversity=Diversity(first_step=0.5)),
        "… + diverse 0.5, pool 5k": best_first(SearchCosts(0.4, 1.0, 1.0),
                                               diversity=Diversity(first_step=0.5),
                                               oversample=5),
        "… + diverse first steps 0.25": best_first(SearchCosts(0.4, 1.0, 1.0),
                                                   diversity=Diversity(first_step=0.25)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="?", default=str(DATA))
    parser.add_argument("--every", type=int, default=12)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--round", type=int, default=1, choices=(1, 2))
    parser.add_argument("--minimal-reader", action="store_true",
                        help="read the files with graph.explain.evaluation.curated, "
                             "not the loader")
    args = parser.parse_args()
    if args.minimal_reader:
        curated = read_curated_paths(args.paths)
    else:
        from loaders.drugmechdb import read_drugmechdb
        curated = from_loader_paths(read_drugmechdb(args.paths, keep_path_ids=False).paths)
    methods = {**variants(args.round), "baseline: 10 shortest simple paths":
               shortest_paths_method}
    report = evaluate(curated, methods, k=10, every=args.every, offset=args.offset)
    print(format_report(report), end="")


if __name__ == "__main__":
    main()
