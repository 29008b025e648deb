"""``txkg explain``: ranked mechanism paths for predicted indications."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from graph.api import ExplainedPrediction
from graph.cli.render import format_option, percent
from graph.cli.root import Session, main, pass_session
from graph.explain.explanation import explanation_to_dict
from graph.explain.ranking import DEFAULT_RANKING, RANKINGS
from graph.explain.render import format_cypher, format_html, format_markdown, format_text
from graph.model import ClinicalTrial, Publication

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
@click.option("--search", type=click.Choice(["all", "best-first"]), default="all",
              show_default=True,
              help="all: every path up to --max-hops, exact tables; best-first: only the "
                   "--top best paths, found directly (docs/explain.md).")
@format_option("text", "json", "markdown", "html", "cypher")
@pass_session
def explain(session: Session, drug: str, disease: str | None, top: int, max_hops: int,
            min_hops: int, damping: float, metapaths: tuple[str, ...], ranking: str,
            search: str, fmt: str) -> None:
    """Explain DRUG's predicted indications (or only DISEASE) with mechanism paths.

    Paths run drug → target → biology → disease through mechanism edges only,
    ranked by path-degree product; every hop lists its sources and PMIDs.
    ``--format cypher`` prints a query that redraws the top paths in Neo4j Browser.
    """
    options: dict[str, Any] = {"top": top, "max_hops": max_hops, "min_hops": min_hops,
                               "damping": damping, "metapaths": list(metapaths) or None,
                               "ranking": ranking, "search": search}
    if disease is None:
        results = session.kg.explain_drug(drug, **options)
        if not results:
            raise click.ClickException(
                f"no predicted indication of {drug!r} is loaded; name a disease to explain "
                "a pair anyway")
    else:
        results = [session.kg.explain(drug, disease, **options)]
    if fmt == "json":
        click.echo(json.dumps({"schema": SCHEMA, "results": [_json(r) for r in results]},
                              indent=2, ensure_ascii=False))
        return
    if fmt in RENDERERS:  # whole-document formats
        click.echo(RENDERERS[fmt](results), nl=False)
        return
    render = format_markdown if fmt == "markdown" else format_text
    click.echo("\n".join(_header(r, markdown=fmt == "markdown") + render(r.explanation)
                         for r in results), nl=False)


def _html(results: list[ExplainedPrediction]) -> str:
    return format_html([(r.explanation, _header(r, markdown=False)) for r in results])


def _cypher(results: list[ExplainedPrediction]) -> str:
    return "\n".join(format_cypher(r.explanation) for r in results)


#: ``--format`` values rendered as one document for all results.
RENDERERS: dict[str, Callable[[list[ExplainedPrediction]], str]] = {
    "html": _html, "cypher": _cypher}


def _header(result: ExplainedPrediction, *, markdown: bool) -> str:
    """The prediction and its evidence, above the paths."""
    p = result.prediction
    bullet = "- " if markdown else "  "
    lines = []
    if p is None:
        lines.append(f"{result.drug.name} → {result.disease.name}: not a predicted indication")
    else:
        lines.append(f"{result.drug.name} → {result.disease.name}: predicted by {p.model}"
                     f" at {percent(p.score)}"
                     + (f" (rank {p.rank})" if p.rank else "")
                     + f"; evidence level {p.evidence_level or '-'}; "
                     f"decision {p.decision or '-'}")
    trials = [e.node for e in result.evidence if isinstance(e.node, ClinicalTrial)]
    papers = [e.node for e in result.evidence if isinstance(e.node, Publication)]
    if p is not None:
        lines.append(f"{len(trials)} trial{'s' * (len(trials) != 1)}, "
                     f"{len(papers)} publication{'s' * (len(papers) != 1)}")
    for n in trials:
        facts = ", ".join(str(v) for v in (n.phase, n.status, n.enrollment and
                                           f"{n.enrollment} enrolled") if v)
        lines.append(f"{bullet}{n.id.split(':', 1)[1]}  {facts}")
    for paper in sorted(papers, key=lambda n: (n.year or 0, n.id)):
        facts = ", ".join(str(v) for v in (paper.year, paper.publication_type, paper.journal)
                          if v)
        lines.append(f"{bullet}PMID {paper.id.split(':', 1)[1]}  {facts}")
    if markdown:
        return "\n".join([f"# {lines[0]}", "", *lines[1:], ""]) + "\n"
    return "\n".join(lines) + "\n\n"


def _json(result: ExplainedPrediction) -> dict[str, object]:
    return {
        "drug": result.drug.model_dump(mode="json"),
        "disease": result.disease.model_dump(mode="json"),
        "prediction": result.prediction.model_dump(mode="json") if result.prediction else None,
        "evidence": [e.model_dump(mode="json") for e in result.evidence],
        "explanation": explanation_to_dict(result.explanation),
    }
