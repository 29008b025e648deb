"""TxGNN's vocabularies: the drugs and diseases every other TxGNN file names.

``drugbank_vocab.csv`` (``drugbank_id,drug_name,drug_name_upper``) gives Drug
nodes; ``disease_vocab.csv`` (``disease_id,disease_name,disease_name_upper``)
gives Disease nodes. A ``disease_id`` is one bare MONDO integer or several
joined by ``_`` (a grouped disease); the node's id is the first member's
MONDO CURIE and the rest are xrefs (:func:`graph.ids.mondo_group`, the rule
PrimeKG's ``MONDO_grouped`` nodes follow too).

The :class:`Vocabulary` built from both files resolves the names other files
use: a disease name matches exactly first, then case- and markup-insensitively
(:func:`graph.ids.name_key`); a key shared by two diseases is ambiguous and
resolves to nothing.

>>> vocab = Vocabulary(
...     drugs={"DRUGBANK:DB06681": "Belatacept"},
...     diseases={"MONDO:0009693": "plasma cell myeloma"},
...     disease_members={"MONDO:0009693": "MONDO:0009693"})
>>> vocab.resolve_disease("**Plasma Cell Myeloma**")
'MONDO:0009693'
>>> vocab.resolve_drug("BELATACEPT")
'DRUGBANK:DB06681'
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from graph import ids
from graph.errors import InvalidId
from graph.gc_pause import collector_paused
from graph.model import Disease, Drug, Rejection, SourceBatch
from loaders.txgnn._files import CsvTable, rejection, source_info

DRUG_VOCAB = "drugbank_vocab.csv"
DISEASE_VOCAB = "disease_vocab.csv"

#: Salt and hydrate words EMA product names add to a DrugBank ingredient name.
SALT_WORDS: frozenset[str] = frozenset({
    "acetate", "besilate", "besylate", "bromide", "calcium", "chloride", "citrate",
    "dihydrate", "dihydrochloride", "dimesylate", "diphosphate", "disodium", "fumarate",
    "hemihydrate", "hydrate", "hydrobromide", "hydrochloride", "lactate", "magnesium",
    "maleate", "malate", "mesilate", "mesylate", "monohydrate", "nitrate", "phosphate",
    "potassium", "sodium", "succinate", "sulfate", "sulphate", "tartrate", "tosilate",
    "tosylate", "trihydrate",
})


class Unresolved(Exception):
    """Internal: a name the vocabulary cannot resolve; ``str()`` says why."""


@dataclass(frozen=True)
class Vocabulary:
    """What the vocabularies know: drug and disease ids, names, and name keys.

    ``disease_members`` maps every member CURIE of a (grouped) disease to the
    disease node's id. ``ingredients`` (name key -> drug id) is learnt from the
    candidate list and helps resolve salt forms (``Abiraterone Acetate``).
    """

    drugs: Mapping[str, str] = field(default_factory=dict)
    diseases: Mapping[str, str] = field(default_factory=dict)
    disease_members: Mapping[str, str] = field(default_factory=dict)
    ingredients: Mapping[str, str] = field(default_factory=dict)
    _drug_keys: dict[str, str] = field(init=False, repr=False, compare=False)
    _disease_names: dict[str, str] = field(init=False, repr=False, compare=False)
    _disease_keys: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        drug_keys = {ids.name_key(name): curie for curie, name in self.drugs.items()}
        exact: dict[str, str] = {}
        keys: dict[str, list[str]] = defaultdict(list)
        for curie, name in self.diseases.items():
            exact.setdefault(name, curie)
            keys[ids.name_key(name)].append(curie)
        object.__setattr__(self, "_drug_keys", drug_keys)
        object.__setattr__(self, "_disease_names", exact)
        object.__setattr__(self, "_disease_keys", {k: tuple(v) for k, v in keys.items()})

    def with_ingredients(self, ingredients: Mapping[str, str]) -> Vocabulary:
        """A copy that also resolves drugs by these ingredient names."""
        return replace(self, ingredients={**self.ingredients, **ingredients})

    def disease_for_member(self, raw_mondo: str) -> str | None:
        """The disease node holding this MONDO id (bare, padded or a CURIE), or None."""
        try:
            curie = ids.normalize(raw_mondo, source="MONDO")
        except InvalidId:
            return None
        return self.disease_members.get(curie)

    def resolve_disease(self, name: str) -> str:
        """The disease id for a name; raises :class:`Unresolved` saying why not."""
        exact = self._disease_names.get(name.strip())
        if exact is not None:
            return exact
        key = ids.name_key(name)
        if not key:
            raise Unresolved("empty disease name")
        found = self._disease_keys.get(key, ())
        if len(found) == 1:
            return found[0]
        if found:
            raise Unresolved(f"ambiguous disease name: matches {', '.join(found)}")
        raise Unresolved("disease name not in TxGNN's disease vocabulary")

    def resolve_drug(self, name: str) -> str | None:
        """The drug id for a name: vocabulary name, ingredient, then without salt words."""
        key = ids.name_key(name)
        found = self._drug_keys.get(key) or self.ingredients.get(key)
        if found is not None:
            return found
        for variant in _salt_free_variants(key):
            found = self._drug_keys.get(variant)
            if found is not None:
                return found
        return None


def _salt_free_variants(key: str) -> list[str]:
    """Name keys with salt notes removed, longest first.

    >>> _salt_free_variants("atazanavir (as sulfate)")
    ['atazanavir']
    >>> _salt_free_variants("zoledronic acid monohydrate")
    ['zoledronic acid']
    """
    stem = re.sub(r"\s*\((as )?[^)]*\)", "", key)
    stem = re.sub(r"\s+as\s+.*$", "", stem).strip()
    out = [stem] if stem != key else []
    words = stem.split()
    while len(words) > 1 and words[-1] in SALT_WORDS:
        words = words[:-1]
        out.append(" ".join(words))
    return [v for v in dict.fromkeys(out) if v]


@dataclass(frozen=True)
class VocabularyLoad:
    """The two vocabulary batches and the vocabulary they define."""

    vocabulary: Vocabulary
    drug_batch: SourceBatch
    disease_batch: SourceBatch


@collector_paused()
def read_drug_vocab(path: str | Path) -> tuple[SourceBatch, dict[str, str]]:
    """Drug nodes from ``drugbank_vocab.csv``, and ``{drug id: name}``."""
    file = Path(path)
    info = source_info(file, name=f"txgnn/{file.name}", kind="txgnn-vocabulary")
    table = CsvTable.open(file, required=("drugbank_id", "drug_name"))
    id_col, name_col = table.columns["drugbank_id"], table.columns["drug_name"]
    drugs: dict[str, str] = {}
    rejections: list[Rejection] = []
    for line, values in table.rows():
        raw, name = values[id_col].strip(), values[name_col].strip()
        record = ",".join(values)
        try:
            curie = ids.normalize(raw, source="DRUGBANK")
        except InvalidId as error:
            rejections.append(rejection(info, line, record, str(error)))
            continue
        if not name:
            rejections.append(rejection(info, line, record, "empty drug name"))
        elif curie in drugs:
            rejections.append(rejection(info, line, record, f"{curie} listed twice"))
        else:
            drugs[curie] = name
    nodes = tuple(Drug(id=curie, name=name) for curie, name in drugs.items())
    return SourceBatch(source=info, nodes=nodes, rejections=tuple(rejections)), drugs


@collector_paused()
def read_disease_vocab(path: str | Path) -> tuple[SourceBatch, dict[str, str], dict[str, str]]:
    """Disease nodes from ``disease_vocab.csv``, ``{id: name}`` and ``{member: id}``."""
    file = Path(path)
    info = source_info(file, name=f"txgnn/{file.name}", kind="txgnn-vocabulary")
    table = CsvTable.open(file, required=("disease_id", "disease_name"))
    id_col, name_col = table.columns["disease_id"], table.columns["disease_name"]
    names: dict[str, str] = {}
    members: dict[str, str] = {}
    fields: list[dict[str, Any]] = []
    rejections: list[Rejection] = []
    for line, values in table.rows():
        raw, name = values[id_col].strip(), values[name_col].strip()
        record = ",".join(values)
        try:
            group = ids.mondo_group(raw)
        except InvalidId as error:
            rejections.append(rejection(info, line, record, str(error)))
            continue
        taken = [m for m in group if m in members]
        if not name:
            rejections.append(rejection(info, line, record, "empty disease name"))
            continue
        if taken:
            rejections.append(rejection(
                info, line, record, f"{taken[0]} already belongs to {members[taken[0]]}"))
            continue
        names[group[0]] = name
        members.update((m, group[0]) for m in group)
        fields.append({"id": group[0], "name": name, "xrefs": ids.mondo_group_xrefs(raw)})
    nodes = tuple(Disease(**f) for f in fields)
    return SourceBatch(source=info, nodes=nodes, rejections=tuple(rejections)), names, members


def read_vocabulary(directory: str | Path) -> VocabularyLoad:
    """Both vocabularies of a TxGNN data folder."""
    folder = Path(directory)
    drug_batch, drugs = read_drug_vocab(folder / DRUG_VOCAB)
    disease_batch, diseases, members = read_disease_vocab(folder / DISEASE_VOCAB)
    vocabulary = Vocabulary(drugs=drugs, diseases=diseases, disease_members=members)
    return VocabularyLoad(vocabulary, drug_batch, disease_batch)
