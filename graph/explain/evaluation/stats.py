"""Bootstrap confidence intervals over indications: is a difference of a point a gain?

Each method's figure is a mean over the indications evaluated. Resampling the
indications with replacement (``resamples`` times, with a seeded generator, so
a run is reproducible) and taking the mean of each resample gives the spread
of that mean; the interval is the middle ``level`` of the resampled means (the
percentile bootstrap). Two methods scored on the same indications are compared
on the *same* resamples (a paired bootstrap): the interval of the difference
of their means, which is much narrower than the two intervals side by side.

>>> low, high = bootstrap_interval([0.0, 1.0] * 50, seed=1)
>>> 0.38 < low < 0.5 < high < 0.62
True
>>> bootstrap_interval([1.0, 1.0, 1.0])
(1.0, 1.0)
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

#: Resamples and level used by ``txkg evaluate``.
RESAMPLES = 1000
LEVEL = 0.95
SEED = 0


def resample_indices(n: int, *, resamples: int = RESAMPLES,
                     seed: int = SEED) -> list[list[int]]:
    """``resamples`` lists of ``n`` indices drawn with replacement (seeded)."""
    rng = random.Random(seed)
    population = range(n)
    return [rng.choices(population, k=n) for _ in range(resamples)]


def _interval(means: list[float], level: float) -> tuple[float, float]:
    means.sort()
    tail = (1.0 - level) / 2.0
    low = means[max(0, math.floor(tail * len(means)))]
    high = means[min(len(means) - 1, math.ceil((1.0 - tail) * len(means)) - 1)]
    return low, high


def bootstrap_interval(values: Sequence[float], *, resamples: int = RESAMPLES,
                       level: float = LEVEL, seed: int = SEED,
                       indices: list[list[int]] | None = None) -> tuple[float, float]:
    """The percentile-bootstrap interval of the mean of ``values`` ((0, 0) when empty)."""
    n = len(values)
    if n == 0:
        return 0.0, 0.0
    drawn = indices if indices is not None else resample_indices(n, resamples=resamples,
                                                                 seed=seed)
    get = values.__getitem__
    return _interval([math.fsum(map(get, idx)) / n for idx in drawn], level)


def paired_difference_interval(values: Sequence[float], reference: Sequence[float], *,
                               resamples: int = RESAMPLES, level: float = LEVEL,
                               seed: int = SEED, indices: list[list[int]] | None = None,
                               ) -> tuple[float, float]:
    """The interval of ``mean(values) - mean(reference)``, both on the same resamples.

    >>> bootstrap_interval([0.0, 1.0] * 50) != paired_difference_interval([0.0, 1.0] * 50,
    ...                                                                   [0.0, 1.0] * 50)
    True
    >>> paired_difference_interval([1.0, 0.0] * 50, [0.0, 0.0] * 50)[0] > 0.35
    True
    """
    if len(values) != len(reference):
        raise ValueError(f"paired values differ in number: {len(values)} vs {len(reference)}")
    return bootstrap_interval([a - b for a, b in zip(values, reference, strict=True)],
                              resamples=resamples, level=level, seed=seed, indices=indices)


__all__ = ["LEVEL", "RESAMPLES", "SEED", "bootstrap_interval", "paired_difference_interval",
           "resample_indices"]
