"""Scores of one plan and aggregates over papers.

Per paper (author task, from a judge's matches):

- precision = planned ablations that match some ground-truth ablation / plan size;
- recall = ground-truth ablations matched by some planned ablation / ground-truth size;
- F1 = harmonic mean (0 when both are 0);
- two nDCG variants, see :func:`ndcg_set` and :func:`ndcg_ranked`.

Reviewer task: the ground truth is the set of ablations the reviews requested
(``num_requested`` of them); precision = planned ablations found in the reviews / plan size;
recall = min(found, num_requested) / num_requested.

AblationBench's harness derives the same numbers from label vectors; with many-to-one matches
its precision counts matched *ground-truth* items against unmatched plan items, which can exceed
the share of plan items that matched. ablab counts plan items, as the definition says.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict


def safe_ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, 0 when the denominator is 0."""
    return numerator / denominator if denominator else 0.0


def f1(precision: float, recall: float) -> float:
    """Harmonic mean of precision and recall (0 when both are 0)."""
    return safe_ratio(2 * precision * recall, precision + recall)


def _dcg(gains: Sequence[bool | float]) -> float:
    return sum(float(g) / math.log2(rank + 2) for rank, g in enumerate(gains))


def ndcg_set(reference_matched: Sequence[bool], plan_size: int) -> float:
    """nDCG as AblationBench computes it: blind to the plan's order.

    ``k = min(plan size, ground-truth size)``. The gains are, for the first ``k`` ground-truth
    ablations *in dataset order*, whether the plan matched them; the ideal is ``k`` hits. So the
    score depends on which ground-truth items were found and where the dataset lists them, and
    not at all on where the plan ranked its matching items: shuffling a plan leaves it unchanged.
    """
    k = min(plan_size, len(reference_matched))
    if k == 0:
        return 0.0
    return _dcg(reference_matched[:k]) / _dcg([True] * k)


def ndcg_ranked(plan_relevant: Sequence[bool], num_relevant: int, k: int | None = None) -> float:
    """Rank-aware nDCG@k on the plan's own order (ablab's variant).

    ``plan_relevant[i]`` says whether the plan's item of rank ``i + 1`` is a hit; a hit at rank
    ``r`` gains ``1 / log2(r + 1)``. Callers mark only the first plan item that matches a given
    ground-truth item as a hit, so repeating an ablation earns nothing. The ideal puts
    ``min(k, num_relevant)`` hits at the top. ``k`` defaults to the plan size. A plan that
    ranks its good ablations first scores higher than the same ablations ranked last.
    """
    k = len(plan_relevant) if k is None else k
    ideal = min(k, num_relevant)
    if ideal <= 0:
        return 0.0
    return _dcg(plan_relevant[:k]) / _dcg([True] * ideal)


def first_hits(plan_to_reference: Sequence[Sequence[int]]) -> list[bool]:
    """Plan ranks that are hits for :func:`ndcg_ranked`.

    ``plan_to_reference[i]`` lists the reference items the plan's item ``i`` matches. Each
    reference item is credited once and each plan item credits at most one, as the ideal ranking
    assumes (one hit per reference item); among such assignments, ranks are served in order and
    may re-route earlier ranks (augmenting paths), which credits the earliest ranks possible. So a
    plan that finds every reference item scores 1 even when the judge also cross-matches some.
    """
    credited: dict[int, int] = {}  # reference item -> the plan rank credited with it

    def claim(rank: int, tried: set[int]) -> bool:
        for reference in plan_to_reference[rank]:
            if reference in tried:
                continue
            tried.add(reference)
            if reference not in credited or claim(credited[reference], tried):
                credited[reference] = rank
                return True
        return False

    return [claim(rank, set()) for rank in range(len(plan_to_reference))]


class Aggregate(BaseModel):
    """A macro mean over papers with its spread."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    mean: float
    """Mean over papers."""
    std: float
    """Sample standard deviation (0 for fewer than two papers)."""
    ci_low: float
    """Lower end of the bootstrap 95% interval of the mean."""
    ci_high: float
    """Upper end of the bootstrap 95% interval of the mean."""
    n: int
    """Number of papers."""


def aggregate(values: Sequence[float], *, resamples: int = 2000, seed: int = 0) -> Aggregate:
    """Macro mean, standard deviation and percentile bootstrap 95% interval (seeded)."""
    n = len(values)
    if n == 0:
        return Aggregate(mean=0.0, std=0.0, ci_low=0.0, ci_high=0.0, n=0)
    mean = statistics.fmean(values)
    std = statistics.stdev(values) if n > 1 else 0.0
    rng = random.Random(seed)
    means = sorted(statistics.fmean(rng.choices(values, k=n)) for _ in range(resamples))
    low = means[int(0.025 * (resamples - 1))]
    high = means[math.ceil(0.975 * (resamples - 1))]
    return Aggregate(mean=mean, std=std, ci_low=low, ci_high=high, n=n)
