"""A picture of an explanation's top paths: one self-contained HTML page with inline SVG.

No script and no network: the page is drawn here (a layered layout, drug on
the left, disease on the right, every other node in the column of its
earliest position on a path) and opens offline in any browser. Nodes are
coloured by kind; hops by sign (green raises its object, red lowers it, grey
neutral or unknown) and drawn thicker for a larger share; a hop stored against
the path's direction is dashed. Hovering shows ids, predicates and sources.
Below the picture, the ranked paths with their net direction and evidence.

>>> import networkx as nx
>>> from graph.explain import explain_pair
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("c", {"kind": "Drug", "name": "belatacept"}),
...                   ("g", {"kind": "Gene", "name": "CD86"}),
...                   ("d", {"kind": "Disease", "name": "myeloma"})])
>>> _ = G.add_edge("c", "g", key="TARGETS", type="TARGETS")
>>> _ = G.add_edge("g", "d", key="ASSOCIATED_WITH", type="ASSOCIATED_WITH")
>>> page = format_html([(explain_pair(G, "c", "d"), "")])
>>> page.startswith("<!DOCTYPE html>"), page.count('aria-label="top mechanism paths"')
(True, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from graph.explain.explanation import Explanation, Hop, PathNode, RankedPath
from graph.explain.render.cells import path_text

#: Paths drawn in the picture (the table lists every path of the explanation).
DRAWN_PATHS = 12

KIND_COLOURS = {
    "Drug": "#4e79a7", "Gene": "#59a14f", "Disease": "#e15759", "Pathway": "#b07aa1",
    "BiologicalProcess": "#f28e2b", "MolecularFunction": "#edc948",
    "CellularComponent": "#9c755f", "Phenotype": "#ff9da7", "Anatomy": "#76b7b2",
    "ChemicalSubstance": "#86bcb6", "GeneFamily": "#8cd17d", "Cell": "#d4a6c8",
    "OrganismTaxon": "#bab0ac", "Exposure": "#d37295",
}
SIGN_COLOURS = {1: "#2e7d32", -1: "#c62828"}
NEUTRAL_COLOUR = "#8a8a8a"
DIRECTION_LABELS = {"decreases": "lowers the disease (coherent)",
                    "increases": "raises the disease (incoherent)",
                    "unknown": "net effect unknown"}

_STYLE = """
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#222}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:24px 0 8px}
pre.header{background:#f6f6f6;padding:8px 12px;white-space:pre-wrap}
svg{border:1px solid #ddd;background:#fff;max-width:100%;height:auto}
svg text{font:12px system-ui,sans-serif} svg .hop{font-size:10px;fill:#555}
table{border-collapse:collapse;margin-top:8px} td,th{border-bottom:1px solid #e4e4e4;
padding:4px 8px;text-align:left;vertical-align:top} th{background:#fafafa}
.num{text-align:right}
.tag{white-space:nowrap;padding:1px 6px;border-radius:8px;font-size:12px;color:#fff}
.decreases{background:#2e7d32} .increases{background:#c62828} .unknown{background:#8a8a8a}
.legend span{display:inline-block;margin-right:14px} .ev{color:#555;font-size:12px}
"""


def format_html(items: Sequence[tuple[Explanation, str]], *, title: str = "txkg explain") -> str:
    """One HTML page for several explanations, each ``(explanation, header text)``."""
    body = [_section(e, header, i) for i, (e, header) in enumerate(items)]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def _section(e: Explanation, header: str, index: int) -> str:
    parts = [f"<section id=\"explanation-{index + 1}\">",
             f"<h1>{escape(e.drug.name)} → {escape(e.disease.name)}</h1>"]
    if header.strip():
        parts.append(f"<pre class=\"header\">{escape(header.strip())}</pre>")
    parts.append(f"<p>{e.path_count} mechanism paths of {e.min_hops}–{e.max_hops} hops; "
                 f"ranking <b>{escape(e.ranking)}</b>; damping w = {e.damping:g}; "
                 f"total DWPC {e.total:.4g}.</p>")
    if not e.paths:
        parts.append("<p>No mechanism path joins them within these limits.</p></section>")
        return "\n".join(parts)
    parts.append(svg_picture(e.paths[:DRAWN_PATHS]))
    parts.append(_legend(e.paths[:DRAWN_PATHS]))
    parts.append(_path_table(e.paths))
    parts.append("</section>")
    return "\n".join(parts)


def _layout(paths: Sequence[RankedPath]) -> tuple[dict[str, tuple[int, int]], int, int]:
    """Column and row of every node; drug in column 0, disease in the last column."""
    last = max(p.length for p in paths)
    column: dict[str, int] = {}
    best_rank: dict[str, int] = {}
    for path in paths:
        for i, node in enumerate(path.nodes):
            position = last if i == path.length else i
            column[node.id] = min(column.get(node.id, position), position)
            best_rank.setdefault(node.id, path.rank)
    rows: dict[int, list[str]] = {}
    for node_id in sorted(column, key=lambda n: (best_rank[n], n)):
        rows.setdefault(column[node_id], []).append(node_id)
    place = {n: (c, r) for c, ids in rows.items() for r, n in enumerate(ids)}
    return place, last + 1, max(len(ids) for ids in rows.values())


#: Geometry of the picture, in pixels: column and row pitch, node box, margin.
COLUMN_WIDTH, ROW_HEIGHT, BOX_WIDTH, BOX_HEIGHT, MARGIN = 300, 58, 170, 30, 20


@dataclass(frozen=True, slots=True)
class _Canvas:
    """Where each node of the picture sits: its column and row, and their pixels."""

    place: dict[str, tuple[int, int]]
    columns: int
    rows: int

    @property
    def width(self) -> int:
        return MARGIN * 2 + self.columns * COLUMN_WIDTH - (COLUMN_WIDTH - BOX_WIDTH)

    @property
    def height(self) -> int:
        return MARGIN * 2 + self.rows * ROW_HEIGHT

    def centre(self, node_id: str) -> tuple[float, float]:
        """The centre of a node's box; short columns are centred vertically."""
        c, r = self.place[node_id]
        total_rows = sum(1 for v in self.place.values() if v[0] == c)
        offset = (self.rows - total_rows) * ROW_HEIGHT / 2
        x = MARGIN + c * COLUMN_WIDTH + BOX_WIDTH / 2
        y = MARGIN + offset + r * ROW_HEIGHT + BOX_HEIGHT / 2
        return x, y


@dataclass(frozen=True, slots=True)
class _DrawnHop:
    """One statement drawn once for every path through it: their summed share and ranks."""

    hop: Hop
    share: float
    ranks: tuple[int, ...]


def svg_picture(paths: Sequence[RankedPath]) -> str:
    """An inline SVG of the given paths (see the module docstring for the encoding)."""
    canvas = _Canvas(*_layout(paths))
    nodes = {n.id: n for p in paths for n in p.nodes}
    hops = _drawn_hops(paths)
    top_share = max((h.share for h in hops), default=1.0) or 1.0
    out = [f"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{canvas.width}\" "
           f"height=\"{canvas.height}\" viewBox=\"0 0 {canvas.width} {canvas.height}\" "
           "role=\"img\" aria-label=\"top mechanism paths\">",
           _arrow_markers()]
    out += [_hop_svg(canvas, nodes, drawn, top_share) for drawn in hops]
    out += [_node_svg(canvas, node) for node in nodes.values()]
    out.append("</svg>")
    return "\n".join(out)


def _drawn_hops(paths: Sequence[RankedPath]) -> list[_DrawnHop]:
    """Each statement once, in the order first met; drawn as the last path walks it."""
    hops: dict[tuple[str, str, str], _DrawnHop] = {}
    for path in paths:
        for hop in path.hops:
            key = (hop.source, hop.target, hop.edge_type)
            known = hops.get(key, _DrawnHop(hop, 0.0, ()))
            hops[key] = _DrawnHop(hop, known.share + path.share, (*known.ranks, path.rank))
    return list(hops.values())


def _arrow_markers() -> str:
    """Arrow heads, one per sign colour."""
    return "<defs>" + "".join(
        f"<marker id=\"arrow-{name}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
        f"markerWidth=\"9\" markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" "
        f"orient=\"auto-start-reverse\">"
        f"<path d=\"M0,0 L10,5 L0,10 z\" fill=\"{colour}\"/></marker>"
        for name, colour in (("up", SIGN_COLOURS[1]), ("down", SIGN_COLOURS[-1]),
                             ("none", NEUTRAL_COLOUR))) + "</defs>"


def _hop_svg(canvas: _Canvas, nodes: dict[str, PathNode], drawn: _DrawnHop,
             top_share: float) -> str:
    """A curve from one node box to the other, coloured by sign, as thick as its share."""
    hop, source, target = drawn.hop, drawn.hop.source, drawn.hop.target
    (x1, y1), (x2, y2) = canvas.centre(source), canvas.centre(target)
    same_column = canvas.place[source][0] == canvas.place[target][0]
    if same_column:  # an arc out of the right-hand sides, bulging into the gap
        x1 = x2 = x1 + BOX_WIDTH / 2
    elif x1 < x2:
        x1, x2 = x1 + BOX_WIDTH / 2, x2 - BOX_WIDTH / 2
    else:
        x1, x2 = x1 - BOX_WIDTH / 2, x2 + BOX_WIDTH / 2
    colour = SIGN_COLOURS.get(hop.sign or 0, NEUTRAL_COLOUR)
    marker = {1: "up", -1: "down"}.get(hop.sign or 0, "none")
    bend = (x2 - x1) / 2
    c1, c2 = (x1 + bend, x2 - bend) if not same_column else (x1 + 90.0, x2 + 90.0)
    # The arrow points the way the statement is stored.
    start, end = ("marker-start", "") if hop.direction == "reverse" else ("", "marker-end")
    markers = " ".join(f"{m}=\"url(#arrow-{marker})\"" for m in (start, end) if m)
    dash = " stroke-dasharray=\"5 4\"" if hop.direction == "reverse" else ""
    stroke = 1.2 + 4.0 * drawn.share / top_share
    label = hop.predicate or hop.edge_type.lower().replace("_", " ")
    tip = (f"{nodes[source].name} {label} {nodes[target].name} "
           f"({hop.direction}; paths {', '.join(map(str, drawn.ranks))}; "
           f"sources: {', '.join(hop.sources) or 'none recorded'})")
    return (
        f"<g class=\"hop\"><title>{escape(tip)}</title>"
        f"<path d=\"M{x1:.1f},{y1:.1f} C{c1:.1f},{y1:.1f} {c2:.1f},{y2:.1f} "
        f"{x2:.1f},{y2:.1f}\" fill=\"none\" stroke=\"{colour}\" "
        f"stroke-width=\"{stroke:.1f}\" stroke-opacity=\"0.8\"{dash} {markers}/>"
        f"<text class=\"hop\" x=\"{(x1 + x2) / 2 + (70 if same_column else 0):.1f}\" "
        f"y=\"{(y1 + y2) / 2 - 4:.1f}\" "
        f"text-anchor=\"middle\">{escape(_short(label, 28))}</text></g>")


def _node_svg(canvas: _Canvas, node: PathNode) -> str:
    """A box coloured by the node's kind, its name inside, ids on hover."""
    x, y = canvas.centre(node.id)
    colour = KIND_COLOURS.get(node.kind, "#cccccc")
    return (
        f"<g class=\"node\" data-id=\"{escape(node.id)}\"><title>{escape(node.name)} "
        f"({escape(node.kind)}, {escape(node.id)})</title>"
        f"<rect x=\"{x - BOX_WIDTH / 2:.1f}\" y=\"{y - BOX_HEIGHT / 2:.1f}\" "
        f"width=\"{BOX_WIDTH}\" height=\"{BOX_HEIGHT}\" rx=\"6\" fill=\"{colour}\" "
        f"fill-opacity=\"0.22\" stroke=\"{colour}\" stroke-width=\"1.5\"/>"
        f"<text x=\"{x:.1f}\" y=\"{y + 4:.1f}\" text-anchor=\"middle\">"
        f"{escape(_short(node.name, 24))}</text></g>")


def _legend(paths: Sequence[RankedPath]) -> str:
    kinds = sorted({n.kind for p in paths for n in p.nodes})
    swatches = "".join(
        f"<span><svg width=\"12\" height=\"12\"><rect width=\"12\" height=\"12\" rx=\"2\" "
        f"fill=\"{KIND_COLOURS.get(k, '#cccccc')}\"/></svg> {escape(k)}</span>" for k in kinds)
    signs = (f"<span style=\"color:{SIGN_COLOURS[1]}\">━ raises its object</span>"
             f"<span style=\"color:{SIGN_COLOURS[-1]}\">━ lowers its object</span>"
             f"<span style=\"color:{NEUTRAL_COLOUR}\">━ neutral or unknown</span>"
             "<span>╌ stored against the path's direction</span>")
    return f"<p class=\"legend\">{swatches}<br>{signs}</p>"


def _path_table(paths: Sequence[RankedPath]) -> str:
    rows = ["<h2>Top paths</h2><table><thead><tr><th class=\"num\">rank</th>"
            "<th class=\"num\">share</th><th class=\"num\">score</th><th>metapath</th>"
            "<th>net direction</th><th>path and evidence</th></tr></thead><tbody>"]
    for p in paths:
        evidence = "<br>".join(
            f"{escape(h.predicate or h.edge_type)}: {escape(', '.join(h.sources) or '—')}"
            + (f"; PMID {escape(', '.join(x.split(':', 1)[-1] for x in h.pmids))}"
               if h.pmids else "")
            + (f"; {escape(', '.join(x.split(':', 1)[-1] for x in h.nct_ids))}"
               if h.nct_ids else "")
            for h in p.hops)
        rows.append(
            f"<tr class=\"path\" data-rank=\"{p.rank}\"><td class=\"num\">{p.rank}</td>"
            f"<td class=\"num\">{p.share * 100:.1f}%</td><td class=\"num\">{p.score:.3g}</td>"
            f"<td><code>{escape(p.metapath)}</code></td>"
            f"<td><span class=\"tag {p.net_direction}\">"
            f"{escape(DIRECTION_LABELS[p.net_direction])}</span></td>"
            f"<td>{escape(path_text(p))}<div class=\"ev\">{evidence}</div></td></tr>")
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["DRAWN_PATHS", "format_html", "svg_picture"]
