"""Fuzzing every input format with mutated real files (issue 12, item 4), on a small budget.

Each test draws cases of one format (:mod:`fuzzing.strategies`: a real file and
one to three mutations) and checks the property of :mod:`fuzzing.check`: reading
succeeds or raises one of txkg's typed errors in one line naming the file; the
CLI exits 0 or 1 with that line and leaves the store as it was; each case stays
within 2 s of CPU and 500 MB. ``TXKG_FUZZ_EXAMPLES`` sets the cases per format
(default :data:`EXAMPLES`); ``bench/fuzz.py`` runs the long campaigns.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import shared_data
from fuzzing.check import run_case
from fuzzing.formats import FORMATS
from fuzzing.seeds import DataMissing
from fuzzing.strategies import Recipe, recipes
from hypothesis import HealthCheck, given, settings

#: Cases per format in CI: the whole set stays well under a minute.
EXAMPLES = int(os.environ.get("TXKG_FUZZ_EXAMPLES", "60"))


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_reading_and_loading_mutated_files(name: str, tmp_path: Path) -> None:
    if not FORMATS[name].bundled:
        shared_data()  # skips, saying why, without ../shared/data
    try:
        strategy = recipes(FORMATS[name])
    except DataMissing as missing:  # a part of it missing
        pytest.skip(str(missing))

    @settings(max_examples=EXAMPLES, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.large_base_example])
    @given(recipe=strategy)
    def case(recipe: Recipe) -> None:
        problems = run_case(recipe, tmp_path).problems
        assert not problems, "\n".join(problems)

    case()
