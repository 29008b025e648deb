"""The PrimeKG-shaped generator (scripts/synthetic_primekg.py) and its checker
(scripts/primekg_shape.py): loadable, mirrored as PrimeKG is, heavy-tailed, with the real
facts planted, and measured correctly."""

from __future__ import annotations

import csv
import statistics
import sys
from collections import Counter
from pathlib import Path

import pytest

from loaders.primekg import PrimeKGResult, load_primekg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
import primekg_reference as ref  # noqa: E402
import primekg_shape  # noqa: E402
import synthetic_primekg as generator  # noqa: E402

ROWS = 30_000


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("synthetic")


@pytest.fixture(scope="module")
def kg(folder: Path) -> Path:
    """A small file, with TxGNN's vocabularies when this machine has them."""
    path = folder / "kg.csv"
    assert generator.write(ROWS, path, seed=11) == ROWS
    return path


@pytest.fixture(scope="module")
def loaded(kg: Path) -> PrimeKGResult:
    return load_primekg(kg, version="test")


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))[1:]


def test_loads_with_no_rejection_and_every_fact_mirrored(loaded: PrimeKGResult) -> None:
    stats = loaded.stats
    assert stats.rows == ROWS
    assert stats.rejected_rows == 0
    assert stats.duplicate_rows == 0
    assert stats.edges == stats.mirrored_rows == ROWS // 2


def test_forward_rows_first_then_the_same_rows_mirrored(kg: Path) -> None:
    rows = read_rows(kg)
    half = len(rows) // 2
    for forward, mirrored in zip(rows[:half], rows[half:], strict=True):
        assert mirrored[:2] == forward[:2]
        assert mirrored[2:7] == forward[7:12] and mirrored[7:12] == forward[2:7]
    # PrimeKG numbers nodes by first appearance in the x column
    seen: dict[str, int] = {}
    for row in rows:
        seen.setdefault(row[2], len(seen))
    assert all(int(index) == order for index, order in seen.items())


def test_planted_facts_keep_their_real_ids(loaded: PrimeKGResult) -> None:
    edges = {(e.source, e.type.value, e.target) for e in loaded.batch.edges}
    assert ("DRUGBANK:DB06681", "TARGETS", "NCBIGene:941") in edges
    assert ("DRUGBANK:DB06681", "TARGETS", "NCBIGene:942") in edges
    names = {n.id: n.name for n in loaded.batch.nodes}
    assert names["DRUGBANK:DB06681"] == "Belatacept"
    assert names["MONDO:0009693"] == "plasma cell myeloma"
    assert names["NCBIGene:940"] == "CD28"


def test_without_vocabularies_every_example_fact_is_planted(folder: Path) -> None:
    """A user's clone has no ../shared: made-up drugs and diseases, same planted facts."""
    path = folder / "no-vocab.csv"
    generator.write(6_000, path, seed=2, vocab=None)
    example = load_primekg(REPO / "examples" / "mechanisms.csv", version="x")
    result = load_primekg(path, version="x")
    assert result.stats.rejected_rows == 0
    have = {(e.source, e.type.value, e.target) for e in result.batch.edges}
    want = {(e.source, e.type.value, e.target) for e in example.batch.edges}
    assert want <= have
    names = {n.id: n.name for n in result.batch.nodes}
    assert all(names[n.id] == n.name for n in example.batch.nodes)


def test_degrees_are_heavy_tailed(loaded: PrimeKGResult) -> None:
    degree: Counter[str] = Counter()
    for e in loaded.batch.edges:
        degree[e.source] += 1
        degree[e.target] += 1
    for prefix in ("NCBIGene:", "DRUGBANK:", "UBERON:"):
        values = [d for n, d in degree.items() if n.startswith(prefix)]
        assert max(values) >= 8 * statistics.median(values), prefix
    genes = sorted((d for n, d in degree.items() if n.startswith("NCBIGene:")), reverse=True)
    assert genes[0] > 5 * genes[len(genes) // 100]  # the top gene dwarfs the top percent


def test_checker_agrees_with_a_direct_count(kg: Path, loaded: PrimeKGResult) -> None:
    shape = primekg_shape.measure(kg)
    rows = read_rows(kg)
    assert shape.rows == len(rows) == ROWS
    assert shape.relation_rows == dict(Counter(r[0] for r in rows))
    assert shape.nodes == dict(Counter(t for t, _ in {(r[4], r[3]) for r in rows}))
    kinds = Counter(type(n).__name__ for n in loaded.batch.nodes)
    assert shape.nodes["gene/protein"] == kinds["Gene"]
    assert shape.nodes["drug"] == kinds["Drug"]
    assert sum(shape.nodes.values()) == loaded.stats.nodes
    assert shape.facts == shape.both_orientations == loaded.stats.edges
    assert shape.duplicate_rows == 0
    assert shape.last_first_row < shape.first_mirror_row  # forward half, then mirrored half
    assert sum(sum(v) for v in shape.degree.values()) == 2 * shape.facts
    assert shape.components == 1
    text = primekg_shape.report(shape)
    assert "| drug_drug | 2,672,628 |" in text


def test_checker_notices_a_missing_mirror_and_a_duplicate(kg: Path, folder: Path) -> None:
    lines = kg.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = folder / "broken.csv"
    broken.write_text("".join(lines[:-1] + lines[1:2]), encoding="utf-8")  # drop one, repeat one
    shape = primekg_shape.measure(broken)
    assert shape.both_orientations == shape.facts - 1
    assert shape.duplicate_rows == 1


def test_same_seed_same_file(folder: Path) -> None:
    paths = [folder / f"{name}.csv" for name in ("a", "b", "c")]
    for path, seed in zip(paths, (5, 5, 6), strict=True):
        generator.write(4_000, path, seed=seed)
    a, b, c = (p.read_bytes() for p in paths)
    assert a == b
    assert a != c


def test_full_size_is_primekg_exactly() -> None:
    """At 8,100,498 rows every node and relation count is PrimeKG's (no generation needed)."""
    planted = {("drug_protein", "target"): 13}
    sizes = generator.part_sizes(ref.TOTAL_ROWS, planted)
    per_relation: Counter[str] = Counter()
    for part, size in zip(generator.PARTS, sizes, strict=True):
        per_relation[part.relation] += 2 * size
    assert dict(per_relation) == ref.RELATION_ROWS
    displays = {p.display: 2 * s for p, s in zip(generator.PARTS, sizes, strict=True)
                if p.relation == "drug_protein"}
    assert displays == ref.DRUG_PROTEIN_DISPLAY_ROWS
    counts = generator.node_counts(1.0, "sqrt", {})
    assert counts == {t: n for t, (n, _) in ref.NODE_TYPES.items()}
    # smaller files keep PrimeKG's relation shares and add up to the rows asked for
    small = generator.part_sizes(100_000, planted)
    assert 2 * sum(small) == 100_000
    assert small[0] == round(ref.RELATION_ROWS["protein_protein"] / ref.TOTAL_ROWS * 50_000)
