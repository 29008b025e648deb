"""The files fuzz cases start from: small slices of real data, as written upstream.

Each :class:`Seed` is a folder of files (relative path -> bytes) with one file to
mutate and the path a reader is given (that file, or ``"."``: the folder). Slices
are small so that a case reads in milliseconds, and keep the real files' bytes:
whole pages, whole path files, and the real lines of the CSV files (chosen, never
rewritten). Seeds that need ../shared/data raise :class:`DataMissing` when it is
absent; those from ``examples/`` are always there.

>>> seed = primekg_seeds()["examples/mechanisms.csv"]
>>> seed.mutated, seed.target, seed.files[seed.mutated].startswith(b"relation,")
('kg.csv', 'kg.csv', True)
"""

from __future__ import annotations

import csv
import io
import json
import lzma
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
SHARED_DATA = REPO.parent / "shared" / "data"


class DataMissing(Exception):
    """The real data a seed is cut from is not here (../shared/data)."""


@dataclass(frozen=True)
class Seed:
    """A folder of files; ``mutated`` is the one a case changes, ``target`` what is read."""

    name: str
    files: Mapping[str, bytes]
    mutated: str
    target: str


def shared(*parts: str) -> Path:
    """A path under ../shared/data; :class:`DataMissing` when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        raise DataMissing(f"real data not present: {path} (it lives beside the repo in ../shared)")
    return path


def every_nth(paths: Iterable[Path], count: int) -> list[Path]:
    """``count`` paths spread evenly over the sorted list (deterministic)."""
    ordered = sorted(paths)
    step = max(1, len(ordered) // count)
    return ordered[::step][:count]


# --- reports ----------------------------------------------------------------------------


@cache
def report_markdown_seeds() -> dict[str, Seed]:
    """Whole report pages: EU and Taiwan pharmacist pages, EU prediction-list pages."""
    seeds = {}
    for folder in ("eu", "tw", "eu-predictions"):
        for page in every_nth(shared("reports", folder).glob("*.md"), 4):
            name = f"{folder}/{page.name}"
            seeds[name] = Seed(name, {page.name: page.read_bytes()}, page.name, page.name)
    return seeds


@cache
def report_text_seeds() -> dict[str, Seed]:
    """The plain-text report renderings in examples/reports/."""
    return {f"examples/reports/{p.name}": Seed(f"examples/reports/{p.name}",
                                              {p.name: p.read_bytes()}, p.name, p.name)
            for p in sorted((EXAMPLES / "reports").glob("*.txt"))}


# --- PrimeKG ----------------------------------------------------------------------------


@cache
def primekg_seeds() -> dict[str, Seed]:
    """examples/mechanisms.csv (PrimeKG's kg.csv layout), whole and its first 30 rows."""
    data = (EXAMPLES / "mechanisms.csv").read_bytes()
    head = b"".join(data.splitlines(keepends=True)[:31])
    return {name: Seed(name, {"kg.csv": body}, "kg.csv", "kg.csv")
            for name, body in (("examples/mechanisms.csv", data),
                               ("examples/mechanisms.csv[:30]", head))}


# --- Hetionet ---------------------------------------------------------------------------


def hetnet_slice(hetnet: dict[str, object], nodes: int, edges: int) -> dict[str, object]:
    """The first ``nodes`` nodes and up to ``edges`` edges between them."""
    kept = list(hetnet["nodes"])[:nodes]  # type: ignore[call-overload]
    keys = {(n["kind"], n["identifier"]) for n in kept}
    between = [e for e in hetnet["edges"]  # type: ignore[attr-defined]
               if tuple(e["source_id"]) in keys and tuple(e["target_id"]) in keys]
    return {**hetnet, "nodes": kept, "edges": between[:edges]}


@cache
def hetionet_seeds() -> dict[str, Seed]:
    """hetnetpy's example graph and metagraph as written; slices of two sampled subgraphs."""
    seeds = {}
    for name in ("disease-gene-example-graph.json", "hetionet-v1.0-metagraph.json"):
        seeds[name] = Seed(name, {"hetnet.json": shared("hetionet", name).read_bytes()},
                           "hetnet.json", "hetnet.json")
    for name, size in (("bupropion-CbGpPWpGaD-subgraph.json.xz", 40),
                       ("random-subgraph.json.xz", 60)):
        hetnet = json.loads(lzma.decompress(shared("hetionet", name).read_bytes()))
        body = json.dumps(hetnet_slice(hetnet, size, 2 * size), indent=2).encode()
        seeds[f"{name}[:{size} nodes]"] = Seed(f"{name}[:{size} nodes]", {"hetnet.json": body},
                                               "hetnet.json", "hetnet.json")
    return seeds


# --- DrugMechDB -------------------------------------------------------------------------

#: Path files with something particular: alt_ids, a comment, no drugbank id, two drugs.
DRUGMECHDB_PICKS = ("DB00126_MESH_D001206_1.yaml", "DB00087_MESH_D020529_1.yaml",
                    "MESH_C106301_MESH_D003233_1.yaml")


@cache
def drugmechdb_seeds() -> dict[str, Seed]:
    """A folder of two path files: one to mutate, and a clean neighbour read with it."""
    folder = shared("drugmechdb", "paths")
    picks = [folder / name for name in DRUGMECHDB_PICKS if (folder / name).exists()]
    picks += every_nth(folder.glob("*.yaml"), 8)
    neighbour = folder / "DB00002_MESH_D003110_1.yaml"
    seeds = {}
    for path in picks:
        files = {path.name: path.read_bytes()}
        if path != neighbour:
            files[neighbour.name] = neighbour.read_bytes()
        seeds[path.name] = Seed(path.name, files, path.name, ".")
    return seeds


# --- TxGNN ------------------------------------------------------------------------------

TXGNN_FILES = ("drugbank_vocab.csv", "disease_vocab.csv", "kg_grouped_diseases.csv",
               "mondo_references.csv", "disease_files/anemia.csv", "disease_files/diabetes.csv",
               "repurposing_candidates_merged.csv", "search-index.json")


Lines = tuple[bytes, list[tuple[bytes, list[str]]]]


def csv_lines(path: Path) -> Lines:
    """The header line and each data line with its parsed values (one row per line)."""
    data = path.read_bytes()
    lines = data.splitlines(keepends=True)
    values = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    return lines[0], list(zip(lines[1:], values[1:], strict=True))


def pick_lines(lines: Lines, wanted: Iterable[int], extra: int = 0) -> bytes:
    """The header, the data lines numbered ``wanted`` (0-based) and the first ``extra`` ones."""
    header, rows = lines
    keep = sorted(set(wanted) | set(range(min(extra, len(rows)))))
    return header + b"".join(rows[i][0] for i in keep)


def _members(disease_id: str) -> set[int]:
    return {int(m) for m in disease_id.split("_") if m.isdigit()}


@cache
def txgnn_folder() -> dict[str, bytes]:
    """A TxGNN data folder in miniature: three drugs' predictions and what they name.

    The search index keeps its first three drugs (six indications each); the
    candidate list their rows (eight each) and two knowledge-graph rows; the
    vocabularies every drug and disease those name, plus a few more; the
    disease files, grouped diseases and MONDO references rows for those diseases.
    """
    folder = shared("txgnn")
    index = json.loads((folder / "search-index.json").read_text(encoding="utf-8"))
    drugs = [{**d, "indications": d["indications"][:6]} for d in index["drugs"][:3]]
    small_index = {**index, "drug_count": len(drugs), "drugs": drugs,
                   "indications": index["indications"][:3]}
    names = {d["name"].upper() for d in drugs}

    vocab = csv_lines(folder / "drugbank_vocab.csv")
    drug_ids = {v[0] for _, v in vocab[1] if len(v) > 2 and v[2] in names}
    candidates = csv_lines(folder / "repurposing_candidates_merged.csv")
    candidate_rows = candidates[1]
    picked: list[int] = []
    for drug in sorted(drug_ids):
        picked += [i for i, (_, v) in enumerate(candidate_rows) if v[3] == drug][:8]
    picked += [i for i, (_, v) in enumerate(candidate_rows) if v[5].endswith("Graph")][:2]
    drug_ids |= {candidate_rows[i][1][3] for i in picked}
    diseases = {candidate_rows[i][1][4].lower() for i in picked}
    diseases |= {ind["name"].lower() for d in drugs for ind in d["indications"]}

    area_lines = {area: pick_lines(csv_lines(folder / "disease_files" / f"{area}.csv"), (), 8)
                  for area in ("anemia", "diabetes")}
    area_ids = {int(float(v[1])) for data in area_lines.values()
                for v in list(csv.reader(io.StringIO(data.decode())))[1:]}
    disease_vocab = csv_lines(folder / "disease_vocab.csv")
    disease_rows = disease_vocab[1]
    kept_diseases = [i for i, (_, v) in enumerate(disease_rows)
                     if v[1].lower() in diseases or _members(v[0]) & area_ids]
    members = set().union(*(_members(disease_rows[i][1][0]) for i in kept_diseases[:60]),
                          *(_members(v[0]) for _, v in disease_rows[:5]))

    grouped = csv_lines(folder / "kg_grouped_diseases.csv")
    references = csv_lines(folder / "mondo_references.csv")
    files = {
        "drugbank_vocab.csv": pick_lines(
            vocab, (i for i, (_, v) in enumerate(vocab[1]) if v[0] in drug_ids), 10),
        "disease_vocab.csv": pick_lines(disease_vocab, kept_diseases[:60], 5),
        "kg_grouped_diseases.csv": pick_lines(
            grouped, [i for i, (_, v) in enumerate(grouped[1])
                      if v[0].isdigit() and int(v[0]) in members][:30], 3),
        "mondo_references.csv": pick_lines(
            references, [i for i, (_, v) in enumerate(references[1])
                         if v[2].isdigit() and int(v[2]) in members][:40], 3),
        "disease_files/anemia.csv": area_lines["anemia"],
        "disease_files/diabetes.csv": area_lines["diabetes"],
        "repurposing_candidates_merged.csv": pick_lines(candidates, picked),
        "search-index.json": json.dumps(small_index, indent=2, ensure_ascii=False).encode(),
    }
    return files


def txgnn_seeds(*files: str) -> dict[str, Seed]:
    """The miniature TxGNN folder with one of ``files`` to mutate; the folder is read."""
    return {f"txgnn/{file}": Seed(f"txgnn/{file}", txgnn_folder(), file, ".") for file in files}
