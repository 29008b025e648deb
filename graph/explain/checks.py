"""Argument checks the explainer's public functions share; each raises a :mod:`graph.errors` error.

>>> check_hops(2, 4)
>>> check_hops(3, 2)
Traceback (most recent call last):
...
graph.errors.InvalidArgument: need 1 <= min_hops <= max_hops <= 8, got 3 and 2
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from graph.errors import InvalidArgument, NotFound
from graph.explain.index import GraphIndex
from graph.explain.metagraph import Metapath

if TYPE_CHECKING:
    import networkx as nx

#: Longest path the explainer searches; the number of paths grows fast with length.
MAX_HOPS_LIMIT = 8


def require_node(G: nx.MultiDiGraph[Any], node: Any) -> None:
    """:class:`~graph.errors.NotFound` unless ``node`` is in ``G``."""
    if node not in G:
        raise NotFound(str(node))


def check_damping(damping: float) -> None:
    """The damping exponent must be a finite number >= 0."""
    if not (isinstance(damping, int | float) and math.isfinite(damping) and damping >= 0):
        raise InvalidArgument(f"damping must be a finite number >= 0, got {damping!r}")


def check_hops(min_hops: int, max_hops: int) -> None:
    """Path lengths must satisfy ``1 <= min_hops <= max_hops <=`` :data:`MAX_HOPS_LIMIT`."""
    if not (isinstance(min_hops, int) and isinstance(max_hops, int)
            and 1 <= min_hops <= max_hops <= MAX_HOPS_LIMIT):
        raise InvalidArgument(
            f"need 1 <= min_hops <= max_hops <= {MAX_HOPS_LIMIT}, got {min_hops} and {max_hops}"
        )


def check_ends(index: GraphIndex, source: Any, target: Any, metapath: Metapath) -> None:
    """``metapath`` must start at the source's kind and end at the target's."""
    check_end_kinds((source, index.kind(source)), (target, index.kind(target)), metapath)


def check_end_kinds(source: tuple[Any, str], target: tuple[Any, str],
                    metapath: Metapath) -> None:
    """:func:`check_ends` for ends given as ``(node, kind)``."""
    for role, (node, node_kind), kind in (("source", source, metapath.source_kind),
                                          ("target", target, metapath.target_kind)):
        if node_kind != kind:
            raise InvalidArgument(
                f"{role} {node!r} is a {node_kind}; metapath "
                f"{metapath.abbreviation} {'starts' if role == 'source' else 'ends'} at {kind}"
            )


def check_top(top: int) -> None:
    """``top`` must be a positive integer."""
    if not isinstance(top, int) or top < 1:
        raise InvalidArgument(f"top must be a positive integer, got {top!r}")


__all__ = ["MAX_HOPS_LIMIT", "check_damping", "check_end_kinds", "check_ends", "check_hops",
           "check_top", "require_node"]
