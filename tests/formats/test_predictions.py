"""AblationBench predictions: names unique within a plan (the harness matches by name)."""

from __future__ import annotations

from ablab.formats.predictions import unique_names
from ablab.planners.base import finish_plan
from ablab.schema import Ablation, Mode, Paper, Plan


def _named(*names: str) -> list[Ablation]:
    return [Ablation(name=n, ablated_part=n, action="REMOVE") for n in names]


def test_repeated_names_get_a_number_and_never_collide() -> None:
    renamed = unique_names(_named("A", "B", "A", "A (2)", "A"))
    assert [a.name for a in renamed] == ["A", "B", "A (3)", "A (2)", "A (4)"]
    assert len({a.name for a in renamed}) == 5


def test_finished_plans_have_unique_names() -> None:
    paper = Paper(id="p", title="T", source_kind="markdown", content_hash="0" * 64)
    plan = Plan(paper_id="p", mode=Mode.AUTHOR, planner="x", model="y", ablations=_named("A", "A"))
    assert [a.name for a in finish_plan(plan, paper, k=5).ablations] == ["A", "A (2)"]
