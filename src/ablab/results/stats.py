"""Summary statistics of an ablation table: mean ± standard deviation over seeds, and a 95%
interval for the difference of two means (Welch's t interval via SciPy, or a percentile
bootstrap)."""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from ablab.errors import ConfigError

BOOTSTRAP_RESAMPLES = 2_000
"""Resamples of the bootstrap interval."""
BOOTSTRAP_SEED = 0
"""Seed of the bootstrap's generator: the same results give the same table."""
LEVEL = 0.95
"""Confidence level of every interval."""


class Interval(StrEnum):
    """How the interval of a delta is computed."""

    welch = "welch"
    bootstrap = "bootstrap"


@dataclass(frozen=True)
class Summary:
    """Values of one group (an ablation variant and a metric) over seeds."""

    n: int
    mean: float
    std: float | None
    """Sample standard deviation; None for a single value."""


def summarise(values: Sequence[float]) -> Summary:
    """Mean and sample standard deviation of ``values`` (at least one)."""
    std = statistics.stdev(values) if len(values) > 1 else None
    return Summary(len(values), statistics.fmean(values), std)


def welch_interval(a: Sequence[float], b: Sequence[float]) -> tuple[float, float] | None:
    """95% interval of mean(a) - mean(b), Welch's t (unequal variances, Welch-Satterthwaite
    degrees of freedom; the t quantile from SciPy); None below 2 values each."""
    if len(a) < 2 or len(b) < 2:
        return None
    try:
        from scipy.special import stdtrit
    except ImportError:
        raise ConfigError(
            "Welch intervals need SciPy: pip install 'ablab[stats]' (or use --ci bootstrap)"
        ) from None
    delta = statistics.fmean(a) - statistics.fmean(b)
    va, vb = statistics.variance(a) / len(a), statistics.variance(b) / len(b)
    if va + vb == 0:
        return delta, delta  # no spread at all
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = float(stdtrit(df, 1 - (1 - LEVEL) / 2)) * math.sqrt(va + vb)
    return delta - half, delta + half


def _resampled_means(rng: random.Random, values: Sequence[float], resamples: int) -> list[float]:
    n = len(values)
    draws = rng.choices(values, k=n * resamples)  # one call: much faster than one per resample
    return [math.fsum(draws[i : i + n]) / n for i in range(0, n * resamples, n)]


def bootstrap_interval(
    a: Sequence[float], b: Sequence[float], *, resamples: int = BOOTSTRAP_RESAMPLES
) -> tuple[float, float] | None:
    """Percentile bootstrap 95% interval of mean(a) - mean(b); None below 2 values each."""
    if len(a) < 2 or len(b) < 2:
        return None
    rng = random.Random(BOOTSTRAP_SEED)
    means_a = _resampled_means(rng, a, resamples)
    means_b = _resampled_means(rng, b, resamples)
    deltas = sorted(x - y for x, y in zip(means_a, means_b, strict=True))
    tail = (1 - LEVEL) / 2
    low = deltas[int(tail * (resamples - 1))]
    high = deltas[int(round((1 - tail) * (resamples - 1)))]
    return low, high


def delta_interval(
    a: Sequence[float], b: Sequence[float], method: Interval
) -> tuple[float, float] | None:
    """The interval of mean(a) - mean(b) by ``method``."""
    if method is Interval.welch:
        return welch_interval(a, b)
    return bootstrap_interval(a, b)
