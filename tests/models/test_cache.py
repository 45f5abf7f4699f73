"""The response cache: keyed on what changes the output, free on a hit, never storing failures."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from ablab.models import (
    CachedModel,
    FakeModel,
    FakeReply,
    GenerateParams,
    Message,
    ModelRequestError,
    ResponseCache,
    ResponseSchema,
    RetryPolicy,
    get_model,
)
from ablab.models.cache import cache_key, forget
from lm_server import LocalOpenAIServer, Reply

HELLO = [Message(role="user", content="hello")]
SCHEMA = ResponseSchema(name="s", json_schema={"type": "object"})


def test_key_covers_model_messages_params_and_schema() -> None:
    model = FakeModel(identity="fake/a")
    base = cache_key(model, HELLO, GenerateParams(), None)
    assert base == cache_key(FakeModel(identity="fake/a"), HELLO, GenerateParams(), None)
    assert base != cache_key(FakeModel(identity="fake/b"), HELLO, GenerateParams(), None)
    other = [Message(role="user", content="hello!")]
    assert base != cache_key(model, other, GenerateParams(), None)
    assert base != cache_key(model, HELLO, GenerateParams(temperature=0.0), None)
    assert base != cache_key(model, HELLO, GenerateParams(), SCHEMA)


def test_key_ignores_timeouts_retries_and_keys() -> None:
    url = "http://127.0.0.1:9/v1"
    patient = get_model("openai/gpt-4o", base_url=url, timeout=600, api_key="sk-aaaaaaaaaaaa")
    hasty = get_model(
        "openai/gpt-4o", base_url=url, timeout=1, retry=RetryPolicy(max_attempts=1), api_key="x"
    )
    assert cache_key(patient, HELLO, GenerateParams(), None) == cache_key(
        hasty, HELLO, GenerateParams(), None
    )
    elsewhere = get_model("openai/gpt-4o", base_url="http://127.0.0.1:8/v1")
    assert cache_key(patient, HELLO, GenerateParams(), None) != cache_key(
        elsewhere, HELLO, GenerateParams(), None
    )


def test_second_request_is_served_without_a_request(
    server: LocalOpenAIServer, tmp_path: Path
) -> None:
    server.enqueue(Reply.text("cached answer"))
    cache = ResponseCache(tmp_path / "c")

    async def twice() -> tuple[object, object]:
        model = CachedModel(get_model("openai/gpt-4o", base_url=server.base_url), cache)
        first = await model.generate(HELLO)
        second = await model.generate(HELLO)
        await model.aclose()
        return first, second

    first, second = asyncio.run(twice())
    assert len(server.requests) == 1
    assert second.text == "cached answer" and second.cached  # type: ignore[attr-defined]
    assert second.usage.requests == 0 and second.usage.cost_usd == 0.0  # type: ignore[attr-defined]
    assert first.usage.cost_usd > 0  # type: ignore[attr-defined]
    assert "sk-" not in "".join(p.read_text() for p in (tmp_path / "c").rglob("*.json"))


def test_empty_truncated_refused_and_failed_answers_are_not_stored(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    script = [
        FakeReply(""),
        FakeReply("partial", finish_reason="length"),
        FakeReply("", finish_reason="refusal"),
        FakeReply(error="boom"),
    ]
    model = CachedModel(FakeModel(script, identity="fake/x"), cache)

    async def run() -> None:
        for _ in range(3):
            await model.generate(HELLO)
        with pytest.raises(ModelRequestError):
            await model.generate(HELLO)

    asyncio.run(run())
    assert cache.info().entries == 0


def test_forget_removes_a_rejected_answer(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    model = CachedModel(FakeModel(["one", "two"], identity="fake/x"), cache)
    first = asyncio.run(model.generate(HELLO))
    assert cache.info().entries == 1 and first.cache_key is not None
    forget(model, first)
    assert cache.info().entries == 0
    assert asyncio.run(model.generate(HELLO)).text == "two"


def test_corrupt_entry_counts_as_a_miss(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    model = CachedModel(FakeModel(["good", "again"], identity="fake/x"), cache)
    stored = asyncio.run(model.generate(HELLO))
    path = next(tmp_path.rglob(f"{stored.cache_key}.json"))
    path.write_text("{not json")
    assert asyncio.run(model.generate(HELLO)).text == "again"


def test_info_and_clear_by_model(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    a = CachedModel(FakeModel(["x", "y"], name="fake/a", identity="fake/a"), cache)
    b = CachedModel(FakeModel(["z"], name="fake/b", identity="fake/b"), cache)
    asyncio.run(a.generate(HELLO))
    asyncio.run(a.generate([Message(role="user", content="other")]))
    asyncio.run(b.generate(HELLO))
    info = cache.info()
    assert info.entries == 3 and info.by_model == {"fake/a": 2, "fake/b": 1}
    assert info.size_bytes > 0
    assert cache.clear("fake/a") == 2
    assert cache.info().by_model == {"fake/b": 1}
    assert cache.clear() == 1 and cache.info().entries == 0


def test_clear_deletes_only_cache_entries(tmp_path: Path) -> None:
    # ABLAB_CACHE_DIR pointed at a folder with other files (a home directory, a project).
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "package.json").write_text("{}")
    cache = ResponseCache(tmp_path)
    asyncio.run(
        CachedModel(FakeModel(["x"], name="fake/a", identity="fake/a"), cache).generate(HELLO)
    )
    assert cache.info().entries == 1
    assert cache.clear() == 1
    assert (tmp_path / "js" / "package.json").read_text() == "{}"
