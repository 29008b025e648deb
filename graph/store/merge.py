"""How one node's assertions from several sources combine into the node you read.

Several sources may describe the same node: a report and the TxGNN candidate
list both describe Belatacept's prediction for plasma cell myeloma. A store
keeps each source's assertion apart (so withdrawing a source withdraws exactly
what it said) and shows the merge. Both adapters use this module, so they
merge alike.

Rules: assertions apply in order of source priority, then source name (never
load order: the same sources loaded in any order merge alike); a later
non-empty scalar replaces an earlier one; tuples are unioned in first-seen
order; dicts are merged key by key. Datasets outrank evidence reports, so a
candidate list's full-precision score wins over a report's rounded percentage.
A node's names are pooled: a name that gives way to another becomes a synonym, and
the name shown is never also a synonym (a prediction's name is only a label: not
pooled). So the view is the same however each source put its names: a report resolved
onto a stored node shows the stored name and keeps its own as a synonym; resolved
before that node arrived, it kept its own as name.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

from graph.errors import TxkgError
from graph.ids import name_key, normalize, normalize_xref, symbol_words

#: Source kinds whose values give way to others' on conflict (lower = weaker).
SOURCE_PRIORITY: dict[str, int] = {"report": 1, "prediction-page": 1, "search-index": 1}
DEFAULT_PRIORITY = 2


def priority(source_kind: str) -> int:
    """Rank of a source kind when values conflict.

    >>> priority("report") < priority("primekg")
    True
    """
    return SOURCE_PRIORITY.get(source_kind, DEFAULT_PRIORITY)


def merge_records(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Merge node records given weakest first.

    >>> merge_records([
    ...     {"id": "x", "name": "a", "score": 0.97, "xrefs": ["p"]},
    ...     {"id": "x", "name": "A", "score": None, "xrefs": ["q", "p"], "scores": {"s": 1}},
    ... ])
    {'id': 'x', 'name': 'A', 'score': 0.97, 'xrefs': ['p', 'q'], 'scores': {'s': 1}}
    >>> merge_records([{"name": "Caffeine", "synonyms": []},
    ...                {"name": "caffeine", "synonyms": ["Caffeine"]},
    ...                {"name": "Caffeine", "synonyms": ["Caffeine Citrate"]}])
    {'name': 'Caffeine', 'synonyms': ['caffeine', 'Caffeine Citrate']}
    """
    merged: dict[str, Any] = {}
    for record in records:
        name, old_name = record.get("name"), merged.get("name")
        if name and old_name and name != old_name and record.get("kind") not in UNKEYED_KINDS \
                and ("synonyms" in record or "synonyms" in merged):
            merged["synonyms"] = list(dict.fromkeys([*(merged.get("synonyms") or ()),
                                                     old_name]))
        for key, value in record.items():
            if value is None or value == "" or value == [] or value == () or value == {}:
                merged.setdefault(key, value)
                continue
            old = merged.get(key)
            if isinstance(value, list | tuple) and isinstance(old, list | tuple):
                merged[key] = list(dict.fromkeys([*old, *value]))
            elif isinstance(value, dict) and isinstance(old, dict):
                merged[key] = {**old, **value}
            else:
                merged[key] = list(value) if isinstance(value, tuple) else value
    if merged.get("synonyms") and merged.get("name") in merged["synonyms"]:
        merged["synonyms"] = [s for s in merged["synonyms"] if s != merged["name"]]
    return merged


#: Kinds found through the nodes they join, not by keys of their own: a prediction is
#: asked for as "drug → disease" or by its id (``KnowledgeGraph.resolve``). A candidate
#: list holds tens of thousands of them; indexing their names would double its load.
UNKEYED_KINDS = frozenset({"Prediction"})


def lookup_keys(node_id: str, name: str, synonyms: Iterable[str] = (),
                xrefs: Iterable[str] = (), *, kind: str | None = None) -> set[str]:
    """Every key a node can be found by: ids, local ids, xrefs, name, synonyms, and for a
    gene the symbol-like words of its name and synonyms (``CD80`` in ``T-lymphocyte
    activation antigen CD80``), so identity resolution finds it from either side.

    Both stores index nodes by these keys, and :func:`query_keys` computes the
    keys a search text may match, so that ``find`` behaves the same on both.
    Nodes of :data:`UNKEYED_KINDS` have none.

    >>> sorted(lookup_keys("DRUGBANK:DB06681", "Belatacept", ["Nulojix"]))
    ['belatacept', 'db06681', 'drugbank:db06681', 'nulojix']
    >>> sorted(lookup_keys("txkg:disease/rheumatoid-vasculitis", "Rheumatoid Vasculitis"))
    ['rheumatoid vasculitis', 'txkg:disease/rheumatoid-vasculitis']
    >>> lookup_keys("txkg:prediction/TxGNN/DRUGBANK:DB06681/MONDO:0009693",
    ...             "Belatacept → plasma cell myeloma", kind="Prediction")
    set()
    """
    if kind in UNKEYED_KINDS:
        return set()
    synonyms = tuple(synonyms)
    keys = {name_key(name)} | {name_key(s) for s in synonyms}
    if kind == "Gene":  # a protein is found by the gene symbols its name holds
        keys.update(w.casefold() for text in (name, *synonyms) for w in symbol_words(text))
    for curie in (node_id, *xrefs):
        keys.add(curie.casefold())
        if ":" in curie and not curie.startswith("txkg:"):  # our own ids: whole or not at all
            keys.add(curie.split(":", 1)[1].casefold())
    keys.discard("")
    return keys


def query_keys(text: str) -> set[str]:
    """The keys a search text may be stored under: as a name, as typed, as a normalised id
    (:func:`graph.ids.normalize_xref`: ``Disease::DOID:1094``, ``MONDO:9693`` … find the node).

    >>> sorted(query_keys("DB06681"))
    ['db06681', 'drugbank:db06681']
    >>> sorted(query_keys("MONDO:9693"))
    ['mondo:0009693', 'mondo:9693']
    """
    keys = {name_key(text), text.strip().casefold()}
    with contextlib.suppress(TxkgError):  # not an id: a name
        keys.add(normalize(text).casefold())
    if ":" in text:
        keys.add(normalize_xref(text).casefold())
    keys.discard("")
    return keys
