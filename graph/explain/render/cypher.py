"""An explanation as Cypher: a query that redraws its top paths in Neo4j Browser.

Each path becomes one ``MATCH`` of the exact nodes (by id) and relationship
types the explanation walked, in their stored direction; the ``UNION ALL`` of
them returns every path, so Browser draws the whole picture at once. Ids are
written as string literals (escaped), so the query pastes into Browser as is.
"""

from __future__ import annotations

import json

from graph.cypher_names import quote
from graph.explain.explanation import Explanation, Hop, RankedPath


def _literal(text: str) -> str:
    """A Cypher string literal.

    >>> _literal("it's")
    '"it\\'s"'
    """
    return json.dumps(text, ensure_ascii=False)


def _relationship(hop: Hop) -> str:
    edge = f"[:{quote(hop.edge_type)}]"
    if hop.direction == "forward":
        return f"-{edge}->"
    if hop.direction == "reverse":
        return f"<-{edge}-"
    return f"-{edge}-"


def path_pattern(path: RankedPath) -> str:
    """``(n0:Node {id: …})-[:TYPE]->(n1:Node {id: …})…`` for one ranked path."""
    parts = [f"(n0:Node {{id: {_literal(path.nodes[0].id)}}})"]
    for i, (hop, node) in enumerate(zip(path.hops, path.nodes[1:], strict=True), 1):
        parts.append(f"{_relationship(hop)}(n{i}:Node {{id: {_literal(node.id)}}})")
    return "".join(parts)


def format_cypher(explanation: Explanation) -> str:
    """A Cypher query returning the explanation's top paths, one row per path.

    An explanation without paths gives a query that returns the two end nodes.
    """
    e = explanation
    header = (f"// txkg: top {len(e.paths)} mechanism paths {e.drug.name} -> {e.disease.name}"
              f" (damping {e.damping:g}, {e.min_hops}-{e.max_hops} hops)\n")
    if not e.paths:
        return header + (f"MATCH (drug:Node {{id: {_literal(e.drug.id)}}}), "
                         f"(disease:Node {{id: {_literal(e.disease.id)}}})\n"
                         "RETURN drug, disease;\n")
    queries = [f"// {p.rank}. {p.metapath}, share {p.share:.1%}\n"
               f"MATCH path = {path_pattern(p)}\n"
               f"RETURN {p.rank} AS rank, {p.share!r} AS share, path"
               for p in e.paths]
    return header + "\nUNION ALL\n".join(queries) + ";\n"
