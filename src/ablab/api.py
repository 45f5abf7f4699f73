"""The library's front door: plan a paper in one call."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ablab.errors import PlanError
from ablab.papers import load_paper
from ablab.papers.views import paper_view
from ablab.planners import get_planner
from ablab.planners.base import finish_plan
from ablab.schema import DEFAULT_K, Mode, Paper, Plan

__all__ = ["finish_plan", "paper_view", "plan_paper"]


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
