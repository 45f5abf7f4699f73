"""Reading plans out of model answers: forgiving of form, strict on substance."""

from __future__ import annotations

import json

import pytest

from ablab.planners.lm_output import PlanResponseError, normalise_action, parse_plan_response
from ablab.schema import Action

ITEM = {
    "name": "Without the forgetting gate",
    "ablated_part": "forgetting gate",
    "action": "REMOVE",
    "replacement": None,
    "metrics": ["mIoU"],
    "rationale": "Tests whether pruning memory matters.",
}
SECOND = {
    "name": "Prototype read-out",
    "ablated_part": "cross-attention decoder",
    "action": "REPLACE",
    "replacement": ["prototype average"],
    "metrics": ["mIoU", "FB-IoU"],
    "rationale": "Isolates the decoder.",
}
ANSWER = json.dumps({"reasoning": "The gate and decoder are new.", "ablations": [ITEM, SECOND]})


def test_structured_answer() -> None:
    parsed = parse_plan_response(ANSWER, k=5)
    assert parsed.reasoning == "The gate and decoder are new."
    assert [a.name for a in parsed.ablations] == [ITEM["name"], SECOND["name"]]
    assert parsed.ablations[0].replacement is None
    assert parsed.ablations[1].replacement == ["prototype average"]
    assert parsed.ablations[0].rationale == ITEM["rationale"]
    assert parsed.notes == []


def test_text_protocol_reasoning_then_json_lines() -> None:
    text = (
        "## Reasoning\nThe memory is the core.\nIt has a gate.\n\n## Ablations\n"
        + json.dumps(ITEM)
        + "\n"
        + json.dumps(SECOND)
    )
    parsed = parse_plan_response(text, k=5)
    assert parsed.reasoning == "The memory is the core.\nIt has a gate."
    assert len(parsed.ablations) == 2


@pytest.mark.parametrize(
    "text",
    [
        f"```json\n{ANSWER}\n```",
        f"Sure, here is my plan.\n\n```\n{ANSWER}\n```\nLet me know!",
        f"Here it is: {ANSWER} Hope it helps.",
        f"[{json.dumps(ITEM)}, {json.dumps(SECOND)}]",
    ],
    ids=["fence", "prose-and-fence", "prose-around", "bare-list"],
)
def test_wrappers_around_the_json(text: str) -> None:
    assert [a.ablated_part for a in parse_plan_response(text, k=5).ablations] == [
        "forgetting gate",
        "cross-attention decoder",
    ]


def test_broken_json_is_mended() -> None:
    broken = ANSWER.replace('"reasoning"', "'reasoning'").replace("]}", ",]}")
    parsed = parse_plan_response(broken, k=5)
    assert len(parsed.ablations) == 2 and "mended malformed JSON" in parsed.notes


def test_truncated_answer_missing_fields_is_an_error_not_a_partial_plan() -> None:
    cut = ANSWER[: ANSWER.index('"action": "REPLACE"')]
    with pytest.raises(PlanResponseError, match="ablation 2 has no action"):
        parse_plan_response(cut, k=5)


def test_one_bad_json_line_does_not_swallow_the_next() -> None:
    text = (
        '{"name": "a", "ablated_part": "x", "action": "ADD", "replacement": ["y"],,\n'
        + json.dumps(ITEM)
    )
    parsed = parse_plan_response(text, k=5)
    assert [a.ablated_part for a in parsed.ablations] == ["x", "forgetting gate"]


@pytest.mark.parametrize(
    ("spelling", "action"),
    [
        ("remove", Action.REMOVE),
        ("Removal", Action.REMOVE),
        ("w/o", Action.REMOVE),
        ("drop", Action.REMOVE),
        ("Replace with", Action.REPLACE),
        ("substitute", Action.REPLACE),
        ("swap", Action.REPLACE),
        ("add", Action.ADD),
        ("Addition", Action.ADD),
        ("ACTION: ADD", Action.ADD),
    ],
)
def test_action_spellings(spelling: str, action: Action) -> None:
    assert normalise_action(spelling) is action


def test_unknown_action_is_reported_for_the_re_ask() -> None:
    with pytest.raises(PlanResponseError, match="unknown action 'TWEAK'"):
        parse_plan_response(json.dumps([{**ITEM, "action": "TWEAK"}]), k=2)
    with pytest.raises(PlanResponseError, match="unknown action"):
        normalise_action("remove or replace")


def test_field_names_are_normalised_and_extras_dropped() -> None:
    loose = {
        "Title": "Gate off",
        "Ablated Part": "forgetting gate",
        "Action": "remove",
        "replacements": "ignored for remove",
        "metric": "mIoU, FB-IoU",
        "priority": 1,
        "score": 1,
        "confidence": "high",
    }
    parsed = parse_plan_response(json.dumps({"ablations": [loose]}), k=2)
    ablation = parsed.ablations[0]
    assert ablation.name == "Gate off" and ablation.ablated_part == "forgetting gate"
    assert ablation.action is Action.REMOVE and ablation.replacement is None
    assert ablation.metrics == ["mIoU", "FB-IoU"]
    assert any("confidence, score" in note for note in parsed.notes)
    assert any("dropped priority '1'" in note for note in parsed.notes)
    assert ablation.design is None
    camel = parse_plan_response(
        json.dumps([{"ablatedPart": "gate", "action": "ADD", "replacement": "second gate"}]), k=2
    )
    assert camel.ablations[0].replacement == ["second gate"]
    assert camel.ablations[0].name == "Add gate"  # derived when missing


def test_keeps_k_and_drops_duplicates() -> None:
    items = [ITEM, {**ITEM, "name": "Same again"}, SECOND, {**SECOND, "ablated_part": "other"}]
    parsed = parse_plan_response(json.dumps({"reasoning": "r", "ablations": items}), k=2)
    assert [a.name for a in parsed.ablations] == [ITEM["name"], SECOND["name"]]
    assert any("duplicate" in n for n in parsed.notes)
    assert any("first 2 of 3" in n for n in parsed.notes)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   \n", "empty"),
        ("I would ablate the gate and the decoder.", "no JSON"),
        ('{"reasoning": "r", "ablations": []}', "no ablations"),
        ('{"reasoning": "r", "ablations": "none"}', "must be a list"),
        (json.dumps([{"name": "x", "action": "REMOVE"}]), "no ablated_part"),
        (json.dumps([{"name": "x", "ablated_part": "y"}]), "no action"),
        ('{"ablations": [1, 2]}', "ablation 1 is not a JSON object"),
    ],
)
def test_unusable_answers(text: str, message: str) -> None:
    with pytest.raises(PlanResponseError, match=message):
        parse_plan_response(text, k=2)


def test_terminal_escapes_and_half_emoji_in_an_answer_are_cleaned() -> None:
    item = {**ITEM, "name": "Without the gate\u001b]52;c;ZXZpbA==\u0007 \ud83d"}
    parsed = parse_plan_response(json.dumps({"reasoning": "r\u001b[2J", "ablations": [item]}), k=5)
    assert parsed.ablations[0].name == "Without the gate]52;c;ZXZpbA== \ufffd"
    assert parsed.reasoning == "r[2J"


def test_design_fields_are_read_and_bad_values_dropped() -> None:
    item = {
        **ITEM,
        "question": "Does the gate matter?",
        "Expected Result": "mIoU drops",
        "controls": "same seeds",
        "priority": "HIGH",
        "relative_cost": "2.5",
        "run_order": "first",
    }
    parsed = parse_plan_response(json.dumps([item]), k=2)
    design = parsed.ablations[0].design
    assert design is not None
    assert design.question == "Does the gate matter?" and design.expected_outcome == "mIoU drops"
    assert design.controls == ["same seeds"] and design.priority == "high"
    assert design.relative_cost == 2.5 and design.run_order is None
    assert any("dropped run_order 'first'" in note for note in parsed.notes)
    assert "question" not in parsed.ablations[0].to_bench_dict()
