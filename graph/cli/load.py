"""``txkg load FORMAT …``: read source files and load them into the store.

Every file is read and checked before anything is written, so a malformed file
leaves the store exactly as it was; each source then loads atomically, and the
embedded store commits all of one command's sources together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from graph.cli.progress import Progress
from graph.cli.render import emit_json, limit_option, table
from graph.cli.root import Session, main, pass_session
from graph.model import LoadResult, SourceBatch
from graph.stream import CHUNK_SIZE, SourceStream
from graph.table import fit_line, more_line

F = TypeVar("F", bound=Callable[..., Any])

#: Rows of each list in a load summary, unless --limit says otherwise.
SUMMARY_ROWS = 20


@main.group()
@pass_session
def load(session: Session) -> None:
    """Load source files (reports, PrimeKG, TxGNN, Hetionet, DrugMechDB)."""
    session.for_writing()


def load_sources(session: Session, sources: Sequence[SourceBatch | SourceStream],
                 fmt: str, limit: int = SUMMARY_ROWS) -> list[LoadResult]:
    """Write checked batches (or streams), then print one summary (or JSON)."""
    results: list[LoadResult] = []
    with Progress("writing", unit="sources", total=len(sources)) as bar, session.kg.bulk():
        for done, source in enumerate(sources, 1):
            results.append(session.kg.load(source))
            bar.step(done)
    render_results(results, fmt, limit)
    note_incomplete(session, fmt)
    return results


def note_incomplete(session: Session, fmt: str) -> None:
    """Say which sources the store holds only part of (a load killed part-way)."""
    if fmt == "json":
        return
    for source in session.kg.stats().sources:
        if not source.complete:
            click.echo(f"note: {source.name} is incomplete (a load stopped part-way); "
                       "load it again to complete it")


def render_results(results: Sequence[LoadResult], fmt: str, limit: int = SUMMARY_ROWS) -> None:
    """One row per source (with many sources: those with something refused first), the
    totals, then the first refusals; every list cut at ``limit`` says how much was left out."""
    if fmt == "json":
        emit_json([r.model_dump(mode="json") for r in results])
        return
    ordered = sorted(results, key=lambda r: not r.refused) if len(results) > 1 else results
    shown = ordered[:limit] if limit else ordered
    click.echo(table(["source", "nodes", "edges", "refused", "change"],
                     [[r.source.path or r.source.name, r.nodes, r.edges, r.refused, _change(r)]
                      for r in shown]))
    _echo_more(len(shown), len(results), "sources")
    refused = sum(r.refused for r in results)
    click.echo(f"{len(results)} source(s): {sum(r.nodes for r in results)} nodes, "
               f"{sum(r.edges for r in results)} edges, {refused} refused "
               f"or unresolved"
               + (" — see `txkg ledger`" if refused else ""))
    rejections = [j for r in results for j in r.rejections]
    first = rejections[:limit] if limit else rejections
    for rejection in first:
        where = rejection.path or rejection.source
        if rejection.line:
            where += f":{rejection.line}"
        click.echo(fit_line(f"  {where}: {rejection.reason}"))
    _echo_more(len(first), refused, "refused or unresolved", hint="txkg ledger")


def _echo_more(shown: int, total: int, what: str, hint: str = "use --limit") -> None:
    line = more_line(shown, total, what, hint=hint)
    if line:
        click.echo("  " + line)


def _change(result: LoadResult) -> str:
    if result.unchanged:
        return "unchanged"
    if result.nodes_removed or result.edges_removed:
        return f"removed {result.nodes_removed} nodes, {result.edges_removed} edges"
    return "loaded"


def fmt_option(command: F) -> F:
    """``--format text|json`` and ``--limit N`` of every load command's summary."""
    command = limit_option(SUMMARY_ROWS, "sources and refusals listed")(command)
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]),
                        default="text", show_default=True, help="Summary format.")(command)


@load.command("reports")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@fmt_option
@pass_session
def load_reports(session: Session, paths: tuple[Path, ...], fmt: str, limit: int) -> None:
    """Load evidence reports: text renderings or Jekyll markdown pages (files or folders)."""
    from loaders.reports import iter_report_paths, read_report

    files = list(iter_report_paths(paths))
    with Progress("reading reports", unit="files", total=len(files)) as bar:
        batches = []
        for done, file in enumerate(files, 1):
            batches.append(read_report(file))
            bar.step(done)
    load_sources(session, batches, fmt, limit)


@load.command("primekg")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--name", default="PrimeKG", show_default=True, help="Source name.")
@click.option("--version", "version", help="Dataset release (default: the file's SHA-256).")
@click.option("--chunk-size", type=click.IntRange(min=100), default=CHUNK_SIZE,
              show_default=True, help="Statements read (and, on Neo4j, committed) at a time.")
@fmt_option
@pass_session
def load_primekg(session: Session, file: Path, name: str, version: str | None,
                 chunk_size: int, fmt: str, limit: int) -> None:
    """Load mechanism knowledge in PrimeKG's kg.csv format (.csv or .csv.gz).

    The file is read as it is written, a chunk at a time, so memory stays flat
    however large it is; a fault anywhere in it leaves the store as it was.
    """
    from loaders.primekg import read_primekg

    with Progress(f"loading {file.name}", unit="rows") as bar:
        stream = read_primekg(file, name=name, version=version, on_progress=bar.update,
                              chunk_size=chunk_size)
        with session.kg.bulk():
            result = session.kg.load(stream)
    render_results([result], fmt, limit)
    note_incomplete(session, fmt)
    figures = stream.stats
    if fmt == "text" and not result.unchanged:
        click.echo(f"{figures.rows:,} rows: {figures.edges:,} facts, {figures.mirrored_rows:,} "
                   f"mirrored rows, {figures.duplicate_rows:,} repeated rows, "
                   f"{figures.rejected_rows:,} refused rows")


@load.command("txgnn")
@click.argument("folder", type=click.Path(path_type=Path))
@fmt_option
@pass_session
def load_txgnn(session: Session, folder: Path, fmt: str, limit: int) -> None:
    """Load a TxGNN data folder: vocabularies, disease annotations, predictions.

    FOLDER holds drugbank_vocab.csv and disease_vocab.csv, and optionally
    kg_grouped_diseases.csv, mondo_references.csv, disease_files/*.csv,
    repurposing_candidates_merged.csv and search-index.json; each file is one
    source.
    """
    from loaders.txgnn import read_txgnn

    loaded = read_txgnn(folder)
    load_sources(session, loaded.sources, fmt, limit)


@load.command("hetionet")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--name", help="Source name (default: hetionet/<file name>).")
@click.option("--version", "version", help="Dataset release (default: the file's SHA-256).")
@fmt_option
@pass_session
def load_hetionet(session: Session, file: Path, name: str | None, version: str | None,
                  fmt: str, limit: int) -> None:
    """Load a hetnet in Hetionet's JSON format (.json, .json.gz, .json.xz, .json.bz2)."""
    from loaders.hetionet import read_hetionet

    batch = read_hetionet(file, name=name, version=version)
    load_sources(session, batch.sources, fmt, limit)


@load.command("drugmechdb")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--name", default="DrugMechDB", show_default=True, help="Source name.")
@click.option("--version", "version", help="Dataset release (default: a hash of the files).")
@click.option("--keep-path-ids/--no-path-ids", default=True, show_default=True,
              help="Say on each edge which curated paths state it, with their PubMed ids "
                   "(off: dataset-level provenance only, as evaluation needs).")
@fmt_option
@pass_session
def load_drugmechdb(session: Session, paths: tuple[Path, ...], name: str, version: str | None,
                    keep_path_ids: bool, fmt: str, limit: int) -> None:
    """Load DrugMechDB's curated mechanism paths (YAML files, or folders of them) as one source."""
    from loaders.drugmechdb import read_drugmechdb

    loaded = read_drugmechdb(paths, name=name, version=version, keep_path_ids=keep_path_ids)
    load_sources(session, loaded.sources, fmt, limit)


@main.command()
@click.argument("source")
@fmt_option
@pass_session
def remove(session: Session, source: str, fmt: str, limit: int) -> None:
    """Withdraw SOURCE (a name `txkg stats` lists) and undo the merges it caused."""
    session.for_writing()
    render_results([session.kg.remove(source)], fmt, limit)
