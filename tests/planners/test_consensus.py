"""The consensus planner on the published plans of two models for the same papers."""

from __future__ import annotations

from pathlib import Path

import pytest

from ablab.errors import PlanError
from ablab.formats.trajectory import parse_trajectory
from ablab.papers import paper_from_markdown
from ablab.planners import get_planner
from ablab.planners.consensus import ConsensusPlanner, cluster_ablations, combine_plans
from ablab.schema import Mode, Plan

MODELS = ("gpt-4o", "claude-35-sonnet")


def published(trajectories_dir: Path, paper_id: str) -> list[Plan]:
    return [
        parse_trajectory((trajectories_dir / m / f"{paper_id}.md").read_text("utf-8")).to_plan()
        for m in MODELS
    ]


def test_ablations_both_models_proposed_come_first(trajectories_dir: Path) -> None:
    plans = published(trajectories_dir, "simsiam")
    ablations, clusters = combine_plans(plans, k=5)
    supports = [c.support for c in clusters]
    assert supports == sorted(supports, reverse=True)
    shared = [c for c in clusters if c.support == 2]
    parts = {m.ablation.ablated_part for c in shared for m in c.members}
    assert {"stop-gradient operation", "projection MLP", "symmetric loss function"} <= parts
    assert ablations[0].ablated_part == "stop-gradient operation"
    assert ablations[0].rationale.startswith("Proposed by 2 of 2 plans")
    single = [c for c in clusters if c.support == 1]
    assert {m.ablation.ablated_part for c in single for m in c.members} >= {"batch size"}


def test_every_input_ablation_lands_in_exactly_one_cluster(trajectories_dir: Path) -> None:
    plans = published(trajectories_dir, "galore")
    clusters = cluster_ablations([p.ablations for p in plans])
    assert sum(len(c.members) for c in clusters) == sum(len(p.ablations) for p in plans)


def test_same_action_members_contribute_their_options(trajectories_dir: Path) -> None:
    ablations, _ = combine_plans(published(trajectories_dir, "galore"), k=5)
    frequency = next(a for a in ablations if "frequency" in a.ablated_part.lower())
    # gpt-4o tried 50, 200, 1000; claude 50, 200, 500, 1000: the union is kept once each
    assert sorted(frequency.replacement or [], key=int) == ["50", "200", "500", "1000"]


def test_planner_merges_given_plans_for_the_paper(trajectories_dir: Path) -> None:
    plans = published(trajectories_dir, "storm")
    paper = paper_from_markdown("# STORM\n\nText.", paper_id="storm")
    result = ConsensusPlanner(plans=plans).plan(paper, mode=Mode.AUTHOR, k=3)
    assert result.planner == "consensus" and result.model == "gpt-4o+claude-3.5-sonnet"
    assert len(result.ablations) == 3
    assert "Consensus of 2 plans" in result.reasoning
    other = paper_from_markdown("# Other\n\nText.", paper_id="other")
    with pytest.raises(PlanError, match="no given plan is for paper 'other'"):
        ConsensusPlanner(plans=plans).plan(other, mode=Mode.AUTHOR, k=3)


def test_registered_and_guarded() -> None:
    assert isinstance(get_planner("consensus", members=["heuristic"]), ConsensusPlanner)
    with pytest.raises(PlanError):
        ConsensusPlanner(members=["consensus"])
    with pytest.raises(PlanError):
        ConsensusPlanner(samples=0)
