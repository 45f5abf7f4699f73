"""ablab: plan and judge ablation studies of machine-learning papers.

Typical use::

    import ablab
    plan = ablab.plan("paper.pdf", mode="reviewer")
    print(ablab.render_trajectory(ablab.Trajectory.from_plan(plan)))
"""

from ablab._util.version import __version__
from ablab.analysis import analyze
from ablab.api import plan_paper
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
    "analyze",
    "author_view",
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
