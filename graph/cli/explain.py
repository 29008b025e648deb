"""``txkg explain``: ranked mechanism paths for predicted indications."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from graph.api import ExplainedPrediction
from graph.cli.progress import Progress
from graph.cli.render import emit_rows, format_option, limit_option
from graph.cli.root import Session, main, pass_session
from graph.explain.explainer import DEFAULT_SEARCH, SEARCHES
from graph.explain.explanation import explanation_to_dict
from graph.explain.ranking import DEFAULT_RANKING, RANKINGS
from graph.explain.render import (
    format_cypher,
    format_html,
    format_markdown_report,
    format_text_report,
)
from graph.explain.render.cells import NET_LABELS, metapath_reading, path_text
from graph.explain.render.report import no_path_hint, no_path_reason, summary_line
from graph.forked import available_cores
from graph.table import terminal_width

#: Version of the JSON document `txkg explain --format json` prints (docs/cli.md).
SCHEMA = "txkg.explain/1"


@main.command()
@click.argument("drug")
@click.argument("disease", required=False)
@click.option("--top", type=click.IntRange(min=1), default=25, show_default=True,
              help="How many paths to list per indication.")
@click.option("--max-hops", type=click.IntRange(1, 8), default=4, show_default=True,
              help="Longest path, in edges.")
@click.option("--min-hops", type=click.IntRange(1, 8), default=2, show_default=True,
              help="Shortest path, in edges (2 leaves out a direct drug-disease edge).")
@click.option("--damping", type=click.FloatRange(min=0.0), default=0.4, show_default=True,
              help="Damping exponent w of the path-degree product (0 counts paths).")
@click.option("--metapath", "metapaths", multiple=True, metavar="ABBREV",
              help="Only paths along this metapath, e.g. CtGaD (repeatable).")
@click.option("--ranking", type=click.Choice(sorted(RANKINGS)), default=DEFAULT_RANKING,
              show_default=True, help="How paths are ordered (docs/explain.md).")
@click.option("--search", type=click.Choice(list(SEARCHES)), default=DEFAULT_SEARCH,
              show_default=True,
              help="bounded: the same top paths as 'all', found without enumerating every "
                   "path (tables cover the paths scoring at least a stated floor); all: every "
                   "path up to --max-hops, exact tables (small graphs); best-first: only the "
                   "--top best paths, up to 8 hops (docs/explain.md).")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Without DISEASE: processes explaining the predictions side by side, "
                   "with the bounded search (default: one per core).")
@limit_option(10, "rows of each metapath and edge table (text, markdown)")
@format_option("text", "json", "csv", "markdown", "html", "cypher")
@pass_session
def explain(session: Session, drug: str, disease: str | None, top: int, max_hops: int,
            min_hops: int, damping: float, metapaths: tuple[str, ...], ranking: str,
            search: str, jobs: int | None, limit: int, fmt: str) -> None:
    """Explain DRUG's predicted indications (or only DISEASE) with mechanism paths.

    Paths run drug → target → biology → disease through mechanism edges only;
    each has a score, what the ranking (--ranking, default mechanism) orders
    them by, and every hop lists its sources and PMIDs. Without DISEASE, a
    summary comes first and predictions without a path take one line each,
    saying what would join them. ``--format cypher`` prints a query that
    redraws the top paths in Neo4j Browser; ``csv`` one row per path.
    """
    options: dict[str, Any] = {"top": top, "max_hops": max_hops, "min_hops": min_hops,
                               "damping": damping, "metapaths": list(metapaths) or None,
                               "ranking": ranking, "search": search}
    if disease is None:
        with Progress("explaining", unit="predictions") as bar:
            results = session.kg.explain_drug(drug, **options, jobs=jobs or available_cores(),
                                              on_progress=lambda done, _: bar.step(done))
        if not results:
            raise click.ClickException(
                f"no predicted indication of {drug!r} is loaded; name a disease to explain "
                "a pair anyway")
    else:
        results = [session.kg.explain(drug, disease, **options)]
    RENDERERS[fmt](results, limit or None)


def _text(results: list[ExplainedPrediction], limit: int | None) -> None:
    click.echo(format_text_report(results, limit=limit, width=terminal_width()), nl=False)


def _markdown(results: list[ExplainedPrediction], limit: int | None) -> None:
    click.echo(format_markdown_report(results, limit=limit), nl=False)


def _html(results: list[ExplainedPrediction], limit: int | None) -> None:
    click.echo(format_html(results), nl=False)


def _cypher(results: list[ExplainedPrediction], limit: int | None) -> None:
    click.echo("\n".join(format_cypher(r.explanation) for r in results), nl=False)


def _json(results: list[ExplainedPrediction], limit: int | None) -> None:
    click.echo(json.dumps({"schema": SCHEMA, "summary": summary_line(results),
                           "results": [_result_json(r) for r in results]},
                          indent=2, ensure_ascii=False))


CSV_HEADERS = ["drug", "disease", "model score", "rank", "score", "effect", "metapath",
               "reads", "path", "no path"]


def _csv(results: list[ExplainedPrediction], limit: int | None) -> None:
    """One row per path; a prediction without one gets a row saying why."""
    rows: list[list[object]] = []
    for r in results:
        e, p = r.explanation, r.prediction
        model = p.score if p is not None else None
        rows += [[e.drug.name, e.disease.name, model, path.rank, path.score,
                  NET_LABELS[path.net_direction], path.metapath,
                  metapath_reading(path.metapath), path_text(path), None] for path in e.paths]
        if not e.paths:
            rows.append([e.drug.name, e.disease.name, model, None, None, None, None, None,
                         None, no_path_hint(r)])
    emit_rows("csv", CSV_HEADERS, rows)


#: How each ``--format`` prints the results.
RENDERERS: dict[str, Callable[[list[ExplainedPrediction], int | None], None]] = {
    "text": _text, "markdown": _markdown, "html": _html, "cypher": _cypher, "json": _json,
    "csv": _csv}


def _result_json(result: ExplainedPrediction) -> dict[str, object]:
    reason = no_path_reason(result)
    return {
        "drug": result.drug.model_dump(mode="json"),
        "disease": result.disease.model_dump(mode="json"),
        "prediction": result.prediction.model_dump(mode="json") if result.prediction else None,
        "evidence": [e.model_dump(mode="json") for e in result.evidence],
        "explanation": explanation_to_dict(result.explanation),
        "no_path": None if reason is None else {"reason": reason,
                                                "hint": no_path_hint(result)},
    }
