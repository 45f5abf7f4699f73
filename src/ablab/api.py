"""The library's front door: plan a paper in one call."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ablab import __version__
from ablab.design.model import StudyDesign
from ablab.errors import ConfigError, PlanError
from ablab.models.base import Model
from ablab.papers import author_view, load_paper
from ablab.planners import get_planner
from ablab.schema import DEFAULT_K, Ablation, Mode, Paper, Plan

if TYPE_CHECKING:
    from ablab.export import Export
    from ablab.results import AblationTable


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


def find_ablation(plan: Plan, wanted: str | int) -> Ablation:
    """The plan item named ``wanted`` (its rank, its name, or its label as ``ablab export``
    writes it); ConfigError listing the plan's items otherwise."""
    from ablab.export.labels import slug

    text = str(wanted).strip()
    if text.isdigit() and 1 <= int(text) <= len(plan.ablations):
        return plan.ablations[int(text) - 1]
    for ablation in plan.ablations:
        if ablation.name.lower() == text.lower() or slug(ablation.name) == slug(text):
            return ablation
    names = "; ".join(f"{i}. {a.name}" for i, a in enumerate(plan.ablations, 1))
    raise ConfigError(f"no ablation {text!r} in the plan of {plan.paper_id!r}; choose: {names}")


def design_ablation(
    paper: Paper | str | Path,
    ablation: str | int | Ablation,
    *,
    plan: Plan | None = None,
    mode: Mode | str = Mode.AUTHOR,
    model: Model | str | None = None,
    **model_options: Any,
) -> StudyDesign:
    """A detailed design (AbGen's shape) of one ablation of ``paper``.

    ``ablation`` is a plan item, or its rank or name in ``plan`` (by default the offline plan of
    the paper in ``mode``). The offline design comes from the paper's own setup section; with a
    ``model`` it is the model's revision of that draft.
    """
    from ablab.analysis.identity import method_names
    from ablab.design import offline_design

    if not isinstance(paper, Paper):
        paper = load_paper(paper)
    if not isinstance(ablation, Ablation):
        ablation = find_ablation(plan or plan_paper(paper, mode=mode), ablation)
    draft = offline_design(
        paper, ablation, method_names=set(method_names(paper.title, paper.abstract))
    )
    if model is None:
        return draft
    from ablab.design.lm import lm_design

    if isinstance(model, str):
        from ablab.models.registry import get_model

        model = get_model(model, **model_options)
    return lm_design(paper, ablation, draft, model)


def ablation_table(
    results: str | Path,
    plan: Plan | str | Path | None = None,
    *,
    paper_id: str | None = None,
    metrics: list[str] | None = None,
    interval: str = "welch",
    directions: dict[str, bool] | None = None,
    variant_key: str | None = None,
    config: str | Path | None = None,
) -> AblationTable:
    """The ablation table of a results file (long CSV/JSONL or a W&B runs export) for ``plan``
    (a Plan, or a plan file or run directory; ``paper_id`` picks one plan of a run directory).

    For a W&B export, ``variant_key`` names the config column that tells variants apart; with
    ``config`` (the one the plan was exported with) each ablation's own mapped key is used.
    """
    from ablab.export import map_plan, read_config, read_plan
    from ablab.export.labels import slug
    from ablab.results import Interval, build_table, read_results

    if plan is not None and not isinstance(plan, Plan):
        plan = read_plan(Path(plan), paper_id)
    keys: str | dict[str, str] | None = variant_key
    if config is not None and variant_key is None:
        if plan is None:
            raise ConfigError("--config needs --plan: the plan's ablations are mapped onto it")
        mapping = map_plan(plan, read_config(Path(config)))
        keys = {slug(m.ablation.name): m.key.path for m in mapping.mappings if m.key}
    observations = read_results(Path(results), metrics=metrics, variant_key=keys)
    return build_table(
        observations, plan, metrics=metrics, interval=Interval(interval), directions=directions
    )


def export_plan(
    plan: Plan | str | Path,
    to: str,
    *,
    config: str | Path | None = None,
    paper_id: str | None = None,
    program: str = "train.py",
    seeds: int | None = None,
) -> Export:
    """Hydra multirun commands (``to="hydra"``) or W&B sweeps (``"wandb"``) for ``plan``, mapped
    onto the user's ``config`` when given; see :mod:`ablab.export`."""
    from ablab.export import export_plan as export
    from ablab.export import read_plan

    if not isinstance(plan, Plan):
        plan = read_plan(Path(plan), paper_id)
    return export(plan, to, config=Path(config) if config else None, program=program, seeds=seeds)
