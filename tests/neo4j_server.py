"""A real Neo4j server for the test suite: found through the environment, or started here.

    uri, user, password = ensure_neo4j()   # idempotent within a process
    ...
    stop_neo4j()                            # stops only a server that ensure_neo4j started

Where the server comes from:

* ``TXKG_TEST_NEO4J_URI`` set (e.g. ``bolt://127.0.0.1:7687`` of a ``docker compose up``
  server): that server, with ``NEO4J_USER`` (default ``neo4j``) and ``NEO4J_PASSWORD``.
* Otherwise ``scripts/neo4j-local install`` + ``start`` run a Neo4j Community server from
  Maven Central jars, on dedicated ports (bolt ``TXKG_TEST_NEO4J_BOLT_PORT``, default 17687;
  http ``TXKG_TEST_NEO4J_HTTP_PORT``, default 17474) and in a dedicated instance directory
  (``TXKG_TEST_NEO4J_INSTANCE_DIR``, default ``~/.cache/txkg/neo4j-test-<bolt port>``), with
  the jars shared with the developer's own install (``TXKG_NEO4J_HOME``, same default as the
  script) so they are downloaded once. Its databases are wiped before it starts, so every
  test session begins empty (``TXKG_TEST_NEO4J_KEEP_DATA=1`` keeps them). A test server that
  is already running in that instance directory is reused as it is, and left running.

Failure: ``Neo4jUnavailable`` when no server can be had; under CI (env ``CI`` set) it is
``Neo4jStartError`` instead, which is deliberately *not* a subclass, so a conftest that turns
``Neo4jUnavailable`` into a skip still fails loudly in CI.

Not safe for several pytest-xdist workers each starting and stopping the server: start it
once outside (``scripts/neo4j-local start``) and point ``TXKG_TEST_NEO4J_URI`` at it.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

__all__ = [
    "Neo4jStartError",
    "Neo4jUnavailable",
    "browser_files_port",
    "ensure_neo4j",
    "http_url",
    "neo4j_required",
    "stop_neo4j",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
SCRIPT = REPO_ROOT / "scripts" / "neo4j-local"

TEST_USER = "neo4j"
TEST_PASSWORD = "txkg-test-password"  # a throwaway, loopback-only test server
DEFAULT_BOLT_PORT = 17687
DEFAULT_HTTP_PORT = 17474

INSTALL_TIMEOUT_S = 1800  # cold download of ~150 MB through Maven
START_TIMEOUT_S = 300  # what the script waits for readiness; a busy 2-core box is slow
STOP_TIMEOUT_S = 300


class Neo4jUnavailable(RuntimeError):
    """No Neo4j server could be had (outside CI: callers may skip)."""


class Neo4jStartError(RuntimeError):
    """No Neo4j server could be had under CI: must fail the run, never skip."""


_result: tuple[str, str, str] | None = None
_started_env: dict[str, str] | None = None  # set when this process started the server


def neo4j_required() -> bool:
    """True under CI, where a missing server is an error rather than a reason to skip."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _fail(message: str) -> NoReturn:
    if neo4j_required():
        raise Neo4jStartError(message)
    raise Neo4jUnavailable(message)


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "txkg"


def _script_env() -> tuple[dict[str, str], int]:
    bolt = int(os.environ.get("TXKG_TEST_NEO4J_BOLT_PORT", DEFAULT_BOLT_PORT))
    http = int(os.environ.get("TXKG_TEST_NEO4J_HTTP_PORT", DEFAULT_HTTP_PORT))
    instance = os.environ.get("TXKG_TEST_NEO4J_INSTANCE_DIR") or str(
        _cache_root() / f"neo4j-test-{bolt}"
    )
    env = dict(os.environ)
    env.update(
        NEO4J_PASSWORD=TEST_PASSWORD,
        TXKG_NEO4J_BOLT_PORT=str(bolt),
        TXKG_NEO4J_HTTP_PORT=str(http),
        TXKG_NEO4J_INSTANCE_DIR=instance,
        # Browser plays the guide from the server the Browser test starts (browser_files_port).
        TXKG_NEO4J_BROWSER_FILES=f"http://localhost:{http + 1}",
    )
    env.setdefault("TXKG_NEO4J_START_TIMEOUT", str(START_TIMEOUT_S))
    # C1-only JIT: a test server lives for minutes, and C2 compilation would compete with
    # the tests for the 2 cores (start-up measured ~2x faster, short workloads faster too).
    opts = env.get("TXKG_NEO4J_JAVA_OPTS", "")
    if "TieredStopAtLevel" not in opts:
        env["TXKG_NEO4J_JAVA_OPTS"] = f"{opts} -XX:TieredStopAtLevel=1".strip()
    # (Class-data archive: the script leaves it off under CI, where it would only cost.)
    return env, bolt


def _run(args: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    # stdin closed and output captured; the script detaches the JVM from these pipes.
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _tail(proc: subprocess.CompletedProcess[str], lines: int = 40) -> str:
    text = (proc.stdout or "") + (proc.stderr or "")
    return "\n".join(text.strip().splitlines()[-lines:])


@contextlib.contextmanager
def _instance_lock(env: dict[str, str]) -> Iterator[None]:
    """Serialise start-up between processes sharing the instance (e.g. xdist workers)."""
    instance = Path(env["TXKG_NEO4J_INSTANCE_DIR"])
    instance.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{instance}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _verify(uri: str, user: str, password: str) -> None:
    """Connect and run a query (also warms the server: its first query is slow)."""
    try:
        from neo4j import GraphDatabase
    except ImportError:  # the driver is a test dependency; without it, trust the script
        return
    try:
        with GraphDatabase.driver(uri, auth=(user, password)) as driver:
            driver.verify_connectivity()
            records, _, _ = driver.execute_query("RETURN 1 AS ok")
            if records[0]["ok"] != 1:
                raise RuntimeError("RETURN 1 did not return 1")
    except Exception as exc:  # any failure means "no usable server"
        _fail(f"Neo4j at {uri} does not answer as user {user!r}: {exc}")


def _start_local() -> tuple[str, str, str]:
    global _started_env
    if not SCRIPT.is_file():
        _fail(f"{SCRIPT} is missing")
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None and not (tool == "java" and os.environ.get("JAVA_HOME")):
            _fail(f"cannot start a test Neo4j: '{tool}' is not installed")
    env, bolt = _script_env()
    uri = f"bolt://127.0.0.1:{bolt}"

    with _instance_lock(env):
        if _run(["status"], env, 60).returncode == 0:
            return uri, TEST_USER, TEST_PASSWORD  # someone's test server: reuse, leave running

        proc = _run(["install"], env, INSTALL_TIMEOUT_S)
        if proc.returncode != 0:
            _fail(f"scripts/neo4j-local install failed:\n{_tail(proc)}")

        keep = os.environ.get("TXKG_TEST_NEO4J_KEEP_DATA") == "1"
        if not keep:
            _run(["wipe"], env, STOP_TIMEOUT_S)
        proc = _run(["start"], env, START_TIMEOUT_S + 120)
        if proc.returncode == 3 and keep:
            # Kept data whose stored password is not the test password: start over.
            _run(["wipe"], env, STOP_TIMEOUT_S)
            proc = _run(["start"], env, START_TIMEOUT_S + 120)
        if proc.returncode != 0:
            if proc.returncode == 3:  # it runs, with another password: do not leave it so
                _run(["stop"], env, STOP_TIMEOUT_S)
            _fail(
                f"scripts/neo4j-local start failed (exit {proc.returncode}; the test server's"
                " ports come from TXKG_TEST_NEO4J_BOLT_PORT / TXKG_TEST_NEO4J_HTTP_PORT):\n"
                + _tail(proc)
            )
        _started_env = env
        atexit.register(stop_neo4j)
    return uri, TEST_USER, TEST_PASSWORD


def ensure_neo4j() -> tuple[str, str, str]:
    """Return ``(uri, user, password)`` of a running, reachable Neo4j server."""
    global _result
    if _result is not None:
        return _result
    external = os.environ.get("TXKG_TEST_NEO4J_URI")
    if external:
        user = os.environ.get("NEO4J_USER", "neo4j")
        password = os.environ.get("NEO4J_PASSWORD")
        if not password:
            _fail("TXKG_TEST_NEO4J_URI is set but NEO4J_PASSWORD is not")
        result = (external, user, str(password))
    else:
        result = _start_local()
    _verify(*result)
    _result = result
    return result


def http_url() -> str:
    """HTTP address (Browser under ``/browser/``) of the server ensure_neo4j returned.

    ``TXKG_TEST_NEO4J_HTTP`` overrides it; for an external server it is otherwise derived
    from the Bolt URI's host, port 7474.
    """
    if os.environ.get("TXKG_TEST_NEO4J_HTTP"):
        return os.environ["TXKG_TEST_NEO4J_HTTP"]
    external = os.environ.get("TXKG_TEST_NEO4J_URI")
    if external:
        host = urlsplit(external).hostname or "127.0.0.1"
        return f"http://{host}:7474"
    return f"http://127.0.0.1:{_script_env()[0]['TXKG_NEO4J_HTTP_PORT']}"


def browser_files_port() -> int:
    """Where the test server's Browser fetches txkg's guide: the HTTP port + 1 (for an
    external server, ``TXKG_TEST_NEO4J_BROWSER_FILES_PORT``, default 8001)."""
    if os.environ.get("TXKG_TEST_NEO4J_URI"):
        return int(os.environ.get("TXKG_TEST_NEO4J_BROWSER_FILES_PORT", "8001"))
    return int(_script_env()[0]["TXKG_NEO4J_HTTP_PORT"]) + 1


def stop_neo4j() -> None:
    """Stop the server if (and only if) ensure_neo4j started it in this process."""
    global _started_env, _result
    env, _started_env, _result = _started_env, None, None
    if env is None:
        return
    proc = _run(["stop"], env, STOP_TIMEOUT_S)
    if proc.returncode != 0:
        raise RuntimeError(f"scripts/neo4j-local stop failed:\n{_tail(proc)}")


if __name__ == "__main__":  # manual check: python tests/neo4j_server.py
    import time

    t0 = time.monotonic()
    print("ensure_neo4j ->", ensure_neo4j(), f"({time.monotonic() - t0:.1f}s)")
    t0 = time.monotonic()
    stop_neo4j()
    print(f"stopped ({time.monotonic() - t0:.1f}s)")
