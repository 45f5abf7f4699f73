"""Turn a judge's decisions for one paper into its scores."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ablab.bench.metrics import f1, first_hits, ndcg_ranked, ndcg_set, safe_ratio
from ablab.judges.base import AuthorJudgement, ReviewerJudgement
from ablab.schema import Mode


class PaperScore(BaseModel):
    """Scores of one plan for one paper (a record of ``evaluations.json``)."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    id: str
    """Paper id."""
    task: Mode
    """author or reviewer."""
    precision: float
    """Share of planned ablations that match the ground truth."""
    recall: float
    """Share of the ground truth the plan found."""
    f1_score: float
    """Harmonic mean of precision and recall."""
    ndcg_score: float | None
    """AblationBench's order-blind nDCG (author task only; None for reviewer)."""
    ndcg_ranked: float
    """Rank-aware nDCG@k on the plan's own order."""
    cost: float
    """Money the judge spent on this paper, in US dollars (AblationBench's ``cost``)."""
    plan_cost: float = 0.0
    """Money spent producing the plan, when known."""
    plan_size: int
    """Number of planned ablations judged."""
    reference_size: int
    """Number of ground-truth ablations (reviewer task: requested ablations)."""
    warnings: list[str] = Field(default_factory=list)
    """Anything that makes this score less trustworthy (missing plan, paper read from abstract)."""


def score_author(
    judgement: AuthorJudgement, *, k: int | None = None, plan_cost: float = 0.0
) -> PaperScore:
    """Precision, recall, F1 and both nDCGs of an author-task judgement."""
    plan_size, ref_size = len(judgement.plan), len(judgement.reference)
    precision = safe_ratio(sum(judgement.matched_plan()), plan_size)
    recall = safe_ratio(sum(judgement.matched_reference()), ref_size)
    plan_to_ref = [
        [m.reference for m in judgement.matches if m.plan == rank] for rank in range(plan_size)
    ]
    return PaperScore(
        id=judgement.paper_id,
        task=Mode.AUTHOR,
        precision=precision,
        recall=recall,
        f1_score=f1(precision, recall),
        ndcg_score=ndcg_set(judgement.matched_reference(), plan_size),
        ndcg_ranked=ndcg_ranked(first_hits(plan_to_ref), ref_size, k),
        cost=judgement.usage.cost_usd or 0.0,
        plan_cost=plan_cost,
        plan_size=plan_size,
        reference_size=ref_size,
    )


def score_reviewer(
    judgement: ReviewerJudgement, *, k: int | None = None, plan_cost: float = 0.0
) -> PaperScore:
    """Precision, recall, F1 and ranked nDCG of a reviewer-task judgement."""
    appears = judgement.appears()
    found, requested = sum(appears), judgement.num_requested
    # The reviews asked for `requested` ablations: hits past that many earn nothing more.
    hits, credited = [], 0
    for hit in appears:
        hits.append(hit and credited < requested)
        credited += hit
    precision = safe_ratio(found, len(appears))
    recall = safe_ratio(min(found, requested), requested)
    return PaperScore(
        id=judgement.paper_id,
        task=Mode.REVIEWER,
        precision=precision,
        recall=recall,
        f1_score=f1(precision, recall),
        ndcg_score=None,
        ndcg_ranked=ndcg_ranked(hits, requested, k),
        cost=judgement.usage.cost_usd or 0.0,
        plan_cost=plan_cost,
        plan_size=len(appears),
        reference_size=requested,
    )
