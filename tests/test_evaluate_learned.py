"""The learned ranking (a mechanism shape), its cross-validation by drug, parallel runs and
bootstrap intervals."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import ParseError
from graph.explain import explain_pair
from graph.explain.evaluation import CuratedPath, evaluate, shortest_paths_method
from graph.explain.evaluation import run as run_module
from graph.explain.evaluation.crossval import (
    cross_validate,
    curated_walks,
    drug_folds,
    fit_on_paths,
)
from graph.explain.evaluation.methods import learned_method
from graph.explain.evaluation.stats import bootstrap_interval, paired_difference_interval
from graph.explain.shape import LearnedRanking, MechanismShape, fit_shape, shipped_shape

CURATED = (("Drug", "Gene", "BiologicalProcess", "Disease"), ("INHIBITS", "INCREASES", "CAUSES"))


def test_shape_counts_and_smooths() -> None:
    shape = fit_shape([CURATED] * 4 + [(("Drug", "Gene", "Disease"), ("ACTIVATES", "CAUSES"))])
    seen = shape.step_probability("Drug", "INHIBITS", "Gene")
    assert seen > shape.step_probability("Drug", "ACTIVATES", "Gene") > 0
    unseen = shape.step_probability("Drug", "PART_OF", "Anatomy")
    assert 0 < unseen < 0.05
    # A kind never seen before a step still gets a probability (the back-off alone).
    assert 0 < shape.step_probability("Exposure", "CAUSES", "Disease") < 1
    assert shape.length_probability(3) > shape.length_probability(2) > \
        shape.length_probability(7)
    # Every step the shape knows from Drug, plus the back-off mass, stays a distribution.
    assert sum(shape.step_probability("Drug", *s.split(">"))
               for s in shape.steps["Drug"]) < 1.0


def test_shape_file_round_trip_and_bad_file(tmp_path: Path) -> None:
    shape = fit_shape([CURATED], provenance={"fitted_on": "test"})
    shape.save(tmp_path / "shape.json")
    again = MechanismShape.load(tmp_path / "shape.json")
    assert again.provenance == {"fitted_on": "test"}
    assert again.step_probability("Gene", "INCREASES", "BiologicalProcess") == \
        pytest.approx(shape.step_probability("Gene", "INCREASES", "BiologicalProcess"))
    (tmp_path / "bad.json").write_text('{"format": "something else"}')
    with pytest.raises(ParseError, match=r"bad\.json"):
        MechanismShape.load(tmp_path / "bad.json")


def test_shipped_shape_says_where_it_came_from() -> None:
    shape = shipped_shape()
    assert shape.provenance["curated_paths"] > 2000
    assert "DrugMechDB" in shape.provenance["fitted_on"]
    assert len(shape.provenance["paths_sha256"]) == 64
    # Drug → Gene is how curated mechanisms start far more often than Drug → Disease.
    assert shape.step_probability("Drug", "INHIBITS", "Gene") > \
        10 * shape.step_probability("Drug", "ASSOCIATED_WITH", "Disease")


def two_route_graph() -> nx.MultiDiGraph:
    """Drug c reaches disease d through a gene and a process (curated-looking), or
    through an anatomy node (stated PART_OF / LOCATION_OF: never in the shape)."""
    G = nx.MultiDiGraph()
    G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene"}),
                      ("p", {"kind": "BiologicalProcess"}), ("a", {"kind": "Anatomy"}),
                      ("b", {"kind": "Anatomy"}), ("d", {"kind": "Disease"})])
    for u, t, v in [("c", "INHIBITS", "g"), ("g", "INCREASES", "p"), ("p", "CAUSES", "d"),
                    ("c", "PART_OF", "a"), ("a", "LOCATION_OF", "b"), ("b", "PART_OF", "d")]:
        G.add_edge(u, v, key=t, type=t, provenance=())
    # Make the gene route the hub-heavier one, so the plain ranking prefers the other.
    for i in range(30):
        G.add_node(f"x{i}", kind="BiologicalProcess")
        G.add_edge("g", f"x{i}", key="INCREASES", type="INCREASES", provenance=())
    return G


@pytest.mark.parametrize("search", ["all", "bounded", "best-first"])
def test_learned_ranking_prefers_curated_shapes(search: str) -> None:
    G = two_route_graph()

    def first_step(ranking: str | LearnedRanking) -> str:
        e = explain_pair(G, "c", "d", ranking=ranking, search=search, max_hops=4, top=1)
        return e.paths[0].nodes[1].id

    assert first_step("dwpc") == "a"  # the hub-free route
    assert first_step(LearnedRanking(fit_shape([CURATED] * 5))) == "g"  # the curated shape


def chain(path_id: str, drug: str, disease: str, middle: list[tuple[str, str]],
          types: list[str]) -> CuratedPath:
    nodes = [(drug, "Drug"), *middle, (disease, "Disease")]
    return CuratedPath(path_id, drug, disease, tuple((n, k, n) for n, k in nodes),
                       tuple((a[0], t, b[0], t.lower()) for a, t, b in
                             zip(nodes, types, nodes[1:], strict=False)))


PATHS = [
    chain(f"D{i}_X_1", f"D{i}", "X", [(f"g{i % 3}", "Gene"), ("p", "BiologicalProcess")],
          ["INHIBITS", "INCREASES", "CAUSES"]) for i in range(6)
] + [chain("Z_Y_1", "Z", "Y", [("g0", "Gene"), ("q", "Anatomy")],
           ["ACTIVATES", "LOCATED_IN", "CAUSES"])]


def test_curated_walks_follow_the_statements() -> None:
    assert curated_walks(PATHS[-1]) == [(("Drug", "Gene", "Anatomy", "Disease"),
                                         ("ACTIVATES", "LOCATED_IN", "CAUSES"))]


def test_folds_split_drugs_and_are_seeded() -> None:
    drugs = [f"D{i}" for i in range(20)]
    folds = drug_folds(drugs, folds=4, seed=3)
    assert set(folds) == set(drugs) and set(folds.values()) == {0, 1, 2, 3}
    assert folds == drug_folds(reversed(drugs), folds=4, seed=3)
    assert folds != drug_folds(drugs, folds=4, seed=4)


def test_cross_validation_never_fits_on_the_fold_it_scores() -> None:
    fold_of = drug_folds((p.drug for p in PATHS), folds=2, seed=0)
    seen: list[tuple[bool, int]] = []

    def make(shape: MechanismShape):  # type: ignore[no-untyped-def]
        # Z's path is the only one with ACTIVATES and an Anatomy node.
        seen.append(("ACTIVATES>Gene" in shape.steps.get("Drug", {}), len(seen)))
        return shortest_paths_method

    report = cross_validate(PATHS, {"learned": make}, {"baseline": lambda: shortest_paths_method},
                            folds=2, seed=0, k=3)
    z_fold = fold_of["Z"]
    assert [has for has, _ in seen] == [fold != z_fold for fold in range(2)]
    assert report.evaluated == len(PATHS)  # every indication scored once
    learned, baseline = report.methods
    assert learned.target_hit == baseline.target_hit  # the same method, the same indications


def test_jobs_give_the_same_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run_module, "CHUNK", 1)
    methods = {"learned": learned_method(fit_on_paths(PATHS)),
               "baseline": shortest_paths_method}
    one = evaluate(PATHS, methods, k=3, keep_own=True)
    methods = {"learned": learned_method(fit_on_paths(PATHS)),
               "baseline": shortest_paths_method}
    two = evaluate(PATHS, methods, k=3, keep_own=True, jobs=2)
    assert one.per_indication == two.per_indication
    assert [m.intervals for m in one.methods] == [m.intervals for m in two.methods]
    assert one.methods[1].vs_baseline == {}  # the baseline is not compared with itself
    assert set(one.methods[0].vs_baseline) == {"answered", "target_hit", "node_recall",
                                               "metapath_hit"}


def test_bootstrap_is_seeded_and_paired() -> None:
    values = [float(i % 3 == 0) for i in range(300)]
    assert bootstrap_interval(values, seed=7) == bootstrap_interval(values, seed=7)
    low, high = bootstrap_interval(values)
    assert low < sum(values) / len(values) < high
    assert paired_difference_interval(values, values) == (0.0, 0.0)
    shifted = [min(v + 0.1, 1.0) for v in values]
    assert paired_difference_interval(shifted, values)[0] > 0.05


def test_cli_evaluate_intervals_jobs_and_cv(tmp_path: Path) -> None:
    data = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "drugmechdb"
    names = ("DB00002_MESH_D003110_1.yaml", "DB00005_MESH_D001171_1.yaml")
    for name in names:
        if not (data / "paths" / name).exists():
            pytest.skip(f"real data not present: {data / 'paths' / name}")
        (tmp_path / name).write_bytes((data / "paths" / name).read_bytes())
    runner = CliRunner()
    result = runner.invoke(main, ["evaluate", "drugmechdb", str(tmp_path), "--k", "5",
                                  "--keep-own", "--jobs", "2", "--format", "json"])
    assert result.exit_code == 0, result.output
    methods = json.loads(result.output)["methods"]
    assert [m["method"] for m in methods][:2] == ["explainer: best-first, mechanism ranking",
                                                  "explainer: learned"]
    for m in methods:
        low, high = m["intervals_95"]["node_recall_at_k"]
        assert low <= m["node_recall_at_k"] <= high
    text = runner.invoke(main, ["evaluate", "drugmechdb", str(tmp_path), "--cv", "2"])
    assert text.exit_code == 0, text.output
    assert "explainer: learned (cross-validated)" in text.output
    assert "difference from the baseline" in text.output
    assert "\r" not in text.output  # no progress line when not on a terminal
    wrong = runner.invoke(main, ["evaluate", "drugmechdb", str(tmp_path), "--cv", "2",
                                 "--keep-own"])
    assert wrong.exit_code != 0 and "--cv" in wrong.output
