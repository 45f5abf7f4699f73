"""The chat-completions adapter: any OpenAI-compatible endpoint through the official client.

The client's own retries are switched off: :class:`OpenAICompatibleModel` retries itself so that
it can honour ``Retry-After``, add jitter, count attempts and keep a per-request time-out.
"""

from __future__ import annotations

import asyncio
import threading
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
from ablab.models.dialects import (
    Dialect,
    body_text,
    dialect_chain,
    is_format_rejection,
    learned_dialect,
    remember_dialect,
    response_format,
)
from ablab.models.pricing import has_known_price, price_request
from ablab.models.providers import Provider
from ablab.models.retry import RetryPolicy, backoff_delay, is_retryable_status, parse_retry_after
from ablab.models.secrets import redact, remember_secret
from ablab.models.server_info import probe_context_window
from ablab.models.tokens import estimate_tokens
from ablab.schema import Usage

if TYPE_CHECKING:
    from openai import AsyncOpenAI

DEFAULT_TIMEOUT = 180.0
"""Seconds one HTTP request to a hosted API may take before it is abandoned."""

LOCAL_TIMEOUT = 900.0
"""Seconds one request to a local server may take: a CPU reads a long paper slowly."""

LOCAL_MAX_OUTPUT_TOKENS = 4_096
"""Answer length asked of local servers when none is set (some would otherwise generate until
their context is full, which on a CPU takes many minutes)."""

_CONTEXT_WORDS = (
    "context length",
    "context size",
    "context window",
    "exceed_context_size",
    "maximum context",
    "too many tokens",
)


def _import_openai() -> Any:
    try:
        import openai
    except ImportError as exc:
        raise ModelError("language models need the `lm` extra: pip install 'ablab[lm]'") from exc
    return openai


class OpenAICompatibleModel:
    """A model behind an OpenAI-compatible ``/chat/completions`` endpoint.

    ``structured`` chooses how JSON output is asked for (see :mod:`ablab.models.dialects`):
    ``auto`` starts with the form the endpoint last accepted, else the provider's first, and
    moves to the next form once when the endpoint refuses one.
    """

    def __init__(
        self,
        provider: Provider,
        model_id: str,
        *,
        api_key: str | None,
        base_url: str,
        timeout: float | None = None,
        retry: RetryPolicy | None = None,
        context_window: int | None = None,
        json_schema: bool | None = None,
        structured: str = "auto",
        probe_context: bool = False,
    ) -> None:
        _import_openai()  # a missing extra is a setting to fix once, not a failure per paper
        self.provider = provider
        self.model_id = model_id
        self.name = f"{provider.name}/{model_id}"
        self.base_url = base_url
        self.cache_identity = f"{self.name}@{redact(base_url)}"
        supports = provider.json_schema if json_schema is None else json_schema
        self.structured = structured
        self._chain = dialect_chain(structured, provider_supports_schema=supports)
        self._auto = structured == "auto"
        self._context_window = context_window
        self._probe = probe_context
        self._probe_lock = threading.Lock()
        self.timeout = timeout or (LOCAL_TIMEOUT if provider.local else DEFAULT_TIMEOUT)
        self.retry = retry or RetryPolicy()
        remember_secret(api_key)
        # Local servers accept any key; the client insists on one, so send a placeholder.
        self._api_key = api_key or "no-key"
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncOpenAI] = (
            weakref.WeakKeyDictionary()
        )
        if not provider.local:
            # The price table takes a few tenths of a second to load: now, not at the first
            # answer, where it would hold up the event loop with every request in flight.
            has_known_price(provider.name, model_id)

    def __repr__(self) -> str:  # never shows the key
        return f"OpenAICompatibleModel({self.name!r}, base_url={redact(self.base_url)!r})"

    @property
    def dialect(self) -> Dialect:
        """The structured-output form the next request will use."""
        learned = learned_dialect(self.base_url) if self._auto else None
        return learned if learned in self._chain else self._chain[0]

    @property
    def supports_json_schema(self) -> bool:
        """Whether requests may carry a schema (False once the endpoint refused every form)."""
        return self.dialect != "text"

    @property
    def context_window(self) -> int | None:
        """Prompt plus output tokens: what the local server reports, else the preset's."""
        if self._probe:
            with self._probe_lock:
                if self._probe:
                    reported = probe_context_window(
                        self.base_url, self.model_id, api_key=self._api_key
                    )
                    if reported:
                        self._context_window = reported
                    self._probe = False
        return self._context_window

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
        self,
        messages: list[Message],
        schema: ResponseSchema | None,
        params: GenerateParams,
        dialect: Dialect,
    ) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": self.model_id,
            "messages": [m.model_dump() for m in messages],
        }
        if params.temperature is not None:
            request["temperature"] = params.temperature
        max_tokens = params.max_output_tokens
        if max_tokens is None and self.provider.local:
            max_tokens = LOCAL_MAX_OUTPUT_TOKENS
        if max_tokens is not None:
            request["max_tokens"] = max_tokens
        if params.seed is not None:
            request["seed"] = params.seed
        extra_body: dict[str, Any] = {}
        if schema is not None:
            form = response_format(dialect, schema)
            if form is not None and dialect == "json_object":
                # The client types response_format; llama-cpp-python's ``schema`` beside the
                # type is not in those types, so the whole field goes in the raw body.
                extra_body["response_format"] = form
            elif form is not None:
                request["response_format"] = form
        if self.provider.name == "openrouter":
            extra_body["usage"] = {"include": True}  # ask for the real cost
        if extra_body:
            request["extra_body"] = extra_body
        return request

    def _next_dialect(self, dialect: Dialect) -> Dialect | None:
        """The form to try after ``dialect`` was refused (None: no other form is allowed)."""
        if not self._auto:
            return None
        index = self._chain.index(dialect)
        return self._chain[index + 1] if index + 1 < len(self._chain) else None

    async def generate(
        self,
        messages: list[Message],
        *,
        schema: ResponseSchema | None = None,
        params: GenerateParams | None = None,
    ) -> Completion:
        """Send one chat request, retrying transient failures; see :class:`Model`.

        A refused structured-output form is replaced by the next one at once (not retried);
        when the next one is plain text, :class:`StructuredOutputUnsupported` tells the caller
        to re-ask with a prompt that describes the JSON itself.
        """
        openai = _import_openai()
        params = params or GenerateParams()
        dialect: Dialect = self.dialect if schema is not None else "text"
        if schema is not None and dialect == "text":
            schema = None
        request = self._request(messages, schema, params, dialect)
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
                body = getattr(exc, "body", None)
                reason = f"HTTP {status}: {redact(_error_text(exc))}"
                if schema is not None and is_format_rejection(status, body):
                    following = self._next_dialect(dialect)
                    if following is None or following == "text":
                        if self._auto:
                            remember_dialect(self.base_url, "text")
                        error = (
                            StructuredOutputUnsupported
                            if self._auto
                            else ModelRequestError  # the user chose this form: say so
                        )
                        raise error(
                            f"{self.name} at {self.base_url} refused {dialect} output ({reason})"
                            + ("" if self._auto else "; try --structured auto"),
                            status=status,
                            attempts=attempt,
                        ) from None
                    remember_dialect(self.base_url, following)
                    dialect = following
                    request = self._request(messages, schema, params, dialect)
                    continue
                if not is_retryable_status(status):
                    raise ModelRequestError(
                        f"{self.name}: {reason}{self._context_hint(body)}",
                        status=status,
                        attempts=attempt,
                    ) from None
                retry_after = parse_retry_after(exc.response.headers)
            except openai.APITimeoutError:
                status, reason = None, f"no answer from {self.base_url} within {self.timeout:g} s"
                if self.provider.local:
                    # A local server keeps working on an abandoned request: sending it again
                    # would only queue the copy behind the original.
                    raise ModelRequestError(
                        f"{self.name}: {reason}; a server on a CPU may need a longer --timeout",
                        attempts=attempt,
                    ) from None
            except openai.APIConnectionError as exc:
                status = None
                reason = f"cannot connect to {self.base_url} ({redact(str(exc))})"
                reason += self._connection_hint()
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
        if schema is not None and self._auto:
            remember_dialect(self.base_url, dialect)
        elapsed = time.monotonic() - started
        return self._completion(response, messages, attempt, elapsed, schema)

    def _connection_hint(self) -> str:
        if not self.provider.local:
            return ""
        hint = f"; is the {self.provider.name} server running?"
        if self.provider.server_hint:
            hint += f" {self.provider.server_hint}"
        return hint

    def _context_hint(self, body: Any) -> str:
        text = body_text(body).lower()
        if not any(word in text for word in _CONTEXT_WORDS):
            return ""
        return (
            " — the prompt is longer than the server's context: lower --max-input-tokens "
            "(or start the server with a larger context)"
        )

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


def _reported_cost(raw_usage: Any) -> float | None:
    """The provider's own cost figure (OpenRouter puts ``cost`` in ``usage``), if any."""
    if raw_usage is None:
        return None
    extra = getattr(raw_usage, "model_extra", None) or {}
    cost = extra.get("cost")
    if isinstance(cost, int | float) and not isinstance(cost, bool) and cost >= 0:
        return float(cost)
    return None
