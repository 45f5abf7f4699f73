"""Metric functions against hand-computed values."""

from __future__ import annotations

import math

import pytest

from ablab.bench.metrics import aggregate, f1, first_hits, ndcg_ranked, ndcg_set
from ablab.bench.scoring import score_author, score_reviewer
from ablab.judges.base import AuthorJudgement, ReviewDecision, ReviewerJudgement
from ablab.matching.match import Match
from ablab.schema import Ablation

LOG3 = math.log2(3)


def items(n: int, prefix: str) -> list[Ablation]:
    return [
        Ablation(name=f"{prefix}{i}", ablated_part=f"{prefix}{i}", action="REMOVE")
        for i in range(n)
    ]


def test_f1_is_the_harmonic_mean_and_zero_when_both_are_zero() -> None:
    assert f1(0.5, 1.0) == pytest.approx(2 / 3)
    assert f1(0.0, 0.0) == 0.0


def test_set_ndcg_uses_dataset_order_cut_at_min_sizes() -> None:
    # k = min(plan 2, reference 3) = 2; gains are the first two reference items: [hit, miss]
    assert ndcg_set([True, False, True], plan_size=2) == pytest.approx(1 / (1 + 1 / LOG3))
    assert ndcg_set([True, True], plan_size=0) == 0.0


def test_ranked_ndcg_rewards_putting_hits_first() -> None:
    assert ndcg_ranked([True, False], num_relevant=3) == pytest.approx(1 / (1 + 1 / LOG3))
    assert ndcg_ranked([False, True], num_relevant=3) == pytest.approx((1 / LOG3) / (1 + 1 / LOG3))
    assert ndcg_ranked([True, True], num_relevant=2) == 1.0
    assert ndcg_ranked([True, True, True], num_relevant=2, k=1) == 1.0
    assert ndcg_ranked([], num_relevant=2) == 0.0


def test_first_hits_credit_each_reference_item_once() -> None:
    assert first_hits([[0], [0], [], [2, 0]]) == [True, False, False, True]


def test_author_scores_from_matches() -> None:
    judgement = AuthorJudgement(
        paper_id="p",
        judge="test",
        reference=items(3, "r"),
        plan=items(4, "p"),
        matches=[
            Match(reference=0, plan=0),
            Match(reference=0, plan=1),
            Match(reference=2, plan=3),
        ],
    )
    score = score_author(judgement)
    assert score.precision == pytest.approx(3 / 4)
    assert score.recall == pytest.approx(2 / 3)
    assert score.f1_score == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))
    # set nDCG: k = 3, reference gains [hit, miss, hit]
    assert score.ndcg_score == pytest.approx((1 + 0.5) / (1 + 1 / LOG3 + 0.5))
    # ranked nDCG@4: plan hits [yes, repeat, no, yes]; ideal has 3 hits on top
    assert score.ndcg_ranked == pytest.approx((1 + 1 / math.log2(5)) / (1 + 1 / LOG3 + 0.5))


def test_plan_order_changes_ranked_ndcg_but_not_set_ndcg() -> None:
    reference, plan = items(2, "r"), items(3, "p")
    first = AuthorJudgement(paper_id="p", judge="t", reference=reference, plan=plan,
                            matches=[Match(reference=1, plan=0)])  # fmt: skip
    last = first.model_copy(update={"matches": [Match(reference=1, plan=2)]})
    assert score_author(first).ndcg_score == score_author(last).ndcg_score
    assert score_author(first).ndcg_ranked > score_author(last).ndcg_ranked


def test_reviewer_scores_cap_recall_at_the_number_requested() -> None:
    judgement = ReviewerJudgement(
        paper_id="p",
        judge="t",
        plan=items(3, "p"),
        decisions=[ReviewDecision(plan=i, appears=i < 2) for i in range(3)],
        num_requested=1,
    )
    score = score_reviewer(judgement)
    assert score.precision == pytest.approx(2 / 3)
    assert score.recall == 1.0
    assert score.ndcg_score is None
    assert score.ndcg_ranked == 1.0


def test_empty_plan_scores_zero() -> None:
    judgement = AuthorJudgement(paper_id="p", judge="t", reference=items(2, "r"), plan=[])
    score = score_author(judgement)
    assert (score.precision, score.recall, score.f1_score, score.ndcg_ranked) == (0, 0, 0, 0)


def test_aggregate_mean_std_and_bootstrap_interval() -> None:
    result = aggregate([0.0, 1.0, 0.5, 0.5])
    assert result.mean == 0.5
    assert result.std == pytest.approx(math.sqrt(0.5 / 3))
    assert 0.0 <= result.ci_low < 0.5 < result.ci_high <= 1.0
    constant = aggregate([0.4, 0.4, 0.4])
    assert constant.ci_low == constant.ci_high == pytest.approx(0.4)
    assert aggregate([0.7]).std == 0.0
    assert aggregate([]).n == 0
