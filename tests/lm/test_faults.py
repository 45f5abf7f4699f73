"""Every injected fault ends in a valid plan or a clearly reported failure, never a crash.

The real openai client talks to the local server, which replays scripted answers and faults.
"""

from __future__ import annotations

import asyncio

import pytest

from ablab.models import RetryPolicy, get_model
from ablab.planners.lm import LMPlanner, PlanFailure
from ablab.schema import Mode, Paper, Plan
from lm_server import FaultScenario, LocalOpenAIServer, Reply, fault_scenarios

TIMEOUT = 0.3
FAST = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, max_retry_after=5)
SCENARIOS = fault_scenarios(timeout=TIMEOUT)


def _plan(server: LocalOpenAIServer, paper: Paper, name: str = "openai/gpt-4o") -> Plan:
    model = get_model(name, base_url=server.base_url, timeout=TIMEOUT, retry=FAST)

    async def run() -> Plan:
        try:
            return await LMPlanner(model).aplan(paper, mode=Mode.REVIEWER, k=2)
        finally:
            await model.aclose()  # type: ignore[attr-defined]

    return asyncio.run(run())


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_fault_scenario(server: LocalOpenAIServer, paper: Paper, scenario: FaultScenario) -> None:
    server.enqueue(*scenario.replies)
    if scenario.expect == "plan":
        plan = _plan(server, paper)
        assert plan.ablations and all(a.ablated_part for a in plan.ablations)
        assert len(plan.ablations) <= 2
    else:
        with pytest.raises(PlanFailure) as caught:
            _plan(server, paper)
        message = str(caught.value)
        assert message.startswith("gated-memory: ") and len(message) > len("gated-memory: ")
        assert "sk-test1234abcd" not in message
    assert server.requests, "the scenario must reach the server"


def test_catalogue_covers_the_required_faults() -> None:
    names = {s.name for s in SCENARIOS}
    required = {
        "429_retry_after",
        "5xx_then_ok",
        "timeout_then_ok",
        "dropped_then_ok",
        "malformed_json",
        "truncated_then_ok",
        "prose_around",
        "code_fence",
        "wrong_action_spellings",
        "extra_fields",
        "empty_then_ok",
    }
    assert required <= names
    assert {s.expect for s in SCENARIOS} == {"plan", "failure"}


def test_text_protocol_over_http(server: LocalOpenAIServer, paper: Paper) -> None:
    line = '{"name": "n", "ablated_part": "gate", "action": "remove", "metrics": ["mIoU"]}'
    server.enqueue(Reply.text(f"## Reasoning\nWhy.\n## Ablations\n{line}"))
    plan = _plan(server, paper, "anthropic/claude-sonnet-4-5")  # no structured output there
    assert plan.reasoning == "Why." and plan.ablations[0].ablated_part == "gate"
    assert "response_format" not in server.requests[0].body
    assert "## Ablations" in server.requests[0].body["messages"][0]["content"]
