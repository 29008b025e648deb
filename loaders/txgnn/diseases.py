"""What TxGNN says about its diseases: cross-references, group members, disease areas.

Each reader returns one :class:`~graph.model.SourceBatch` of Disease nodes
that add to the vocabulary's nodes (the store merges them): xrefs from
``mondo_references.csv``, member names as synonyms from
``kg_grouped_diseases.csv``, and ``disease_areas`` from each
``disease_files/<area>.csv``. A row naming a MONDO id that is not one of
TxGNN's diseases is refused to the ledger.

Cross-references (``ontology_id,ontology,mondo_id``; ids read as text, so
``0000408`` keeps its zeros) become CURIEs three ways:

* ontologies :mod:`graph.ids` knows (UMLS, DOID, Orphanet, OMIM, MESH, NCIT,
  EFO, HP, HGNC, MONDO, Reactome, and OMIMPS as ``OMIM:PS…``) are normalised
  and checked; a malformed id is refused, except that the ``CN…`` ids MONDO
  files under UMLS are NCBI MedGen concepts and kept as ``MEDGEN:CN…``;
* other ontologies are kept as ``PREFIX:id``, the prefix spelled as
  :func:`graph.ids.normalize_xref` spells it (SCTID → ``SNOMEDCT``, MedDRA →
  ``MEDDRA``) or as the file gives it (``ICD10:E83.3``, ``GARD:0006722``);
* URLs (``http``/``https``: curators' ORCIDs, Wikipedia pages) and PMIDs are
  not identifiers of the disease and are refused.

>>> xref_curie("OMIMPS", "203655"), xref_curie("SCTID", "64572001")
('OMIM:PS203655', 'SNOMEDCT:64572001')
>>> xref_curie("https", "//orcid.org/0000-0002-2825-0621")
Traceback (most recent call last):
...
loaders.txgnn.vocabulary.Unresolved: a URL, not an identifier of the disease
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from graph import ids
from graph.errors import InvalidId
from graph.gc_pause import collector_paused
from graph.model import Disease, Rejection, SourceBatch, SourceInfo
from loaders.txgnn._files import CsvTable, rejection, source_info
from loaders.txgnn.vocabulary import Unresolved, Vocabulary

MONDO_REFERENCES = "mondo_references.csv"
GROUPED_DISEASES = "kg_grouped_diseases.csv"
DISEASE_FILES = "disease_files"

#: ``ontology`` column value -> graph.ids id space, for ontologies txkg validates.
KNOWN_ONTOLOGIES: dict[str, str] = {
    "UMLS": "UMLS", "UMLS_CUI": "UMLS", "DOID": "DOID", "Orphanet": "ORPHANET",
    "ORDO": "ORPHANET", "OMIM": "OMIM", "OMIMPS": "OMIM", "MESH": "MESH", "NCIT": "NCIT",
    "EFO": "EFO", "HP": "HP", "HGNC": "HGNC", "MONDO": "MONDO", "Reactome": "REACT",
}
#: Ontology values that are not identifiers of the disease.
REFUSED_ONTOLOGIES: dict[str, str] = {
    "http": "a URL, not an identifier of the disease",
    "https": "a URL, not an identifier of the disease",
    "PMID": "a publication, not an identifier of the disease",
}
#: Disease-area file stem -> area name (TxGNN spells one file ``neurodigenerative``).
AREA_NAMES: dict[str, str] = {"neurodigenerative": "neurodegenerative"}

_LOCAL = re.compile(r"[^\s:][^\s]*")
_MEDGEN_CONCEPT = re.compile(r"CN\d+")


def xref_curie(ontology: str, local: str) -> str:
    """The xref CURIE for one ``mondo_references.csv`` row; raises Unresolved."""
    ontology, local = ontology.strip(), local.strip()
    if ontology in REFUSED_ONTOLOGIES:
        raise Unresolved(REFUSED_ONTOLOGIES[ontology])
    if not ontology or not local:
        raise Unresolved("empty ontology or id")
    known = KNOWN_ONTOLOGIES.get(ontology)
    if known == "UMLS" and _MEDGEN_CONCEPT.fullmatch(local):
        return f"MEDGEN:{local}"  # NCBI-made MedGen concepts that MONDO files under UMLS
    if known is not None:
        if ontology == "OMIMPS" and not local.startswith("PS"):
            local = "PS" + local
        try:
            return ids.normalize(local, source=known)
        except InvalidId as error:
            raise Unresolved(str(error)) from error
    if not _LOCAL.fullmatch(local) or not re.fullmatch(r"[A-Za-z][\w.]*", ontology):
        raise Unresolved(f"not an id: {ontology}:{local}")
    return ids.normalize_xref(f"{ontology}:{local}")  # the prefix spelled as txkg spells it


def _member(vocab: Vocabulary, raw: str) -> str:
    """The disease node of a raw TxGNN node id (``9693``, ``15999.0``); raises Unresolved."""
    text = raw.strip()
    if text.endswith(".0"):  # pandas wrote some ids as floats
        text = text[:-2]
    if not text.isdigit():
        raise Unresolved(f"malformed MONDO id {raw!r}")
    found = vocab.disease_for_member(text)
    if found is None:
        raise Unresolved(f"MONDO:{text.zfill(7)} is not one of TxGNN's diseases")
    return found


def _diseases(vocab: Vocabulary, info: SourceInfo, fields: dict[str, dict[str, list[str]]],
              rejections: list[Rejection]) -> SourceBatch:
    nodes = tuple(
        Disease(id=curie, name=vocab.diseases[curie],
                **{k: tuple(dict.fromkeys(v)) for k, v in extra.items()})
        for curie, extra in fields.items())
    return SourceBatch(source=info, nodes=nodes, rejections=tuple(rejections))


@collector_paused()
def read_mondo_references(path: str | Path, vocab: Vocabulary) -> SourceBatch:
    """Disease nodes carrying the cross-references ``mondo_references.csv`` gives."""
    file = Path(path)
    info = source_info(file, name=f"txgnn/{file.name}", kind="txgnn-references")
    table = CsvTable.open(file, required=("ontology_id", "ontology", "mondo_id"))
    local_col, onto_col, mondo_col = (
        table.columns[c] for c in ("ontology_id", "ontology", "mondo_id"))
    fields: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"xrefs": []})
    rejections: list[Rejection] = []
    for line, values in table.rows():
        try:
            disease = _member(vocab, values[mondo_col])
            xref = xref_curie(values[onto_col], values[local_col])
        except Unresolved as why:
            rejections.append(rejection(info, line, ",".join(values), str(why)))
            continue
        if xref != disease:
            fields[disease]["xrefs"].append(xref)
    return _diseases(vocab, info, fields, rejections)


@collector_paused()
def read_grouped_diseases(path: str | Path, vocab: Vocabulary) -> SourceBatch:
    """Disease nodes with their members' names as synonyms (``kg_grouped_diseases.csv``)."""
    file = Path(path)
    info = source_info(file, name=f"txgnn/{file.name}", kind="txgnn-vocabulary")
    table = CsvTable.open(file, required=("node_id", "node_name", "node_source"))
    id_col, name_col, source_col = (
        table.columns[c] for c in ("node_id", "node_name", "node_source"))
    fields: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"synonyms": []})
    rejections: list[Rejection] = []
    for line, values in table.rows():
        try:
            if values[source_col].strip() != "MONDO":
                raise Unresolved(f"node source {values[source_col]!r} is not MONDO")
            disease = _member(vocab, values[id_col])
        except Unresolved as why:
            rejections.append(rejection(info, line, ",".join(values), str(why)))
            continue
        name = values[name_col].strip()
        synonyms = fields[disease]["synonyms"]  # asserts the node even without a new name
        if name and ids.name_key(name) != ids.name_key(vocab.diseases[disease]):
            synonyms.append(name)
    return _diseases(vocab, info, fields, rejections)


def area_name(path: Path) -> str:
    """The disease area a ``disease_files`` file lists.

    >>> area_name(Path("disease_files/neurodigenerative.csv"))
    'neurodegenerative'
    >>> area_name(Path("cell_proliferation.csv"))
    'cell proliferation'
    """
    return AREA_NAMES.get(path.stem, path.stem).replace("_", " ")


@collector_paused()
def read_disease_area(path: str | Path, vocab: Vocabulary) -> SourceBatch:
    """Disease nodes tagged with one ``disease_files/<area>.csv`` area.

    Both header variants load: ``,node_id,…`` (an unnamed index column, ids
    written as floats such as ``15999.0``) and ``node_index,node_id,…``.
    """
    file = Path(path)
    info = source_info(file, name=f"txgnn/{DISEASE_FILES}/{file.name}",
                       kind="txgnn-disease-area")
    table = CsvTable.open(file, required=("node_id", "node_name"))
    id_col = table.columns["node_id"]
    source_col = table.columns.get("node_source")
    area = area_name(file)
    fields: dict[str, dict[str, list[str]]] = {}
    rejections: list[Rejection] = []
    for line, values in table.rows():
        try:
            if source_col is not None and values[source_col].strip() not in ("MONDO", ""):
                raise Unresolved(f"node source {values[source_col]!r} is not MONDO")
            disease = _member(vocab, values[id_col])
        except Unresolved as why:
            rejections.append(rejection(info, line, ",".join(values), str(why)))
            continue
        fields[disease] = {"disease_areas": [area]}
    return _diseases(vocab, info, fields, rejections)


def disease_area_files(directory: str | Path) -> list[Path]:
    """The disease-area lists of a TxGNN data folder, by name."""
    folder = Path(directory) / DISEASE_FILES
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []
