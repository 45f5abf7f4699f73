"""Costs: provider figure first, then the price table; unknown is None, never zero."""

from __future__ import annotations

from ablab.models.pricing import has_known_price, price_request


def test_price_table_knows_the_benchmark_models() -> None:
    cost, source = price_request("openai", "gpt-4o", 1_000_000, 0)
    assert source == "price_table" and cost is not None and cost > 0
    more, _ = price_request("openai", "gpt-4o", 1_000_000, 1_000_000)
    assert more is not None and more > cost
    assert has_known_price("gemini", "gemini-2.5-flash")


def test_unknown_models_have_unknown_cost() -> None:
    assert price_request("openai", "no-such-model-xyz", 10, 10) == (None, "unknown")
    assert price_request("openrouter", "acme/unlisted", 10, 10) == (None, "unknown")
    assert not has_known_price("openai", "no-such-model-xyz")


def test_reported_cost_wins_and_local_is_free() -> None:
    assert price_request("openrouter", "openai/gpt-4o", 10, 10, reported=0.0123) == (
        0.0123,
        "provider",
    )
    assert price_request("ollama", "qwen2.5:7b", 10_000, 10_000, free=True) == (0.0, "free")
