"""Fuzz campaigns: many mutated real files per input format, each case bounded.

Run at low priority, one campaign at a time (the machine is shared)::

    nice -n 10 python bench/fuzz.py --cases 10000            # every format
    nice -n 10 python bench/fuzz.py --cases 500 --format hetionet --format drugmechdb

Each format runs in worker processes of its own (``--worker``, a new one every
``--batch`` cases), which draw their cases with hypothesis (the strategies of
``tests/fuzzing``) and check each with :func:`fuzzing.check.run_case`: the case's
address space is capped (RLIMIT_AS, 500 MB over the process's size), a case over
2 s of CPU is a failure, and an alarm stops one still running after 30 s. The
runner watches each worker too: a worker silent for :data:`STALL_SECONDS` (a
hang in C code no alarm reaches) is killed and its case reported, as is a worker
that dies (a segfault).

Printed per format: cases, failures, the largest CPU and wall time of a case, the
largest peak RSS of the process during a case and its growth over the case's
start; then each kind of failure with a few recipes that show it. ``--out`` keeps
everything as JSON: also the reads' outcomes by kind, and the slowest and the
largest case of each format.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

#: A worker that has not started a new case for this long is stuck: it is killed.
STALL_SECONDS = 120.0
#: Recipes kept per kind of failure.
EXAMPLES_KEPT = 3


def signature(problem: str) -> str:
    """A failure's kind: the problem with numbers and quoted particulars blanked.

    >>> signature("read: raised KeyError ('x_id') at loaders/a.py:12")
    'read: raised KeyError (…) at loaders/a.py:N'
    """
    text = re.sub(r"\(.*\)", "(…)", problem)
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "…", text)
    return re.sub(r"\d+", "N", text)[:160]


def worker(name: str, cases: int, out: Path, seed: int | None) -> None:
    """Run one format's campaign in this process and write its figures to ``out``."""
    from fuzzing.check import run_case
    from fuzzing.formats import FORMATS
    from fuzzing.strategies import Recipe, recipes
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fixed_seed

    if os.nice(0) < 10:
        os.nice(10 - os.nice(0))
    figures: dict[str, Any] = {"format": name, "cases": 0, "failures": 0, "max_cpu": 0.0,
                               "max_wall": 0.0, "max_rss": 0.0, "max_growth": 0.0}
    kinds: dict[str, dict[str, Any]] = {}
    outcomes: Counter[str] = Counter()
    current = out.with_suffix(".current")
    workdir = Path(tempfile.mkdtemp(prefix=f"txkg-fuzz-{name}-"))
    started = time.monotonic()

    @settings(max_examples=cases, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(recipe=recipes(FORMATS[name]))
    def campaign(recipe: Recipe) -> None:
        current.write_text(repr(recipe))
        result = run_case(recipe, workdir)
        figures["cases"] += 1
        if result.cpu_seconds > figures["max_cpu"]:
            figures["slowest"] = repr(recipe)[:2000]
        if result.growth_mb > figures["max_growth"]:
            figures["largest"] = repr(recipe)[:2000]
        figures["max_cpu"] = max(figures["max_cpu"], result.cpu_seconds)
        figures["max_wall"] = max(figures["max_wall"], result.wall_seconds)
        figures["max_rss"] = max(figures["max_rss"], result.peak_rss_mb)
        figures["max_growth"] = max(figures["max_growth"], result.growth_mb)
        outcomes[signature(result.outcome)] += 1
        if result.problems:
            figures["failures"] += 1
        for problem in dict.fromkeys(signature(p) for p in result.problems):
            kind = kinds.setdefault(problem, {"count": 0, "examples": []})
            kind["count"] += 1
            if len(kind["examples"]) < EXAMPLES_KEPT:
                kind["examples"].append({"recipe": repr(recipe)[:2000],
                                         "problems": result.problems})
        if figures["cases"] % 500 == 0:
            print(f"{name}: {figures['cases']} cases, {figures['failures']} failures, "
                  f"{time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)

    if seed is not None:
        campaign = fixed_seed(seed)(campaign)
    campaign()
    figures["seconds"] = time.monotonic() - started
    figures["kinds"] = kinds
    figures["outcomes"] = dict(outcomes.most_common())
    out.write_text(json.dumps(figures, indent=1))
    current.unlink(missing_ok=True)


def run_worker(name: str, cases: int, out: Path, seed: int | None) -> dict[str, Any]:
    """One format's campaign in a child process, watched for stalls and deaths."""
    command = [sys.executable, __file__, "--worker", name, "--cases", str(cases),
               "--out", str(out)] + (["--seed", str(seed)] if seed is not None else [])
    current = out.with_suffix(".current")
    child = subprocess.Popen(command)
    while child.poll() is None:
        time.sleep(2)
        if current.exists() and time.time() - current.stat().st_mtime > STALL_SECONDS:
            child.kill()
            child.wait()
            break
    if child.returncode == 0 and out.exists():
        figures: dict[str, Any] = json.loads(out.read_text())
        return figures
    last = current.read_text() if current.exists() else "?"
    why = ("stalled" if child.returncode == -9 else f"died with exit code {child.returncode}")
    return {"format": name, "cases": None, "failures": 1, "max_cpu": None, "max_wall": None,
            "max_rss": None, "max_growth": None,
            "kinds": {f"worker {why}": {"count": 1, "examples": [{"recipe": last}]}}}


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """One format's figures from the figures of its batches."""
    done = [p for p in parts if p["cases"] is not None]
    merged: dict[str, Any] = {"format": parts[0]["format"],
                              "cases": sum(p["cases"] for p in done) if done else None,
                              "failures": sum(p["failures"] for p in parts), "kinds": {},
                              "outcomes": Counter(), "seconds": sum(p.get("seconds", 0)
                                                                   for p in done)}
    for key, extreme in (("max_cpu", "slowest"), ("max_wall", None), ("max_rss", None),
                         ("max_growth", "largest")):
        top = max(done, key=lambda p: p[key], default=None)
        merged[key] = top[key] if top else None
        if extreme and top:
            merged[extreme] = top.get(extreme)
    for part in parts:
        merged["outcomes"].update(part.get("outcomes", {}))
        for kind, found in part["kinds"].items():
            into = merged["kinds"].setdefault(kind, {"count": 0, "examples": []})
            into["count"] += found["count"]
            into["examples"] = (into["examples"] + found["examples"])[:EXAMPLES_KEPT]
    merged["outcomes"] = dict(merged["outcomes"].most_common())
    return merged


def report(results: list[dict[str, Any]]) -> str:
    """The table of figures, then each kind of failure with its examples."""
    def number(value: Any, spec: str) -> str:
        return "—" if value is None else format(value, spec)

    lines = ["| format | cases | failures | max CPU s | max wall s | max RSS MB | "
             "max growth MB |", "|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['format']} | {number(r['cases'], ',')} | {r['failures']:,} | "
                     f"{number(r['max_cpu'], '.2f')} | {number(r['max_wall'], '.2f')} | "
                     f"{number(r['max_rss'], '.0f')} | {number(r['max_growth'], '.0f')} |")
    for r in results:
        for kind, found in r.get("kinds", {}).items():
            lines.append(f"\n{r['format']}: {found['count']} × {kind}")
            lines += [f"    {e['recipe'][:600]}" for e in found["examples"]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases per format")
    parser.add_argument("--format", action="append", dest="formats",
                        help="a format to fuzz (repeatable; default: every format)")
    parser.add_argument("--batch", type=int, default=2_000,
                        help="cases per worker process (a new process for each batch keeps "
                             "hypothesis's own memory, which grows with the cases, small)")
    parser.add_argument("--seed", type=int, help="hypothesis seed (default: random)")
    parser.add_argument("--out", type=Path, help="folder for the JSON figures")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.cases, args.out, args.seed)
        return
    from fuzzing.formats import FORMATS

    names = args.formats or sorted(FORMATS)
    unknown = sorted(set(names) - set(FORMATS))
    if unknown:
        parser.error(f"unknown format(s) {', '.join(unknown)}; known: {', '.join(FORMATS)}")
    out = args.out or Path(tempfile.mkdtemp(prefix="txkg-fuzz-"))
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for name in names:
        parts = []
        for first in range(0, args.cases, args.batch):
            cases = min(args.batch, args.cases - first)
            seed = None if args.seed is None else args.seed + first
            parts.append(run_worker(name, cases, out / f"{name}.{first}.json", seed))
        results.append(merge(parts))
        (out / f"{name}.json").write_text(json.dumps(results[-1], indent=1))
    (out / "summary.md").write_text(report(results) + "\n")
    print(report(results))
    print(f"\nfigures: {out}")


if __name__ == "__main__":
    main()
