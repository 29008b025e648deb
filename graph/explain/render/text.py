"""Renderings of an :class:`~graph.explain.explanation.Explanation`: text, Markdown, JSON.

``explanation_to_dict`` is the stable JSON form (schema ``txkg.explanation/1``,
documented in ``docs/explain.md``); ``format_text`` is for a terminal;
``format_markdown`` for a report or a notebook.

A hop is drawn ``-[TYPE]->`` when an edge is stored in path order (or both
ways) and ``<-[TYPE]-`` when it is stored only the other way round.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.explain.explanation import EdgeContribution, Explanation, Hop, RankedPath

#: Version tag of the JSON form; bump it when a field changes meaning or goes.
SCHEMA = "txkg.explanation/1"


def explanation_to_dict(explanation: Explanation) -> dict[str, Any]:
    """Plain JSON-ready data: ``{"schema": SCHEMA, ...every Explanation field}``.

    >>> from graph.explain.explanation import PathNode
    >>> node = PathNode(id="x:1", kind="Drug", name="x")
    >>> empty = Explanation(drug=node, disease=node, damping=0.4, min_hops=2, max_hops=4,
    ...     path_count=0, total=0.0, paths=(), metapaths=(), first_edges=(), last_edges=())
    >>> sorted(explanation_to_dict(empty))  # doctest: +NORMALIZE_WHITESPACE
    ['damping', 'disease', 'drug', 'first_edges', 'last_edges', 'max_hops', 'metapaths',
     'min_hops', 'path_count', 'paths', 'ranking', 'schema', 'total']
    """
    return {"schema": SCHEMA, **explanation.model_dump(mode="json")}


def _local(curie: str) -> str:
    return curie.split(":", 1)[1] if ":" in curie else curie


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def _score(value: float) -> str:
    return f"{value:.4g}"


def _arrow(hop: Hop) -> str:
    return f"<-[{hop.edge_type}]-" if hop.direction == "reverse" else f"-[{hop.edge_type}]->"


def path_text(path: RankedPath) -> str:
    """``Belatacept -[TARGETS]-> CD86 -[ASSOCIATED_WITH]-> myeloma``."""
    parts = [path.nodes[0].name]
    for hop, node in zip(path.hops, path.nodes[1:], strict=True):
        parts += [_arrow(hop), node.name]
    return " ".join(parts)


#: How each net direction reads in a table: coherent paths lower the disease.
NET_LABELS = {"decreases": "lowers", "increases": "RAISES (incoherent)", "unknown": "unknown"}
_SIGNS = {1: "+", -1: "−", 0: "0"}


def _sign(hop: Hop) -> str:
    return _SIGNS.get(hop.sign, "?") if hop.sign is not None else "?"


def _evidence(hop: Hop) -> str:
    bits = [", ".join(hop.sources) if hop.sources else "no source recorded"]
    if hop.predicate:
        bits.insert(0, f"{hop.predicate!r} ({_sign(hop)})")
    if hop.pmids:
        bits.append("PMIDs " + ", ".join(_local(p) for p in hop.pmids))
    if hop.nct_ids:
        bits.append("trials " + ", ".join(_local(n) for n in hop.nct_ids))
    return "; ".join(bits)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: frozenset[int],
           indent: str = "") -> list[str]:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        padded = (c.rjust(w) if i in numeric else c.ljust(w)
                  for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        return (indent + "  ".join(padded)).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _edge_rows(rows: Sequence[EdgeContribution], *, last: bool) -> list[list[str]]:
    result = []
    for row in rows:
        hop = Hop(source="", target="", edge_type=row.edge_type, direction=row.direction)
        edge = f"{row.node.name} {_arrow(hop)}" if last else f"{_arrow(hop)} {row.node.name}"
        result.append([edge, row.node.kind, str(row.path_count), _score(row.score),
                       _percent(row.share)])
    return result


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
        f"total DWPC {_score(e.total)}; ranked by {e.ranking}",
    ]
    if not e.paths:
        lines.append("No mechanism path joins them within these limits.")
        return "\n".join(lines) + "\n"
    lines += ["", f"Top {len(e.paths)} paths (net effect: what the chain of predicate signs says "
              "the drug does to the disease)"]
    rows = [[str(p.rank), _percent(p.share), _score(p.pdp), p.metapath,
             NET_LABELS[p.net_direction], path_text(p)] for p in e.paths]
    table = _table(["rank", "share", "PDP", "metapath", "net effect", "path"], rows,
                   frozenset({0, 1, 2}))
    lines += table[:2]
    pad = " " * (len(table[0]) - len("path"))
    for path, row_line in zip(e.paths, table[2:], strict=True):
        lines.append(row_line)
        if evidence:
            for hop, u, v in zip(path.hops, path.nodes[:-1], path.nodes[1:], strict=True):
                lines.append(f"{pad}· {u.name} {_arrow(hop)} {v.name}: {_evidence(hop)}")
    lines += ["", "Metapaths"]
    lines += _table(["metapath", "paths", "DWPC", "share", "reads"],
                    [[m.metapath, str(m.path_count), _score(m.dwpc), _percent(m.share),
                      m.description] for m in e.metapaths[:limit]], frozenset({1, 2, 3}))
    for title, contributions, last in (
        (f"First edges ({e.drug.name} → …)", e.first_edges, False),
        (f"Last edges (… → {e.disease.name})", e.last_edges, True),
    ):
        lines += ["", title]
        lines += _table(["edge", "kind", "paths", "score", "share"],
                        _edge_rows(contributions[:limit], last=last), frozenset({2, 3, 4}))
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def _md_evidence(hop: Hop) -> str:
    bits = [", ".join(_md(s) for s in hop.sources) or "—"]
    bits += [f"[PMID {_local(p)}](https://pubmed.ncbi.nlm.nih.gov/{_local(p)}/)"
             for p in hop.pmids]
    bits += [f"[{_local(n)}](https://clinicaltrials.gov/study/{_local(n)})" for n in hop.nct_ids]
    return "; ".join(bits)


def format_markdown(explanation: Explanation) -> str:
    """A Markdown rendering: the same tables as :func:`format_text`, PMIDs linked."""
    e = explanation
    out = [
        f"## {_md(e.drug.name)} → {_md(e.disease.name)}",
        "",
        f"`{e.drug.id}` → `{e.disease.id}`: {e.path_count} mechanism paths of "
        f"{e.min_hops}–{e.max_hops} hops, damping w = {e.damping:g}, "
        f"total DWPC {_score(e.total)}, ranked by {e.ranking}. The *disease* column is "
        "the net direction of each path from its hops' signs: *lowers* is a coherent "
        "therapeutic reading, *RAISES* an incoherent one (flagged, not hidden).",
        "",
    ]
    if not e.paths:
        return "\n".join([*out, "No mechanism path joins them within these limits.", ""])
    out += ["### Top paths", "",
            "| rank | share | PDP | metapath | disease | path | evidence |",
            "|---:|---:|---:|---|---|---|---|"]
    for p in e.paths:
        evidence = "<br>".join(f"{_md(h.predicate or h.edge_type)} ({_sign(h)}): "
                               f"{_md_evidence(h)}" for h in p.hops)
        out.append(f"| {p.rank} | {_percent(p.share)} | {_score(p.pdp)} | `{p.metapath}` | "
                   f"{_md(NET_LABELS[p.net_direction])} | {_md(path_text(p))} | {evidence} |")
    out += ["", "### Metapaths", "", "| metapath | paths | DWPC | share | reads |",
            "|---|---:|---:|---:|---|"]
    out += [f"| `{m.metapath}` | {m.path_count} | {_score(m.dwpc)} | {_percent(m.share)} | "
            f"{_md(m.description)} |" for m in e.metapaths]
    for title, contributions, last in (("First edges", e.first_edges, False),
                                       ("Last edges", e.last_edges, True)):
        out += ["", f"### {title}", "", "| edge | kind | paths | score | share |",
                "|---|---|---:|---:|---:|"]
        out += [f"| {_md(r[0])} | {r[1]} | {r[2]} | {r[3]} | {r[4]} |"
                for r in _edge_rows(contributions, last=last)]
    return "\n".join(out) + "\n"


__all__ = ["NET_LABELS", "SCHEMA", "explanation_to_dict", "format_markdown", "format_text",
           "path_text"]
