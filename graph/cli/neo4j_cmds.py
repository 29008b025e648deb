"""Neo4j commands: ``txkg query`` (the Cypher library, ad-hoc Cypher), ``txkg export
neo4j-csv`` and ``txkg browser-guide`` (Neo4j Browser's guide and style, served)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from graph.api import KnowledgeGraph
from graph.cli.progress import Progress
from graph.cli.render import emit_rows, format_option, result_cell
from graph.cli.root import Session, main, pass_session
from graph.cypher_library import parse_param
from graph.errors import QueryError
from graph.neo4j_browser import DEFAULT_PORT, GRASS, GUIDE, BrowserFiles
from graph.store import is_neo4j_uri


@main.command()
@click.argument("name", required=False)
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter (repeatable); numbers, true/false and null are typed.")
@click.option("--cypher", "cypher", metavar="QUERY", help="Run this ad-hoc Cypher instead.")
@click.option("--write", is_flag=True, help="Allow ad-hoc Cypher to write (default: read-only).")
@click.option("--list", "list_", is_flag=True, help="List the named queries and their parameters.")
@format_option("text", "json", "csv", "table")
@pass_session
def query(session: Session, name: str | None, params: tuple[str, ...], cypher: str | None,
          write: bool, list_: bool, fmt: str) -> None:
    """Run a named query of the Cypher library, or ad-hoc Cypher, on a Neo4j store.

    \b
      txkg query drug_predictions --param drug=Belatacept
      txkg query --cypher "MATCH (d:Drug) RETURN d.name LIMIT 5" --format csv
      txkg query --list

    --format text (the default; "table" is the same) prints a table that fits the
    terminal, nodes as "name (id)" and paths as arrows.
    """
    if list_:
        emit_rows(fmt, ["name", "parameters", "answers"],
                  [[q.name, " ".join(q.params), q.answers] for q in KnowledgeGraph.named_queries()])
        return
    if (name is None) == (cypher is None):
        raise click.UsageError("give a query NAME or --cypher QUERY (one of them)")
    if write and cypher is None:
        raise click.UsageError("--write applies to --cypher only; named queries only read")
    if not is_neo4j_uri(session.uri):  # before the store is opened (or an SQLite file made)
        raise QueryError(f"txkg query needs a Neo4j store (--store bolt://host:port or "
                         f"neo4j://host:port); {session.uri} is not one")
    values = dict(parse_param(p) for p in params)
    if cypher is None:
        columns, rows = session.kg.query(str(name), values)
    else:
        columns, rows = session.kg.cypher(cypher, values, write=write)
    if fmt == "json":
        emit_rows("json", columns, [[r[c] for c in columns] for r in rows])
    else:
        emit_rows(fmt, columns, [[result_cell(r[c]) for c in columns] for r in rows])


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
    with Progress("exporting", unit="elements") as bar:
        result = session.kg.export_neo4j_csv(
            directory, on_progress=lambda done, total: bar.update(done))
    click.echo(f"wrote {result.nodes} nodes and {result.relationships} relationships "
               f"in {len(result.files)} files to {directory}")
    if not run_import:
        click.echo("import (server stopped):")
        click.echo("  " + result.command())
        return
    ran = KnowledgeGraph.import_into_local_neo4j(directory)
    click.echo(f"imported into the local Neo4j server ({ran})")


@main.command("browser-guide")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port to listen on (127.0.0.1).")
def browser_guide(port: int) -> None:
    """Serve txkg's Neo4j Browser guide and style on http://localhost:PORT until stopped.

    The servers of scripts/neo4j-local and docker-compose.yml open the guide
    when Browser connects; without this running, Browser says it cannot fetch
    it (the style is applied all the same). By hand, in Browser:
    :play http://localhost:8001/txkg-guide.html and
    :style http://localhost:8001/txkg.grass
    """
    files = BrowserFiles(port=port)
    click.echo(f"serving {files.url}/{GUIDE} and {files.url}/{GRASS} (Ctrl-C stops)")
    with contextlib.suppress(KeyboardInterrupt):
        files.serve_forever()
