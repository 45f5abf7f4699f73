"""``ablab bench``: plan every paper of a dataset, judge the plans, summarise.

Layout of the run folder::

    bench.json     the planner, model, k and dataset of the run (a rerun must match them)
    plans/         a run directory (<id>.jsonl, <id>.plan.json, <id>.md, plans.json)
    eval/          evaluations.json, <id>.jsonl judge decisions, summary.json

Plans already in ``plans/`` are reused, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ablab._util.atomic import atomic_write_text
from ablab.api import PlanSpec, build_planner
from ablab.bench.datasets import Dataset, DatasetKind
from ablab.bench.evaluate import Evaluation, evaluate_plans, write_evaluation
from ablab.bench.paper_files import load_task_paper
from ablab.errors import ConfigError, DatasetError
from ablab.judges.base import Judge
from ablab.runs import RunEvent, run_plans_sync
from ablab.runs.files import prepare_output_dir
from ablab.runs.plans import PlanSet, load_plans

CONFIG_FILE = "bench.json"


@dataclass
class BenchResult:
    """What a bench run produced."""

    evaluation: Evaluation
    """Scores, decisions and summary."""
    planned: int = 0
    """Papers planned in this call."""
    reused: int = 0
    """Papers whose plan was already in the run folder."""
    failures: dict[str, str] = field(default_factory=dict)
    """Paper id -> why planning failed (those papers have no plan and score 0)."""


def _check_config(out: Path, config: dict[str, Any]) -> None:
    path = out / CONFIG_FILE
    if path.exists():
        try:
            previous = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            raise ConfigError(f"{path}: not valid JSON; fix or remove it") from None
        if previous != config:
            raise ConfigError(
                f"{out} holds a bench run with other settings ({previous}); "
                "use a new --out folder or delete it"
            )
    else:
        atomic_write_text(path, json.dumps(config, indent=2) + "\n")


def run_bench(
    dataset: Dataset,
    *,
    planner: str,
    judge: Judge,
    out: Path,
    k: int | None = None,
    papers_dir: Path | None = None,
    planner_options: dict[str, Any] | None = None,
    on_paper: Callable[[str, str], None] | None = None,
    metrics: str = "ablab",
) -> BenchResult:
    """Plan, judge and summarise ``dataset`` with ``planner`` and ``judge`` in folder ``out``
    (scored with ablab's or AblationBench's definitions, ``metrics``)."""
    if dataset.kind not in (DatasetKind.AUTHOR, DatasetKind.REVIEWER):
        raise DatasetError(f"{dataset.name} is a judge-evaluation set; bench needs a task dataset")
    options = dict(planner_options or {})
    model = options.pop("model", None)
    spec = PlanSpec(planner=planner, model=model, options=options)
    spec.check()
    config = {"dataset": dataset.name, "planner": planner, "k": k, "options": planner_options or {}}
    prepare_output_dir(out)
    _check_config(out, config)
    plans_dir = out / "plans"
    papers = [load_task_paper(task, dataset.root, papers_dir)[0] for task in dataset.tasks]
    status_of = {"done": "planned", "skipped": "reused"}

    def on_event(event: RunEvent) -> None:
        result = event.result
        status = status_of.get(result.status) or f"{result.status}: {result.error or ''}"
        if on_paper is not None:
            on_paper(result.paper_id or result.source, status.rstrip(": "))

    # The batch engine, as for `ablab plan --out`: resume, cache, call log, one lock.
    summary = run_plans_sync(
        papers, build_planner(spec), mode=dataset.kind.mode, k=k, out=plans_dir, on_event=on_event
    )
    failures = {
        r.paper_id or r.source: (r.error or "failed").splitlines()[0]
        for r in summary.results
        if r.status != "done" and r.status != "skipped"
    }
    result_counts = {"planned": summary.count("done"), "reused": summary.count("skipped")}
    plans = load_plans(plans_dir, dataset.kind.mode) if plans_dir.exists() else None
    if plans is None:
        plans = PlanSet()
    plans.problems.update({pid: f"planning failed: {why}" for pid, why in failures.items()})
    evaluation = evaluate_plans(
        dataset, plans, judge, papers_dir=papers_dir, plans_source=str(plans_dir), metrics=metrics
    )
    evaluation.summary.planner = planner
    evaluation.summary.model = str(options.get("model") or evaluation.summary.model or "offline")
    write_evaluation(evaluation, out / "eval")
    return BenchResult(evaluation, failures=failures, **result_counts)
