"""PrimeKG rows to txkg statements: canonical edges, their nodes, and refusals.

:class:`Builder` takes the rows of one file in order and appends to its
``nodes``, ``edges`` and ``rejections`` lists, which the reader hands on as a
chunk and empties. It is the hot loop of a PrimeKG load (eight million rows),
so it keeps per-row work to dictionary lookups: a row's relation, display
relation and node types are looked up once per distinct combination (a
:class:`_Plan`), each distinct node id is turned into a CURIE once, and a fact
already read (its mirrored row) is recognised by one integer key.

Memory: one small record per distinct node, and one integer per distinct fact
(to tell a mirrored row from a new fact), about 70 bytes a fact: 0.3 GB for
PrimeKG's four million.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from graph import ids
from graph.errors import InvalidId
from graph.model import EdgeType, Gene, Node, Rejection
from graph.stream import Statement
from loaders.primekg.rows import DISPLAY, FIELDS, ID, NAME, PMIDS, RELATION, SOURCE, TYPE, X, Y
from loaders.primekg.vocabulary import DRUG_PROTEIN_TYPES, NODE_TYPES, RELATIONS

X_ID, X_TYPE, X_SOURCE = X + ID, X + TYPE, X + SOURCE
Y_ID, Y_TYPE, Y_SOURCE = Y + ID, Y + TYPE, Y + SOURCE
#: Rows between two progress reports of :meth:`Builder.read`.
ROWS_BETWEEN_REPORTS = 50_000

#: Edge types by small integer, for the keys of facts already read.
_TYPE_CODES = {edge_type: code for code, edge_type in enumerate(EdgeType)}
_NODE_BITS = 24  # node numbers below 16.7 million (PrimeKG has 129,375 nodes)


class _Reject(Exception):
    """A row the loader cannot use; becomes a Rejection."""


@dataclass(frozen=True, slots=True)
class _Plan:
    """What every row of one (relation, display relation, x type, y type) becomes."""

    edge_type: EdgeType
    code: int
    flipped: bool  # the canonical edge runs y -> x
    symmetric: bool  # both ends of one type: the smaller CURIE first
    properties: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Endpoint:
    """A distinct node of the file: its number, CURIE, class, and node type as written."""

    number: int
    id: str
    kind: type[Node]
    node_type: str


_NONE: dict[str, _Endpoint] = {}
# The fields a rejection shows of its row: relation, display, x's and y's id, type,
# name and source, the PMIDs.
_RECORD = (RELATION, DISPLAY, *(side + f for side in (X, Y) for f in (ID, TYPE, NAME, SOURCE)),
           PMIDS)


class Builder:
    """Turns rows into nodes, canonical edges (:class:`~graph.stream.Statement`\\ s) and
    rejections, appended to ``nodes``, ``edges`` and ``rejections`` in file order (a
    node before the first edge that needs it)."""

    def __init__(self, *, name: str, path: str) -> None:
        self.name = name
        self.path = path
        self.rows = self.edge_count = self.rejected = self.mirrored = self.duplicates = 0
        self.nodes: list[Node] = []
        self.edges: list[Statement] = []
        self.rejections: list[Rejection] = []
        self._plans: dict[tuple[str, str, str, str], _Plan | str] = {}
        # id space (x_source) -> raw id -> endpoint: each distinct node resolved once
        self._endpoints: dict[str, dict[str, _Endpoint]] = {}
        self._by_id: dict[str, _Endpoint] = {}  # CURIE -> the endpoint that holds it
        self._emitted: set[int] = set()  # numbers of the nodes already yielded
        # canonical fact -> orientations seen: 1 as written, 2 flipped
        self._seen: dict[int, int] = {}

    @property
    def node_count(self) -> int:
        return len(self._emitted)

    def read(self, rows: Iterator[tuple[int, Sequence[str]]], *,
             chunk_size: int) -> Iterator[int]:
        """Read rows, yielding the rows read so far whenever ``chunk_size`` edges and
        rejections are waiting (the caller takes them), and every
        :data:`ROWS_BETWEEN_REPORTS` rows.

        This is the loop of a PrimeKG load, run eight million times: it stays in one
        function, looks things up by subscript (a miss, once per distinct value,
        takes the slow path), and a row restating a fact already read costs four
        lookups.
        """
        plans, endpoints, seen, emitted = self._plans, self._endpoints, self._seen, self._emitted
        edges, rejections = self.edges, self.rejections
        statement = Statement
        new = tuple.__new__
        count = self.rows
        for line, row in rows:
            count += 1
            try:
                try:
                    plan = plans[(row[RELATION], row[DISPLAY], row[X_TYPE], row[Y_TYPE])]
                except KeyError:
                    plan = self._plan(row)
                if isinstance(plan, str):
                    raise _Reject(plan)
                try:
                    x = endpoints[row[X_SOURCE]][row[X_ID]]
                    if x.node_type != row[X_TYPE]:
                        x = self._endpoint(row, X)
                except KeyError:
                    x = self._endpoint(row, X)
                try:
                    y = endpoints[row[Y_SOURCE]][row[Y_ID]]
                    if y.node_type != row[Y_TYPE]:
                        y = self._endpoint(row, Y)
                except KeyError:
                    y = self._endpoint(row, Y)
                flipped = plan.flipped
                source, target = (y, x) if flipped else (x, y)
                if plan.symmetric and source.id > target.id:
                    source, target, flipped = target, source, not flipped
                key = (source.number << _NODE_BITS | target.number) << 6 | plan.code
                orientation = 2 if flipped else 1
                known = seen.get(key)
                if known is not None:
                    if known & orientation:
                        self.duplicates += 1
                    else:
                        self.mirrored += 1
                        seen[key] = known | orientation
                    continue
                pmids = _pmids(row[PMIDS]) if row[PMIDS] else ()
            except _Reject as reason:
                self.rejected += 1
                rejections.append(Rejection(
                    source=self.name, path=self.path, line=line,
                    record=",".join(row[i].strip() for i in _RECORD), reason=str(reason)))
            else:
                if source.number not in emitted:
                    self._emit(source, row, X if source is x else Y)
                if target.number not in emitted:
                    self._emit(target, row, X if target is x else Y)
                seen[key] = orientation
                # tuple.__new__: the NamedTuple's own constructor is Python code, 3x slower.
                edges.append(new(statement, (source.id, plan.edge_type, target.id, line,
                                             pmids, plan.properties)))
            if len(edges) + len(rejections) >= chunk_size or not count % ROWS_BETWEEN_REPORTS:
                self.rows = count
                self.edge_count = len(seen)
                yield count
                edges, rejections = self.edges, self.rejections
        self.rows = count
        self.edge_count = len(seen)

    def _plan(self, row: Sequence[str]) -> _Plan | str:
        """What rows like this one become, or why they are refused (and remember it)."""
        relation, display = row[RELATION].strip(), row[DISPLAY].strip()
        x_type, y_type = row[X + TYPE].strip(), row[Y + TYPE].strip()
        plan: _Plan | str
        rule = RELATIONS.get(relation)
        if rule is None:
            plan = f"unknown relation {relation!r}"
        elif relation == "drug_protein" and display not in DRUG_PROTEIN_TYPES:
            plan = (f"unknown drug_protein display_relation {display!r}; expected "
                    + ", ".join(DRUG_PROTEIN_TYPES))
        elif x_type not in NODE_TYPES or y_type not in NODE_TYPES:
            plan = f"unknown node type {(x_type if x_type not in NODE_TYPES else y_type)!r}"
        elif (x_type, y_type) not in ((rule.subject, rule.object), (rule.object, rule.subject)):
            plan = (f"relation {relation!r} joins {rule.subject} and {rule.object},"
                    f" not {x_type} and {y_type}")
        else:
            edge_type = DRUG_PROTEIN_TYPES[display] if relation == "drug_protein" \
                else rule.edge_type
            plan = _Plan(edge_type=edge_type, code=_TYPE_CODES[edge_type],
                         flipped=not (x_type == rule.subject and y_type == rule.object),
                         symmetric=rule.symmetric,
                         properties={"relation": relation, "display_relation": display})
        self._plans[(row[RELATION], row[DISPLAY], row[X + TYPE], row[Y + TYPE])] = plan
        return plan

    def _endpoint(self, row: Sequence[str], side: int) -> _Endpoint:
        """The endpoint of a raw id not met before (or met with another node type)."""
        raw_id, space = row[side + ID], row[side + SOURCE]
        node_type = row[side + TYPE].strip()
        kind = NODE_TYPES[node_type]
        try:
            curie = curie_of(raw_id.strip(), space.strip())
        except InvalidId as error:
            raise _Reject(f"{FIELDS[side + ID]}: {error}") from error
        holder = self._by_id.get(curie)
        if holder is not None and holder.kind is not kind:
            raise _Reject(f"{curie} is a {_kind_name(holder.kind)} elsewhere in the file, "
                          f"not a {_kind_name(kind)}")
        found = holder or _Endpoint(len(self._by_id), curie, kind, row[side + TYPE])
        self._by_id.setdefault(curie, found)
        known = self._endpoints.setdefault(space, {})
        if raw_id not in known or found.node_type == row[side + TYPE]:
            known[raw_id] = found
        return found

    def _emit(self, endpoint: _Endpoint, row: Sequence[str], side: int) -> None:
        self._emitted.add(endpoint.number)
        name = row[side + NAME].strip() or endpoint.id
        fields: dict[str, object] = {
            "id": endpoint.id, "name": name,
            "xrefs": xrefs_of(endpoint.id, row[side + ID].strip(), row[side + SOURCE].strip())}
        if endpoint.kind is Gene:
            fields["symbol"] = name
        self.nodes.append(endpoint.kind.model_validate(fields))


def _pmids(text: str) -> tuple[str, ...]:
    """PubMed CURIEs from the ``pmids`` column.

    >>> _pmids("9869202; PMID:38562904")
    ('PMID:9869202', 'PMID:38562904')
    """
    try:
        return tuple(dict.fromkeys(ids.pmid(p) for p in text.split(";") if p.strip()))
    except InvalidId as error:
        raise _Reject(f"pmids: {error}") from error


def _kind_name(kind: type[Node]) -> str:
    return str(kind.model_fields["kind"].default)


def curie_of(raw_id: str, source: str) -> str:
    """The CURIE of a PrimeKG node id in its ``x_source`` id space.

    >>> curie_of("9693", "MONDO"), curie_of("941", "NCBI"), curie_of("R-HSA-388841", "REACTOME")
    ('MONDO:0009693', 'NCBIGene:941', 'REACT:R-HSA-388841')
    >>> curie_of("13924_12592", "MONDO_grouped")
    'MONDO:0013924'
    """
    if source == "MONDO_grouped":
        return _group_members(raw_id)[0]
    return ids.normalize(raw_id, source=source)


def _group_members(raw_id: str) -> list[str]:
    members = raw_id.split("_")
    if not members or any(not m for m in members):
        raise InvalidId(f"malformed grouped MONDO id {raw_id!r}: expected ids joined by '_'")
    return [ids.normalize(m, source="MONDO") for m in members]


def xrefs_of(curie: str, raw_id: str, source: str) -> tuple[str, ...]:
    """Cross-references kept for a node: the raw id, and a group's other members.

    >>> xrefs_of("MONDO:0009693", "9693", "MONDO")
    ('MONDO:9693',)
    >>> xrefs_of("DRUGBANK:DB06681", "DB06681", "DrugBank")
    ('DrugBank:DB06681',)
    >>> xrefs_of("MONDO:0000001", "1_20", "MONDO_grouped")
    ('MONDO_grouped:1_20', 'MONDO:0000020')
    """
    raw = f"{source}:{raw_id}"
    out = [] if raw == curie else [raw]
    if source == "MONDO_grouped":
        out.extend(m for m in _group_members(raw_id) if m != curie)
    return tuple(dict.fromkeys(out))
