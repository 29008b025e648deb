"""The fuzzing property, checked for one case.

1. **Reading** (the format's ``read_<format>``, a stream consumed to its end)
   either succeeds or raises a :class:`~graph.errors.TxkgError` whose message
   is one line, names the mutated file and stays short.
2. **Loading** through the CLI (``txkg --store sqlite:///X load <format> PATH``,
   click's CliRunner) into a fresh store, or one already holding the examples,
   exits 0 or 1; on 1 it prints that one line (``Error: …``) and the store is
   absent or holds exactly what it held before. It fails exactly when reading
   fails.
3. **Bounds**: the case (both steps) takes at most :data:`MAX_CPU_SECONDS` of CPU
   and grows the address space by at most :data:`MAX_MEMORY_MB` (an
   ``RLIMIT_AS`` set around the case: going over raises MemoryError there and
   then, so a blow-up fails fast instead of taking the machine down). A case
   still running after :data:`HANG_SECONDS` is stopped by an alarm.

:func:`run_case` returns the problems found (none: the property holds) with the
case's figures; it raises nothing, so a campaign can go on and count.
"""

from __future__ import annotations

import contextlib
import resource
import shutil
import signal
import sqlite3
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import FrameType

from click.testing import CliRunner

from fuzzing.formats import FORMATS
from fuzzing.seeds import EXAMPLES, REPO
from fuzzing.strategies import Recipe
from graph.api import KnowledgeGraph
from graph.cli import main
from graph.errors import TxkgError
from loaders.primekg import read_primekg
from loaders.reports import read_reports

MAX_CPU_SECONDS = 2.0
MAX_MEMORY_MB = 500
HANG_SECONDS = 30.0
#: Characters an error message may have besides the file's path: long enough for a
#: header listed in full, short enough to catch a message that echoes a huge field.
MAX_MESSAGE = 1_000
MB = 1024 * 1024


class CaseTimeout(BaseException):
    """Raised by the alarm in a case that runs past :data:`HANG_SECONDS`.

    A BaseException, so that neither a loader nor click's runner swallows it.
    """


@dataclass
class CaseResult:
    """What one case did: its problems (empty: the property holds) and its figures."""

    problems: list[str] = field(default_factory=list)
    outcome: str = ""  # "read" or the read error's message, the case's path left out
    cli_exit: int | None = None
    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    peak_rss_mb: float = 0.0  # the process's peak RSS during the case
    growth_mb: float = 0.0  # that peak over the RSS at the case's start


# --- one line, naming the file ------------------------------------------------------------


def message_problems(message: str, path: str, what: str) -> list[str]:
    """What is wrong with an error message that should be one short line naming ``path``.

    >>> message_problems("/x/kg.csv:3: expected 12 columns, found 1", "/x/kg.csv", "read")
    []
    >>> message_problems("boom\\nat line 3", "/x/kg.csv", "read")
    ["read: message is not one line: 'boom\\\\nat line 3'", 'read: message does not name /x/kg.csv']
    """
    problems = []
    if message.splitlines() != [message]:
        problems.append(f"{what}: message is not one line: {message[:200]!r}")
    if path not in message:
        problems.append(f"{what}: message does not name {path}")
    if len(message) > len(path) + MAX_MESSAGE:
        problems.append(f"{what}: message of {len(message):,} characters: {message[:200]!r}…")
    return problems


def where(error: BaseException) -> str:
    """The innermost frame of txkg's own code (graph/, loaders/) the error passed through."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if f.filename.startswith((str(REPO / "graph"),
                                                        str(REPO / "loaders")))]
    if not (ours or frames):
        return "?"
    frame = (ours or frames)[-1]
    name = frame.filename.removeprefix(str(REPO) + "/")
    return f"{name}:{frame.lineno}"


def crash(what: str, error: BaseException) -> str:
    if isinstance(error, MemoryError):
        return f"{what}: over the memory bound ({MAX_MEMORY_MB} MB) at {where(error)}"
    text = " ".join(str(error).split())[:160]
    return f"{what}: raised {type(error).__name__} ({text}) at {where(error)}"


# --- the store ----------------------------------------------------------------------------

Dump = dict[str, list[str]]


def canonical(db: Path) -> Dump | None:
    """Every row of every table of a SQLite store, sorted (None: no store file)."""
    if not db.exists():
        return None
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"'))) for t in tables}


Templates = tuple[Path, Dump, Path, Dump]


@cache
def store_templates(folder: Path) -> Templates:
    """An empty store and one holding the examples, made once, with their dumps."""
    folder.mkdir(parents=True, exist_ok=True)
    empty, seeded = folder / "empty.db", folder / "seeded.db"
    with KnowledgeGraph.open(f"sqlite:///{empty}"):
        pass
    with KnowledgeGraph.open(f"sqlite:///{seeded}") as kg:
        kg.load(read_primekg(EXAMPLES / "mechanisms.csv"))
        kg.load_all(read_reports([EXAMPLES / "reports"]))
    return empty, canonical(empty) or {}, seeded, canonical(seeded) or {}


# --- bounds -------------------------------------------------------------------------------


def _status(field_name: str) -> float:
    """A ``/proc/self/status`` figure in MB (VmRSS, VmHWM, VmSize); 0 when unknown."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise CaseTimeout(f"still running after {HANG_SECONDS:.0f} s")


@contextlib.contextmanager
def bounded(result: CaseResult) -> Iterator[None]:
    """Limit the address space and the wall time of what runs inside; record the figures."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # restart the peak-RSS count
    start_rss = _status("VmRSS")
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = int((_status("VmSize") + MAX_MEMORY_MB) * MB)
    if _status("VmSize") and (hard == resource.RLIM_INFINITY or limit < hard):
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        yield
    except CaseTimeout as error:
        result.problems.append(f"case: over the time bound: {error}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        result.cpu_seconds = time.process_time() - cpu
        result.wall_seconds = time.perf_counter() - wall
        result.peak_rss_mb = _status("VmHWM")
        result.growth_mb = max(0.0, result.peak_rss_mb - start_rss)
    if result.cpu_seconds > MAX_CPU_SECONDS:
        result.problems.append(f"case: over the time bound: {result.cpu_seconds:.1f} s of CPU")


# --- the case -----------------------------------------------------------------------------


def check_read(recipe: Recipe, target: Path, mutated: Path, result: CaseResult) -> bool:
    """Read the case with its format's reader; True when it read without error."""
    try:
        FORMATS[recipe.format].read(target)
    except TxkgError as error:
        result.outcome = str(error).replace(str(mutated), "FILE")
        result.problems += message_problems(str(error), str(mutated), "read")
        return False
    except Exception as error:  # the property: nothing else may come out
        result.outcome = f"{type(error).__name__} at {where(error)}"
        result.problems.append(crash("read", error))
        return False
    result.outcome = "read"
    return True


def check_cli(recipe: Recipe, target: Path, mutated: Path, read_ok: bool, store: Path,
              templates: Templates, result: CaseResult) -> None:
    """Load the case through the CLI and check the exit, the output and the store."""
    _, empty_dump, seeded, seeded_dump = templates
    before = None
    if recipe.seeded_store:
        shutil.copyfile(seeded, store)
        before = seeded_dump
    args = ["--store", f"sqlite:///{store}", "load", FORMATS[recipe.format].command, str(target)]
    run = CliRunner().invoke(main, args)
    result.cli_exit = run.exit_code
    if run.exception is not None and not isinstance(run.exception, SystemExit):
        result.problems.append(crash("cli", run.exception))
        return
    if run.exit_code not in (0, 1):
        result.problems.append(f"cli: exit code {run.exit_code}: {run.output[-200:]!r}")
    if "Traceback" in run.output:
        result.problems.append("cli: printed a traceback")
    if run.exit_code == 1:
        lines = run.output.splitlines()
        if len(lines) != 1 or not lines[0].startswith("Error: "):
            result.problems.append(f"cli: error output is not one line: {run.output[:300]!r}")
        else:
            result.problems += message_problems(lines[0].removeprefix("Error: "), str(mutated),
                                                "cli")
        after = canonical(store)
        if after != before and not (before is None and after == empty_dump):
            result.problems.append("cli: the failed load changed the store")
        if read_ok:
            result.problems.append(f"cli: the load failed but reading succeeded: "
                                   f"{run.output[:200]!r}")
    elif run.exit_code == 0 and not read_ok:
        result.problems.append("cli: the load succeeded but reading failed")


def run_case(recipe: Recipe, workdir: Path) -> CaseResult:
    """Write the case's files under ``workdir``, read them, load them; never raises."""
    result = CaseResult()
    case = workdir / "case"
    shutil.rmtree(case, ignore_errors=True)
    try:
        built = recipe.build()
    except Exception as error:  # a fault of the fuzzer itself: shown, never hidden
        result.problems.append(crash("harness (building the case)", error))
        return result
    for name, data in built.files.items():
        (case / name).parent.mkdir(parents=True, exist_ok=True)
        (case / name).write_bytes(data)
    target, mutated = case / built.target, case / built.mutated
    if built.target == ".":
        target = case
    templates = store_templates(workdir / "templates")
    with bounded(result):
        read_ok = check_read(recipe, target, mutated, result)
        check_cli(recipe, target, mutated, read_ok, case / "store.db", templates, result)
    return result
