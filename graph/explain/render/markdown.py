"""The Markdown rendering of an explanation: the tables of the text rendering, PMIDs linked."""

from __future__ import annotations

from graph.explain.explanation import Explanation, Hop
from graph.explain.render.cells import (
    NET_LABELS,
    edge_rows,
    local_id,
    path_text,
    score_text,
    share_text,
    sign_mark,
)


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def _md_evidence(hop: Hop) -> str:
    bits = [", ".join(_md(s) for s in hop.sources) or "—"]
    bits += [f"[PMID {local_id(p)}](https://pubmed.ncbi.nlm.nih.gov/{local_id(p)}/)"
             for p in hop.pmids]
    bits += [f"[{local_id(n)}](https://clinicaltrials.gov/study/{local_id(n)})"
             for n in hop.nct_ids]
    return "; ".join(bits)


def format_markdown(explanation: Explanation) -> str:
    """A Markdown rendering: the tables of :func:`~graph.explain.render.text.format_text`,
    PMIDs and trials linked."""
    e = explanation
    out = [
        f"## {_md(e.drug.name)} → {_md(e.disease.name)}",
        "",
        f"`{e.drug.id}` → `{e.disease.id}`: {e.path_count} mechanism paths of "
        f"{e.min_hops}–{e.max_hops} hops, damping w = {e.damping:g}, "
        f"total DWPC {score_text(e.total)}, ranked by {e.ranking}. The *disease* column is "
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
        evidence = "<br>".join(f"{_md(h.predicate or h.edge_type)} ({sign_mark(h)}): "
                               f"{_md_evidence(h)}" for h in p.hops)
        out.append(f"| {p.rank} | {share_text(p.share)} | {score_text(p.pdp)} | `{p.metapath}` | "
                   f"{_md(NET_LABELS[p.net_direction])} | {_md(path_text(p))} | {evidence} |")
    out += ["", "### Metapaths", "", "| metapath | paths | DWPC | share | reads |",
            "|---|---:|---:|---:|---|"]
    out += [f"| `{m.metapath}` | {m.path_count} | {score_text(m.dwpc)} | {share_text(m.share)} | "
            f"{_md(m.description)} |" for m in e.metapaths]
    for title, contributions, last in (("First edges", e.first_edges, False),
                                       ("Last edges", e.last_edges, True)):
        out += ["", f"### {title}", "", "| edge | kind | paths | score | share |",
                "|---|---|---:|---:|---:|"]
        out += [f"| {_md(r[0])} | {r[1]} | {r[2]} | {r[3]} | {r[4]} |"
                for r in edge_rows(contributions, last=last)]
    return "\n".join(out) + "\n"


__all__ = ["format_markdown"]
