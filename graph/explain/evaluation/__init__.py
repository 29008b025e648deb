"""The explainer measured against curated mechanisms (DrugMechDB's drug → disease paths).

* :mod:`~graph.explain.evaluation.curated` — curated paths, and a small reader of
  DrugMechDB's path files;
* :mod:`~graph.explain.evaluation.methods` — what is scored: the explainer's variants and
  the shortest-path baseline;
* :mod:`~graph.explain.evaluation.run` — an evaluation run: hide each indication's own
  statements, ask every method, score, restore; the report.

(The test oracle — slow, obviously correct path counts — lives with the tests,
``tests/explain_baseline.py``.)
"""

from graph.explain.evaluation.curated import (
    CuratedPath,
    curated_path_from_data,
    from_loader_paths,
    read_curated_paths,
)
from graph.explain.evaluation.methods import (
    BestFirstMethod,
    PathMethod,
    default_methods,
    explainer_method,
    shortest_paths_method,
)
from graph.explain.evaluation.run import (
    EvaluationReport,
    Indication,
    MethodSummary,
    Scores,
    build_graph,
    evaluate,
    format_report,
    indications,
    score_paths,
)

__all__ = [
    "BestFirstMethod",
    "CuratedPath",
    "EvaluationReport",
    "Indication",
    "MethodSummary",
    "PathMethod",
    "Scores",
    "build_graph",
    "curated_path_from_data",
    "default_methods",
    "evaluate",
    "explainer_method",
    "format_report",
    "from_loader_paths",
    "indications",
    "read_curated_paths",
    "score_paths",
    "shortest_paths_method",
]
