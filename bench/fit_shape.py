"""Fit the shipped mechanism shape on DrugMechDB's development half and write it.

Run: ``python bench/fit_shape.py [PATHS] [--out graph/explain/data/mechanism_shape.json]``.
The shape (:mod:`graph.explain.shape`) counts the steps, edge-type successions and lengths
of every curated drug → disease walk in PATHS (read by ``loaders/drugmechdb.py`` in
evaluation mode, each path weighing 1). The file records where it came from: the folder,
a digest of the path files, how many paths, indications and drugs, the date and the
ranking's settings chosen by cross-validation (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
from dataclasses import asdict
from pathlib import Path

from graph.explain.evaluation import from_loader_paths, indications
from graph.explain.evaluation.crossval import fit_on_paths
from graph.explain.shape import LearnedRanking
from loaders.drugmechdb import read_drugmechdb

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "drugmechdb" / "paths"
OUT = ROOT / "graph" / "explain" / "data" / "mechanism_shape.json"


def digest(folder: Path) -> str:
    """sha256 over the path files' names and bytes, in name order."""
    h = hashlib.sha256()
    for file in sorted(folder.glob("*.yaml")):
        h.update(file.name.encode() + b"\0" + file.read_bytes())
    return h.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="?", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    paths = from_loader_paths(read_drugmechdb(args.paths, keep_path_ids=False).paths)
    found, _ = indications(paths)
    settings = {k: v for k, v in asdict(LearnedRanking()).items() if k != "shape"}
    provenance = {
        "fitted_on": "DrugMechDB development half (SuLab/DrugMechDB-agentic @ b83cc5dd, "
                     "kb/paths split by drug; ../shared/data/drugmechdb/paths)",
        "path_files": len(list(args.paths.glob("*.yaml"))),
        "paths_sha256": digest(args.paths),
        "curated_paths": len(paths),
        "indications": len(found),
        "drugs": len({p.drug for p in paths}),
        "reader": "loaders/drugmechdb.py (evaluation mode) + "
                  "graph/explain/evaluation/crossval.py:fit_on_paths",
        "fitted": datetime.date.today().isoformat(),
        "ranking_settings": settings,
        "chosen_by": "5-fold cross-validation by drug on the same half (docs/benchmarks.md)",
        "script": "bench/fit_shape.py",
    }
    shape = fit_on_paths(paths, provenance=provenance)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    shape.save(args.out)
    print(f"wrote {args.out}: {len(shape.steps)} kinds, "
          f"{sum(len(v) for v in shape.steps.values())} steps, from {len(paths)} paths")


if __name__ == "__main__":
    main()
