"""What Neo4j Browser fetches from txkg: the style as one line, and the files served with
the CORS headers Browser's fetch needs."""

from __future__ import annotations

import json
import urllib.request

from graph.neo4j_browser import (
    GRASS,
    GUIDE,
    STYLE_JSON,
    BrowserFiles,
    browser_folder,
    grass_rules,
    style_json,
)


def test_the_style_json_is_current() -> None:
    stored = (browser_folder() / STYLE_JSON).read_text(encoding="utf-8").strip()
    assert stored == style_json(), (
        "cypher/browser/txkg-style.json is stale; regenerate it: python -c 'from "
        "graph.neo4j_browser import style_json; print(style_json())' > "
        "cypher/browser/txkg-style.json")


def test_the_style_reads_as_browser_reads_the_grass_file() -> None:
    rules = json.loads(style_json())
    assert rules["node.Drug"]["color"] == "#4C8EDA" and rules["node"]["caption"] == "{name}"
    assert rules["relationship"]["caption"] == "<type>"
    assert "node.Node" in rules  # so Browser never colours a node by its :Node label
    assert ";" not in style_json()  # post_connect_cmd splits commands at ';'
    assert grass_rules("node.Gene { color: #57C7E3; }") == {"node.Gene": {"color": "#57C7E3"}}


def test_the_files_are_served_with_cors_headers() -> None:
    with BrowserFiles(port=0) as files:
        with urllib.request.urlopen(f"{files.url}/{GUIDE}") as response:
            assert response.headers["Access-Control-Allow-Origin"] == "*"
            assert "txkg: the Cypher library" in response.read().decode()
        preflight = urllib.request.Request(f"{files.url}/{GRASS}", method="OPTIONS")
        with urllib.request.urlopen(preflight) as response:
            assert response.status == 204
            assert response.headers["Access-Control-Allow-Headers"] == "*"
