"""The mechanism graph and the bounded path search's questions, as Neo4j answers them.

:class:`MechanismQueries` is the part of :class:`~graph.store.neo4j.Neo4jStore` that serves
the explainer (:class:`graph.explain.neighbourhood.Neighbourhoods`) and the metagraph:
degrees per metaedge (kept on the nodes, counted where not yet kept), neighbour steps, the
statements on the paths found, and whole or induced mechanism graphs. It runs its Cypher
through the store's query runner (:class:`~graph.store.neo4j_parts.Neo4jPart`); the
statements themselves are in :mod:`graph.store.neo4j_paths`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from graph.cypher_names import NODE_LABEL, RECOUNT_LABEL, quote
from graph.errors import StoreError
from graph.explain.neighbourhood import (
    HopKey,
    NodeFacts,
    Step,
    StepRequest,
    Within,
    allowed_steps,
    steps_by_request,
)
from graph.model import EVIDENCE_EDGE_TYPES, MECHANISM_KINDS
from graph.store.base import degree_key
from graph.store.neo4j_layout import Generations, edge_from_properties
from graph.store.neo4j_parts import Neo4jPart
from graph.store.neo4j_paths import (
    COUNT_DEGREES,
    DEGREES,
    ELEMENT_IDS,
    HOP_STATEMENTS,
    MECHANISM_KIND_NAMES,
    REFRESH_DEGREES,
    TO_RECOUNT,
    hop_rows,
    kept_degrees,
    met_element_ids,
    read_steps,
    steps_statements,
)

if TYPE_CHECKING:
    import networkx as nx

BATCH = 5_000  # rows per UNWIND statement
DEGREE_BATCH = 2_000  # nodes whose degrees one statement counts and keeps
_N = quote(NODE_LABEL)
#: Neighbour statements of one question run at a time (one per metaedge asked for).
AT_ONCE = 4
#: A relationship `r` between `a` and `b` that is a mechanism statement (with
#: :data:`MECHANISM_PARAMS`).
MECHANISM_REL = ("NOT type(r) IN $evidence_types AND a.kind IN $mechanism_kinds "
                 "AND b.kind IN $mechanism_kinds")
MECHANISM_PARAMS = {"evidence_types": sorted(t.value for t in EVIDENCE_EDGE_TYPES),
                    "mechanism_kinds": sorted(k.value for k in MECHANISM_KINDS)}


def batches(rows: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    """``rows`` in slices of ``size``, one UNWIND statement each."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class MechanismQueries(Neo4jPart):
    """The explainer's and the metagraph's questions (a part of ``Neo4jStore``)."""

    _statement_pool: ThreadPoolExecutor | None = None

    # Set by Neo4jStore: whether degrees may be written, whether nodes left for recounting
    # were looked for.
    _keep_degrees: bool
    _recount_checked: bool

    def mechanism_links(self, node_ids: Sequence[str]) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        for chunk in batches(list(node_ids)):
            for row in self._query(
                f"UNWIND $ids AS id MATCH (a:{_N} {{id: id}})-[r]-(b:{_N}) "
                f"WHERE {MECHANISM_REL} RETURN DISTINCT a.id AS a, b.id AS b",
                {"ids": list(chunk), **MECHANISM_PARAMS},
            ):
                found.add((row["a"], row["b"]))
        return found

    def keep_degrees(self, on_progress: Callable[[int, int], None] | None = None) -> int:
        """Count and keep the degrees of the nodes loads listed for recounting (every
        node, after an import by ``neo4j-admin``), :data:`DEGREE_BATCH` a transaction;
        ``on_progress(done, total)`` after each. Returns how many were counted."""
        eids = [row["eid"] for row in self._query(TO_RECOUNT)]
        for start in range(0, len(eids), DEGREE_BATCH):
            self._query(REFRESH_DEGREES, {"eids": eids[start:start + DEGREE_BATCH],
                                          "kinds": MECHANISM_KIND_NAMES}, write=True)
            if on_progress is not None:
                on_progress(min(start + DEGREE_BATCH, len(eids)), len(eids))
        return len(eids)

    def _degrees_kept(self) -> None:
        """Once per store object, before the explainer's first read: nodes a load left
        listed (it was killed before counting them) are counted now, where this user may
        write; otherwise their degrees are counted as they are read."""
        if self._recount_checked:
            return
        self._recount_checked = True
        waiting = self._query(f"MATCH (n:{quote(RECOUNT_LABEL)}) RETURN count(n) AS n")
        if waiting and waiting[0]["n"]:
            try:
                self.keep_degrees()
            except StoreError:
                self._keep_degrees = False

    def mechanism_degrees(self, node_ids: Collection[str]) -> dict[str, NodeFacts]:
        self._degrees_kept()
        [(rows,)] = self._records(DEGREES, {"ids": list(dict.fromkeys(node_ids))})
        self._element_ids.update((node_id, eid) for node_id, _, _, eid, _ in rows)
        unset = [eid for _, _, _, eid, kept in rows if kept is None]
        counted = {}
        for start in range(0, len(unset), DEGREE_BATCH):
            counted.update(self._count_degrees(unset[start:start + DEGREE_BATCH]))
        return {node_id: NodeFacts(kind, name, kept_degrees(
                    kept if kept is not None else counted.get(node_id, [])))
                for node_id, kind, name, _, kept in rows}

    def _count_degrees(self, eids: list[str]) -> dict[str, list[Any]]:
        """Count (and keep, where this user may write) the degrees of these nodes."""
        params = {"eids": eids, "kinds": MECHANISM_KIND_NAMES}
        if self._keep_degrees:
            try:
                rows = self._query(REFRESH_DEGREES, params, write=True)
            except StoreError:
                self._keep_degrees = False  # a read-only user or database: count each time
            else:
                found = {row["id"]: row["kept"] for row in rows}
                if len(found) == len(eids):
                    return found
                # Another process set some meanwhile: read theirs with the rest.
        rows = self._query(COUNT_DEGREES, params)
        return {row["id"]: row["kept"] for row in rows}

    def mechanism_steps(self, requests: Sequence[StepRequest], *,
                        within: Within | None = None) -> list[Step]:
        if not requests:
            return []
        self._degrees_kept()
        known = self._element_ids
        if within is not None:
            missing = list({n for nodes in within.values() for n in nodes if n not in known})
            if missing:
                known.update((row["id"], row["eid"]) for row in self._query(ELEMENT_IDS,
                                                                           {"ids": missing}))
        statements = steps_statements(requests, within, known)
        answers = self._side_by_side(statements)
        for records in answers:
            self._element_ids.update(met_element_ids(records))
        steps = read_steps([(params, records) for (_, params), records
                            in zip(statements, answers, strict=True)])
        if within is None:
            return steps
        # A statement reads a node's neighbours in the union of its requests' sets, with
        # the loosest of their caps; each request keeps to its own. A node asked about
        # once was read with that request's own set and cap: its steps are exact already.
        asked = Counter((r.node, r.edge_type, r.other_kind) for r in requests)
        shared = [r for r in requests if asked[(r.node, r.edge_type, r.other_kind)] > 1]
        if not shared:
            return steps
        exact = [s for s in steps if asked[(s.node, s.edge_type, s.other_kind)] == 1]
        return exact + allowed_steps(steps_by_request(
            s for s in steps if asked[(s.node, s.edge_type, s.other_kind)] > 1), shared, within)

    def _side_by_side(self, statements: Sequence[tuple[str, dict[str, Any]]],
                      ) -> list[list[Sequence[Any]]]:
        """Each statement's rows, in order; up to :data:`AT_ONCE` of them run at a time
        (each in its own transaction and session), so the server works on one while the
        answer to another travels and is decoded."""
        if len(statements) <= 1:
            return [self._records(*statement) for statement in statements]
        if self._statement_pool is None:  # made when first used (so per process)
            self._statement_pool = ThreadPoolExecutor(AT_ONCE, thread_name_prefix="txkg-neo4j")
        return list(self._statement_pool.map(lambda statement: self._records(*statement),
                                             statements))

    def _close_statement_pool(self) -> None:
        if self._statement_pool is not None:
            self._statement_pool.shutdown()
            self._statement_pool = None

    def mechanism_path_graph(self, hops: Collection[HopKey]) -> nx.MultiDiGraph[str]:
        import networkx as nx  # where used: a quick read does without it
        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        facts = self.mechanism_degrees({n for u, _, v in hops for n in (u, v)})
        for node_id, node in facts.items():
            graph.add_node(node_id, kind=node.kind, name=node.name, degrees={
                degree_key(t, k): d for (t, k), d in node.degrees.items()})
        [(rows,)] = self._records(HOP_STATEMENTS, {"hops": hop_rows(hops)})
        gens = self._generations() if rows else Generations()
        for subject, edge_type, obj, properties in rows:
            edge = edge_from_properties((subject, edge_type, obj), properties, gens)
            graph.add_edge(edge.source, edge.target, key=edge.type.value, type=edge.type.value,
                           provenance=edge.provenance, properties=dict(edge.properties))
        return graph

    def mechanism_graph(self) -> nx.MultiDiGraph[str]:
        rows = self._query(f"MATCH (n:{_N}) WHERE n.kind IN $mechanism_kinds RETURN n.id AS id",
                           MECHANISM_PARAMS)
        return self.induced_mechanism_graph([r["id"] for r in rows])

    def induced_mechanism_graph(self, node_ids: Sequence[str]) -> nx.MultiDiGraph[str]:
        """The mechanism graph on these nodes, with global per-metaedge degrees."""
        import networkx as nx  # where used: a quick read does without it
        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        wanted = set(node_ids)
        edges: list[tuple[str, str, str, dict[str, Any]]] = []
        for chunk in batches(list(node_ids)):
            params = {"ids": list(chunk), **MECHANISM_PARAMS}
            for row in self._query(
                f"UNWIND $ids AS id MATCH (n:{_N} {{id: id}}) WHERE n.kind IN $mechanism_kinds "
                "RETURN n.id AS id, n.kind AS kind, n.name AS name", params,
            ):
                graph.add_node(row["id"], kind=row["kind"], name=row["name"], degrees={})
            for row in self._query(
                f"UNWIND $ids AS id MATCH (a:{_N} {{id: id}})-[r]->(b:{_N}) "
                f"WHERE {MECHANISM_REL} RETURN a.id AS s, type(r) AS t, b.id AS o, "
                "properties(r) AS x", params,
            ):
                if row["o"] in wanted:
                    edges.append((row["s"], row["t"], row["o"], row["x"]))
            for row in self._query(
                f"UNWIND $ids AS id MATCH (a:{_N} {{id: id}})-[r]->(b:{_N}) "
                f"WHERE {MECHANISM_REL} RETURN a.id AS id, type(r) AS t, b.kind AS k, "
                "count(*) AS d "
                f"UNION ALL UNWIND $ids AS id MATCH (b:{_N})-[r]->(a:{_N} {{id: id}}) "
                f"WHERE {MECHANISM_REL} RETURN a.id AS id, type(r) AS t, b.kind AS k, "
                "count(*) AS d", params,
            ):
                if row["id"] in graph:
                    degrees = graph.nodes[row["id"]]["degrees"]
                    key = degree_key(row["t"], row["k"])
                    degrees[key] = degrees.get(key, 0) + row["d"]
        gens = self._generations() if edges else Generations()
        for source, edge_type, target, props in edges:
            edge = edge_from_properties((source, edge_type, target), props, gens)
            if source in graph and target in graph:
                graph.add_edge(source, target, key=edge_type, type=edge_type,
                               provenance=edge.provenance, properties=dict(edge.properties))
        return graph
