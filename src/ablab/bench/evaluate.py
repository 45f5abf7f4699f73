"""Score a set of plans against a dataset with a judge, and write AblationBench's layout.

Output folder:

    evaluations.json   one record per paper: id, precision, recall, f1_score, ndcg_score, cost,
                       plus ndcg_ranked, sizes, warnings, AblationBench's true/pred label vectors
                       (its harness's, from which its precision and F1 follow) and the judge's
                       decisions (matches or per-item verdicts)
    <paper_id>.jsonl   the judge's decisions in AblationBench's judge format (what
                       ``ablab eval-judge`` reads)
    summary.json       macro means with standard deviation and bootstrap 95% intervals
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ablab._util.atomic import atomic_write_text
from ablab._util.jsonl import json_line
from ablab._util.text import reason
from ablab.bench.ablationbench import (
    METRICS,
    bench_labels,
    score_author_bench,
    score_reviewer_bench,
)
from ablab.bench.datasets import Dataset, DatasetKind, PaperTask
from ablab.bench.metrics import Aggregate, aggregate
from ablab.bench.paper_files import load_task_paper
from ablab.bench.scoring import PaperScore, score_author, score_reviewer
from ablab.errors import ConfigError, DatasetError
from ablab.judges.base import AuthorJudgement, Judge, PaperContext, ReviewerJudgement
from ablab.runs.files import check_file_id, prepare_output_dir
from ablab.runs.plans import LoadedPlan, PlanSet
from ablab.schema import Mode

EVALUATIONS_FILE = "evaluations.json"
SUMMARY_FILE = "summary.json"
SCORE_FIELDS = ("precision", "recall", "f1_score", "ndcg_score", "ndcg_ranked")
"""Per-paper scores that are aggregated."""


class EvaluationSummary(BaseModel):
    """What one evaluation run measured, for leaderboards."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    dataset: str
    """Dataset name (path or hub name, and split)."""
    task: Mode
    """author or reviewer."""
    judge: str
    """Judge name."""
    planner: str = ""
    """Planner that made the plans, when known."""
    model: str = ""
    """Planner's model, when known."""
    plans: str = ""
    """Where the plans were read from."""
    top_k: int | None = None
    """Only the first ``top_k`` planned ablations were scored (None = all)."""
    metrics: str = "ablab"
    """Scoring definitions: ``ablab`` (the plan cut to top_k, then judged; precision over plan
    items) or ``ablationbench`` (the harness's: the whole plan judged, matches past top_k
    dropped; precision over matched ground-truth items and unmatched plan names)."""
    papers: int
    """Papers scored."""
    missing_plans: int = 0
    """Dataset papers without a readable plan (scored 0)."""
    scores: dict[str, Aggregate] = Field(default_factory=dict)
    """Aggregates of precision, recall, f1_score, ndcg_score (author only), ndcg_ranked."""
    judge_cost: float = 0.0
    """Total judge cost in US dollars."""
    plan_cost: float = 0.0
    """Total planning cost in US dollars, when known."""


class Evaluation(BaseModel):
    """Scores and decisions of one evaluation run."""

    model_config = ConfigDict(extra="forbid")

    summary: EvaluationSummary
    records: list[PaperScore]
    judgements: list[AuthorJudgement | ReviewerJudgement]


def _context(
    task: PaperTask, dataset: Dataset, papers_dir: Path | None
) -> tuple[PaperContext, list[str]]:
    paper, warnings = load_task_paper(task, dataset.root, papers_dir)
    text = "\n\n".join(f"{s.title}\n{s.text}" for s in paper.walk())
    context = PaperContext(
        paper_id=task.id,
        title=task.paper_title or paper.title,
        abstract=task.paper_abstract or paper.abstract,
        text=text,
    )
    return context, [f"judge saw no paper text: {w}" for w in warnings]


def judge_task(
    task: PaperTask,
    mode: Mode,
    loaded: LoadedPlan | None,
    judge: Judge,
    context: PaperContext,
    top_k: int | None = None,
    metrics: str = "ablab",
) -> tuple[PaperScore, AuthorJudgement | ReviewerJudgement]:
    """Judge and score one paper's plan (a paper without a plan, e.g. one whose planning failed,
    scores 0 as in AblationBench, and its record says why).

    ``metrics="ablab"`` judges the plan cut to ``top_k``; ``"ablationbench"`` judges the whole
    plan and scores it as the harness does (see :mod:`ablab.bench.ablationbench`).
    """
    if metrics not in METRICS:
        raise ConfigError(f"unknown metrics {metrics!r}; choose one of: {', '.join(METRICS)}")
    bench = metrics == "ablationbench"
    ablations = list(loaded.ablations if loaded else [])
    if not bench:
        ablations = ablations[:top_k]
    plan_cost = loaded.cost if loaded else 0.0
    if mode is Mode.AUTHOR:
        author = judge.judge_author(task.ablations, ablations, context)
        score_a = score_author_bench if bench else score_author
        return score_a(author, k=top_k, plan_cost=plan_cost), author
    reviewer = judge.judge_reviewer(task.reviews, task.num_ablation_suggestions, ablations, context)
    score_r = score_reviewer_bench if bench else score_reviewer
    return score_r(reviewer, k=top_k, plan_cost=plan_cost), reviewer


def evaluate_plans(
    dataset: Dataset,
    plans: PlanSet,
    judge: Judge,
    *,
    top_k: int | None = None,
    papers_dir: Path | None = None,
    plans_source: str = "",
    on_done: Callable[[PaperScore], None] | None = None,
    metrics: str = "ablab",
) -> Evaluation:
    """Judge every dataset paper's plan and aggregate the scores (macro over papers), with
    ablab's or AblationBench's scoring definitions (``metrics``)."""
    if dataset.kind not in (DatasetKind.AUTHOR, DatasetKind.REVIEWER):
        raise DatasetError(f"{dataset.name} is a judge-evaluation set; use `ablab eval-judge`")
    mode = dataset.kind.mode
    records: list[PaperScore] = []
    judgements: list[AuthorJudgement | ReviewerJudgement] = []
    for task in dataset.tasks:
        loaded = plans.plans.get(task.id)
        context, warnings = _context(task, dataset, papers_dir)
        score, judgement = judge_task(task, mode, loaded, judge, context, top_k, metrics)
        if loaded is None:
            why = plans.problems.get(task.id, "no plan for this paper")
            warnings.insert(0, f"no plan, scored 0: {why}")
        score.warnings.extend(warnings)
        records.append(score)
        judgements.append(judgement)
        if on_done is not None:
            on_done(score)
    known = [p for p in plans.plans.values() if p.planner or p.model]
    summary = EvaluationSummary(
        dataset=dataset.name,
        task=mode,
        judge=judge.name,
        planner=known[0].planner if known else "",
        model=known[0].model if known else "",
        plans=plans_source,
        top_k=top_k,
        metrics=metrics,
        papers=len(records),
        missing_plans=sum(t.id not in plans.plans for t in dataset.tasks),
        scores=summarise(records),
        judge_cost=sum(r.cost for r in records),
        plan_cost=sum(r.plan_cost for r in records),
    )
    return Evaluation(summary=summary, records=records, judgements=judgements)


def summarise(records: list[PaperScore]) -> dict[str, Aggregate]:
    """Aggregate each score over papers (nDCG-set only where it is defined)."""
    result = {}
    for name in SCORE_FIELDS:
        values = [getattr(r, name) for r in records if getattr(r, name) is not None]
        if values:
            result[name] = aggregate(values)
    return result


def evaluation_records(evaluation: Evaluation) -> list[dict[str, Any]]:
    """The ``evaluations.json`` records."""
    rows = []
    k = evaluation.summary.top_k if evaluation.summary.metrics == "ablationbench" else None
    for score, judgement in zip(evaluation.records, evaluation.judgements, strict=True):
        row: dict[str, Any] = score.model_dump(mode="json")
        # The harness's label vectors; its precision and F1 (`--metrics ablationbench`) are
        # computed from them, ablab's are not (see ablab.bench.ablationbench).
        row["true_labels"], row["pred_labels"] = bench_labels(judgement, k)
        if isinstance(judgement, AuthorJudgement):
            row["matches"] = [m.model_dump(mode="json") for m in judgement.matches]
        else:
            row["decisions"] = [d.model_dump(mode="json") for d in judgement.decisions]
        rows.append(row)
    return rows


def write_evaluation(evaluation: Evaluation, out: Path) -> None:
    """Write evaluations.json, one judgement file per paper, then summary.json (last)."""
    prepare_output_dir(out)
    for judgement in evaluation.judgements:
        lines = [json_line(r) for r in judgement.bench_records()]
        name = f"{check_file_id(judgement.paper_id)}.jsonl"
        atomic_write_text(out / name, "".join(f"{x}\n" for x in lines))
    records = json.dumps(evaluation_records(evaluation), indent=2, ensure_ascii=False)
    atomic_write_text(out / EVALUATIONS_FILE, records + "\n")
    atomic_write_text(out / SUMMARY_FILE, evaluation.summary.model_dump_json(indent=2) + "\n")


def read_summary(path: Path) -> EvaluationSummary:
    """A ``summary.json`` (or the folder holding one)."""
    file = path / SUMMARY_FILE if path.is_dir() else path
    try:
        return EvaluationSummary.model_validate_json(file.read_text(encoding="utf-8"))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "top level"
        problem = f"{where}: {first['msg']}"
    except (OSError, ValueError) as exc:
        problem = reason(exc)
    raise DatasetError(f"{file}: not an ablab evaluation summary ({problem})")
