"""Export a store as CSV files for ``neo4j-admin database import full`` (the bulk path).

The files describe exactly the graph :class:`~graph.store.neo4j.Neo4jStore`
would hold after loading the same sources (same labels, properties and
bookkeeping: :mod:`graph.store.neo4j_layout`, with source ``i`` in load order
as generation ``i``), so a store opened on the imported database reads like
one loaded over Bolt.

It streams: the store is read a chunk at a time (:meth:`GraphStore.stored`)
and each node or relationship goes straight to its file, so memory does not
grow with the store. A file's header must name its columns before its first
row, so rows are filed by their *shape* (label or type, and which properties
of which types they have): each shape gets a header file and a data file, and
the import takes them all. A large source's statements share a handful of
shapes, and the common one (its own provenance entry, plain properties) is
written without building its properties at all.

Offline import is far faster than transactional loading for large graphs, but
it writes a new database: the server (or that database) must be stopped, and
on Community the database is ``neo4j``. :func:`import_command` runs it
against the server ``scripts/neo4j-local`` manages.
"""

from __future__ import annotations

import csv
import os
import shlex
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, ConfigDict

from graph.cypher_names import (
    LEDGER_LABEL,
    META_LABEL,
    NODE_LABEL,
    RECOUNT_LABEL,
    SOURCE_LABEL,
    quote,
)
from graph.errors import StoreError
from graph.gc_pause import collector_paused
from graph.model import Node
from graph.store.base import GraphStore, Stored
from graph.store.merge import priority
from graph.store.neo4j_layout import (
    Generations,
    SourceRef,
    node_properties,
    node_record,
    plain_properties,
    relationship_properties,
    said_by,
)
from graph.stream import Statement

#: Between array elements and between labels in one CSV field (U+001F, unit separator:
#: names, synonyms and PMIDs never contain it, while ';' and '|' do occur in names).
ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"
#: The import's arguments, one a line, beside the CSVs (``scripts/neo4j-local import`` reads it).
ARGUMENTS_FILE = "import.args"
_NONE: Mapping[str, Any] = {}


class ExportResult(BaseModel):
    """What was written and how to import it."""

    model_config = ConfigDict(frozen=True)

    directory: str
    nodes: int
    relationships: int
    files: tuple[str, ...]
    #: ``neo4j-admin`` arguments after ``neo4j-admin`` (run from any folder).
    arguments: tuple[str, ...]

    def command(self, admin: str = "neo4j-admin", database: str = "neo4j") -> str:
        """The import command line, for a shell."""
        args = [a if a != "<database>" else database for a in self.arguments]
        return " ".join([admin, *(shlex.quote(a) for a in args)])


def export_neo4j_csv(store: GraphStore, directory: Path, *,
                     on_progress: Callable[[int, int], None] | None = None) -> ExportResult:
    """Write every node, relationship, source and ledger entry of ``store`` under ``directory``.

    ``on_progress(elements written, 0)`` is called after each chunk the store hands over
    (the total is not known in advance).
    """
    sources = store.sources()
    unfinished = [s.name for s in sources if not s.complete]
    if unfinished:
        raise StoreError(f"cannot export {store.uri}: source(s) {', '.join(unfinished)} "
                         "are incomplete (a load stopped part-way); load them again first")
    directory.mkdir(parents=True, exist_ok=True)
    gens = Generations({seq: SourceRef(s.name, s.version, (priority(s.kind), s.name, seq))
                        for seq, s in enumerate(sources, 1)})
    files = _Files(directory)
    rows = _Rows(files, gens, {s.name: seq for seq, s in enumerate(sources, 1)})
    try:
        with collector_paused():
            written = 0
            for chunk in store.stored():
                rows.add_all(chunk)
                written += len(chunk)
                if on_progress is not None:
                    on_progress(written, 0)
        files.table("txkg_sources", ["name:ID(TxkgSource)", ":LABEL", "kind", "version",
                                     "path", "seq:long", "gen:long"],
                    ([s.name, SOURCE_LABEL, s.kind, s.version, s.path, seq, seq]
                     for seq, s in enumerate(sources, 1)))
        files.table("txkg_meta", ["name:ID(TxkgMeta)", ":LABEL", "last:long"],
                    [["generations", META_LABEL, len(sources)]])
        files.table("txkg_ledger", [":ID(TxkgLedgerEntry)", ":LABEL", "source", "path",
                                    "line:long", "record", "reason", "seq:long", "n:long",
                                    "gen:long"],
                    ([f"{seq}:{n}", LEDGER_LABEL, r.source, r.path, r.line, r.record,
                      r.reason, seq, n, seq]
                     for seq, s in enumerate(sources, 1)
                     for n, r in enumerate(store.ledger(source=s.name))))
    finally:
        files.close()
    arguments = ["database", "import", "full", "<database>", "--overwrite-destination",
                 f"--array-delimiter={ARRAY_DELIMITER_OPTION}", "--multiline-fields=true",
                 # else neo4j-admin writes import.report into the current folder
                 f"--report-file={(directory / 'import.report').resolve()}",
                 *files.arguments]
    (directory / ARGUMENTS_FILE).write_text(
        "\n".join(a.replace("<database>", "neo4j") for a in arguments) + "\n")
    return ExportResult(directory=str(directory), nodes=rows.nodes,
                        relationships=rows.relationships, files=tuple(files.names),
                        arguments=tuple(arguments))


class _Rows:
    """Stored elements to CSV rows, filed by shape."""

    def __init__(self, files: _Files, gens: Generations, gen_of: Mapping[str, int]) -> None:
        self.files, self.gens, self.gen_of = files, gens, gen_of
        self.nodes = self.relationships = 0
        # (type, id of shared properties, source) -> (writer, the row's cells after the
        # two ends, the line's and the PMIDs' places in the row)
        self._common: dict[tuple[str, int, str], tuple[Any, list[Any], int, int] | None] = {}

    def add_all(self, chunk: list[Stored]) -> None:
        """File a chunk's rows; the usual statement (one source, its own provenance entry,
        plain properties) takes a short path: its shape's cells, with line and PMIDs set."""
        common, prepare = self._common, self._prepare
        for item in chunk:
            key, said = item
            if key.__class__ is str or len(said) != 1:
                self.add(item)
                continue
            ((name, statement),) = said.items()
            if statement.__class__ is not Statement:
                self.add(item)
                continue
            props = statement[5] or _NONE
            shape = (key[1], id(props), name)
            found = common.get(shape) if shape in common else prepare(shape, props)
            if found is None:
                self.add(item)
                continue
            writer, cells, at_line, at_pmids = found
            row = [key[0], key[2], *cells]
            row[at_line] = "" if statement[3] is None else statement[3]
            if statement[4]:
                row[at_pmids] = ARRAY_DELIMITER.join(statement[4])
            writer.writerow(row)
            self.relationships += 1

    def _prepare(self, shape: tuple[str, int, str], props: Mapping[str, Any]
                 ) -> tuple[Any, list[Any], int, int] | None:
        """The writer and row template of the usual statements of one shape."""
        found = None
        if plain_properties(props):
            values = {**props, "_gen": self.gen_of[shape[2]],
                      "_line": 0, "pmids": [""]}
            writer, columns = self.files.writer(("rel", shape[0]),
                                                [":START_ID(Node)", ":END_ID(Node)"], values)
            cells = [_cell(values[c]) for c in columns]
            found = (writer, cells, 2 + columns.index("_line"), 2 + columns.index("pmids"))
        self._common[shape] = found
        return found

    def add(self, item: Stored) -> None:
        """File one node or relationship, its properties built in full."""
        if isinstance(item.key, str):
            self.nodes += 1
            said = {self.gen_of[s]: node_record(n) for s, n in item.said.items()
                    if isinstance(n, Node)}
            props = node_properties(said, self.gens)
            kind = str(props["kind"])
            values = {k: v for k, v in props.items() if k != "id"}
            quote(kind)  # a kind outside the schema never reaches a file
            self.files.row(("node", kind), ["id:ID(Node)", ":LABEL"], values,
                           [props["id"], ARRAY_DELIMITER.join((NODE_LABEL, kind, RECOUNT_LABEL))])
            return
        self.relationships += 1
        source, edge_type, target = item.key
        assertions = {self.gen_of[s]: said_by(s, self.gens.ref(self.gen_of[s]).version, e)
                      for s, e in item.said.items() if not isinstance(e, Node)}
        props = relationship_properties(assertions, self.gens)
        self.files.row(("rel", edge_type), [":START_ID(Node)", ":END_ID(Node)"], props,
                       [source, target])


class _Files:
    """One header file and one data file per shape; the import's arguments."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.names: list[str] = []
        self.arguments: list[str] = []
        self._open: dict[tuple[Any, ...], tuple[Any, list[str]]] = {}
        self._handles: list[IO[str]] = []

    def writer(self, what: tuple[str, str], fixed: list[str],
               values: Mapping[str, Any]) -> tuple[Any, list[str]]:
        """The CSV writer for rows of this shape, and its property columns in order."""
        columns = sorted(values)
        shape = (*what, *((c, _type(values[c])) for c in columns))
        found = self._open.get(shape)
        if found is None:
            kind, name = what
            stem = f"{'nodes' if kind == 'node' else 'rels'}_{name}_{len(self._open)}"
            header = [*fixed, *(f"{c}{_type(values[c])}" for c in columns)]
            writer = self._start(stem, header)
            option = "--nodes=" if kind == "node" else f"--relationships={name}="
            self.arguments.append(option + self._pair(stem))
            found = self._open[shape] = (writer, columns)
        return found

    def row(self, what: tuple[str, str], fixed: list[str], values: Mapping[str, Any],
            start: list[Any]) -> None:
        writer, columns = self.writer(what, fixed, values)
        writer.writerow([*start, *(_cell(values[c]) for c in columns)])

    def table(self, stem: str, header: list[str], rows: Any) -> None:
        writer = None
        for row in rows:
            if writer is None:
                writer = self._start(stem, header)
                self.arguments.append("--nodes=" + self._pair(stem))
            writer.writerow([_cell(v) for v in row])

    def _start(self, stem: str, header: list[str]) -> Any:
        with (self.directory / f"{stem}.header.csv").open("w", newline="",
                                                          encoding="utf-8") as out:
            csv.writer(out, lineterminator="\n").writerow(header)
        handle = (self.directory / f"{stem}.csv").open("w", newline="", encoding="utf-8")
        self._handles.append(handle)
        self.names += [f"{stem}.header.csv", f"{stem}.csv"]
        return csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")

    def _pair(self, stem: str) -> str:
        return (f"{(self.directory / f'{stem}.header.csv').resolve()},"
                f"{(self.directory / f'{stem}.csv').resolve()}")

    def close(self) -> None:
        for handle in self._handles:
            handle.close()


def _type(value: Any) -> str:
    """A header column's type suffix for a value."""
    if isinstance(value, list):
        if value and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            return ":long[]"  # generations
        return ":string[]"
    if isinstance(value, bool):
        return ":boolean"
    if isinstance(value, int):
        return ":long"
    if isinstance(value, float):
        return ":double"
    return ""


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # shortest round-tripping form: scores survive to the last bit
    return value



def neo4j_local() -> Path:
    """``scripts/neo4j-local`` of this checkout (or ``$TXKG_NEO4J_LOCAL``)."""
    script = Path(os.environ.get("TXKG_NEO4J_LOCAL")
                  or Path(__file__).resolve().parents[1] / "scripts" / "neo4j-local")
    if not script.is_file():
        raise StoreError(f"cannot import: {script} not found (txkg runs the import through "
                         "scripts/neo4j-local of a txkg checkout; set TXKG_NEO4J_LOCAL)")
    return script


def import_command(directory: Path) -> list[str]:
    """The command that imports ``directory`` into the local server (its database replaced)."""
    return ["bash", str(neo4j_local()), "import", str(directory.resolve())]


def import_into_local_server(directory: Path) -> None:
    """Stop the ``scripts/neo4j-local`` server, import the CSVs, start it again.

    The instance is the script's (``TXKG_NEO4J_INSTANCE_DIR``, ports from
    ``TXKG_NEO4J_BOLT_PORT`` …); its output goes to our standard error.
    """
    done = subprocess.run(import_command(directory), stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          check=False)
    if done.returncode != 0:
        last = [line for line in done.stdout.splitlines() if line.strip()][-1:] or ["?"]
        raise StoreError(f"the import of {directory} failed: {last[0]}")
