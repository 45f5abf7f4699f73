"""Read the plans to score: ablab or AblationBench run directories, or trajectory Markdown.

- A run directory holds ``<paper_id>.jsonl`` per paper (AblationBench predictions) and usually
  ``plans.json`` (``{id: {"predictions": "<jsonl>", "cost": float}}``); ablab also writes
  ``<paper_id>.plan.json`` with the full plan, which is preferred when present.
- A paper that failed has an entry in ``failures.json`` and, for AblationBench's harness, an
  empty ``<paper_id>.jsonl``: it is reported as a problem ("planning failed: ..."), never read as
  an empty plan. So is an empty predictions file without such an entry (AblationBench's planners
  write one when a paper fails).
- Trajectory Markdown (the benchmark's published plans): one ``.md`` file, or a folder of them;
  the paper id is the last part of each file's title line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ablab.errors import AblabError, DatasetError
from ablab.formats.predictions import parse_predictions
from ablab.formats.trajectory import parse_trajectory
from ablab.runs.files import PLANS_INDEX, is_file_id, load_plan, read_failures, read_plans_index
from ablab.schema import Ablation, Mode, Plan


@dataclass
class LoadedPlan:
    """A plan to score and where it came from."""

    paper_id: str
    """Paper id."""
    ablations: list[Ablation]
    """Planned ablations, most important first."""
    cost: float = 0.0
    """What producing the plan cost (from plans.json or the plan's usage)."""
    source: str = ""
    """File the plan was read from."""
    plan: Plan | None = None
    """The full plan when the source had one (ablab run directories, trajectories)."""
    planner: str = ""
    """Planner name, when known."""
    model: str = ""
    """Model name, when known."""


@dataclass
class PlanSet:
    """Plans by paper id, with what could not be read."""

    plans: dict[str, LoadedPlan] = field(default_factory=dict)
    """Readable plans."""
    problems: dict[str, str] = field(default_factory=dict)
    """Paper id -> why its plan could not be read."""


def _cost(value: object) -> float:
    try:
        return float(value) if isinstance(value, int | float | str) else 0.0
    except ValueError:
        return 0.0


def _from_run_dir(folder: Path) -> PlanSet:
    result = PlanSet()
    try:
        index = read_plans_index(folder)
    except AblabError as exc:
        raise DatasetError(str(exc)) from None
    failed = {
        str(entry["paper_id"]): str(entry.get("error") or "failed").splitlines()[0]
        for entry in read_failures(folder).values()
        if entry.get("paper_id")
    }
    ids = {p.name.removesuffix(".jsonl") for p in folder.glob("*.jsonl")} | set(index) | set(failed)
    for paper_id in sorted(ids):
        if not is_file_id(paper_id):  # a key of plans.json must not choose a file elsewhere
            result.problems[paper_id] = (
                f"{folder / PLANS_INDEX}: id {paper_id!r} cannot name a file"
            )
            continue
        full = folder / f"{paper_id}.plan.json"
        entry = index.get(paper_id)
        cost = _cost(entry.get("cost")) if isinstance(entry, dict) else 0.0
        try:
            if full.is_file():
                plan = load_plan(full)
                cost = cost or plan.usage.cost_usd or 0.0
                result.plans[paper_id] = LoadedPlan(
                    paper_id, plan.ablations, cost, str(full), plan, plan.planner, plan.model
                )
                continue
            if paper_id in failed:
                result.problems[paper_id] = f"planning failed: {failed[paper_id]}"
                continue
            jsonl = folder / f"{paper_id}.jsonl"
            if jsonl.is_file():
                text, source = jsonl.read_text(encoding="utf-8"), str(jsonl)
            elif isinstance(entry, dict):
                text, source = str(entry.get("predictions") or ""), f"{folder / PLANS_INDEX}"
            else:
                continue
            ablations = parse_predictions(text, source)
            if not ablations:  # what AblationBench's planners leave when a paper fails
                result.problems[paper_id] = f"{source}: empty plan file (planning failed?)"
                continue
            result.plans[paper_id] = LoadedPlan(paper_id, ablations, cost, source)
        except UnicodeDecodeError:
            result.problems[paper_id] = f"{folder / paper_id}: a plan file is not UTF-8 text"
        except (AblabError, ValidationError, OSError) as exc:
            result.problems[paper_id] = str(exc).splitlines()[0]
    return result


def _from_trajectories(files: list[Path]) -> PlanSet:
    result = PlanSet()
    for path in files:
        try:
            trajectory = parse_trajectory(path.read_text(encoding="utf-8"), str(path))
        except UnicodeDecodeError:
            result.problems[path.stem] = f"{path}: not UTF-8 text"
            continue
        except (AblabError, OSError) as exc:
            result.problems[path.stem] = str(exc).splitlines()[0] or f"{path}: unreadable"
            continue
        plan = trajectory.to_plan()
        result.plans[trajectory.paper_id] = LoadedPlan(
            trajectory.paper_id,
            plan.ablations,
            0.0,
            str(path),
            plan,
            trajectory.planner,
            trajectory.model,
        )
    return result


def load_plans(path: Path, mode: Mode | None = None) -> PlanSet:
    """Plans from a run directory, a trajectory file, or a folder of trajectories.

    With ``mode``, trajectories of the other task (the other plan-box colour) are left out and
    reported as problems.
    """
    if path.is_file():
        if path.suffix.lower() != ".md":
            raise DatasetError(f"{path}: expected a run directory or trajectory Markdown (.md)")
        found = _from_trajectories([path])
        if found.problems and not found.plans:  # the one plan asked for cannot be read
            raise DatasetError(next(iter(found.problems.values())))
    elif path.is_dir():
        markdown = sorted(path.glob("*.md"))
        has_run_files = any(path.glob("*.jsonl")) or (path / PLANS_INDEX).exists()
        found = _from_run_dir(path) if has_run_files else _from_trajectories(markdown)
    else:
        raise DatasetError(f"{path}: no such plans file or folder")
    if mode is not None:
        for paper_id, loaded in list(found.plans.items()):
            if (
                loaded.plan is not None
                and loaded.plan.mode is not mode
                and loaded.source.endswith(".md")
            ):
                del found.plans[paper_id]
                found.problems[paper_id] = (
                    f"{loaded.source} is a {loaded.plan.mode.value}-task plan"
                )
    if not found.plans and not found.problems:
        raise DatasetError(f"{path}: no plans found (.jsonl, .plan.json, plans.json or .md)")
    return found
