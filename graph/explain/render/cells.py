"""What the text and Markdown renderings share: how one value of an explanation reads.

Shares as percents, scores to four significant digits, a hop as an arrow
(``-[TYPE]->`` when an edge is stored in path order or both ways, ``<-[TYPE]-``
when it is stored only the other way round), a sign as ``+``, ``−``, ``0`` or
``?``, a path as one line of names and arrows, and the rows of the first- and
last-edge tables.

>>> share_text(0.1234), score_text(0.012345), local_id("PMID:31129111")
('12.3%', '0.01235', '31129111')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from graph.explain.explanation import EdgeContribution, Explanation, Hop, RankedPath
from graph.explain.metagraph import Metapath

#: How each net direction reads in a table: coherent paths lower the disease.
NET_LABELS = {"decreases": "lowers", "increases": "RAISES (incoherent)", "unknown": "unknown"}
_SIGNS = {1: "+", -1: "−", 0: "0"}


def local_id(curie: str) -> str:
    """The part of a CURIE after its prefix."""
    return curie.split(":", 1)[1] if ":" in curie else curie


def coverage_text(explanation: Explanation) -> str:
    """What the path count and tables cover, when that is not every path (else "").

    >>> from graph.explain.explanation import PathNode
    >>> node = PathNode(id="x:1", kind="Drug", name="x")
    >>> e = Explanation(drug=node, disease=node, damping=0.4, min_hops=2, max_hops=4,
    ...     path_count=3, total=1.0, paths=(), metapaths=(), first_edges=(), last_edges=(),
    ...     search="bounded", complete=False, score_floor=0.0001)
    >>> coverage_text(e)
    ' scoring at least 0.0001 (all of those; every other path scores less)'
    """
    if explanation.complete:
        return ""
    if explanation.score_floor is not None:
        return (f" scoring at least {explanation.score_floor:.4g} "
                "(all of those; every other path scores less)")
    return f" (found by the {explanation.search} search; the tables cover these only)"


def share_text(share: float) -> str:
    return f"{share * 100:.1f}%"


def score_text(value: float) -> str:
    return f"{value:.4g}"


def arrow(hop: Hop) -> str:
    return f"<-[{hop.edge_type}]-" if hop.direction == "reverse" else f"-[{hop.edge_type}]->"


def path_text(path: RankedPath) -> str:
    """``Belatacept -[TARGETS]-> CD86 -[ASSOCIATED_WITH]-> myeloma``."""
    parts = [path.nodes[0].name]
    for hop, node in zip(path.hops, path.nodes[1:], strict=True):
        parts += [arrow(hop), node.name]
    return " ".join(parts)


def verb(hop: Hop) -> str:
    """The statement's own wording, else its edge type in words (``interacts with``)."""
    return hop.predicate or hop.edge_type.lower().replace("_", " ")


def statement_text(hop: Hop, names: Mapping[str, str]) -> str:
    """The statement a hop walks, read the way it is stored (a reverse hop is read from
    its later node): ``CD28 interacts with CD86``, never ``CD86 interacts with CD28``.

    >>> hop = Hop(source="g", target="c", edge_type="TARGETS", direction="reverse")
    >>> statement_text(hop, {"g": "CD80", "c": "Abatacept"})
    'Abatacept targets CD80'
    """
    subject, obj = ((hop.target, hop.source) if hop.direction == "reverse"
                    else (hop.source, hop.target))
    return f"{names.get(subject, subject)} {verb(hop)} {names.get(obj, obj)}"


def metapath_reading(code: str) -> str:
    """``CtGaD`` spelled out: ``Drug–TARGETS–Gene–ASSOCIATED_WITH–Disease``.

    >>> metapath_reading("CtGaD")
    'Drug–TARGETS–Gene–ASSOCIATED_WITH–Disease'
    """
    try:
        return str(Metapath.from_abbreviation(code))
    except ValueError:
        return code


def sign_mark(hop: Hop) -> str:
    return _SIGNS.get(hop.sign, "?") if hop.sign is not None else "?"


def edge_rows(rows: Sequence[EdgeContribution], *,
              last: bool) -> list[list[str | int | float]]:
    """Cells of a first-edge (or, ``last``, last-edge) table: edge, kind, paths, DWPC (the
    summed PDP of the paths through the edge; ``score`` in JSON), share."""
    result: list[list[str | int | float]] = []
    for row in rows:
        hop = Hop(source="", target="", edge_type=row.edge_type, direction=row.direction)
        edge = f"{row.node.name} {arrow(hop)}" if last else f"{arrow(hop)} {row.node.name}"
        result.append([edge, row.node.kind, row.path_count, row.score, share_text(row.share)])
    return result


__all__ = [
    "NET_LABELS",
    "arrow",
    "coverage_text",
    "edge_rows",
    "local_id",
    "metapath_reading",
    "path_text",
    "score_text",
    "share_text",
    "sign_mark",
    "statement_text",
    "verb",
]
