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

import atexit
import os
import sys

from graph.cli.root import main


def run() -> None:
    """The ``txkg`` program: :func:`main`, then leave without taking apart what the
    command built.

    A command that explains or loads a large graph leaves millions of Python objects
    behind; freeing them one by one as the interpreter shuts down took 1.4 s after
    ``txkg explain DRUG`` on PrimeKG. The store is closed and the output written by then
    (the session closes with the command's context), so once the exit handlers have run
    and the streams are flushed, the process ends at once with the command's exit code.
    Tests and other callers use :func:`main`, which returns or raises as click does.
    """
    try:
        main()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if done.code is not None and not isinstance(done.code, int):
            print(done.code, file=sys.stderr)
    # CPython's own exit handlers, run as a normal exit runs them; where there is no such
    # hook, exit normally (and pay for the teardown).
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None:
        sys.exit(code)
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            code = code or 1
    os._exit(code)


__all__ = ["main", "run"]
