"""Model names, provider endpoints and context windows."""

from __future__ import annotations

import pytest

from ablab.errors import ConfigError
from ablab.models import get_model
from ablab.models.fake import FakeModel
from ablab.models.openai_compat import OpenAICompatibleModel
from ablab.models.providers import DEFAULT_CONTEXT_WINDOW, context_window_for, split_model_name


def test_names_split_on_the_first_slash() -> None:
    assert split_model_name("openrouter/openai/gpt-4o") == ("openrouter", "openai/gpt-4o")
    assert split_model_name("ollama/qwen2.5:7b") == ("ollama", "qwen2.5:7b")


@pytest.mark.parametrize("name", ["gpt-4o", "openai/", "/gpt-4o", "acme/model"])
def test_bad_names_are_config_errors(name: str) -> None:
    with pytest.raises(ConfigError):
        split_model_name(name)


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("ollama/llama3.1:8b", "http://localhost:11434/v1"),
        ("vllm/meta-llama/Llama-3.1-8B", "http://localhost:8000/v1"),
        ("llamacpp/any", "http://localhost:8080/v1"),
    ],
)
def test_local_servers_need_no_key(monkeypatch: pytest.MonkeyPatch, name: str, url: str) -> None:
    for variable in ("ABLAB_OLLAMA_BASE_URL", "ABLAB_VLLM_BASE_URL", "ABLAB_LLAMACPP_BASE_URL"):
        monkeypatch.delenv(variable, raising=False)
    model = get_model(name)
    assert isinstance(model, OpenAICompatibleModel)
    assert model.base_url == url
    assert model.provider.local


def test_base_url_option_beats_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ABLAB_VLLM_BASE_URL", "http://127.0.0.1:9999/v1")
    assert get_model("vllm/m").base_url == "http://127.0.0.1:9999/v1"  # type: ignore[attr-defined]
    overridden = get_model("vllm/m", base_url="http://127.0.0.1:7777/v1")
    assert overridden.base_url == "http://127.0.0.1:7777/v1"  # type: ignore[attr-defined]


def test_structured_output_follows_the_provider() -> None:
    url = "http://127.0.0.1:9/v1"
    assert get_model("openai/gpt-4o", base_url=url).supports_json_schema
    assert not get_model("anthropic/claude-sonnet-4-5", base_url=url).supports_json_schema
    assert not get_model("openai/x", base_url=url, json_schema=False).supports_json_schema


def test_context_windows() -> None:
    assert context_window_for("openai/gpt-4o") == 128_000
    assert context_window_for("gemini/some-new-model") == 1_000_000
    assert context_window_for("openrouter/acme/unknown") == DEFAULT_CONTEXT_WINDOW


def test_fake_models_are_chosen_by_name(tmp_path) -> None:
    assert isinstance(get_model("fake/heuristic"), FakeModel)
    with pytest.raises(ConfigError, match="ABLAB_FAKE_SCRIPT"):
        get_model("fake/script")
    with pytest.raises(ConfigError, match="fake/heuristic"):
        get_model("fake/nothing")


@pytest.mark.parametrize("url", ["notaurl", "localhost:8000/v1", "ftp://host/v1", "http://"])
def test_a_base_url_that_is_not_an_http_url_is_refused_at_once(url: str) -> None:
    with pytest.raises(ConfigError, match="not an http"):
        get_model("openai/gpt-4o", base_url=url, api_key="k")
