"""Fuzzing txkg's readers with real files, mutated (issue 12, item 4).

* :mod:`fuzzing.seeds` — small slices of the real data (../shared/data) and of
  ``examples/``: the files every case starts from.
* :mod:`fuzzing.mutations` — what is done to them: truncation, wrong encodings,
  huge fields, broken columns, hostile JSON and YAML, junk bytes, line endings.
* :mod:`fuzzing.strategies` — hypothesis strategies drawing a :class:`Recipe`
  (a seed and its mutations) per input format.
* :mod:`fuzzing.check` — the property: a reader either succeeds or raises one of
  txkg's typed errors in one line naming the file; the CLI exits 0 or 1 with one
  line and writes nothing on failure; each case stays within its time and memory.

``tests/test_fuzz.py`` runs a small budget in CI; ``bench/fuzz.py`` runs campaigns.
"""
