"""``txkg metagraph``, ``txkg metapaths``, ``txkg explain --metapath`` and ``--format html``."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graph.cli import main
from tests.conftest import EXAMPLES

MECHANISMS = EXAMPLES / "mechanisms.csv"


def run(store: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--store", f"sqlite:///{store}", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    if not MECHANISMS.exists():
        pytest.skip(f"{MECHANISMS} is not in the work tree")
    store = tmp_path / "kg.db"
    assert run(store, "load", "primekg", str(MECHANISMS)).exit_code == 0
    return store


def test_metagraph_counts_what_is_loaded(loaded: Path) -> None:
    result = run(loaded, "metagraph", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["schema"] == "txkg.metagraph/1"
    kinds = {m["kind"]: m["nodes"] for m in doc["metanodes"]}
    assert kinds["Drug"] >= 1 and kinds["Gene"] >= 3
    ctg = [e for e in doc["metaedges"] if e["abbreviation"] in ("CtG", "GtC")]
    assert len(ctg) == 1 and ctg[0]["statements"] >= 2
    text = run(loaded, "metagraph").output
    assert re.search(r"^\d+ metanodes, \d+ metaedges", text)
    assert "Drug–TARGETS–Gene" in text


def test_metapaths_lists_abbreviations_by_length(loaded: Path) -> None:
    result = run(loaded, "metapaths", "Drug", "Disease", "--max-length", "3", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    lengths = [r["length"] for r in rows]
    assert lengths == sorted(lengths) and max(lengths) <= 3
    assert any(r["metapath"].startswith("CtG") for r in rows)
    none = run(loaded, "metapaths", "Drug", "ClinicalTrial")  # a kind, never joined by biology
    assert none.exit_code == 0 and "no metapath" in none.output
    unknown = run(loaded, "metapaths", "Drug", "NoSuchKind")
    assert unknown.exit_code == 1 and "unknown node kind 'NoSuchKind'" in unknown.output


def test_explain_restricted_to_one_metapath(loaded: Path) -> None:
    everything = json.loads(run(loaded, "explain", "belatacept", "plasma cell myeloma",
                                "--format", "json").output)
    metapaths = {p["metapath"] for p in everything["results"][0]["explanation"]["paths"]}
    chosen = sorted(metapaths)[0]
    result = run(loaded, "explain", "belatacept", "plasma cell myeloma", "--metapath", chosen,
                 "--format", "json")
    assert result.exit_code == 0, result.output
    paths = json.loads(result.output)["results"][0]["explanation"]["paths"]
    assert paths and {p["metapath"] for p in paths} == {chosen}
    bad = run(loaded, "explain", "belatacept", "plasma cell myeloma", "--metapath", "CxD")
    assert bad.exit_code == 1 and "unknown edge abbreviation" in bad.output


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_explain_html_is_one_self_contained_page(loaded: Path) -> None:
    result = run(loaded, "explain", "belatacept", "plasma cell myeloma", "--top", "5",
                 "--format", "html")
    assert result.exit_code == 0, result.output
    page = result.output
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    parser = _Collect()
    parser.feed(page)
    tags = [t for t, _ in parser.tags]
    assert tags.count("svg") >= 1 and "script" not in tags
    # nothing fetched at view time: no external src or stylesheet link
    assert not any(a.get("src") or (t == "link") for t, a in parser.tags)
    rows = [a for t, a in parser.tags if t == "tr" and a.get("class") == "path"]
    assert 1 <= len(rows) <= 5
    drawn = {a.get("data-id") for t, a in parser.tags if t == "g" and a.get("class") == "node"}
    assert {"DRUGBANK:DB06681"} <= drawn
    assert "CD28" in page and "Belatacept" in page
    assert re.search(r'class="tag (decreases|increases|unknown)"', page)


def test_explain_best_first_search_and_ranking_options(loaded: Path) -> None:
    result = run(loaded, "explain", "belatacept", "plasma cell myeloma", "--search",
                 "best-first", "--top", "3", "--ranking", "dwpc", "--format", "json")
    assert result.exit_code == 0, result.output
    explanation = json.loads(result.output)["results"][0]["explanation"]
    assert explanation["ranking"] == "dwpc"
    assert 1 <= len(explanation["paths"]) <= 3
    assert explanation["path_count"] == len(explanation["paths"])  # best-first: top paths only
    pdps = [p["pdp"] for p in explanation["paths"]]
    assert pdps == sorted(pdps, reverse=True)  # dwpc ranking: by PDP
