"""Export a store as CSV files for ``neo4j-admin database import full`` (the bulk path).

The files describe exactly the graph :class:`~graph.store.neo4j.Neo4jStore`
would hold after loading the same sources (same labels, properties and
bookkeeping), so a store opened on the imported database behaves like one
loaded through Bolt. Each node kind and relationship type gets a data file and
a header file; :attr:`ExportResult.command` is the import command.

Offline import is far faster than transactional loading for large graphs, but
it writes a new database: the server (or that database) must be stopped, and
on Community the database is ``neo4j``.
"""

from __future__ import annotations

import csv
import shlex
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from graph.store.base import GraphStore
from graph.store.merge import priority
from graph.store.neo4j_cypher import LEDGER_LABEL, META_LABEL, NODE_LABEL, SOURCE_LABEL, quote
from graph.store.neo4j_layout import (
    Generations,
    SourceRef,
    node_properties,
    node_record,
    provenance_records,
    relationship_properties,
)

#: Between array elements and between labels in one CSV field (U+001F, unit separator:
#: names, synonyms and PMIDs never contain it, while ';' and '|' do occur in names).
ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"


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


def export_neo4j_csv(store: GraphStore, directory: Path) -> ExportResult:
    """Write every node, relationship, source and ledger entry of ``store`` under ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    sources = store.sources()
    gens = Generations({seq: SourceRef(s.name, s.version, (priority(s.kind), seq, seq))
                        for seq, s in enumerate(sources, 1)})
    node_said: dict[str, dict[int, Any]] = defaultdict(dict)
    edge_said: dict[tuple[str, str, str], dict[int, Any]] = defaultdict(dict)
    ledger: list[dict[str, Any]] = []
    for seq, source in enumerate(sources, 1):
        batch = store.source_batch(source.name)
        for node in batch.nodes:
            node_said[node.id][seq] = node_record(node)
        for edge in batch.edges:
            edge_said[edge.key][seq] = {"provenance": provenance_records(edge.provenance),
                                        "properties": dict(edge.properties)}
        ledger.extend({"source": r.source, "path": r.path, "line": r.line, "record": r.record,
                       "reason": r.reason, "seq": seq, "n": i}
                      for i, r in enumerate(batch.rejections))

    nodes_by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node_id in sorted(node_said):
        view = node_properties(node_said[node_id], gens)
        nodes_by_kind[view["kind"]].append(view)
    rels_by_type: dict[str, list[tuple[tuple[str, str, str], dict[str, Any]]]] = defaultdict(list)
    for key in sorted(edge_said):
        rels_by_type[key[1]].append((key, relationship_properties(edge_said[key], gens)))

    files: list[str] = []
    arguments = ["database", "import", "full", "<database>", "--overwrite-destination",
                 f"--array-delimiter={ARRAY_DELIMITER_OPTION}", "--multiline-fields=true",
                 # else neo4j-admin writes import.report into the current folder
                 f"--report-file={(directory / 'import.report').resolve()}"]
    for kind, rows in sorted(nodes_by_kind.items()):
        quote(kind)  # a kind outside the schema never reaches a file name
        columns = _columns(rows, first=["id"])
        header = ["id:ID(Node)", ":LABEL", *(_typed(c, rows) for c in columns[1:])]
        data = [[r["id"], ARRAY_DELIMITER.join([NODE_LABEL, kind]),
                 *(_value(r.get(c)) for c in columns[1:])] for r in rows]
        arguments.append("--nodes=" + _write(directory, f"nodes_{kind}", header, data, files))
    for edge_type, items in sorted(rels_by_type.items()):
        quote(edge_type)
        props = [p for _, p in items]
        columns = _columns(props)
        header = [":START_ID(Node)", ":END_ID(Node)", ":TYPE", *(_typed(c, props) for c in columns)]
        data = [[k[0], k[2], edge_type, *(_value(p.get(c)) for c in columns)] for k, p in items]
        arguments.append("--relationships=" + _write(directory, f"rels_{edge_type}", header,
                                                     data, files))
    source_rows = [[s.name, SOURCE_LABEL, s.kind, s.version or "", s.path or "", seq, seq]
                   for seq, s in enumerate(sources, 1)]
    if source_rows:
        arguments.append("--nodes=" + _write(
            directory, "txkg_sources",
            ["name:ID(TxkgSource)", ":LABEL", "kind", "version", "path", "seq:long", "gen:long"],
            source_rows, files))
        arguments.append("--nodes=" + _write(
            directory, "txkg_meta", ["name:ID(TxkgMeta)", ":LABEL", "last:long"],
            [["generations", META_LABEL, len(sources)]], files))
    if ledger:
        arguments.append("--nodes=" + _write(
            directory, "txkg_ledger",
            [":ID(TxkgLedgerEntry)", ":LABEL", "source", "path", "line:long", "record",
             "reason", "seq:long", "n:long", "gen:long"],
            [[i, LEDGER_LABEL, *(_value(e[c]) for c in
                                 ("source", "path", "line", "record", "reason", "seq", "n",
                                  "seq"))]
             for i, e in enumerate(ledger)], files))
    return ExportResult(directory=str(directory),
                        nodes=sum(len(r) for r in nodes_by_kind.values()),
                        relationships=sum(len(r) for r in rels_by_type.values()),
                        files=tuple(files), arguments=tuple(arguments))


def _columns(rows: Iterable[dict[str, Any]], first: Sequence[str] = ()) -> list[str]:
    seen = dict.fromkeys(first)
    for row in rows:
        seen.update(dict.fromkeys(k for k in sorted(row) if k not in seen))
    return list(seen)


def _typed(column: str, rows: Sequence[dict[str, Any]]) -> str:
    """``name:type`` for a header: the one Neo4j type every value of the column fits."""
    values = [r[column] for r in rows if r.get(column) is not None]
    if values and all(isinstance(v, list) for v in values):
        return f"{column}:string[]"
    if values and all(isinstance(v, bool) for v in values):
        return f"{column}:boolean"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return f"{column}:long"
    if values and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return f"{column}:double"
    return column


def _value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # shortest round-tripping form: scores survive to the last bit
    return value


def _write(directory: Path, stem: str, header: list[str], rows: list[list[Any]],
           files: list[str]) -> str:
    header_path = directory / f"{stem}.header.csv"
    data_path = directory / f"{stem}.csv"
    for path, content in ((header_path, [header]), (data_path, rows)):
        with path.open("w", newline="", encoding="utf-8") as out:
            csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\n").writerows(content)
        files.append(path.name)
    return f"{header_path.resolve()},{data_path.resolve()}"
