"""Evidence report pages: pages per second parsed, and parsed + loaded into SQLite.

Every real page under ``../shared/data/reports/`` (``eu/``, ``tw/``,
``eu-predictions/``: 537 pages) is read with ``read_report`` and loaded, one page
per source, with ``KnowledgeGraph.load_all`` into a fresh SQLite file, as ``txkg load
reports`` does (identity resolution against the store per page, each page atomic, one
commit at the end). Medians of several
runs, wall and CPU (``time.process_time``) seconds: the machine is shared, and the
wall clock also measures the neighbours. Baseline in the same run: reading the
same files' bytes, decoding them and splitting them into lines — what any parser
of these pages pays.

Run: ``python bench/reports.py [--repeat N]``; writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import SHARED_DATA, machine, medians, write_section

from graph.api import KnowledgeGraph
from graph.model import SourceBatch
from loaders.reports import iter_report_paths, read_report

FOLDERS = ("eu", "tw", "eu-predictions")
GOAL_SECONDS = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reports", type=Path, default=SHARED_DATA / "reports")
    args = parser.parse_args()
    folders = [args.reports / f for f in FOLDERS]
    missing = [str(f) for f in folders if not f.is_dir()]
    if missing:
        raise SystemExit(f"report folders absent: {', '.join(missing)}")
    paths = list(iter_report_paths(folders))
    pages = len(paths)

    def baseline() -> int:
        return sum(len(p.read_bytes().decode("utf-8-sig").splitlines()) for p in paths)

    def parse() -> list[SourceBatch]:
        return [read_report(p) for p in paths]

    batches = parse()
    nodes = sum(len(b.nodes) for b in batches)
    edges = sum(len(b.edges) for b in batches)

    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(10**6))

        def load(parsed: list[SourceBatch] | None) -> None:
            db = Path(tmp) / f"kg{next(counter)}.db"
            with KnowledgeGraph.open(f"sqlite:///{db}") as kg:
                kg.load_all(parsed if parsed is not None else (read_report(p) for p in paths))

        base = medians(baseline, args.repeat)
        parse_only = medians(parse, args.repeat)
        load_only = medians(lambda: load(batches), args.repeat)
        both = medians(lambda: load(None), args.repeat)

    def line(task: str, ours: tuple[float, float]) -> str:
        return (f"| {task} | {ours[0]:.2f} s | {ours[1]:.2f} s | {pages / ours[1]:,.0f} | "
                f"{ours[1] / base[1]:.0f}× |")

    met = "met" if both[1] < GOAL_SECONDS else "not met"
    met_wall = "met" if both[0] < GOAL_SECONDS else "not met"
    lines = [
        "## Evidence reports (bench/reports.py)",
        "",
        f"{pages} real pages (`reports/eu`, `reports/tw`, `reports/eu-predictions`) → "
        f"{nodes:,} nodes and {edges:,} edges in {pages} sources, `KnowledgeGraph.load_all` "
        f"(as `txkg load reports` does: each page atomic, one commit) into a fresh SQLite "
        f"file. Medians of {args.repeat} runs; {machine()}. "
        "CPU seconds are `time.process_time`; wall seconds include waiting for a shared "
        "machine (and SQLite's file writes).",
        "",
        "| task | wall | CPU | pages/s (CPU) | ratio to baseline (CPU) |",
        "|---|---:|---:|---:|---:|",
        f"| baseline: read the bytes, decode, split lines | {base[0]:.3f} s | {base[1]:.3f} s | "
        f"{pages / base[1]:,.0f} | 1× |",
        line("parse only (`read_report`)", parse_only),
        line("load only (`KnowledgeGraph.load_all` of parsed pages)", load_only),
        line("parse + load", both),
        "",
        f"Goal: all {pages} pages parsed and loaded in under {GOAL_SECONDS:.0f} s — "
        f"{met} in CPU time ({both[1]:.2f} s), {met_wall} in wall time ({both[0]:.2f} s).",
    ]
    write_section("reports", "\n".join(lines))


if __name__ == "__main__":
    main()
