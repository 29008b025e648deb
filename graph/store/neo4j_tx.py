"""Transactions of a Neo4j load: statements, the source node's state, a runner.

Shared by the load's lifecycle (:mod:`graph.store.neo4j_load`) and its writer
(:mod:`graph.store.neo4j_write`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from neo4j import Driver, ManagedTransaction

from graph.cypher_names import RECOUNT_LABEL, SOURCE_LABEL, quote
from graph.errors import StoreError
from graph.store.neo4j_layout import DEGREE_MARK, Generations

T = TypeVar("T")
ROWS = 10_000  # rows per UNWIND statement
_SRC = quote(SOURCE_LABEL)
RECOUNT = quote(RECOUNT_LABEL)
#: What a write does to a node ``n`` whose relationships it changed: its kept degrees
#: are no longer to be trusted, and it is listed for recounting.
STALE = f"REMOVE n.{DEGREE_MARK} SET n:{RECOUNT}"
_SOURCE_FIELDS = ("name", "kind", "version", "path", "seq", "gen", "loading_gen",
                  "loading_kind", "loading_version", "loading_path", "phase", "size")
SOURCE_RETURN = ", ".join(f"s.{f} AS {f}" for f in _SOURCE_FIELDS)
OF_GEN = "(x._gen = $gen OR $gen IN x._gens)"


def rows(tx: ManagedTransaction, cypher: str, **params: Any) -> list[dict[str, Any]]:
    return [record.data() for record in tx.run(cypher, params)]


def unwind(tx: ManagedTransaction, cypher: str, items: Sequence[Any], **params: Any
           ) -> list[dict[str, Any]]:
    """``UNWIND $rows AS row`` + ``cypher``, :data:`ROWS` rows at a time."""
    out: list[dict[str, Any]] = []
    for start in range(0, len(items), ROWS):
        out.extend(rows(tx, f"UNWIND $rows AS row {cypher}",
                        rows=list(items[start:start + ROWS]), **params))
    return out


def of_gen(var: str) -> str:
    """``var`` carries an assertion of generation ``$gen``."""
    return OF_GEN.replace("x.", f"{var}.")


def source_state(tx: ManagedTransaction, name: str) -> dict[str, Any] | None:
    found = rows(tx, f"MATCH (s:{_SRC} {{name: $name}}) RETURN {SOURCE_RETURN}", name=name)
    return found[0] if found else None


def generations(tx: ManagedTransaction) -> Generations:
    return Generations.of(rows(tx, f"MATCH (s:{_SRC}) RETURN {SOURCE_RETURN}"))


class Runner:
    """Runs write work: each piece in its own transaction, or all in one given one."""

    def __init__(self, driver: Driver | None, database: str | None = None,
                 tx: ManagedTransaction | None = None) -> None:
        self.driver, self.database, self.tx = driver, database, tx

    @classmethod
    def within(cls, tx: ManagedTransaction) -> Runner:
        """A runner that does all its work in ``tx``."""
        return cls(None, None, tx)

    def _session(self) -> Any:
        if self.driver is None:
            raise StoreError("no driver to open a session with")
        return self.driver.session(database=self.database)

    def write(self, work: Callable[[ManagedTransaction], T]) -> T:
        if self.tx is not None:
            return work(self.tx)
        with self._session() as session:
            result: T = session.execute_write(work)
        return result

    def scan(self, cypher: str, **params: Any) -> Iterator[dict[str, Any]]:
        """The rows of a read, streamed (in one transaction, they are all read first)."""
        if self.tx is not None:
            yield from rows(self.tx, cypher, **params)
            return
        with self._session() as session:
            for record in session.run(cypher, params):
                yield record.data()

    def delete(self, match: str, scope: str, delete: str, counted: str = "1",
               **params: Any) -> int:
        """Run ``delete`` on every ``match`` row, in batches; the sum of ``counted``."""
        if self.tx is not None:
            found = rows(self.tx, f"{match} WITH {scope}, {counted} AS counted "
                         f"{delete} RETURN sum(counted) AS n", **params)
            return int(found[0]["n"] or 0)
        with self._session() as session:
            record = session.run(
                f"{match} CALL ({scope}) {{ WITH {scope}, {counted} AS counted {delete} "
                "RETURN counted } IN TRANSACTIONS OF 10000 ROWS RETURN sum(counted) AS n",
                params).single()
        return int(record["n"] or 0) if record is not None else 0
