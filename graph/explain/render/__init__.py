"""Renderings of an explanation, one module each.

* :mod:`~graph.explain.render.text` — for a terminal (:func:`format_text`);
* :mod:`~graph.explain.render.markdown` — for a report or a notebook (:func:`format_markdown`);
* :mod:`~graph.explain.render.html` — one self-contained page with a picture (:func:`format_html`);
* :mod:`~graph.explain.render.cypher` — a query that redraws the paths in Neo4j Browser
  (:func:`format_cypher`);
* :mod:`~graph.explain.render.cells` — how one value reads (a share, a hop, a statement);
* :mod:`~graph.explain.render.report` — what surrounds the paths: the prediction and its
  evidence, why a pair has no path, the summary, the legend of the numbers.

``format_text_report`` and ``format_markdown_report`` render many explained pairs as
``txkg explain`` prints them (summary first, pairs without a path one line each).

The JSON form is the models' own (:func:`graph.explain.explanation.explanation_to_dict`).
"""

from graph.explain.render.cypher import format_cypher
from graph.explain.render.html import format_html
from graph.explain.render.markdown import format_markdown, format_markdown_report
from graph.explain.render.text import format_text, format_text_report

__all__ = ["format_cypher", "format_html", "format_markdown", "format_markdown_report",
           "format_text", "format_text_report"]
