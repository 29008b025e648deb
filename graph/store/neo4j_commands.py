"""The Neo4j store's writes: load a source, remove one, keep a source's originals.

:class:`Neo4jCommands` is the part of :class:`~graph.store.neo4j.Neo4jStore` that changes
the database. Each load or removal holds the database's writer lock
(:mod:`graph.store.neo4j_lock`) from start to end; a small source is written in one
transaction, a large one by :mod:`graph.store.neo4j_load` in many, all-or-nothing through
load generations.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from neo4j.exceptions import DriverError, Neo4jError

from graph.cypher_names import SOURCE_LABEL, quote
from graph.errors import StoreError
from graph.model import LoadResult, Rejection, SourceBatch, SourceInfo
from graph.store.base import REJECTIONS_SHOWN
from graph.store.neo4j_cypher import translate
from graph.store.neo4j_load import (
    SMALL,
    counts_of,
    load_small,
    load_stream,
    prefetched,
    recover,
    size_of,
    withdraw,
)
from graph.store.neo4j_lock import writer_lock
from graph.store.neo4j_parts import Neo4jPart
from graph.store.neo4j_tx import Runner
from graph.stream import Chunk, SourceStream, as_stream

_SRC = quote(SOURCE_LABEL)


class Neo4jCommands(Neo4jPart):
    """Loads, removals and a source's originals (a part of ``Neo4jStore``)."""

    if TYPE_CHECKING:  # provided by the store's other parts
        def keep_degrees(self) -> int: ...

        def ledger(self, *, source: str | None = None,
                   limit: int | None = None) -> list[Rejection]: ...

    def load(self, source: SourceBatch | SourceStream, *, force: bool = False) -> LoadResult:
        """See :mod:`graph.store.neo4j_load`: many transactions, one generation."""
        self._element_ids.clear()  # a write may delete nodes and free their element ids
        stream = as_stream(source)
        info = stream.source
        runner = Runner(self._driver, self.database)
        try:
            with writer_lock(self._driver, self.database, self.uri):
                return self._load(stream, info, runner, force=force)
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error

    def _load(self, stream: SourceStream, info: SourceInfo, runner: Runner, *,
              force: bool) -> LoadResult:
        try:
            state = recover(runner, info.name)
            if (state is not None and state["gen"] is not None and info.version is not None
                    and state["version"] == info.version and not force):
                return self._unchanged(info, state["gen"])
            chunks = stream.chunks()
            first = next(chunks, Chunk())
            second = next(chunks, None)
            old_size = (state["size"] or 0) if state is not None else 0
            if second is None:
                if size_of(first) <= SMALL and old_size <= SMALL:
                    result = self._write(lambda tx: load_small(tx, first, info))
                    self.keep_degrees()
                    return result
                second = Chunk()
            rest = prefetched(itertools.chain([second], chunks))
            try:
                # The collector stays on: pausing it here doubled the peak memory of a
                # PrimeKG load (1.2 GiB instead of 0.6) for no measurable speed.
                result = load_stream(runner, stream, first, rest, where=self.uri)
            finally:
                rest.close()  # stops the reading thread
            self.keep_degrees()
            return result
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error

    def _unchanged(self, info: SourceInfo, gen: int) -> LoadResult:
        nodes, edges, refused = self._read(lambda tx: counts_of(tx, info.name, gen))
        return LoadResult(source=info, nodes=nodes, edges=edges, refused=refused,
                          rejections=tuple(self.ledger(source=info.name,
                                                       limit=REJECTIONS_SHOWN)),
                          unchanged=True)

    def remove_source(self, name: str) -> LoadResult:
        self._element_ids.clear()
        runner = Runner(self._driver, self.database)
        try:
            with writer_lock(self._driver, self.database, self.uri):
                return self._remove(name, runner)
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error

    def _remove(self, name: str, runner: Runner) -> LoadResult:
        try:
            state = recover(runner, name)
            if state is None:
                raise StoreError(f"no source named {name!r} is loaded")
            info = SourceInfo(name=name, kind=state["kind"], version=state["version"],
                              path=state["path"])

            def remove(work_runner: Runner) -> tuple[int, int]:
                removed = withdraw(work_runner, name, state["gen"])
                work_runner.write(lambda tx: tx.run(
                    f"MATCH (s:{_SRC} {{name: $name}}) DELETE s", {"name": name}).consume())
                return removed

            if (state["size"] or 0) <= SMALL:
                nodes, edges = self._write(lambda tx: remove(Runner.within(tx)))
            else:
                nodes, edges = remove(runner)
            self.keep_degrees()
        except (DriverError, Neo4jError, OSError) as error:
            raise translate(error, self.uri, self.database) from error
        return LoadResult(source=info, nodes=0, edges=0, nodes_removed=nodes,
                          edges_removed=edges)

    def keep_originals(self, name: str, data: str | None) -> None:
        self._write(lambda tx: tx.run(f"MATCH (s:{_SRC} {{name: $name}}) SET s.originals = $data",
                                      {"name": name, "data": data}).consume())

    def originals(self, name: str) -> str | None:
        rows = self._query(f"MATCH (s:{_SRC} {{name: $name}}) RETURN s.originals AS o",
                           {"name": name})
        return rows[0]["o"] if rows else None
