"""TxGNN's candidate list: rows per second parsed, and into the embedded SQLite store.

Three medians, each beside a baseline measured in the same run:
- parse: ``read_candidates`` (CSV → 32,368 Predictions, 64,736 edges, Drug/Disease
  nodes); baseline: a bare ``csv.reader`` pass over the same file;
- into SQLite: ``SqliteStore.load`` of that batch into a new file that already holds the
  two vocabularies; baseline: the same rows inserted into a bare SQLite table;
- the whole folder: ``read_txgnn`` (15 files), parse only.

CPU seconds (``time.process_time``) are given beside wall seconds: on a shared machine
the wall clock mostly measures the neighbours.

The SQLite floor beside the store load: the same rows, prepared in advance, inserted into the
same tables — what the store costs beyond SQLite itself.

Run: ``python bench/txgnn.py [--repeat N] [--folder ../shared/data/txgnn]``; writes its
section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from _common import SHARED_DATA, machine, medians, write_section

from graph.model import SourceBatch
from graph.store.sqlite import SqliteStore
from loaders.txgnn import read_candidates, read_txgnn, read_vocabulary
from loaders.txgnn.predictions import CANDIDATES
from loaders.txgnn.vocabulary import VocabularyLoad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--folder", type=Path, default=SHARED_DATA / "txgnn")
    args = parser.parse_args()
    folder: Path = args.folder
    file = folder / CANDIDATES
    vocab_load = read_vocabulary(folder)
    vocab = vocab_load.vocabulary
    batch = read_candidates(file, vocab).batch
    with file.open(newline="", encoding="utf-8") as handle:
        rows = sum(1 for _ in csv.reader(handle)) - 1

    def bare_csv() -> None:
        with file.open(newline="", encoding="utf-8") as handle:
            for _ in csv.reader(handle):
                pass

    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(10**6))

        def bare_sqlite() -> None:
            db = sqlite3.connect(Path(tmp) / f"bare{next(counter)}.db")
            with file.open(newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle)
                header = next(reader)
                db.execute(f"CREATE TABLE rows ({', '.join(header)})")
                db.executemany(f"INSERT INTO rows VALUES ({','.join('?' * len(header))})",
                               reader)
            db.commit()
            db.close()

        def store_with_vocabularies() -> SqliteStore:
            store = SqliteStore(Path(tmp) / f"kg{next(counter)}.db")
            store.load(vocab_load.drug_batch)
            store.load(vocab_load.disease_batch)
            return store

        store_wall: list[float] = []
        store_cpu: list[float] = []

        def into_sqlite() -> None:
            with store_with_vocabularies() as store:
                w, c = time.perf_counter(), time.process_time()
                store.load(batch)
                store_wall.append(time.perf_counter() - w)
                store_cpu.append(time.process_time() - c)

        # The SQLite floor: the very rows SqliteStore.load writes, taken from one load and
        # inserted again, prepared in advance, into a store holding the vocabularies.
        floor_rows = _rows_one_load_writes(Path(tmp) / "floor-source.db", vocab_load, batch)
        floor_wall: list[float] = []
        floor_cpu: list[float] = []

        def sql_only() -> None:
            with store_with_vocabularies() as store:
                db = store._db  # the bench times SQLite itself
                w, c = time.perf_counter(), time.process_time()
                db.execute("BEGIN IMMEDIATE")
                for table, rows in floor_rows.items():
                    db.executemany(f"INSERT OR REPLACE INTO {table} VALUES "
                                   f"({','.join('?' * len(rows[0]))})", rows)
                db.execute("COMMIT")
                floor_wall.append(time.perf_counter() - w)
                floor_cpu.append(time.process_time() - c)

        parse = medians(lambda: read_candidates(file, vocab), args.repeat)
        parse_base = medians(bare_csv, args.repeat)
        insert_base = medians(bare_sqlite, args.repeat)
        for _ in range(args.repeat):
            into_sqlite()
            sql_only()
        store = statistics.median(store_wall), statistics.median(store_cpu)
        floor = statistics.median(floor_wall), statistics.median(floor_cpu)
        folder_parse = medians(lambda: read_txgnn(folder), max(1, args.repeat // 2))

    def line(task: str, ours: tuple[float, float], base_name: str,
             base: tuple[float, float] | None, count: int | None) -> str:
        rate = f"{count / ours[1]:,.0f}" if count else "—"
        if base is None:
            return f"| {task} | {ours[0]:.3f} s | {ours[1]:.3f} s | {rate} | — | — | — |"
        return (f"| {task} | {ours[0]:.3f} s | {ours[1]:.3f} s | {rate} | {base_name} | "
                f"{base[1]:.3f} s | {ours[1] / base[1]:.0f}× |")

    total = (parse[0] + store[0], parse[1] + store[1])
    lines = [
        "## TxGNN candidates (bench/txgnn.py)",
        "",
        f"`repurposing_candidates_merged.csv`: {rows:,} rows → {rows:,} Prediction nodes, "
        f"{len(batch.edges):,} OF_DRUG/FOR_DISEASE edges. Medians of {args.repeat} runs; "
        f"{machine()}. Goal: all candidates into SQLite in under 1 s.",
        "",
        "| task | wall | CPU | rows/s (CPU) | baseline | baseline CPU | ratio (CPU) |",
        "|---|---:|---:|---:|---|---:|---:|",
        line("parse (`read_candidates`)", parse, "bare `csv.reader`", parse_base, rows),
        line("into SQLite (`SqliteStore.load`, vocabularies already loaded)", store,
             "csv + bare SQLite insert", insert_base, rows),
        line("into SQLite", store, "the same rows into the same tables, SQL only", floor,
             rows),
        line("parse + into SQLite", total, "csv + bare SQLite insert", insert_base, rows),
        line("whole folder, 15 files, parse only (`read_txgnn`)", folder_parse, "", None, None),
    ]
    lines += [
        "",
        f"Goal (all candidates into SQLite in under 1 s): "
        f"{'met' if store[1] < 1 else 'not met'} in CPU time ({store[1]:.2f} s), "
        f"{'met' if store[0] < 1 else 'not met'} in wall time ({store[0]:.2f} s). "
        f"SQLite alone, writing the same rows into the same tables from tuples prepared in "
        f"advance, takes {floor[1]:.2f} s CPU ({floor[0]:.2f} s wall): the store's own "
        f"Python work is the rest.",
    ]
    write_section("txgnn", "\n".join(lines))


def _rows_one_load_writes(path: Path, vocab_load: VocabularyLoad,
                          batch: SourceBatch) -> dict[str, list[tuple[object, ...]]]:
    """The rows of each table that loading ``batch`` adds to a store holding the vocabularies."""
    with SqliteStore(path) as store:
        store.load(vocab_load.drug_batch)
        store.load(vocab_load.disease_batch)
        db = store._db  # the bench reads SQLite itself
        nid = db.execute("SELECT max(nid) FROM nodes").fetchone()[0]
        store.load(batch)
        sid = db.execute("SELECT sid FROM sources WHERE name = ?",
                         (batch.source.name,)).fetchone()[0]
        queries = {
            "nodes": ("SELECT * FROM nodes WHERE nid > ?", nid),
            "node_assertions": ("SELECT * FROM node_assertions WHERE sid = ?", sid),
            "names": ("SELECT * FROM names WHERE nid > ? ORDER BY key", nid),
            "edges": ("SELECT * FROM edges WHERE sid = ? OR eid IN (SELECT eid FROM "
                      "edge_assertions WHERE sid = ?)", sid),
            "edge_assertions": ("SELECT * FROM edge_assertions WHERE sid = ?", sid),
        }
        rows = {table: [tuple(r) for r in db.execute(sql, (arg,) * sql.count("?"))]
                for table, (sql, arg) in queries.items()}
        return {table: table_rows for table, table_rows in rows.items() if table_rows}


if __name__ == "__main__":
    main()
