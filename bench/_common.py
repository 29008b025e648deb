"""What every benchmark shares: medians of repeated runs, and docs/benchmarks.md sections.

Machines here are shared and noisy, so every figure is a median of several runs,
and every benchmark measures a baseline in the same run and reports a ratio.
Each benchmark owns one section of docs/benchmarks.md, between
``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->``, and rewrites only that.
"""

from __future__ import annotations

import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "benchmarks.md"
SHARED_DATA = REPO.parent / "shared" / "data"

_HEADER = """# Benchmarks

Figures written by the scripts in `bench/` (run `python bench/<name>.py`). Every figure is a
median of several runs on a shared, noisy machine, next to a baseline measured in the same run.
"""


def median_seconds(run: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """Median wall time of ``run()`` over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def medians(run: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median wall and median CPU seconds of ``run()`` (CPU: ``time.process_time``)."""
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def child_run(code: str, repeat: int = 5, *, setup: str = "") -> tuple[float, float, float]:
    """Run ``setup`` then ``code`` in a fresh Python process, ``repeat`` times.

    Returns the medians of: seconds spent in ``code``, seconds for the whole
    process (interpreter start and imports included: what a user's command
    costs), and peak RSS in MiB.
    """
    wrapper = (
        "import resource, time, sys\n"
        f"exec({setup!r})\n"
        "t = time.perf_counter()\n"
        f"exec({code!r})\n"
        "sys.stderr.write(f'BENCH {time.perf_counter() - t} '"
        " f'{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')\n"
    )
    work, whole, peaks = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", wrapper], cwd=REPO, capture_output=True,
                              text=True, check=False)
        whole.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"benchmark child failed:\n{done.stderr}")
        line = next(ln for ln in done.stderr.splitlines() if ln.startswith("BENCH "))
        _, wall, rss_kib = line.split()
        work.append(float(wall))
        peaks.append(int(rss_kib) / 1024)
    return statistics.median(work), statistics.median(whole), statistics.median(peaks)


def machine() -> str:
    return (f"{platform.python_implementation()} {platform.python_version()}, "
            f"{platform.machine()}, {datetime.now(UTC):%Y-%m-%d}")


def write_section(name: str, markdown: str) -> None:
    """Replace this benchmark's section of docs/benchmarks.md (appending it the first time)."""
    text = DOC.read_text() if DOC.exists() else _HEADER
    block = f"<!-- bench:{name} -->\n{markdown.strip()}\n<!-- /bench:{name} -->"
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->",
                         re.DOTALL)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else (
        text.rstrip() + "\n\n" + block + "\n")
    DOC.write_text(text)
    print(markdown)
