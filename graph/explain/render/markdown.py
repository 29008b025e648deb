"""The Markdown rendering of explanations: what the text rendering says, with PMIDs and
trials linked, for a report or a notebook."""

from __future__ import annotations

from collections.abc import Sequence

from graph.explain.explanation import Explanation, Hop
from graph.explain.render.cells import (
    NET_LABELS,
    coverage_text,
    edge_rows,
    local_id,
    path_text,
    score_text,
    share_text,
    sign_mark,
    statement_text,
)
from graph.explain.render.report import (
    LEGEND_REST,
    ExplainedPair,
    as_pair,
    evidence_count,
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
from graph.table import more_line


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def pubmed_link(pmid: str) -> str:
    """``[PMID 123](https://pubmed.ncbi.nlm.nih.gov/123/)`` for ``PMID:123``."""
    return f"[PMID {local_id(pmid)}](https://pubmed.ncbi.nlm.nih.gov/{local_id(pmid)}/)"


def trial_link(nct: str) -> str:
    """``[NCT0…](https://clinicaltrials.gov/study/NCT0…)`` for a trial id."""
    return f"[{local_id(nct)}](https://clinicaltrials.gov/study/{local_id(nct)})"


def _md_evidence(hop: Hop, names: dict[str, str]) -> str:
    bits = [_md(statement_text(hop, names)) + (f" ({sign_mark(hop)})" if hop.predicate else ""),
            ", ".join(_md(s) for s in hop.sources) or "—"]
    bits += [pubmed_link(p) for p in hop.pmids]
    bits += [trial_link(n) for n in hop.nct_ids]
    return "; ".join(bits)


def _more(out: list[str], shown: int, total: int, what: str, hint: str) -> None:
    line = more_line(shown, total, what, hint=hint)
    if line:
        out += ["", line]


def format_markdown(explanation: Explanation, *, limit: int | None = None,
                    title: bool = True) -> str:
    """One explanation: the pair as a heading (unless ``title=False``), its top paths
    (each hop's statement and evidence), then the metapath, first-edge and last-edge
    tables (``limit`` rows each; ``None``: all)."""
    e = explanation
    out = [f"## {_md(e.drug.name)} → {_md(e.disease.name)}", ""] if title else []
    out += [f"`{e.drug.id}` → `{e.disease.id}`: {e.path_count} mechanism paths of "
            f"{e.min_hops}–{e.max_hops} hops{coverage_text(e)}, damping w = {e.damping:g}, "
            f"ranking {e.ranking}.",
            ""]
    if not e.paths:
        return "\n".join([*out, "No mechanism path joins them within these limits.", ""])
    out += ["### Top paths, best score first", "",
            "| rank | score | effect | path | evidence |", "|---:|---:|---|---|---|"]
    for p in e.paths:
        names = {n.id: n.name for n in p.nodes}
        evidence = "<br>".join(_md_evidence(h, names) for h in p.hops)
        out.append(f"| {p.rank} | {score_text(p.score)} | {_md(NET_LABELS[p.net_direction])} "
                   f"| {_md(path_text(p))} | {evidence} |")
    _more(out, len(e.paths), e.path_count, "paths", "use --top")
    shown = e.metapaths[:limit] if limit else e.metapaths
    out += ["", "### Metapaths", "", "| metapath | reads | paths | DWPC | share |",
            "|---|---|---:|---:|---:|"]
    out += [f"| `{m.metapath}` | {_md(m.description)} | {m.path_count} | {score_text(m.dwpc)} "
            f"| {share_text(m.share)} |" for m in shown]
    _more(out, len(shown), len(e.metapaths), "metapaths", "use --limit")
    for heading, contributions, last in (("First edges", e.first_edges, False),
                                       ("Last edges", e.last_edges, True)):
        rows = contributions[:limit] if limit else contributions
        out += ["", f"### {heading}", "", "| edge | kind | paths | DWPC | share |",
                "|---|---|---:|---:|---:|"]
        out += [f"| {_md(str(r[0]))} | {r[1]} | {r[2]} | {score_text(float(r[3]))} | {r[4]} |"
                for r in edge_rows(rows, last=last)]
        _more(out, len(rows), len(contributions), "edges", "use --limit")
    return "\n".join(out) + "\n"


def _header(pair: ExplainedPair) -> list[str]:
    e = pair.explanation
    out = [f"## {_md(e.drug.name)} → {_md(e.disease.name)}", "", _md(prediction_line(pair))
           + (f"; {evidence_count(pair)}" if pair.prediction is not None else "") + ".", ""]
    rows = ([f"| {trial_link(t.id)} | {_md(trial_facts(t))} |" for t in trials(pair)]
            + [f"| {pubmed_link(p.id)} | {_md(publication_facts(p))} |"
               for p in publications(pair)])
    if rows:
        out += ["| evidence | |", "|---|---|", *rows, ""]
    return out


def format_markdown_report(items: Sequence[Explanation | ExplainedPair], *,
                           limit: int | None = None) -> str:
    """Every explained pair, as ``txkg explain --format markdown`` prints them: a summary,
    each pair with paths in full, those without in one table with what would join them,
    and the legend of the numbers."""
    pairs = [as_pair(i) for i in items]
    out = ["# txkg explain", "", _md(summary_line(pairs)) + ".", ""]
    for pair in pairs:
        if pair.explanation.paths:
            out += [*_header(pair), format_markdown(pair.explanation, limit=limit, title=False)]
    without = [p for p in pairs if not p.explanation.paths]
    if without:
        out += ["## Without a mechanism path", "", "| indication | model score | "
                "what would join them |", "|---|---:|---|"]
        out += [f"| {_md(p.explanation.drug.name)} → {_md(p.explanation.disease.name)} | "
                f"{model_score(p)} | {_md(no_path_hint(p))} |" for p in without]
        out.append("")
    explained = [p for p in pairs if p.explanation.paths]
    if explained:
        out += ["## What the numbers mean", ""]
        out += [f"- {_md(line)}" for line in (score_legend(explained[0].explanation),
                                               *LEGEND_REST)]
        out.append("")
    return "\n".join(out)


__all__ = ["format_markdown", "format_markdown_report", "pubmed_link", "trial_link"]
