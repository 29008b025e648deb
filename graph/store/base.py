"""The store port: what every place a graph can be kept must do.

Two adapters implement it, :class:`~graph.store.sqlite.SqliteStore` (an
embedded file, the default) and :class:`~graph.store.neo4j.Neo4jStore` (a real
Neo4j server over Bolt). The same test suite runs against both.

Writes happen a source at a time: :meth:`GraphStore.load` replaces everything a
source asserted before with what it asserts now, in one transaction. Loading
the same source twice changes nothing; loading a changed version removes what
the new version no longer says. Nothing else in txkg writes.

Mechanism subgraphs handed to the explainer are networkx ``MultiDiGraph``\\ s:

* node attributes ``kind``, ``name`` and ``degrees`` — a dict from
  ``"EDGE_TYPE|NeighbourKind"`` to the node's degree for that metaedge in the
  *whole* store (not only in the subgraph), so DWPC is exact on a subgraph;
* edges keyed by their type, in their stored direction, with attributes
  ``type`` and ``provenance`` (a tuple of :class:`~graph.model.Provenance`).

The explainer's bounded search reads the graph a frontier at a time instead
(:class:`graph.explain.neighbourhood.Neighbourhoods`: :meth:`GraphStore.mechanism_degrees`,
:meth:`GraphStore.mechanism_steps`, :meth:`GraphStore.mechanism_path_graph`): a bounded
number of queries per explanation, never one per node.
"""

from __future__ import annotations

import difflib
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, NamedTuple

from graph import ids
from graph.explain.neighbourhood import HopKey, NodeFacts, Step, StepRequest, Within
from graph.model import (
    EVIDENCE_EDGE_TYPES,
    Counts,
    Edge,
    Evidence,
    LoadResult,
    Neighbour,
    Node,
    Prediction,
    Rejection,
    SourceBatch,
    SourceInfo,
)
from graph.stream import SourceStream, Statement

if TYPE_CHECKING:
    import networkx as nx

#: Rejections a load result carries (a store keeps all of them in its ledger).
REJECTIONS_SHOWN = 1_000


class Stored(NamedTuple):
    """One stored node (``key`` its id) or edge (``key`` its ``(source, type, target)``),
    with what each source says of it: source name -> its node, or its statement (a
    :class:`~graph.stream.Statement` when its provenance is the usual single entry)."""

    key: str | tuple[str, str, str]
    said: Mapping[str, Node | Edge | Statement]


_EVIDENCE_VALUES = frozenset(t.value for t in EVIDENCE_EDGE_TYPES)


# -- what both stores do alike: orders and suggestions ------------------------------------


def closest_names(text: str, names: Iterable[str], limit: int) -> list[str]:
    """The names most like ``text`` (case, accents and punctuation aside), best first.

    >>> closest_names("belatacep", ["Belatacept", "Abatacept", "Aspirin"], 2)
    ['Belatacept', 'Abatacept']
    """
    by_key = {ids.name_key(n): n for n in names}
    close = difflib.get_close_matches(ids.name_key(text), list(by_key), n=limit, cutoff=0.6)
    return [by_key[c] for c in close]


def exact_id_first(text: str) -> Callable[[Node], tuple[bool, str]]:
    """The order of the nodes a text finds: the one whose id it is first, then by id."""
    wanted = text.strip().casefold()
    return lambda node: (node.id.casefold() != wanted, node.id)


def prediction_order(p: Prediction) -> tuple[bool, float, int, str]:
    """Predictions by score, best first (unscored last), then rank and id."""
    return (p.score is None, -(p.score or 0.0), p.rank or 0, p.id)


def evidence_order(e: Evidence) -> tuple[str, str]:
    """A prediction's evidence by kind, then id."""
    return (e.node.label, e.node.id)


def neighbour_order(edge_type: str, kind: str, name: str) -> tuple[bool, str, str, str]:
    """How both stores order a node's neighbours: statements of mechanism (targets,
    pathways …) before evidence and predictions, so that a drug's targets are never
    crowded out by its predicted indications; then by edge type, kind and name.

    >>> sorted([("SUPPORTED_BY", "Publication", "a"), ("TARGETS", "Gene", "CD86"),
    ...         ("TARGETS", "Gene", "cd80")], key=lambda r: neighbour_order(*r))[0]
    ('TARGETS', 'Gene', 'cd80')
    """
    return (edge_type in _EVIDENCE_VALUES, edge_type, kind, name.casefold())


def degree_key(edge_type: str, neighbour_kind: str) -> str:
    """Key of a node's per-metaedge degree in a subgraph's ``degrees`` attribute.

    >>> degree_key("TARGETS", "Gene")
    'TARGETS|Gene'
    """
    return f"{edge_type}|{neighbour_kind}"


class GraphStore(ABC):
    """A place where the graph is kept. Open one with :func:`graph.store.open_store`."""

    #: The URI the store was opened from, without credentials.
    uri: str
    #: Whether each read is a round trip to a server: then many searches are better
    #: run side by side, sharing their questions (:mod:`graph.explain.lockstep`); an
    #: embedded store answers a search's own questions faster than merged ones.
    remote: bool = False

    # -- writing -------------------------------------------------------------

    @abstractmethod
    def load(self, source: SourceBatch | SourceStream, *, force: bool = False) -> LoadResult:
        """Replace everything a source asserted before with what it asserts now, atomically.

        ``source`` is a whole :class:`~graph.model.SourceBatch` or a
        :class:`~graph.stream.SourceStream` read chunk by chunk (a large
        source: memory does not grow with it). Nodes are upserted (synonyms
        and xrefs merge with other sources'); edges are keyed by ``(source,
        type, target)`` and carry one provenance entry per source. Rejections
        go to the ledger, replacing the source's earlier ones; the result
        carries the first ones and their number. A source of the same version
        as the one loaded is not read again, unless ``force`` (identity
        resolution reloads a source whose entities another load merged). Raises
        :class:`~graph.errors.StoreError` and leaves the store as it was when
        anything fails.
        """

    @abstractmethod
    def sources_of(self, node_ids: Iterable[str]) -> set[str]:
        """The sources that assert one of these nodes, or an edge that touches one."""

    @abstractmethod
    def node_sources(self, node_ids: Iterable[str]) -> dict[str, set[str]]:
        """For each of these nodes that is stored, the sources asserting it (not its edges)."""

    @abstractmethod
    def remove_source(self, name: str) -> LoadResult:
        """Withdraw everything source ``name`` asserted; nodes nobody else asserts go."""

    @abstractmethod
    def keep_originals(self, name: str, data: str | None) -> None:
        """Keep ``data`` for source ``name`` (``None``: nothing): what it said where identity
        resolution changed it (:mod:`graph.originals`), for a removal to undo merges."""

    @abstractmethod
    def originals(self, name: str) -> str | None:
        """What :meth:`keep_originals` kept for source ``name``, if anything."""

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """A block of many :meth:`load` calls that a store may commit together.

        Each load is still atomic. The embedded store writes the file once at the
        end (and rolls every load of the block back on an error); by default, and
        on Neo4j, each load commits on its own.
        """
        yield

    # -- reading nodes -------------------------------------------------------

    @abstractmethod
    def node(self, node_id: str) -> Node | None:
        """The node with this exact id, or ``None``."""

    @abstractmethod
    def find(self, text: str, *, kind: str | None = None, limit: int = 20) -> list[Node]:
        """Nodes whose id, xref, name or synonym equals ``text``, ignoring case.

        A bare local id matches too (``DB06681`` finds ``DRUGBANK:DB06681``).
        Exact id matches come first. Predictions have no keys of their own
        (``merge.UNKEYED_KINDS``): :meth:`KnowledgeGraph.resolve` finds them.
        """

    def kinds_of(self, node_ids: Iterable[str]) -> dict[str, str]:
        """The kind of each of these ids that the store holds (absent ids are left out).

        This default asks :meth:`node` once per id; adapters override it with a bulk query.
        """
        found: dict[str, str] = {}
        for node_id in dict.fromkeys(node_ids):
            node = self.node(node_id)
            if node is not None:
                found[node_id] = node.label
        return found

    def find_many(self, texts: Iterable[str], *,
                  kind: str | None = None) -> dict[str, list[Node]]:
        """:meth:`find` for many texts at once: each text -> the nodes it finds.

        Texts that find nothing are left out. Used to resolve a whole batch's
        ids, xrefs and names against the store in a few queries. This default
        asks :meth:`find` once per text; adapters override it with a bulk query.
        """
        found: dict[str, list[Node]] = {}
        for text in dict.fromkeys(texts):
            hits = self.find(text, kind=kind, limit=1_000)
            if hits:
                found[text] = hits
        return found

    def kinds_present(self, kinds: Iterable[str]) -> set[str]:
        """Which of these node kinds the store holds at least one node of.

        Identity resolution asks this on every load to skip lookups that cannot
        match. This default counts every kind; adapters override it with a
        cheaper existence check.
        """
        held = self.counts().nodes
        return {kind for kind in kinds if held.get(kind)}

    @abstractmethod
    def similar_names(self, text: str, *, kind: str | None = None, limit: int = 5) -> list[str]:
        """Names close to ``text`` (for "did you mean" suggestions)."""

    @abstractmethod
    def neighbours(
        self,
        node_id: str,
        *,
        kind: str | None = None,
        edge_type: str | None = None,
        limit: int | None = None,
    ) -> list[Neighbour]:
        """Nodes joined to ``node_id`` by one edge, either direction, optionally filtered;
        in :func:`neighbour_order`, the first ``limit`` of them."""

    @abstractmethod
    def neighbour_count(self, node_id: str) -> int:
        """How many :meth:`neighbours` ``node_id`` has, unfiltered (without reading them)."""

    # -- predictions and evidence -------------------------------------------

    @abstractmethod
    def predictions(
        self, *, drug_id: str | None = None, disease_id: str | None = None
    ) -> list[Prediction]:
        """Predictions of a drug and/or for a disease, best score first."""

    @abstractmethod
    def evidence(self, prediction_id: str) -> list[Evidence]:
        """Trials and publications a prediction is SUPPORTED_BY."""

    def nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        """The nodes with these ids that the store holds (a server answers in one query)."""
        return {i: n for i in dict.fromkeys(node_ids) if (n := self.node(i)) is not None}

    def evidence_counts(self, prediction_ids: Iterable[str]) -> dict[str, Counter[str]]:
        """Each prediction's evidence counted by kind (``ClinicalTrial``, ``Publication``)."""
        return {p: Counter(e.node.label for e in self.evidence(p))
                for p in dict.fromkeys(prediction_ids)}

    # -- analysis ------------------------------------------------------------

    def mechanism_subgraph(
        self, source_id: str, target_id: str, *, max_hops: int
    ) -> nx.MultiDiGraph[str]:
        """Every mechanism node and edge on a path of at most ``max_hops`` edges.

        Paths run between ``source_id`` and ``target_id`` ignoring edge
        direction and only through mechanism kinds (never a Prediction,
        ClinicalTrial or Publication). See the module docstring for attributes.
        """
        # Edge i of a path of h edges (0-based) leaves a node within i of the source
        # and enters one within h - i - 1 of the target, so growing a ball of radius
        # ceil(h/2) around the source and floor(h/2) around the target meets every
        # edge of every such path. The paths' nodes are found on those links alone;
        # only they are fetched with their degrees (the balls can hold thousands of
        # nodes around a hub, the paths a few dozen).
        import networkx as nx  # where used: a quick read does without it
        links: nx.Graph[str] = nx.Graph()
        links.add_nodes_from((source_id, target_id))
        self._grow(links, source_id, (max_hops + 1) // 2)
        self._grow(links, target_id, max_hops // 2)
        from_source = nx.single_source_shortest_path_length(links, source_id, max_hops)
        from_target = nx.single_source_shortest_path_length(links, target_id, max_hops)
        keep = sorted(n for n, hops in from_source.items()
                      if hops + from_target.get(n, max_hops + 1) <= max_hops)
        graph = self.induced_mechanism_graph(keep)
        if source_id not in graph or target_id not in graph:
            return nx.MultiDiGraph()
        return graph

    def _grow(self, links: nx.Graph[str], centre: str, radius: int) -> None:
        """Add to ``links`` every mechanism link of the nodes within ``radius - 1`` of
        ``centre`` (so every node within ``radius`` appears)."""
        seen = {centre}
        frontier = [centre]
        for _ in range(radius):
            found = self.mechanism_links(frontier)
            links.add_edges_from(found)
            frontier = sorted({other for _, other in found} - seen)
            seen.update(frontier)

    @abstractmethod
    def mechanism_links(self, node_ids: Sequence[str]) -> set[tuple[str, str]]:
        """``(node, other)`` for every mechanism edge, either direction, joining one of
        these nodes to another mechanism node."""

    @abstractmethod
    def induced_mechanism_graph(self, node_ids: Sequence[str]) -> nx.MultiDiGraph[str]:
        """The mechanism graph on these nodes, with global per-metaedge degrees."""

    @abstractmethod
    def mechanism_degrees(self, node_ids: Collection[str]) -> dict[str, NodeFacts]:
        """Kind, name and per-metaedge degrees (mechanism metaedges, whole store) of each
        of these nodes the store holds; one query for all of them."""

    @abstractmethod
    def mechanism_steps(self, requests: Sequence[StepRequest], *,
                        within: Within | None = None) -> list[Step]:
        """Neighbours of the requested nodes over the requested metaedges, each with its
        own degree for the metaedge (only those up to a request's ``max_degree``, and, with
        ``within``, only those it allows for the request's metaedge); one query for all."""

    @abstractmethod
    def mechanism_path_graph(self, hops: Collection[HopKey]) -> nx.MultiDiGraph[str]:
        """The statements of these hops, stored either way, with their ends (``kind``,
        ``name``, ``degrees``): the graph an explanation of paths along them is built from."""

    @abstractmethod
    def mechanism_graph(self) -> nx.MultiDiGraph[str]:
        """The whole mechanism graph, same attributes as :meth:`mechanism_subgraph`."""

    # -- bookkeeping ---------------------------------------------------------

    @abstractmethod
    def counts(self) -> Counts:
        """Nodes by kind and edges by type."""

    @abstractmethod
    def sources(self) -> list[SourceInfo]:
        """The sources loaded, by name."""

    @abstractmethod
    def ledger(self, *, source: str | None = None,
               limit: int | None = None) -> list[Rejection]:
        """Records refused or left unresolved at load time (optionally for one source,
        the first ``limit`` of them), in the order they were written."""

    @abstractmethod
    def ledger_size(self) -> int:
        """How many entries :meth:`ledger` holds (without reading them)."""

    @abstractmethod
    def source_batch(self, name: str) -> SourceBatch:
        """What source ``name`` asserts, as stored: its nodes, its edges, its ledger entries.

        Loading the result into an empty store of any kind reproduces this
        source's part of the store (used to copy stores and to export them).
        Raises :class:`~graph.errors.StoreError` when no such source is loaded.
        """

    def stored(self) -> Iterator[list[Stored]]:
        """Every node, then every edge, with each source's assertion, a chunk at a time.

        What an export needs to rebuild the store elsewhere. This default reads
        :meth:`source_batch` of every source (memory grows with the store);
        adapters override it with a streaming read.
        """
        nodes: dict[str, dict[str, Node]] = {}
        edges: dict[tuple[str, str, str], dict[str, Edge]] = {}
        for info in self.sources():
            batch = self.source_batch(info.name)
            for node in batch.nodes:
                nodes.setdefault(node.id, {})[info.name] = node
            for edge in batch.edges:
                edges.setdefault(edge.key, {})[info.name] = edge
        yield [Stored(node_id, said) for node_id, said in sorted(nodes.items())]
        yield [Stored(key, said) for key, said in sorted(edges.items())]

    @abstractmethod
    def reopen(self) -> GraphStore:
        """Another connection to the same store, for reading: what a forked worker
        (:mod:`graph.forked`) opens, never using its parent's."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection or file."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

