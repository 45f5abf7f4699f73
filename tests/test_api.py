"""The composition root: one spec, one builder, the same path for library, CLI, web and bench."""

from __future__ import annotations

from pathlib import Path

import pytest

import ablab
from ablab.api import PlanSpec, build_planner
from ablab.errors import ConfigError
from ablab.models import CachedModel
from ablab.planners.base import AsyncPlanner, ThreadedPlanner

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tide.md"


def test_the_spec_applies_the_planner_and_model_rules() -> None:
    assert PlanSpec().planner_name == "heuristic"
    assert PlanSpec(model="fake/heuristic").planner_name == "lm"
    with pytest.raises(ConfigError, match="needs --model"):
        _ = PlanSpec(planner="hybrid").planner_name
    with pytest.raises(ConfigError, match="uses no model"):
        _ = PlanSpec(planner="heuristic", model="fake/heuristic").planner_name
    with pytest.raises(ConfigError, match="grounds the hybrid planner"):
        _ = PlanSpec(digests=Path("d")).planner_name


def test_the_builder_owns_the_wrapper_stack() -> None:
    cached = build_planner(PlanSpec(model="fake/heuristic"))
    assert isinstance(cached, AsyncPlanner) and isinstance(cached.model, CachedModel)
    plain = build_planner(PlanSpec(model="fake/heuristic", cache=False))
    assert plain.model is not None and not isinstance(plain.model, CachedModel)
    offline = build_planner(PlanSpec())
    assert isinstance(offline, ThreadedPlanner) and offline.model is None


def test_library_plans_with_a_model_use_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ABLAB_CACHE_DIR", str(tmp_path / "cache"))
    first = ablab.plan(EXAMPLE, mode="reviewer", planner="lm", model="fake/heuristic")
    stored = list((tmp_path / "cache").rglob("*.json"))
    assert len(stored) == 1
    again = ablab.plan(EXAMPLE, mode="reviewer", planner="lm", model="fake/heuristic")
    assert again.ablations == first.ablations
    assert again.paper_hash == first.paper_hash == ablab.load_paper(EXAMPLE).content_hash
