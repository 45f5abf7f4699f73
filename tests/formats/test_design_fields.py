"""ablab's design fields in trajectory Markdown: rendered only when set, read back exactly."""

from __future__ import annotations

import pytest

from ablab.errors import TrajectoryFormatError
from ablab.formats.trajectory import parse_trajectory, render_plan_markdown
from ablab.schema import Ablation, Action, Design, Mode, Plan


def _plan(design: Design | None) -> Plan:
    ablation = Ablation(
        name="Swap the loss",
        ablated_part="zebra loss",
        action=Action.REPLACE,
        replacement=["hinge loss", "squared loss"],
        metrics=["accuracy"],
        design=design,
    )
    return Plan(paper_id="p", mode=Mode.AUTHOR, planner="x", model="y", ablations=[ablation])


def test_design_round_trips_through_markdown() -> None:
    design = Design(
        question="Does the zebra loss matter?",
        expected_outcome="accuracy drops with either alternative",
        controls=["same 3 seeds", "matched parameter count"],
        priority="high",
        relative_cost=2.5,
        run_order=1,
    )
    text = render_plan_markdown(_plan(design))
    assert "- **Controls**: \n  - same 3 seeds\n  - matched parameter count\n" in text
    assert "- **Relative Cost**: 2.5\n- **Run Order**: 1" in text
    parsed = parse_trajectory(text).ablations[0]
    assert parsed.design == design
    assert parsed.replacement == ["hinge loss", "squared loss"]  # not mixed with the controls


def test_no_design_renders_no_extra_line_and_stays_out_of_jsonl() -> None:
    bare = render_plan_markdown(_plan(None))
    assert "Question" not in bare and "Priority" not in bare
    assert parse_trajectory(bare).ablations[0].design is None
    with_design = _plan(Design(priority="low"))
    assert with_design.to_jsonl() == _plan(None).to_jsonl()
    assert "design" not in with_design.ablations[0].to_bench_dict()


def test_empty_design_is_none() -> None:
    assert _plan(Design()).ablations[0].design is None


def test_bad_priority_is_a_format_error() -> None:
    text = render_plan_markdown(_plan(Design(priority="high"))).replace(
        "**Priority**: high", "**Priority**: urgent"
    )
    with pytest.raises(TrajectoryFormatError, match="priority"):
        parse_trajectory(text)


def test_run_sequence_follows_run_order() -> None:
    plan = _plan(None)
    first, second, third = (
        plan.ablations[0].model_copy(update={"name": n, "design": d})
        for n, d in [("a", Design(run_order=2)), ("b", None), ("c", Design(run_order=1))]
    )
    plan = plan.model_copy(update={"ablations": [first, second, third]})
    assert [a.name for a in plan.run_sequence()] == ["c", "a", "b"]
