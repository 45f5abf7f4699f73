"""Side-by-side alignment of the ablations of several plans."""

from __future__ import annotations

from ablab.schema import Ablation, Action, Mode, Plan
from ablab.views.align import align_plans, matcher_similarity


def _ablation(name: str, part: str, action: Action = Action.REMOVE) -> Ablation:
    return Ablation(name=name, ablated_part=part, action=action, metrics=["accuracy"])


def _plan(*ablations: Ablation) -> Plan:
    return Plan(paper_id="p", mode=Mode.AUTHOR, planner="x", model="y", ablations=list(ablations))


GATE = _ablation("Remove the token relevance gate", "token relevance gate")
MEMORY = _ablation("Remove prototype memory", "adaptive prototype memory")
SCHEDULE = _ablation("Fixed crop schedule", "elastic view scheduler", Action.REPLACE)


def test_same_experiment_worded_differently_shares_a_row() -> None:
    other_gate = _ablation("Without the relevance gate", "Token Relevance Gate (TRG)")
    rows = align_plans([_plan(GATE, MEMORY), _plan(SCHEDULE, other_gate)])
    matched = [row for row in rows if row.matched == 2]
    assert len(matched) == 1
    cells = matched[0].cells
    assert cells[0] is not None and cells[0].ablation is GATE and cells[0].rank == 1
    assert cells[1] is not None and cells[1].ablation is other_gate and cells[1].rank == 2
    assert rows[0] is matched[0]  # rows shared by more plans come first


def test_every_ablation_appears_exactly_once() -> None:
    plans = [_plan(GATE, MEMORY, SCHEDULE), _plan(MEMORY, GATE), _plan(SCHEDULE)]
    rows = align_plans(plans)
    for index, plan in enumerate(plans):
        placed = sorted(row.cells[index].rank for row in rows if row.cells[index] is not None)
        assert placed == list(range(1, len(plan.ablations) + 1))


def test_matching_is_one_to_one_per_plan() -> None:
    twin = _ablation("Remove the token relevance gate entirely", "token relevance gate")
    rows = align_plans([_plan(GATE), _plan(GATE, twin)])
    assert [row.matched for row in rows] == [2, 1]


def test_unrelated_ablations_get_their_own_rows() -> None:
    rows = align_plans([_plan(GATE), _plan(SCHEDULE)])
    assert [row.matched for row in rows] == [1, 1]


def test_a_custom_similarity_can_be_swapped_in() -> None:
    rows = align_plans([_plan(GATE), _plan(SCHEDULE)], similarity=lambda a, b: 1.0)
    assert [row.matched for row in rows] == [2]


def test_default_similarity_is_the_offline_matcher() -> None:
    assert matcher_similarity(GATE, GATE) == 1.0
    assert matcher_similarity(GATE, SCHEDULE) < 0.2
    other_gate = _ablation("Without the relevance gate", "Token Relevance Gate (TRG)")
    assert matcher_similarity(GATE, other_gate) >= 0.45
