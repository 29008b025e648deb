"""Neo4j Browser against the test server, in headless Chromium, as a person uses it.

Opening the server's address fills in the user name; on connect Browser applies
txkg's style, stops connecting result nodes and plays txkg's guide
(``browser.post_connect_cmd``, written by scripts/neo4j-local); a named query and the
query ``txkg explain --format cypher`` writes are drawn with exactly their paths'
nodes and relationships, each node in its kind's colour. Screenshots go to
test-artifacts/.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from browser import artefact
from neo4j_server import browser_files_port, http_url

from graph.api import KnowledgeGraph
from graph.cypher_library import load_query
from graph.explain.render import format_cypher
from graph.neo4j_browser import BrowserFiles, browser_folder, grass_rules
from graph.store.base import GraphStore
from loaders.primekg import read_primekg
from loaders.reports import read_report
from tests.conftest import EXAMPLES

#: Milliseconds to wait for Browser to draw or answer.
WAIT = 30_000
STYLE = grass_rules((browser_folder() / "txkg.grass").read_text("utf-8"))


@pytest.fixture
def kg(neo4j_store: GraphStore) -> KnowledgeGraph:
    """The test server's database, loaded with the examples."""
    loaded = KnowledgeGraph(neo4j_store)
    loaded.load(read_primekg(EXAMPLES / "mechanisms.csv"))
    for report in sorted((EXAMPLES / "reports").iterdir()):
        loaded.load(read_report(report))
    return loaded


@pytest.fixture
def page(browser: Any, neo4j_server: tuple[str, str, str], kg: KnowledgeGraph) -> Iterator[Any]:
    """Browser logged in to the test server loaded with the examples; guide served."""
    _, user, password = neo4j_server
    with BrowserFiles(port=browser_files_port()):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        opened = context.new_page()
        opened.set_default_timeout(WAIT)
        opened.goto(http_url() + "/")  # the server's root: Browser, user name filled in
        opened.wait_for_selector("input[data-testid=password]")
        assert opened.input_value("input[data-testid=username]") == user
        opened.screenshot(path=str(artefact("browser-connect.png")))
        opened.fill("input[data-testid=password]", password)
        opened.click("[data-testid=connect]")
        yield opened
        context.close()


def frame(page: Any, command_start: str) -> Any:
    """The newest result frame whose command starts with ``command_start``."""
    locator = page.locator("[data-testid=frame]").filter(
        has=page.locator("[data-testid=frameCommand]", has_text=command_start[:40]))
    locator.first.wait_for()
    return locator.first


def run(page: Any, command: str) -> Any:
    """Type a command into Browser's editor, run it, and return its frame."""
    page.click("[data-testid=activeEditor]")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(command)
    page.keyboard.press("Control+Enter")
    return frame(page, command.splitlines()[0])


def drawing(result: Any) -> dict[str, Any]:
    """What a frame's graph shows: each node's caption and fill, and the relationships."""
    result.locator("svg g.node").first.wait_for()
    result.page.wait_for_timeout(1500)  # let Browser finish laying the graph out
    nodes = result.locator("svg g.node").evaluate_all("""gs => gs.map(g => ({
        caption: Array.from(g.querySelectorAll('text')).map(t => t.textContent.trim())
                      .join(' '),
        fill: (g.querySelector('circle.b-outline') || {getAttribute: () => null})
                  .getAttribute('fill')}))""")
    return {"nodes": nodes, "relationships": result.locator("svg g.relationship").count()}


def caption_of(name: str, captions: list[str]) -> str | None:
    """The drawn caption that shows ``name`` (Browser cuts long ones with …)."""
    for caption in captions:
        if name.startswith(caption.rstrip("…").strip()) and caption:
            return caption
    return None


def test_connect_applies_the_style_and_plays_the_guide(page: Any) -> None:
    guide = frame(page, ":play http://localhost")
    guide.get_by_text("txkg: the Cypher library").wait_for()
    frame(page, ":style {")
    config = frame(page, ":config autoComplete")
    assert json.loads(config.locator("pre").first.inner_text())["autoComplete"] is False
    page.screenshot(path=str(artefact("browser-guide.png")))
    grass = run(page, f":style http://localhost:{browser_files_port()}/txkg.grass")
    grass.get_by_text("node.Drug").first.wait_for()  # the grass file served, parsed, shown


def test_a_named_query_and_the_explain_query_draw_only_their_paths(
        page: Any, kg: KnowledgeGraph) -> None:
    frame(page, ":play http://localhost").get_by_text("txkg: the Cypher library").wait_for()
    query = load_query("mechanism_paths")
    run(page, ":params {drug: 'Belatacept', disease: 'plasma cell myeloma'}")
    named = drawing(run(page, query.text))
    page.screenshot(path=str(artefact("browser-mechanism-paths.png")))
    assert {"Belatacept", "CD86", "CD28"} <= {n["caption"] for n in named["nodes"]}
    assert named["relationships"] >= 3

    explanation = kg.explain("belatacept", "plasma cell myeloma", top=8).explanation
    result = drawing(run(page, format_cypher(explanation)))
    page.screenshot(path=str(artefact("browser-explain.png")))
    names = {n.id: n for p in explanation.paths for n in p.nodes}
    statements = {(frozenset((h.source, h.target)), h.edge_type)  # walked either way: one
                  for p in explanation.paths for h in p.hops}
    assert len(result["nodes"]) == len(names)
    assert result["relationships"] == len(statements)  # path edges only, nothing connected
    captions = [n["caption"] for n in result["nodes"]]
    fills = {n["caption"]: n["fill"] for n in result["nodes"]}
    for node in names.values():
        caption = caption_of(node.name, captions)
        assert caption is not None, (node.name, captions)
        assert fills[caption].upper() == STYLE[f"node.{node.kind}"]["color"].upper()
