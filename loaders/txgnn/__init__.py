"""Read a TxGNN data folder: vocabularies, disease annotations, predictions.

:func:`read_txgnn` reads the vocabularies first (``drugbank_vocab.csv``,
``disease_vocab.csv``), then everything they resolve, and returns one
:class:`~graph.model.SourceBatch` per file, in an order a store can load them
one after another. Files other than the two vocabularies are optional.

====================================  =============================================
file                                  becomes
====================================  =============================================
``drugbank_vocab.csv``                Drug nodes (``DRUGBANK:DB…``)
``disease_vocab.csv``                 Disease nodes (``MONDO:…``; grouped ids →
                                      first member, others xrefs)
``kg_grouped_diseases.csv``           member names as Disease synonyms
``mondo_references.csv``              Disease xrefs (MESH, DOID, OMIM, UMLS, …)
``disease_files/<area>.csv``          Disease ``disease_areas``
``repurposing_candidates_merged.csv`` Prediction nodes, OF_DRUG / FOR_DISEASE edges,
                                      Drug brand names
``search-index.json``                 the same predictions as the site lists them
====================================  =============================================

>>> import pathlib, tempfile
>>> tmp = tempfile.TemporaryDirectory()
>>> folder = pathlib.Path(tmp.name)
>>> _ = (folder / "drugbank_vocab.csv").write_text(
...     "drugbank_id,drug_name,drug_name_upper\\nDB06681,Belatacept,BELATACEPT\\n")
>>> _ = (folder / "disease_vocab.csv").write_text(
...     "disease_id,disease_name,disease_name_upper\\n9693,plasma cell myeloma,X\\n")
>>> _ = (folder / "repurposing_candidates_merged.csv").write_text(
...     ",".join(CANDIDATE_COLUMNS) + "\\n"
...     "E/1,Nulojix,BELATACEPT,DB06681,Plasma Cell Myeloma,TxGNN Deep Learning,0.97\\n")
>>> loaded = read_txgnn(folder)
>>> [b.source.name for b in loaded.batches]
['txgnn/drugbank_vocab.csv', 'txgnn/disease_vocab.csv', 'txgnn/repurposing_candidates_merged.csv']
>>> [(p.id, p.score, p.rank) for p in loaded.batches[-1].nodes if p.kind == "Prediction"]
[('txkg:prediction/TxGNN/DRUGBANK:DB06681/MONDO:0009693', 0.97, 1)]
>>> tmp.cleanup()
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import ParseError
from graph.model import SourceBatch
from loaders.txgnn.diseases import (
    GROUPED_DISEASES,
    MONDO_REFERENCES,
    disease_area_files,
    read_disease_area,
    read_grouped_diseases,
    read_mondo_references,
    xref_curie,
)
from loaders.txgnn.predictions import (
    CANDIDATE_COLUMNS,
    CANDIDATES,
    SEARCH_INDEX,
    PredictionLoad,
    read_candidates,
    read_search_index,
)
from loaders.txgnn.vocabulary import (
    DISEASE_VOCAB,
    DRUG_VOCAB,
    Vocabulary,
    read_disease_vocab,
    read_drug_vocab,
    read_vocabulary,
)

__all__ = [
    "CANDIDATE_COLUMNS",
    "PredictionLoad",
    "TxgnnLoad",
    "Vocabulary",
    "read_candidates",
    "read_disease_area",
    "read_disease_vocab",
    "read_drug_vocab",
    "read_grouped_diseases",
    "read_mondo_references",
    "read_search_index",
    "read_txgnn",
    "read_vocabulary",
    "xref_curie",
]


@dataclass(frozen=True)
class TxgnnLoad:
    """Everything read from a TxGNN folder: batches in load order, and the vocabulary."""

    batches: tuple[SourceBatch, ...]
    vocabulary: Vocabulary
    candidates: PredictionLoad | None = None
    search_index: PredictionLoad | None = None
    files: tuple[str, ...] = field(default=())

    @property
    def sources(self) -> tuple[SourceBatch, ...]:
        """One source per file, in load order (see :class:`graph.stream.Loaded`)."""
        return self.batches


def read_txgnn(directory: str | Path) -> TxgnnLoad:
    """Read a TxGNN data folder into one source batch per file.

    Raises :class:`~graph.errors.ParseError` when the folder or a vocabulary
    is missing, or any file is structurally broken.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise ParseError("not a folder", path=str(folder))
    for required in (DRUG_VOCAB, DISEASE_VOCAB):
        if not (folder / required).is_file():
            raise ParseError(f"a TxGNN folder needs {required}", path=str(folder))
    vocab_load = read_vocabulary(folder)
    vocab = vocab_load.vocabulary
    batches = [vocab_load.drug_batch, vocab_load.disease_batch]
    if (folder / GROUPED_DISEASES).is_file():
        batches.append(read_grouped_diseases(folder / GROUPED_DISEASES, vocab))
    if (folder / MONDO_REFERENCES).is_file():
        batches.append(read_mondo_references(folder / MONDO_REFERENCES, vocab))
    batches.extend(read_disease_area(f, vocab) for f in disease_area_files(folder))
    candidates = search = None
    if (folder / CANDIDATES).is_file():
        candidates = read_candidates(folder / CANDIDATES, vocab)
        batches.append(candidates.batch)
        vocab = vocab.with_ingredients(candidates.ingredients)
    if (folder / SEARCH_INDEX).is_file():
        unscored = candidates.unscored if candidates is not None else frozenset()
        search = read_search_index(folder / SEARCH_INDEX, vocab, unscored=unscored)
        batches.append(search.batch)
    return TxgnnLoad(batches=tuple(batches), vocabulary=vocab, candidates=candidates,
                     search_index=search,
                     files=tuple(b.source.path or b.source.name for b in batches))
