"""The mechanism graph and the bounded path search's questions, as SQLite answers them.

:class:`SqliteMechanismQueries` is the part of :class:`~graph.store.sqlite.SqliteStore`
that serves the explainer (:class:`graph.explain.neighbourhood.Neighbourhoods`) and the
metagraph: mechanism links, degrees per metaedge, neighbour steps, the statements on the
paths found, and whole or induced mechanism graphs. The path search's SQL is in
:mod:`graph.store.sqlite_paths`; this part runs it and turns rows into graphs. (The Neo4j
store's counterpart is :mod:`graph.store.neo4j_mechanisms`.)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import StoreError
from graph.explain.neighbourhood import HopKey, NodeFacts, Step, StepRequest, Within
from graph.model import EVIDENCE_EDGE_TYPES, MECHANISM_KINDS, Edge
from graph.store.base import degree_key
from graph.store.sqlite_paths import SqlitePathReads
from graph.store.sqlite_rows import in_lists, marks

if TYPE_CHECKING:
    import networkx as nx

_EVIDENCE_TYPES = tuple(sorted(t.value for t in EVIDENCE_EDGE_TYPES))
_MECHANISM_KINDS = tuple(sorted(k.value for k in MECHANISM_KINDS))
# SQL fragment restricting an `edges` row to mechanism statements.
_MECHANISM_EDGE = (
    f"type NOT IN ({','.join('?' * len(_EVIDENCE_TYPES))})"
    f" AND source_kind IN ({','.join('?' * len(_MECHANISM_KINDS))})"
    f" AND target_kind IN ({','.join('?' * len(_MECHANISM_KINDS))})"
)
_MECHANISM_ARGS = (*_EVIDENCE_TYPES, *_MECHANISM_KINDS, *_MECHANISM_KINDS)


class SqliteMechanismQueries:
    """The explainer's and the metagraph's questions (a part of ``SqliteStore``)."""

    # Set by SqliteStore: the file, and the path search's reads over its connection.
    path: Path
    _paths: SqlitePathReads

    def _rows(self, sql: str, args: Iterable[Any] = ()) -> list[sqlite3.Row]:
        raise NotImplementedError  # the store's query runner

    def _edges(self, edge_ids: Sequence[int]) -> dict[int, Edge]:
        raise NotImplementedError  # the store's merged edges by id

    def mechanism_links(self, node_ids: Sequence[str]) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        for chunk in in_lists(node_ids):
            in_chunk = marks(len(chunk))
            found.update((node, other) for node, other in self._rows(
                f"SELECT source_id, target_id FROM edge_ends WHERE source_id IN ({in_chunk}) "
                f"AND {_MECHANISM_EDGE} "
                f"UNION SELECT target_id, source_id FROM edge_ends WHERE target_id IN ({in_chunk}) "
                f"AND {_MECHANISM_EDGE}",
                [*chunk, *_MECHANISM_ARGS, *chunk, *_MECHANISM_ARGS],
            ))
        return found

    def mechanism_degrees(self, node_ids: Collection[str]) -> dict[str, NodeFacts]:
        with self._reading():
            return self._paths.degrees(node_ids)

    def mechanism_steps(self, requests: Sequence[StepRequest], *,
                        within: Within | None = None) -> list[Step]:
        if not requests:
            return []
        with self._reading():
            return self._paths.steps(requests, within)

    def mechanism_path_graph(self, hops: Collection[HopKey]) -> nx.MultiDiGraph[str]:
        import networkx as nx  # where used: a quick read does without it
        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        with self._reading():
            facts = self._paths.degrees({n for u, _, v in hops for n in (u, v)})
            edges = self._edges(self._paths.hop_edge_ids(hops))
        for node_id, node in facts.items():
            graph.add_node(node_id, kind=node.kind, name=node.name, degrees={
                degree_key(t, k): d for (t, k), d in node.degrees.items()})
        for edge in edges.values():
            graph.add_edge(edge.source, edge.target, key=edge.type.value, type=edge.type.value,
                           provenance=edge.provenance, properties=dict(edge.properties))
        return graph

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """SQLite errors of a read (its temporary tables included) as StoreError."""
        try:
            yield
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot read {self.path}: {error}") from error

    def mechanism_graph(self) -> nx.MultiDiGraph[str]:
        ids_ = [r[0] for r in self._rows(
            f"SELECT id FROM nodes WHERE kind IN ({marks(len(_MECHANISM_KINDS))})",
            _MECHANISM_KINDS)]
        return self.induced_mechanism_graph(ids_)

    def induced_mechanism_graph(self, node_ids: Sequence[str]) -> nx.MultiDiGraph[str]:
        """The mechanism graph on these nodes, with global per-metaedge degrees."""
        import networkx as nx  # where used: a quick read does without it
        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        wanted = set(node_ids)
        edge_ids: list[int] = []
        for chunk in in_lists(node_ids):
            in_chunk = marks(len(chunk))
            for node_id, kind, name in self._rows(
                f"SELECT id, kind, name FROM nodes WHERE id IN ({in_chunk}) "
                f"AND kind IN ({marks(len(_MECHANISM_KINDS))})", [*chunk, *_MECHANISM_KINDS]
            ):
                graph.add_node(node_id, kind=kind, name=name, degrees={})
            for edge_id, target in self._rows(
                f"SELECT id, target_id FROM edge_ends WHERE source_id IN ({in_chunk}) "
                f"AND {_MECHANISM_EDGE}", [*chunk, *_MECHANISM_ARGS]
            ):
                if target in wanted:
                    edge_ids.append(edge_id)
            # Degree per metaedge = distinct neighbours over it, either direction, so a
            # statement stored both ways counts once (as hetnetpy counts undirected edges).
            for node_id, edge_type, other_kind, degree in self._rows(
                "SELECT node, type, other_kind, count(DISTINCT other) FROM ("
                f"SELECT source_id AS node, type, target_kind AS other_kind, target_id AS other "
                f"FROM edge_ends WHERE source_id IN ({in_chunk}) AND {_MECHANISM_EDGE} "
                f"UNION ALL SELECT target_id, type, source_kind, source_id FROM edge_ends "
                f"WHERE target_id IN ({in_chunk}) AND {_MECHANISM_EDGE}) GROUP BY 1, 2, 3",
                [*chunk, *_MECHANISM_ARGS, *chunk, *_MECHANISM_ARGS],
            ):
                if node_id in graph:
                    graph.nodes[node_id]["degrees"][degree_key(edge_type, other_kind)] = degree
        for edge in self._edges(edge_ids).values():
            if edge.source in graph and edge.target in graph:
                graph.add_edge(edge.source, edge.target, key=edge.type.value,
                               type=edge.type.value, provenance=edge.provenance,
                               properties=dict(edge.properties))
        return graph
