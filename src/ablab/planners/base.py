"""The planner protocol and a registry of planners chosen by name.

Planners are registered lazily as ``"module:attribute"`` strings so that a planner needing an
optional dependency (a model client) costs nothing until it is used.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any, Protocol, runtime_checkable

from ablab._util.version import __version__
from ablab.errors import ConfigError, PlanError
from ablab.schema import Mode, Paper, Plan


@runtime_checkable
class Planner(Protocol):
    """Turns a paper (already cut for the mode) into a ranked plan of at most ``k`` ablations."""

    name: str

    def plan(self, paper: Paper, *, mode: Mode, k: int) -> Plan:
        """Plan ablations for ``paper``; raise PlanError rather than return an empty plan."""
        ...


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
