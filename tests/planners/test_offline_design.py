"""The heuristic planner's design fields: filled from evidence, empty without it."""

from __future__ import annotations

from pathlib import Path

from ablab.analysis import analyze
from ablab.api import plan_paper
from ablab.papers import author_view, load_paper
from ablab.planners.heuristic import HeuristicPlanner
from ablab.planners.offline_design import design_plan, metric_direction
from ablab.schema import Mode

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "tide.md"
CONTRASTIVE = ROOT / "tests" / "fixtures" / "papers" / "markdown" / "contrastive.md"


def test_tide_plan_has_designs_from_its_evidence() -> None:
    plan = plan_paper(EXAMPLE, mode="author")
    designs = [a.design for a in plan.ablations]
    assert all(d is not None for d in designs)
    orders = sorted(d.run_order for d in designs if d and d.run_order)
    assert orders == list(range(1, len(plan.ablations) + 1))
    for ablation in plan.ablations:
        design = ablation.design
        assert design is not None
        assert design.relative_cost == len(ablation.variants())
        assert ablation.ablated_part in (design.question or "")
        # The paper states its training budget and settings: both become controls.
        assert any("31 hours on 8 GPUs" in c for c in design.controls)
        assert any("learning rate = 3e-4" in c for c in design.controls)
    removed = next(a for a in plan.ablations if a.action.value == "REMOVE")
    assert removed.design and "lower without" in (removed.design.expected_outcome or "")
    # High-priority ablations run before low-priority ones.
    by_order = sorted(plan.ablations, key=lambda a: a.design.run_order if a.design else 0)
    ranks = [{"high": 0, "medium": 1, "low": 2}[a.design.priority] for a in by_order if a.design]
    assert ranks == sorted(ranks)


def test_fields_without_evidence_stay_empty() -> None:
    # This paper states no seeds, training settings or compute: no control is invented.
    plan = plan_paper(CONTRASTIVE, mode="author", k=3)
    assert all(a.design and a.design.controls == [] for a in plan.ablations)


def test_no_expected_outcome_without_a_metric_direction() -> None:
    planner = HeuristicPlanner()
    paper = author_view(load_paper(CONTRASTIVE))
    analysis = analyze(paper, mode=Mode.AUTHOR)
    chosen = planner.candidates(paper, analysis, Mode.AUTHOR)[:1]
    ablation = chosen[0].ablation.model_copy(update={"metrics": ["zebra score"]})
    (designed,) = design_plan(chosen, [ablation], analysis, paper, frozenset())
    assert designed.design and designed.design.expected_outcome is None
    assert designed.design.question  # the question needs no direction


def test_metric_direction() -> None:
    assert metric_direction("top-1 accuracy") is True
    assert metric_direction("top-1 error") is False
    assert metric_direction("zebra score") is None
