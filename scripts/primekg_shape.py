"""Measure the shape of a PrimeKG-format ``kg.csv`` and print it next to PrimeKG's figures.

Works on any file in PrimeKG's format (the real ``kg.csv``, this repository's synthetic
ones, another generator's): it streams the file once and reports

* rows, node counts per type (and diseases per ``x_source``), row counts per relation and
  per ``drug_protein`` display, next to PrimeKG's (``primekg_reference.py``);
* facts (distinct undirected edges: relation, display, two nodes), how many are written
  in both orientations, duplicate rows, and the layout of the mirrored rows: whether all
  first-seen rows come before all mirrored ones, whether the mirrors repeat the forward
  order, how many contiguous runs each relation makes;
* degree percentiles (a node's degree = the facts it takes part in) per node type, next
  to PrimeKG's mean degree derived from its counts, and per relation and side;
* connected components (PrimeKG is one: its build keeps the giant component).

Memory grows with the number of facts (a dictionary entry per fact: about 0.5 GB for
PrimeKG's 4 million). Usage::

    python scripts/primekg_shape.py FILE [--json]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import sys
from array import array
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parent))
import primekg_reference as ref

#: Bits for a node number in a fact key.
_NODE_BITS = 24


@dataclass
class Shape:
    """What :func:`measure` found in one file."""

    path: str
    rows: int = 0
    nodes: dict[str, int] = field(default_factory=dict)  # per type
    node_sources: dict[str, int] = field(default_factory=dict)  # "type source" -> nodes
    relation_rows: dict[str, int] = field(default_factory=dict)
    display_rows: dict[str, int] = field(default_factory=dict)  # "relation / display"
    facts: int = 0
    both_orientations: int = 0  # facts written as (x, y) and as (y, x)
    duplicate_rows: int = 0
    last_first_row: int = 0  # the last row that brought a new fact
    first_mirror_row: int = 0  # the first row that repeated a fact the other way round
    mirrors_in_order: int = 0  # mirrors whose fact came after the previous mirror's fact
    mirrors_adjacent: int = 0  # mirrors on the row right after their fact
    relation_runs: dict[str, int] = field(default_factory=dict)
    degree: dict[str, list[int]] = field(default_factory=dict)  # per type, sorted
    side_degree: dict[str, list[int]] = field(default_factory=dict)  # "relation: type"
    hubs: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)  # top 3 per type
    components: int = 0
    giant: int = 0


def _open(path: Path) -> IO[str]:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def _find(root: array[int], node: int) -> int:
    while root[node] != node:
        root[node] = root[root[node]]
        node = root[node]
    return node


def measure(path: Path) -> Shape:
    """Stream ``path`` once and collect its :class:`Shape`."""
    shape = Shape(path=str(path))
    number: dict[tuple[str, str], int] = {}  # (type, id) -> node number
    node_type: list[str] = []
    node_label: list[str] = []
    sources: Counter[str] = Counter()
    relation_id: dict[tuple[str, str], int] = {}
    relation_of: list[str] = []
    facts: dict[int, int] = {}  # fact key -> first row * 2 + orientation; negated when mirrored
    degree = array("l")
    side: Counter[tuple[str, int]] = Counter()
    root = array("l")
    relation_rows: Counter[str] = Counter()
    display_rows: Counter[str] = Counter()
    runs: Counter[str] = Counter()
    previous_relation = None
    previous_mirror_fact = -1

    def node(node_id: str, kind: str, source: str, name: str) -> int:
        found = number.get((kind, node_id))
        if found is None:
            found = number[(kind, node_id)] = len(node_type)
            node_type.append(kind)
            node_label.append(f"{node_id}\t{name}")
            sources[f"{kind} {source}"] += 1
            degree.append(0)
            root.append(found)
        return found

    with _open(path) as handle:
        reader = csv.reader(handle)
        header = [c.strip() for c in next(reader)]
        at = {name: header.index(name) for name in (
            "relation", "display_relation", "x_id", "x_type", "x_name", "x_source", "y_id",
            "y_type", "y_name", "y_source")}
        r_rel, r_disp = at["relation"], at["display_relation"]
        r_xi, r_xt, r_xn, r_xs = at["x_id"], at["x_type"], at["x_name"], at["x_source"]
        r_yi, r_yt, r_yn, r_ys = at["y_id"], at["y_type"], at["y_name"], at["y_source"]
        row_number = 0
        for row in reader:
            if not row:
                continue
            row_number += 1
            relation = row[r_rel]
            relation_rows[relation] += 1
            if relation == "drug_protein":
                display_rows[f"drug_protein / {row[r_disp]}"] += 1
            if relation != previous_relation:
                runs[relation] += 1
                previous_relation = relation
            rel = relation_id.get((relation, row[r_disp]))
            if rel is None:
                rel = relation_id[(relation, row[r_disp])] = len(relation_of)
                relation_of.append(relation)
            x = node(row[r_xi], row[r_xt], row[r_xs], row[r_xn])
            y = node(row[r_yi], row[r_yt], row[r_ys], row[r_yn])
            low, high, flipped = (x, y, 0) if x <= y else (y, x, 1)
            key = ((rel << _NODE_BITS) | low) << _NODE_BITS | high
            seen = facts.get(key)
            if seen is None:
                facts[key] = row_number * 2 + flipped
                shape.last_first_row = row_number
                degree[x] += 1
                if y != x:
                    degree[y] += 1
                side[(relation, x)] += 1
                side[(relation, y)] += 1 if y != x else 0
                a, b = _find(root, x), _find(root, y)
                if a != b:
                    root[a] = b
            elif seen < 0 or seen % 2 == flipped:
                shape.duplicate_rows += 1
            else:
                facts[key] = -seen
                shape.both_orientations += 1
                first = seen // 2
                if not shape.first_mirror_row:
                    shape.first_mirror_row = row_number
                if first > previous_mirror_fact:
                    shape.mirrors_in_order += 1
                previous_mirror_fact = first
                if first == row_number - 1:
                    shape.mirrors_adjacent += 1
    shape.rows = row_number
    shape.facts = len(facts)
    del facts
    shape.nodes = dict(Counter(node_type))
    shape.node_sources = dict(sources)
    shape.relation_rows = dict(relation_rows)
    shape.display_rows = dict(display_rows)
    shape.relation_runs = dict(runs)
    by_type: dict[str, list[int]] = {}
    for n, kind in enumerate(node_type):
        by_type.setdefault(kind, []).append(degree[n])
    shape.degree = {k: sorted(v) for k, v in by_type.items()}
    top: dict[str, list[int]] = {}
    for n in sorted(range(len(node_type)), key=degree.__getitem__, reverse=True):
        if len(top.setdefault(node_type[n], [])) < 3:
            top[node_type[n]].append(n)
    shape.hubs = {k: [(*node_label[n].split("\t", 1), degree[n]) for n in v]  # type: ignore[misc]
                  for k, v in top.items()}
    types = ref.relation_types()
    by_side: dict[str, list[int]] = {}
    for (relation, n), d in side.items():
        by_side.setdefault(f"{relation}: {node_type[n]}", []).append(d)
    order = {r: i for i, r in enumerate(types)}
    shape.side_degree = {k: sorted(v) for k, v in sorted(
        by_side.items(), key=lambda kv: (order.get(kv[0].split(": ")[0], 99), kv[0]))}
    sizes = Counter(_find(root, n) for n in range(len(node_type)))
    shape.components = len(sizes)
    shape.giant = max(sizes.values(), default=0)
    return shape


def percentile(values: list[int], p: float) -> int:
    """Nearest-rank percentile of sorted ``values``."""
    if not values:
        return 0
    return values[min(len(values) - 1, max(0, math.ceil(p / 100 * len(values)) - 1))]


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.3f}" if b else "—"


def report(shape: Shape) -> str:
    """The shape as Markdown tables, next to PrimeKG's figures."""
    out = [f"# Shape of {shape.path}", ""]
    out += [f"rows: {shape.rows:,} (PrimeKG {ref.TOTAL_ROWS:,}, ratio "
            f"{_ratio(shape.rows, ref.TOTAL_ROWS)}); nodes: {sum(shape.nodes.values()):,} "
            f"(PrimeKG {ref.TOTAL_NODES:,}); facts: {shape.facts:,}", ""]
    out += ["## Nodes per type", "", "| type | PrimeKG | file | ratio |", "|---|---:|---:|---:|"]
    for kind, (count, _) in ref.NODE_TYPES.items():
        have = shape.nodes.get(kind, 0)
        out.append(f"| {kind} | {count:,} | {have:,} | {_ratio(have, count)} |")
    for kind in sorted(set(shape.nodes) - set(ref.NODE_TYPES)):
        out.append(f"| {kind} (not PrimeKG's) | — | {shape.nodes[kind]:,} | — |")
    out += ["", "Sources: " + ", ".join(f"{k} {v:,}" for k, v in sorted(
        shape.node_sources.items())) + " (PrimeKG diseases: " + ", ".join(
        f"{k} {v:,}" for k, v in ref.DISEASE_SOURCES.items()) + ")", ""]
    out += ["## Rows per relation", "",
            "| relation | PrimeKG rows | file rows | ratio | runs in file |",
            "|---|---:|---:|---:|---:|"]
    for relation, count in ref.RELATION_ROWS.items():
        have = shape.relation_rows.get(relation, 0)
        out.append(f"| {relation} | {count:,} | {have:,} | {_ratio(have, count)} | "
                   f"{shape.relation_runs.get(relation, 0):,} |")
    for relation in sorted(set(shape.relation_rows) - set(ref.RELATION_ROWS)):
        out.append(f"| {relation} (not PrimeKG's) | — | {shape.relation_rows[relation]:,} | — "
                   f"| {shape.relation_runs.get(relation, 0):,} |")
    drug_protein = shape.relation_rows.get("drug_protein", 0)
    out += ["", "| drug_protein display | PrimeKG share | file share |", "|---|---:|---:|"]
    for display, count in ref.DRUG_PROTEIN_DISPLAY_ROWS.items():
        have = shape.display_rows.get(f"drug_protein / {display}", 0)
        out.append(f"| {display} | {count / ref.RELATION_ROWS['drug_protein']:.3f} | "
                   f"{_ratio(have, drug_protein)} |")
    mirrors = shape.both_orientations
    out += ["", "## Mirrored rows", "",
            f"- facts written in both orientations: {mirrors:,} of {shape.facts:,} "
            f"({_ratio(mirrors, shape.facts)}); mirrored rows are "
            f"{_ratio(2 * mirrors, shape.rows)} of all rows (PrimeKG: 1, every fact twice)",
            f"- duplicate rows (a fact again in the same orientation): {shape.duplicate_rows:,}",
            f"- every new fact comes before the first mirror (forward half, then mirrored "
            f"half): {'yes' if mirrors and shape.last_first_row < shape.first_mirror_row else 'no'}"
            f" (last new fact on row {shape.last_first_row:,}, first mirror on row "
            f"{shape.first_mirror_row:,}; PrimeKG: yes)",
            f"- mirrors in the order of their facts: {_ratio(shape.mirrors_in_order, mirrors)}; "
            f"on the row right after their fact: {_ratio(shape.mirrors_adjacent, mirrors)}",
            "- runs per relation (table above): PrimeKG has 2 (forward block, mirrored block), "
            "except contraindication / indication / off-label use, mixed in one block",
            ""]
    mean = ref.mean_degree()
    out += ["## Degree per node type", "",
            "A node's degree is the number of facts it takes part in. PrimeKG's mean follows "
            "from its counts; its percentiles are not published.", "",
            "| type | nodes | PrimeKG mean | mean | median | p90 | p99 | max |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for kind in [*ref.NODE_TYPES, *sorted(set(shape.degree) - set(ref.NODE_TYPES))]:
        values = shape.degree.get(kind, [])
        if not values:
            continue
        prime = f"{mean[kind]:.1f}" if kind in mean else "—"
        out.append(f"| {kind} | {len(values):,} | {prime} | {sum(values) / len(values):.1f} | "
                   f"{percentile(values, 50):,} | {percentile(values, 90):,} | "
                   f"{percentile(values, 99):,} | {values[-1]:,} |")
    out += ["", "Largest hubs: " + "; ".join(
        f"{kind}: " + ", ".join(f"{name} ({node_id}) {d:,}" for node_id, name, d in hubs)
        for kind, hubs in shape.hubs.items()), ""]
    out += ["## Degree per relation and side", "",
            "Nodes of the type with at least one such fact, and their degrees in it.", "",
            "| relation: type | nodes | mean | median | p90 | p99 | max |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for name, values in shape.side_degree.items():
        out.append(f"| {name} | {len(values):,} | {sum(values) / len(values):.1f} | "
                   f"{percentile(values, 50):,} | {percentile(values, 90):,} | "
                   f"{percentile(values, 99):,} | {values[-1]:,} |")
    out += ["", "## Connectivity", "",
            f"components: {shape.components:,}; the largest holds {shape.giant:,} of "
            f"{sum(shape.nodes.values()):,} nodes (PrimeKG: 1 component)", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--json", action="store_true", help="the raw figures as JSON")
    args = parser.parse_args(argv)
    shape = measure(args.file)
    if args.json:
        data = asdict(shape)
        for group in ("degree", "side_degree"):
            data[group] = {k: {"nodes": len(v), "median": percentile(v, 50),
                               "p90": percentile(v, 90), "p99": percentile(v, 99),
                               "max": v[-1] if v else 0} for k, v in data[group].items()}
        print(json.dumps(data, indent=1))
    else:
        print(report(shape))


if __name__ == "__main__":
    main()
