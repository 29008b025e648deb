"""How txkg's graph is laid out in Neo4j: the properties of nodes and relationships.

Every assertion a load writes is tagged with that load's **generation**, a
store-wide number; each ``:TxkgSource`` node says which generation is its
live one (and which one a load is writing). A generation therefore names a
source at one version, and that is all an element needs to say who asserted it.

Most nodes and relationships have one asserting source (all of PrimeKG's), so,
as the SQLite store keeps a lone assertion on its row, a lone assertion lives
in plain properties:

=================  ======================================================================
node, one          public properties are the node as its source said it (``id``,
assertion          ``kind``, ``name``, every non-empty field; lists stay lists, dicts are
                   JSON text); ``_gen`` is the generation; ``_keys`` the lookup keys
node, several      public properties are the merged view (``graph.store.merge``);
                   ``_gens`` lists the generations, ``_assertions`` (JSON) holds each
                   one's record by generation
relationship, one  public properties are the statement's properties (``relation`` …)
assertion          plus ``pmids`` (absent when there are none); ``_gen``, which names
                   the source (the ``:TxkgSource`` whose ``gen`` it is: no ``sources``
                   list is written, see :func:`relationship_properties`); ``_line`` the
                   file line of its usual single provenance entry (this source, its
                   version, a line, PMIDs). Anything else is kept as JSON: ``_prov``
                   (other provenance), ``_props`` (properties that plain properties
                   cannot hold: a null, a reserved name)
relationship,      public properties are the merged properties, ``sources``, ``pmids``;
several            ``_gens`` and ``_assertions`` (JSON: each generation's provenance and
                   properties)
=================  ======================================================================

Functions here turn assertions into properties and back; they never talk to a
server. :class:`Generations` maps generation numbers to their sources.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, get_origin

from graph.model import NODE_CLASSES, Edge, EdgeType, Node, Provenance, node_from_record
from graph.store.merge import lookup_keys, merge_records, priority
from graph.stream import Statement

#: Node properties keeping the explainer's degrees (:mod:`graph.store.neo4j_paths`):
#: ``_deg_<TYPE>_<Kind>``, and the mark ``_deg`` saying they are set. A load removes the
#: mark from the stored nodes it adds or removes relationships of.
DEGREE_PREFIX = "_deg_"
DEGREE_MARK = "_deg"

#: Relationship properties txkg sets itself; a statement property of one of these names
#: is kept in ``_props``.
RESERVED = frozenset({"sources", "pmids"})
#: Node fields held as JSON text (Neo4j properties cannot be maps).
JSON_FIELDS = frozenset(
    name for cls in NODE_CLASSES.values() for name, field in cls.model_fields.items()
    if get_origin(field.annotation) is dict)

Record = dict[str, Any]  # a node as one source said it, JSON-like
#: One source's statement of an edge: ``{"provenance": [...], "properties": {...}}``.
Said = dict[str, Any]


class SourceRef(NamedTuple):
    """The source (at a version) a generation stands for, and its place in merge order."""

    name: str
    version: str | None
    rank: tuple[int, str, int]  # source priority, source name, generation


class Generations(dict[int, SourceRef]):
    """Generation -> its source, read from the ``:TxkgSource`` nodes."""

    @classmethod
    def of(cls, rows: Iterable[Mapping[str, Any]]) -> Generations:
        """From rows of ``name, kind, version, seq, gen, loading_gen, loading_kind,
        loading_version`` (one per source)."""
        gens = cls()
        for row in rows:
            if row.get("gen") is not None:
                gens[row["gen"]] = SourceRef(row["name"], row.get("version"), (
                    priority(row["kind"]), row["name"], row["gen"]))
            if row.get("loading_gen") is not None:
                gens[row["loading_gen"]] = SourceRef(
                    row["name"], row.get("loading_version"),
                    (priority(row.get("loading_kind") or row["kind"]), row["name"],
                     row["loading_gen"]))
        return gens

    def ref(self, gen: int) -> SourceRef:
        return self.get(gen) or SourceRef(f"(generation {gen})", None, (0, "", gen))


# -- nodes ---------------------------------------------------------------------------------


def node_record(node: Node) -> Record:
    """A node as one assertion keeps it."""
    return node.model_dump(mode="json")


def record_from_properties(props: Mapping[str, Any]) -> Record:
    """The node a node's public properties describe (its view), as a record."""
    record = {k: v for k, v in props.items() if not k.startswith("_")}
    for field in JSON_FIELDS & record.keys():
        record[field] = json.loads(record[field])
    return record


def node_from_properties(props: Mapping[str, Any]) -> Node:
    """The node a node's properties describe (its merged view)."""
    return node_from_record(record_from_properties(props))


def view_properties(record: Record) -> dict[str, Any]:
    """A node record as public Neo4j properties: nothing empty, dicts as JSON text."""
    props: dict[str, Any] = {}
    for field, value in record.items():
        if value is None or value == [] or value == () or value == {}:
            continue
        if isinstance(value, dict):
            props[field] = json.dumps(value, sort_keys=True)
        elif isinstance(value, list | tuple):
            props[field] = [str(v) for v in value]
        else:
            props[field] = value
    return props


def node_properties(assertions: Mapping[int, Record], gens: Generations) -> dict[str, Any]:
    """All properties of a node asserted by these generations (at least one)."""
    order = sorted(assertions, key=lambda g: gens.ref(g).rank)
    if len(order) == 1:
        view = assertions[order[0]]
        bookkeeping: dict[str, Any] = {"_gen": order[0]}
    else:
        view = merge_records(assertions[g] for g in order)
        bookkeeping = {"_gens": order, "_assertions": json.dumps(
            {str(g): assertions[g] for g in order}, sort_keys=True)}
    props = view_properties(view)
    keys = lookup_keys(view["id"], view["name"], view.get("synonyms") or (),
                       view.get("xrefs") or (), kind=view["kind"])
    if keys:
        props["_keys"] = sorted(keys)
    props.update(bookkeeping)
    return props


def node_assertions(props: Mapping[str, Any]) -> dict[int, Record]:
    """Each generation's record of a node, from its properties."""
    if "_assertions" in props:
        return {int(g): r for g, r in json.loads(props["_assertions"]).items()}
    return {int(props["_gen"]): node_record(node_from_properties(props))}


# -- relationships -------------------------------------------------------------------------


def provenance_records(provenance: Iterable[Provenance]) -> list[dict[str, Any]]:
    return [p.model_dump(mode="json", exclude_defaults=True) for p in provenance]


def said_by(name: str, version: str | None, edge: Edge | Statement) -> Said:
    """What source ``name`` (at ``version``) asserts of a statement: its provenance and
    properties, as a relationship's assertion keeps them (a streamed :class:`Statement`
    names the source, version, line and PMIDs itself)."""
    if isinstance(edge, Statement):
        entry: dict[str, Any] = {"source": name}
        if version is not None:
            entry["version"] = version
        if edge.line is not None:
            entry["line"] = edge.line
        if edge.pmids:
            entry["pmids"] = list(edge.pmids)
        return {"provenance": [entry], "properties": dict(edge.properties or {})}
    return {"provenance": provenance_records(edge.provenance),
            "properties": dict(edge.properties)}


def is_usual(provenance: list[dict[str, Any]], source: SourceRef) -> bool:
    """One entry naming only this source, its version, a line and PMIDs (kept as ``_line``)."""
    if len(provenance) != 1:
        return False
    entry = provenance[0]
    return (entry.get("source") == source.name and entry.get("version") == source.version
            and entry.keys() <= {"source", "version", "line", "pmids"})


def plain_properties(properties: Mapping[str, Any]) -> bool:
    """Whether statement properties can be plain relationship properties."""
    return all(v is not None and not k.startswith("_") and k not in RESERVED
               for k, v in properties.items())


def relationship_properties(assertions: Mapping[int, Said],
                            gens: Generations) -> dict[str, Any]:
    """All properties of a relationship asserted by these generations (at least one).

    ``sources`` (the asserting sources' names) is written only when several sources
    assert it: a lone assertion's source is its ``_gen``, and a list property on each of
    PrimeKG's four million relationships cost a record of Neo4j's array store each
    (128 bytes, nearly four times the relationship's own record).
    Cypher reads the names as ``coalesce(r.sources, COLLECT { MATCH (s:TxkgSource)
    WHERE r._gen IN [s.gen, s.loading_gen] RETURN s.name })`` (docs/neo4j.md).
    """
    order = sorted(assertions, key=lambda g: (gens.ref(g).name, g))
    provenance = [p for g in order for p in assertions[g]["provenance"]]
    properties: dict[str, Any] = {}
    for g in order:
        properties.update(assertions[g]["properties"])
    props = {k: v for k, v in properties.items()
             if v is not None and not k.startswith("_") and k not in RESERVED}
    pmids = list(dict.fromkeys(pmid for p in provenance for pmid in p.get("pmids", ())))
    if pmids:
        props["pmids"] = pmids
    if len(order) > 1:
        props["sources"] = list(dict.fromkeys(p["source"] for p in provenance))
        props["_gens"] = order
        props["_assertions"] = json.dumps({str(g): assertions[g] for g in order},
                                          sort_keys=True)
        return props
    gen = order[0]
    props["_gen"] = gen
    said = assertions[gen]
    if is_usual(said["provenance"], gens.ref(gen)):
        line = said["provenance"][0].get("line")
        if line is not None:
            props["_line"] = line
    else:
        props["_prov"] = json.dumps(said["provenance"], sort_keys=True)
    if not plain_properties(said["properties"]):
        props["_props"] = json.dumps(said["properties"], sort_keys=True)
    return props


def relationship_assertions(props: Mapping[str, Any], gens: Generations) -> dict[int, Said]:
    """Each generation's statement of a relationship, from its properties."""
    if "_assertions" in props:
        return {int(g): s for g, s in json.loads(props["_assertions"]).items()}
    gen = int(props["_gen"])
    if "_prov" in props:
        provenance = json.loads(props["_prov"])
    else:
        source = gens.ref(gen)
        entry: dict[str, Any] = {"source": source.name}
        if source.version is not None:
            entry["version"] = source.version
        if props.get("_line") is not None:
            entry["line"] = props["_line"]
        if props.get("pmids"):
            entry["pmids"] = list(props["pmids"])
        provenance = [entry]
    if "_props" in props:
        properties = json.loads(props["_props"])
    else:
        # By name, as ``_assertions`` keeps them: the server's order of a relationship's
        # properties follows where they lie in its store, which a rewrite changes.
        properties = {k: v for k, v in sorted(props.items())
                      if not k.startswith("_") and k not in RESERVED}
    return {gen: {"provenance": provenance, "properties": properties}}


def edge_from_assertions(key: tuple[str, str, str], assertions: Mapping[int, Said],
                         gens: Generations) -> Edge:
    """The merged edge: every source's provenance (by source name), properties unioned."""
    provenance: list[Provenance] = []
    properties: dict[str, Any] = {}
    for gen in sorted(assertions, key=lambda g: (gens.ref(g).name, g)):
        provenance.extend(Provenance.model_validate(p) for p in assertions[gen]["provenance"])
        properties.update(assertions[gen]["properties"])
    return Edge(source=key[0], target=key[2], type=EdgeType(key[1]),
                provenance=tuple(provenance), properties=properties)


def edge_from_properties(key: tuple[str, str, str], props: Mapping[str, Any],
                         gens: Generations) -> Edge:
    """The merged edge a relationship's properties describe."""
    return edge_from_assertions(key, relationship_assertions(props, gens), gens)


def combine(first: Said, then: Said) -> Said:
    """One source's two statements of one edge (a repeated row): both provenances."""
    return {"provenance": [*first["provenance"], *then["provenance"]],
            "properties": {**first["properties"], **then["properties"]}}
