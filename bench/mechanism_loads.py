"""Time loading Hetionet hetnets and DrugMechDB's curated paths into SQLite.

Run: ``python bench/mechanism_loads.py [--repeat 5]``. Needs ``../shared/data``.
Each figure is a median over fresh SQLite files; *read* is the loader alone
(file to SourceBatch), *load* is ``KnowledgeGraph.load`` (identity resolution
and the store's transaction). The baseline is parsing the same files with
nothing else (``json`` / libyaml), measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import lzma
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from _common import SHARED_DATA, machine, write_section

from graph.api import KnowledgeGraph
from graph.model import SourceBatch
from loaders.drugmechdb import read_drugmechdb
from loaders.hetionet import read_hetionet
from loaders.primekg import load_primekg

REPO = Path(__file__).resolve().parents[1]


def timed(run: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def bench(read: Callable[[], SourceBatch], baseline: Callable[[], Any], repeat: int,
          preload: SourceBatch | None = None) -> dict[str, float]:
    figures: dict[str, list[float]] = {k: [] for k in
                                       ("read", "read_cpu", "load", "load_cpu", "base",
                                                "base_cpu")}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            kg = KnowledgeGraph.open("sqlite:///" + str(Path(folder) / "kg.db"))
            if preload is not None:
                kg.load(preload)
            wall, cpu, batch = timed(read)
            figures["read"].append(wall)
            figures["read_cpu"].append(cpu)
            wall, cpu, _ = timed(lambda b=batch, g=kg: g.load(b))
            figures["load"].append(wall)
            figures["load_cpu"].append(cpu)
            kg.close()
        wall, cpu, _ = timed(baseline)
        figures["base"].append(wall)
        figures["base_cpu"].append(cpu)
    return {k: statistics.median(v) for k, v in figures.items()} | {
        "nodes": len(batch.nodes), "edges": len(batch.edges)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    hetionet = SHARED_DATA / "hetionet"
    paths = SHARED_DATA / "drugmechdb" / "paths"
    if not paths.is_dir():
        raise SystemExit(f"needs {SHARED_DATA}")
    yaml_files = sorted(paths.glob("*.yaml"))

    def parse_yaml() -> None:
        for f in yaml_files:
            yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)

    def parse_json(file: Path) -> Callable[[], Any]:
        def parse() -> Any:
            with lzma.open(file) as handle:
                return json.load(handle)
        return parse

    examples = load_primekg(REPO / "examples" / "mechanisms.csv").batch
    rows = []
    for label, read, baseline, preload in [
        ("Hetionet bupropion subgraph (`.json.xz`)",
         lambda: read_hetionet(hetionet / "bupropion-CbGpPWpGaD-subgraph.json.xz"),
         parse_json(hetionet / "bupropion-CbGpPWpGaD-subgraph.json.xz"), None),
        ("Hetionet random subgraph (`.json.xz`)",
         lambda: read_hetionet(hetionet / "random-subgraph.json.xz"),
         parse_json(hetionet / "random-subgraph.json.xz"), None),
        ("DrugMechDB, 2,501 path files", lambda: read_drugmechdb(paths).batch, parse_yaml, None),
        ("DrugMechDB, 2,501 path files, into a store holding examples/",
         lambda: read_drugmechdb(paths).batch, parse_yaml, examples),
    ]:
        f = bench(read, baseline, repeat, preload)
        total = f["read"] + f["load"]
        rows.append(
            f"| {label} | {f['nodes']:,} / {f['edges']:,} | {f['read']:.2f} s "
            f"({f['read_cpu']:.2f}) | {f['load']:.2f} s ({f['load_cpu']:.2f}) | {total:.2f} s | "
            f"{f['edges'] / total:,.0f} | {f['base']:.2f} s ({f['base_cpu']:.2f}) |")
        print(rows[-1], flush=True)
    write_section("mechanism-loads", "\n".join([
        "## Loading Hetionet and DrugMechDB into SQLite (bench/mechanism_loads.py)",
        "",
        f"Medians of {repeat} runs into fresh SQLite files; {machine()}. *read*: file(s) → "
        "SourceBatch; *load*: `KnowledgeGraph.load` (identity resolution against the store, "
        "then one transaction). CPU seconds in brackets: the machine is shared, and wall "
        "time includes waiting for it. Baseline: parsing the same files and nothing else "
        "(`json` + `lzma`; libyaml's `CSafeLoader`).",
        "",
        "| source | nodes / edges | read | load | read + load | edges/s | baseline parse |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *rows,
    ]))


if __name__ == "__main__":
    main()
