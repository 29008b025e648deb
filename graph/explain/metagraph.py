"""The metagraph: which kinds of node are joined by which types of edge.

A *metanode* is a node kind (``Drug``, ``Gene`` …). A *metaedge* is a kind of
statement, ``(source_kind, edge_type, target_kind)``. A *metapath* is a chain
of metaedges, the type of a path: ``Drug -TARGETS- Gene -ASSOCIATED_WITH-
Disease`` is the metapath ``CtGaD``. The vocabulary and the abbreviations
follow Hetionet's (Himmelstein et al. 2017): kinds in capitals, edge types in
lower case.

Statements are read in either direction, as in Hetionet's undirected
metaedges: ``CtG`` (a drug targets a gene) walked backwards is ``GtC``, the same
statements seen from the gene. Metaedges and metapaths are immutable and
hashable.

>>> path = Metapath.from_abbreviation("CtGaD")
>>> path.length, path.source_kind, path.target_kind
(2, 'Drug', 'Disease')
>>> path.inverse.abbreviation
'DaGtC'
>>> str(path)
'Drug–TARGETS–Gene–ASSOCIATED_WITH–Disease'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph.errors import InvalidArgument
from graph.model import MECHANISM_EDGE_TYPES, MECHANISM_KINDS, NodeKind

if TYPE_CHECKING:
    import networkx as nx

#: Abbreviation of each node kind: capitals, unique. Hetionet's where it has one.
KIND_ABBREVIATIONS: dict[str, str] = {
    NodeKind.DRUG: "C",  # Hetionet's Compound
    NodeKind.GENE: "G",
    NodeKind.DISEASE: "D",
    NodeKind.PATHWAY: "PW",
    NodeKind.BIOLOGICAL_PROCESS: "BP",
    NodeKind.MOLECULAR_FUNCTION: "MF",
    NodeKind.CELLULAR_COMPONENT: "CC",
    NodeKind.PHENOTYPE: "PH",
    NodeKind.ANATOMY: "A",
    NodeKind.EXPOSURE: "EX",
    NodeKind.CHEMICAL: "CS",
    NodeKind.CELL: "CL",
    NodeKind.ORGANISM: "OT",
    NodeKind.GENE_FAMILY: "GF",
    NodeKind.MACROMOLECULAR_COMPLEX: "MC",
    NodeKind.PHARMACOLOGIC_CLASS: "PC",  # Hetionet's
    NodeKind.CLINICAL_TRIAL: "CT",
    NodeKind.PUBLICATION: "PB",
    NodeKind.PREDICTION: "PR",
}

#: Abbreviation of each edge type: lower case, unique across all types, so a
#: metapath abbreviation reads back without knowing the metagraph.
EDGE_ABBREVIATIONS: dict[str, str] = {
    "TARGETS": "t",
    "CARRIED_BY": "cb",
    "METABOLIZED_BY": "mb",
    "TRANSPORTED_BY": "tb",
    "INTERACTS_WITH": "i",
    "INHIBITS": "ih",
    "ACTIVATES": "ac",
    "INCREASES": "u",
    "DECREASES": "d",
    "REGULATES": "r",
    "ASSOCIATED_WITH": "a",
    "EXPRESSED_IN": "e",
    "NOT_EXPRESSED_IN": "ne",
    "PARTICIPATES_IN": "p",
    "ENABLES": "en",
    "LOCATED_IN": "l",
    "INDICATED_FOR": "id",
    "CONTRAINDICATED_FOR": "ci",
    "OFF_LABEL_FOR": "ol",
    "TREATS": "tr",
    "CAUSES": "c",
    "HAS_SIDE_EFFECT": "se",
    "HAS_PHENOTYPE": "hp",
    "LACKS_PHENOTYPE": "lp",
    "SUBCLASS_OF": "s",
    "RESEMBLES": "rs",
    "LINKED_TO": "lt",
    "RELATED_TO": "rt",
    # Hetionet's letters where free (binds b); others made unique (Hetionet: p, c, i).
    "BINDS": "b",
    "PALLIATES": "pl",
    "COVARIES": "cv",
    "INCLUDES": "ic",
    "PRODUCES": "pd",
    "AFFECTED_BY": "ab",
    "MANIFESTATION_OF": "mo",
    "PART_OF": "po",
    "HAS_PART": "hpt",
    "LOCATION_OF": "lo",
    "IN_TAXON": "tx",
    "PRECEDES": "pc",
    "OF_DRUG": "od",
    "FOR_DISEASE": "fd",
    "SUPPORTED_BY": "sb",
    "MENTIONS": "m",
}

_KIND_BY_ABBREVIATION = {abbr: str(kind) for kind, abbr in KIND_ABBREVIATIONS.items()}
_EDGE_BY_ABBREVIATION = {abbr: str(edge) for edge, abbr in EDGE_ABBREVIATIONS.items()}
_TOKEN = re.compile(r"[A-Z]+|[a-z]+")


def kind_abbreviation(kind: str) -> str:
    """A node kind's abbreviation; capital initials for a kind not in the table.

    >>> kind_abbreviation("BiologicalProcess"), kind_abbreviation("Side Effect")
    ('BP', 'SE')
    """
    known = KIND_ABBREVIATIONS.get(kind)
    if known is not None:
        return known
    return "".join(w[0] for w in re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", kind)).upper() or "?"


def edge_abbreviation(edge_type: str) -> str:
    """An edge type's abbreviation; lower-case initials for a type not in the table.

    >>> edge_abbreviation("TARGETS"), edge_abbreviation("binds to")
    ('t', 'bt')
    """
    known = EDGE_ABBREVIATIONS.get(edge_type)
    if known is not None:
        return known
    return "".join(w[0] for w in re.split(r"[\s_]+", edge_type) if w).lower() or "?"


def is_mechanism_kind(kind: str) -> bool:
    """Whether explanations may walk through nodes of this kind.

    >>> is_mechanism_kind("Gene"), is_mechanism_kind("Publication"), is_mechanism_kind("Tissue")
    (True, False, False)
    """
    return kind in MECHANISM_KINDS


def is_mechanism_edge_type(edge_type: str) -> bool:
    """Whether explanations may follow edges of this type.

    >>> is_mechanism_edge_type("TARGETS"), is_mechanism_edge_type("SUPPORTED_BY")
    (True, False)
    """
    return edge_type in MECHANISM_EDGE_TYPES


@dataclass(frozen=True, order=True, slots=True)
class MetaEdge:
    """A kind of statement, read from ``source_kind`` to ``target_kind``.

    >>> edge = MetaEdge("Drug", "TARGETS", "Gene")
    >>> edge.abbreviation, edge.inverse.abbreviation
    ('CtG', 'GtC')
    """

    source_kind: str
    edge_type: str
    target_kind: str

    @property
    def abbreviation(self) -> str:
        return (
            kind_abbreviation(self.source_kind)
            + edge_abbreviation(self.edge_type)
            + kind_abbreviation(self.target_kind)
        )

    @property
    def inverse(self) -> MetaEdge:
        """The same statements read from the other end."""
        return MetaEdge(self.target_kind, self.edge_type, self.source_kind)

    @property
    def undirected(self) -> MetaEdge:
        """One orientation standing for both (the smaller of the two)."""
        return min(self, self.inverse)

    def __str__(self) -> str:
        return f"{self.source_kind}–{self.edge_type}–{self.target_kind}"


@dataclass(frozen=True, slots=True)
class Metapath:
    """A chain of metaedges, each starting where the one before ends.

    >>> Metapath.from_abbreviation("CtGiGaD").length
    3
    >>> Metapath((MetaEdge("Drug", "TARGETS", "Gene"),
    ...           MetaEdge("Disease", "ASSOCIATED_WITH", "Gene")))
    Traceback (most recent call last):
    ...
    graph.errors.InvalidArgument: metaedge 2 (Disease–ASSOCIATED_WITH–Gene) does not start at Gene
    """

    edges: tuple[MetaEdge, ...]

    def __post_init__(self) -> None:
        if not self.edges:
            raise InvalidArgument("a metapath needs at least one metaedge")
        for i, (before, after) in enumerate(zip(self.edges, self.edges[1:], strict=False), 2):
            if before.target_kind != after.source_kind:
                raise InvalidArgument(
                    f"metaedge {i} ({after}) does not start at {before.target_kind}"
                )

    @classmethod
    def from_abbreviation(cls, text: str) -> Metapath:
        """Read ``CtGaD``-style text written with :data:`KIND_ABBREVIATIONS`.

        >>> Metapath.from_abbreviation("GpPWpG").edges[0]
        MetaEdge(source_kind='Gene', edge_type='PARTICIPATES_IN', target_kind='Pathway')
        >>> Metapath.from_abbreviation("CxG")
        Traceback (most recent call last):
        ...
        graph.errors.InvalidArgument: unknown edge abbreviation 'x' in 'CxG'
        """
        tokens = _TOKEN.findall(text)
        if "".join(tokens) != text or len(tokens) < 3 or len(tokens) % 2 == 0:
            raise InvalidArgument(f"{text!r} is not a metapath abbreviation like 'CtGaD'")
        kinds, types = tokens[0::2], tokens[1::2]
        for token in kinds:
            if token not in _KIND_BY_ABBREVIATION:
                raise InvalidArgument(f"unknown kind abbreviation {token!r} in {text!r}")
        for token in types:
            if token not in _EDGE_BY_ABBREVIATION:
                raise InvalidArgument(f"unknown edge abbreviation {token!r} in {text!r}")
        return cls(tuple(
            MetaEdge(_KIND_BY_ABBREVIATION[a], _EDGE_BY_ABBREVIATION[t], _KIND_BY_ABBREVIATION[b])
            for a, t, b in zip(kinds, types, kinds[1:], strict=False)
        ))

    @property
    def length(self) -> int:
        """Number of metaedges."""
        return len(self.edges)

    def __len__(self) -> int:
        return len(self.edges)

    @property
    def kinds(self) -> tuple[str, ...]:
        """Node kinds along the path, ``length + 1`` of them."""
        return (self.edges[0].source_kind, *(e.target_kind for e in self.edges))

    @property
    def edge_types(self) -> tuple[str, ...]:
        return tuple(e.edge_type for e in self.edges)

    @property
    def source_kind(self) -> str:
        return self.edges[0].source_kind

    @property
    def target_kind(self) -> str:
        return self.edges[-1].target_kind

    @property
    def inverse(self) -> Metapath:
        """The metapath walked from its end back to its start."""
        return Metapath(tuple(e.inverse for e in reversed(self.edges)))

    @property
    def abbreviation(self) -> str:
        parts = [kind_abbreviation(self.source_kind)]
        for edge in self.edges:
            parts += [edge_abbreviation(edge.edge_type), kind_abbreviation(edge.target_kind)]
        return "".join(parts)

    def __str__(self) -> str:
        parts = [self.source_kind]
        for edge in self.edges:
            parts += [edge.edge_type, edge.target_kind]
        return "–".join(parts)


def as_metapath(metapath: Metapath | str) -> Metapath:
    """A metapath given as itself or as its abbreviation.

    >>> as_metapath("CtGaD") == Metapath.from_abbreviation("CtGaD")
    True
    """
    return metapath if isinstance(metapath, Metapath) else Metapath.from_abbreviation(metapath)


@dataclass(frozen=True, slots=True)
class MetaGraph:
    """Metanodes and metaedges of a graph, with how many nodes and statements each has.

    Each metaedge appears once, in the orientation most of its statements are
    stored in; :meth:`edge_count` accepts either orientation.
    """

    node_counts: tuple[tuple[str, int], ...]
    edge_counts: tuple[tuple[MetaEdge, int], ...]

    @property
    def metanodes(self) -> tuple[str, ...]:
        return tuple(kind for kind, _ in self.node_counts)

    @property
    def metaedges(self) -> tuple[MetaEdge, ...]:
        return tuple(edge for edge, _ in self.edge_counts)

    def node_count(self, kind: str) -> int:
        return dict(self.node_counts).get(kind, 0)

    def edge_count(self, metaedge: MetaEdge) -> int:
        counts = dict(self.edge_counts)
        return counts.get(metaedge, counts.get(metaedge.inverse, 0))


def metagraph(G: nx.MultiDiGraph[Any]) -> MetaGraph:
    """The metagraph of ``G``: node kinds and statement kinds, with counts.

    A statement stored in both directions (as PrimeKG's file has them) counts once.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("d", {"kind": "Drug"}), ("g", {"kind": "Gene"}),
    ...                   ("h", {"kind": "Gene"})])
    >>> _ = G.add_edge("d", "g", key="TARGETS", type="TARGETS")
    >>> _ = G.add_edge("g", "d", key="TARGETS", type="TARGETS")
    >>> _ = G.add_edge("d", "h", key="TARGETS", type="TARGETS")
    >>> mg = metagraph(G)
    >>> mg.node_counts
    (('Drug', 1), ('Gene', 2))
    >>> [(e.abbreviation, n) for e, n in mg.edge_counts]
    [('CtG', 2)]
    """
    kinds = Counter(str(data.get("kind")) for _, data in G.nodes(data=True))
    oriented: Counter[MetaEdge] = Counter()
    statements: set[tuple[frozenset[str], str]] = set()
    undirected_counts: Counter[MetaEdge] = Counter()
    for u, v, key, data in G.edges(keys=True, data=True):
        edge_type = str(data.get("type", key))
        metaedge = MetaEdge(str(G.nodes[u].get("kind")), edge_type, str(G.nodes[v].get("kind")))
        oriented[metaedge] += 1
        statement = (frozenset((u, v)), edge_type)
        if statement not in statements:
            statements.add(statement)
            undirected_counts[metaedge.undirected] += 1
    edges = []
    for undirected, count in undirected_counts.items():
        candidates = sorted({undirected, undirected.inverse})
        canonical = max(candidates, key=lambda e: (oriented[e], -candidates.index(e)))
        edges.append((canonical, count))
    return MetaGraph(
        node_counts=tuple(sorted(kinds.items())),
        edge_counts=tuple(sorted(edges, key=lambda pair: (pair[0].abbreviation, pair[0]))),
    )


def metapaths(
    metagraph: MetaGraph,
    source_kind: str,
    target_kind: str,
    *,
    min_length: int = 2,
    max_length: int = 4,
    mechanism_only: bool = True,
) -> list[Metapath]:
    """Every metapath from ``source_kind`` to ``target_kind`` the metagraph allows.

    Metaedges may be walked either way and repeated. With ``mechanism_only``
    (the default) evidence kinds and edge types are left out. Sorted by
    length, then abbreviation.

    >>> mg = MetaGraph(
    ...     node_counts=(("Disease", 1), ("Drug", 1), ("Gene", 2)),
    ...     edge_counts=((MetaEdge("Drug", "TARGETS", "Gene"), 2),
    ...                  (MetaEdge("Disease", "ASSOCIATED_WITH", "Gene"), 1),
    ...                  (MetaEdge("Gene", "INTERACTS_WITH", "Gene"), 1)))
    >>> [m.abbreviation for m in metapaths(mg, "Drug", "Disease", max_length=3)]
    ['CtGaD', 'CtGiGaD']
    """
    if min_length < 1 or max_length < min_length:
        raise InvalidArgument(
            f"need 1 <= min_length <= max_length, got {min_length} and {max_length}"
        )
    steps: dict[str, list[MetaEdge]] = {}
    for edge in metagraph.metaedges:
        if mechanism_only and not (
            is_mechanism_edge_type(edge.edge_type)
            and is_mechanism_kind(edge.source_kind)
            and is_mechanism_kind(edge.target_kind)
        ):
            continue
        for oriented in {edge, edge.inverse}:
            steps.setdefault(oriented.source_kind, []).append(oriented)
    for options in steps.values():
        options.sort()

    found: list[Metapath] = []

    def extend(prefix: tuple[MetaEdge, ...], kind: str) -> None:
        if len(prefix) >= min_length and kind == target_kind:
            found.append(Metapath(prefix))
        if len(prefix) < max_length:
            for step in steps.get(kind, ()):
                extend((*prefix, step), step.target_kind)

    extend((), source_kind)
    return sorted(found, key=lambda m: (m.length, m.abbreviation))


def mechanism_metapath(kinds: Iterable[str], edge_types: Iterable[str]) -> Metapath:
    """The metapath of a path with these node kinds and edge types, in path order.

    >>> mechanism_metapath(["Drug", "Gene", "Disease"], ["TARGETS", "ASSOCIATED_WITH"]).abbreviation
    'CtGaD'
    """
    kind_list = list(kinds)
    return Metapath(tuple(
        MetaEdge(a, t, b)
        for a, t, b in zip(kind_list[:-1], edge_types, kind_list[1:], strict=True)
    ))


__all__ = [
    "EDGE_ABBREVIATIONS",
    "KIND_ABBREVIATIONS",
    "MetaEdge",
    "MetaGraph",
    "Metapath",
    "as_metapath",
    "edge_abbreviation",
    "is_mechanism_edge_type",
    "is_mechanism_kind",
    "kind_abbreviation",
    "mechanism_metapath",
    "metagraph",
    "metapaths",
]
