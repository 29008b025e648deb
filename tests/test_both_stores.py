"""One behaviour: the command line gives the same answers on SQLite and on Neo4j."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.store.base import GraphStore
from tests.conftest import EXAMPLES, shared_data


@pytest.fixture
def stores(neo4j_store: GraphStore, neo4j_server: tuple[str, str, str], tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """An empty SQLite file and an emptied Neo4j database, as CLI store URIs."""
    uri, user, password = neo4j_server
    monkeypatch.setenv("NEO4J_USER", user)
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    return f"sqlite:///{tmp_path / 'kg.db'}", uri


def txkg(store: str, *args: str) -> Any:
    result = CliRunner().invoke(main, ["--store", store, *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if "json" in args else result.output


def load_examples(store: str) -> None:
    txkg(store, "load", "primekg", str(EXAMPLES / "mechanisms.csv"))
    txkg(store, "load", "reports", str(EXAMPLES / "reports"))


def paths(doc: dict[str, Any]) -> list[tuple[tuple[str, ...], float]]:
    return [(tuple(n["id"] for n in p["nodes"]), p["pdp"])
            for r in doc["results"] for p in r["explanation"]["paths"]]


def test_load_stats_show_predictions_and_explain_agree(stores: tuple[str, str]) -> None:
    for store in stores:
        load_examples(store)
    a, b = (txkg(s, "stats", "--format", "json") for s in stores)
    assert a["counts"] == b["counts"] and a["ledger_size"] == b["ledger_size"]
    assert [s["name"] for s in a["sources"]] == [s["name"] for s in b["sources"]]

    def around(doc: dict[str, Any]) -> set[tuple[str, str, bool]]:
        return {(n["edge"]["type"], n["node"]["id"], n["outgoing"]) for n in doc["neighbours"]}

    a, b = (txkg(s, "show", "CD86", "--format", "json") for s in stores)
    assert a["node"] == b["node"] and around(a) == around(b)

    a, b = (txkg(s, "predictions", "belatacept", "--format", "json") for s in stores)
    assert a == b
    # The example report's two trials and seven publications, counted by each store.
    assert [(v["trials"], v["publications"]) for v in a] == [(2, 7)]

    a, b = (txkg(s, "show", "belatacept -> plasma cell myeloma", "--format", "json")
            for s in stores)
    assert a["node"]["kind"] == "Prediction" and a["node"] == b["node"]

    a, b = (txkg(s, "explain", "belatacept", "--format", "json", "--top", "50")
            for s in stores)
    ours, theirs = paths(a), paths(b)
    assert [p for p, _ in ours] == [p for p, _ in theirs]
    assert all(abs(x - y) <= 1e-12 for (_, x), (_, y) in zip(ours, theirs, strict=True))
    assert len(ours) > 10


def test_explain_as_cypher_redraws_the_top_paths_in_neo4j(stores: tuple[str, str]) -> None:
    _, neo4j = stores
    load_examples(neo4j)
    query = txkg(neo4j, "explain", "belatacept", "plasma cell myeloma", "--top", "5",
                 "--format", "cypher")
    rows = txkg(neo4j, "query", "--cypher", query, "--format", "json")
    assert [row["rank"] for row in rows] == [1, 2, 3, 4, 5]


def test_real_reports_give_equal_counts_in_both_stores(stores: tuple[str, str]) -> None:
    reports = shared_data("reports", "eu")
    for store in stores:
        load_examples(store)
        txkg(store, "load", "reports", str(reports))
    a, b = (txkg(s, "stats", "--format", "json") for s in stores)
    assert a["counts"] == b["counts"]
    assert a["counts"]["nodes"]["ClinicalTrial"] >= 519
