"""The Model protocol: chat messages in; text, usage and cost out.

Every language model ablab talks to (a hosted API, a local server, the fake model shipped for
tests and demos) is used through :class:`Model`. Planners receive a Model; they never build a
client themselves, so the same planner code runs against any endpoint, a cache or a replay.
"""

from __future__ import annotations

import re
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ablab._util.text import strip_controls
from ablab.errors import AblabError
from ablab.schema import Usage

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_model_text(value: Any) -> Any:
    """``value`` (a string, or JSON decoded from a model) made safe to write and to print.

    Unpaired UTF-16 surrogates (a model may cut an emoji's JSON escape in half: ``"\\ud83d"``)
    become U+FFFD, since they cannot be written as UTF-8; terminal control characters (an
    escaped ``"\\u001b"``) are dropped, as they are from papers.
    """
    if isinstance(value, str):
        if _SURROGATE.search(value) is not None:
            value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        return strip_controls(value)
    if isinstance(value, list):
        return [clean_model_text(item) for item in value]
    if isinstance(value, dict):
        return {clean_model_text(k): clean_model_text(v) for k, v in value.items()}
    return value


MAX_ANSWER_CHARS = 200_000
"""Longest model answer kept (about 50k tokens, past any plan, digest part or verdict list): a
longer one is cut here and reported as cut off (``finish_reason="length"``), so a runaway answer
is never stored, logged or sent back whole."""

MAX_QUOTED_ANSWER_CHARS = 8_000
"""Longest part of a failed answer quoted back to the model when it is asked again."""


def quoted_answer(text: str) -> str:
    """A failed answer as quoted back to the model in a re-ask: cut to its head when long."""
    if not text:
        return "(empty answer)"
    if len(text) <= MAX_QUOTED_ANSWER_CHARS:
        return text
    return text[:MAX_QUOTED_ANSWER_CHARS] + f"\n[... answer cut: {len(text):,} characters in all]"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Message(_Frozen):
    """One chat message."""

    role: Literal["system", "user", "assistant"]
    """Who speaks."""
    content: str
    """What is said."""


class ResponseSchema(_Frozen):
    """A JSON schema the response must follow, for endpoints that support structured output."""

    name: str
    """Short identifier of the schema (letters, digits, ``_`` and ``-``)."""
    json_schema: dict[str, Any]
    """The JSON schema itself (strict-mode compatible: every property required, no extras)."""


class GenerateParams(_Frozen):
    """Sampling parameters. Everything here changes the output, so it is part of the cache key."""

    temperature: float | None = None
    """Sampling temperature; None leaves the provider's default (some models accept no other)."""
    max_output_tokens: int | None = None
    """Upper bound on generated tokens; None leaves the provider's default."""
    seed: int | None = None
    """Sampling seed, for providers that honour one."""


class Completion(BaseModel):
    """What a model returned for one request."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    text: str
    """The response text (the JSON document itself when structured output was used)."""
    model: str
    """Full ``provider/model`` name of the model that answered."""
    usage: Usage = Field(default_factory=Usage)
    """Tokens and cost of this request (all zero for a cache hit: it cost nothing)."""
    finish_reason: str | None = None
    """Why generation stopped (``stop``, ``length``, ``content_filter``...), as reported."""
    structured: bool = False
    """Whether the response was constrained by a JSON schema."""
    latency_s: float = 0.0
    """Seconds from the first attempt to the final answer, retries included."""
    attempts: int = 1
    """HTTP attempts made (1 when no retry was needed, 0 for a cache hit)."""
    cached: bool = False
    """Whether the completion was served from the cache."""
    cost_source: Literal["provider", "price_table", "estimate", "free", "unknown"] = "unknown"
    """Where ``usage.cost_usd`` comes from."""
    cache_key: str | None = None
    """Address of this answer in the response cache, when it is stored there."""

    @field_validator("text")
    @classmethod
    def _writable_text(cls, value: str) -> str:
        return str(clean_model_text(value))


class ModelError(AblabError):
    """A model request failed for good (after retries), or the model cannot be used."""


class ModelRequestError(ModelError):
    """The endpoint kept failing or refused the request; the message never holds a key."""

    def __init__(self, message: str, *, status: int | None = None, attempts: int = 1) -> None:
        super().__init__(message)
        self.status = status
        """HTTP status of the last failed attempt, if any."""
        self.attempts = attempts
        """How many attempts were made."""

    @property
    def usage(self) -> Usage:
        """What the failed call spent: every attempt counts as a request (tokens unknown)."""
        return Usage(requests=self.attempts)


class StructuredOutputUnsupported(ModelRequestError):
    """The endpoint rejected every structured-output form; the caller can fall back to text."""


@runtime_checkable
class Model(Protocol):
    """A chat model chosen by a ``provider/model`` name."""

    @property
    def name(self) -> str:
        """Full name, ``provider/model``."""
        ...

    @property
    def supports_json_schema(self) -> bool:
        """Whether requests may carry a :class:`ResponseSchema`."""
        ...

    @property
    def context_window(self) -> int | None:
        """Maximum prompt plus output tokens, when known."""
        ...

    @property
    def cache_identity(self) -> str:
        """What identifies this model's outputs for caching (name plus endpoint), never a key."""
        ...

    async def generate(
        self,
        messages: list[Message],
        *,
        schema: ResponseSchema | None = None,
        params: GenerateParams | None = None,
    ) -> Completion:
        """Answer ``messages``; raise :class:`ModelError` when no answer can be had."""
        ...


class ModelWrapper:
    """Base of models that wrap another (cache, call log): identity and capabilities pass through.

    Subclasses override :meth:`generate`; :meth:`forget` and :meth:`aclose` reach the wrapped
    model, so wrappers can be stacked in any order.
    """

    def __init__(self, inner: Model) -> None:
        self.inner = inner
        self.name = inner.name

    @property
    def context_window(self) -> int | None:
        """As the wrapped model (which may learn it from its server on first use)."""
        return self.inner.context_window

    @property
    def supports_json_schema(self) -> bool:
        """As the wrapped model (which may learn that its endpoint refuses schemas)."""
        return self.inner.supports_json_schema

    @property
    def cache_identity(self) -> str:
        """As the wrapped model."""
        return self.inner.cache_identity

    def forget(self, completion: Completion) -> None:
        """Pass on to the wrapped model (a cache below drops the answer)."""
        method = getattr(self.inner, "forget", None)
        if callable(method):
            method(completion)

    async def aclose(self) -> None:
        """Close the wrapped model's client, if it has one."""
        method = getattr(self.inner, "aclose", None)
        if callable(method):
            await method()
