"""Read commands: stats, show, predictions, ledger."""

from __future__ import annotations

import click

from graph.cli import Session, main, pass_session
from graph.cli.render import emit_json, emit_rows, format_option, percent, table


@main.command()
@format_option("text", "json")
@pass_session
def stats(session: Session, fmt: str) -> None:
    """Count nodes by kind and edges by type, and list the sources loaded."""
    result = session.kg.stats()
    if fmt == "json":
        emit_json(result)
        return
    click.echo(f"store: {result.store}")
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


@main.command()
@click.argument("name_or_id")
@click.option("--kind", help="Only a node of this kind (Drug, Gene, Disease, ...).")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="At most this many neighbours.")
@format_option("text", "json")
@pass_session
def show(session: Session, name_or_id: str, kind: str | None, limit: int, fmt: str) -> None:
    """Show a node (by id, name or synonym) and its neighbours."""
    view = session.kg.show(name_or_id, kind=kind, limit=limit)
    if fmt == "json":
        emit_json(view)
        return
    node = view.node
    click.echo(f"{node.name}  [{node.label}]  {node.id}")
    for field, value in node.properties().items():
        if value not in (None, [], {}, ""):
            click.echo(f"  {field}: {value}")
    if node.synonyms:
        click.echo(f"  synonyms: {', '.join(node.synonyms)}")
    if node.xrefs:
        click.echo(f"  xrefs: {', '.join(node.xrefs)}")
    rows = []
    for n in view.neighbours:
        arrow = f"-[{n.edge.type.value}]->" if n.outgoing else f"<-[{n.edge.type.value}]-"
        rows.append([arrow, n.node.label, n.node.name, n.node.id,
                     ", ".join(sorted({p.source for p in n.edge.provenance}))])
    click.echo("")
    click.echo(table(["edge", "kind", "name", "id", "sources"], rows))


@main.command()
@click.argument("drug")
@format_option("text", "json", "csv")
@pass_session
def predictions(session: Session, drug: str, fmt: str) -> None:
    """List a drug's predicted indications, best score first, with their evidence."""
    views = session.kg.predictions(drug)
    if fmt == "json":
        emit_json(views)
        return
    headers = ["rank", "disease", "disease id", "score", "level", "decision", "trials",
               "publications"]
    rows = [[v.prediction.rank or i, v.disease.name if v.disease else v.prediction.disease_id,
             v.prediction.disease_id,
             percent(v.prediction.score) if fmt == "text" else v.prediction.score,
             v.prediction.evidence_level, v.prediction.decision, v.trials, v.publications]
            for i, v in enumerate(views, 1)]
    emit_rows(fmt, headers, rows)


@main.command()
@click.option("--source", help="Only entries of this source (a file path or dataset name).")
@format_option("text", "json", "csv")
@pass_session
def ledger(session: Session, source: str | None, fmt: str) -> None:
    """Show what loads refused or left unresolved, with file, line and reason."""
    entries = session.kg.ledger(source=source)
    if fmt == "json":
        emit_json(entries)
        return
    emit_rows(fmt, ["source", "line", "record", "reason"],
              [[e.path or e.source, e.line, e.record, e.reason] for e in entries])
