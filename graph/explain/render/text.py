"""The terminal rendering of explanations: a summary first, then each explained pair
(its prediction and evidence, its top paths with every hop read as the statement it
is, the metapath and edge tables), the pairs without a path in one line each with
what would join them, and the legend of the numbers once at the end.

Every table fits ``width`` (the CLI passes the terminal's); a cut cell ends in ``…``
and a cut list says how many rows it left out.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from graph.explain.explanation import Explanation, Hop, RankedPath
from graph.explain.render.cells import (
    NET_LABELS,
    coverage_text,
    edge_rows,
    local_id,
    path_text,
    share_text,
    sign_mark,
    statement_text,
)
from graph.explain.render.report import (
    LEGEND_REST,
    REASON_WORDS,
    REMEDIES,
    ExplainedPair,
    as_pair,
    evidence_count,
    model_score,
    no_path_hint,
    no_path_reason,
    prediction_line,
    publication_facts,
    publications,
    score_legend,
    summary_line,
    trial_facts,
    trials,
)
from graph.table import cut, fit_table, more_line


def _evidence(hop: Hop, names: dict[str, str]) -> str:
    bits = [statement_text(hop, names) + (f" ({sign_mark(hop)})" if hop.predicate else ""),
            ", ".join(hop.sources) if hop.sources else "no source recorded"]
    if hop.pmids:
        bits.append("PMID " + ", ".join(local_id(p) for p in hop.pmids))
    if hop.nct_ids:
        bits.append("trials " + ", ".join(local_id(n) for n in hop.nct_ids))
    return "; ".join(bits)


def _fit(text: str, width: int | None) -> str:
    return text if width is None else cut(text, width)


def _more(lines: list[str], shown: int, total: int, what: str, hint: str) -> None:
    line = more_line(shown, total, what, hint=hint)
    if line:
        lines.append(line)


def _path_lines(e: Explanation, *, evidence: bool, width: int | None) -> list[str]:
    rows = [[p.rank, float(p.score), _effect(p), path_text(p)] for p in e.paths]
    table = fit_table(["rank", "score", "effect", "path"], rows, width=width).splitlines()
    pad = " " * table[0].index("path")
    lines = table[:2]
    for path, row_line in zip(e.paths, table[2:], strict=True):
        lines.append(row_line)
        if evidence:
            names = {n.id: n.name for n in path.nodes}
            lines += [_fit(f"{pad}· {_evidence(hop, names)}", width) for hop in path.hops]
    return lines


def _effect(path: RankedPath) -> str:
    return NET_LABELS[path.net_direction]


def format_text(explanation: Explanation, *, evidence: bool = True, limit: int | None = 10,
                width: int | None = None, title: bool = True) -> str:
    """One explanation: the pair (unless ``title=False``), its top paths (each hop's
    statement and evidence below it unless ``evidence=False``), then the metapath,
    first-edge and last-edge tables, each cut at ``limit`` rows (``None``: all), every
    line at most ``width`` characters."""
    e = explanation
    lines = [f"{e.drug.name} ({e.drug.id}) → {e.disease.name} ({e.disease.id})"] if title else []
    lines.append(_fit(f"{e.path_count} mechanism path{'s' * (e.path_count != 1)} of "
                      f"{e.min_hops}–{e.max_hops} hops between {e.drug.id} and {e.disease.id}"
                      f"{coverage_text(e)} (damping w = {e.damping:g}, ranking {e.ranking})",
                      width))
    if not e.paths:
        return "\n".join([*lines, "No mechanism path joins them within these limits."]) + "\n"
    lines += ["", f"Top {len(e.paths)} paths, best score first"]
    lines += _path_lines(e, evidence=evidence, width=width)
    _more(lines, len(e.paths), e.path_count, "paths", "use --top")
    shown = e.metapaths[:limit] if limit else e.metapaths
    lines += ["", "Metapaths"]
    lines += fit_table(["metapath", "paths", "DWPC", "share", "reads"],
                       [[m.metapath, m.path_count, m.dwpc, share_text(m.share), m.description]
                        for m in shown], width=width).splitlines()
    _more(lines, len(shown), len(e.metapaths), "metapaths", "use --limit")
    for heading, contributions, last in (
        (f"First edges ({e.drug.name} → …)", e.first_edges, False),
        (f"Last edges (… → {e.disease.name})", e.last_edges, True),
    ):
        shown_edges = contributions[:limit] if limit else contributions
        lines += ["", _fit(heading, width)]
        lines += fit_table(["edge", "kind", "paths", "DWPC", "share"],
                           edge_rows(shown_edges, last=last), width=width).splitlines()
        _more(lines, len(shown_edges), len(contributions), "edges", "use --limit")
    return "\n".join(lines) + "\n"


def _header(pair: ExplainedPair, width: int | None) -> list[str]:
    e = pair.explanation
    lines = [f"{e.drug.name} → {e.disease.name}", f"  {prediction_line(pair)}"]
    if pair.prediction is not None:
        lines.append(f"  evidence: {evidence_count(pair)}")
    lines += [f"    {local_id(t.id):<14} {trial_facts(t)}" for t in trials(pair)]
    lines += [f"    PMID {local_id(p.id):<9} {publication_facts(p)}" for p in publications(pair)]
    return [_fit(line, width) for line in lines]


def _unexplained(pairs: Sequence[ExplainedPair], width: int | None) -> list[str]:
    """One row per pair without a path (why), then what would join them, once per reason."""
    lines = [f"Without a mechanism path ({len(pairs)}), best prediction first"]
    reasons = [no_path_reason(p) or "too far" for p in pairs]
    rows = [[p.explanation.disease.name if p.prediction else
             f"{p.explanation.drug.name} → {p.explanation.disease.name}",
             model_score(p), REASON_WORDS[r]] for p, r in zip(pairs, reasons, strict=True)]
    lines += fit_table(["indication", "model", "why"], rows, width=width).splitlines()
    lines.append("What would join them:")
    lines += [_wrap(f"  {REASON_WORDS[r]}: {REMEDIES[r]}", width) for r in dict.fromkeys(reasons)]
    return lines


def _wrap(text: str, width: int | None) -> str:
    return textwrap.fill(text, width=min(width or 100, 100), subsequent_indent="    ")


def format_text_report(items: Sequence[Explanation | ExplainedPair], *, limit: int | None = 10,
                       evidence: bool = True, width: int | None = None) -> str:
    """Every explained pair, as ``txkg explain`` prints them (see the module docstring)."""
    pairs = [as_pair(i) for i in items]
    with_paths = [p for p in pairs if p.explanation.paths]
    without = [p for p in pairs if not p.explanation.paths]
    blocks = []
    if len(pairs) > 1:
        blocks.append(_wrap(summary_line(pairs), width) + "\n")
    for pair in with_paths:
        blocks.append("\n".join(_header(pair, width)) + "\n"
                      + format_text(pair.explanation, evidence=evidence, limit=limit,
                                    width=width, title=False))
    if len(pairs) == 1 and without:
        blocks.append("\n".join([*_header(without[0], width),
                                 _wrap(f"No mechanism path: {no_path_hint(without[0])}.", width)])
                      + "\n")
    elif without:
        blocks.append("\n".join(_unexplained(without, width)) + "\n")
    if with_paths:
        legend = [score_legend(with_paths[0].explanation), *LEGEND_REST]
        blocks.append("\n".join(_wrap(line, width) for line in legend) + "\n")
    return "\n".join(blocks)


__all__ = ["format_text", "format_text_report"]
