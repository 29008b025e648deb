"""``txkg load FORMAT …``: read source files and load them into the store.

Every file is read and checked before anything is written, so a malformed file
leaves the store exactly as it was; each source then loads atomically, and the
embedded store commits all of one command's sources together.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import click

from graph.cli.render import emit_json, table
from graph.cli.root import Session, main, pass_session
from graph.model import LoadResult, SourceBatch


@main.group()
def load() -> None:
    """Load source files (reports, PrimeKG, TxGNN, Hetionet, DrugMechDB)."""


@contextmanager
def progress(label: str, length: int | None = None) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr while a long read runs; a no-op when not a terminal."""
    if not sys.stderr.isatty():
        yield lambda _done: None
        return
    with click.progressbar(length=length or 0, label=label, file=sys.stderr,
                           show_pos=True) as bar:
        seen = 0

        def update(done: int) -> None:
            nonlocal seen
            bar.update(done - seen)
            seen = done

        yield update


def load_batches(session: Session, batches: Sequence[SourceBatch], fmt: str) -> None:
    """Write checked batches, then print one summary (or JSON) of what happened."""
    results: list[LoadResult] = []
    with progress("writing", len(batches)) as update, session.kg.bulk():
        for done, batch in enumerate(batches, 1):
            results.append(session.kg.load(batch))
            update(done)
    render_results(results, fmt)


def render_results(results: Sequence[LoadResult], fmt: str) -> None:
    if fmt == "json":
        emit_json([r.model_dump(mode="json") for r in results])
        return
    rows = [[r.source.path or r.source.name, r.nodes, r.edges, len(r.rejections),
             _change(r)]
            for r in results]
    if len(rows) > 20:  # many files: totals, then only those with something to say
        rows = [row for row in rows if row[3]][:20]
    click.echo(table(["source", "nodes", "edges", "refused", "change"], rows))
    rejections = [j for r in results for j in r.rejections]
    click.echo(f"{len(results)} source(s): {sum(r.nodes for r in results)} nodes, "
               f"{sum(r.edges for r in results)} edges, {len(rejections)} refused "
               f"or unresolved"
               + (" — see `txkg ledger`" if rejections else ""))
    for rejection in rejections[:10]:
        where = rejection.path or rejection.source
        if rejection.line:
            where += f":{rejection.line}"
        click.echo(f"  {where}: {rejection.reason}")
    if len(rejections) > 10:
        click.echo(f"  … and {len(rejections) - 10} more")


def _change(result: LoadResult) -> str:
    if result.unchanged:
        return "unchanged"
    if result.nodes_removed or result.edges_removed:
        return f"removed {result.nodes_removed} nodes, {result.edges_removed} edges"
    return "loaded"


fmt_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]),
                          default="text", show_default=True, help="Summary format.")


@load.command("reports")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@fmt_option
@pass_session
def load_reports(session: Session, paths: tuple[Path, ...], fmt: str) -> None:
    """Load evidence reports: text renderings or Jekyll markdown pages (files or folders)."""
    from loaders.reports import iter_report_paths, read_report

    files = list(iter_report_paths(paths))
    with progress("reading reports", len(files)) as update:
        batches = []
        for done, file in enumerate(files, 1):
            batches.append(read_report(file))
            update(done)
    load_batches(session, batches, fmt)


@load.command("primekg")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--name", default="PrimeKG", show_default=True, help="Source name.")
@click.option("--version", "version", help="Dataset release (default: the file's SHA-256).")
@fmt_option
@pass_session
def load_primekg(session: Session, file: Path, name: str, version: str | None,
                 fmt: str) -> None:
    """Load mechanism knowledge in PrimeKG's kg.csv format (.csv or .csv.gz)."""
    from loaders.primekg import load_primekg as read

    with progress(f"reading {file.name}") as update:
        result = read(file, name=name, version=version, on_progress=update)
    load_batches(session, [result.batch], fmt)


@load.command("txgnn")
@click.argument("folder", type=click.Path(path_type=Path))
@fmt_option
@pass_session
def load_txgnn(session: Session, folder: Path, fmt: str) -> None:
    """Load a TxGNN data folder: vocabularies, disease annotations, predictions.

    FOLDER holds drugbank_vocab.csv and disease_vocab.csv, and optionally
    kg_grouped_diseases.csv, mondo_references.csv, disease_files/*.csv,
    repurposing_candidates_merged.csv and search-index.json; each file is one
    source.
    """
    from loaders.txgnn import load_txgnn as read

    with progress(f"reading {folder}"):
        loaded = read(folder)
    load_batches(session, list(loaded.batches), fmt)


@load.command("hetionet")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--name", help="Source name (default: hetionet/<file name>).")
@click.option("--version", "version", help="Dataset release (default: the file's SHA-256).")
@fmt_option
@pass_session
def load_hetionet(session: Session, file: Path, name: str | None, version: str | None,
                  fmt: str) -> None:
    """Load a hetnet in Hetionet's JSON format (.json, .json.gz, .json.xz, .json.bz2)."""
    from loaders.hetionet import read_hetionet

    with progress(f"reading {file.name}"):
        batch = read_hetionet(file, name=name, version=version)
    load_batches(session, [batch], fmt)


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
                    keep_path_ids: bool, fmt: str) -> None:
    """Load DrugMechDB's curated mechanism paths (YAML files, or folders of them) as one source."""
    from loaders.drugmechdb import read_drugmechdb

    with progress("reading DrugMechDB paths"):
        loaded = read_drugmechdb(paths, name=name, version=version, keep_path_ids=keep_path_ids)
    load_batches(session, [loaded.batch], fmt)
