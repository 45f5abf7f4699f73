"""Interval arithmetic checked against hand-computed values."""

from __future__ import annotations

import pytest

from ablab.results.stats import bootstrap_interval, summarise, welch_interval

A = [1.0, 2.0, 3.0]
B = [4.0, 5.0, 6.0]


def test_summary_is_mean_and_sample_std() -> None:
    summary = summarise(A)
    assert (summary.n, summary.mean, summary.std) == (3, 2.0, 1.0)
    assert summarise([5.0]).std is None


def test_welch_interval_matches_the_t_table() -> None:
    # Equal variances of 1, n = 3 each: df = 4, t(0.975, 4) = 2.776445, se = sqrt(2/3).
    low, high = welch_interval(A, B)  # type: ignore[misc]
    half = 2.776445 * (2 / 3) ** 0.5
    assert low == pytest.approx(-3 - half, abs=1e-5)
    assert high == pytest.approx(-3 + half, abs=1e-5)


def test_welch_uses_unequal_variances() -> None:
    # Welch-Satterthwaite df for variances 1 (n=3) and 25 (n=3) is about 2.15, not 4.
    low, high = welch_interval(A, [0.0, 5.0, 10.0])  # type: ignore[misc]
    pooled_half = 2.776445 * ((1 / 3 + 25 / 3) ** 0.5)
    assert (high - low) / 2 > pooled_half


def test_intervals_need_two_values_per_side() -> None:
    assert welch_interval([1.0], B) is None
    assert bootstrap_interval(A, [4.0]) is None
    assert welch_interval([1.0, 1.0], [2.0, 2.0]) == (-1.0, -1.0)


def test_bootstrap_is_deterministic_and_bounded() -> None:
    first = bootstrap_interval(A, B, resamples=2000)
    assert first == bootstrap_interval(A, B, resamples=2000)
    assert first is not None
    low, high = first
    # Resampled means stay within each sample's range: the delta lies in [-5, -1].
    assert -5 <= low < -3 < high <= -1
