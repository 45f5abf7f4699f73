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
from ablab.errors import ConfigError, PlanError
from ablab.models.base import Model
from ablab.models.cache import CachedModel, ResponseCache, aclose_model
from ablab.models.openai_compat import DEFAULT_TIMEOUT
from ablab.models.registry import get_model
from ablab.papers import load_paper
from ablab.papers.views import paper_view
from ablab.planners import check_planner, get_planner
from ablab.planners.base import AsyncPlanner, Planner, as_async, finish_plan, make_plan
from ablab.schema import DEFAULT_K, Mode, Paper, Plan

__all__ = [
    "MODEL_OPTIONAL_PLANNERS",
    "MODEL_PLANNERS",
    "PlanSpec",
    "build_model",
    "build_planner",
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
    timeout: float = DEFAULT_TIMEOUT
    """Seconds one model request may take."""
    cache: bool = True
    """Keep and reuse answers (for models given by name)."""
    cache_dir: Path | None = None
    """Where answers are kept (default: ``$ABLAB_CACHE_DIR`` or the user cache folder)."""
    max_input_tokens: int | None = None
    """Cap on prompt tokens (model planners)."""
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
    timeout: float = DEFAULT_TIMEOUT,
    cache: bool = True,
    cache_dir: Path | None = None,
) -> Model:
    """The model called ``name``, behind the response cache unless ``cache`` is False."""
    model = get_model(name, base_url=base_url, timeout=timeout)
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
            cache=spec.cache,
            cache_dir=spec.cache_dir,
        )
    return as_async(get_planner(name, model=model, **options))


_SPEC_FIELDS = frozenset(
    {"model", "base_url", "timeout", "cache", "cache_dir", "max_input_tokens", "digests"}
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
