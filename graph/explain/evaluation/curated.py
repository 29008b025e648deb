"""Curated drug → disease mechanism paths, as the evaluation reads them.

A small, self-contained reader of DrugMechDB's path files (one YAML file per
path, networkx node-link data) into :class:`CuratedPath` values: ids with
normalised prefixes, Biolink labels mapped to txkg kinds, predicates mapped to
txkg edge types with the predicate text kept. The mappings are the loader's,
from :mod:`graph.drugmechdb_vocabulary`; an edge whose predicate it does not
know is left out, as the loader leaves it out. The drug is keyed by its
DrugBank id (MeSH ids are reused for different drugs in the corpus). The
loader in ``loaders/drugmechdb.py`` is the full-fidelity reader for the
store; this one feeds :mod:`graph.explain.evaluation.run` and can be swapped
for it behind :func:`read_curated_paths`.

>>> p = curated_path_from_data({"graph": {"_id": "DB1_MESH_D1_1", "drugbank": "DB:DB00001",
...     "drug_mesh": "MESH:C1", "disease_mesh": "MESH:D1"},
...     "nodes": [{"id": "MESH:C1", "label": "Drug", "name": "x"},
...               {"id": "UniProt:P1", "label": "Protein", "name": "p"},
...               {"id": "MESH:D1", "label": "Disease", "name": "d"}],
...     "links": [{"source": "MESH:C1", "target": "UniProt:P1", "key": "decreases activity of"},
...               {"source": "UniProt:P1", "target": "MESH:D1", "key": "causes"}]})
>>> p.drug, p.edges[0]
('DRUGBANK:DB00001', ('DRUGBANK:DB00001', 'INHIBITS', 'UniProtKB:P1', 'decreases activity of'))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graph import ids
from graph.drugmechdb_vocabulary import NODE_KINDS, PREDICATES, predicate_type, raw_curie
from graph.errors import InvalidId, ParseError

#: Biolink labels used by DrugMechDB → txkg node kinds (the loader's mapping).
KINDS: dict[str, str] = NODE_KINDS
#: DrugMechDB predicate texts → txkg edge types (the loader's mapping).
EDGE_TYPES: dict[str, str] = {text: edge_type.value for text, edge_type in PREDICATES.items()}


@dataclass(frozen=True, slots=True)
class CuratedPath:
    """One curated mechanism: its nodes ``(id, kind, name)`` and statements
    ``(source, edge type, target, predicate text)``."""

    path_id: str
    drug: str
    disease: str
    nodes: tuple[tuple[str, str, str], ...]
    edges: tuple[tuple[str, str, str, str], ...]


def normalize_id(curie: str) -> str:
    """A DrugMechDB id as txkg writes it (:func:`~graph.drugmechdb_vocabulary.raw_curie`);
    an id that does not check out keeps its local part, with its prefix made canonical.

    >>> normalize_id("taxonomy:562"), normalize_id("UniProt:P1"), normalize_id("odd")
    ('NCBITaxon:562', 'UniProtKB:P1', 'odd')
    """
    try:
        return raw_curie(str(curie))
    except InvalidId:
        prefix, sep, local = str(curie).partition(":")
        return f"{ids.PREFIX_ALIASES.get(prefix.lower(), prefix)}{sep}{local}"


def curated_path_from_data(data: Mapping[str, Any], *, where: str = "<data>") -> CuratedPath:
    """A :class:`CuratedPath` from one file's parsed YAML; ParseError if it is not one."""
    try:
        header = data["graph"]
        nodes, links = data["nodes"], data["links"]
        drug_mesh = normalize_id(header.get("drug_mesh") or "")
        disease = normalize_id(header["disease_mesh"])
        path_id = str(header["_id"])
    except (KeyError, TypeError) as error:
        raise ParseError(f"not a DrugMechDB path file: missing {error}", path=where) from error
    drugbank = header.get("drugbank")
    drug = normalize_id(drugbank) if drugbank else drug_mesh
    if not drug_mesh:  # no MeSH id for the drug: take the file's Drug node
        drug_mesh = next((normalize_id(n["id"]) for n in nodes if n.get("label") == "Drug"), "")

    def node_id(raw: Any) -> str:
        found = normalize_id(str(raw))
        return drug if found == drug_mesh else found

    kinds = []
    for node in nodes:
        nid = node_id(node["id"])
        label = str(node.get("label"))
        kind = ("Drug" if nid == drug else "Disease" if nid == disease
                else KINDS.get(label, label))
        kinds.append((nid, kind, str(node.get("name") or nid)))
    edges = tuple((node_id(link["source"]), edge_type.value, node_id(link["target"]),
                   " ".join(str(link["key"]).split()))
                  for link in links
                  if (edge_type := predicate_type(str(link["key"]))) is not None)
    return CuratedPath(path_id, drug, disease, tuple(kinds), edges)


def read_curated_paths(folder: Path | str) -> list[CuratedPath]:
    """Every ``*.yaml`` path file in ``folder`` (or one file), in file-name order."""
    return list(_read(Path(folder)))


def _read(folder: Path) -> Iterator[CuratedPath]:
    files = [folder] if folder.is_file() else sorted(folder.glob("*.yaml"))
    if not files:
        raise ParseError("no DrugMechDB path files (*.yaml) here", path=str(folder))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for file in files:
        try:
            data = yaml.load(file.read_text(encoding="utf-8"), Loader=loader)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            raise ParseError(f"not YAML: {error}", path=str(file),
                             line=mark.line + 1 if mark else None) from error
        if not isinstance(data, dict):
            raise ParseError("not a DrugMechDB path file: not a mapping", path=str(file))
        yield curated_path_from_data(data, where=str(file))


__all__ = ["EDGE_TYPES", "KINDS", "CuratedPath", "curated_path_from_data",
           "from_loader_paths", "normalize_id", "read_curated_paths"]


def from_loader_paths(paths: Iterable[Any]) -> list[CuratedPath]:
    """Adapt ``loaders.drugmechdb.CuratedPath`` values (the store's loader) to this module's.

    The loader's paths carry txkg ids, kinds chosen across the whole corpus and
    known errors already refused; :mod:`graph.explain.evaluation.run` prefers them.
    """
    return [CuratedPath(
        path_id=p.path_id, drug=p.drug_id, disease=p.disease_id,
        nodes=tuple((n.id, n.kind, n.name) for n in p.nodes),
        edges=tuple((e.source, str(getattr(e.type, "value", e.type)), e.target, e.predicate)
                    for e in p.edges),
    ) for p in paths]
