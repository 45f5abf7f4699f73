"""Choose a model by its ``provider/model`` name.

Besides the providers of :mod:`ablab.models.providers`, models register through the
``ablab.models`` entry-point group: an entry point named ``provider/model`` (one model) or
``provider/*`` (every model of a provider) whose object is a :class:`RegisteredModel` or a
callable ``factory(model_id) -> Model``. ablab's own demo model ``fake/heuristic`` registers this
way, as a third-party package would (in its ``pyproject.toml``)::

    [project.entry-points."ablab.models"]
    "acme/*" = "acme_ablab:models"
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

from ablab.errors import ConfigError
from ablab.models.base import Model
from ablab.models.fake import FAKE_MODELS, fake_model
from ablab.models.openai_compat import OpenAICompatibleModel
from ablab.models.providers import (
    FAKE_PROVIDER,
    PRESETS,
    PROVIDERS,
    KeyStatus,
    Preset,
    context_window_for,
    split_model_name,
)
from ablab.models.retry import RetryPolicy
from ablab.models.secrets import dotenv_file, lookup_env

ENTRY_POINT_GROUP = "ablab.models"
"""Entry-point group through which packages register models (see the module docstring)."""


@dataclass(frozen=True)
class RegisteredModel:
    """A model, or a family of models, registered under :data:`ENTRY_POINT_GROUP`."""

    build: Callable[[str], Model]
    """Builds the model from the part of its name after ``provider/``."""
    description: str = ""
    """One line for ``ablab models``."""


@functools.cache
def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def _registered(name: str) -> RegisteredModel | None:
    """The registration answering ``name`` (exact name first, then ``provider/*``), if any."""
    provider = name.partition("/")[0]
    found = _entry_points().get(name) or _entry_points().get(f"{provider}/*")
    if found is None:
        return None
    try:
        target = found.load()
    except Exception as exc:  # a broken third-party package must not break every command
        raise ConfigError(f"model {name}: its registration {found.value} fails ({exc})") from None
    if isinstance(target, RegisteredModel):
        return target
    if callable(target):
        return RegisteredModel(target, (target.__doc__ or "").strip().split("\n")[0])
    raise ConfigError(f"model {name}: {found.value} is not a model factory")


def registered_models() -> dict[str, str]:
    """Names and descriptions of the models registered through entry points."""
    listed = {}
    for name in sorted(_entry_points()):
        entry = _registered(name)
        listed[name] = entry.description if entry is not None else ""
    return listed


def get_model(
    name: str,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    timeout: float | None = None,
    retry: RetryPolicy | None = None,
    context_window: int | None = None,
    json_schema: bool | None = None,
    structured: str = "auto",
    fake_script: Path | None = None,
) -> Model:
    """The model called ``name`` (``openai/gpt-4o``, ``ollama/qwen2.5:7b``, ``fake/heuristic``).

    The key comes from ``api_key``, else the provider's environment variable, else a ``.env``
    file. ``base_url`` overrides the provider's endpoint (then no key is demanded, since a
    proxy or local server may not need one). ``timeout`` is per request (default: 180 s for
    hosted APIs, 900 s for local servers); ``structured`` is ``auto``, ``json_schema``,
    ``json_object`` or ``text`` (see :mod:`ablab.models.dialects`). For a local server the
    context length it reports is used unless ``context_window`` is given. Raises ConfigError for
    unknown names or a missing key.
    """
    registered = _registered(name) if "/" in name else None
    if registered is not None:
        return registered.build(name.partition("/")[2])
    provider_name, model_id = split_model_name(name)
    if provider_name == FAKE_PROVIDER:
        if model_id not in FAKE_MODELS:
            known = ", ".join(fake_models())
            raise ConfigError(f"unknown fake model {name}; choose one of: {known}")
        return fake_model(model_id, script_path=fake_script)
    provider = PROVIDERS[provider_name]
    url = provider.resolve_base_url(base_url)
    key = api_key
    if key is None:
        found = lookup_env(provider.key_envs)
        key = found[1] if found else None
    if key is None and provider.key_required and url == provider.base_url:
        variables = " or ".join(provider.key_envs)
        raise ConfigError(
            f"{name} needs an API key: set {variables} in the environment or in a .env file"
        )
    return OpenAICompatibleModel(
        provider,
        model_id,
        api_key=key,
        base_url=url,
        timeout=timeout,
        retry=retry,
        context_window=context_window or context_window_for(name),
        json_schema=json_schema,
        structured=structured,
        probe_context=provider.local and context_window is None,
    )


def list_presets() -> list[Preset]:
    """Models known to work, for ``ablab models``."""
    return list(PRESETS)


def fake_models() -> dict[str, str]:
    """Names and descriptions of the shipped fake models (built in, and registered ones)."""
    shipped = {f"fake/{name}": text for name, text in FAKE_MODELS.items()}
    registered = {n: text for n, text in registered_models().items() if n.startswith("fake/")}
    return dict(sorted({**shipped, **registered}.items()))


def key_status() -> list[KeyStatus]:
    """For each provider, whether its key is set and where; the key itself is never returned."""
    env_file = dotenv_file()
    statuses = []
    for provider in PROVIDERS.values():
        found = lookup_env(provider.key_envs)
        source = None
        if found is not None:
            source = "environment" if os.environ.get(found[0]) else f".env ({env_file})"
        statuses.append(
            KeyStatus(
                provider=provider.name,
                variable=found[0] if found else None,
                source=source,
                needed=provider.key_required,
                candidates=provider.key_envs,
            )
        )
    return statuses
