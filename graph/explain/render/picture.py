"""The picture of an explanation's top paths: inline SVG whose labels never overlap.

Layout: drug in the left column, disease in the right, every other node in the
column of its earliest position on a path, rows by the rank of the first path
through a node. Node names wrap onto two lines inside their box (cut with ``…``
past that, squeezed to the box when still too wide); the full name, kind and id
are on hover. Each statement is drawn once, coloured by its sign (green raises
its object, red lowers it, grey neutral or unknown), as thick as the share of
the paths through it, dashed when the paths walk it against its stored
direction; its arrow points the way it is stored.

Edge labels are placed, not hoped for: each slides along its own curve to the
first spot whose box meets no node box and no label already placed (the
busiest statements choose first). Labels are monospace, so their boxes are
known before a browser draws them; a label with no free spot is left off the
picture (hover the curve, or read the table below it).

>>> import networkx as nx
>>> from graph.explain import explain_pair
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("c", {"kind": "Drug", "name": "belatacept"}),
...                   ("g", {"kind": "Gene", "name": "CD86"}),
...                   ("d", {"kind": "Disease", "name": "myeloma"})])
>>> _ = G.add_edge("c", "g", key="TARGETS", type="TARGETS")
>>> _ = G.add_edge("g", "d", key="ASSOCIATED_WITH", type="ASSOCIATED_WITH")
>>> svg = svg_picture(explain_pair(G, "c", "d").paths)
>>> svg.count('class="node"'), svg.count('class="edge-label"')
(3, 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from graph.explain.explanation import Hop, PathNode, RankedPath
from graph.explain.render.cells import statement_text, verb

KIND_COLOURS = {
    "Drug": "#4e79a7", "Gene": "#59a14f", "Disease": "#e15759", "Pathway": "#b07aa1",
    "BiologicalProcess": "#f28e2b", "MolecularFunction": "#edc948",
    "CellularComponent": "#9c755f", "Phenotype": "#ff9da7", "Anatomy": "#76b7b2",
    "ChemicalSubstance": "#86bcb6", "GeneFamily": "#8cd17d", "Cell": "#d4a6c8",
    "OrganismTaxon": "#bab0ac", "Exposure": "#d37295",
}
SIGN_COLOURS = {1: "#2e7d32", -1: "#c62828"}
NEUTRAL_COLOUR = "#8a8a8a"

#: Geometry, in pixels: column and row pitch, node box, margin.
COLUMN_WIDTH, ROW_HEIGHT, BOX_WIDTH, BOX_HEIGHT, MARGIN = 320, 64, 176, 40, 24
#: Node names: font size, characters per line; edge labels: font size, longest label.
NAME_FONT, NAME_CHARS, LABEL_FONT, LABEL_CHARS = 11, 22, 10, 30
#: A monospace glyph's advance as a share of the font size (0.6 in common monospace
#: fonts; a little more, so a box is never smaller than what is drawn).
MONO_ADVANCE = 0.62
#: Where along its curve a label may sit, tried in this order.
LABEL_SPOTS = (0.5, 0.38, 0.62, 0.28, 0.72, 0.44, 0.56, 0.2, 0.8, 0.33, 0.67, 0.14, 0.86)

#: CSS the page needs for the picture.
PICTURE_STYLE = (
    "svg.paths{border:1px solid #ddd;background:#fff;max-width:100%;height:auto}"
    "svg.paths text{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace}"
    "svg.paths .name{font-size:11px}"
    "svg.paths .edge-label{font-size:10px;fill:#444}"
    "svg.paths .label-bg{fill:#fff;fill-opacity:0.85}"
)


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle: left, top, width, height."""

    x: float
    y: float
    w: float
    h: float

    def meets(self, other: Box) -> bool:
        return not (self.x + self.w <= other.x or other.x + other.w <= self.x
                    or self.y + self.h <= other.y or other.y + other.h <= self.y)


@dataclass(frozen=True, slots=True)
class Canvas:
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
        in_column = sum(1 for v in self.place.values() if v[0] == c)
        offset = (self.rows - in_column) * ROW_HEIGHT / 2
        return (MARGIN + c * COLUMN_WIDTH + BOX_WIDTH / 2,
                MARGIN + offset + r * ROW_HEIGHT + BOX_HEIGHT / 2)

    def box(self, node_id: str, margin: float = 0.0) -> Box:
        x, y = self.centre(node_id)
        return Box(x - BOX_WIDTH / 2 - margin, y - BOX_HEIGHT / 2 - margin,
                   BOX_WIDTH + 2 * margin, BOX_HEIGHT + 2 * margin)


def layout(paths: Sequence[RankedPath]) -> Canvas:
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
    return Canvas(place, last + 1, max(len(ids) for ids in rows.values()))


@dataclass(frozen=True, slots=True)
class DrawnHop:
    """One statement drawn once for every path through it: their summed share and ranks."""

    hop: Hop
    share: float
    ranks: tuple[int, ...]


def drawn_hops(paths: Sequence[RankedPath]) -> list[DrawnHop]:
    """Each statement once, in the order first met."""
    hops: dict[tuple[str, str, str], DrawnHop] = {}
    for path in paths:
        for hop in path.hops:
            key = (hop.source, hop.target, hop.edge_type)
            known = hops.get(key, DrawnHop(hop, 0.0, ()))
            hops[key] = DrawnHop(hop, known.share + path.share, (*known.ranks, path.rank))
    return list(hops.values())


Point = tuple[float, float]
Curve = tuple[Point, Point, Point, Point]


def curve(canvas: Canvas, hop: Hop) -> Curve:
    """The cubic Bézier a hop is drawn as: box side to box side, or an arc out of the
    right-hand sides when both ends share a column."""
    (x1, y1), (x2, y2) = canvas.centre(hop.source), canvas.centre(hop.target)
    half = BOX_WIDTH / 2
    if canvas.place[hop.source][0] == canvas.place[hop.target][0]:
        return (x1 + half, y1), (x1 + half + 90, y1), (x2 + half + 90, y2), (x2 + half, y2)
    if x1 < x2:
        x1, x2 = x1 + half, x2 - half
    else:
        x1, x2 = x1 - half, x2 + half
    bend = (x2 - x1) / 2
    return (x1, y1), (x1 + bend, y1), (x2 - bend, y2), (x2, y2)


def point_at(c: Curve, t: float) -> Point:
    """The point at parameter ``t`` of a cubic Bézier."""
    u = 1 - t
    weights = (u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t)
    return (sum(w * p[0] for w, p in zip(weights, c, strict=True)),
            sum(w * p[1] for w, p in zip(weights, c, strict=True)))


def label_box(centre: Point, text: str) -> Box:
    """The box a monospace label centred on ``centre`` covers (with a pixel to spare)."""
    w = len(text) * LABEL_FONT * MONO_ADVANCE + 4
    h = LABEL_FONT * 1.3 + 2
    return Box(centre[0] - w / 2, centre[1] - h / 2, w, h)


def place_labels(canvas: Canvas, hops: Sequence[DrawnHop]) -> dict[int, tuple[Point, Box]]:
    """Where each hop's label goes (by index in ``hops``): the first spot along its curve
    whose box meets no node box and no label placed before; hops without one are left out.
    Hops with the larger share choose first."""
    taken = [canvas.box(n, margin=3) for n in canvas.place]
    placed: dict[int, tuple[Point, Box]] = {}
    for i in sorted(range(len(hops)), key=lambda i: (-hops[i].share, i)):
        text = short(verb(hops[i].hop), LABEL_CHARS)
        path = curve(canvas, hops[i].hop)
        for t in LABEL_SPOTS:
            spot = point_at(path, t)
            box = label_box(spot, text)
            if not any(box.meets(other) for other in taken):
                placed[i] = (spot, box)
                taken.append(box)
                break
    return placed


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def name_lines(name: str, per_line: int = NAME_CHARS) -> list[str]:
    """A node name wrapped at spaces onto at most two lines, the second cut with ``…``.

    >>> name_lines("Costimulation by the CD28 family")
    ['Costimulation by the', 'CD28 family']
    >>> name_lines("CD86")
    ['CD86']
    """
    words, lines, line = name.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > per_line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return [short(text, per_line) for text in lines]


def node_svg(canvas: Canvas, node: PathNode) -> str:
    """A box coloured by the node's kind, its name inside (monospace: two lines of
    ``NAME_CHARS`` always fit the box), the full name, kind and id on hover."""
    box = canvas.box(node.id)
    colour = KIND_COLOURS.get(node.kind, "#cccccc")
    lines = name_lines(node.name)
    texts = []
    for i, line in enumerate(lines):
        y = box.y + box.h / 2 + NAME_FONT * 1.2 * (i - (len(lines) - 1) / 2) + NAME_FONT * 0.35
        texts.append(f"<text class=\"name\" x=\"{box.x + box.w / 2:.1f}\" y=\"{y:.1f}\" "
                     f"text-anchor=\"middle\">{escape(line)}</text>")
    return (f"<g class=\"node\" data-id=\"{escape(node.id)}\"><title>{escape(node.name)} "
            f"({escape(node.kind)}, {escape(node.id)})</title>"
            f"<rect x=\"{box.x:.1f}\" y=\"{box.y:.1f}\" width=\"{box.w}\" height=\"{box.h}\" "
            f"rx=\"6\" fill=\"{colour}\" fill-opacity=\"0.22\" stroke=\"{colour}\" "
            f"stroke-width=\"1.5\"/>{''.join(texts)}</g>")


def hop_svg(canvas: Canvas, names: dict[str, str], drawn: DrawnHop, top_share: float,
            label: tuple[Point, Box] | None) -> str:
    """A hop's curve, coloured by sign, as thick as its share, dashed when walked against
    its stored direction, the arrow pointing the stored way; its statement on hover (read
    the way it is stored), its label where :func:`place_labels` put it."""
    hop = drawn.hop
    (p0, p1, p2, p3) = curve(canvas, hop)
    colour = SIGN_COLOURS.get(hop.sign or 0, NEUTRAL_COLOUR)
    marker = {1: "up", -1: "down"}.get(hop.sign or 0, "none")
    end = "marker-start" if hop.direction == "reverse" else "marker-end"
    dash = " stroke-dasharray=\"5 4\"" if hop.direction == "reverse" else ""
    walked = " (the paths walk it backwards)" if hop.direction == "reverse" else ""
    tip = (f"{statement_text(hop, names)}{walked}; paths {', '.join(map(str, drawn.ranks))}; "
           f"sources: {', '.join(hop.sources) or 'none recorded'}")
    out = [f"<g class=\"hop\"><title>{escape(tip)}</title>"
           f"<path d=\"M{p0[0]:.1f},{p0[1]:.1f} C{p1[0]:.1f},{p1[1]:.1f} {p2[0]:.1f},"
           f"{p2[1]:.1f} {p3[0]:.1f},{p3[1]:.1f}\" fill=\"none\" stroke=\"{colour}\" "
           f"stroke-width=\"{1.2 + 4.0 * drawn.share / top_share:.1f}\" stroke-opacity=\"0.8\""
           f"{dash} {end}=\"url(#arrow-{marker})\"/>"]
    if label is not None:
        (x, y), box = label
        out.append(f"<rect class=\"label-bg\" x=\"{box.x:.1f}\" y=\"{box.y:.1f}\" "
                   f"width=\"{box.w:.1f}\" height=\"{box.h:.1f}\" rx=\"2\"/>"
                   f"<text class=\"edge-label\" x=\"{x:.1f}\" y=\"{y + LABEL_FONT * 0.35:.1f}\" "
                   f"text-anchor=\"middle\">{escape(short(verb(hop), LABEL_CHARS))}</text>")
    return "".join(out) + "</g>"


def arrow_markers() -> str:
    """Arrow heads, one per sign colour."""
    return "<defs>" + "".join(
        f"<marker id=\"arrow-{name}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
        f"markerWidth=\"9\" markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" "
        f"orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{colour}\"/>"
        "</marker>"
        for name, colour in (("up", SIGN_COLOURS[1]), ("down", SIGN_COLOURS[-1]),
                             ("none", NEUTRAL_COLOUR))) + "</defs>"


def svg_picture(paths: Sequence[RankedPath]) -> str:
    """An inline SVG of the given paths (see the module docstring)."""
    canvas = layout(paths)
    nodes = {n.id: n for p in paths for n in p.nodes}
    names = {n.id: n.name for n in nodes.values()}
    hops = drawn_hops(paths)
    labels = place_labels(canvas, hops)
    top_share = max((h.share for h in hops), default=1.0) or 1.0
    out = [f"<svg class=\"paths\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{canvas.width}\" "
           f"height=\"{canvas.height}\" viewBox=\"0 0 {canvas.width} {canvas.height}\" "
           "role=\"img\" aria-label=\"top mechanism paths\">", arrow_markers()]
    out += [hop_svg(canvas, names, drawn, top_share, labels.get(i))
            for i, drawn in enumerate(hops)]
    out += [node_svg(canvas, node) for node in nodes.values()]
    out.append("</svg>")
    return "\n".join(out)


__all__ = ["KIND_COLOURS", "NEUTRAL_COLOUR", "PICTURE_STYLE", "SIGN_COLOURS", "Box",
           "Canvas", "layout", "name_lines", "place_labels", "svg_picture"]
