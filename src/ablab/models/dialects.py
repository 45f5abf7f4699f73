"""How each kind of server is asked for structured (JSON) output, and how a refusal looks.

OpenAI-compatible servers disagree on ``response_format``:

- ``json_schema`` — ``{"type": "json_schema", "json_schema": {"name", "schema", "strict"}}``:
  OpenAI, vLLM, llama.cpp's ``llama-server``, and Ollama (0.5 and later), whose compatibility
  layer turns it into Ollama's own ``format`` field;
- ``json_object`` — ``{"type": "json_object", "schema": {...}}``: llama-cpp-python's server
  (``python -m llama_cpp.server``) accepts only ``text`` or ``json_object`` and constrains the
  output to the ``schema`` given beside the type; llama-server and older Ollama versions accept
  this form too (Ollama then only asks for JSON);
- ``text`` — no ``response_format``; the prompt describes the JSON and the answer is repaired.

With ``auto`` a model starts with its provider's first form and, when the endpoint refuses a
form, moves once to the next; what an endpoint accepted is remembered for the process, so later
requests (other papers, other writers) go straight to the form that works.
"""

from __future__ import annotations

import json
import threading
from typing import Any, Literal

from ablab.errors import ConfigError
from ablab.models.base import ResponseSchema

Dialect = Literal["json_schema", "json_object", "text"]
"""A way of asking for structured output."""

STRUCTURED_CHOICES = ("auto", "json_schema", "json_object", "text")
"""Values of ``--structured``: ``auto`` tries the provider's forms in order."""

FALLBACK_ORDER: tuple[Dialect, ...] = ("json_schema", "json_object", "text")
"""The forms in the order ``auto`` tries them."""

# Words that show a refused request was about its response format, not about the prompt.
_FORMAT_WORDS = ("response_format", "json_schema", "json_object", "structured", "schema")

_learned: dict[str, Dialect] = {}
_learned_lock = threading.Lock()


def dialect_chain(structured: str, *, provider_supports_schema: bool) -> tuple[Dialect, ...]:
    """The forms to try, in order, for a ``--structured`` choice."""
    if structured == "auto":
        return FALLBACK_ORDER if provider_supports_schema else ("text",)
    if structured not in STRUCTURED_CHOICES:
        raise ConfigError(
            f"--structured must be one of {', '.join(STRUCTURED_CHOICES)}, not {structured!r}"
        )
    return (structured,)  # type: ignore[return-value]


def response_format(dialect: Dialect, schema: ResponseSchema) -> dict[str, Any] | None:
    """The ``response_format`` field of a request in ``dialect`` (None for plain text)."""
    if dialect == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": schema.name, "schema": schema.json_schema, "strict": True},
        }
    if dialect == "json_object":
        return {"type": "json_object", "schema": schema.json_schema}
    return None


def is_format_rejection(status: int, body: Any) -> bool:
    """Whether an error answer refuses the request's response format.

    400 and 422 (request validation) count when the body names the format; a 500 counts only
    when its body names ``response_format`` itself (llama-cpp-python reports an unsupported
    type as an internal error).
    """
    text = body_text(body).lower()
    if status in (400, 422):
        return any(word in text for word in _FORMAT_WORDS)
    if status == 500:
        return "response_format" in text
    return False


def body_text(body: Any) -> str:
    """An error body as one string (JSON re-serialised), for matching words in it."""
    if body is None:
        return ""
    if isinstance(body, str):
        return body
    try:
        return json.dumps(body, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(body)


def learned_dialect(endpoint: str) -> Dialect | None:
    """The form ``endpoint`` last accepted (or fell back to) in this process, if any."""
    with _learned_lock:
        return _learned.get(endpoint)


def remember_dialect(endpoint: str, dialect: Dialect) -> None:
    """Remember that ``endpoint`` should be asked in ``dialect`` from now on."""
    with _learned_lock:
        _learned[endpoint] = dialect


def forget_dialects() -> None:
    """Forget every endpoint's form (tests; a server that was upgraded meanwhile)."""
    with _learned_lock:
        _learned.clear()
