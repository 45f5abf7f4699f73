"""The library's front door: plan a paper in one call."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ablab import __version__
from ablab.errors import PlanError
from ablab.papers import author_view, load_paper
from ablab.planners import get_planner
from ablab.schema import DEFAULT_K, Mode, Paper, Plan


def paper_view(paper: Paper, mode: Mode) -> Paper:
    """The part of the paper a planner may see: cut before the experiments in author mode."""
    return author_view(paper) if mode is Mode.AUTHOR else paper


def plan_paper(
    paper: Paper | str | Path,
    *,
    mode: Mode | str = Mode.AUTHOR,
    k: int | None = None,
    planner: str = "heuristic",
    **options: Any,
) -> Plan:
    """Plan up to ``k`` ablations for ``paper`` (a Paper or a path to one).

    ``k`` defaults to 5 in author mode and 2 in reviewer mode, as in AblationBench. ``options`` go
    to the planner (e.g. ``model=`` for language-model planners). Raises PlanError instead of
    returning an empty plan.
    """
    mode = Mode(mode)
    if not isinstance(paper, Paper):
        paper = load_paper(paper)
    k = k if k is not None else DEFAULT_K[mode]
    if k < 1:
        raise PlanError(f"k must be at least 1, got {k}")
    result = get_planner(planner, **options).plan(paper_view(paper, mode), mode=mode, k=k)
    return finish_plan(result, paper, k)


def finish_plan(plan: Plan, paper: Paper, k: int) -> Plan:
    """Check a planner's output and stamp its provenance (paper hash, title, k, ablab version).

    Raises PlanError for an empty plan: an empty plan is never presented as a result.
    """
    if not plan.ablations:
        raise PlanError(f"planner {plan.planner!r} found no ablation to propose for {paper.id!r}")
    return plan.model_copy(
        update={
            "ablations": plan.ablations[:k],
            "k": k,
            "paper_title": plan.paper_title or paper.title,
            "paper_hash": paper.content_hash,
            "versions": {"ablab": __version__, **plan.versions},
        }
    )
