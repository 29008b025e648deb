"""One writer at a time on a Neo4j database: a lock that dies with its holder.

A load commits in many transactions, and merges what sources say in Python, so two
writers at once would undo each other's work (the second's recovery withdraws the
first's generation in progress) or lose an update to a node both touch. Every load and
removal therefore holds the database's writer lock from start to end.

The lock is Neo4j's own: a transaction, kept open for the whole load on a connection of
its own, that has written to one bookkeeping node (``:TxkgMeta {name: 'writer'}``).
Another writer's write to that node waits until the transaction ends. The holder ends it
when done; if the holder dies (SIGKILL, a lost laptop), its connection closes and the
server rolls the transaction back, so the lock is free at once and a rerun proceeds; no
stale lock is ever left behind. Readers never touch the node and never wait.

A writer that cannot have the lock within :data:`WAIT_SECONDS` gives up with one line.
It probes with short transactions (a transaction timeout bounds each wait), then takes
the lock in a transaction without a timeout, which would otherwise be ended mid-load.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from neo4j import Driver, Query
from neo4j.exceptions import ClientError, DriverError, Neo4jError, TransientError

from graph.cypher_names import META_LABEL, quote
from graph.errors import StoreError

#: How long a writer waits for another to finish before giving up (as SQLite's).
WAIT_SECONDS = 10.0
_PROBE_SECONDS = 1.0
_META = quote(META_LABEL)
_ENSURE = f"MERGE (l:{_META} {{name: 'writer'}})"
_TAKE = f"MATCH (l:{_META} {{name: 'writer'}}) SET l.held_since = datetime() RETURN 1"


def _timed_out(error: Exception) -> bool:
    code = getattr(error, "code", None) or ""
    return "TransactionTimedOut" in code or "Terminated" in code or "LockClient" in code


@contextmanager
def writer_lock(driver: Driver, database: str | None, where: str,
                wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the database's writer lock while the block runs (see the module docstring)."""
    driver.execute_query(_ENSURE, database_=database)
    deadline = time.monotonic() + wait
    with driver.session(database=database) as probe:
        while True:
            try:
                probe.run(Query(_TAKE, timeout=_PROBE_SECONDS)).consume()
                break
            except (ClientError, TransientError) as error:
                if not _timed_out(error):
                    raise
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"cannot write to {where}: another command is writing to it (waited "
                    f"{wait:.0f} s); try again when it has finished")
    with driver.session(database=database) as session:
        holder = session.begin_transaction()
        try:
            holder.run(_TAKE).consume()
            yield
        finally:
            # The lock's write is bookkeeping only: nothing to keep. After a server restart
            # the transaction is gone already, and the error that ended the load matters.
            with suppress(DriverError, Neo4jError, OSError):
                holder.rollback()
