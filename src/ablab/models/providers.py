"""Providers: where requests go (base URL) and with which key, apart from the wire format.

A model is named ``provider/model`` (``openai/gpt-4o``, ``openrouter/google/gemini-2.5-flash``,
``ollama/qwen2.5:7b``). The provider decides the endpoint and the key's environment variable;
every provider here speaks the OpenAI chat-completions format, so one adapter serves them all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ablab.errors import ConfigError

DEFAULT_CONTEXT_WINDOW = 32_768
"""Context assumed for a model whose window is unknown (``--max-input-tokens`` overrides)."""


@dataclass(frozen=True)
class Provider:
    """An endpoint family and how to reach it."""

    name: str
    """Prefix of model names (``openai``)."""
    base_url: str
    """Default base URL of the OpenAI-compatible API."""
    key_envs: tuple[str, ...] = ()
    """Environment variables that may hold the key, first set wins."""
    key_required: bool = True
    """Whether a request without a key is pointless (hosted APIs)."""
    base_url_envs: tuple[str, ...] = ()
    """Environment variables that override ``base_url``."""
    json_schema: bool = True
    """Whether the endpoint may be asked for structured output at all (False: text only; which
    form it accepts is found out per endpoint, see :mod:`ablab.models.dialects`)."""
    local: bool = False
    """A server on the user's machine: free, and no key needed."""
    context_window: int | None = None
    """Window assumed for this provider's models that are not presets."""
    description: str = ""
    """One line for ``ablab models``."""
    server_hint: str = ""
    """For local servers: which port the default URL assumes, and how to reach another."""

    def resolve_base_url(self, override: str | None = None) -> str:
        """``override``, else the first base-URL environment variable set, else the default.

        Raises ConfigError for anything but an http(s) URL with a host: ``notaurl`` would be
        retried as a connection failure for half a minute.
        """
        url = override or next(
            (os.environ[name] for name in self.base_url_envs if os.environ.get(name)),
            self.base_url,
        )
        parsed = urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ConfigError(f"base URL {url[:80]!r} is not an http:// or https:// URL")
        return url


@dataclass(frozen=True)
class Preset:
    """A model known to work, with its context window."""

    name: str
    """Full ``provider/model`` name."""
    context_window: int
    """Prompt plus output tokens the model accepts."""
    note: str = ""
    """Why it is listed."""


def _env(provider: str) -> tuple[str, ...]:
    return (f"ABLAB_{provider.upper()}_BASE_URL",)


PROVIDERS: dict[str, Provider] = {
    provider.name: provider
    for provider in [
        Provider(
            "openai",
            "https://api.openai.com/v1",
            ("OPENAI_API_KEY",),
            base_url_envs=(*_env("openai"), "OPENAI_BASE_URL"),
            context_window=128_000,
            description="OpenAI API",
        ),
        Provider(
            "openrouter",
            "https://openrouter.ai/api/v1",
            ("OPENROUTER_API_KEY",),
            base_url_envs=_env("openrouter"),
            context_window=None,
            description="OpenRouter: any vendor's model as openrouter/<vendor>/<model>",
        ),
        Provider(
            "anthropic",
            "https://api.anthropic.com/v1/",
            ("ANTHROPIC_API_KEY",),
            base_url_envs=_env("anthropic"),
            json_schema=False,  # its OpenAI-compatible endpoint ignores response_format
            context_window=200_000,
            description="Anthropic, through its OpenAI-compatible endpoint",
        ),
        Provider(
            "gemini",
            "https://generativelanguage.googleapis.com/v1beta/openai/",
            ("GEMINI_API_KEY", "GOOGLE_API_KEY"),
            base_url_envs=_env("gemini"),
            context_window=1_000_000,
            description="Google Gemini, through its OpenAI-compatible endpoint",
        ),
        Provider(
            "ollama",
            "http://localhost:11434/v1",
            ("OLLAMA_API_KEY",),
            key_required=False,
            base_url_envs=_env("ollama"),
            local=True,
            context_window=8_192,
            description="Ollama server on this machine (port 11434)",
            server_hint="Start it with `ollama serve`; ablab assumes http://localhost:11434/v1.",
        ),
        Provider(
            "vllm",
            "http://localhost:8000/v1",
            ("VLLM_API_KEY",),
            key_required=False,
            base_url_envs=_env("vllm"),
            local=True,
            description="vLLM OpenAI-compatible server (port 8000)",
            server_hint="ablab assumes http://localhost:8000/v1 (`vllm serve MODEL`).",
        ),
        Provider(
            "llamacpp",
            "http://localhost:8080/v1",
            ("LLAMACPP_API_KEY",),
            key_required=False,
            base_url_envs=_env("llamacpp"),
            local=True,
            description="llama.cpp's llama-server (port 8080); for llama-cpp-python's server "
            "(port 8000) add --base-url http://localhost:8000/v1",
            server_hint="ablab assumes llama-server's port, http://localhost:8080/v1; "
            "`python -m llama_cpp.server` listens on 8000: add --base-url "
            "http://localhost:8000/v1.",
        ),
    ]
}

FAKE_PROVIDER = "fake"
"""Prefix of the fake models shipped for tests and demos (see :mod:`ablab.models.fake`)."""

PRESETS: list[Preset] = [
    Preset("openai/gpt-4o", 128_000, "an AblationBench LM-Planner model"),
    Preset("openai/gpt-4o-mini", 128_000, "cheap"),
    Preset("openai/gpt-4.1-mini", 1_047_576, "cheap, long context"),
    Preset("openai/o3-mini", 200_000, "an AblationBench LM-Planner model"),
    Preset("gemini/gemini-2.5-flash", 1_048_576, "an AblationBench LM-Planner model"),
    Preset("gemini/gemini-2.5-pro", 1_048_576, ""),
    Preset("anthropic/claude-sonnet-4-5", 200_000, ""),
    Preset("anthropic/claude-3-5-haiku-latest", 200_000, "cheap"),
    Preset("openrouter/openai/gpt-4o", 128_000, "reports its own cost"),
    Preset("openrouter/google/gemini-2.5-flash", 1_048_576, "reports its own cost"),
    Preset("openrouter/anthropic/claude-3.5-sonnet", 200_000, "reports its own cost"),
    Preset("ollama/qwen2.5:7b", 8_192, "local; raise num_ctx in Ollama for long papers"),
    Preset("ollama/llama3.1:8b", 8_192, "local"),
    Preset("fake/heuristic", 1_000_000, "offline demo: answers with the heuristic planner's plan"),
    Preset("fake/script", 1_000_000, "offline: replays $ABLAB_FAKE_SCRIPT (JSONL of responses)"),
]

_PRESET_BY_NAME = {preset.name: preset for preset in PRESETS}


def split_model_name(name: str) -> tuple[str, str]:
    """``"openrouter/openai/gpt-4o"`` -> ``("openrouter", "openai/gpt-4o")``; check the provider."""
    provider, sep, model_id = name.strip().partition("/")
    if not sep or not provider or not model_id:
        raise ConfigError(
            f"model {name!r} is not named provider/model (e.g. openai/gpt-4o, ollama/qwen2.5:7b)"
        )
    if provider not in PROVIDERS and provider != FAKE_PROVIDER:
        known = ", ".join([*PROVIDERS, FAKE_PROVIDER])
        raise ConfigError(
            f"unknown model provider {provider!r} in {name!r}; choose one of: {known}"
        )
    return provider, model_id


def context_window_for(name: str) -> int:
    """Context window of a model: its preset's, else its provider's, else a safe default."""
    preset = _PRESET_BY_NAME.get(name)
    if preset is not None:
        return preset.context_window
    provider, _ = split_model_name(name)
    known = PROVIDERS.get(provider)
    if known is not None and known.context_window:
        return known.context_window
    return DEFAULT_CONTEXT_WINDOW


@dataclass(frozen=True)
class KeyStatus:
    """Whether a provider's key is available; never carries the key itself."""

    provider: str
    """Provider name."""
    variable: str | None
    """The variable found (``OPENAI_API_KEY``), or None."""
    source: str | None
    """``environment`` or ``.env``, or None when not set."""
    needed: bool
    """Whether the provider needs a key at all."""
    candidates: tuple[str, ...] = field(default=())
    """Variables looked at."""
