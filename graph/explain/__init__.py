"""Why a drug might treat a disease: mechanism paths, weighted and ranked.

The explainer works on a networkx ``MultiDiGraph`` as a store hands it over
(:meth:`graph.store.base.GraphStore.mechanism_subgraph`) and never touches a
store itself. Its modules, each holding one thing, are re-exported here:

* :mod:`~graph.explain.explainer` — :func:`explain_pair`, which assembles an
  :class:`~graph.explain.explanation.Explanation`;
* :mod:`~graph.explain.best_first` — the best few paths of any length;
* :mod:`~graph.explain.ranking` — how paths are ordered;
* :mod:`~graph.explain.metagraph` and :mod:`~graph.explain.polarity` — the
  vocabulary: metapaths, and the sign of a statement;
* :mod:`~graph.explain.explanation` — the result models;
* :mod:`graph.explain.render` — text, Markdown, HTML and Cypher renderings;
* :mod:`graph.explain.evaluation` — the explainer measured against curated mechanisms.
"""

from graph.explain.best_first import SearchCosts, best_paths
from graph.explain.explainer import (
    MAX_HOPS_LIMIT,
    MechanismPath,
    dwpc,
    explain_pair,
    mechanism_paths,
    path_degree_product,
    path_facts,
    paths_along,
    rank_paths,
    to_networkx,
)
from graph.explain.explanation import Explanation

__all__ = [
    "MAX_HOPS_LIMIT",
    "Explanation",
    "MechanismPath",
    "SearchCosts",
    "best_paths",
    "dwpc",
    "explain_pair",
    "mechanism_paths",
    "path_degree_product",
    "path_facts",
    "paths_along",
    "rank_paths",
    "to_networkx",
]
