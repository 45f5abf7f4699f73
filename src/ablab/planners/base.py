"""The planner protocols and a registry of planners chosen by name.

A :class:`Planner` plans one paper synchronously; an :class:`AsyncPlanner` is what the batch
engine drives: it names its model and output settings (part of a run's fingerprint), plans
asynchronously and can be rebuilt around a wrapped model (the call log). :func:`as_async` gives
any planner that form, and :func:`make_plan` is the one place a plan is made and finished.

Planners are registered lazily as ``"module:attribute"`` strings so that a planner needing an
optional dependency (a model client) costs nothing until it is used.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from ablab._util.version import __version__
from ablab.errors import ConfigError, PlanError
from ablab.formats.predictions import unique_names
from ablab.models.base import Model
from ablab.papers.views import paper_view
from ablab.schema import Mode, Paper, Plan


@runtime_checkable
class Planner(Protocol):
    """Turns a paper (already cut for the mode) into a ranked plan of at most ``k`` ablations."""

    name: str

    def plan(self, paper: Paper, *, mode: Mode, k: int) -> Plan:
        """Plan ablations for ``paper``; raise PlanError rather than return an empty plan."""
        ...


class Outcome(Protocol):
    """A plan with what the planner reports about making it."""

    plan: Plan
    """The plan (not yet finished: :func:`make_plan` cuts it to k and stamps it)."""

    def details(self) -> dict[str, Any]:
        """JSON-able notes logged with the paper (how the paper was fitted, what was mended)."""
        ...


@runtime_checkable
class AsyncPlanner(Protocol):
    """A planner as the batch engine drives it (LM planners are such planners)."""

    name: str

    @property
    def model(self) -> Model | None:
        """The model it asks, if any."""
        ...

    @property
    def output_settings(self) -> dict[str, str]:
        """What, besides paper, model, mode and k, changes its output (part of the fingerprint)."""
        ...

    async def aplan_outcome(self, paper: Paper, *, mode: Mode, k: int) -> Outcome:
        """Plan ``paper`` (already cut for ``mode``); raise PlanError rather than plan nothing."""
        ...

    def with_model(self, model: Model) -> AsyncPlanner:
        """A copy talking to ``model`` (a wrapper of its own model, such as the call log)."""
        ...


@dataclass
class PlainOutcome:
    """The outcome of a planner that reports nothing but its plan."""

    plan: Plan
    notes: dict[str, Any] = field(default_factory=dict)

    def details(self) -> dict[str, Any]:
        """Nothing to report beyond the plan."""
        return dict(self.notes)


class ThreadedPlanner:
    """An offline (synchronous) planner in the async form: it runs in a worker thread."""

    model: Model | None = None

    def __init__(self, planner: Planner) -> None:
        self.planner = planner
        self.name = planner.name

    @property
    def output_settings(self) -> dict[str, str]:
        """Offline planners are fully described by their name (and ablab's version)."""
        return {}

    async def aplan_outcome(self, paper: Paper, *, mode: Mode, k: int) -> Outcome:
        """Plan ``paper`` in a worker thread."""
        return PlainOutcome(await asyncio.to_thread(self.planner.plan, paper, mode=mode, k=k))

    def with_model(self, model: Model) -> ThreadedPlanner:
        """This planner: it asks no model."""
        return self


def as_async(planner: Planner | AsyncPlanner) -> AsyncPlanner:
    """``planner`` in the form the batch engine drives."""
    if isinstance(planner, AsyncPlanner):
        return planner
    return ThreadedPlanner(planner)


async def make_plan(planner: AsyncPlanner, paper: Paper, *, mode: Mode, k: int) -> Outcome:
    """Plan ``paper`` in ``mode``: show the planner the part it may see, then finish the plan.

    The one path every plan takes (library, CLI, web app, bench); raises PlanError (a
    PlanFailure with the raw answers, for model planners) rather than return an empty plan.
    """
    outcome = await planner.aplan_outcome(paper_view(paper, mode), mode=mode, k=k)
    outcome.plan = finish_plan(outcome.plan, paper, k)
    return outcome


_REGISTRY: dict[str, str] = {
    "heuristic": "ablab.planners.heuristic:HeuristicPlanner",
    "lm": "ablab.planners.lm:LMPlanner",
    "hybrid": "ablab.planners.hybrid:HybridPlanner",
    "consensus": "ablab.planners.consensus:ConsensusPlanner",
}


def register_planner(name: str, target: str) -> None:
    """Register a planner factory under ``name`` as an import path ``"module:attribute"``."""
    _REGISTRY[name] = target


def available_planners() -> list[str]:
    """Names of all registered planners."""
    return sorted(_REGISTRY)


def _factory(name: str, options: dict[str, Any]) -> Any:
    try:
        target = _REGISTRY[name]
    except KeyError:
        known = ", ".join(available_planners())
        raise ConfigError(f"unknown planner {name!r}; choose one of: {known}") from None
    module_name, _, attribute = target.partition(":")
    factory = getattr(importlib.import_module(module_name), attribute)
    try:  # a missing model or a stray option is the caller's mistake, not a crash
        inspect.signature(factory).bind(**options)
    except TypeError as exc:
        raise ConfigError(f"the {name} planner cannot be built this way ({exc})") from None
    return factory


def check_planner(name: str, **options: Any) -> None:
    """Raise ConfigError unless ``get_planner(name, **options)`` could build the planner.

    Batch commands call it before the first paper, so a typo fails once, not once per paper.
    """
    _factory(name, options)


def get_planner(name: str, **options: Any) -> Planner:
    """Build the planner registered as ``name`` with ``options`` (e.g. ``model=...``)."""
    planner: Planner = _factory(name, options)(**options)
    return planner


def finish_plan(plan: Plan, paper: Paper, k: int) -> Plan:
    """Check a planner's output and stamp its provenance (paper hash, title, k, ablab version).

    Names are made unique within the plan (AblationBench's harness matches by name). Raises
    PlanError for an empty plan: an empty plan is never presented as a result.
    """
    if not plan.ablations:
        raise PlanError(f"planner {plan.planner!r} found no ablation to propose for {paper.id!r}")
    return plan.model_copy(
        update={
            "ablations": unique_names(plan.ablations[:k]),
            "k": k,
            "paper_title": plan.paper_title or paper.title,
            "paper_hash": paper.content_hash,
            "versions": {"ablab": __version__, **plan.versions},
        }
    )
