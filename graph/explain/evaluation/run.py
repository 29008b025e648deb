"""Measure the explainer against curated mechanisms (DrugMechDB's drug → disease paths).

One graph is built from every curated path, each statement carrying only
dataset-level provenance. For each curated (drug, disease) *indication* the
statements that only its own curated path(s) contain are hidden, the explainer
is asked for its top ``k`` drug → disease paths, and the statements are put
back. The top ``k`` are scored against the indication's curated mechanism(s):

``target_hit``
    a curated target (the drug's successor in a curated path) is the second
    node of one of the top ``k`` paths;
``node_recall``
    the share of the curated intermediate nodes that the top ``k`` paths cover;
``metapath_hit``
    a curated drug → disease node-kind sequence is among the top ``k`` paths';
``answered``
    the method returned at least one path.

Each figure is a mean over the indications evaluated (an unanswered one scores
0); indications that cannot be evaluated are counted by reason. The methods
(:mod:`graph.explain.evaluation.methods`) are the explainer's variants and a
baseline scored in the same run: the ``k`` shortest simple paths, edge
direction ignored.

>>> from graph.explain.evaluation.run import Indication, score_paths
>>> ind = Indication("c", "d", targets=frozenset({"g"}), intermediates=frozenset({"g", "p"}),
...                  kind_sequences=frozenset({("Drug", "Gene", "Process", "Disease")}),
...                  path_ids=("c_d_1",))
>>> kinds = {"c": "Drug", "g": "Gene", "h": "Gene", "p": "Process", "d": "Disease"}
>>> score_paths(ind, [("c", "h", "d"), ("c", "g", "p", "d")], kinds.__getitem__)
Scores(answered=True, target_hit=True, node_recall=1.0, metapath_hit=True)
"""

from __future__ import annotations

import math
import multiprocessing
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.errors import TxkgError
from graph.explain.evaluation.curated import CuratedPath
from graph.explain.evaluation.methods import PathMethod
from graph.explain.evaluation.stats import (
    RESAMPLES,
    SEED,
    bootstrap_interval,
    paired_difference_interval,
    resample_indices,
)
from graph.model import Provenance

EdgeKey = tuple[Any, Any, str]


@dataclass(frozen=True, slots=True)
class Indication:
    """A curated (drug, disease) pair and what its curated mechanism(s) say."""

    drug: Any
    disease: Any
    targets: frozenset[Any]
    intermediates: frozenset[Any]
    kind_sequences: frozenset[tuple[str, ...]]
    path_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Scores:
    """One method's scores on one indication."""

    answered: bool
    target_hit: bool
    node_recall: float
    metapath_hit: bool


@dataclass(frozen=True, slots=True)
class MethodSummary:
    """Means over the evaluated indications, and the time spent.

    ``intervals[metric]`` is the 95 % bootstrap interval of the mean over
    indications (:mod:`~graph.explain.evaluation.stats`); ``vs_baseline[metric]``
    is ``(difference, low, high)``: this method's mean minus the baseline's, with
    the interval of the difference on the same resamples (empty for the baseline
    itself, or when there is none).
    """

    method: str
    evaluated: int
    answered: float
    target_hit: float
    node_recall: float
    metapath_hit: float
    median_seconds: float
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)
    vs_baseline: dict[str, tuple[float, float, float]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "method": self.method, "evaluated": self.evaluated,
            "answered": self.answered, "target_hit_at_k": self.target_hit,
            "node_recall_at_k": self.node_recall, "metapath_hit_at_k": self.metapath_hit,
            "median_seconds": self.median_seconds}
        found["intervals_95"] = {_JSON_NAMES[m]: list(v) for m, v in self.intervals.items()}
        found["vs_baseline"] = {_JSON_NAMES[m]: {"difference": d, "interval_95": [lo, hi]}
                                for m, (d, lo, hi) in self.vs_baseline.items()}
        return found


#: The figures, as MethodSummary and Scores name them.
METRICS = ("answered", "target_hit", "node_recall", "metapath_hit")
_JSON_NAMES = {"answered": "answered", "target_hit": "target_hit_at_k",
               "node_recall": "node_recall_at_k", "metapath_hit": "metapath_hit_at_k"}


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    """What ``txkg evaluate drugmechdb`` prints."""

    k: int
    keep_own: bool
    curated_paths: int
    indications: int
    evaluated: int
    skipped: dict[str, int]
    methods: tuple[MethodSummary, ...]
    graph_nodes: int
    graph_edges: int
    per_indication: dict[str, list[Scores]] = field(default_factory=dict)
    seconds: dict[str, list[float]] = field(default_factory=dict)
    scored: tuple[Indication, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"schema": "txkg.evaluation/1", "k": self.k, "keep_own": self.keep_own,
                "curated_paths": self.curated_paths, "indications": self.indications,
                "evaluated": self.evaluated, "skipped": dict(self.skipped),
                "graph": {"nodes": self.graph_nodes, "edges": self.graph_edges},
                "methods": [m.as_dict() for m in self.methods]}


# -- the graph and the indications -----------------------------------------


def build_graph(paths: Iterable[CuratedPath], *, source: str = "DrugMechDB",
                version: str | None = None,
                ) -> tuple[nx.MultiDiGraph[Any], dict[EdgeKey, set[str]]]:
    """One graph from every curated path, and which paths state each statement.

    Statements are keyed ``(u, v, type)``; their provenance names the dataset
    only. A node's kind is the one most curated paths give it.
    """
    G: nx.MultiDiGraph[Any] = nx.MultiDiGraph()
    stated: dict[EdgeKey, set[str]] = {}
    kinds: dict[Any, Counter[str]] = {}
    names: dict[Any, str] = {}
    provenance = (Provenance(source=source, version=version),)
    for path in paths:
        for node, kind, name in path.nodes:
            kinds.setdefault(node, Counter())[kind] += 1
            names.setdefault(node, name)
        for u, edge_type, v, predicate in path.edges:
            if u == v:
                continue
            key = (u, v, edge_type)
            if key not in stated:
                stated[key] = set()
                properties = {"predicate": predicate} if predicate else {}
                G.add_edge(u, v, key=edge_type, type=edge_type, provenance=provenance,
                           properties=properties)
            stated[key].add(path.path_id)
    for node, counts in kinds.items():
        if node in G:
            G.nodes[node].update(kind=counts.most_common(1)[0][0], name=names[node])
    return G, stated


def indications(paths: Iterable[CuratedPath]) -> tuple[list[Indication], Counter[str]]:
    """Curated paths grouped by (drug, disease); the ones that cannot be scored, by reason."""
    grouped: dict[tuple[Any, Any], list[CuratedPath]] = {}
    for path in paths:
        grouped.setdefault((path.drug, path.disease), []).append(path)
    found, skipped = [], Counter[str]()
    for (drug, disease), group in grouped.items():
        if drug == disease:
            skipped["drug and disease are one node"] += 1
            continue
        targets = frozenset(v for p in group for u, _, v, _ in p.edges
                            if u == drug and v != disease)
        middle = frozenset(n for p in group for n, _, _ in p.nodes) - {drug, disease}
        if not targets or not middle:
            skipped["curated path has no intermediate node"] += 1
            continue
        found.append(Indication(drug, disease, targets, middle,
                                frozenset(s for p in group for s in _kind_sequences(p)),
                                tuple(p.path_id for p in group)))
    return found, skipped


def _kind_sequences(path: CuratedPath) -> set[tuple[str, ...]]:
    kind = {n: k for n, k, _ in path.nodes}
    G: nx.DiGraph[Any] = nx.DiGraph((u, v) for u, _, v, _ in path.edges)
    if path.drug not in G or path.disease not in G:
        return set()
    walks = list(nx.all_simple_paths(G, path.drug, path.disease))
    if not walks:
        walks = list(nx.all_simple_paths(G.to_undirected(), path.drug, path.disease))
    return {tuple(kind[n] for n in walk) for walk in walks[:64]}


# -- scoring -----------------------------------------------------------------


def score_paths(indication: Indication, found: Sequence[Sequence[Any]],
                kind_of: Callable[[Any], str]) -> Scores:
    """Scores of one method's top paths (node sequences) for one indication."""
    if not found:
        return Scores(False, False, 0.0, False)
    covered = {n for p in found for n in p[1:-1]}
    return Scores(
        answered=True,
        target_hit=any(len(p) > 2 and p[1] in indication.targets for p in found),
        node_recall=len(covered & indication.intermediates) / len(indication.intermediates),
        metapath_hit=any(tuple(kind_of(n) for n in p) in indication.kind_sequences
                         for p in found),
    )


# -- the run -------------------------------------------------------------------


def evaluate(paths: Sequence[CuratedPath], methods: dict[str, PathMethod], *, k: int = 10,
             keep_own: bool = False, progress: Callable[[int, int], None] | None = None,
             every: int = 1, offset: int = 0, jobs: int = 1,
             select: Callable[[Indication], bool] | None = None,
             select_reason: str = "not selected") -> EvaluationReport:
    """Hide each indication's own statements, ask every method, score, restore.

    ``every`` > 1 evaluates every n-th indication only, starting at ``offset``
    (a quicker, still deterministic sample, or one shard of a run split across
    processes; the others count as skipped, "not in the sample"). ``select``
    keeps only the indications it accepts (the others count as skipped,
    ``select_reason``): a cross-validation fold. ``jobs`` > 1 spreads the
    indications over that many processes (each with its own copy of the graph);
    the figures are the same whatever ``jobs`` is, but for ties: hiding and restoring
    statements moves them to the end of their nodes' adjacency, so a method that breaks ties
    between equally good paths by adjacency order can differ by a few tenths of a point
    with the indications a process scored before (docs/benchmarks.md, "Node flow").
    """
    if k < 1:
        raise TxkgError(f"k must be at least 1, got {k}")
    if jobs < 1:
        raise TxkgError(f"jobs must be at least 1, got {jobs}")
    G, stated = build_graph(paths)
    found, skipped = indications(paths)
    if every > 1 or offset:
        sample = found[offset::every]
        skipped[f"not in the sample (every {every}-th from {offset})"] = len(found) - len(sample)
        found = sample
    if select is not None:
        chosen = [ind for ind in found if select(ind)]
        if len(chosen) < len(found):
            skipped[select_reason] = len(found) - len(chosen)
        found = chosen
    by_path: dict[str, list[EdgeKey]] = {}
    for key, owners in stated.items():
        for owner in owners:
            by_path.setdefault(owner, []).append(key)
    task = _Task(G, stated, by_path, found, methods, k, keep_own)
    outcomes = _run(task, jobs, progress)
    results: dict[str, list[Scores]] = {name: [] for name in methods}
    seconds: dict[str, list[float]] = {name: [] for name in methods}
    scored: list[Indication] = []
    for ind, outcome in zip(found, outcomes, strict=True):
        if outcome is None:
            skipped["drug or disease not in the graph"] += 1
            continue
        scored.append(ind)
        for name, (score, spent) in outcome.items():
            results[name].append(score)
            seconds[name].append(spent)
    return EvaluationReport(k=k, keep_own=keep_own, curated_paths=len(paths),
                            indications=len(found) + sum(skipped.values()) -
                            skipped.get("drug or disease not in the graph", 0),
                            evaluated=len(scored), skipped=dict(skipped),
                            methods=summaries(results, seconds),
                            graph_nodes=G.number_of_nodes(), graph_edges=G.number_of_edges(),
                            per_indication=results, seconds=seconds, scored=tuple(scored))


#: One indication's outcome: each method's scores and seconds, or None (not in the graph).
Outcome = dict[str, tuple[Scores, float]] | None


@dataclass(slots=True)
class _Task:
    """Everything one evaluation pass needs; a worker process gets it by fork."""

    G: nx.MultiDiGraph[Any]
    stated: dict[EdgeKey, set[str]]
    by_path: dict[str, list[EdgeKey]]
    found: list[Indication]
    methods: dict[str, PathMethod]
    k: int
    keep_own: bool

    def score(self, i: int) -> Outcome:
        """Hide indication ``i``'s own statements, ask every method, score, restore."""
        ind, G, stated = self.found[i], self.G, self.stated
        own = set(ind.path_ids)
        hidden = [] if self.keep_own else sorted(
            {key for pid in own for key in self.by_path.get(pid, ()) if stated[key] <= own},
            key=str)
        removed = [(key, dict(G.edges[key])) for key in hidden]
        G.remove_edges_from(hidden)  # type: ignore[arg-type]  # (u, v, key) triples
        touched = {n for u, v, _ in hidden for n in (u, v)}
        _notify(self.methods, G, touched)
        try:
            if ind.drug not in G or ind.disease not in G:
                return None
            outcome: dict[str, tuple[Scores, float]] = {}
            for name, method in self.methods.items():
                start = time.perf_counter()
                top = method(G, ind.drug, ind.disease, self.k)
                spent = time.perf_counter() - start
                outcome[name] = (score_paths(ind, top, _kind_getter(G)), spent)
            return outcome
        finally:
            for (u, v, edge_type), data in removed:
                G.add_edge(u, v, key=edge_type, **data)
            _notify(self.methods, G, touched)


#: The task a worker process scores (set in the parent just before the workers fork).
_WORKER_TASK: _Task | None = None

#: Indications handed to a worker at a time.
CHUNK = 8


def _score_chunk(indices: list[int]) -> list[tuple[int, Outcome]]:
    assert _WORKER_TASK is not None
    return [(i, _WORKER_TASK.score(i)) for i in indices]


def _run(task: _Task, jobs: int,
         progress: Callable[[int, int], None] | None) -> list[Outcome]:
    """Every indication's outcome, in order; in ``jobs`` forked processes when > 1."""
    total = len(task.found)
    outcomes: list[Outcome] = [None] * total
    jobs = min(jobs, max(total // CHUNK, 1))
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for i in range(total):
            outcomes[i] = task.score(i)
            if progress is not None:
                progress(i + 1, total)
        return outcomes
    global _WORKER_TASK
    _WORKER_TASK = task
    chunks = [list(range(i, min(i + CHUNK, total))) for i in range(0, total, CHUNK)]
    done = 0
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for chunk in pool.imap_unordered(_score_chunk, chunks):
                for i, outcome in chunk:
                    outcomes[i] = outcome
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
    finally:
        _WORKER_TASK = None
    return outcomes


def _notify(methods: dict[str, PathMethod], G: nx.MultiDiGraph[Any],
            touched: set[Any]) -> None:
    """Tell methods that keep state about G (an ``on_change`` method) which nodes changed."""
    if touched:
        for method in methods.values():
            hook = getattr(method, "on_change", None)
            if hook is not None:
                hook(G, touched)


def _kind_getter(G: nx.MultiDiGraph[Any]) -> Callable[[Any], str]:
    nodes = G.nodes
    return lambda n: str(nodes[n].get("kind"))


def summarise(name: str, scores: Sequence[Scores], seconds: Sequence[float], *,
              baseline: Sequence[Scores] | None = None,
              resamples: list[list[int]] | None = None) -> MethodSummary:
    """One method's means over its scored indications, their bootstrap intervals, its
    median seconds, and (given the baseline's scores on the same indications) its
    difference from the baseline with that difference's interval."""
    n = len(scores)
    drawn = resamples if resamples is not None else resample_indices(n)
    means: dict[str, float] = {}
    intervals: dict[str, tuple[float, float]] = {}
    differences: dict[str, tuple[float, float, float]] = {}
    for metric in METRICS:
        values = [float(getattr(s, metric)) for s in scores]
        means[metric] = math.fsum(values) / n if n else 0.0
        intervals[metric] = bootstrap_interval(values, indices=drawn)
        if baseline is not None and baseline is not scores and len(baseline) == n:
            reference = [float(getattr(s, metric)) for s in baseline]
            difference = means[metric] - (math.fsum(reference) / n if n else 0.0)
            differences[metric] = (difference, *paired_difference_interval(
                values, reference, indices=drawn))
    return MethodSummary(
        method=name, evaluated=n, answered=means["answered"], target_hit=means["target_hit"],
        node_recall=means["node_recall"], metapath_hit=means["metapath_hit"],
        median_seconds=statistics.median(seconds) if seconds else 0.0,
        intervals=intervals, vs_baseline=differences)


def summaries(results: dict[str, list[Scores]],
              seconds: dict[str, list[float]]) -> tuple[MethodSummary, ...]:
    """Every method's :func:`summarise`, against the method named ``baseline…`` if any,
    all on the same (seeded) resamples of the indications."""
    reference = next((results[name] for name in results if name.startswith("baseline")), None)
    n = len(next(iter(results.values()), []))
    drawn = resample_indices(n)
    return tuple(summarise(name, results[name], seconds[name], baseline=reference,
                           resamples=drawn) for name in results)


def format_report(report: EvaluationReport) -> str:
    """A plain-text table of every method's figures."""
    lines = [
        f"DrugMechDB evaluation, k = {report.k}, "
        + ("own statements kept (easy variant)" if report.keep_own
           else "own statements hidden"),
        f"{report.curated_paths} curated paths, {report.indications} indications, "
        f"{report.evaluated} evaluated; graph {report.graph_nodes} nodes, "
        f"{report.graph_edges} statements",
    ]
    for reason, count in sorted(report.skipped.items()):
        lines.append(f"  skipped {count}: {reason}")
    header = ("method", "answered", f"target hit@{report.k}", f"node recall@{report.k}",
              f"metapath hit@{report.k}", "median s")

    def cell(m: MethodSummary, metric: str) -> str:
        low, high = m.intervals.get(metric, (math.nan, math.nan))
        return f"{getattr(m, metric):.3f} [{low:.3f}, {high:.3f}]"

    rows = [(m.method, *(cell(m, metric) for metric in METRICS), f"{m.median_seconds:.4f}")
            for m in report.methods]
    lines.append("")
    lines.extend(_table(header, rows))
    compared = [m for m in report.methods if m.vs_baseline]
    if compared:
        lines.append("")
        lines.append("difference from the baseline, same indications (paired bootstrap):")
        lines.extend(_table(header[:-1], [
            (m.method, *(f"{d:+.3f} [{lo:+.3f}, {hi:+.3f}]"
                         for d, lo, hi in (m.vs_baseline[metric] for metric in METRICS)))
            for m in compared]))
    lines.append("")
    lines.append(f"[low, high]: 95 % bootstrap interval over the indications evaluated "
                 f"({RESAMPLES} resamples, seed {SEED})")
    return "\n".join(lines) + "\n"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    return ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                      for i, (c, w) in enumerate(zip(row, widths, strict=True)))
            for row in (header, tuple("-" * w for w in widths), *rows)]


__all__ = [
    "EvaluationReport",
    "Indication",
    "MethodSummary",
    "Scores",
    "build_graph",
    "evaluate",
    "format_report",
    "indications",
    "score_paths",
    "summaries",
    "summarise",
]
