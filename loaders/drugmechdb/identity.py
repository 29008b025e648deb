"""Which txkg id and kind each DrugMechDB node stands for, and what goes to the ledger.

A path's drug is keyed by its header's DrugBank id; a MeSH id that a header gives
as some drug's ``drug_mesh`` names that drug in every file; other ids are
normalised with the raw form kept as an xref. One id has one kind across the
dataset (the header's disease a Disease, the header's drug a Drug, otherwise
the kind most files give it). Every correction is a ledger entry.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from graph.drugmechdb_vocabulary import NODE_LABELS, raw_curie
from graph.errors import InvalidId
from graph.model import Drug, Node, Rejection
from loaders.drugmechdb.files import PathFile

DRUG_KIND = Drug.model_fields["kind"].default
DISEASE_KIND = "Disease"
CHEMICAL_KIND = "ChemicalSubstance"
_DRUGBANK_DRUG = re.compile(r"DRUGBANK:DB\d{5}")  # not DBMET…: DrugBank's metabolites
_NODE_CLASS: dict[str, type[Node]] = {
    str(cls.model_fields["kind"].default): cls for cls in NODE_LABELS.values()}


class Ledger:
    """The rejections of one read, each naming its file and record."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.entries: list[Rejection] = []

    def add(self, file: PathFile | None, reason: str, record: str | None = None) -> None:
        self.entries.append(Rejection(source=self.source,
                                      path=str(file.path) if file else None,
                                      record=record, reason=reason))


def header_curie(file: PathFile, key: str, ledger: Ledger) -> str | None:
    """The normalised id a file's header gives under ``key`` (None if absent or malformed)."""
    raw = file.header.get(key)
    return file_curie(file, str(raw), key, ledger) if raw else None


class HeaderIdentity:
    """Which txkg id each DrugMechDB id stands for, from every file's header.

    A header's ``drug_mesh`` may list several MeSH ids (a combination product,
    ``MESH:C040934,MESH:D017291``): the first listed that is a node of the path
    is its drug there, and none of them names the drug elsewhere.
    """

    def __init__(self, files: Sequence[PathFile], ledger: Ledger) -> None:
        self.drugbank: dict[str, str | None] = {}  # path id -> DRUGBANK:… of its drug
        self.drug_mesh: dict[str, tuple[str, ...]] = {}
        self.disease: dict[str, str | None] = {}
        by_mesh: dict[str, dict[str, str]] = defaultdict(dict)
        for file in files:
            header = file.header
            if "drugbank" not in header:
                ledger.add(file, "no drugbank id in the header: the drug is keyed by its "
                                 "MeSH id", record=file.path_id)
            drugbank = header_curie(file, "drugbank", ledger)
            if drugbank is not None and not drugbank.startswith("DRUGBANK:"):
                ledger.add(file, f"drugbank {drugbank} is not a DrugBank id", record=drugbank)
                drugbank = None
            meshes = tuple(m for m in (file_curie(file, raw, "drug_mesh", ledger) for raw in
                                       str(header.get("drug_mesh") or "").split(",") if raw)
                           if m)
            self.drugbank[file.path_id] = drugbank
            self.drug_mesh[file.path_id] = meshes
            self.disease[file.path_id] = header_curie(file, "disease_mesh", ledger)
            if len(meshes) == 1 and drugbank:
                by_mesh[meshes[0]].setdefault(drugbank, str(header.get("drug") or ""))
        #: MeSH id -> the one DrugBank drug it names; reused ids are left out.
        self.mesh_drug: dict[str, str] = {}
        self.reused_mesh: set[str] = set()
        for mesh, drugs in sorted(by_mesh.items()):
            if len(drugs) == 1:
                self.mesh_drug[mesh] = next(iter(drugs))
            else:
                self.reused_mesh.add(mesh)
                named = ", ".join(f"{name} ({db})" for db, name in sorted(drugs.items()))
                ledger.add(None, f"MeSH id reused for different drugs: {mesh} names "
                                 f"{named}; it is used as the xref of none", record=mesh)
        self.diseases = {d for d in self.disease.values() if d}
        self.drugs = {d for d in self.drugbank.values() if d}

    def drug_node(self, file: PathFile, curies: Iterable[str]) -> str | None:
        """The id, as the file writes it, of the path's drug node (None if absent)."""
        present = set(curies)
        drugbank = self.drugbank[file.path_id]
        for candidate in (*self.drug_mesh[file.path_id], drugbank):
            if candidate and candidate in present and candidate not in self.diseases:
                return candidate
        return None

    def node_id(self, file: PathFile, curie: str, label: str, drug_node: str | None) -> str:
        """The txkg id of a node of ``file`` whose own id is ``curie``."""
        drugbank = self.drugbank[file.path_id]
        if drugbank and curie == drug_node:
            return drugbank
        if label in ("Drug", "ChemicalSubstance") and curie in self.mesh_drug:
            return self.mesh_drug[curie]
        return curie


def file_curie(file: PathFile, raw: str, key: str, ledger: Ledger) -> str | None:
    """``raw`` normalised, or None with a ledger entry when it is malformed."""
    try:
        return raw_curie(raw)
    except InvalidId as error:
        ledger.add(file, f"malformed header {key}: {raw!r} ({error})", record=raw)
        return None


@dataclass
class Occurrence:
    """One node as one file writes it."""

    file: PathFile
    raw_id: str
    label: str
    name: str
    alt_ids: list[str]
    alt_names: list[str]


def kind_of(label: str) -> str:
    """The txkg kind of a DrugMechDB node label."""
    return str(NODE_LABELS[label].model_fields["kind"].default)


def choose_kinds(occurrences: dict[str, list[Occurrence]], identity: HeaderIdentity,
                  ledger: Ledger) -> dict[str, str]:
    """One kind per id; every occurrence labelled otherwise is noted in the ledger."""
    kinds: dict[str, str] = {}
    for node_id, occ in occurrences.items():
        votes = Counter(kind_of(o.label) for o in occ)
        if node_id in identity.diseases:
            kind, why = DISEASE_KIND, "its path's header names it the disease"
        elif node_id in identity.drugs:
            kind, why = DRUG_KIND, "a path's header names it the drug"
        elif _DRUGBANK_DRUG.fullmatch(node_id) and set(votes) <= {DRUG_KIND, CHEMICAL_KIND}:
            kind, why = DRUG_KIND, "DrugBank catalogues it as a drug"
        else:
            kind = min(votes, key=lambda k: (-votes[k], k))
            why = f"labelled so in {votes[kind]} of {len(occ)} occurrences"
        kinds[node_id] = kind
        for o in occ:
            label_kind = kind_of(o.label)
            if label_kind == kind or (kind == DRUG_KIND and label_kind == CHEMICAL_KIND):
                continue
            what = ("disease node labelled " + o.label if node_id in identity.diseases
                    else "inconsistent label")
            ledger.add(o.file, f"{what}: {o.raw_id} labelled {o.label} ({o.name!r}) loaded "
                               f"as {kind} ({why})", record=o.raw_id)
    return kinds


def build_node(node_id: str, kind: str, occ: list[Occurrence], identity: HeaderIdentity,
               ledger: Ledger) -> Node:
    """The node for ``node_id``: its most used name, the other names and ids it is written with."""
    names = Counter(o.name for o in occ)
    name = max(names, key=lambda n: names[n])  # most used; first seen on ties
    synonyms = [n for n in names if n != name]
    xrefs: list[str] = []
    for o in occ:
        synonyms.extend(o.alt_names)
        if o.raw_id != node_id:
            curie = raw_curie(o.raw_id)  # parsed once already: cannot fail
            if o.raw_id != curie:
                xrefs.append(o.raw_id)  # the spelling DrugMechDB uses
            if curie != node_id and curie not in identity.reused_mesh:
                xrefs.append(curie)
        for alt in o.alt_ids:
            try:
                xrefs.append(raw_curie(alt))
            except InvalidId:
                ledger.add(o.file, f"malformed alt_id of {o.raw_id}", record=alt)
    cls = _NODE_CLASS[kind]
    return cls(id=node_id, name=name,
               synonyms=tuple(s for s in dict.fromkeys(synonyms) if s != name),
               xrefs=tuple(x for x in dict.fromkeys(xrefs) if x != node_id))
