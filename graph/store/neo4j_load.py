"""One source's load into Neo4j: many transactions, one generation, undone on failure.

A large source (PrimeKG: four million statements) cannot be one Neo4j
transaction: the server holds a transaction's changes in its heap. So a load
commits as it goes, chunk by chunk, and stays all-or-nothing through
**generations** (:mod:`graph.store.neo4j_layout`):

1. **begin**: the load takes the next generation number ``g`` (a counter on the
   ``:TxkgMeta`` node) and records it on its ``:TxkgSource`` node as
   ``loading_gen`` with ``phase = 'loading'``; the source now reads as
   incomplete (``SourceInfo.complete`` is false);
2. **write**, one transaction per part of a chunk: every node, relationship and
   ledger entry the load writes carries ``g``; nothing another generation said
   is changed, only added to. What the source said before (its live generation
   ``g0``) stays, so a failure can always go back to it;
3. **finish**: ``phase = 'replacing'``, then generation ``g0`` is *withdrawn*
   (its assertions removed, views merged again, elements nobody asserts any
   more deleted), then ``g`` becomes the live generation and the phase is
   cleared: the source is complete.

A fault while writing (a :class:`~graph.errors.ParseError` deep in the file,
a server error, Ctrl-C) sets ``phase = 'undoing'`` and withdraws ``g``: the
store is as it was before the load. A process killed part-way leaves the phase
on the source node; the next load of that source first finishes the work
(``replacing``: withdraw ``g0``, promote ``g``) or undoes it (``loading``,
``undoing``: withdraw ``g``), so rerunning the same command completes it and
gives what a clean load gives. One load of a source at a time.

Writes are shaped for speed: parameterised ``UNWIND $rows`` statements grouped
by relationship type (types are quoted, never parameters), ends found by
element id (the load keeps each touched node's element id), and ``CREATE``
rather than ``MERGE`` where the relationship cannot exist yet: one of its ends
was created by this load, or a stored end had no relationship of that type in
that direction when the load first met it, and this load has not written its
key before (a Bloom filter of written keys; a hit means "maybe", and only
those are read first). Statements that share their properties share one parameter map.
A source of one small chunk, with nothing large to replace, is written in one
transaction instead, all steps included.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from datetime import UTC, datetime
from functools import partial
from typing import Any

from neo4j import ManagedTransaction

from graph.cypher_names import LEDGER_LABEL, META_LABEL, NODE_LABEL, SOURCE_LABEL, quote
from graph.errors import StoreError
from graph.model import LoadResult, SourceInfo
from graph.store.neo4j_layout import (
    DEGREE_MARK,
    Generations,
    node_assertions,
    node_properties,
    relationship_assertions,
    relationship_properties,
)
from graph.store.neo4j_tx import (
    OF_GEN,
    RECOUNT,
    ROWS,
    Runner,
    generations,
    rows,
    source_state,
    unwind,
)
from graph.store.neo4j_write import Writer
from graph.stream import Chunk, SourceStream

PART = 50_000  # nodes or edges per transaction
SMALL = 20_000  # a source this small (and what it replaces) loads in one transaction
_N, _SRC, _LEDGER = quote(NODE_LABEL), quote(SOURCE_LABEL), quote(LEDGER_LABEL)
#: A load no longer in progress: what the source node kept about it, cleared.
_DONE = ("s.loading_gen = null, s.loading_kind = null, s.loading_version = null, "
         "s.loading_path = null, s.phase = null, s.loading_parts = null, "
         "s.loading_part_edges = null")


# -- withdrawing a generation --------------------------------------------------------------


def withdraw(runner: Runner, name: str, gen: int) -> tuple[int, int]:
    """Remove every assertion of generation ``gen`` (of source ``name``): views are
    merged again, elements nobody asserts any more go. Returns (nodes removed,
    edges removed): every edge that went, its own or another source's at a node that
    went, each counted once."""
    gens = runner.write(generations)
    _rewrite(runner, gens, gen, "MATCH (a)-[x]->(b) WHERE $gen IN x._gens "
             "RETURN elementId(x) AS e, properties(x) AS p", relationship=True)
    edges = runner.delete(
        f"MATCH (a:{_N})-[x]->(b:{_N}) WHERE x._gen = $gen", "a, x, b",
        f"REMOVE a.{DEGREE_MARK}, b.{DEGREE_MARK} SET a:{RECOUNT}, b:{RECOUNT} DELETE x",
        gen=gen)
    _rewrite(runner, gens, gen, f"MATCH (x:{_N}) WHERE $gen IN x._gens "
             "RETURN elementId(x) AS e, properties(x) AS p", relationship=False)
    # Edges other sources assert at a node about to go go with it (DETACH DELETE).
    edges += sum(int(row["n"] or 0) for row in runner.scan(
        f"MATCH (x:{_N})-[r]-() WHERE x._gen = $gen RETURN count(DISTINCT r) AS n", gen=gen))
    nodes = runner.delete(f"MATCH (x:{_N}) WHERE x._gen = $gen", "x",
                          f"FOREACH (m IN [(x)--(m) | m] | REMOVE m.{DEGREE_MARK} "
                          f"SET m:{RECOUNT}) "
                          "DETACH DELETE x", gen=gen)
    runner.delete(f"MATCH (x:{_LEDGER} {{source: $name}}) WHERE x.gen = $gen", "x", "DELETE x",
                  name=name, gen=gen)
    return nodes, edges


def _rewrite(runner: Runner, gens: Generations, gen: int, read: str, *,
             relationship: bool) -> None:
    """Drop ``gen``'s assertion from elements that have others too (pages of :data:`ROWS`)."""
    page: list[dict[str, Any]] = []

    def flush() -> None:
        statement = ("MATCH ()-[x]->() WHERE elementId(x) = row.e SET x = row.p"
                     if relationship else
                     "MATCH (x) WHERE elementId(x) = row.e SET x = row.p")
        batch = list(page)
        runner.write(lambda tx: unwind(tx, statement, batch))
        page.clear()

    for row in runner.scan(read, gen=gen):
        if relationship:
            said: dict[int, Any] = relationship_assertions(row["p"], gens)
            said.pop(gen, None)
            props = relationship_properties(said, gens)
        else:
            records = node_assertions(row["p"])
            records.pop(gen, None)
            props = node_properties(records, gens)
        page.append({"e": row["e"], "p": props})
        if len(page) >= ROWS:
            flush()
    if page:
        flush()



# -- the whole load ------------------------------------------------------------------------


def begin(tx: ManagedTransaction, info: SourceInfo) -> Writer:
    """Take a generation and mark the source as loading it."""
    gen = rows(tx, f"MERGE (m:{quote(META_LABEL)} {{name: 'generations'}}) "
               "SET m.last = coalesce(m.last, 0) + 1 RETURN m.last AS gen")[0]["gen"]
    seq = rows(tx, f"OPTIONAL MATCH (s:{_SRC}) RETURN coalesce(max(s.seq), 0) + 1 AS seq"
               )[0]["seq"]
    rows(tx, f"MERGE (s:{_SRC} {{name: $name}}) SET s.loading_gen = $gen, "
         "s.loading_kind = $kind, s.loading_version = $version, s.loading_path = $path, "
         "s.phase = 'loading', s.seq = $seq, s.loading_parts = null, "
         "s.loading_part_edges = null", name=info.name, gen=gen, kind=info.kind,
         version=info.version, path=info.path, seq=seq)
    empty = rows(tx, f"MATCH (n:{_N}) RETURN count(n) = 0 AS empty")[0]["empty"]
    return Writer(info, gen, seq, generations(tx), first_load=empty)


def promote(tx: ManagedTransaction, name: str, size: int | None = None) -> None:
    """The loaded generation becomes the live one: the source is complete."""
    rows(tx, f"MATCH (s:{_SRC} {{name: $name}}) WHERE s.loading_gen IS NOT NULL "
         "SET s.gen = s.loading_gen, "
         "s.kind = s.loading_kind, s.version = s.loading_version, s.path = s.loading_path, "
         f"s.loaded_at = $at, s.size = coalesce($size, s.size), {_DONE}", name=name, size=size,
         at=datetime.now(UTC).isoformat(timespec="seconds"))


def set_phase(tx: ManagedTransaction, name: str, phase: str) -> None:
    rows(tx, f"MATCH (s:{_SRC} {{name: $name}}) SET s.phase = $phase", name=name, phase=phase)


def recover(runner: Runner, name: str) -> dict[str, Any] | None:
    """Finish or undo a load of ``name`` that stopped part-way; the source's state after."""
    state = runner.write(lambda tx: source_state(tx, name))
    if state is None or state["phase"] is None:
        return state
    if state["phase"] == "replacing":
        if state["gen"] is not None:
            withdraw(runner, name, state["gen"])
        runner.write(lambda tx: promote(tx, name))
    else:  # 'loading' or 'undoing': back to the live generation
        undo(runner, name, state["loading_gen"])
    return runner.write(lambda tx: source_state(tx, name))


def undo(runner: Runner, name: str, gen: int | None) -> None:
    """Withdraw an unfinished generation; forget the source if nothing else is left of it."""
    runner.write(lambda tx: set_phase(tx, name, "undoing"))
    if gen is not None:
        withdraw(runner, name, gen)
    runner.write(lambda tx: rows(
        tx, f"MATCH (s:{_SRC} {{name: $name}}) SET {_DONE} "
        "WITH s WHERE s.gen IS NULL DELETE s", name=name))


def load_small(tx: ManagedTransaction, chunk: Chunk, info: SourceInfo) -> LoadResult:
    """A whole small source in one transaction: begin, write, replace, promote. What it
    replaces is read in the transaction: a retry of one that committed unseen replaces that."""
    state = source_state(tx, info.name)
    old_gen = state["gen"] if state is not None else None
    writer = begin(tx, info)
    for piece in parts(chunk):
        writer.apply(writer.write(tx, piece))
    removed = (0, 0)
    if old_gen is not None:
        removed = withdraw(Runner.within(tx), info.name, old_gen)
    promote(tx, info.name, len(writer.asserted) + writer.edges)
    return writer.result(*removed)


def parts(chunk: Chunk) -> Iterator[Chunk]:
    """A chunk in pieces of at most :data:`PART` nodes or edges: nodes first, then edges
    (as measured, with the default heap); the refusals go with the last piece."""
    nodes, edges = list(chunk.nodes), list(chunk.edges)
    pieces = [Chunk(nodes=nodes[at:at + PART]) for at in range(0, len(nodes), PART)]
    pieces += [Chunk(edges=edges[at:at + PART]) for at in range(0, len(edges), PART)]
    last = pieces.pop() if pieces else Chunk()
    yield from pieces
    if len(last) or chunk.rejections:
        yield Chunk(nodes=last.nodes, edges=last.edges, rejections=chunk.rejections)


def prefetched(chunks: Iterator[Chunk], depth: int = 2) -> Generator[Chunk, None, None]:
    """The chunks, read ahead in a thread: the file is parsed while the server writes."""
    box: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def read() -> None:
        try:
            for chunk in chunks:
                while not stop.is_set():
                    try:
                        box.put(("chunk", chunk), timeout=0.2)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            box.put(("end", None))
        except BaseException as error:  # handed to the loading thread, raised there
            box.put(("error", error))

    thread = threading.Thread(target=read, name="txkg-read", daemon=True)
    thread.start()
    try:
        while True:
            what, value = box.get()
            if what == "end":
                return
            if what == "error":
                raise value
            yield value
    finally:
        stop.set()


def _one_line(error: BaseException) -> str:
    text = str(getattr(error, "message", None) or error).strip()
    return text.splitlines()[0].rstrip(":") if text else type(error).__name__


def load_stream(runner: Runner, stream: SourceStream, first: Chunk,
                rest: Iterator[Chunk], where: str = "the server") -> LoadResult:
    """A large source: begin, one transaction per part, replace, promote (module docstring).

    ``where`` names the server (its URI) in the error of a load that could not be undone.
    """
    info = stream.source
    writer = runner.write(lambda tx: begin(tx, info))
    try:
        pieces = (piece for chunk in _chain(first, rest) for piece in parts(chunk))
        for number, piece in enumerate(pieces):
            writer.apply(runner.write(partial(writer.write_part, chunk=piece, number=number)))
    except BaseException as error:
        try:
            undo(runner, info.name, writer.gen)
        except Exception as undo_error:
            raise StoreError(
                f"the load of {info.name} into {where} stopped part-way ({_one_line(error)}) "
                f"and could not be undone ({_one_line(undo_error)}): the store holds part of "
                "it, marked incomplete (txkg stats); run the same load again to complete "
                "it") from error
        raise
    state = runner.write(lambda tx: source_state(tx, info.name))
    runner.write(lambda tx: set_phase(tx, info.name, "replacing"))
    removed = (0, 0)
    if state is not None and state["gen"] is not None:
        removed = withdraw(runner, info.name, state["gen"])
    runner.write(lambda tx: promote(tx, info.name, len(writer.asserted) + writer.edges))
    writer.keep_degrees(runner)
    return writer.result(*removed)


def _chain(first: Chunk, rest: Iterator[Chunk]) -> Iterator[Chunk]:
    yield first
    yield from rest


def size_of(chunk: Chunk) -> int:
    return len(chunk.nodes) + len(chunk.edges)


def counts_of(tx: ManagedTransaction, name: str, gen: int) -> tuple[int, int, int]:
    """Nodes, edges and ledger entries generation ``gen`` of ``name`` asserts."""
    nodes = rows(tx, f"MATCH (x:{_N}) WHERE {OF_GEN} RETURN count(*) AS c", gen=gen)[0]["c"]
    edges = rows(tx, f"MATCH ()-[x]->() WHERE {OF_GEN} RETURN count(*) AS c", gen=gen)[0]["c"]
    refused = rows(tx, f"MATCH (x:{_LEDGER} {{source: $name}}) WHERE x.gen = $gen "
                   "RETURN count(*) AS c", name=name, gen=gen)[0]["c"]
    return int(nodes), int(edges), int(refused)
