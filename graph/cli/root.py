"""The root command ``txkg`` and the session its commands share.

The session opens the store on first use, so ``--help`` never touches it. Errors of
ours (:class:`graph.errors.TxkgError`) become one line and exit 1; click reports usage
errors with exit 2.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import click

from graph.errors import TxkgError
from graph.store import store_uri

if TYPE_CHECKING:
    from graph.api import KnowledgeGraph

#: The module defining each command, imported when the command is asked for: ``txkg stats``
#: does not import the explainer, networkx or the neo4j driver it does not use.
COMMAND_MODULES = {
    "browser-guide": "graph.cli.neo4j_cmds",
    "evaluate": "graph.cli.analysis",
    "explain": "graph.cli.explain",
    "export": "graph.cli.neo4j_cmds",
    "ledger": "graph.cli.query",
    "load": "graph.cli.load",
    "metagraph": "graph.cli.analysis",
    "metapaths": "graph.cli.analysis",
    "predictions": "graph.cli.query",
    "query": "graph.cli.neo4j_cmds",
    "remove": "graph.cli.load",
    "show": "graph.cli.query",
    "stats": "graph.cli.query",
}


class _Group(click.Group):
    """The root group: commands imported on demand; txkg's own errors as one line, exit 1."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMAND_MODULES))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(COMMAND_MODULES[cmd_name])  # registers it on the group
        return super().get_command(ctx, cmd_name)

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
            from graph.api import KnowledgeGraph

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
