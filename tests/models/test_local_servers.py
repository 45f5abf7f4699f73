"""Local model servers as they answer: structured-output dialects, context, time-outs, errors.

The error bodies below are written for these tests in the shapes the servers use (an OpenAI-style
``{"error": {...}}`` object, vLLM's flat ``{"object": "error", ...}``, FastAPI's 422 ``detail``
list), and replayed by a local server the test starts.
"""

from __future__ import annotations

import asyncio
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
from ablab.models.base import Completion, Model
from ablab.models.server_info import context_from_models, context_from_props
from lm_server import UNREACHABLE_URL, LocalOpenAIServer, Reply

FAST = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, max_retry_after=5)
SCHEMA = ResponseSchema(
    name="answer",
    json_schema={
        "type": "object",
        "properties": {"ok": {"type": "boolean"}},
        "required": ["ok"],
        "additionalProperties": False,
    },
)
HELLO = [Message(role="user", content="Answer in JSON.")]

# llama-cpp-python's server (0.3.x) accepts only "text" or "json_object": its request model
# rejects any other type, and its error handler reports that validation error as an HTTP 500
# (body shape as observed from `python -m llama_cpp.server`, message abridged).
LLAMA_CPP_PYTHON_500 = Reply(
    status=500,
    body={
        "error": {
            "message": "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', "
            "'response_format', 'type'), 'msg': \"Input should be 'text' or 'json_object'\", "
            "'input': 'json_schema'}",
            "type": "internal_server_error",
            "param": None,
            "code": None,
        }
    },
)
# A FastAPI server validating the request body.
FASTAPI_422 = Reply(
    status=422,
    body={
        "detail": [
            {
                "type": "literal_error",
                "loc": ["body", "response_format", "type"],
                "msg": "Input should be 'text'",
                "input": "json_object",
            }
        ]
    },
)
# llama-server refusing a prompt longer than the context it was started with.
LLAMA_SERVER_CONTEXT_400 = Reply(
    status=400,
    body={
        "error": {
            "code": 400,
            "message": "the request exceeds the available context size, try increasing it",
            "type": "exceed_context_size_error",
            "n_prompt_tokens": 9120,
            "n_ctx": 4096,
        }
    },
)
# vLLM's flat error object for the same situation.
VLLM_CONTEXT_400 = Reply(
    status=400,
    body={
        "object": "error",
        "message": "This model's maximum context length is 4096 tokens. However, you requested "
        "9120 tokens in the messages. Please reduce the length of the messages.",
        "type": "BadRequestError",
        "param": None,
        "code": 400,
    },
)
UNRELATED_500 = Reply(status=500, body={"error": {"message": "CUDA out of memory"}})


def model_at(server: LocalOpenAIServer, name: str = "llamacpp/local", **options: Any) -> Model:
    options.setdefault("retry", FAST)
    options.setdefault("timeout", 0.5)
    return get_model(name, base_url=server.base_url, **options)


def generate(model: Model, **options: Any) -> Completion:
    async def call() -> Completion:
        try:
            return await model.generate(HELLO, **options)
        finally:
            await model.aclose()  # type: ignore[attr-defined]

    return asyncio.run(call())


def formats(server: LocalOpenAIServer) -> list[Any]:
    return [
        (r.body or {}).get("response_format")
        for r in server.requests
        if r.path.endswith("/chat/completions")
    ]


def test_llama_cpp_python_500_falls_back_to_json_object_with_schema(
    server: LocalOpenAIServer,
) -> None:
    server.enqueue(LLAMA_CPP_PYTHON_500, Reply.text('{"ok": true}'))
    completion = generate(model_at(server), schema=SCHEMA)
    assert completion.text == '{"ok": true}' and completion.structured
    first, second = formats(server)
    assert first["type"] == "json_schema"
    assert second == {"type": "json_object", "schema": SCHEMA.json_schema}
    # The refused attempt was a request too, and it was not retried six times.
    assert completion.attempts == 2 and completion.usage.requests == 2


def test_the_accepted_form_is_remembered_for_the_endpoint(server: LocalOpenAIServer) -> None:
    server.enqueue(LLAMA_CPP_PYTHON_500, Reply.text('{"ok": true}'), Reply.text('{"ok": false}'))
    generate(model_at(server), schema=SCHEMA)
    again = generate(model_at(server), schema=SCHEMA)  # a new model object, same endpoint
    assert again.attempts == 1
    assert [f["type"] for f in formats(server)] == ["json_schema", "json_object", "json_object"]


def test_every_form_refused_ends_in_text(server: LocalOpenAIServer) -> None:
    server.enqueue(Reply.error(400, "response_format json_schema is not supported"), FASTAPI_422)
    model = model_at(server, "vllm/some-model")
    with pytest.raises(StructuredOutputUnsupported) as caught:
        generate(model, schema=SCHEMA)
    assert caught.value.attempts == 2 and caught.value.usage.requests == 2
    assert not model.supports_json_schema
    server.enqueue(Reply.text("plain"))
    later = generate(model, schema=SCHEMA)
    assert not later.structured and formats(server)[-1] is None


def test_an_unrelated_500_is_retried_not_taken_for_a_refusal(server: LocalOpenAIServer) -> None:
    server.enqueue(UNRELATED_500, Reply.text('{"ok": true}'))
    completion = generate(model_at(server), schema=SCHEMA)
    assert [f["type"] for f in formats(server)] == ["json_schema", "json_schema"]
    assert completion.attempts == 2


@pytest.mark.parametrize("forced", ["json_object", "text"])
def test_structured_option_forces_one_form(server: LocalOpenAIServer, forced: str) -> None:
    server.enqueue(Reply.text('{"ok": true}'))
    generate(model_at(server, structured=forced), schema=SCHEMA)
    sent = formats(server)[0]
    assert (sent or {}).get("type") == (None if forced == "text" else forced)


def test_a_forced_form_that_is_refused_is_an_error_not_a_fallback(
    server: LocalOpenAIServer,
) -> None:
    server.enqueue(LLAMA_CPP_PYTHON_500)
    with pytest.raises(ModelRequestError, match="--structured auto") as caught:
        generate(model_at(server, structured="json_schema"), schema=SCHEMA)
    assert not isinstance(caught.value, StructuredOutputUnsupported)
    assert len(formats(server)) == 1


@pytest.mark.parametrize(
    "reply", [LLAMA_SERVER_CONTEXT_400, VLLM_CONTEXT_400], ids=["llama", "vllm"]
)
def test_context_overflow_names_max_input_tokens(server: LocalOpenAIServer, reply: Reply) -> None:
    server.enqueue(reply)
    with pytest.raises(ModelRequestError, match="--max-input-tokens"):
        generate(model_at(server))
    assert len(formats(server)) == 1


def test_context_length_comes_from_llama_server_props(server: LocalOpenAIServer) -> None:
    server.get_routes["/props"] = {"default_generation_settings": {"n_ctx": 4096}}
    assert model_at(server).context_window == 4096


def test_context_length_comes_from_vllm_models(server: LocalOpenAIServer) -> None:
    server.get_routes["/v1/models"] = {
        "object": "list",
        "data": [{"id": "some-model", "object": "model", "max_model_len": 16384}],
    }
    assert model_at(server, "vllm/some-model").context_window == 16384


def test_without_a_reported_context_the_preset_stays(server: LocalOpenAIServer) -> None:
    assert model_at(server, "ollama/qwen2.5:7b").context_window == 8192
    hosted = model_at(server, "openai/gpt-4o")  # hosted APIs are not asked
    assert hosted.context_window == 128_000


def test_context_readers_ignore_other_shapes() -> None:
    assert context_from_props({"n_ctx": 2048}) == 2048
    assert context_from_props({"default_generation_settings": {"n_ctx": "big"}}) is None
    assert (
        context_from_models({"data": [{"id": "a", "max_model_len": 1}, {"id": "b"}]}, "c") is None
    )
    assert context_from_models({"data": [{"id": "x", "context_length": 8000}]}, "y") == 8000


def test_local_requests_ask_for_a_bounded_answer(server: LocalOpenAIServer) -> None:
    from ablab.models import GenerateParams

    server.enqueue(Reply.text("a"), Reply.text("b"))
    generate(model_at(server))
    generate(model_at(server), params=GenerateParams(max_output_tokens=300))
    assert [r.body["max_tokens"] for r in server.requests] == [4096, 300]


def test_a_local_time_out_is_not_sent_again_behind_itself(server: LocalOpenAIServer) -> None:
    server.enqueue(Reply.slow(1.0, "late"), Reply.text("never asked"))
    with pytest.raises(ModelRequestError, match="--timeout") as caught:
        generate(model_at(server, timeout=0.2))
    assert caught.value.attempts == 1 and len(server.requests) == 1


def test_connection_error_names_the_url_and_the_assumed_port() -> None:
    model = get_model("llamacpp/local", base_url=UNREACHABLE_URL, retry=FAST, timeout=0.5)
    with pytest.raises(ModelRequestError) as caught:
        generate(model)
    message = str(caught.value)
    assert UNREACHABLE_URL in message and "8000" in message and "8080" in message
    assert caught.value.attempts == FAST.max_attempts
    assert caught.value.usage.requests == FAST.max_attempts
