"""Compare path rankings on DrugMechDB's development half, own statements hidden.

Run: ``python bench/tune_ranking.py [PATHS] [--k 10] [--max-hops 4] [--limit N]``.

Paths are enumerated once per indication (with their facts: PDP, hop
directions, net polarity, metapath), then every ranking variant below orders
the same candidates, so the variants differ only in ranking. Metapath priors
are learned leave-one-out: an indication's own curated kind sequences never
count toward its prior. Figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import math
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.curated import read_curated_paths
from graph.evaluate import (
    Indication,
    Scores,
    build_graph,
    indications,
    score_paths,
    shortest_paths_method,
)
from graph.explain import _Walker, mechanism_paths, path_facts
from graph.metagraph import mechanism_metapath
from graph.ranking import MechanismRanking, PathFacts

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "drugmechdb" / "paths"

Candidate = tuple[tuple[Any, ...], tuple[str, ...], PathFacts]  # nodes, kinds, facts
Variant = Callable[[Indication, list[Candidate]], list[tuple[Any, ...]]]


def candidates(G: Any, ind: Indication, max_hops: int, damping: float) -> list[Candidate]:
    walker = _Walker(G)
    found = []
    for path in mechanism_paths(G, ind.drug, ind.disease, min_hops=2, max_hops=max_hops):
        kinds = tuple(walker.kind(n) for n in path.nodes)
        metapath = mechanism_metapath(kinds, path.edge_types)
        found.append((path.nodes, kinds,
                      path_facts(walker, path, metapath, walker.pdp(path, damping))))
    return found


def by(score: Callable[[Candidate], float], k: int) -> Callable[[list[Candidate]],
                                                                 list[tuple[Any, ...]]]:
    def top(cands: list[Candidate]) -> list[tuple[Any, ...]]:
        ordered = sorted(cands, key=lambda c: (-score(c), -c[2].pdp, c[2].metapath,
                                               tuple(map(str, c[0]))))
        return [c[0] for c in ordered[:k]]
    return top


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="?", default=str(DATA))
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--max-hops", type=int, default=4)
    parser.add_argument("--damping", type=float, default=0.4)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--keep-own", action="store_true")
    args = parser.parse_args()
    k = args.k
    paths = read_curated_paths(args.paths)
    if args.limit:
        paths = paths[: args.limit]
    G, stated = build_graph(paths)
    inds, skipped = indications(paths)
    by_path: dict[str, list[Any]] = {}
    for key, owners in stated.items():
        for owner in owners:
            by_path.setdefault(owner, []).append(key)
    start = time.perf_counter()
    cached: list[tuple[Indication, list[Candidate], list[tuple[Any, ...]]]] = []
    kind_of = {n: str(d.get("kind")) for n, d in G.nodes(data=True)}
    for ind in inds:
        own = set(ind.path_ids)
        hidden = [] if args.keep_own else [
            key for key in {key for pid in own for key in by_path.get(pid, ())}
            if stated[key] <= own]
        removed = [(key, dict(G.edges[key])) for key in hidden]
        G.remove_edges_from(hidden)
        cached.append((ind, candidates(G, ind, args.max_hops, args.damping),
                       shortest_paths_method(G, ind.drug, ind.disease, k)))
        for (u, v, key), data in removed:
            G.add_edge(u, v, key=key, **data)
    print(f"{len(inds)} indications evaluated, skipped {dict(skipped)}; "
          f"enumeration {time.perf_counter() - start:.1f} s; "
          f"{'own kept' if args.keep_own else 'own hidden'}, k={k}, max_hops={args.max_hops}")

    # Leave-one-out kind-sequence prior: how many *other* indications' curated
    # mechanisms contain each drug → disease kind sequence.
    seq_counts: Counter[tuple[str, ...]] = Counter()
    for ind in inds:
        seq_counts.update(ind.kind_sequences)
    n_train = len(inds) - 1

    def loo_prior(ind: Indication, alpha: float) -> Callable[[tuple[str, ...]], float]:
        def prior(kinds: tuple[str, ...]) -> float:
            count = seq_counts[kinds] - (kinds in ind.kind_sequences)
            return (count + alpha) / (n_train + alpha)
        return prior

    def pdp(c: Candidate) -> float:
        return c[2].pdp

    def mech(**kw: float) -> Callable[[Candidate], float]:
        rank = MechanismRanking(**kw)
        return lambda c: rank(c[2])

    variants: dict[str, Callable[[Indication, list[Candidate]], list[tuple[Any, ...]]]] = {}

    def simple(name: str, score: Callable[[Candidate], float]) -> None:
        variants[name] = lambda ind, cands, s=score: by(s, k)(cands)

    simple("dwpc (w=0.4)", pdp)
    simple("path count order (w=0)", lambda c: 1.0)
    simple("shorter first, then PDP", lambda c: -c[2].length + c[2].pdp * 1e-3)
    simple("PDP / 10^(reverse hops)", lambda c: c[2].pdp * 0.1 ** c[2].reverse_hops)
    simple("forward-only first", lambda c: c[2].pdp * (0.01 ** c[2].reverse_hops))
    for against in (0.5, 0.25, 0.1):
        simple(f"direction only (against={against})", mech(against=against, unknown=1.0,
                                                             incoherent=1.0))
    simple("polarity only (1/0.5/0.25)", mech(against=1.0))
    for against in (0.5, 0.25, 0.1):
        simple(f"mechanism (against={against}, 1/0.5/0.25)", mech(against=against))
    simple("mechanism (0.25, 1/0.7/0.5)", mech(against=0.25, unknown=0.7, incoherent=0.5))
    simple("mechanism (0.25, 1/0.3/0.1)", mech(against=0.25, unknown=0.3, incoherent=0.1))

    def per_metapath_z(ind: Indication, cands: list[Candidate]) -> list[tuple[Any, ...]]:
        # Rephetio-style: standardise each path's log PDP within its metapath.
        groups: dict[str, list[float]] = {}
        for c in cands:
            groups.setdefault(c[2].metapath, []).append(math.log(c[2].pdp))
        stats = {m: (sum(v) / len(v), (sum((x - sum(v) / len(v)) ** 2 for x in v) / len(v))
                     ** 0.5 or 1.0) for m, v in groups.items()}
        return by(lambda c: (math.log(c[2].pdp) - stats[c[2].metapath][0])
                  / stats[c[2].metapath][1], k)(cands)
    variants["per-metapath z of log PDP"] = per_metapath_z

    for alpha in (1.0, 10.0):
        def with_prior(ind: Indication, cands: list[Candidate], alpha: float = alpha,
                       ) -> list[tuple[Any, ...]]:
            prior = loo_prior(ind, alpha)
            rank = MechanismRanking()
            return by(lambda c: rank(c[2]) * prior(c[1]), k)(cands)
        variants[f"mechanism × LOO kind-sequence prior (alpha={alpha:g})"] = with_prior

        def prior_only(ind: Indication, cands: list[Candidate], alpha: float = alpha,
                       ) -> list[tuple[Any, ...]]:
            prior = loo_prior(ind, alpha)
            return by(lambda c: c[2].pdp * prior(c[1]), k)(cands)
        variants[f"PDP × LOO kind-sequence prior (alpha={alpha:g})"] = prior_only

    rows = []
    for name, variant in variants.items():
        scores = [score_paths(ind, variant(ind, cands), kind_of.__getitem__)
                  for ind, cands, _ in cached]
        rows.append((name, *summary(scores)))
    rows.append((f"baseline: {k} shortest simple paths",
                 *summary([score_paths(ind, base, kind_of.__getitem__)
                           for ind, _, base in cached])))
    width = max(len(r[0]) for r in rows)
    print(f"{'variant'.ljust(width)}  answered  target@k  recall@k  metapath@k")
    for name, answered, target, recall, metapath in rows:
        print(f"{name.ljust(width)}  {answered:8.3f}  {target:8.3f}  {recall:8.3f}  "
              f"{metapath:10.3f}")


def summary(scores: list[Scores]) -> tuple[float, float, float, float]:
    n = len(scores) or 1
    return (sum(s.answered for s in scores) / n, sum(s.target_hit for s in scores) / n,
            sum(s.node_recall for s in scores) / n, sum(s.metapath_hit for s in scores) / n)


if __name__ == "__main__":
    main()
