"""The structured-task helper with scripted models: text fallback, one re-ask, the size cap,
usage, and failures that keep the raw answers and leave nothing in the cache."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel

from ablab.errors import ConfigError
from ablab.models import CachedModel, FakeModel, FakeReply, ResponseCache
from ablab.models.base import (
    MAX_ANSWER_CHARS,
    Completion,
    GenerateParams,
    Message,
    ResponseSchema,
    StructuredOutputUnsupported,
)
from ablab.tasks import (
    TaskAnswer,
    TaskFailure,
    ask_structured,
    json_object,
    paper_budget,
    response_schema,
    strict_json_schema,
)
from ablab.tasks.answers import AnswerError
from ablab.tasks.structured import CUT_OFF


class Item(BaseModel):
    """An item."""

    title: str
    """A property named like a JSON-schema keyword."""
    kind: Literal["a", "b"] | None
    size: float = 1.0


class Answer(BaseModel):
    """An answer."""

    items: list[Item]
    note: str | None = None


SCHEMA = response_schema("answer", Answer)
GOOD = json.dumps({"items": [{"title": "x", "kind": "a", "size": 2}], "note": None})


def read(text: str) -> dict[str, Any]:
    value = json_object(text)
    if "items" not in value:
        raise AnswerError("the object has no items")
    return value


def build(structured: bool) -> list[Message]:
    protocol = "schema" if structured else "text"
    return [Message(role="user", content=f"Answer as {protocol}.")]


def ask(model: Any, **options: Any) -> TaskAnswer[dict[str, Any]]:
    return asyncio.run(ask_structured(model, schema=SCHEMA, build=build, read=read, **options))


def test_schema_from_the_model_is_strict_and_inlined() -> None:
    schema = strict_json_schema(Answer)
    assert "$defs" not in json.dumps(schema) and "title" not in schema
    assert schema["required"] == ["items", "note"] and schema["additionalProperties"] is False
    assert schema["properties"]["note"] == {"type": ["string", "null"]}
    item = schema["properties"]["items"]["items"]
    assert list(item["properties"]) == ["title", "kind", "size"]  # a field named "title" stays
    assert item["required"] == ["title", "kind", "size"]  # defaults do not make fields optional
    assert item["properties"]["kind"] == {"enum": ["a", "b", None], "type": ["string", "null"]}
    assert item["properties"]["size"] == {"type": "number"}


def test_one_good_answer_is_one_request_with_the_schema() -> None:
    model = FakeModel([GOOD])
    answer = ask(model)
    assert answer.value["items"][0]["title"] == "x" and answer.structured
    assert answer.usage.requests == 1 and len(answer.completions) == 1
    assert model.calls[0].schema == SCHEMA
    assert model.calls[0].messages[0].content == "Answer as schema."


def test_text_fallback_rebuilds_the_request_and_counts_the_refusal() -> None:
    class RefusesSchemas(FakeModel):
        async def generate(
            self,
            messages: list[Message],
            *,
            schema: ResponseSchema | None = None,
            params: GenerateParams | None = None,
        ) -> Completion:
            if schema is not None:
                raise StructuredOutputUnsupported("no structured output", attempts=2)
            return await super().generate(messages, schema=schema, params=params)

    model = RefusesSchemas([GOOD])
    answer = ask(model)
    assert not answer.structured and model.calls[0].schema is None
    assert model.calls[0].messages[0].content == "Answer as text."
    assert answer.usage.requests == 3  # two refused forms and the answer


def test_an_unusable_answer_is_re_asked_exactly_once() -> None:
    model = FakeModel(["no JSON at all", GOOD])
    answer = ask(model)
    assert answer.value["items"] and answer.usage.requests == 2
    retry = model.calls[1].messages
    assert retry[-2] == Message(role="assistant", content="no JSON at all")
    assert "holds no JSON object" in retry[-1].content and retry[-1].role == "user"

    twice = FakeModel(['{"nothing": 1}', "still nothing", GOOD])
    with pytest.raises(TaskFailure, match="no usable answer after one re-ask") as caught:
        ask(twice)
    assert len(twice.calls) == 2  # the good third answer is never asked for
    assert caught.value.raw_responses == ['{"nothing": 1}', "still nothing"]
    assert caught.value.usage.requests == 2


def test_the_re_ask_is_the_task_s_own() -> None:
    seen: list[tuple[str, str | None, bool]] = []

    def re_ask(error: AnswerError, answer: Completion, structured: bool) -> Message:
        seen.append((str(error), answer.finish_reason, structured))
        return Message(role="user", content="Try again, briefly.")

    model = FakeModel([FakeReply(GOOD, finish_reason="length"), GOOD])
    ask(model, re_ask=re_ask, what="usable thing")
    assert seen == [(CUT_OFF, "length", True)]  # cut off: not trusted though the JSON is whole
    assert model.calls[1].messages[-1].content == "Try again, briefly."


def test_a_huge_answer_is_capped_and_quoted_back_cut() -> None:
    huge = "word " * (MAX_ANSWER_CHARS // 2)  # twice the cap, no JSON
    model = FakeModel([huge, huge])
    with pytest.raises(TaskFailure) as caught:
        ask(model)
    assert CUT_OFF in str(caught.value)
    assert [len(r) for r in caught.value.raw_responses] == [MAX_ANSWER_CHARS] * 2
    quoted = model.calls[1].messages[-2].content
    assert quoted.startswith("word word") and len(quoted) < 10_000 and "answer cut" in quoted


def test_a_model_error_fails_with_the_answers_so_far_and_their_cost() -> None:
    model = FakeModel(["garbage", FakeReply(error="HTTP 503 after 6 attempts")])
    with pytest.raises(TaskFailure, match="503") as caught:
        ask(model)
    assert caught.value.raw_responses == ["garbage"]
    assert caught.value.usage.requests == 2  # the answer and the failed call


def test_a_failed_task_leaves_nothing_in_the_cache(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    with pytest.raises(TaskFailure):
        ask(CachedModel(FakeModel(["bad", "worse"]), cache))
    assert cache.info().entries == 0  # a later run asks again instead of replaying the failure
    ask(CachedModel(FakeModel([GOOD]), cache))
    assert cache.info().entries == 1  # good answers are kept


def test_paper_budget_takes_the_tightest_limit() -> None:
    assert paper_budget(context_window=None, overhead=100) is None
    assert paper_budget(context_window=10_000, overhead=1_000) == 10_000 - 4_096 - 1_000
    assert paper_budget(context_window=10_000, overhead=1_000, max_output_tokens=1_000) == 8_000
    assert paper_budget(context_window=None, overhead=1_000, max_input_tokens=3_000) == 2_000
    assert paper_budget(context_window=None, overhead=0, cap=700) == 700
    with pytest.raises(ConfigError, match="allow at least 1500 input tokens"):
        paper_budget(context_window=None, overhead=1_000, max_input_tokens=1_200)
