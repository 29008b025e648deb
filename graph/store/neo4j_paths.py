"""Cypher for the explainer's path search on Neo4j: one statement per question, whatever its size.

:class:`~graph.explain.neighbourhood.Neighbourhoods` asks for degrees of many
nodes, neighbours of many nodes over chosen metaedges, and the statements of
many hops; :class:`~graph.store.neo4j.Neo4jStore` answers each with statements
built here (``UNWIND`` of the whole frontier). Relationship types cannot be
parameters, so the neighbour question takes one statement per metaedge asked
for (a type in the pattern lets Neo4j read only that type's relationships of a
dense node), whose text depends on nothing else: the server plans each once and
keeps the plan (one ``UNION ALL`` of the metaedges asked for was a new text
nearly every time, and planning it took seconds). Types are quoted by
:func:`graph.cypher_names.quote`.

Degrees (distinct neighbours of a kind over a type, either direction, as the
embedded store keeps them in its degree table) are counted once and kept on the
node: ``_deg_<TYPE>_<Kind>`` properties, and the mark ``_deg`` saying they are
set. A load removes the mark from every stored node it adds or removes a
relationship of, in the same transaction, and labels it (and every node it
creates) ``TxkgRecount``; when the load is complete, those nodes are counted
(:meth:`~graph.store.neo4j.Neo4jStore.keep_degrees`, about a minute for all of
PrimeKG). A node still without the mark (a load killed before that) has its
degrees counted when the explainer asks (:data:`REFRESH_DEGREES` locks the node,
counts and sets them, so a concurrent load cannot slip in between), and until
then a neighbour's degree is counted in the query, only up to one past the
largest cap the question allows (a hub past the cap costs the cap, not its
degree). A database ``neo4j-admin`` built has no marks: the same rule covers it.

>>> [(text, params)] = steps_statements([StepRequest("x", "TARGETS", "Gene", 3)], None)
>>> "[r:`TARGETS`]-(o:`Gene`)" in text, params["q0"], params["lim"]
(True, [{'id': 'x', 'cap': 3}], 4)
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any

from graph.cypher_names import NODE_LABEL, RECOUNT_LABEL, quote
from graph.explain.neighbourhood import HopKey, Step, StepRequest, merge_steps
from graph.model import MECHANISM_EDGE_TYPES, MECHANISM_KINDS
from graph.store.neo4j_layout import DEGREE_MARK, DEGREE_PREFIX

_N = quote(NODE_LABEL)
_MECHANISM_TYPES = "|".join(quote(t.value) for t in sorted(MECHANISM_EDGE_TYPES))
MECHANISM_KIND_NAMES = sorted(k.value for k in MECHANISM_KINDS)

#: Id, kind, name, element id and the kept mechanism degrees of each node of ``$ids``
#: (degrees null for a node whose degrees are not set), as one record holding a list of
#: lists (the driver decodes those far faster than a record per node).
DEGREES = f"""
UNWIND $ids AS id
MATCH (n:{_N} {{id: id}})
RETURN collect([n.id, n.kind, n.name, elementId(n),
       CASE WHEN n.{DEGREE_MARK} IS NULL THEN null
            ELSE [key IN keys(n) WHERE key STARTS WITH '{DEGREE_PREFIX}' | [key, n[key]]]
       END]) AS found
"""

# ``pairs``: node ``n``'s degree per mechanism metaedge, as [property name, degree].
_COUNTED = f"""CALL (n) {{
    OPTIONAL MATCH (n)-[r:{_MECHANISM_TYPES}]-(o:{_N})
    WHERE o.kind IN $kinds
    WITH type(r) AS t, o.kind AS k, count(DISTINCT o) AS d
    WHERE t IS NOT NULL
    RETURN collect(['{DEGREE_PREFIX}' + t + '_' + k, d]) AS pairs
}}
"""

#: Count, set and mark the degrees of the nodes of ``$eids`` (element ids; ``$kinds``:
#: the mechanism kinds). The mark is set first: it takes the node's write lock, so a load
#: adding a relationship to it waits, and removes the mark after.
REFRESH_DEGREES = f"""
UNWIND $eids AS eid
MATCH (n:{_N}) WHERE elementId(n) = eid
SET n.{DEGREE_MARK} = true
REMOVE n:{quote(RECOUNT_LABEL)}
WITH n
{_COUNTED}
FOREACH (key IN [key IN keys(n) WHERE key STARTS WITH '{DEGREE_PREFIX}'] | SET n[key] = null)
FOREACH (pair IN pairs | SET n[pair[0]] = pair[1])
RETURN n.id AS id, [pair IN pairs | [pair[0], pair[1]]] AS kept
"""

#: Element ids of the nodes a load listed for recounting.
TO_RECOUNT = f"MATCH (n:{quote(RECOUNT_LABEL)}) RETURN elementId(n) AS eid"

#: The same count, without keeping it (a database this user may not write).
COUNT_DEGREES = f"""
UNWIND $eids AS eid
MATCH (n:{_N}) WHERE elementId(n) = eid
{_COUNTED}
RETURN n.id AS id, pairs AS kept
"""

# One metaedge's requests ($q<i>: {id, cap}): the neighbours (their kind a label in the
# pattern, and the allowed set as element ids: neither reads a property of a neighbour
# left out), how the statements between the two run, and the neighbour's own degree for
# the type towards the node's kind. One record per node, its neighbours a list of lists:
# the driver decodes nested lists far faster than it builds a record per neighbour (a
# third of the client's CPU for the steps of one drug's 50 predictions).
_STEP_BRANCH = """
UNWIND $q{i} AS q
MATCH (u:{node} {{id: q.id}})-[r:{rel}]-(o:{label})
WHERE o <> u{within}
WITH q, u, o, collect(startNode(r) = u) AS ways
CALL (o, u) {{
    WITH o, u WHERE o.{mark} IS NULL
    MATCH (o)-[:{rel}]-(x:{node})
    WHERE x.kind = u.kind
    WITH DISTINCT x {limit}
    RETURN count(x) AS counted
}}
WITH q, u, o, ways, CASE WHEN o.{mark} IS NULL THEN counted
                         ELSE coalesce(o['{prefix}' + {type} + '_' + u.kind], 0) END AS d
WHERE q.cap IS NULL OR d <= q.cap
RETURN q.id AS node, collect([o.id, true IN ways, false IN ways, d, elementId(o)]) AS found
"""

#: The count limit of a statement whose requests have no degree cap (none reached).
NO_LIMIT = 2**62

#: Element ids of the nodes of ``$ids`` (the allowed sets of neighbour queries use them).
ELEMENT_IDS = f"UNWIND $ids AS id MATCH (n:{_N} {{id: id}}) RETURN n.id AS id, elementId(n) AS eid"

#: The statements of each hop of ``$hops`` ({u, type, v}), stored either way: one record
#: holding ``[subject, type, object, properties]`` of each.
HOP_STATEMENTS = f"""
UNWIND $hops AS h
MATCH (a:{_N} {{id: h.u}})-[r]-(b:{_N} {{id: h.v}})
WHERE type(r) = h.type
WITH DISTINCT r
RETURN collect([startNode(r).id, type(r), endNode(r).id, properties(r)]) AS found
"""


def steps_statements(requests: Sequence[StepRequest],
                     within: Mapping[tuple[Any, ...], Collection[str]] | None,
                     element_ids: Mapping[str, str] | None = None,
                     ) -> list[tuple[str, dict[str, Any]]]:
    """The neighbour queries for these requests, one per metaedge asked for. The text of
    each depends only on its metaedge and on whether allowed sets apply, so the server
    plans it once and then takes it from its plan cache (a union of the metaedges asked
    for, one statement for all, was a new text nearly every time, and planning it took
    seconds). ``within`` holds node ids by :func:`~graph.explain.neighbourhood.within_key`,
    ``element_ids`` their element ids (:data:`ELEMENT_IDS`; a node without one is left
    out).

    A node asked about more than once (the lockstep merges many searches' questions, each
    with allowed sets of its own) is one row, with its groups and the loosest of their
    degree caps, so that a hub's relationships are read once, not once a group; the
    allowed sets come as one map from element id to the groups whose set holds it (a
    list per group, looked up per row's group, was read as a list when rows alternated
    between groups). A neighbour is kept when one of the node's groups allows it, so the
    answer may hold steps some of its requests do not allow:
    :func:`~graph.explain.neighbourhood.allowed_steps` keeps each request to its own set
    and cap."""
    by_metaedge: dict[tuple[str, str], dict[Any, list[StepRequest]]] = {}
    for request in requests:
        by_metaedge.setdefault((request.edge_type, request.other_kind), {}).setdefault(
            request.node, []).append(request)
    statements = []
    for (edge_type, kind), nodes in sorted(by_metaedge.items()):
        caps = {node: _loosest([r.max_degree for r in asked]) for node, asked in nodes.items()}
        largest = _loosest(list(caps.values()))
        # A neighbour's degree is counted up to one past the largest cap: enough to
        # tell it exactly when it is allowed, and a hub costs no more than that.
        params: dict[str, Any] = {"t0": edge_type, "k0": kind,
                                  "lim": NO_LIMIT if largest is None else largest + 1}
        if within is None:
            params["q0"] = [{"id": node, "cap": cap} for node, cap in caps.items()]
        else:
            params["q0"] = [{"id": node, "cap": caps[node],
                             "gs": sorted({str(r.group) for r in asked})}
                            for node, asked in nodes.items()]
            params["w0"] = _sets_of(within, element_ids or {}, edge_type, kind,
                                    {r.group for asked in nodes.values() for r in asked})
        statements.append((_STEP_BRANCH.format(
            i=0, node=_N, rel=quote(edge_type), label=quote(kind), type="$t0", kind="$k0",
            limit="LIMIT $lim", mark=DEGREE_MARK, prefix=DEGREE_PREFIX,
            within="" if within is None else
            " AND any(g IN q.gs WHERE g IN $w0[elementId(o)])"), params))
    return statements


def _sets_of(within: Mapping[tuple[Any, ...], Collection[str]],
             element_ids: Mapping[str, str], edge_type: str, kind: str,
             groups: Collection[int]) -> dict[str, list[str]]:
    """The allowed sets of these groups of a metaedge, turned inside out: for each
    element id, the groups whose set holds its node (a map lookup per neighbour on the
    server).

    >>> _sets_of({("T", "K"): ["a"], ("T", "K", 2): ["a", "b"]}, {"a": "e1", "b": "e2"},
    ...          "T", "K", [0, 2])
    {'e1': ['0', '2'], 'e2': ['2']}
    """
    inside_out: dict[str, list[str]] = {}
    for group in sorted(groups):
        key = (edge_type, kind, group) if group else (edge_type, kind)
        name = str(group)
        for node in within.get(key, ()):
            eid = element_ids.get(node)
            if eid is not None:
                inside_out.setdefault(eid, []).append(name)
    return inside_out


def _loosest(caps: Sequence[int | None]) -> int | None:
    """The loosest of these degree caps (None: no cap).

    >>> _loosest([3, 5]), _loosest([3, None])
    (5, None)
    """
    return None if None in caps else max(cap for cap in caps if cap is not None)


def kept_degrees(pairs: Sequence[Sequence[Any]]) -> dict[tuple[str, str], int]:
    """Degrees by metaedge from ``[property name, degree]`` pairs.

    >>> kept_degrees([["_deg_INTERACTS_WITH_Gene", 3]])
    {('INTERACTS_WITH', 'Gene'): 3}
    """
    degrees = {}
    for key, degree in pairs:
        edge_type, _, kind = key[len(DEGREE_PREFIX):].rpartition("_")
        degrees[(edge_type, kind)] = degree
    return degrees


def read_steps(answers: Sequence[tuple[dict[str, Any], Sequence[Sequence[Any]]]]
               ) -> list[Step]:
    """Steps from each statement of :func:`steps_statements` (its parameters) and its
    records (``node, found``, each of ``found`` ``[other, outgoing, incoming, d, eid]``).

    >>> params = {"t0": "TARGETS", "k0": "Gene"}
    >>> [s.other for s in read_steps([(params, [("c", [["g", True, False, 2, "4:x:1"]])])])]
    ['g']
    """
    found = []
    for params, records in answers:
        edge_type, kind = params["t0"], params["k0"]
        for node, neighbours in records:
            for other, outgoing, incoming, degree, _ in neighbours:
                if outgoing:
                    found.append((node, edge_type, other, kind, True, degree))
                if incoming:
                    found.append((node, edge_type, other, kind, False, degree))
    return merge_steps(found)


def met_element_ids(records: Sequence[Sequence[Any]]) -> Iterator[tuple[str, str]]:
    """``(id, element id)`` of each neighbour in a steps statement's records."""
    for _, neighbours in records:
        for other, _, _, _, eid in neighbours:
            yield other, eid


def hop_rows(hops: Collection[HopKey]) -> list[dict[str, str]]:
    """``$hops`` for :data:`HOP_STATEMENTS`."""
    return [{"u": u, "type": t, "v": v} for u, t, v in hops]


__all__ = [
    "COUNT_DEGREES",
    "DEGREES",
    "ELEMENT_IDS",
    "HOP_STATEMENTS",
    "MECHANISM_KIND_NAMES",
    "REFRESH_DEGREES",
    "TO_RECOUNT",
    "hop_rows",
    "kept_degrees",
    "met_element_ids",
    "read_steps",
    "steps_statements",
]
