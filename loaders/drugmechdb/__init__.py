"""Read DrugMechDB's curated drug → disease mechanism paths.

Each DrugMechDB file is one curated path in networkx node-link form (YAML):
a ``graph`` header (``_id``, ``drug``, ``drug_mesh``, ``drugbank``, ``disease``,
``disease_mesh``), ``nodes`` (``id``, ``label``, ``name``, optional ``alt_ids``
and ``alt_names``), ``links`` (``source``, ``target``, ``key`` = the Biolink
predicate text) and ``references`` (URLs). :func:`read_drugmechdb` reads a
folder of them (or single files) into **one** source batch, the dataset as a
whole: the same statement curated in several paths is one edge, the folder
loads in one transaction, and reloading an unchanged folder is a no-op (its
version is a hash of every file). :func:`curated_paths` gives each path as a
:class:`CuratedPath` for evaluation.

The package, in the order a read goes:

* :mod:`~loaders.drugmechdb.files` finds the path files and reads each as safe YAML;
* :mod:`~loaders.drugmechdb.identity` resolves ids and kinds across the dataset
  (a path's drug is keyed by its header's DrugBank id; a header's ``drug_mesh``
  names that drug in every file; one id has one kind);
* :mod:`~loaders.drugmechdb.paths` builds each file's :class:`CuratedPath`;
* :mod:`~loaders.drugmechdb.reader` makes the one source batch.

Known errors go to the ledger rather than into the graph wrongly: disease
nodes labelled Drug (loaded as the Disease their header says they are), other
ids labelled inconsistently across files, MeSH ids reused for different drugs
(never used as a drug xref), a header without a DrugBank id or with a
malformed one, paths with several Drug or Disease nodes, unknown labels and
predicates, malformed ids.

Provenance is at dataset level (``DrugMechDB`` and the version). With
``keep_path_ids`` (the default) each edge also says which paths state it (the
property ``paths``) and carries the PubMed ids of those paths' references;
evaluation turns this off so that no edge reveals its curated path.
"""

from graph.drugmechdb_vocabulary import PREDICATES
from loaders.drugmechdb.files import path_files
from loaders.drugmechdb.paths import CuratedPath, PathEdge, PathNode
from loaders.drugmechdb.reader import DATASET, DrugMechDBLoad, curated_paths, read_drugmechdb

__all__ = [
    "DATASET",
    "PREDICATES",
    "CuratedPath",
    "DrugMechDBLoad",
    "PathEdge",
    "PathNode",
    "curated_paths",
    "path_files",
    "read_drugmechdb",
]
