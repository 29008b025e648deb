"""The terminal rendering of an explanation: top paths with per-hop evidence, then tables.

Hops are drawn as :func:`~graph.explain.render.cells.arrow` draws them; the
tables that follow give each metapath's, first edge's and last edge's share.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.explain.explanation import Explanation, Hop
from graph.explain.render.cells import (
    NET_LABELS,
    arrow,
    edge_rows,
    local_id,
    path_text,
    score_text,
    share_text,
    sign_mark,
)


def _evidence(hop: Hop) -> str:
    bits = [", ".join(hop.sources) if hop.sources else "no source recorded"]
    if hop.predicate:
        bits.insert(0, f"{hop.predicate!r} ({sign_mark(hop)})")
    if hop.pmids:
        bits.append("PMIDs " + ", ".join(local_id(p) for p in hop.pmids))
    if hop.nct_ids:
        bits.append("trials " + ", ".join(local_id(n) for n in hop.nct_ids))
    return "; ".join(bits)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: frozenset[int],
           indent: str = "") -> list[str]:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        padded = (c.rjust(w) if i in numeric else c.ljust(w)
                  for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        return (indent + "  ".join(padded)).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def format_text(explanation: Explanation, *, evidence: bool = True,
                limit: int | None = 10) -> str:
    """A terminal rendering: top paths with per-hop evidence, then the contribution tables.

    ``limit`` caps the rows of each contribution table (``None``: all);
    ``evidence=False`` leaves out the per-hop evidence lines.
    """
    e = explanation
    lines = [
        f"{e.drug.name} ({e.drug.id}) → {e.disease.name} ({e.disease.id})",
        f"{e.path_count} mechanism path{'s' * (e.path_count != 1)} of "
        f"{e.min_hops}–{e.max_hops} hops; damping w = {e.damping:g}; "
        f"total DWPC {score_text(e.total)}; ranked by {e.ranking}",
    ]
    if not e.paths:
        lines.append("No mechanism path joins them within these limits.")
        return "\n".join(lines) + "\n"
    lines += ["", f"Top {len(e.paths)} paths (net effect: what the chain of predicate signs says "
              "the drug does to the disease)"]
    rows = [[str(p.rank), share_text(p.share), score_text(p.pdp), p.metapath,
             NET_LABELS[p.net_direction], path_text(p)] for p in e.paths]
    table = _table(["rank", "share", "PDP", "metapath", "net effect", "path"], rows,
                   frozenset({0, 1, 2}))
    lines += table[:2]
    pad = " " * (len(table[0]) - len("path"))
    for path, row_line in zip(e.paths, table[2:], strict=True):
        lines.append(row_line)
        if evidence:
            for hop, u, v in zip(path.hops, path.nodes[:-1], path.nodes[1:], strict=True):
                lines.append(f"{pad}· {u.name} {arrow(hop)} {v.name}: {_evidence(hop)}")
    lines += ["", "Metapaths"]
    lines += _table(["metapath", "paths", "DWPC", "share", "reads"],
                    [[m.metapath, str(m.path_count), score_text(m.dwpc), share_text(m.share),
                      m.description] for m in e.metapaths[:limit]], frozenset({1, 2, 3}))
    for title, contributions, last in (
        (f"First edges ({e.drug.name} → …)", e.first_edges, False),
        (f"Last edges (… → {e.disease.name})", e.last_edges, True),
    ):
        lines += ["", title]
        lines += _table(["edge", "kind", "paths", "score", "share"],
                        edge_rows(contributions[:limit], last=last), frozenset({2, 3, 4}))
    return "\n".join(lines) + "\n"


__all__ = ["format_text"]
