"""The HTML page of an explanation, checked where people read it: in headless Chromium.

From the DOM: no two labels' boxes overlap, every node of the drawn paths is drawn
inside the picture, PMIDs and NCT ids are links, the evidence is a table. Without a
browser, the placement itself is checked on the boxes it computes.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from browser import artefact

from graph.api import ExplainedPrediction, KnowledgeGraph
from graph.explain.render import format_html
from graph.explain.render.html import DRAWN_PATHS
from graph.explain.render.picture import drawn_hops, layout, place_labels
from loaders.primekg import read_primekg
from loaders.reports import read_report
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def explained(tmp_path_factory: pytest.TempPathFactory) -> list[ExplainedPrediction]:
    """Belatacept's predictions on the examples: one with 17 paths (12 drawn)."""
    db = tmp_path_factory.mktemp("html") / "kg.db"
    with KnowledgeGraph.open(f"sqlite:///{db}") as kg:
        kg.load(read_primekg(EXAMPLES / "mechanisms.csv"))
        for report in sorted((EXAMPLES / "reports").iterdir()):
            kg.load(read_report(report))
        results = kg.explain_drug("belatacept")
        results.append(kg.explain("abatacept", "plasma cell myeloma"))
        return results


def test_placed_labels_meet_no_node_and_no_other_label(
        explained: list[ExplainedPrediction]) -> None:
    for result in explained:
        paths = result.explanation.paths[:DRAWN_PATHS]
        if not paths:
            continue
        canvas = layout(paths)
        boxes = [box for _, box in place_labels(canvas, drawn_hops(paths)).values()]
        nodes = [canvas.box(n) for n in canvas.place]
        assert not [(a, b) for a, b in itertools.combinations(boxes, 2) if a.meets(b)]
        assert not [(a, n) for a in boxes for n in nodes if a.meets(n)]


def test_hover_text_reads_reverse_hops_the_way_they_are_stored(
        explained: list[ExplainedPrediction]) -> None:
    page = format_html(explained)
    assert "Abatacept targets CD80" in page
    assert "CD80 targets Abatacept" not in page and "CD86 targets Abatacept" not in page


def _boxes(page: Any, selector: str) -> list[dict[str, Any]]:
    boxes: list[dict[str, Any]] = page.eval_on_selector_all(selector, """els => els.map(e => {
        const r = e.getBoundingClientRect();
        return {text: e.textContent, left: r.left, top: r.top, right: r.right,
                bottom: r.bottom, svg: e.closest('svg') && e.closest('section').id};
    })""")
    return boxes


def _overlap(a: dict[str, Any], b: dict[str, Any], slack: float = 0.5) -> bool:
    return not (a["right"] <= b["left"] + slack or b["right"] <= a["left"] + slack
                or a["bottom"] <= b["top"] + slack or b["bottom"] <= a["top"] + slack)


def test_the_page_in_chromium(browser: Any, explained: list[ExplainedPrediction],
                              tmp_path: Path) -> None:
    html = tmp_path / "belatacept.html"
    html.write_text(format_html(explained), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(html.as_uri())
    page.screenshot(path=str(artefact("explain-html-page.png")), full_page=True)
    page.locator("svg.paths").first.screenshot(path=str(artefact("explain-html-picture.png")))

    labels = _boxes(page, "svg.paths text")
    assert labels and all(b["right"] > b["left"] for b in labels)
    clashes = [(a["text"], b["text"]) for a, b in itertools.combinations(labels, 2)
               if a["svg"] == b["svg"] and _overlap(a, b)]
    assert clashes == []

    with_paths = [r for r in explained if r.explanation.paths]
    sections = page.query_selector_all("section[id^=explanation-]")
    assert len(sections) == len(with_paths)
    for section, result in zip(sections, with_paths, strict=True):
        wanted = {n.id for p in result.explanation.paths[:DRAWN_PATHS] for n in p.nodes}
        drawn = {g.get_attribute("data-id") for g in section.query_selector_all("g.node")}
        assert drawn == wanted
        svg = section.query_selector("svg.paths").bounding_box()
        for rect in section.query_selector_all("g.node rect"):
            box = rect.bounding_box()
            assert box["width"] > 0 and box["x"] >= svg["x"] and box["y"] >= svg["y"]
            assert box["x"] + box["width"] <= svg["x"] + svg["width"] + 0.5

    links = page.eval_on_selector_all("table.evidence a", "as => as.map(a => a.href)")
    assert "https://pubmed.ncbi.nlm.nih.gov/31129111/" in links
    assert "https://clinicaltrials.gov/study/NCT04827979" in links
    assert page.locator("table.paths a[href*='pubmed']").count() > 0
    titles = page.eval_on_selector_all("g.node title", "ts => ts.map(t => t.textContent)")
    assert any(t.startswith("Costimulation by the CD28 family (Pathway") for t in titles)
