"""Fake models shipped in the library, for tests and offline demos (``fake/...`` names).

- :class:`FakeModel` answers from a script: a list of texts, errors to raise, or a function of the
  messages. ``fake/script`` reads the script from the JSONL file named by ``$ABLAB_FAKE_SCRIPT``.
- ``fake/heuristic`` knows ablab's prompts and planners, so it is not here: it lives in
  :mod:`ablab.demo` and registers through the ``ablab.models`` entry-point group.

Fake models are free and count tokens with the same estimate the budgeter uses.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ablab.errors import ConfigError
from ablab.models.base import (
    Completion,
    GenerateParams,
    Message,
    ModelRequestError,
    ResponseSchema,
)
from ablab.models.tokens import estimate_tokens
from ablab.schema import Usage

SCRIPT_ENV = "ABLAB_FAKE_SCRIPT"
"""Environment variable naming the JSONL script of ``fake/script``."""


@dataclass(frozen=True)
class FakeReply:
    """One scripted answer of a fake model."""

    content: str = ""
    """Response text."""
    finish_reason: str = "stop"
    """Reported finish reason."""
    error: str | None = None
    """When set, the request fails with this message instead of answering."""


@dataclass
class FakeCall:
    """A request a fake model received."""

    messages: list[Message]
    schema: ResponseSchema | None
    params: GenerateParams


Script = Iterable[str | FakeReply] | Callable[[list[Message]], str | FakeReply]


@dataclass
class FakeModel:
    """A model that answers from a script; see the module docstring."""

    script: Script = ()
    """Replies in order, or a function of the messages."""
    name: str = "fake/script"
    """Full model name."""
    supports_json_schema: bool = True
    """Whether to accept (and report honouring) JSON-schema requests."""
    context_window: int | None = 1_000_000
    """Window reported to the budgeter."""
    identity: str | None = None
    """Cache identity; by default unique to this instance, as its outputs depend on its script."""
    calls: list[FakeCall] = field(default_factory=list)
    """Every request received, in order."""

    def __post_init__(self) -> None:
        self._replies = None if callable(self.script) else iter(list(self.script))

    @property
    def cache_identity(self) -> str:
        """What the cache keys this model's outputs on."""
        return self.identity or f"{self.name}#{id(self)}"

    async def generate(
        self,
        messages: list[Message],
        *,
        schema: ResponseSchema | None = None,
        params: GenerateParams | None = None,
    ) -> Completion:
        """Answer with the next scripted reply."""
        self.calls.append(FakeCall(list(messages), schema, params or GenerateParams()))
        if self._replies is None:
            reply = self.script(messages)  # type: ignore[operator]
        else:
            reply = next(self._replies, None)
            if reply is None:
                raise ModelRequestError(f"{self.name}: the script has no more replies")
        if isinstance(reply, str):
            reply = FakeReply(content=reply)
        if reply.error is not None:
            raise ModelRequestError(f"{self.name}: {reply.error}")
        prompt = "\n".join(m.content for m in messages)
        return Completion(
            text=reply.content,
            model=self.name,
            usage=Usage(
                requests=1,
                input_tokens=estimate_tokens(prompt),
                output_tokens=estimate_tokens(reply.content),
                cost_usd=0.0,
            ),
            finish_reason=reply.finish_reason,
            structured=schema is not None and self.supports_json_schema,
            cost_source="free",
        )


def load_script(path: Path) -> list[FakeReply]:
    """Read a JSONL script: per line a JSON string or ``{"content", "finish_reason", "error"}``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read fake-model script {path}: {exc.strerror}") from None
    replies = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{number}: not JSON ({exc.msg})") from None
        if isinstance(item, str):
            replies.append(FakeReply(content=item))
        elif isinstance(item, dict) and set(item) <= {"content", "finish_reason", "error"}:
            replies.append(FakeReply(**{k: v for k, v in item.items() if v is not None}))
        else:
            raise ConfigError(
                f"{path}:{number}: expected a string or an object with content/finish_reason/error"
            )
    return replies


FAKE_MODELS = {
    "script": f"replays the JSONL script named by ${SCRIPT_ENV}",
}
"""The fake models of this module; domain-aware ones (``fake/heuristic``) register through the
``ablab.models`` entry-point group (see :mod:`ablab.demo`)."""


def fake_model(model_id: str, *, script_path: Path | None = None) -> FakeModel:
    """The shipped fake model called ``fake/<model_id>``."""
    if model_id == "script":
        path = script_path or (Path(os.environ[SCRIPT_ENV]) if os.environ.get(SCRIPT_ENV) else None)
        if path is None:
            raise ConfigError(f"fake/script needs a script: set {SCRIPT_ENV}=path/to/replies.jsonl")
        replies = load_script(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        return FakeModel(replies, name="fake/script", identity=f"fake/script@{digest}")
    raise ConfigError(f"unknown fake model fake/{model_id}")
