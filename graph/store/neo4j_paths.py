"""Cypher for the explainer's path search on Neo4j: one statement per question, whatever its size.

:class:`~graph.explain.neighbourhood.Neighbourhoods` asks for degrees of many
nodes, neighbours of many nodes over chosen metaedges, and the statements of
many hops; :class:`~graph.store.neo4j.Neo4jStore` answers each with one
statement built here (``UNWIND`` of the whole frontier). Relationship types
cannot be parameters, so the neighbour query has one ``UNION ALL`` branch per
type asked for (a type in the pattern lets Neo4j read only that type's
relationships of a dense node); types are quoted by
:func:`graph.cypher_names.quote`.

Degrees live on the nodes, as the embedded store keeps them in its degree
table: ``_deg_<TYPE>_<Kind>`` is the number of distinct ``Kind`` neighbours over
``TYPE`` edges, either direction (mechanism metaedges only), and ``_deg`` marks a
node whose degrees are set. Every load refreshes the nodes it touched
(:data:`REFRESH_DEGREES`); a database without them (one ``neo4j-admin`` built)
gets them on the explainer's first read (:data:`UNMARKED`).

>>> text, params = steps_statement([StepRequest("x", "TARGETS", "Gene", 3)], None)
>>> "[r:`TARGETS`]-(o:`Gene`)" in text, params["q0"]
(True, [{'id': 'x', 'cap': 3}])
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from graph.cypher_names import NODE_LABEL, quote
from graph.explain.neighbourhood import HopKey, NodeFacts, Step, StepRequest, merge_steps
from graph.model import MECHANISM_EDGE_TYPES, MECHANISM_KINDS

_N = quote(NODE_LABEL)
_MECHANISM_TYPES = "|".join(quote(t.value) for t in sorted(MECHANISM_EDGE_TYPES))
MECHANISM_KIND_NAMES = sorted(k.value for k in MECHANISM_KINDS)

#: Node properties holding degrees: ``_deg_<TYPE>_<Kind>``, and the mark ``_deg``.
DEGREE_PREFIX = "_deg_"
DEGREE_MARK = "_deg"

#: Kind, name and stored mechanism degrees of each node of ``$ids``.
DEGREES = f"""
UNWIND $ids AS id
MATCH (n:{_N} {{id: id}})
RETURN n.id AS id, n.kind AS kind, n.name AS name, elementId(n) AS eid,
       [key IN keys(n) WHERE key STARTS WITH '{DEGREE_PREFIX}' | [key, n[key]]] AS degrees
"""

#: Count and store the degrees of each node of ``$ids`` (``$kinds``: mechanism kinds).
REFRESH_DEGREES = f"""
UNWIND $ids AS id
MATCH (n:{_N} {{id: id}})
CALL {{
    WITH n
    OPTIONAL MATCH (n)-[r:{_MECHANISM_TYPES}]-(o:{_N})
    WHERE o.kind IN $kinds
    WITH type(r) AS t, o.kind AS k, count(DISTINCT o) AS d
    WHERE t IS NOT NULL
    RETURN collect(['{DEGREE_PREFIX}' + t + '_' + k, d]) AS pairs
}}
FOREACH (key IN [key IN keys(n) WHERE key STARTS WITH '{DEGREE_PREFIX}'] | SET n[key] = null)
FOREACH (pair IN pairs | SET n[pair[0]] = pair[1])
SET n.{DEGREE_MARK} = true
"""

#: Nodes whose degrees are not set.
UNMARKED = f"MATCH (n:{_N}) WHERE n.{DEGREE_MARK} IS NULL RETURN n.id AS id"

#: What a load of source ``$name`` may change the degrees of: its nodes, the ends of its
#: relationships, and the neighbours of nodes only it asserts (they may go, and their
#: relationships with them).
TOUCHED = f"""
CALL {{
    MATCH (n:{_N}) WHERE $name IN n._sources
    OPTIONAL MATCH (n)--(m:{_N}) WHERE n._sources = [$name]
    RETURN collect(DISTINCT n.id) + collect(DISTINCT m.id) AS ids
  UNION ALL
    MATCH (a:{_N})-[r]->(b:{_N}) WHERE $name IN r._sources
    RETURN collect(DISTINCT a.id) + collect(DISTINCT b.id) AS ids
}}
RETURN ids
"""

# One metaedge's requests ($q<i>: {id, cap}): the neighbours (their kind a label in the
# pattern, and the allowed set as element ids: neither reads a property of a neighbour
# left out), how the statements between the two run, and the neighbour's own degree for
# the type towards the node's kind.
_STEP_BRANCH = """
UNWIND $q{i} AS q
MATCH (u:{node} {{id: q.id}})-[r:{rel}]-(o:{label})
WHERE o <> u{within}
WITH q, u, o, collect(startNode(r) = u) AS ways
WITH q, u, o, ways, o['{prefix}' + {type} + '_' + u.kind] AS d
WHERE d IS NOT NULL AND (q.cap IS NULL OR d <= q.cap)
RETURN q.id AS node, {type} AS t, o.id AS other, {kind} AS k,
       true IN ways AS outgoing, false IN ways AS incoming, d, elementId(o) AS eid
"""

#: Element ids of the nodes of ``$ids`` (the allowed sets of neighbour queries use them).
ELEMENT_IDS = f"UNWIND $ids AS id MATCH (n:{_N} {{id: id}}) RETURN n.id AS id, elementId(n) AS eid"

#: The statements of each hop of ``$hops`` ({u, type, v}), stored either way.
HOP_STATEMENTS = f"""
UNWIND $hops AS h
MATCH (a:{_N} {{id: h.u}})-[r]-(b:{_N} {{id: h.v}})
WHERE type(r) = h.type
RETURN DISTINCT startNode(r).id AS s, type(r) AS t, endNode(r).id AS o, r._assertions AS x
"""


def steps_statement(requests: Sequence[StepRequest],
                    within: Mapping[tuple[str, str], Sequence[str]] | None,
                    ) -> tuple[str, dict[str, Any]]:
    """The neighbour query for these requests: one ``UNION ALL`` branch per metaedge;
    ``within`` holds element ids (:data:`ELEMENT_IDS`) by metaedge."""
    by_metaedge: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for request in requests:
        by_metaedge.setdefault((request.edge_type, request.other_kind), []).append(
            {"id": request.node, "cap": request.max_degree})
    params: dict[str, Any] = {}
    branches = []
    for i, ((edge_type, kind), rows) in enumerate(sorted(by_metaedge.items())):
        params[f"q{i}"], params[f"t{i}"], params[f"k{i}"] = rows, edge_type, kind
        if within is not None:
            params[f"w{i}"] = list(within.get((edge_type, kind), ()))
        branches.append(_STEP_BRANCH.format(
            i=i, node=_N, rel=quote(edge_type), label=quote(kind), type=f"$t{i}",
            kind=f"$k{i}", prefix=DEGREE_PREFIX,
            within="" if within is None else f" AND elementId(o) IN $w{i}"))
    return "UNION ALL".join(branches), params


def read_degrees(rows: Sequence[dict[str, Any]]) -> dict[str, NodeFacts]:
    """:class:`NodeFacts` from the rows of :data:`DEGREES`.

    >>> read_degrees([{"id": "x", "kind": "Gene", "name": "x",
    ...                "degrees": [["_deg_INTERACTS_WITH_Gene", 3]]}])["x"].degrees
    {('INTERACTS_WITH', 'Gene'): 3}
    """
    found = {}
    for row in rows:
        degrees = {}
        for key, degree in row["degrees"]:
            edge_type, _, kind = key[len(DEGREE_PREFIX):].rpartition("_")
            degrees[(edge_type, kind)] = degree
        found[row["id"]] = NodeFacts(row["kind"], row["name"], degrees)
    return found


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
    "DEGREE_MARK",
    "DEGREE_PREFIX",
    "ELEMENT_IDS",
    "HOP_STATEMENTS",
    "MECHANISM_KIND_NAMES",
    "REFRESH_DEGREES",
    "TOUCHED",
    "UNMARKED",
    "hop_rows",
    "read_degrees",
    "read_steps",
    "steps_statement",
]
