"""CURIE identifiers: parsing, validation and normalisation of raw source ids.

Every node id in txkg is a CURIE whose prefix follows the Biolink model, the
convention of KGX, ROBOKOP and RTX-KG2 (``DRUGBANK:DB06681``, ``NCBIGene:941``,
``MONDO:0009693``). Sources spell ids in their own ways; :func:`normalize`
turns those raw forms into the canonical CURIE.

>>> normalize("DB:DB01281")
'DRUGBANK:DB01281'
>>> normalize("Gene::941")
'NCBIGene:941'
>>> normalize("9693", source="MONDO")
'MONDO:0009693'
>>> normalize("NCT4827979")
Traceback (most recent call last):
...
graph.errors.InvalidId: malformed NCT id 'NCT4827979': expected NCT followed by 8 digits
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from graph.errors import InvalidId

# Canonical prefix -> pattern the local part must match.
PATTERNS: dict[str, re.Pattern[str]] = {
    "DRUGBANK": re.compile(r"DB\d{5}|DBMET\d{5}"),  # drugs and DrugBank's metabolites
    "NCBIGene": re.compile(r"\d+"),
    "UniProtKB": re.compile(r"[A-Z0-9]{6,10}(-\d+)?"),
    "HGNC": re.compile(r"\d+"),
    "ENSEMBL": re.compile(r"ENS[A-Z]*\d+(\.\d+)?"),
    "MONDO": re.compile(r"\d{7}"),
    "DOID": re.compile(r"\d+"),
    "MESH": re.compile(r"[A-Z]\d{6,9}"),
    "OMIM": re.compile(r"(PS)?\d{6}"),
    "ORPHANET": re.compile(r"\d+"),
    "UMLS": re.compile(r"C\d{7}"),
    "NCIT": re.compile(r"C\d+"),
    "EFO": re.compile(r"\d{7}"),
    "HP": re.compile(r"\d{7}"),
    "GO": re.compile(r"\d{7}"),
    "REACT": re.compile(r"R-[A-Z]{3}-\d+"),
    "KEGG.PATHWAY": re.compile(r"[a-z]{2,4}\d{5}"),
    "WIKIPATHWAYS": re.compile(r"WP\d+"),
    "PathWhiz": re.compile(r"PW\d+"),
    "UBERON": re.compile(r"\d{7}"),
    "CL": re.compile(r"\d{7}"),
    "CHEBI": re.compile(r"\d+"),
    "CHEMBL.COMPOUND": re.compile(r"CHEMBL\d+"),
    "PUBCHEM.COMPOUND": re.compile(r"\d+"),
    "NCBITaxon": re.compile(r"\d+"),
    "InterPro": re.compile(r"IPR\d{6}"),
    "PR": re.compile(r"[A-Z0-9]+"),
    "PFAM": re.compile(r"PF\d{5}"),
    "TIGRFAM": re.compile(r"TIGR\d{5}"),
    # NDF-RT drug classes (Hetionet's Pharmacologic Class ids, N + 10 digits).
    "NDFRT": re.compile(r"N\d{10}"),
    # Hetionet's ids for Pathway Commons v7 pathways (PC7_<n>), not Pathway Commons URIs.
    "PATHWAYCOMMONS": re.compile(r"PC\d+_\d+"),
    "clinicaltrials": re.compile(r"NCT\d{8}"),
    "PMID": re.compile(r"[1-9]\d{0,8}"),
    # Ids txkg mints itself: predictions, and entities known so far only by name.
    "txkg": re.compile(r"\S+"),
}

# Lower-cased prefix spellings seen in sources -> canonical prefix.
PREFIX_ALIASES: dict[str, str] = {p.lower(): p for p in PATTERNS} | {
    "db": "DRUGBANK",
    "drugbank": "DRUGBANK",
    "uniprot": "UniProtKB",
    "uniprotkb": "UniProtKB",
    "ncbigene": "NCBIGene",
    "entrez": "NCBIGene",
    "ncbi": "NCBIGene",
    "gene": "NCBIGene",
    "mesh": "MESH",
    "reactome": "REACT",
    "react": "REACT",
    "taxonomy": "NCBITaxon",
    "ncbitaxon": "NCBITaxon",
    "hpo": "HP",
    "orpha": "ORPHANET",
    "orphanet": "ORPHANET",
    "omim": "OMIM",
    "mim": "OMIM",
    "nct": "clinicaltrials",
    "clinicaltrials": "clinicaltrials",
    "pubmed": "PMID",
    "pmid": "PMID",
    "ctd": "MESH",
    "pfam": "PFAM",
    "tigr": "TIGRFAM",
    "wikipathways": "WIKIPATHWAYS",
}

# Prefixes whose local part is a zero-padded 7-digit number in canonical form
# (PrimeKG writes MONDO 9693 for MONDO:0009693, HPO 1234 for HP:0001234).
_ZERO_PADDED = {"MONDO", "HP", "GO", "UBERON", "CL", "EFO"}

_NCT = re.compile(r"NCT\d{8}")
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9_.]*):+(.+)$")
_PMID_PREFIX = re.compile(r"^(pmid|pubmed)\s*[: ]\s*", re.IGNORECASE)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")


class Curie(NamedTuple):
    """A parsed compact URI: ``prefix`` and ``local`` part."""

    prefix: str
    local: str

    def __str__(self) -> str:
        return f"{self.prefix}:{self.local}"


def parse(curie: str) -> Curie:
    """Split a canonical CURIE and check its local part.

    >>> parse("NCBIGene:941")
    Curie(prefix='NCBIGene', local='941')
    >>> parse("PMID:abc")
    Traceback (most recent call last):
    ...
    graph.errors.InvalidId: malformed PMID 'PMID:abc': expected digits
    """
    if not isinstance(curie, str):
        raise InvalidId(f"malformed id {curie!r}: expected PREFIX:LOCAL")
    return _parse(curie)


@lru_cache(maxsize=1 << 16)
def _parse(curie: str) -> Curie:
    # Cached: loaders check the same drug and disease ids on every edge.
    match = _CURIE.match(curie.strip())
    if match is None:
        raise InvalidId(f"malformed id {curie!r}: expected PREFIX:LOCAL")
    prefix, local = match.group(1), match.group(2)
    canonical = PREFIX_ALIASES.get(prefix.lower())
    if canonical is None or canonical != prefix:
        raise InvalidId(f"unknown or non-canonical prefix in {curie!r}; try normalize()")
    _check(canonical, local, curie)
    return Curie(canonical, local)


def _check(prefix: str, local: str, raw: str) -> None:
    if PATTERNS[prefix].fullmatch(local):
        return
    if prefix == "clinicaltrials":
        raise InvalidId(f"malformed NCT id {raw!r}: expected NCT followed by 8 digits")
    if prefix == "PMID":
        raise InvalidId(f"malformed PMID {raw!r}: expected digits")
    raise InvalidId(f"malformed {prefix} id {raw!r}")


def normalize(raw: str, *, source: str | None = None) -> str:
    """Return the canonical CURIE for a raw id as some source writes it.

    ``source`` names the id space for bare ids (PrimeKG's ``x_source`` column:
    ``NCBI``, ``DrugBank``, ``MONDO``, ``HPO``, ``GO``, ``REACTOME``, ``UBERON``,
    ``CTD``). Raises :class:`~graph.errors.InvalidId` when the id is malformed.

    >>> normalize("UniProt:P33681")
    'UniProtKB:P33681'
    >>> normalize("nct04827979")
    'clinicaltrials:NCT04827979'
    >>> normalize("31129111", source="PMID")
    'PMID:31129111'
    """
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidId(f"empty id{' for ' + source if source else ''}")
    text = raw.strip()
    if source is not None:
        prefix = PREFIX_ALIASES.get(source.strip().lower())
        if prefix is None:
            raise InvalidId(f"unknown id source {source!r} for id {raw!r}")
        if ":" in text and PREFIX_ALIASES.get(text.split(":", 1)[0].lower()) == prefix:
            text = text.split(":", 1)[1].lstrip(":")
        return _canonical(prefix, text, raw)
    if _NCT.fullmatch(text.upper()):
        return _canonical("clinicaltrials", text, raw)
    if re.fullmatch(r"DB\d{5}", text):
        return _canonical("DRUGBANK", text, raw)
    if text.upper().startswith("NCT"):
        raise InvalidId(f"malformed NCT id {raw!r}: expected NCT followed by 8 digits")
    match = _CURIE.match(text)
    if match is None:
        raise InvalidId(f"malformed id {raw!r}: expected PREFIX:LOCAL")
    prefix = PREFIX_ALIASES.get(match.group(1).lower())
    if prefix is None:
        raise InvalidId(f"unknown id prefix {match.group(1)!r} in {raw!r}")
    return _canonical(prefix, match.group(2), raw)


#: Hetionet qualifies ids by their node kind (``Gene::941``, ``Disease::DOID:1094``); the
#: id space of a kind whose ids are bare (the others carry their own prefix).
KIND_ID_SPACES: dict[str, str] = {
    "gene": "NCBIGene", "compound": "DRUGBANK", "symptom": "MESH", "side effect": "UMLS",
    "pharmacologic class": "NDFRT",
}
#: Prefixes of cross-references txkg keeps without checking their local part, in the
#: spelling txkg writes them (Biolink's where it has one): lower-cased spelling -> canonical.
UNCHECKED_PREFIXES: dict[str, str] = {
    "sctid": "SNOMEDCT", "snomedct": "SNOMEDCT", "snomedct_us": "SNOMEDCT",
    "sctid_2010_1_31": "SNOMEDCT", "meddra": "MEDDRA", "medgen": "MEDGEN", "gard": "GARD",
    "icd9": "ICD9", "icd9cm": "ICD9CM", "icd10": "ICD10", "icd10cm": "ICD10CM",
    "icd11": "ICD11", "icdo": "ICDO", "kegg": "KEGG", "wikidata": "WIKIDATA",
    "oncotree": "ONCOTREE",
}
_KIND_QUALIFIED = re.compile(r"^([A-Za-z][A-Za-z ]*)::(.+)$")
_WIKIPATHWAY_REVISION = re.compile(r"(WP\d+)_r\d+")
_PATHWAY_COMMONS = re.compile(r"PC\d+_\d+")


def normalize_xref(raw: str) -> str:
    """The one form of a cross-reference, however a source wrote it.

    Every node's xrefs pass through here (the model's validator), and so does
    every text a lookup (``txkg show``, ``predictions``, ``explain``) tries as
    an id, so a raw form written anywhere finds the node. Unlike
    :func:`normalize` it never raises: an xref txkg cannot check keeps its
    local part as written, under the canonical spelling of its prefix when one
    is known (:data:`PREFIX_ALIASES`, :data:`UNCHECKED_PREFIXES`).

    * prefix spellings: ``DrugBank:``, ``DB:``, ``MeSH:``, ``mesh:``, ``UniProt:``,
      ``NCBI:``, ``REACTOME:``, ``taxonomy:`` … become the canonical prefix;
    * zero padding: ``MONDO:9693`` becomes ``MONDO:0009693`` (also HP, GO, UBERON, CL, EFO);
    * Hetionet's kind-qualified ids: ``Disease::DOID:1094``, ``Gene::941``,
      ``Compound::DB00118``, ``Pathway::WP477_r67139`` become plain CURIEs;
    * bare DrugBank and NCT ids get their prefix;
    * a byte-order mark and surrounding spaces are dropped.

    >>> normalize_xref("DrugBank:DB06681"), normalize_xref("MONDO:9693")
    ('DRUGBANK:DB06681', 'MONDO:0009693')
    >>> normalize_xref("Disease::DOID:1094"), normalize_xref("MeSH:D003110")
    ('DOID:1094', 'MESH:D003110')
    >>> normalize_xref("sctid:64572001"), normalize_xref("MONDO_grouped:1_20")
    ('SNOMEDCT:64572001', 'MONDO_grouped:1_20')
    """
    return _normalize_xref(raw) if isinstance(raw, str) else str(raw)


@lru_cache(maxsize=1 << 16)
def _normalize_xref(raw: str) -> str:
    text = raw.replace("\ufeff", "").strip()
    qualified = _KIND_QUALIFIED.match(text)
    if qualified is not None:
        kind, text = qualified.group(1).strip().lower(), qualified.group(2).strip()
        revision = _WIKIPATHWAY_REVISION.fullmatch(text)
        if revision is not None:
            return f"WIKIPATHWAYS:{revision.group(1)}"
        space = ("PATHWAYCOMMONS" if kind == "pathway" and _PATHWAY_COMMONS.fullmatch(text)
                 else KIND_ID_SPACES.get(kind))
        if space is not None and ":" not in text:
            try:
                return normalize(text, source=space)
            except InvalidId:
                return f"{space}:{text}"
    try:
        return normalize(text)
    except InvalidId:
        pass
    prefix, sep, local = text.partition(":")
    if not sep:
        return text
    spelled = prefix.strip().lower()
    canonical = PREFIX_ALIASES.get(spelled) or UNCHECKED_PREFIXES.get(spelled) or prefix.strip()
    return f"{canonical}:{local.strip()}"


def normalize_xrefs(xrefs: Iterable[str], own_id: str | None = None) -> tuple[str, ...]:
    """:func:`normalize_xref` of each, in order, without repeats or the node's own id.

    >>> normalize_xrefs(["MONDO:9693", "MESH:D009101", "mesh:D009101"], "MONDO:0009693")
    ('MESH:D009101',)
    """
    out = dict.fromkeys(normalize_xref(x) for x in xrefs)
    out.pop("", None)
    if own_id is not None:
        out.pop(own_id, None)
    return tuple(out)


def _canonical(prefix: str, local: str, raw: str) -> str:
    local = local.strip()
    if prefix == "clinicaltrials":
        local = local.upper()
        if not local.startswith("NCT"):
            local = "NCT" + local
    elif prefix in _ZERO_PADDED and local.isdigit():
        local = local.zfill(7)
    elif prefix == "MESH" and local.upper().startswith("MESH:"):
        local = local[5:]
    elif prefix == "REACT" and local.upper().startswith("REACT:"):
        local = local[6:]
    elif prefix == "TIGRFAM" and local.isdigit():  # DrugMechDB writes TIGR:02074
        local = "TIGR" + local
    _check(prefix, local, raw)
    return f"{prefix}:{local}"


def is_valid(curie: str) -> bool:
    """True when ``curie`` is a canonical, well-formed CURIE.

    >>> is_valid("MONDO:0009693"), is_valid("MONDO:9693")
    (True, False)
    """
    try:
        parse(curie)
    except InvalidId:
        return False
    return True


def nct_id(raw: str) -> str:
    """Canonical ClinicalTrials.gov CURIE for ``NCT04827979`` and its spellings."""
    return normalize(raw, source="clinicaltrials")


def pmid(raw: str | int) -> str:
    """Canonical PubMed CURIE for ``31129111``, ``PMID 31129111`` or ``PMID:31129111``."""
    text = str(raw).strip()
    text = _PMID_PREFIX.sub("", text)
    return normalize(text, source="PMID")


def slug(text: str) -> str:
    """A lower-case, ASCII-folded, hyphenated form of a name, for minted ids.

    >>> slug("Plasma Cell Myeloma")
    'plasma-cell-myeloma'
    >>> slug("Sjögren's syndrome")
    'sjogren-s-syndrome'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = _NOT_SLUG.sub("-", folded.lower()).strip("-")
    if not out:  # a name in a non-Latin script: keep it, spaces folded
        out = _SPACES.sub("-", text.strip().lower())
    return out


def provisional_id(kind: str, name: str) -> str:
    """The id txkg mints for an entity known only by name, until it resolves.

    >>> provisional_id("Disease", "Plasma Cell Myeloma")
    'txkg:disease/plasma-cell-myeloma'
    """
    return f"txkg:{kind.lower()}/{slug(name)}"


def is_provisional(curie: str) -> bool:
    """True for ids minted by :func:`provisional_id`."""
    return curie.startswith("txkg:") and "/" in curie and not curie.startswith("txkg:prediction/")


def prediction_id(drug_id: str, disease_id: str, model: str = "TxGNN") -> str:
    """The id of one model's prediction that a drug treats a disease.

    >>> prediction_id("DRUGBANK:DB06681", "MONDO:0009693")
    'txkg:prediction/TxGNN/DRUGBANK:DB06681/MONDO:0009693'
    """
    return f"txkg:prediction/{model}/{drug_id}/{disease_id}"


def name_key(text: str) -> str:
    """The case- and markup-insensitive key names are matched on.

    >>> name_key("  **Plasma  Cell Myeloma** ")
    'plasma cell myeloma'
    """
    text = unicodedata.normalize("NFKC", text)
    if "*" in text or "_" in text or "`" in text:
        text = _NAME_MARKUP.sub("", text)
    return " ".join(text.split()).casefold()  # split(): the whitespace \s matches


_NAME_MARKUP = re.compile(r"[*_`]+")
#: A word of a protein name that looks like a gene symbol: CD80, HLA-DRB1, P2RY12.
_SYMBOL = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]*\d[A-Z0-9]*(?:-[A-Z0-9]+)?)(?![\w-])")


def symbol_words(text: str) -> tuple[str, ...]:
    """Words of a gene or protein name that look like gene symbols.

    >>> symbol_words("T-lymphocyte activation antigen CD80")
    ('CD80',)
    >>> symbol_words("Epidermal growth factor receptor")
    ()
    """
    return tuple(_SYMBOL.findall(text))


def mondo_group(raw: str) -> tuple[str, ...]:
    """MONDO CURIEs of a PrimeKG/TxGNN disease node id, the node's own id first.

    PrimeKG writes a disease as one bare MONDO integer, or as several joined by
    ``_`` when TxGNN grouped near-identical diseases into one node
    (``MONDO_grouped``). Such a node takes the **first** member's CURIE as its
    id; the other members become its xrefs (:func:`mondo_group_xrefs`). Both
    the PrimeKG and the TxGNN loaders use this rule, so they name a grouped
    disease alike.

    >>> mondo_group("13924_12592")
    ('MONDO:0013924', 'MONDO:0012592')
    >>> mondo_group("9693")
    ('MONDO:0009693',)
    >>> mondo_group("12_")
    Traceback (most recent call last):
    ...
    graph.errors.InvalidId: malformed grouped MONDO id '12_': expected integers joined by '_'
    """
    members = raw.strip().split("_") if isinstance(raw, str) else [""]
    if not all(m.isdigit() and m.isascii() for m in members):
        raise InvalidId(f"malformed grouped MONDO id {raw!r}: expected integers joined by '_'")
    return tuple(dict.fromkeys(normalize(m, source="MONDO") for m in members))


def mondo_group_xrefs(raw: str) -> tuple[str, ...]:
    """Xrefs a disease node keeps for its raw PrimeKG/TxGNN id (see :func:`mondo_group`).

    The raw id as written (``MONDO:9693``, or ``MONDO_grouped:1_20`` for a
    group), then the group's other members. A node normalises its xrefs
    (:func:`normalize_xref`), so ``MONDO:9693``, its own id once padded, is not kept.

    >>> mondo_group_xrefs("9693")
    ('MONDO:9693',)
    >>> mondo_group_xrefs("1_20")
    ('MONDO_grouped:1_20', 'MONDO:0000020')
    """
    members = mondo_group(raw)
    text = raw.strip()
    written = f"MONDO_grouped:{text}" if len(text.split("_")) > 1 else f"MONDO:{text}"
    out = [] if written == members[0] else [written]
    out.extend(members[1:])
    return tuple(dict.fromkeys(out))
