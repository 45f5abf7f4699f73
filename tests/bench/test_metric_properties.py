"""Invariants of the scores for any judgement: every score in [0, 1], a perfect plan scores 1."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ablab.bench.scoring import PaperScore, score_author, score_reviewer
from ablab.judges import get_judge
from ablab.judges.base import AuthorJudgement, PaperContext, ReviewDecision, ReviewerJudgement
from ablab.matching.match import Match
from ablab.schema import Ablation, Action

_SCORES = ("precision", "recall", "f1_score", "ndcg_ranked")


def _in_unit_interval(score: PaperScore) -> None:
    for name in _SCORES:
        assert 0.0 <= getattr(score, name) <= 1.0, (name, score)
    assert score.ndcg_score is None or 0.0 <= score.ndcg_score <= 1.0


def _items(n: int) -> list[Ablation]:
    return [Ablation(name=f"a{i}", ablated_part=f"a{i}", action="REMOVE") for i in range(n)]


@st.composite
def _author_judgements(draw: st.DrawFn) -> tuple[AuthorJudgement, int | None]:
    n_plan, n_ref = draw(st.integers(0, 8)), draw(st.integers(0, 8))
    pairs = (
        draw(st.lists(st.tuples(st.integers(0, n_ref - 1), st.integers(0, n_plan - 1))))
        if n_plan and n_ref
        else []
    )
    judgement = AuthorJudgement(
        paper_id="p",
        judge="test",
        reference=_items(n_ref),
        plan=_items(n_plan),
        matches=[Match(reference=r, plan=p) for r, p in pairs],
    )
    return judgement, draw(st.none() | st.integers(1, 10))


@settings(max_examples=300, deadline=None)
@given(_author_judgements())
def test_author_scores_stay_in_the_unit_interval(case: tuple[AuthorJudgement, int | None]) -> None:
    judgement, k = case
    _in_unit_interval(score_author(judgement, k=k))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.booleans(), max_size=10), st.integers(0, 12), st.none() | st.integers(1, 10))
def test_reviewer_scores_stay_in_the_unit_interval(
    appears: list[bool], requested: int, k: int | None
) -> None:
    judgement = ReviewerJudgement(
        paper_id="p",
        judge="test",
        plan=_items(len(appears)),
        decisions=[ReviewDecision(plan=i, appears=hit) for i, hit in enumerate(appears)],
        num_requested=requested,
    )
    _in_unit_interval(score_reviewer(judgement, k=k))


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 8), st.data())
def test_a_plan_that_finds_everything_in_order_scores_one(n: int, data: st.DataObject) -> None:
    # Item i of the plan is reference item i; a judge may also match near-duplicates across.
    extra = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))))
    pairs = {(i, i) for i in range(n)} | set(extra)
    judgement = AuthorJudgement(
        paper_id="p",
        judge="test",
        reference=_items(n),
        plan=_items(n),
        matches=[Match(reference=r, plan=p) for r, p in sorted(pairs)],
    )
    score = score_author(judgement)
    assert [getattr(score, name) for name in (*_SCORES, "ndcg_score")] == [1.0] * 5


_PARTS = st.sampled_from(
    ["stop-gradient", "predictor MLP", "KL divergence loss", "temperature", "batch size"]
    + ["data augmentation", "momentum encoder", "layer norm", "dropout", "warm-up schedule"]
)


@st.composite
def _ablation_lists(draw: st.DrawFn) -> list[Ablation]:
    parts = draw(st.lists(_PARTS, min_size=1, max_size=6, unique=True))
    ablations = []
    for part in parts:
        action = draw(st.sampled_from(list(Action)))
        replacement = None if action is Action.REMOVE else draw(st.lists(_PARTS, max_size=2))
        ablations.append(
            Ablation(name=part, ablated_part=part, action=action, replacement=replacement)
        )
    return ablations


@settings(max_examples=150, deadline=None)
@given(_ablation_lists(), _ablation_lists())
def test_offline_judge_scores_are_bounded_and_perfect_on_the_reference(
    reference: list[Ablation], plan: list[Ablation]
) -> None:
    judge = get_judge("offline")
    context = PaperContext(paper_id="p")
    _in_unit_interval(score_author(judge.judge_author(reference, plan, context)))
    perfect = score_author(judge.judge_author(reference, list(reference), context))
    assert [getattr(perfect, name) for name in (*_SCORES, "ndcg_score")] == [1.0] * 5
