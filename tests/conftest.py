"""Shared fixtures: real stores (a SQLite file; a Neo4j server) and paths to data."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store.base import GraphStore
from graph.store.sqlite import SqliteStore

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHARED_DATA = REPO.parent / "shared" / "data"
SEED = REPO.parent / "shared" / "seed"


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data; the test skips, saying why, when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not present: {path} (it lives beside the repo in ../shared)")
    return path


def neo4j_unavailable_reason() -> str | None:
    """Why no Neo4j can be started here, or None. In CI there is never a reason: fail."""
    if os.environ.get("TXKG_TEST_NEO4J_URI") or os.environ.get("CI"):
        return None
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        return f"Neo4j tests need {' and '.join(missing)} to assemble a server (scripts/neo4j-local)"
    return None


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[tuple[str, str, str]]:
    """``(uri, user, password)`` of a real Neo4j server, started once per test session.

    ``TXKG_TEST_NEO4J_URI`` (+ ``NEO4J_USER``/``NEO4J_PASSWORD``) points the tests at a
    server you run yourself; otherwise tests/neo4j_server.py starts one with
    scripts/neo4j-local. Locally the Neo4j half skips, saying why, without Java or Maven;
    with ``CI`` set it never skips.
    """
    reason = neo4j_unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    if os.environ.get("TXKG_TEST_NEO4J_URI"):
        yield (os.environ["TXKG_TEST_NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
               os.environ["NEO4J_PASSWORD"])
        return
    from neo4j_server import ensure_neo4j, stop_neo4j

    try:
        yield ensure_neo4j()
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


@pytest.fixture(params=["sqlite", "neo4j"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """A fresh, empty store of each kind: a real SQLite file, a real Neo4j database."""
    if request.param == "neo4j":
        yield request.getfixturevalue("neo4j_store")
        return
    opened = SqliteStore(tmp_path / "kg.db")
    yield opened
    opened.close()
