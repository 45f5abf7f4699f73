"""LM and majority judges with the fake model and the local OpenAI-compatible server."""

from __future__ import annotations

import json
import random
import re

import pytest

from ablab.errors import JudgeError
from ablab.judges.base import PaperContext
from ablab.judges.lm import LMJudge, lay_out_sides, parse_pairs
from ablab.judges.majority import MajorityJudge
from ablab.models import FakeModel, FakeReply, Message, get_model
from ablab.schema import Ablation
from lm_server import LocalOpenAIServer, Reply

CONTEXT = PaperContext(paper_id="simsiam", title="SimSiam", abstract="Siamese networks.")
REFERENCE = [
    Ablation(name="Stop-gradient", ablated_part="stop-gradient", action="REMOVE"),
    Ablation(name="Predictor", ablated_part="prediction MLP", action="REMOVE"),
    Ablation(name="Batch size", ablated_part="batch size", action="REPLACE", replacement=["256"]),
]
PLAN = [
    Ablation(
        name="Bigger batches", ablated_part="Batch size", action="REPLACE", replacement=["4096"]
    ),
    Ablation(name="Augmentations", ablated_part="augmentation", action="REMOVE"),
    Ablation(name="No stop-grad", ablated_part="Stop-gradient", action="REMOVE"),
]
LINE = re.compile(r"^- ([AB]\d+|P\d+): (\{.*\})$", re.M)


def items(prompt: str) -> dict[str, dict]:
    return {m.group(1): json.loads(m.group(2)) for m in LINE.finditer(prompt)}


def symmetric_answer(messages: list[Message]) -> str:
    """A judge that pairs items whose ablated parts are equal ignoring case: symmetric in A/B."""
    shown = items(messages[-1].content)
    side_a = {k: v for k, v in shown.items() if k.startswith("A")}
    side_b = {k: v for k, v in shown.items() if k.startswith("B")}
    pairs = [
        {"a": a, "b": b, "reason": "same part"}
        for a, x in side_a.items()
        for b, y in side_b.items()
        if x["ablated_part"].lower() == y["ablated_part"].lower()
    ]
    return json.dumps({"pairs": pairs})


def test_side_layout_is_a_shuffle_of_both_lists() -> None:
    layouts = [lay_out_sides(3, 4, random.Random(seed)) for seed in range(20)]
    assert {layout.reference_is_a for layout in layouts} == {True, False}
    for layout in layouts:
        sizes = (3, 4) if layout.reference_is_a else (4, 3)
        assert sorted(s for _, s in layout.side_a) == list(range(sizes[0]))
        assert sorted(s for _, s in layout.side_b) == list(range(sizes[1]))
    assert len({tuple(layout.side_a) for layout in layouts}) > 1


def test_side_shuffling_does_not_change_a_symmetric_judge() -> None:
    results = set()
    sides = set()
    for seed in range(12):
        model = FakeModel(script=symmetric_answer)
        judgement = LMJudge(model, seed=seed).judge_author(REFERENCE, PLAN, CONTEXT)
        results.add(frozenset((m.reference, m.plan) for m in judgement.matches))
        sides.add("A1" in model.calls[0].messages[-1].content.split("List B")[0])
        prompt = model.calls[0].messages[-1].content
        assert "ground truth" not in prompt.lower() and "plan" not in prompt.split("List A")[1]
    assert results == {frozenset({(0, 2), (2, 0)})}


def test_the_prompt_never_tells_which_list_is_the_ground_truth() -> None:
    model = FakeModel(script=symmetric_answer)
    LMJudge(model).judge_author(REFERENCE, PLAN, CONTEXT)
    call = model.calls[0]
    assert call.schema is not None and call.schema.name == "ablation_pairs"
    user = call.messages[-1].content
    names = {item["name"] for item in items(user).values()}
    assert names == {a.name for a in REFERENCE + PLAN}


def test_swapped_and_unknown_ids_in_the_answer() -> None:
    def answer(messages: list[Message]) -> str:
        shown = items(messages[-1].content)
        stop = [k for k, v in shown.items() if v["ablated_part"].lower() == "stop-gradient"]
        b_first = sorted(stop, key=lambda k: k[0], reverse=True)
        return json.dumps({"pairs": [{"a": b_first[0], "b": b_first[1], "reason": "x"},
                                     {"a": "A9", "b": "B9", "reason": "made up"}]})  # fmt: skip

    judgement = LMJudge(FakeModel(script=answer)).judge_author(REFERENCE, PLAN, CONTEXT)
    assert [(m.reference, m.plan) for m in judgement.matches] == [(0, 2)]


def test_unusable_answers_raise_a_judge_error() -> None:
    model = FakeModel(script=["I think they match.", '{"matches": []}'])
    with pytest.raises(JudgeError, match="simsiam: no usable judgement after one re-ask"):
        LMJudge(model).judge_author(REFERENCE, PLAN, CONTEXT)
    assert len(model.calls) == 2
    assert parse_pairs('```json\n{"pairs": [{"a": "A1", "b": "B2", "reason": "r"}]}\n```') == [
        ("A1", "B2", "r")
    ]


def test_an_unusable_answer_is_asked_again_once() -> None:
    model = FakeModel(script=["I think they match.", json.dumps({"pairs": []})])
    judgement = LMJudge(model).judge_author(REFERENCE, PLAN, CONTEXT)
    assert judgement.matches == [] and judgement.usage.requests == 2
    retry = model.calls[1].messages
    assert retry[-2] == Message(role="assistant", content="I think they match.")
    assert "not a JSON object" in retry[-1].content


def test_reviewer_judge_maps_shuffled_ids_back() -> None:
    reviews = ["Please compare batch sizes.", "Nice paper."]

    def answer(messages: list[Message]) -> str:
        shown = items(messages[-1].content)
        return json.dumps({"verdicts": [
            {"id": k, "requested": "batch" in v["ablated_part"].lower(), "evidence": "batch sizes"}
            for k, v in shown.items()
        ]})  # fmt: skip

    for seed in range(5):
        judgement = LMJudge(FakeModel(script=answer), seed=seed).judge_reviewer(
            reviews, 1, PLAN, CONTEXT
        )
        assert judgement.appears() == [True, False, False]


def test_empty_plan_costs_no_request() -> None:
    model = FakeModel(script=[])
    judgement = LMJudge(model).judge_author(REFERENCE, [], CONTEXT)
    assert judgement.matches == [] and model.calls == []


def test_majority_vote_is_strict_and_adds_costs() -> None:
    only_stop = json.dumps({"pairs": []})
    voters = [
        LMJudge(FakeModel(script=symmetric_answer), seed=1),
        LMJudge(FakeModel(script=symmetric_answer), seed=2),
        LMJudge(FakeModel(script=[only_stop])),
    ]
    judgement = MajorityJudge(voters).judge_author(REFERENCE, PLAN, CONTEXT)
    assert {(m.reference, m.plan) for m in judgement.matches} == {(0, 2), (2, 0)}
    assert judgement.usage.requests == 3
    split = [LMJudge(FakeModel(script=symmetric_answer)), LMJudge(FakeModel(script=[only_stop]))]
    tie = MajorityJudge(split).judge_author(REFERENCE, PLAN, CONTEXT)
    assert tie.matches == []  # one of two voters is not a majority


def test_majority_of_offline_and_models_on_the_reviewer_task() -> None:
    reviews = ["An ablation of the batch size would help."]
    yes = json.dumps(
        {"verdicts": [{"id": f"P{i}", "requested": True, "evidence": ""} for i in (1, 2, 3)]}
    )
    judge = MajorityJudge(
        [
            "offline",
            LMJudge(FakeModel(script=[yes])),
            LMJudge(FakeModel(script=[FakeReply(content=yes)])),
        ]
    )
    assert judge.name.startswith("majority(offline,lm:")
    assert judge.judge_reviewer(reviews, 1, PLAN, CONTEXT).appears() == [True, True, True]


def test_lm_judge_against_the_local_openai_compatible_server() -> None:
    def responder(body: dict) -> Reply:
        messages = [Message(role=m["role"], content=m["content"]) for m in body["messages"]]
        return Reply.text(symmetric_answer(messages))

    with LocalOpenAIServer(responder=responder) as server:
        model = get_model("openai/gpt-4o", base_url=server.base_url)
        judgement = LMJudge(model).judge_author(REFERENCE, PLAN, CONTEXT)
        request = server.requests[0]
    assert {(m.reference, m.plan) for m in judgement.matches} == {(0, 2), (2, 0)}
    assert judgement.usage.requests == 1 and judgement.usage.input_tokens > 0
    assert judgement.judge == "lm:openai/gpt-4o"
    assert request.body["messages"][0]["role"] == "system"


def test_lm_judge_on_a_server_that_takes_no_json_form_asks_in_text() -> None:
    def responder(body: dict) -> Reply:
        if body.get("response_format"):  # refuses every structured form, as a text-only server
            return Reply.error(400, "response_format is not supported")
        messages = [Message(role=m["role"], content=m["content"]) for m in body["messages"]]
        return Reply.text(symmetric_answer(messages))

    with LocalOpenAIServer(responder=responder) as server:
        model = get_model("vllm/m", base_url=server.base_url)
        judgement = LMJudge(model).judge_author(REFERENCE, PLAN, CONTEXT)
        forms = [(r.body.get("response_format") or {}).get("type") for r in server.requests]
    assert {(m.reference, m.plan) for m in judgement.matches} == {(0, 2), (2, 0)}
    assert forms == ["json_schema", "json_object", None]
    assert judgement.usage.requests == 3  # the refused requests count too
