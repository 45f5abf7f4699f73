"""AblationBench's scoring definitions (``--metrics ablationbench``) against hand-computed values
from its harness's rules, and where they differ from ablab's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ablab.bench.ablationbench import (
    author_labels,
    reviewer_labels,
    score_author_bench,
    score_reviewer_bench,
)
from ablab.bench.evaluate import evaluate_plans, evaluation_records
from ablab.bench.scoring import score_author, score_reviewer
from ablab.bench.sources import load_dataset
from ablab.judges import get_judge
from ablab.judges.base import (
    AuthorJudgement,
    PaperContext,
    ReviewDecision,
    ReviewerJudgement,
)
from ablab.judges.majority import MajorityJudge
from ablab.matching.match import Match
from ablab.runs.plans import load_plans
from ablab.schema import Ablation


def items(n: int, prefix: str) -> list[Ablation]:
    return [
        Ablation(name=f"{prefix}{i}", ablated_part=f"{prefix}{i}", action="REMOVE")
        for i in range(n)
    ]


def author(matches: list[tuple[int, int]], reference: int = 3, plan: int = 3) -> AuthorJudgement:
    return AuthorJudgement(
        paper_id="p",
        judge="t",
        reference=items(reference, "g"),
        plan=items(plan, "p"),
        matches=[Match(reference=r, plan=p) for r, p in matches],
    )


def test_one_plan_item_covering_two_ground_truth_items() -> None:
    # p0 covers g0 and g1; p1, p2 match nothing.
    judgement = author([(0, 0), (1, 0)])
    ours, theirs = score_author(judgement), score_author_bench(judgement)
    assert ours.precision == pytest.approx(1 / 3)  # 1 of 3 plan items matched
    assert theirs.precision == pytest.approx(2 / 4)  # 2 found / (2 found + 2 unmatched names)
    assert ours.recall == theirs.recall == pytest.approx(2 / 3)
    assert theirs.f1_score == pytest.approx(2 * 2 / (2 * 2 + 2 + 1))
    assert ours.ndcg_score == theirs.ndcg_score
    assert author_labels(judgement) == ([True] * 3 + [False] * 2, [True, True, False, True, True])


def test_two_plan_items_for_one_ground_truth_item() -> None:
    # p0 and p1 both match g0; p2 matches nothing.
    judgement = author([(0, 0), (0, 1)], reference=2)
    assert score_author(judgement).precision == pytest.approx(2 / 3)
    assert score_author_bench(judgement).precision == pytest.approx(1 / 2)


def test_top_k_drops_a_match_that_reaches_past_k() -> None:
    # g0 is matched by p0 (kept) and p3 (past k = 2): the harness does not count it found;
    # p2 and p3, past k, are not counted as false positives either.
    judgement = author([(0, 0), (0, 3), (1, 1)], reference=2, plan=4)
    score = score_author_bench(judgement, k=2)
    assert score.recall == pytest.approx(1 / 2) and score.plan_size == 2
    true, pred = author_labels(judgement, k=2)
    assert (true, pred) == ([True, True], [False, True])
    assert score.precision == 1.0  # p1's find; p0 counts neither way
    assert score.ndcg_score == pytest.approx((1 / 1.584962500721156) / (1 + 1 / 1.584962500721156))


def test_reviewer_hits_beyond_the_requested_number() -> None:
    # 3 of 4 plan items were requested, but the reviews asked for 2.
    judgement = ReviewerJudgement(
        paper_id="p",
        judge="t",
        plan=items(4, "p"),
        decisions=[ReviewDecision(plan=i, appears=i < 3) for i in range(4)],
        num_requested=2,
    )
    assert score_reviewer(judgement).precision == pytest.approx(3 / 4)
    theirs = score_reviewer_bench(judgement)
    assert theirs.precision == pytest.approx(2 / 3)  # min(3, 2) / (min(3, 2) + 1 not found)
    assert theirs.recall == 1.0 and theirs.ndcg_score is None
    assert reviewer_labels(judgement, k=2) == ([True, True], [True, True])


class Scripted:
    """A judge that answers the same matches for every paper."""

    def __init__(self, name: str, matches: list[tuple[int, int]]) -> None:
        self.name = name
        self.matches = matches
        self.plans_seen: list[int] = []

    def judge_author(
        self, reference: list[Ablation], plan: list[Ablation], context: PaperContext
    ) -> AuthorJudgement:
        self.plans_seen.append(len(plan))
        found = [Match(reference=r, plan=p) for r, p in self.matches if p < len(plan)]
        return AuthorJudgement(
            paper_id=context.paper_id, judge=self.name, reference=reference, plan=plan,
            matches=found,
        )  # fmt: skip

    def judge_reviewer(
        self, reviews: list[str], num_requested: int, plan: list[Ablation], context: PaperContext
    ) -> ReviewerJudgement:
        self.plans_seen.append(len(plan))
        decisions = [ReviewDecision(plan=i, appears=i == 0) for i in range(len(plan))]
        return ReviewerJudgement(
            paper_id=context.paper_id, judge=self.name, plan=plan, decisions=decisions,
            num_requested=num_requested,
        )  # fmt: skip


def test_majority_per_item_needs_the_same_answer() -> None:
    # g0: voters answer {p0}, {p1}, {p0, p1}. Per pair, p0 and p1 each get 2 of 3 votes; per
    # item (AblationBench), no answer has a majority. g1: {p2} twice, {} once -> p2.
    voters = [
        Scripted("a", [(0, 0), (1, 2)]),
        Scripted("b", [(0, 1), (1, 2)]),
        Scripted("c", [(0, 0), (0, 1)]),
    ]
    context = PaperContext(paper_id="p")
    reference, plan = items(2, "g"), items(3, "p")
    pair = MajorityJudge(voters).judge_author(reference, plan, context)
    item = MajorityJudge(voters, vote="item").judge_author(reference, plan, context)
    assert {(m.reference, m.plan) for m in pair.matches} == {(0, 0), (0, 1), (1, 2)}
    assert {(m.reference, m.plan) for m in item.matches} == {(1, 2)}


def test_ablationbench_metrics_judge_the_whole_plan(datasets_dir: Path) -> None:
    data = load_dataset(datasets_dir / "author.jsonl")
    plans = load_plans(datasets_dir / "runs" / "demo-author")
    judge = Scripted("s", [(0, 0), (1, 3)])
    evaluation = evaluate_plans(data, plans, judge, top_k=2, metrics="ablationbench")
    sizes = [len(plans.plans[t.id].ablations) for t in data.tasks]
    assert judge.plans_seen == sizes  # whole plans judged...
    assert [r.plan_size for r in evaluation.records] == [2, 2, 2]  # ...scored at k = 2
    assert evaluation.summary.metrics == "ablationbench"
    for row in evaluation_records(evaluation):  # precision and F1 follow from the labels
        tp = sum(t and p for t, p in zip(row["true_labels"], row["pred_labels"], strict=True))
        assert row["precision"] == pytest.approx(tp / max(1, sum(row["pred_labels"])))
    ablab = evaluate_plans(data, plans, Scripted("s", [(0, 0), (1, 3)]), top_k=2)
    assert ablab.summary.metrics == "ablab"
    json.dumps(evaluation_records(ablab))  # labels are written in both modes


def test_offline_judge_with_both_metrics_agrees_on_recall(datasets_dir: Path) -> None:
    data = load_dataset(datasets_dir / "author.jsonl")
    plans = load_plans(datasets_dir / "runs" / "demo-author")
    ours = evaluate_plans(data, plans, get_judge("offline"))
    theirs = evaluate_plans(data, plans, get_judge("offline"), metrics="ablationbench")
    assert [r.recall for r in ours.records] == [r.recall for r in theirs.records]
    assert [r.ndcg_score for r in ours.records] == [r.ndcg_score for r in theirs.records]
