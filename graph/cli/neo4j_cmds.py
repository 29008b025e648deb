"""Neo4j commands: ``txkg query`` (the Cypher library, ad-hoc Cypher), ``txkg export neo4j-csv``."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli import Session, main, pass_session
from graph.cli.render import emit_rows, format_option
from graph.cypher_library import list_queries, parse_param
from graph.errors import QueryError
from graph.neo4j_export import export_neo4j_csv, import_command, import_into_local_server
from graph.store import NEO4J_SCHEMES
from graph.store.neo4j import Neo4jStore
from graph.store.neo4j_cypher import cell, plain


def _is_neo4j(uri: str) -> bool:
    return "://" in uri and uri.split("://", 1)[0].lower() in NEO4J_SCHEMES


@main.command()
@click.argument("name", required=False)
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter (repeatable); numbers, true/false and null are typed.")
@click.option("--cypher", "cypher", metavar="QUERY", help="Run this ad-hoc Cypher instead.")
@click.option("--write", is_flag=True, help="Allow ad-hoc Cypher to write (default: read-only).")
@click.option("--list", "list_", is_flag=True, help="List the named queries and their parameters.")
@format_option("table", "json", "csv", default="table")
@pass_session
def query(session: Session, name: str | None, params: tuple[str, ...], cypher: str | None,
          write: bool, list_: bool, fmt: str) -> None:
    """Run a named query of the Cypher library, or ad-hoc Cypher, on a Neo4j store.

    \b
      txkg query drug_predictions --param drug=Belatacept
      txkg query --cypher "MATCH (d:Drug) RETURN d.name LIMIT 5" --format csv
      txkg query --list
    """
    if list_:
        emit_rows(fmt, ["name", "parameters", "answers"],
                  [[q.name, " ".join(q.params), q.answers] for q in list_queries()])
        return
    if (name is None) == (cypher is None):
        raise click.UsageError("give a query NAME or --cypher QUERY (one of them)")
    if write and cypher is None:
        raise click.UsageError("--write applies to --cypher only; named queries only read")
    if not _is_neo4j(session.uri):
        raise QueryError(f"txkg query needs a Neo4j store (--store bolt://host:port or "
                         f"neo4j://host:port); {session.uri} is not one")
    store = session.kg.store
    if not isinstance(store, Neo4jStore):  # pragma: no cover - guarded by the scheme check
        raise QueryError(f"txkg query needs a Neo4j store; {session.uri} is not one")
    values = dict(parse_param(p) for p in params)
    target = cypher if cypher is not None else str(name)
    if cypher is None:
        from graph.cypher_library import load_query

        load_query(target)  # an unknown name fails here, listing the known ones
    columns, rows = store.run_query(target, values, write=write)
    if fmt == "json":
        emit_rows("json", columns, [[plain(r[c]) for c in columns] for r in rows])
    else:
        emit_rows(fmt, columns, [[cell(r[c]) for c in columns] for r in rows])


@main.group()
def export() -> None:
    """Export the store in other formats."""


@export.command("neo4j-csv")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--import", "run_import", is_flag=True,
              help="Then replace the database of the local server (scripts/neo4j-local) with "
                   "them: stop it, neo4j-admin database import full, start it.")
@pass_session
def neo4j_csv(session: Session, directory: Path, run_import: bool) -> None:
    """Write CSVs and header files for `neo4j-admin database import full` into DIRECTORY.

    Works from any store, streaming (memory does not grow with the store).
    Prints the import command: run it with the target database stopped
    (Community: database neo4j), then start the server; txkg creates the
    indexes on first open. With --import, txkg runs it against the server
    scripts/neo4j-local manages (TXKG_NEO4J_INSTANCE_DIR, TXKG_NEO4J_BOLT_PORT …;
    NEO4J_PASSWORD to start it again).
    """
    result = export_neo4j_csv(session.kg.store, directory)
    click.echo(f"wrote {result.nodes} nodes and {result.relationships} relationships "
               f"in {len(result.files)} files to {directory}")
    if not run_import:
        click.echo("import (server stopped):")
        click.echo("  " + result.command())
        return
    import_into_local_server(directory)
    click.echo(f"imported into the local Neo4j server ({' '.join(import_command(directory))})")
