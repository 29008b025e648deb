"""Every input format txkg reads: its seeds, its reader, and the CLI command that loads it.

A TxGNN folder is read as a whole (``read_txgnn``), but each of its files is a
format of its own here, so that a campaign counts cases per file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from fuzzing.seeds import (
    Seed,
    drugmechdb_seeds,
    hetionet_seeds,
    primekg_seeds,
    report_markdown_seeds,
    report_text_seeds,
    txgnn_seeds,
)
from loaders.drugmechdb import read_drugmechdb
from loaders.hetionet import read_hetionet
from loaders.primekg import read_primekg
from loaders.reports import read_report
from loaders.txgnn import read_txgnn


def read_all_of_primekg(path: Path) -> None:
    """``read_primekg`` returns a stream: reading means consuming every chunk."""
    for _ in read_primekg(path).chunks():
        pass


@dataclass(frozen=True)
class Format:
    """One input format: how its files are built, read and loaded."""

    name: str
    kind: str  # "markdown", "csv", "json" or "yaml": which structural mutations apply
    command: str  # ``txkg load <command> PATH``
    seeds: Callable[[], dict[str, Seed]]
    read: Callable[[Path], object]
    compressions: tuple[str, ...] = ("",)
    #: True when the seeds come from examples/ (no ../shared/data needed).
    bundled: bool = False


def _txgnn(name: str, *files: str, kind: str = "csv") -> Format:
    return Format(f"txgnn-{name}", kind, "txgnn", partial(txgnn_seeds, *files), read_txgnn)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("report-markdown", "markdown", "reports", report_markdown_seeds, read_report),
    Format("report-text", "markdown", "reports", report_text_seeds, read_report, bundled=True),
    Format("primekg", "csv", "primekg", primekg_seeds, read_all_of_primekg,
           compressions=("", ".gz"), bundled=True),
    Format("hetionet", "json", "hetionet", hetionet_seeds, read_hetionet,
           compressions=("", ".gz", ".xz", ".bz2")),
    Format("drugmechdb", "yaml", "drugmechdb", drugmechdb_seeds, read_drugmechdb),
    _txgnn("drugbank-vocab", "drugbank_vocab.csv"),
    _txgnn("disease-vocab", "disease_vocab.csv"),
    _txgnn("grouped-diseases", "kg_grouped_diseases.csv"),
    _txgnn("mondo-references", "mondo_references.csv"),
    _txgnn("disease-files", "disease_files/anemia.csv", "disease_files/diabetes.csv"),
    _txgnn("candidates", "repurposing_candidates_merged.csv"),
    _txgnn("search-index", "search-index.json", kind="json"),
)}
