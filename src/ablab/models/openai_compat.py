"""The chat-completions adapter: any OpenAI-compatible endpoint through the official client.

The client's own retries are switched off: :class:`OpenAICompatibleModel` retries itself so that
it can honour ``Retry-After``, add jitter, count attempts and keep a per-request time-out.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from typing import TYPE_CHECKING, Any

from ablab.models.base import (
    MAX_ANSWER_CHARS,
    Completion,
    GenerateParams,
    Message,
    ModelError,
    ModelRequestError,
    ResponseSchema,
    StructuredOutputUnsupported,
)
from ablab.models.pricing import price_request
from ablab.models.providers import Provider
from ablab.models.retry import RetryPolicy, backoff_delay, is_retryable_status, parse_retry_after
from ablab.models.secrets import redact, remember_secret
from ablab.models.tokens import estimate_tokens
from ablab.schema import Usage

if TYPE_CHECKING:
    from openai import AsyncOpenAI

DEFAULT_TIMEOUT = 180.0
"""Seconds one HTTP request may take before it is abandoned and retried."""

# Words in a 400 error that show the endpoint does not understand structured output.
_SCHEMA_REJECTION_HINTS = ("response_format", "json_schema", "structured", "schema")


def _import_openai() -> Any:
    try:
        import openai
    except ImportError as exc:
        raise ModelError("language models need the `lm` extra: pip install 'ablab[lm]'") from exc
    return openai


class OpenAICompatibleModel:
    """A model behind an OpenAI-compatible ``/chat/completions`` endpoint."""

    def __init__(
        self,
        provider: Provider,
        model_id: str,
        *,
        api_key: str | None,
        base_url: str,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        context_window: int | None = None,
        json_schema: bool | None = None,
    ) -> None:
        _import_openai()  # a missing extra is a setting to fix once, not a failure per paper
        self.provider = provider
        self.model_id = model_id
        self.name = f"{provider.name}/{model_id}"
        self.base_url = base_url
        self.cache_identity = f"{self.name}@{redact(base_url)}"
        self.supports_json_schema = provider.json_schema if json_schema is None else json_schema
        self.context_window = context_window
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        remember_secret(api_key)
        # Local servers accept any key; the client insists on one, so send a placeholder.
        self._api_key = api_key or "no-key"
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncOpenAI] = (
            weakref.WeakKeyDictionary()
        )

    def __repr__(self) -> str:  # never shows the key
        return f"OpenAICompatibleModel({self.name!r}, base_url={redact(self.base_url)!r})"

    def _client(self) -> AsyncOpenAI:
        # An async client is bound to the event loop that first used it: keep one per loop.
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            openai = _import_openai()
            client = openai.AsyncOpenAI(
                api_key=self._api_key, base_url=self.base_url, max_retries=0, timeout=self.timeout
            )
            self._clients[loop] = client
        return client

    async def aclose(self) -> None:
        """Close the HTTP client of the running event loop."""
        client = self._clients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.close()

    def _request(
        self, messages: list[Message], schema: ResponseSchema | None, params: GenerateParams
    ) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": self.model_id,
            "messages": [m.model_dump() for m in messages],
        }
        if params.temperature is not None:
            request["temperature"] = params.temperature
        if params.max_output_tokens is not None:
            request["max_tokens"] = params.max_output_tokens
        if params.seed is not None:
            request["seed"] = params.seed
        if schema is not None:
            request["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": schema.name, "schema": schema.json_schema, "strict": True},
            }
        if self.provider.name == "openrouter":
            request["extra_body"] = {"usage": {"include": True}}  # ask for the real cost
        return request

    async def generate(
        self,
        messages: list[Message],
        *,
        schema: ResponseSchema | None = None,
        params: GenerateParams | None = None,
    ) -> Completion:
        """Send one chat request, retrying transient failures; see :class:`Model`."""
        openai = _import_openai()
        use_schema = schema if schema is not None and self.supports_json_schema else None
        request = self._request(messages, use_schema, params or GenerateParams())
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            retry_after: float | None = None
            try:
                response = await self._client().chat.completions.create(
                    **request, timeout=self.timeout
                )
                if not isinstance(response, openai.types.chat.ChatCompletion):
                    # HTTP 200 with a body that is not JSON (a proxy's HTML error page): the
                    # client hands back the text; retried like any unreadable response.
                    raise ValueError("not a chat completion")
                break
            except openai.APIStatusError as exc:
                status = exc.status_code
                reason = f"HTTP {status}: {redact(_error_text(exc))}"
                if status == 400 and use_schema is not None and _mentions_schema(exc):
                    self.supports_json_schema = False
                    raise StructuredOutputUnsupported(
                        f"{self.name} rejected JSON-schema output ({reason})"
                    ) from None
                if not is_retryable_status(status):
                    raise ModelRequestError(
                        f"{self.name}: {reason}", status=status, attempts=attempt
                    ) from None
                retry_after = parse_retry_after(exc.response.headers)
            except openai.APITimeoutError:
                status, reason = None, f"no answer within {self.timeout:g} s"
            except openai.APIConnectionError as exc:
                status, reason = None, f"connection failed ({redact(str(exc))})"
            except (ValueError, openai.APIResponseValidationError) as exc:
                # A body that is not a chat completion (a proxy's HTML page, cut-off JSON):
                # usually transient, so it is retried like a server error.
                status, reason = None, f"unreadable response ({type(exc).__name__})"
            except openai.APIError as exc:
                raise ModelRequestError(
                    f"{self.name}: {redact(str(exc))}", attempts=attempt
                ) from None
            if attempt >= self.retry.max_attempts or (
                retry_after is not None and retry_after > self.retry.max_retry_after
            ):
                raise ModelRequestError(
                    f"{self.name}: {reason}; gave up after {attempt} attempt(s)",
                    status=status,
                    attempts=attempt,
                )
            await asyncio.sleep(backoff_delay(attempt, self.retry, retry_after))
        elapsed = time.monotonic() - started
        return self._completion(response, messages, attempt, elapsed, use_schema)

    def _completion(
        self,
        response: Any,
        messages: list[Message],
        attempts: int,
        latency: float,
        schema: ResponseSchema | None,
    ) -> Completion:
        choice = response.choices[0] if response.choices else None
        message = choice.message if choice is not None else None
        text = (message.content if message is not None else None) or ""
        finish = choice.finish_reason if choice is not None else None
        if message is not None and not text and getattr(message, "refusal", None):
            finish = "refusal"
        # A key the model echoes (from a prompt, a paper) is never stored anywhere downstream.
        text = redact(text, shapes=False)
        answer_tokens = estimate_tokens(text)
        if len(text) > MAX_ANSWER_CHARS:
            text, finish = text[:MAX_ANSWER_CHARS], "length"
        raw_usage = response.usage
        input_tokens = int(getattr(raw_usage, "prompt_tokens", 0) or 0)
        output_tokens = int(getattr(raw_usage, "completion_tokens", 0) or 0)
        estimated = input_tokens == 0 and output_tokens == 0
        if estimated:  # no usage reported: count it ourselves rather than charge nothing
            input_tokens = sum(estimate_tokens(m.content) for m in messages)
            output_tokens = answer_tokens
        reported = _reported_cost(raw_usage)
        cost, source = price_request(
            self.provider.name,
            self.model_id,
            input_tokens,
            output_tokens,
            reported=reported,
            free=self.provider.local,
            estimated=estimated,
        )
        return Completion(
            text=text,
            model=self.name,
            usage=Usage(
                requests=attempts,
                input_tokens=input_tokens,
                output_tokens=output_tokens,
                cost_usd=cost,
            ),
            finish_reason=finish,
            structured=schema is not None,
            latency_s=latency,
            attempts=attempts,
            cost_source=source,
        )


def _error_text(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        message = body.get("message") or body.get("error")
        if isinstance(message, dict):
            message = message.get("message")
        if message:
            return str(message)[:300]
    return str(getattr(exc, "message", exc))[:300]


def _mentions_schema(exc: Any) -> bool:
    text = _error_text(exc).lower()
    return any(hint in text for hint in _SCHEMA_REJECTION_HINTS)


def _reported_cost(raw_usage: Any) -> float | None:
    """The provider's own cost figure (OpenRouter puts ``cost`` in ``usage``), if any."""
    if raw_usage is None:
        return None
    extra = getattr(raw_usage, "model_extra", None) or {}
    cost = extra.get("cost")
    if isinstance(cost, int | float) and not isinstance(cost, bool) and cost >= 0:
        return float(cost)
    return None
