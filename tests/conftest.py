"""Shared fixtures: real stores (a SQLite file; a Neo4j server) and paths to data."""

from __future__ import annotations

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


@pytest.fixture(params=["sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """A fresh, empty store of each kind."""
    opened = SqliteStore(tmp_path / "kg.db")
    yield opened
    opened.close()
