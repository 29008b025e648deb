"""Cross-validation of a learned ranking, folds split by drug.

The learned ranking (:mod:`graph.explain.shape`) is fitted on curated paths,
so scoring it on the paths it was fitted on says little. Here the drugs are
dealt into ``folds`` groups (shuffled with a seed); for each fold a shape is
fitted on the curated paths of the *other* folds' drugs only, and the fold's
indications are scored with it — no drug is in both. Every indication is
scored once, by the shape that never saw its drug; methods that learn nothing
(the baseline, the unlearned explainer) are scored on the same indications in
the same pass. The graph is the whole set's, as in :func:`~.run.evaluate`.

>>> folds = drug_folds(["a", "b", "c", "d", "e"], folds=2, seed=0)
>>> sorted(folds.values()).count(0), sorted(folds.values()).count(1)
(3, 2)
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import networkx as nx

from graph.errors import TxkgError
from graph.explain.best_first import shipped_guide
from graph.explain.checks import MAX_HOPS_LIMIT
from graph.explain.evaluation.curated import CuratedPath
from graph.explain.evaluation.methods import (
    BestFirstMethod,
    PathMethod,
    learned_method,
    shortest_paths_method,
)
from graph.explain.evaluation.run import (
    EvaluationReport,
    Indication,
    Scores,
    evaluate,
    indications,
    summaries,
)
from graph.explain.shape import MechanismShape, Walk, fit_shape

#: Walks kept per curated path (a path that branches has several drug → disease walks).
MAX_WALKS = 64


def curated_walks(path: CuratedPath) -> list[Walk]:
    """A curated path's drug → disease walks along its statements, as (kinds, edge types).

    Walks follow the statements' stored direction; a path with none that way
    is walked with direction ignored (its steps then read in walking order). Several
    statements between the same two nodes give one walk each.
    """
    kind = {n: k for n, k, _ in path.nodes}
    types: dict[tuple[str, str], list[str]] = {}
    for u, edge_type, v, _ in path.edges:
        if u != v:
            types.setdefault((u, v), []).append(edge_type)
    G: nx.DiGraph[Any] = nx.DiGraph(list(types))
    if path.drug not in G or path.disease not in G:
        return []
    walks = list(_limited(nx.all_simple_paths(G, path.drug, path.disease), MAX_WALKS))
    if not walks:
        walks = list(_limited(nx.all_simple_paths(G.to_undirected(), path.drug, path.disease),
                              MAX_WALKS))
    found: list[Walk] = []
    for walk in walks:
        steps: list[list[str]] = [[]]
        for a, b in itertools.pairwise(walk):
            choices = types.get((a, b)) or types.get((b, a)) or ["RELATED_TO"]
            steps = [[*s, t] for s in steps for t in choices][:MAX_WALKS]
        found.extend((tuple(kind.get(n, "None") for n in walk), tuple(s)) for s in steps)
    return found[:MAX_WALKS]


def _limited(walks: Iterable[list[Any]], n: int) -> Iterable[list[Any]]:
    for i, walk in enumerate(walks):
        if i >= n:
            return
        yield walk


def fit_on_paths(paths: Iterable[CuratedPath], *, smoothing: float = 1.0,
                 provenance: Mapping[str, Any] | None = None) -> MechanismShape:
    """A shape fitted on curated paths: each path weighs 1, split over its walks."""
    walks: list[Walk] = []
    weights: list[float] = []
    for path in paths:
        found = [w for w in curated_walks(path) if w[1]]
        if not found:
            continue
        walks.extend(found)
        weights.extend([1.0 / len(found)] * len(found))
    return fit_shape(walks, weights=weights, smoothing=smoothing, provenance=provenance)


def drug_folds(drugs: Iterable[Any], *, folds: int = 5, seed: int = 0) -> dict[Any, int]:
    """Each drug's fold: the distinct drugs, sorted, shuffled with ``seed``, dealt in turn."""
    if folds < 2:
        raise TxkgError(f"cross-validation needs at least 2 folds, got {folds}")
    ordered = sorted(set(drugs), key=str)
    random.Random(seed).shuffle(ordered)
    return {drug: i % folds for i, drug in enumerate(ordered)}


#: Builds a method from a shape fitted on the training folds.
LearnedMethod = Callable[[MechanismShape], PathMethod]


def cross_validate(paths: Sequence[CuratedPath], learned: Mapping[str, LearnedMethod],
                   fixed: Mapping[str, Callable[[], PathMethod]], *, folds: int = 5,
                   seed: int = 0, k: int = 10, every: int = 1, offset: int = 0, jobs: int = 1,
                   smoothing: float = 1.0,
                   progress: Callable[[int, int], None] | None = None) -> EvaluationReport:
    """Score ``learned`` methods by ``folds``-fold cross-validation split by drug.

    ``learned[name](shape)`` makes a method from a shape fitted on the other
    folds; ``fixed[name]()`` makes a method that learns nothing (made anew per
    fold, so state such as a cost graph is never shared between folds). Figures
    are pooled over the folds: each indication scored once. ``every`` thins
    the indications as :func:`~.run.evaluate` does.
    """
    fold_of = drug_folds((p.drug for p in paths), folds=folds, seed=seed)
    names = [*learned, *fixed]
    results: dict[str, list[Scores]] = {name: [] for name in names}
    seconds: dict[str, list[float]] = {name: [] for name in names}
    scored: list[Indication] = []
    skipped: Counter[str] = Counter()
    reports = []
    grand_total = len(indications(paths)[0][offset::every])
    done_before = 0
    for fold in range(folds):
        train = [p for p in paths if fold_of[p.drug] != fold]
        shape = fit_on_paths(train, smoothing=smoothing)
        methods: dict[str, PathMethod] = {name: make(shape) for name, make in learned.items()}
        methods.update({name: make() for name, make in fixed.items()})

        def in_fold(ind: Indication, fold: int = fold) -> bool:
            return fold_of[ind.drug] == fold

        def fold_progress(done: int, total: int, before: int = done_before) -> None:
            if progress is not None:
                progress(before + done, grand_total)

        report = evaluate(paths, methods, k=k, every=every, offset=offset, jobs=jobs,
                          select=in_fold, select_reason="in another fold",
                          progress=fold_progress)
        done_before += len(report.scored) + report.skipped.get(
            "drug or disease not in the graph", 0)
        reports.append(report)
        for name in names:
            results[name].extend(report.per_indication[name])
            seconds[name].extend(report.seconds[name])
        scored.extend(report.scored)
        for reason, count in report.skipped.items():
            if reason != "in another fold":
                skipped[reason] += count
    # Each fold counts every skip outside its selection once; keep one fold's count of those.
    for reason in list(skipped):
        if reason.startswith(("curated path", "drug and disease", "not in the sample")):
            skipped[reason] //= folds
    first = reports[0]
    return EvaluationReport(
        k=k, keep_own=False, curated_paths=len(paths), indications=len(scored) + sum(
            v for r, v in skipped.items() if r != "drug or disease not in the graph"),
        evaluated=len(scored), skipped=dict(skipped),
        methods=summaries(results, seconds),
        graph_nodes=first.graph_nodes, graph_edges=first.graph_edges,
        per_indication=results, seconds=seconds, scored=tuple(scored))


#: Makes a method that learns nothing (anew for each fold).
FixedMethod = Callable[[], PathMethod]


def cross_validated_methods(k: int, *, max_hops: int | None = None,
                            ) -> tuple[dict[str, LearnedMethod], dict[str, FixedMethod]]:
    """What ``txkg evaluate --cv`` scores: the learned explainer and the best-first explainer
    under the mechanism ranking (both with a shape per fold: the learned ranking's, and the
    kind sequences that widen the best-first pool), and the shortest-path baseline."""
    hops = max_hops or MAX_HOPS_LIMIT
    learned: dict[str, LearnedMethod] = {
        "explainer: learned (cross-validated)":
            lambda shape: learned_method(shape, max_hops=hops),
        "explainer: best-first, mechanism ranking (cross-validated)":
            lambda shape: BestFirstMethod(max_hops=hops, guide=shipped_guide(shape))}
    fixed: dict[str, FixedMethod] = {
        f"baseline: {k} shortest simple paths": lambda: shortest_paths_method}
    return learned, fixed


__all__ = ["MAX_WALKS", "FixedMethod", "LearnedMethod", "cross_validate",
           "cross_validated_methods", "curated_walks", "drug_folds", "fit_on_paths"]
