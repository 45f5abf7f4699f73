"""ablab: plan and judge ablation studies of machine-learning papers.

Typical use::

    import ablab
    plan = ablab.plan("paper.pdf", mode="reviewer")
    print(ablab.render_trajectory(ablab.Trajectory.from_plan(plan)))
"""

__version__ = "0.1.0"

from ablab.analysis import analyze  # noqa: E402
from ablab.api import ablation_table, design_ablation, export_plan, plan_paper  # noqa: E402
from ablab.digest import Digest, parse_digest, render_digest, write_digest  # noqa: E402
from ablab.errors import AblabError, PaperError, PlanError, TrajectoryFormatError  # noqa: E402
from ablab.judges import get_judge  # noqa: E402
from ablab.models import FakeModel, get_model  # noqa: E402
from ablab.papers import author_view, load_paper, paper_from_markdown  # noqa: E402
from ablab.render.trajectory import parse_trajectory, render_trajectory  # noqa: E402
from ablab.runs import run_plans  # noqa: E402
from ablab.schema import (  # noqa: E402
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

plan = plan_paper
"""Alias of :func:`ablab.api.plan_paper`."""

__all__ = [
    "AblabError",
    "Digest",
    "FakeModel",
    "Ablation",
    "Action",
    "Analysis",
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
