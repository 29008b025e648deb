"""Shared fixtures: real stores (a SQLite file; a Neo4j server) and paths to data."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.store.base import GraphStore
from graph.store.sqlite import SqliteStore

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHARED_DATA = REPO.parent / "shared" / "data"
SEED = REPO.parent / "shared" / "seed"


#: What the Neo4j half of this run talked to, for the summary at the end.
_NEO4J_USED: list[str] = []


def _describe(server: tuple[str, str, str], seconds: float) -> str:
    from neo4j import GraphDatabase

    uri, user, password = server
    with GraphDatabase.driver(uri, auth=(user, password)) as driver:
        records, _, _ = driver.execute_query(
            "CALL dbms.components() YIELD name, versions, edition "
            "RETURN name, versions[0] AS version, edition")
    parts = ", ".join(f"{r['name']} {r['version']} {r['edition']}" for r in records)
    return f"{parts} at {uri} (ready after {seconds:.0f} s)"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say which Neo4j server the store tests ran against (none: the half did not run)."""
    terminalreporter.write_line(
        "neo4j: " + ("; ".join(_NEO4J_USED) or "no Neo4j test ran in this session"))


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data; the test skips, saying why, when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not present: {path} (it lives beside the repo in ../shared)")
    return path


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[tuple[str, str, str]]:
    """``(uri, user, password)`` of a real Neo4j server, started once per test session.

    tests/neo4j_server.py finds it (``TXKG_TEST_NEO4J_URI``) or starts one with
    scripts/neo4j-local. Locally the Neo4j half skips, saying why, when no server can be
    had (no Java or Maven); with ``CI`` set that is an error (Neo4jStartError): never a skip.
    """
    from neo4j_server import Neo4jUnavailable, ensure_neo4j, stop_neo4j

    started = time.perf_counter()
    try:
        server = ensure_neo4j()
    except Neo4jUnavailable as error:
        pytest.skip(f"no Neo4j server for the Neo4j half of the tests: {error}")
    _NEO4J_USED.append(_describe(server, time.perf_counter() - started))
    try:
        yield server
    finally:
        stop_neo4j()


@pytest.fixture
def neo4j_store(neo4j_server: tuple[str, str, str]) -> Iterator[GraphStore]:
    """A Neo4jStore on an emptied database (Community has no CREATE OR REPLACE DATABASE)."""
    from graph.store.neo4j import Neo4jStore

    uri, user, password = neo4j_server
    opened = Neo4jStore(uri, user=user, password=password)
    opened.clear()
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A playwright Browser on headless Chromium (tests/browser.py); skips locally, saying
    why, when there is none; with ``CI`` set that is an error."""
    from browser import BrowserUnavailable, chromium

    try:
        with chromium() as opened:
            yield opened
    except BrowserUnavailable as error:
        pytest.skip(f"no browser for this test: {error}")


@pytest.fixture(params=["sqlite", "neo4j"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """A fresh, empty store of each kind: a real SQLite file, a real Neo4j database."""
    if request.param == "neo4j":
        yield request.getfixturevalue("neo4j_store")
        return
    opened = SqliteStore(tmp_path / "kg.db")
    yield opened
    opened.close()
