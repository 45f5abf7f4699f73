"""The fake models shipped for tests and demos."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from ablab.errors import ConfigError
from ablab.models import FakeModel, FakeReply, Message, ModelRequestError, get_model
from ablab.models.fake import load_script

HELLO = [Message(role="user", content="hello")]


def test_script_is_replayed_in_order_then_exhausted() -> None:
    model = FakeModel(["one", FakeReply("two", finish_reason="length")])
    assert asyncio.run(model.generate(HELLO)).text == "one"
    second = asyncio.run(model.generate(HELLO))
    assert second.text == "two" and second.finish_reason == "length"
    with pytest.raises(ModelRequestError, match="no more replies"):
        asyncio.run(model.generate(HELLO))
    assert len(model.calls) == 3 and model.calls[0].messages == HELLO


def test_scripted_errors_and_responder_functions() -> None:
    failing = FakeModel([FakeReply(error="overloaded")])
    with pytest.raises(ModelRequestError, match="overloaded"):
        asyncio.run(failing.generate(HELLO))
    echo = FakeModel(lambda messages: messages[-1].content.upper())
    completion = asyncio.run(echo.generate(HELLO))
    assert completion.text == "HELLO"
    assert completion.usage.cost_usd == 0.0 and completion.usage.input_tokens > 0


def test_script_file_via_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "replies.jsonl"
    script.write_text(
        json.dumps("first") + "\n\n" + json.dumps({"content": "second", "finish_reason": "stop"})
    )
    monkeypatch.setenv("ABLAB_FAKE_SCRIPT", str(script))
    model = get_model("fake/script")
    assert [asyncio.run(model.generate(HELLO)).text for _ in range(2)] == ["first", "second"]
    assert model.cache_identity.startswith("fake/script@")


@pytest.mark.parametrize("content", ["{oops", "[1, 2]", '{"text": "x"}'])
def test_bad_script_lines_are_config_errors(tmp_path: Path, content: str) -> None:
    script = tmp_path / "bad.jsonl"
    script.write_text(content + "\n")
    with pytest.raises(ConfigError, match="bad.jsonl:1"):
        load_script(script)
    with pytest.raises(ConfigError, match="cannot read"):
        load_script(tmp_path / "missing.jsonl")
