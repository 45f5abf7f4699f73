"""The official openai client against the local server: retries, time-outs, errors, usage, cost."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from ablab.models import (
    Message,
    ModelRequestError,
    ResponseSchema,
    RetryPolicy,
    StructuredOutputUnsupported,
    get_model,
)
from ablab.models.base import MAX_ANSWER_CHARS, Completion, Model
from lm_server import LocalOpenAIServer, Reply, completion_body

FAST = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, max_retry_after=5)
SCHEMA = ResponseSchema(name="answer", json_schema={"type": "object", "properties": {}})
HELLO = [Message(role="user", content="Say hello.")]


def model_at(server: LocalOpenAIServer, name: str = "openai/gpt-4o", **options: Any) -> Model:
    options.setdefault("retry", FAST)
    options.setdefault("timeout", 0.3)
    return get_model(name, base_url=server.base_url, **options)


def generate(model: Model, **options: Any) -> Completion:
    async def call() -> Completion:
        try:
            return await model.generate(HELLO, **options)
        finally:
            await model.aclose()  # type: ignore[attr-defined]

    return asyncio.run(call())


def test_answer_usage_and_price(server: LocalOpenAIServer) -> None:
    server.enqueue(
        Reply.text(
            "hello", usage={"prompt_tokens": 1000, "completion_tokens": 10, "total_tokens": 1010}
        )
    )
    completion = generate(model_at(server))
    assert completion.text == "hello" and completion.finish_reason == "stop"
    assert completion.usage.input_tokens == 1000 and completion.usage.output_tokens == 10
    assert completion.cost_source == "price_table" and completion.usage.cost_usd > 0
    assert completion.attempts == 1 and completion.usage.requests == 1
    request = server.requests[0]
    assert request.body["model"] == "gpt-4o"
    assert request.body["messages"] == [{"role": "user", "content": "Say hello."}]
    assert "authorization" not in {h.lower() for h in request.headers}


def test_rate_limit_waits_for_retry_after(server: LocalOpenAIServer) -> None:
    server.enqueue(Reply.rate_limited(0.2), Reply.text("ok"))
    completion = generate(model_at(server))
    assert completion.text == "ok" and completion.attempts == 2
    first, second = server.requests
    assert second.received_at - first.received_at >= 0.2  # honoured, not the 0.01 s backoff


@pytest.mark.parametrize(
    "fault",
    [Reply.server_error(500), Reply.server_error(503), Reply.dropped(), Reply.slow(0.6, "late")],
    ids=["500", "503", "dropped", "timeout"],
)
def test_transient_faults_are_retried(server: LocalOpenAIServer, fault: Reply) -> None:
    server.enqueue(fault, Reply.text("ok"))
    completion = generate(model_at(server))
    assert completion.text == "ok"
    assert completion.attempts == 2 and len(server.requests) == 2


def test_gives_up_after_max_attempts(server: LocalOpenAIServer) -> None:
    server.enqueue(*[Reply.server_error()] * 10)
    with pytest.raises(ModelRequestError, match="after 4 attempt") as caught:
        generate(model_at(server))
    assert caught.value.status == 500 and caught.value.attempts == 4
    assert len(server.requests) == 4


def test_retry_after_beyond_the_limit_is_not_waited_for(server: LocalOpenAIServer) -> None:
    server.enqueue(Reply.rate_limited(3600))
    with pytest.raises(ModelRequestError, match="429"):
        generate(model_at(server))
    assert len(server.requests) == 1


def test_client_errors_fail_at_once_without_leaking_keys(server: LocalOpenAIServer) -> None:
    server.enqueue(Reply.error(401, "Incorrect API key provided: sk-live-0123456789abcdef"))
    model = model_at(server, api_key="sk-live-0123456789abcdef")
    with pytest.raises(ModelRequestError) as caught:
        generate(model)
    assert "401" in str(caught.value)
    assert "0123456789abcdef" not in str(caught.value)
    assert len(server.requests) == 1


def test_json_schema_is_requested_when_supported(server: LocalOpenAIServer) -> None:
    server.enqueue(Reply.text("{}"))
    completion = generate(model_at(server), schema=SCHEMA)
    assert completion.structured
    sent = server.requests[0].body["response_format"]
    assert sent["type"] == "json_schema" and sent["json_schema"]["name"] == "answer"


def test_no_schema_for_endpoints_without_structured_output(server: LocalOpenAIServer) -> None:
    server.enqueue(Reply.text("{}"))
    completion = generate(model_at(server, "anthropic/claude-sonnet-4-5"), schema=SCHEMA)
    assert not completion.structured
    assert "response_format" not in server.requests[0].body


def test_schema_rejection_switches_the_model_to_text(server: LocalOpenAIServer) -> None:
    server.enqueue(
        Reply.error(400, "response_format json_schema is not supported by this model"),
        Reply.error(400, "response_format json_object is not supported by this model"),
    )
    model = model_at(server, "vllm/some-model")
    with pytest.raises(StructuredOutputUnsupported):
        generate(model, schema=SCHEMA)
    assert not model.supports_json_schema


def test_openrouter_reported_cost_is_used(server: LocalOpenAIServer) -> None:
    usage = {"prompt_tokens": 5, "completion_tokens": 5, "total_tokens": 10, "cost": 0.0042}
    server.enqueue(Reply.text("hi", usage=usage))
    completion = generate(model_at(server, "openrouter/acme/unlisted-model"))
    assert completion.usage.cost_usd == 0.0042 and completion.cost_source == "provider"
    assert server.requests[0].body["usage"] == {"include": True}


def test_unknown_price_is_none_and_local_is_free(server: LocalOpenAIServer) -> None:
    server.enqueue(Reply.text("a"), Reply.text("b"))
    unknown = generate(model_at(server, "openai/not-a-real-model"))
    assert unknown.usage.cost_usd is None and unknown.cost_source == "unknown"
    local = generate(model_at(server, "ollama/qwen2.5:7b"))
    assert local.usage.cost_usd == 0.0 and local.cost_source == "free"


def test_refusal_and_missing_content_become_empty_text(server: LocalOpenAIServer) -> None:
    body = {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "gpt-4o",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": None, "refusal": "No."},
                "finish_reason": "stop",
            }
        ],
    }
    server.enqueue(Reply(body=body))
    completion = generate(model_at(server))
    assert completion.text == "" and completion.finish_reason == "refusal"


def test_non_json_body_is_a_reported_failure(server: LocalOpenAIServer) -> None:
    server.enqueue(*[Reply.raw("<html>502 bad gateway</html>")] * 4)
    with pytest.raises(ModelRequestError):
        generate(model_at(server))


def test_recorded_response_replays(server: LocalOpenAIServer) -> None:
    recording = {
        "request": {"model": "gpt-4o", "messages": [{"role": "user", "content": "Say hello."}]},
        "response": {
            "status": 200,
            "headers": {"x-request-id": "req_123"},
            "body": json.loads(
                '{"id": "chatcmpl-1", "object": "chat.completion", "created": 1, '
                '"model": "gpt-4o-2024-08-06", "choices": [{"index": 0, "message": '
                '{"role": "assistant", "content": "Hello!"}, "finish_reason": "stop"}], '
                '"usage": {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11}}'
            ),
        },
    }
    server.enqueue(Reply.recorded(recording))
    completion = generate(model_at(server))
    assert completion.text == "Hello!" and completion.usage.input_tokens == 9


def test_an_html_page_with_status_200_is_retried(server: LocalOpenAIServer) -> None:
    server.enqueue(Reply.html_page(200), Reply.text("ok"))
    completion = generate(model_at(server))
    assert completion.text == "ok" and completion.attempts == 2


def test_an_html_page_every_time_fails_as_a_model_error(server: LocalOpenAIServer) -> None:
    server.enqueue(*[Reply.html_page(200)] * 4)
    with pytest.raises(ModelRequestError, match="unreadable response"):
        generate(model_at(server))


def test_a_missing_usage_block_is_estimated_and_priced(server: LocalOpenAIServer) -> None:
    body = completion_body(Reply.text("a plan " * 50), {"model": "gpt-4o"})
    del body["usage"]
    server.enqueue(Reply(body=body))
    completion = generate(model_at(server))
    assert completion.usage.input_tokens > 0 and completion.usage.output_tokens > 0
    assert completion.cost_source == "estimate"
    assert completion.usage.cost_usd is not None and completion.usage.cost_usd > 0


def test_a_runaway_answer_is_cut_and_reported_as_cut(server: LocalOpenAIServer) -> None:
    server.enqueue(Reply.text("x" * 5_000_000))
    completion = generate(model_at(server, timeout=10))
    assert len(completion.text) == MAX_ANSWER_CHARS
    assert completion.finish_reason == "length"


def test_a_key_the_model_echoes_is_redacted(server: LocalOpenAIServer) -> None:
    key = "sk-echo-0123456789abcdefXYZ"
    server.enqueue(Reply.text(f"Sure, your key is {key}."))
    completion = generate(model_at(server, api_key=key))
    assert key not in completion.text and "[redacted]" in completion.text
