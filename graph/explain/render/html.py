"""Explanations as one self-contained HTML page: no script, no network, opens offline.

A summary first; then, for each pair with paths, its prediction, the evidence
behind it as a table (trials and PMIDs linked), the picture of its top paths
(:mod:`~graph.explain.render.picture`) and the table of every listed path with
each hop read as the statement it is; then the pairs without a path, each with
what would join them; and once, what the numbers mean.

>>> import networkx as nx
>>> from graph.explain import explain_pair
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("c", {"kind": "Drug", "name": "belatacept"}),
...                   ("g", {"kind": "Gene", "name": "CD86"}),
...                   ("d", {"kind": "Disease", "name": "myeloma"})])
>>> _ = G.add_edge("c", "g", key="TARGETS", type="TARGETS")
>>> _ = G.add_edge("g", "d", key="ASSOCIATED_WITH", type="ASSOCIATED_WITH")
>>> page = format_html([explain_pair(G, "c", "d")])
>>> page.startswith("<!DOCTYPE html>"), page.count('aria-label="top mechanism paths"')
(True, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from graph.explain.explanation import Explanation, Hop, RankedPath
from graph.explain.render.cells import (
    coverage_text,
    local_id,
    metapath_reading,
    path_text,
    score_text,
    statement_text,
)
from graph.explain.render.picture import (
    KIND_COLOURS,
    NEUTRAL_COLOUR,
    PICTURE_STYLE,
    SIGN_COLOURS,
    svg_picture,
)
from graph.explain.render.report import (
    LEGEND_REST,
    ExplainedPair,
    as_pair,
    model_score,
    no_path_hint,
    prediction_line,
    publication_facts,
    publications,
    score_legend,
    summary_line,
    trial_facts,
    trials,
)

#: Paths drawn in the picture (the table lists every path of the explanation).
DRAWN_PATHS = 12

DIRECTION_LABELS = {"decreases": "lowers the disease (coherent)",
                    "increases": "raises the disease (incoherent)",
                    "unknown": "net effect unknown"}

_STYLE = """
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#222}
h1{font-size:20px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 6px} h3{font-size:15px}
table{border-collapse:collapse;margin-top:8px} td,th{border-bottom:1px solid #e4e4e4;
padding:4px 8px;text-align:left;vertical-align:top} th{background:#fafafa}
.num{text-align:right;white-space:nowrap} a{color:#1f5fa8}
.tag{white-space:nowrap;padding:1px 6px;border-radius:8px;font-size:12px;color:#fff}
.decreases{background:#2e7d32} .increases{background:#c62828} .unknown{background:#8a8a8a}
.legend span{display:inline-block;margin-right:14px} .ev{color:#555;font-size:12px}
.reads{color:#666;font-size:12px} ul.meaning li{margin-bottom:4px}
"""


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{local_id(pmid)}/"


def trial_url(nct: str) -> str:
    return f"https://clinicaltrials.gov/study/{local_id(nct)}"


def _link(url: str, text: str) -> str:
    return f"<a href=\"{escape(url)}\">{escape(text)}</a>"


def format_html(items: Sequence[Explanation | ExplainedPair], *,
                title: str = "txkg explain") -> str:
    """One HTML page for explained pairs (or bare explanations)."""
    pairs = [as_pair(i) for i in items]
    body = [f"<h1>{escape(title)}</h1>", f"<p class=\"summary\">{escape(summary_line(pairs))}</p>"]
    body += [_section(p, i) for i, p in enumerate(pairs, 1) if p.explanation.paths]
    without = [p for p in pairs if not p.explanation.paths]
    if without:
        body.append(_without(without))
    explained = [p for p in pairs if p.explanation.paths]
    if explained:
        lines = (score_legend(explained[0].explanation), *LEGEND_REST)
        body.append("<h2>What the numbers mean</h2><ul class=\"meaning\">"
                    + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{_STYLE}{PICTURE_STYLE}</style></head>"
            "<body>\n" + "\n".join(body) + "\n</body></html>\n")


def _section(pair: ExplainedPair, index: int) -> str:
    e = pair.explanation
    drawn = e.paths[:DRAWN_PATHS]
    return "\n".join([
        f"<section id=\"explanation-{index}\">",
        f"<h2>{escape(e.drug.name)} → {escape(e.disease.name)}</h2>",
        f"<p>{escape(prediction_line(pair))}</p>",
        _evidence_table(pair),
        f"<p>{e.path_count} mechanism paths of {e.min_hops}–{e.max_hops} hops between "
        f"<code>{escape(e.drug.id)}</code> and <code>{escape(e.disease.id)}</code>"
        f"{escape(coverage_text(e))}; ranking "
        f"<b>{escape(e.ranking)}</b>, damping w = {e.damping:g}. The picture shows the top "
        f"{len(drawn)}; hover a box or a line for the full name and the statement.</p>",
        svg_picture(drawn), _legend(drawn), _path_table(e), "</section>"])


def _evidence_table(pair: ExplainedPair) -> str:
    """The trials and publications behind the prediction, with what the report found."""
    findings = {e.node.id: e.key_finding for e in pair.evidence}
    rows = [(_link(trial_url(t.id), local_id(t.id)), "trial", trial_facts(t), findings.get(t.id))
            for t in trials(pair)]
    rows += [(_link(pubmed_url(p.id), f"PMID {local_id(p.id)}"), "publication",
              publication_facts(p), findings.get(p.id)) for p in publications(pair)]
    if not rows:
        return ""
    body = "".join(f"<tr><td>{link}</td><td>{kind}</td><td>{escape(facts)}</td>"
                   f"<td>{escape(found or '')}</td></tr>" for link, kind, facts, found in rows)
    return ("<table class=\"evidence\"><thead><tr><th>evidence</th><th>kind</th>"
            "<th>details</th><th>what the report found</th></tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _legend(paths: Sequence[RankedPath]) -> str:
    kinds = sorted({n.kind for p in paths for n in p.nodes})
    swatches = "".join(
        f"<span><svg width=\"12\" height=\"12\"><rect width=\"12\" height=\"12\" rx=\"2\" "
        f"fill=\"{KIND_COLOURS.get(k, '#cccccc')}\"/></svg> {escape(k)}</span>" for k in kinds)
    signs = (f"<span style=\"color:{SIGN_COLOURS[1]}\">━ raises its object</span>"
             f"<span style=\"color:{SIGN_COLOURS[-1]}\">━ lowers its object</span>"
             f"<span style=\"color:{NEUTRAL_COLOUR}\">━ neutral or unknown</span>"
             "<span>╌ walked against its stored direction (the arrow shows the stored "
             "way)</span>")
    return f"<p class=\"legend\">{swatches}<br>{signs}</p>"


def _hop_evidence(hop: Hop, names: dict[str, str]) -> str:
    bits = [escape(statement_text(hop, names)), escape(", ".join(hop.sources) or "—")]
    bits += [_link(pubmed_url(p), f"PMID {local_id(p)}") for p in hop.pmids]
    bits += [_link(trial_url(n), local_id(n)) for n in hop.nct_ids]
    return "; ".join(bits)


def _path_table(e: Explanation) -> str:
    rows = ["<h3>Top paths, best score first</h3><table class=\"paths\"><thead><tr>"
            "<th class=\"num\">rank</th><th class=\"num\">score</th><th>effect</th>"
            "<th>metapath</th><th>path and evidence</th></tr></thead><tbody>"]
    for p in e.paths:
        names = {n.id: n.name for n in p.nodes}
        evidence = "<br>".join(_hop_evidence(h, names) for h in p.hops)
        rows.append(
            f"<tr class=\"path\" data-rank=\"{p.rank}\"><td class=\"num\">{p.rank}</td>"
            f"<td class=\"num\">{score_text(p.score)}</td>"
            f"<td><span class=\"tag {p.net_direction}\">"
            f"{escape(DIRECTION_LABELS[p.net_direction])}</span></td>"
            f"<td><code>{escape(p.metapath)}</code><div class=\"reads\">"
            f"{escape(metapath_reading(p.metapath))}</div></td>"
            f"<td>{escape(path_text(p))}<div class=\"ev\">{evidence}</div></td></tr>")
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _without(pairs: Sequence[ExplainedPair]) -> str:
    rows = "".join(
        f"<tr><td>{escape(p.explanation.drug.name)} → {escape(p.explanation.disease.name)}"
        f"</td><td class=\"num\">{model_score(p)}</td><td>{escape(no_path_hint(p))}</td></tr>"
        for p in pairs)
    return ("<section id=\"without-paths\"><h2>Without a mechanism path</h2>"
            "<table><thead><tr><th>indication</th><th class=\"num\">model score</th>"
            f"<th>what would join them</th></tr></thead><tbody>{rows}</tbody></table></section>")


__all__ = ["DRAWN_PATHS", "format_html", "pubmed_url", "svg_picture", "trial_url"]
