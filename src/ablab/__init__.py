"""ablab: plan and judge ablation studies of machine-learning papers.

Typical use::

    import ablab
    plan = ablab.plan("paper.pdf", mode="reviewer")
    print(ablab.render_trajectory(ablab.Trajectory.from_plan(plan)))

The names below are loaded on first use (PEP 562), so ``import ablab`` and ``ablab --version``
stay fast; ``from ablab import plan`` works as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ablab._util.version import __version__

if TYPE_CHECKING:
    from ablab.analysis import analyze
    from ablab.api import ablation_table, design_ablation, export_plan, plan_paper
    from ablab.api import plan_paper as plan
    from ablab.digest import Digest, parse_digest, render_digest, write_digest
    from ablab.errors import AblabError, PaperError, PlanError, TrajectoryFormatError
    from ablab.formats.trajectory import parse_trajectory, render_trajectory
    from ablab.judges import get_judge
    from ablab.models import FakeModel, get_model
    from ablab.papers import author_view, load_paper, paper_from_markdown
    from ablab.runs import run_plans
    from ablab.schema import (
        Ablation,
        Action,
        Analysis,
        Mode,
        Paper,
        Plan,
        Section,
        Trajectory,
        Usage,
    )

_EXPORTS: dict[str, tuple[str, str]] = {
    "analyze": ("ablab.analysis", "analyze"),
    "plan_paper": ("ablab.api", "plan_paper"),
    "plan": ("ablab.api", "plan_paper"),
    "ablation_table": ("ablab.api", "ablation_table"),
    "design_ablation": ("ablab.api", "design_ablation"),
    "export_plan": ("ablab.api", "export_plan"),
    "Digest": ("ablab.digest", "Digest"),
    "parse_digest": ("ablab.digest", "parse_digest"),
    "render_digest": ("ablab.digest", "render_digest"),
    "write_digest": ("ablab.digest", "write_digest"),
    "AblabError": ("ablab.errors", "AblabError"),
    "PaperError": ("ablab.errors", "PaperError"),
    "PlanError": ("ablab.errors", "PlanError"),
    "TrajectoryFormatError": ("ablab.errors", "TrajectoryFormatError"),
    "parse_trajectory": ("ablab.formats.trajectory", "parse_trajectory"),
    "render_trajectory": ("ablab.formats.trajectory", "render_trajectory"),
    "get_judge": ("ablab.judges", "get_judge"),
    "FakeModel": ("ablab.models", "FakeModel"),
    "get_model": ("ablab.models", "get_model"),
    "author_view": ("ablab.papers", "author_view"),
    "load_paper": ("ablab.papers", "load_paper"),
    "paper_from_markdown": ("ablab.papers", "paper_from_markdown"),
    "run_plans": ("ablab.runs", "run_plans"),
    **{
        name: ("ablab.schema", name)
        for name in (
            "Ablation",
            "Action",
            "Analysis",
            "Mode",
            "Paper",
            "Plan",
            "Section",
            "Trajectory",
            "Usage",
        )
    },
}
"""Public name -> (module, attribute); ``plan`` is an alias of :func:`ablab.api.plan_paper`."""

__all__ = [
    "AblabError",
    "Ablation",
    "Action",
    "Analysis",
    "Digest",
    "FakeModel",
    "Mode",
    "Paper",
    "PaperError",
    "Plan",
    "PlanError",
    "Section",
    "Trajectory",
    "TrajectoryFormatError",
    "Usage",
    "__version__",
    "ablation_table",
    "analyze",
    "author_view",
    "design_ablation",
    "export_plan",
    "get_judge",
    "get_model",
    "load_paper",
    "paper_from_markdown",
    "parse_digest",
    "parse_trajectory",
    "plan",
    "plan_paper",
    "render_digest",
    "render_trajectory",
    "run_plans",
    "write_digest",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use."""
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'ablab' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
