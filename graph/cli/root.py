"""The root command ``txkg`` and the session its commands share.

The session opens the store on first use, so ``--help`` never touches it. Errors of
ours (:class:`graph.errors.TxkgError`) become one line and exit 1; click reports usage
errors with exit 2.
"""

from __future__ import annotations

from typing import Any

import click

from graph.api import KnowledgeGraph
from graph.errors import TxkgError
from graph.store import store_uri


class _Group(click.Group):
    """A click group that turns txkg's own errors into one line and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TxkgError as error:
            raise click.ClickException(str(error)) from error


class Session:
    """Opens the store on first use, so ``--help`` never touches it.

    Commands read unless they say otherwise (:meth:`for_writing`): a read opens
    the embedded store read-only, so it writes nothing, waits for no writer, and
    a mistyped store path is an error instead of a new empty file.
    """

    def __init__(self, uri: str | None, database: str | None) -> None:
        self.uri = store_uri(uri)
        self.database = database
        self.writing = False
        self._kg: KnowledgeGraph | None = None

    def for_writing(self) -> None:
        """This command writes (``txkg load …``): open the store for writing, creating it."""
        self.writing = True

    @property
    def kg(self) -> KnowledgeGraph:
        if self._kg is None:
            options: dict[str, Any] = {"database": self.database} if self.database else {}
            if not self.writing:
                options["read_only"] = True
            self._kg = KnowledgeGraph.open(self.uri, **options)
        return self._kg

    def close(self) -> None:
        if self._kg is not None:
            self._kg.close()


pass_session = click.make_pass_decorator(Session)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store", envvar="TXKG_STORE", metavar="URI",
              help="Where the graph is kept: sqlite:///path (default sqlite:///txkg.db), "
                   "bolt://host:port or neo4j://host:port. Env: TXKG_STORE.")
@click.option("--database", envvar="NEO4J_DATABASE", metavar="NAME",
              help="Neo4j database name (default: the server's default). Env: NEO4J_DATABASE.")
@click.version_option(package_name="txkg")
@click.pass_context
def main(ctx: click.Context, store: str | None, database: str | None) -> None:
    """txkg — a knowledge graph of drug-repurposing evidence.

    Load drugs, targets, diseases, trials, publications, predictions and
    mechanism knowledge; ask about them; explain predicted indications with
    ranked mechanism paths. Credentials for Neo4j come from NEO4J_USER and
    NEO4J_PASSWORD.
    """
    session = Session(store, database)
    ctx.obj = session
    ctx.call_on_close(session.close)


__all__ = ["Session", "main", "pass_session"]
