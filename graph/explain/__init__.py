"""Why a drug might treat a disease: mechanism paths, weighted and ranked.

The explainer works on a networkx ``MultiDiGraph`` as a store hands it over
(:meth:`graph.store.base.GraphStore.mechanism_subgraph`: node attributes
``kind``, ``name`` and ``degrees``; edges keyed by type, in their stored
direction, with ``type`` and ``provenance``) and never touches a store itself.
Each module holds one thing; the public names are re-exported here. Imports
run one way, down this list:

* :mod:`~graph.explain.polarity` — the sign of a statement; :mod:`~graph.explain.metagraph`
  — metanodes, metaedges, metapaths; :mod:`~graph.explain.explanation` — the result models;
* :mod:`~graph.explain.index` — :class:`GraphIndex`, a graph's neighbours and degrees, cached;
* :mod:`~graph.explain.checks` — argument checks shared by the functions below;
* :mod:`~graph.explain.paths` — paths along a metapath, or every path up to a length;
* :mod:`~graph.explain.dwpc` — path-degree products and degree-weighted path counts;
* :mod:`~graph.explain.ranking` — what a ranking sees of a path, and the rankings;
* :mod:`~graph.explain.best_first` — the best few paths of any length, found directly;
* :mod:`~graph.explain.bounded` — the top paths without listing every path, round after
  round of :mod:`~graph.explain.meet`'s search from both ends (its parts: ``meet_levels``,
  ``meet_state``, ``meet_grow``, ``meet_join``);
* :mod:`~graph.explain.explainer` — :func:`explain_pair`, which assembles an explanation;
* :mod:`graph.explain.render` — text, Markdown, HTML and Cypher renderings;
* :mod:`graph.explain.evaluation` — the explainer measured against curated mechanisms.

>>> import networkx as nx
>>> from graph.explain import dwpc, explain_pair, paths_along
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("c", {"kind": "Drug"}), ("g", {"kind": "Gene"}),
...                   ("h", {"kind": "Gene"}), ("d", {"kind": "Disease"})])
>>> for u, t, v in [("c", "TARGETS", "g"), ("c", "TARGETS", "h"), ("g", "ASSOCIATED_WITH", "d")]:
...     _ = G.add_edge(u, v, key=t, type=t, provenance=())
>>> [p.nodes for p in paths_along(G, "c", "d", "CtGaD")]
[('c', 'g', 'd')]
>>> round(dwpc(G, "c", "d", "CtGaD", damping=0.5), 4)  # (2*1)^-0.5 * (1*1)^-0.5
0.7071
>>> explain_pair(G, "c", "d").paths[0].metapath
'CtGaD'
"""

import importlib
from typing import TYPE_CHECKING, Any

# Imported now: the function shares its module's name, and the module, once imported by
# anything, would otherwise shadow the lazily imported function (it imports no networkx).
from graph.explain.dwpc import dwpc, path_degree_product

if TYPE_CHECKING:
    from graph.explain.best_first import SearchCosts, best_paths
    from graph.explain.checks import MAX_HOPS_LIMIT
    from graph.explain.explainer import explain_pair
    from graph.explain.explanation import Explanation, to_networkx
    from graph.explain.index import GraphIndex
    from graph.explain.metagraph import Metapath
    from graph.explain.paths import MechanismPath, mechanism_paths, paths_along
    from graph.explain.ranking import RANKINGS, PathFacts, path_facts, rank_paths

#: Each public name and the module holding it, imported on first use (PEP 562), so that a
#: store importing the neighbourhood contract, or a quick CLI read, does not import the
#: whole explainer.
_PUBLIC = {
    "Explanation": "graph.explain.explanation",
    "GraphIndex": "graph.explain.index",
    "MAX_HOPS_LIMIT": "graph.explain.checks",
    "MechanismPath": "graph.explain.paths",
    "Metapath": "graph.explain.metagraph",
    "PathFacts": "graph.explain.ranking",
    "RANKINGS": "graph.explain.ranking",
    "SearchCosts": "graph.explain.best_first",
    "best_paths": "graph.explain.best_first",
    "explain_pair": "graph.explain.explainer",
    "mechanism_paths": "graph.explain.paths",
    "path_facts": "graph.explain.ranking",
    "paths_along": "graph.explain.paths",
    "rank_paths": "graph.explain.ranking",
    "to_networkx": "graph.explain.explanation",
}


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))


__all__ = [
    "MAX_HOPS_LIMIT",
    "RANKINGS",
    "Explanation",
    "GraphIndex",
    "MechanismPath",
    "Metapath",
    "PathFacts",
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
