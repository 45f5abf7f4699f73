"""The planner protocol and a registry of planners chosen by name.

Planners are registered lazily as ``"module:attribute"`` strings so that a planner needing an
optional dependency (a model client) costs nothing until it is used.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any, Protocol, runtime_checkable

from ablab.errors import ConfigError
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
