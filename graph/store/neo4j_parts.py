"""What the parts of :class:`~graph.store.neo4j.Neo4jStore` share: its connection and query runner.

The store is one class put together from parts, each a mixin in a module of its own:
:class:`~graph.store.neo4j_mechanisms.MechanismQueries` (the explainer's and the
metagraph's questions), :class:`~graph.store.neo4j_catalogue.Neo4jCatalogue` (what is
loaded: sources, the ledger, counts) and :class:`~graph.store.neo4j_commands.Neo4jCommands`
(loads and removals). :class:`Neo4jPart`, their common base, holds what they all run on:
one statement in its own transaction (``_query``), a unit of work in a managed read or
write transaction (``_read``, ``_write``), and the loads by generation (``_generations``).
:class:`~graph.store.neo4j.Neo4jStore` opens the driver these use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from neo4j import Driver, ManagedTransaction
from neo4j import RoutingControl as Routing
from neo4j.exceptions import DriverError, Neo4jError

from graph.cypher_names import SOURCE_LABEL, quote
from graph.store.neo4j_cypher import translate
from graph.store.neo4j_layout import Generations
from graph.store.neo4j_tx import SOURCE_RETURN

T = TypeVar("T")
_SRC = quote(SOURCE_LABEL)


class Neo4jPart:
    """The connection every part of the Neo4j store runs its Cypher over."""

    # Set by Neo4jStore: the server (without credentials), the database (None: the
    # server's default), the driver, and the element ids of nodes the explainer's reads
    # met (its allowed sets of neighbours name them; forgotten on every write).
    uri: str
    database: str | None
    _driver: Driver
    _element_ids: dict[str, str]

    def _query(self, cypher: str, params: dict[str, Any] | None = None, *,
               write: bool = False) -> list[dict[str, Any]]:
        """Run one statement in its own transaction; the one call shape of every read.

        Rows map each column to its value as the driver decodes it: statements here
        return properties, lists and maps, never nodes or relationships (``record.data()``,
        which would turn those into maps, walks every value again: a third of the client's
        CPU on the explainer's largest answers)."""
        keys, records = self._run(cypher, params, write=write)
        return [dict(zip(keys, record, strict=True)) for record in records]

    def _records(self, cypher: str, params: dict[str, Any] | None = None) -> list[Sequence[Any]]:
        """Run one read in its own transaction; its rows as the driver's records (tuples in
        the order of the RETURN clause), for the explainer's largest answers."""
        return self._run(cypher, params, write=False)[1]

    def _run(self, cypher: str, params: dict[str, Any] | None, *, write: bool
             ) -> tuple[list[str], list[Sequence[Any]]]:
        """One statement in its own transaction: its column names and records."""
        try:
            result = self._driver.execute_query(
                cypher, parameters_=params or {}, database_=self.database,
                routing_=Routing.WRITE if write else Routing.READ)
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error
        return list(result.keys), list(result.records)

    def _write(self, work: Callable[[ManagedTransaction], T]) -> T:
        """``work`` in a managed write transaction (retried by the driver if need be)."""
        return self._managed(work, write=True)

    def _read(self, work: Callable[[ManagedTransaction], T]) -> T:
        """``work`` in a managed read transaction."""
        return self._managed(work, write=False)

    def _managed(self, work: Callable[[ManagedTransaction], T], *, write: bool) -> T:
        try:
            with self._driver.session(database=self.database) as session:
                run = session.execute_write if write else session.execute_read
                result: T = run(work)
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error
        return result

    def _generations(self) -> Generations:
        return Generations.of(self._query(f"MATCH (s:{_SRC}) RETURN {SOURCE_RETURN}"))
