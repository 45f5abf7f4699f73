"""The composition root: what the CLI, the web app, bench and library users call to plan papers.

A :class:`PlanSpec` says what to plan with (planner, model, their options); :func:`build_planner`
is the one place that applies the planner/model rules and wraps the model, always in the same
order: the provider's model, then the response cache. The call log is added per paper by the
batch engine (:func:`ablab.runs.run_plans`), which owns the run directory. :func:`plan_paper` and
every front end take the same path: spec -> planner -> :func:`ablab.planners.base.make_plan`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ablab._util.aio import run_sync
from ablab.analysis.identity import method_names
from ablab.design import offline_design
from ablab.design.lm import lm_design
from ablab.design.model import StudyDesign
from ablab.errors import ConfigError, PlanError
from ablab.export import Export, map_plan, read_config, read_plan
from ablab.export import export_plan as export_to
from ablab.export.labels import slug
from ablab.models.base import GenerateParams, Model
from ablab.models.cache import CachedModel, ResponseCache, aclose_model
from ablab.models.registry import get_model
from ablab.papers import load_paper
from ablab.papers.views import paper_view
from ablab.planners import check_planner, get_planner
from ablab.planners.base import AsyncPlanner, Planner, as_async, finish_plan, make_plan
from ablab.results import AblationTable, Interval, build_table, read_results
from ablab.schema import DEFAULT_K, Ablation, Mode, Paper, Plan

__all__ = [
    "MODEL_OPTIONAL_PLANNERS",
    "MODEL_PLANNERS",
    "PlanSpec",
    "ablation_table",
    "build_model",
    "build_planner",
    "design_ablation",
    "export_plan",
    "find_ablation",
    "finish_plan",
    "paper_view",
    "plan_paper",
]

MODEL_PLANNERS = frozenset({"lm", "hybrid"})
"""Planners that need a model."""

MODEL_OPTIONAL_PLANNERS = frozenset({"consensus"})
"""Planners that use a model when one is given (consensus: its members are lm@model)."""


@dataclass(frozen=True)
class PlanSpec:
    """What to plan with: a planner, its model and their options."""

    planner: str | None = None
    """Planner name; None: ``lm`` when a model is given, else ``heuristic``."""
    model: str | Model | None = None
    """A ``provider/model`` name, or a Model object used as given."""
    base_url: str | None = None
    """Endpoint overriding the provider's."""
    timeout: float | None = None
    """Seconds one model request may take; None: the provider's default (longer for local
    servers)."""
    structured: str = "auto"
    """How JSON answers are asked for (see :mod:`ablab.models.dialects`)."""
    cache: bool = True
    """Keep and reuse answers (for models given by name)."""
    cache_dir: Path | None = None
    """Where answers are kept (default: ``$ABLAB_CACHE_DIR`` or the user cache folder)."""
    max_input_tokens: int | None = None
    """Cap on prompt tokens (model planners)."""
    max_output_tokens: int | None = None
    """Longest answer asked of the model (model planners); None: the provider's default."""
    digests: Path | None = None
    """Digest folder or file grounding the hybrid planner."""
    options: Mapping[str, Any] = field(default_factory=dict)
    """Further planner options."""

    @property
    def model_name(self) -> str | None:
        """The model's full name, if there is a model."""
        if self.model is None or isinstance(self.model, str):
            return self.model
        return self.model.name

    @property
    def planner_name(self) -> str:
        """The planner to use; ConfigError when planner and model do not go together."""
        name = self.planner or ("lm" if self.model else "heuristic")
        if name in MODEL_PLANNERS and not self.model:
            raise ConfigError(
                f"the {name} planner needs --model provider/model "
                "(see `ablab models`; fake/heuristic works offline)"
            )
        if self.model and name not in MODEL_PLANNERS | MODEL_OPTIONAL_PLANNERS:
            raise ConfigError(f"the {name} planner uses no model; drop --model or use --planner lm")
        if self.digests is not None and name != "hybrid":
            raise ConfigError(
                "--digests grounds the hybrid planner: add --planner hybrid --model ..."
            )
        return name

    def planner_options(self) -> dict[str, Any]:
        """Options of the planner besides its model (for checks and records)."""
        options = dict(self.options)
        if self.max_input_tokens is not None:
            options["max_input_tokens"] = self.max_input_tokens
        if self.max_output_tokens is not None:
            options["params"] = GenerateParams(max_output_tokens=self.max_output_tokens)
        if self.digests is not None:
            options["digests"] = self.digests
        return options

    def check(self) -> None:
        """ConfigError unless the planner can be built (before the first paper, not per paper)."""
        name = self.planner_name
        model = {"model": self.model_name} if self.model is not None else {}
        check_planner(name, **model, **self.planner_options())


def build_model(
    name: str,
    *,
    base_url: str | None = None,
    timeout: float | None = None,
    structured: str = "auto",
    cache: bool = True,
    cache_dir: Path | None = None,
) -> Model:
    """The model called ``name``, behind the response cache unless ``cache`` is False."""
    model = get_model(name, base_url=base_url, timeout=timeout, structured=structured)
    return CachedModel(model, ResponseCache(cache_dir)) if cache else model


def build_planner(spec: PlanSpec) -> AsyncPlanner:
    """The planner ``spec`` asks for, with its model built and wrapped (see the module docs)."""
    name = spec.planner_name
    options = spec.planner_options()
    if spec.model is None:
        return as_async(get_planner(name, **options))
    if name in MODEL_OPTIONAL_PLANNERS:
        # Its members build their own models from the name; samples must not share a cache.
        return as_async(get_planner(name, model=spec.model_name, **options))
    model = spec.model
    if isinstance(model, str):
        model = build_model(
            model,
            base_url=spec.base_url,
            timeout=spec.timeout,
            structured=spec.structured,
            cache=spec.cache,
            cache_dir=spec.cache_dir,
        )
    return as_async(get_planner(name, model=model, **options))


_SPEC_FIELDS = frozenset(
    {
        "model",
        "base_url",
        "timeout",
        "structured",
        "cache",
        "cache_dir",
        "max_input_tokens",
        "max_output_tokens",
        "digests",
    }
)


def plan_paper(
    paper: Paper | str | Path,
    *,
    mode: Mode | str = Mode.AUTHOR,
    k: int | None = None,
    planner: str | Planner | AsyncPlanner = "heuristic",
    **options: Any,
) -> Plan:
    """Plan up to ``k`` ablations for ``paper`` (a Paper or a path to one).

    ``k`` defaults to 5 in author mode and 2 in reviewer mode, as in AblationBench. ``options``
    are :class:`PlanSpec` fields (``model=``, ``base_url=``, ``cache=``...) or options of the
    planner. A model given by name answers through the response cache, as in the CLI. Raises
    PlanError instead of returning an empty plan.
    """
    mode = Mode(mode)
    if not isinstance(paper, Paper):
        paper = load_paper(paper)
    k = k if k is not None else DEFAULT_K[mode]
    if k < 1:
        raise PlanError(f"k must be at least 1, got {k}")
    if isinstance(planner, str):
        spec_fields = {key: value for key, value in options.items() if key in _SPEC_FIELDS}
        rest = {key: value for key, value in options.items() if key not in _SPEC_FIELDS}
        built = build_planner(PlanSpec(planner=planner, options=rest, **spec_fields))
    else:
        built = as_async(planner)
    return run_sync(_plan_and_close(built, paper, mode, k))


async def _plan_and_close(planner: AsyncPlanner, paper: Paper, mode: Mode, k: int) -> Plan:
    try:
        return (await make_plan(planner, paper, mode=mode, k=k)).plan
    finally:
        if planner.model is not None:
            await aclose_model(planner.model)


def find_ablation(plan: Plan, wanted: str | int) -> Ablation:
    """The plan item named ``wanted`` (its rank, its name, or its label as ``ablab export``
    writes it); ConfigError listing the plan's items otherwise."""
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
    if not isinstance(paper, Paper):
        paper = load_paper(paper)
    if not isinstance(ablation, Ablation):
        ablation = find_ablation(plan or plan_paper(paper, mode=mode), ablation)
    draft = offline_design(
        paper, ablation, method_names=set(method_names(paper.title, paper.abstract))
    )
    if model is None:
        return draft
    if isinstance(model, str):
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
    if not isinstance(plan, Plan):
        plan = read_plan(Path(plan), paper_id)
    config_path = Path(config) if config else None
    return export_to(plan, to, config=config_path, program=program, seeds=seeds)
