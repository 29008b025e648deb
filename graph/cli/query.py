"""Read commands: stats, show, predictions, ledger.

Every one prints a table that fits the terminal (``text``), or ``json`` or ``csv``;
a list cut at ``--limit`` says how many rows were left out.
"""

from __future__ import annotations

import click

from graph.api import NodeView, PredictionView
from graph.cli.render import (
    emit_json,
    emit_rows,
    format_option,
    limit_option,
    percent,
    table,
)
from graph.cli.root import Session, main, pass_session
from graph.table import fit_line, more_line


@main.command()
@format_option("text", "json", "csv")
@pass_session
def stats(session: Session, fmt: str) -> None:
    """Count nodes by kind and edges by type, and list the sources loaded."""
    result = session.kg.stats()
    if fmt == "json":
        emit_json(result)
        return
    if fmt == "csv":
        emit_rows("csv", ["what", "name", "count"],
                  [["node kind", k, n] for k, n in sorted(result.counts.nodes.items())]
                  + [["edge type", k, n] for k, n in sorted(result.counts.edges.items())]
                  + [["source", s.name, None] for s in result.sources]
                  + [["ledger", "entries", result.ledger_size]])
        return
    click.echo(fit_line(f"store: {result.store}"))
    click.echo(table(["node kind", "count"], sorted(result.counts.nodes.items())))
    click.echo(f"{result.counts.total_nodes} nodes\n")
    click.echo(table(["edge type", "count"], sorted(result.counts.edges.items())))
    click.echo(f"{result.counts.total_edges} edges\n")
    click.echo(f"{len(result.sources)} sources loaded; {result.ledger_size} ledger entries"
               + (" (txkg ledger)" if result.ledger_size else ""))
    for source in result.sources:
        if not source.complete:
            click.echo(f"incomplete: {source.name} — a load stopped part-way; run it again "
                       "to complete it")


NEIGHBOUR_HEADERS = ["edge", "kind", "name", "id", "sources"]


def _neighbour_rows(view: NodeView) -> list[list[object]]:
    rows: list[list[object]] = []
    for n in view.neighbours:
        arrow = f"-[{n.edge.type.value}]->" if n.outgoing else f"<-[{n.edge.type.value}]-"
        rows.append([arrow, n.node.label, n.node.name, n.node.id,
                     ", ".join(sorted({p.source for p in n.edge.provenance}))])
    return rows


@main.command()
@click.argument("name_or_id")
@click.option("--kind", help="Only a node of this kind (Drug, Gene, Disease, ...).")
@limit_option(50, "neighbours")
@format_option("text", "json", "csv")
@pass_session
def show(session: Session, name_or_id: str, kind: str | None, limit: int, fmt: str) -> None:
    """Show a node (by id, name or synonym) and its neighbours.

    Mechanism statements (targets, pathways, associations) come before evidence
    and predictions. CSV: one row per neighbour.
    """
    view = session.kg.show(name_or_id, kind=kind, limit=limit or None)
    if fmt == "json":
        emit_json(view)
        return
    if fmt == "csv":
        emit_rows("csv", NEIGHBOUR_HEADERS, _neighbour_rows(view))
        return
    node = view.node
    click.echo(fit_line(f"{node.name}  [{node.label}]  {node.id}"))
    for field, value in node.properties().items():
        if value not in (None, [], {}, ""):
            click.echo(fit_line(f"  {field}: {value}"))
    if node.synonyms:
        click.echo(fit_line(f"  synonyms: {', '.join(node.synonyms)}"))
    if node.xrefs:
        click.echo(fit_line(f"  xrefs: {', '.join(node.xrefs)}"))
    click.echo(f"\n{view.neighbour_count} neighbour{'s' * (view.neighbour_count != 1)}")
    emit_rows("text", NEIGHBOUR_HEADERS, _neighbour_rows(view),
              more=more_line(len(view.neighbours), view.neighbour_count, "neighbours"))


def _prediction_rows(views: list[PredictionView], fmt: str, *, by_disease: bool
                     ) -> tuple[list[str], list[list[object]]]:
    other = "drug" if by_disease else "disease"
    headers = ["rank", other, f"{other} id", "score", "level", "decision", "trials",
               "publications"]
    rows: list[list[object]] = []
    for i, v in enumerate(views, 1):
        p = v.prediction
        node, node_id = (v.drug, p.drug_id) if by_disease else (v.disease, p.disease_id)
        rank = i if by_disease else (p.rank or i)  # a prediction's rank is among its drug's
        rows.append([rank, node.name if node else node_id,
                     node_id, percent(p.score) if fmt == "text" else p.score,
                     p.evidence_level, p.decision, v.trials, v.publications])
    return headers, rows


@main.command()
@click.argument("drug", required=False)
@click.option("--disease", metavar="NAME", help="The drugs predicted for this disease instead.")
@limit_option(50, "predictions")
@format_option("text", "json", "csv")
@pass_session
def predictions(session: Session, drug: str | None, disease: str | None, limit: int,
                fmt: str) -> None:
    """A drug's predicted indications (or, with --disease, the drugs predicted for a
    disease), best score first, with evidence level, decision and evidence counts."""
    if (drug is None) == (disease is None):
        raise click.UsageError("give a DRUG or --disease NAME (one of them)")
    views = (session.kg.predictions(drug) if drug is not None
             else session.kg.disease_predictions(str(disease)))
    shown = views[:limit] if limit else views
    if fmt == "json":
        emit_json(shown)
        return
    headers, rows = _prediction_rows(shown, fmt, by_disease=disease is not None)
    emit_rows(fmt, headers, rows, more=more_line(len(shown), len(views), "predictions"))


@main.command()
@click.option("--source", help="Only entries of this source (a file path or dataset name).")
@limit_option(50, "entries")
@format_option("text", "json", "csv")
@pass_session
def ledger(session: Session, source: str | None, limit: int, fmt: str) -> None:
    """Show what loads refused or left unresolved, with file, line and reason."""
    entries = session.kg.ledger(source=source)
    shown = entries[:limit] if limit else entries
    if fmt == "json":
        emit_json(shown)
        return
    emit_rows(fmt, ["source", "line", "record", "reason"],
              [[e.path or e.source, e.line, e.record, e.reason] for e in shown],
              more=more_line(len(shown), len(entries), "entries"))
