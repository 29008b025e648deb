"""Write a synthetic graph in PrimeKG's kg.csv format, for scale tests.

PrimeKG itself is not available offline. This writes random edges with
PrimeKG's node types, id formats and relation mix (node counts and the
relative frequency of each relation follow the PrimeKG paper, approximately),
each edge twice as PrimeKG does: all rows ``(x, y)`` of a relation, then all
rows ``(y, x)``. The facts are random; only the shape is PrimeKG's.

Usage::

    python scripts/synthetic_primekg.py ROWS OUT.csv[.gz] [--seed N]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import random
from pathlib import Path

# PrimeKG node type -> (count in PrimeKG, source, id maker)
NODE_TYPES = {
    "gene/protein": (27_671, "NCBI", lambda i: str(1 + i * 7)),
    "drug": (7_957, "DrugBank", lambda i: f"DB{i + 1:05d}"),
    "effect/phenotype": (15_311, "HPO", lambda i: str(i + 1)),
    "disease": (17_080, "MONDO", lambda i: str(i + 1)),
    "biological_process": (28_642, "GO", lambda i: str(i + 1)),
    "molecular_function": (11_169, "GO", lambda i: str(100_000 + i)),
    "cellular_component": (4_176, "GO", lambda i: str(200_000 + i)),
    "exposure": (818, "CTD", lambda i: f"D{i + 1:06d}"),
    "pathway": (2_516, "REACTOME", lambda i: f"R-HSA-{100_000 + i}"),
    "anatomy": (14_035, "UBERON", lambda i: str(i + 1)),
}

# relation -> (display_relation, x type, y type, undirected edges in PrimeKG, approx.)
RELATIONS = {
    "anatomy_protein_present": ("expression present", "anatomy", "gene/protein", 1_518_203),
    "drug_drug": ("synergistic interaction", "drug", "drug", 1_336_719),
    "protein_protein": ("ppi", "gene/protein", "gene/protein", 321_075),
    "disease_phenotype_positive": ("phenotype present", "disease", "effect/phenotype", 150_317),
    "bioprocess_protein": ("interacts with", "biological_process", "gene/protein", 144_805),
    "cellcomp_protein": ("interacts with", "cellular_component", "gene/protein", 83_402),
    "disease_protein": ("associated with", "disease", "gene/protein", 80_411),
    "molfunc_protein": ("interacts with", "molecular_function", "gene/protein", 69_530),
    "drug_effect": ("side effect", "drug", "effect/phenotype", 64_784),
    "bioprocess_bioprocess": ("parent-child", "biological_process", "biological_process",
                              52_886),
    "pathway_protein": ("interacts with", "pathway", "gene/protein", 42_646),
    "disease_disease": ("parent-child", "disease", "disease", 32_505),
    "contraindication": ("contraindication", "drug", "disease", 30_675),
    "drug_protein": ("target", "drug", "gene/protein", 25_653),
    "anatomy_protein_absent": ("expression absent", "anatomy", "gene/protein", 19_887),
    "phenotype_phenotype": ("parent-child", "effect/phenotype", "effect/phenotype", 18_837),
    "anatomy_anatomy": ("parent-child", "anatomy", "anatomy", 14_131),
    "molfunc_molfunc": ("parent-child", "molecular_function", "molecular_function", 13_574),
    "indication": ("indication", "drug", "disease", 9_388),
    "cellcomp_cellcomp": ("parent-child", "cellular_component", "cellular_component", 4_845),
    "phenotype_protein": ("associated with", "effect/phenotype", "gene/protein", 3_330),
    "off-label use": ("off-label use", "drug", "disease", 2_568),
    "pathway_pathway": ("parent-child", "pathway", "pathway", 2_535),
    "exposure_disease": ("linked to", "exposure", "disease", 2_304),
    "exposure_exposure": ("parent-child", "exposure", "exposure", 2_081),
    "exposure_bioprocess": ("interacts with", "exposure", "biological_process", 1_625),
    "exposure_protein": ("interacts with", "exposure", "gene/protein", 1_212),
    "disease_phenotype_negative": ("phenotype absent", "disease", "effect/phenotype", 1_193),
    "exposure_molfunc": ("interacts with", "exposure", "molecular_function", 45),
    "exposure_cellcomp": ("interacts with", "exposure", "cellular_component", 10),
}
DRUG_PROTEIN_DISPLAYS = ("target", "target", "target", "enzyme", "transporter", "carrier")
HEADER = ("relation", "display_relation", "x_index", "x_id", "x_type", "x_name", "x_source",
          "y_index", "y_id", "y_type", "y_name", "y_source")


def write(rows: int, out: Path, seed: int = 0) -> int:
    """Write about ``rows`` rows (an even number: each edge twice); return the count."""
    rng = random.Random(seed)
    base: dict[str, int] = {}
    offset = 0
    for node_type, (count, _, _) in NODE_TYPES.items():
        base[node_type] = offset
        offset += count
    total = sum(r[3] for r in RELATIONS.values())
    written = 0
    opener = gzip.open if out.name.endswith(".gz") else open
    with opener(out, "wt", encoding="utf-8", newline="") as handle:  # type: ignore[operator]
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for relation, (display, x_type, y_type, weight) in RELATIONS.items():
            edges = max(1, round(rows / 2 * weight / total))
            forward = []
            seen: set[tuple[int, int, str]] = set()
            while len(forward) < edges:
                x = rng.randrange(NODE_TYPES[x_type][0])
                y = rng.randrange(NODE_TYPES[y_type][0])
                shown = rng.choice(DRUG_PROTEIN_DISPLAYS) if relation == "drug_protein" \
                    else display
                if (x_type == y_type and x == y) or (x, y, shown) in seen \
                        or (x_type == y_type and (y, x, shown) in seen):
                    continue
                seen.add((x, y, shown))
                forward.append((_node(x_type, x, base), _node(y_type, y, base), shown))
            for a, b, shown in forward:
                writer.writerow((relation, shown, *a, *b))
            for a, b, shown in forward:
                writer.writerow((relation, shown, *b, *a))
            written += 2 * len(forward)
    return written


def _node(node_type: str, i: int, base: dict[str, int]) -> tuple[str, ...]:
    _, source, make = NODE_TYPES[node_type]
    raw = make(i)
    return (str(base[node_type] + i), raw, node_type, f"{node_type} {raw}", source)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(write(args.rows, args.out, args.seed))


if __name__ == "__main__":
    main()
