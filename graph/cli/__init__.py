"""The ``txkg`` command line: thin commands over :class:`graph.api.KnowledgeGraph`.

Each command parses its arguments, calls one API method and renders the result.
Errors of ours (:class:`graph.errors.TxkgError`) become one line and exit 1;
click reports usage errors with exit 2. See docs/cli.md for every command.

:mod:`~graph.cli.root` holds the root command and the session; each other module
holds a group of commands and registers them on the root when imported. The root
imports a command's module only when that command is asked for
(:data:`~graph.cli.root.COMMAND_MODULES`), so a quick read does not pay for the
explainer's imports.
"""

from graph.cli.root import main

__all__ = ["main"]
