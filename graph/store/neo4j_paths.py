"""Cypher for the explainer's path search on Neo4j: one statement per question, whatever its size.

:class:`~graph.explain.neighbourhood.Neighbourhoods` asks for degrees of many
nodes, neighbours of many nodes over chosen metaedges, and the statements of
many hops; :class:`~graph.store.neo4j.Neo4jStore` answers each with one
statement built here (``UNWIND`` of the whole frontier). Relationship types
cannot be parameters, so the neighbour query has one ``UNION ALL`` branch per
type asked for (a type in the pattern lets Neo4j read only that type's
relationships of a dense node); types are quoted by
:func:`graph.cypher_names.quote`.

Degrees are counted when asked (distinct neighbours of a kind over a type,
either direction: what the embedded store keeps in its degree table), so
nothing has to be kept up to date by loads.

>>> text, params = steps_statement([StepRequest("x", "TARGETS", "Gene", 3)], None)
>>> "[r:`TARGETS`]" in text, params["q0"]
(True, [{'id': 'x', 'kind': 'Gene', 'cap': 3}])
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from graph.cypher_names import NODE_LABEL, quote
from graph.explain.neighbourhood import HopKey, NodeFacts, Step, StepRequest, merge_steps
from graph.model import MECHANISM_EDGE_TYPES, MECHANISM_KINDS

_N = quote(NODE_LABEL)
_MECHANISM_TYPES = "|".join(quote(t.value) for t in sorted(MECHANISM_EDGE_TYPES))
MECHANISM_KIND_NAMES = sorted(k.value for k in MECHANISM_KINDS)

#: Kind, name and mechanism degrees of each node of ``$ids``.
DEGREES = f"""
UNWIND $ids AS id
MATCH (n:{_N} {{id: id}})
CALL {{
    WITH n
    OPTIONAL MATCH (n)-[r:{_MECHANISM_TYPES}]-(o:{_N})
    WHERE o.kind IN $kinds
    RETURN type(r) AS t, o.kind AS k, count(DISTINCT o) AS d
}}
RETURN n.id AS id, n.kind AS kind, n.name AS name, collect([t, k, d]) AS degrees
"""

# One type's requests ($q<i>: {id, kind, cap}): the neighbours, how the statements
# between the two run, and the neighbour's own degree for the type towards the node's kind.
_STEP_BRANCH = """
UNWIND $q{i} AS q
MATCH (u:{node} {{id: q.id}})-[r:{rel}]-(o:{node})
WHERE o.kind = q.kind AND o <> u{within}
WITH q, u, o, collect(startNode(r) = u) AS ways
CALL {{
    WITH o, u
    MATCH (o)-[:{rel}]-(x:{node})
    WHERE x.kind = u.kind
    RETURN count(DISTINCT x) AS d
}}
WITH q, u, o, ways, d WHERE q.cap IS NULL OR d <= q.cap
RETURN q.id AS node, {type} AS t, o.id AS other, o.kind AS k,
       true IN ways AS outgoing, false IN ways AS incoming, d
"""

#: The statements of each hop of ``$hops`` ({u, type, v}), stored either way.
HOP_STATEMENTS = f"""
UNWIND $hops AS h
MATCH (a:{_N} {{id: h.u}})-[r]-(b:{_N} {{id: h.v}})
WHERE type(r) = h.type
RETURN DISTINCT startNode(r).id AS s, type(r) AS t, endNode(r).id AS o, r._assertions AS x
"""


def steps_statement(requests: Sequence[StepRequest],
                    within: Collection[str] | None) -> tuple[str, dict[str, Any]]:
    """The neighbour query for these requests (one ``UNION ALL`` branch per edge type)."""
    by_type: dict[str, list[dict[str, Any]]] = {}
    for request in requests:
        by_type.setdefault(request.edge_type, []).append(
            {"id": request.node, "kind": request.other_kind, "cap": request.max_degree})
    params: dict[str, Any] = {}
    branches = []
    for i, (edge_type, rows) in enumerate(sorted(by_type.items())):
        params[f"q{i}"] = rows
        params[f"t{i}"] = edge_type
        branches.append(_STEP_BRANCH.format(
            i=i, node=_N, rel=quote(edge_type), type=f"$t{i}",
            within="" if within is None else " AND o.id IN $within"))
    if within is not None:
        params["within"] = list(within)
    return "UNION ALL".join(branches), params


def read_degrees(rows: Sequence[dict[str, Any]]) -> dict[str, NodeFacts]:
    """:class:`NodeFacts` from the rows of :data:`DEGREES`."""
    return {row["id"]: NodeFacts(row["kind"], row["name"], {
        (t, k): d for t, k, d in row["degrees"] if t is not None})
        for row in rows}


def read_steps(rows: Sequence[dict[str, Any]]) -> list[Step]:
    """Steps from the rows of :func:`steps_statement`."""
    found = []
    for row in rows:
        if row["outgoing"]:
            found.append((row["node"], row["t"], row["other"], row["k"], True, row["d"]))
        if row["incoming"]:
            found.append((row["node"], row["t"], row["other"], row["k"], False, row["d"]))
    return merge_steps(found)


def hop_rows(hops: Collection[HopKey]) -> list[dict[str, str]]:
    """``$hops`` for :data:`HOP_STATEMENTS`."""
    return [{"u": u, "type": t, "v": v} for u, t, v in hops]


__all__ = [
    "DEGREES",
    "HOP_STATEMENTS",
    "MECHANISM_KIND_NAMES",
    "hop_rows",
    "read_degrees",
    "read_steps",
    "steps_statement",
]
