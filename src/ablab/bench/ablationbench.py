"""AblationBench's own scoring definitions, as its harness computes them (``--metrics
ablationbench``), so that ablab's numbers can be put next to the published leaderboard.

They differ from ablab's definitions (:mod:`ablab.bench.scoring`) in three ways:

- **precision when matches are not one-to-one.** The harness builds label vectors: one
  positive per ground-truth item (predicted positive when some plan item matched it), then one
  negative per *distinct plan name* that matched nothing. So precision = matched ground-truth
  items / (matched ground-truth items + unmatched plan names), whereas ablab divides the matched
  *plan* items by the plan size. One plan item that covers three ground-truth items counts
  three times for the harness; two plan items that both match one ground-truth item count once.
  F1 comes from the same vectors; recall and nDCG agree with ablab's.
- **top-k.** The harness judges the *whole* plan and then keeps the first k plan names: a
  ground-truth item counts as found only when every plan item matched to it is among them
  (author task); the first k decisions are kept (reviewer task). ablab cuts the plan to k
  before judging.
- **majority vote** (the harness's ``majority_judge``): per ground-truth item, the voters'
  answers (which plan names match it, or none) are counted, and an answer given by a strict
  majority wins; ablab's majority votes on each (ground truth, plan item) pair. See
  :class:`ablab.judges.majority.MajorityJudge` (``vote="item"``).

Reviewer task: with N ablations requested and A of the (first k) plan items found in the
reviews, the harness counts min(A, N) true positives and every item not found as a false
positive, so precision = min(A, N) / (min(A, N) + items not found), where ablab's is A / plan
size; recall = min(A, N) / N for both. The harness reports no nDCG for this task.
"""

from __future__ import annotations

from ablab.bench.metrics import first_hits, ndcg_ranked, ndcg_set, safe_ratio
from ablab.bench.scoring import PaperScore
from ablab.judges.base import AuthorJudgement, ReviewerJudgement
from ablab.schema import Mode

METRICS = ("ablab", "ablationbench")
"""Names of the two scoring definitions."""


def _rates(true: list[bool], pred: list[bool]) -> tuple[float, float, float]:
    """Precision, recall and F1 of label vectors (0 where undefined, as the harness gets them
    from scikit-learn)."""
    tp = sum(t and p for t, p in zip(true, pred, strict=True))
    fp = sum(p and not t for t, p in zip(true, pred, strict=True))
    fn = sum(t and not p for t, p in zip(true, pred, strict=True))
    return safe_ratio(tp, tp + fp), safe_ratio(tp, tp + fn), safe_ratio(2 * tp, 2 * tp + fp + fn)


def author_labels(
    judgement: AuthorJudgement, k: int | None = None
) -> tuple[list[bool], list[bool]]:
    """The harness's ``true_labels`` / ``pred_labels`` for an author-task judgement of the whole
    plan, keeping the plan's first ``k`` names (all when None)."""
    kept = {a.name for a in judgement.plan[:k]}
    matched_names: set[str] = set()
    found = []
    for record in judgement.bench_records():
        value = record["name_in_plan"]
        names = [] if value is None else value if isinstance(value, list) else [value]
        matched_names.update(str(n) for n in names)
        found.append(bool(names) and all(n in kept for n in names))
    extra = len(kept - matched_names)  # distinct plan names that match nothing
    return [True] * len(found) + [False] * extra, found + [True] * extra


def reviewer_labels(
    judgement: ReviewerJudgement, k: int | None = None
) -> tuple[list[bool], list[bool]]:
    """The harness's ``true_labels`` / ``pred_labels`` for a reviewer-task judgement, keeping the
    first ``k`` decisions (all when None)."""
    appears = judgement.appears()[:k]
    requested = judgement.num_requested
    overlap = min(sum(appears), requested)
    absent = appears.count(False)
    return (
        [True] * requested + [False] * absent,
        [True] * overlap + [False] * (requested - overlap) + [True] * absent,
    )


def bench_labels(
    judgement: AuthorJudgement | ReviewerJudgement, k: int | None = None
) -> tuple[list[bool], list[bool]]:
    """The harness's label vectors for either task."""
    if isinstance(judgement, AuthorJudgement):
        return author_labels(judgement, k)
    return reviewer_labels(judgement, k)


def score_author_bench(
    judgement: AuthorJudgement, *, k: int | None = None, plan_cost: float = 0.0
) -> PaperScore:
    """An author-task judgement of the whole plan, scored as the harness scores it at ``k``."""
    true, pred = author_labels(judgement, k)
    precision, recall, f1 = _rates(true, pred)
    reference_size = len(judgement.reference)
    kept = judgement.plan[:k]
    found = pred[:reference_size]
    plan_to_ref = [
        [m.reference for m in judgement.matches if m.plan == rank] for rank in range(len(kept))
    ]
    return PaperScore(
        id=judgement.paper_id,
        task=Mode.AUTHOR,
        precision=precision,
        recall=recall,
        f1_score=f1,
        ndcg_score=ndcg_set(found, len(kept)),
        ndcg_ranked=ndcg_ranked(first_hits(plan_to_ref), reference_size, k),
        cost=judgement.usage.cost_usd or 0.0,
        plan_cost=plan_cost,
        plan_size=len(kept),
        reference_size=reference_size,
    )


def score_reviewer_bench(
    judgement: ReviewerJudgement, *, k: int | None = None, plan_cost: float = 0.0
) -> PaperScore:
    """A reviewer-task judgement of the whole plan, scored as the harness scores it at ``k``."""
    true, pred = reviewer_labels(judgement, k)
    precision, recall, f1 = _rates(true, pred)
    appears = judgement.appears()[:k]
    requested = judgement.num_requested
    hits, credited = [], 0
    for hit in appears:
        hits.append(hit and credited < requested)
        credited += hit
    return PaperScore(
        id=judgement.paper_id,
        task=Mode.REVIEWER,
        precision=precision,
        recall=recall,
        f1_score=f1,
        ndcg_score=None,
        ndcg_ranked=ndcg_ranked(hits, requested, k),
        cost=judgement.usage.cost_usd or 0.0,
        plan_cost=plan_cost,
        plan_size=len(appears),
        reference_size=requested,
    )
