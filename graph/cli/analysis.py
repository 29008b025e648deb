"""``txkg metagraph``, ``txkg metapaths`` and ``txkg evaluate``: the graph's shape and the
explainer measured against curated mechanisms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from graph.api import KnowledgeGraph
from graph.cli.progress import Progress
from graph.cli.render import emit_rows, format_option
from graph.cli.root import Session, main, pass_session
from graph.explain.evaluation.methods import DEFAULT_EVALUATED, EVALUATED
from graph.explain.metagraph import kind_abbreviation
from graph.forked import available_cores


def _flat(method: dict[str, Any]) -> dict[str, Any]:
    """One method's figures as one CSV row: each interval as ``…_low`` and ``…_high``."""
    row = {k: v for k, v in method.items() if not isinstance(v, dict)}
    for metric, (low, high) in method.get("intervals_95", {}).items():
        row[f"{metric}_low"], row[f"{metric}_high"] = low, high
    for metric, diff in method.get("vs_baseline", {}).items():
        row[f"{metric}_vs_baseline"] = diff["difference"]
    return row


@main.command()
@format_option("text", "json", "csv")
@pass_session
def metagraph(session: Session, fmt: str) -> None:
    """Node kinds and statement kinds of the loaded mechanism graph, with counts.

    A statement stored both ways counts once; each metaedge is shown in the
    direction most of its statements are stored in.
    """
    mg = session.kg.metagraph()
    if fmt == "json":
        click.echo(json.dumps({
            "schema": "txkg.metagraph/1",
            "metanodes": [{"kind": k, "abbreviation": kind_abbreviation(k), "nodes": n}
                          for k, n in mg.node_counts],
            "metaedges": [{"abbreviation": e.abbreviation, "source_kind": e.source_kind,
                           "edge_type": e.edge_type, "target_kind": e.target_kind,
                           "statements": n} for e, n in mg.edge_counts],
        }, indent=2, ensure_ascii=False))
        return
    if fmt == "csv":  # one table: metanodes, then metaedges
        emit_rows(fmt, ["what", "name", "abbreviation", "count"],
                  [["metanode", k, kind_abbreviation(k), n] for k, n in mg.node_counts]
                  + [["metaedge", str(e), e.abbreviation, n] for e, n in mg.edge_counts])
        return
    click.echo(f"{len(mg.node_counts)} metanodes, {len(mg.edge_counts)} metaedges\n")
    emit_rows(fmt, ["kind", "abbreviation", "nodes"],
              [[k, kind_abbreviation(k), n] for k, n in mg.node_counts])
    click.echo("")
    emit_rows(fmt, ["metaedge", "abbreviation", "statements"],
              [[str(e), e.abbreviation, n] for e, n in mg.edge_counts])


@main.command()
@click.argument("source_kind")
@click.argument("target_kind")
@click.option("--max-length", type=click.IntRange(1, 8), default=3, show_default=True,
              help="Longest metapath, in metaedges.")
@click.option("--min-length", type=click.IntRange(1, 8), default=1, show_default=True)
@format_option("text", "json", "csv")
@pass_session
def metapaths(session: Session, source_kind: str, target_kind: str, max_length: int,
              min_length: int, fmt: str) -> None:
    """Every metapath from SOURCE_KIND to TARGET_KIND the loaded data allows (e.g. Drug Disease).

    Metaedges may be walked either way and repeated; evidence kinds are left out.
    """
    found = session.kg.metapaths(source_kind, target_kind, max_length=max_length,
                                 min_length=min_length)
    rows = [[m.abbreviation, m.length, str(m)] for m in found]
    if fmt == "text" and not rows:
        click.echo(f"no metapath joins {source_kind} to {target_kind} within "
                   f"{max_length} metaedges")
        return
    emit_rows(fmt, ["metapath", "length", "reads"], rows)


@main.group()
def evaluate() -> None:
    """Measure the explainer against curated mechanisms."""


@evaluate.command("drugmechdb")
@click.argument("paths", type=click.Path(exists=True, path_type=Path))
@click.option("--k", "k", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many top paths each method may give.")
@click.option("--keep-own", is_flag=True,
              help="Keep each indication's own curated statements (the easy variant).")
@click.option("--max-hops", type=click.IntRange(2, 8), default=None,
              help="Longest path the explainer searches (default: its own default).")
@click.option("--ranking", "rankings", multiple=True, type=click.Choice(EVALUATED),
              help="Explainer variant(s) to score (repeatable; default: "
                   f"{' and '.join(DEFAULT_EVALUATED)}). learned and best-first search paths "
                   "of any length under the learned or mechanism ranking; mechanism and dwpc "
                   "rank every path of up to --max-hops (4) edges.")
@click.option("--cv", "folds", type=click.IntRange(min=2), default=None, metavar="FOLDS",
              help="Cross-validate the learned and best-first explainers instead: drugs dealt "
                   "into FOLDS groups, each group scored by a shape fitted on the others' "
                   "curated paths.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the cross-validation's deal of drugs into folds.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes to score indications in (default: every core).")
@click.option("--every", type=click.IntRange(min=1), default=1, show_default=True,
              help="Evaluate every N-th indication only (a quicker deterministic sample).")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
              help="First indication of the sample (to split a run across processes).")
@format_option("text", "json", "csv")
def evaluate_drugmechdb(paths: Path, k: int, keep_own: bool, max_hops: int | None,
                        rankings: tuple[str, ...], folds: int | None, seed: int,
                        jobs: int | None, every: int, offset: int, fmt: str) -> None:
    """Score the explainer's top K paths against DrugMechDB's curated paths in PATHS.

    One graph is built from every path file in PATHS (dataset-level
    provenance only). For each curated indication the statements only its own
    mechanism(s) contain are hidden, each method gives its top K drug → disease
    paths, and they are scored: target hit@K, node recall@K, metapath hit@K and
    the share answered. A shortest-path baseline runs in the same pass. Each figure
    comes with a 95 % bootstrap interval over the indications, and each method's
    difference from the baseline with the interval of that difference.
    """
    from graph.explain.evaluation import format_report
    from loaders.drugmechdb import read_drugmechdb

    if folds is not None and (keep_own or rankings):
        raise click.UsageError("--cv scores the learned ranking against the mechanism "
                               "ranking and the baseline; it takes no --keep-own or --ranking")
    load = read_drugmechdb(paths, keep_path_ids=False)
    with Progress("evaluating", unit="indications") as bar:
        report = KnowledgeGraph.evaluate_explainer(
            load.paths, k=k, keep_own=keep_own, rankings=rankings, max_hops=max_hops,
            every=every, offset=offset, jobs=jobs or available_cores(), folds=folds,
            seed=seed, on_progress=lambda done, total: bar.update(done, done, total))
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2))
    elif fmt == "csv":
        rows = [_flat(m) for m in report.as_dict()["methods"]]
        headers = list(rows[0]) if rows else ["method"]
        emit_rows("csv", headers, [[m.get(h) for h in headers] for m in rows])
    else:
        click.echo(format_report(report), nl=False)
