"""The lm planner with a scripted model: plans, one re-ask, failures that keep the raw answers."""

from __future__ import annotations

import asyncio
import json

import pytest

from ablab.errors import ConfigError
from ablab.models import FakeModel, FakeReply, StructuredOutputUnsupported
from ablab.models.base import Completion, GenerateParams, Message, ResponseSchema
from ablab.planners import get_planner
from ablab.planners.lm import LMPlanner, PlanFailure
from ablab.planners.lm_prompts import PROMPT_VERSION
from ablab.schema import Action, Mode, Paper
from lm_server import plan_answer

GOOD = plan_answer(
    [
        {
            "name": "No forgetting gate",
            "ablated_part": "forgetting gate",
            "action": "REMOVE",
            "replacement": None,
            "metrics": ["mIoU"],
            "rationale": "r",
        },
        {
            "name": "Mean read-out",
            "ablated_part": "cross-attention decoder",
            "action": "REPLACE",
            "replacement": ["prototype average"],
            "metrics": ["mIoU"],
            "rationale": "r",
        },
    ],
    reasoning="The gate and the decoder are the new parts.",
)


def test_plan_with_provenance_and_usage(paper: Paper) -> None:
    model = FakeModel([GOOD])
    plan = LMPlanner(model).plan(paper, mode=Mode.REVIEWER, k=2)
    assert [a.action for a in plan.ablations] == [Action.REMOVE, Action.REPLACE]
    assert plan.reasoning == "The gate and the decoder are the new parts."
    assert plan.planner == "lm" and plan.model == "fake/script" and plan.k == 2
    assert plan.paper_id == "gated-memory" and plan.paper_hash == paper.content_hash
    assert plan.versions["prompt"] == PROMPT_VERSION
    assert plan.usage.requests == 1 and plan.usage.input_tokens > 0
    call = model.calls[0]
    assert call.schema is not None  # structured output asked for
    assert "Mode: reviewer" in call.messages[1].content
    assert "Our gated episodic memory stores one slot" in call.messages[1].content


def test_registry_builds_the_planner_from_a_model_name() -> None:
    planner = get_planner("lm", model="fake/heuristic", max_input_tokens=9000)
    assert isinstance(planner, LMPlanner) and planner.model.name == "fake/heuristic"
    assert planner.input_budget() == 9000


def test_a_bad_answer_is_re_asked_once_with_the_error(paper: Paper) -> None:
    model = FakeModel(["I think the gate matters.", GOOD])
    outcome = asyncio.run(LMPlanner(model).aplan_outcome(paper, mode=Mode.AUTHOR, k=5))
    assert len(outcome.plan.ablations) == 2 and outcome.plan.usage.requests == 2
    retry = model.calls[1].messages
    assert retry[-2] == Message(role="assistant", content="I think the gate matters.")
    assert "contains no JSON ablations" in retry[-1].content


def test_a_cut_off_answer_is_re_asked_even_if_mendable(paper: Paper) -> None:
    model = FakeModel([FakeReply(GOOD[:-3], finish_reason="length"), GOOD])
    plan = LMPlanner(model).plan(paper, mode=Mode.AUTHOR, k=5)
    assert len(plan.ablations) == 2
    assert "briefer" in model.calls[1].messages[-1].content


def test_two_bad_answers_fail_with_the_raw_answers(paper: Paper) -> None:
    model = FakeModel(["no plan here", json.dumps({"ablations": [{"action": "TWEAK"}]})])
    with pytest.raises(PlanFailure) as caught:
        LMPlanner(model).plan(paper, mode=Mode.AUTHOR, k=5)
    failure = caught.value
    assert "no valid plan after one re-ask" in str(failure) and "gated-memory" in str(failure)
    assert failure.raw_responses == ["no plan here", '{"ablations": [{"action": "TWEAK"}]}']
    assert failure.usage.requests == 2 and failure.context is not None


def test_model_errors_become_plan_failures(paper: Paper) -> None:
    model = FakeModel(["garbage", FakeReply(error="HTTP 503 after 6 attempts")])
    with pytest.raises(PlanFailure, match="503") as caught:
        LMPlanner(model).plan(paper, mode=Mode.AUTHOR, k=5)
    assert caught.value.raw_responses == ["garbage"]


def test_text_protocol_when_the_model_has_no_structured_output(paper: Paper) -> None:
    model = FakeModel(
        ["## Reasoning\nShort.\n## Ablations\n" + json.dumps(json.loads(GOOD)["ablations"][0])],
        supports_json_schema=False,
    )
    plan = LMPlanner(model).plan(paper, mode=Mode.AUTHOR, k=5)
    assert plan.reasoning == "Short." and len(plan.ablations) == 1
    assert model.calls[0].schema is None
    assert "## Ablations" in model.calls[0].messages[0].content


class _RejectsSchemas(FakeModel):
    async def generate(
        self,
        messages: list[Message],
        *,
        schema: ResponseSchema | None = None,
        params: GenerateParams | None = None,
    ) -> Completion:
        if schema is not None:
            self.supports_json_schema = False
            raise StructuredOutputUnsupported("no json_schema here")
        return await super().generate(messages, schema=schema, params=params)


def test_falls_back_to_text_when_the_endpoint_rejects_schemas(paper: Paper) -> None:
    model = _RejectsSchemas([GOOD])
    plan = LMPlanner(model).plan(paper, mode=Mode.AUTHOR, k=5)
    assert len(plan.ablations) == 2
    assert "## Ablations" in model.calls[-1].messages[0].content  # re-rendered for text


def test_budget_too_small_for_any_paper_is_a_config_error(paper: Paper) -> None:
    with pytest.raises(ConfigError, match="input tokens"):
        LMPlanner(FakeModel([GOOD]), max_input_tokens=600).plan(paper, mode=Mode.AUTHOR, k=5)
    with pytest.raises(ConfigError, match="k must be"):
        LMPlanner(FakeModel([GOOD])).plan(paper, mode=Mode.AUTHOR, k=0)


def test_long_paper_is_budgeted_and_reported(paper: Paper) -> None:
    bulky = paper.model_copy(deep=True)
    for section in bulky.walk():
        if section.title == "References":
            section.text = "\n\n".join(["[9] A cited work, 2020."] * 2000)
    model = FakeModel([GOOD], context_window=8_000)
    outcome = asyncio.run(LMPlanner(model).aplan_outcome(bulky, mode=Mode.REVIEWER, k=2))
    report = outcome.context
    assert report.dropped == ["References"]
    assert report.prompt_tokens <= 8_000 - 4_096
    assert report.paper_tokens > report.kept_tokens
    assert "shortened to fit" in model.calls[0].messages[1].content


def test_plan_works_inside_a_running_event_loop(paper: Paper) -> None:
    async def inside() -> int:
        return len(LMPlanner(FakeModel([GOOD])).plan(paper, mode=Mode.AUTHOR, k=1).ablations)

    assert asyncio.run(inside()) == 1


def test_fake_heuristic_model_runs_the_whole_lm_path_offline(paper: Paper) -> None:
    from ablab.models import get_model

    plan = LMPlanner(get_model("fake/heuristic")).plan(paper, mode=Mode.REVIEWER, k=2)
    offline = get_planner("heuristic").plan(paper, mode=Mode.REVIEWER, k=2)
    assert plan.planner == "lm" and plan.model == "fake/heuristic"
    assert [a.ablated_part for a in plan.ablations] == [a.ablated_part for a in offline.ablations]
    assert plan.usage.cost_usd == 0.0


def test_a_huge_bad_answer_is_quoted_back_cut(paper: Paper) -> None:
    huge = "I think the gate matters. " * 40_000  # about 1 MB of prose, no JSON
    model = FakeModel([huge, GOOD])
    asyncio.run(LMPlanner(model).aplan_outcome(paper, mode=Mode.AUTHOR, k=5))
    quoted = model.calls[1].messages[-2]
    assert quoted.role == "assistant" and quoted.content.startswith("I think the gate matters.")
    assert len(quoted.content) < 10_000 and "answer cut" in quoted.content
