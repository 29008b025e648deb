"""The exceptions txkg raises.

Everything txkg raises on purpose derives from :class:`TxkgError`. The command
line catches that root alone and turns it into one line and a non-zero exit,
so a user never sees a traceback for a mistake of theirs.
"""

from __future__ import annotations


class TxkgError(Exception):
    """Root of every error txkg raises on purpose."""


class InvalidId(TxkgError, ValueError):
    """An identifier that is not a well-formed CURIE of a known prefix."""


class ParseError(TxkgError):
    """A source file that cannot be read as the format it claims to be.

    ``path`` and ``line`` say where; ``str(error)`` already names them.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        where = path if line is None else f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path
        self.line = line
        self.reason = message


class NotFound(TxkgError, LookupError):
    """A node asked for by id or name that the store does not hold.

    ``suggestions`` lists close matches, best first.
    """

    def __init__(self, query: str, *, kind: str | None = None,
                 suggestions: tuple[str, ...] = ()) -> None:
        what = f"no {kind} matches" if kind else "nothing matches"
        message = f"{what} {query!r}"
        if suggestions:
            message += "; did you mean " + ", ".join(repr(s) for s in suggestions) + "?"
        super().__init__(message)
        self.query = query
        self.kind = kind
        self.suggestions = suggestions


class StoreError(TxkgError):
    """The store could not be opened, read or written."""


class StoreConnectionError(StoreError):
    """The store's server could not be reached or refused the credentials."""


class QueryError(StoreError):
    """A query the store rejected (syntax, unknown name, a write without permission)."""


class InvalidArgument(TxkgError, ValueError):
    """An argument out of range or of the wrong shape (a negative damping, no hops)."""
