"""What a source said before identity resolution re-keyed it: so a removal can undo merges.

A store keeps each source's assertions as resolved: a report's provisional
``txkg:drug/belatacept`` is stored as ``DRUGBANK:DB06681`` once PrimeKG brings that
drug. To remove PrimeKG and give back the graph of the report alone, the report's own
words are needed again. :class:`Originals` keeps, per source, the few assertions that
resolution changed (re-keyed, merged, left out) as the source said them, and the keys
of the stored assertions derived from them. :func:`original_batch` puts the source back
together: its stored assertions that are not derived, plus the kept originals.

Resolving a stored source again (another load merged its nodes) starts from its stored,
already resolved, assertions; :meth:`Originals.track` then composes: an assertion
derived before stays derived, and its originals stay what they were.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Set
from dataclasses import dataclass, field

from graph.model import Edge, Node, Rejection, SourceBatch, SourceInfo, node_from_record
from graph.resolver import is_resolution_note
from graph.store.base import GraphStore
from graph.stream import Chunk, Statement, as_edge

EdgeKey = tuple[str, str, str]

#: Ledger notes that resolving a source writes (besides :func:`is_resolution_note`'s):
#: resolving the original assertions again writes them afresh.
_RESOLUTION_NOTES = ("both ends are ", "kind clash: ")


def written_by_resolution(rejection: Rejection) -> bool:
    """True for every ledger note that identity resolution, not the source, wrote."""
    return is_resolution_note(rejection) or rejection.reason.startswith(_RESOLUTION_NOTES)


def edge_key(edge: Edge | Statement) -> EdgeKey:
    kind = edge.type
    return (edge.source, getattr(kind, "value", str(kind)), edge.target)


@dataclass
class Originals:
    """One source's assertions as it made them, where resolution changed them."""

    derived_nodes: set[str] = field(default_factory=set)
    derived_edges: set[EdgeKey] = field(default_factory=set)
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[EdgeKey, Edge] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.derived_nodes or self.derived_edges or self.nodes or self.edges)

    def to_json(self) -> str | None:
        """The record a store keeps (``None``: nothing changed, nothing to keep)."""
        if not self:
            return None
        return json.dumps({
            "derived_nodes": sorted(self.derived_nodes),
            "derived_edges": sorted(self.derived_edges),
            "nodes": [n.model_dump(mode="json") for n in self.nodes.values()],
            "edges": [e.model_dump(mode="json") for e in self.edges.values()]})

    @classmethod
    def from_json(cls, text: str | None) -> Originals:
        if not text:
            return cls()
        data = json.loads(text)
        edges = [Edge.model_validate(e) for e in data["edges"]]
        return cls(derived_nodes=set(data["derived_nodes"]),
                   derived_edges={tuple(k) for k in data["derived_edges"]},
                   nodes={n.id: n for n in map(node_from_record, data["nodes"])},
                   edges={e.key: e for e in edges})

    def copy(self) -> Originals:
        return Originals(set(self.derived_nodes), set(self.derived_edges),
                         dict(self.nodes), dict(self.edges))

    def track(self, before: Chunk, after: Chunk, mapping: Mapping[str, str],
              dropped: Set[str], source: SourceInfo, prior: Originals) -> None:
        """Note what resolving ``before`` into ``after`` changed; ``prior`` says which of
        ``before``'s assertions were derived already (a stored source resolved again)."""
        if after is before and not prior:
            return
        out_nodes = {n.id: n for n in after.nodes}
        landed: list[tuple[Node, str | None]] = []
        for node in before.nodes:
            target = None if node.id in dropped else mapping.get(node.id, node.id)
            landed.append((node, target))
            if target is not None and (node.id in prior.derived_nodes
                                       or out_nodes.get(target) != node):
                self.derived_nodes.add(target)
        for node, target in landed:
            if node.id not in prior.derived_nodes and (
                    target is None or target in self.derived_nodes):
                self.nodes[node.id] = node
        self._track_edges(before, after, mapping, dropped, source, prior)

    def _track_edges(self, before: Chunk, after: Chunk, mapping: Mapping[str, str],
                     dropped: Set[str], source: SourceInfo, prior: Originals) -> None:
        if not mapping and not dropped and not prior.derived_edges:
            return
        out_keys = {edge_key(e) for e in after.edges}
        landed: list[tuple[Edge | Statement, EdgeKey, EdgeKey | None]] = []
        for edge in before.edges:
            key = edge_key(edge)
            target: EdgeKey | None = (mapping.get(key[0], key[0]), key[1],
                                      mapping.get(key[2], key[2]))
            if target not in out_keys:
                target = None
            landed.append((edge, key, target))
            if target is not None and (key in prior.derived_edges or target != key):
                self.derived_edges.add(target)
        for edge, key, target in landed:
            if key not in prior.derived_edges and (
                    target is None or target in self.derived_edges):
                self.edges[key] = as_edge(edge, source)


def original_batch(store: GraphStore, name: str) -> SourceBatch:
    """Source ``name`` as it said it: its stored assertions that resolution did not
    derive, its kept originals, its ledger without the notes resolution wrote."""
    batch = store.source_batch(name)
    kept = Originals.from_json(store.originals(name))
    nodes = [n for n in batch.nodes if n.id not in kept.derived_nodes]
    edges = [e for e in batch.edges if e.key not in kept.derived_edges]
    return batch.model_copy(update={
        "nodes": (*nodes, *kept.nodes.values()),
        "edges": (*edges, *kept.edges.values()),
        "rejections": tuple(r for r in batch.rejections if not written_by_resolution(r))})


def keep(store: GraphStore, name: str, originals: Originals) -> None:
    """Record ``originals`` as what source ``name`` said where resolution changed it."""
    store.keep_originals(name, originals.to_json())


def touched(store: GraphStore, name: str) -> set[str]:
    """The stored nodes that source ``name``'s derived assertions name."""
    kept = Originals.from_json(store.originals(name))
    return kept.derived_nodes | {end for key in kept.derived_edges for end in (key[0], key[2])}


__all__ = ["Originals", "edge_key", "keep", "original_batch", "touched",
           "written_by_resolution"]
