"""What the home page offers: planners, and the models whose keys are set (never the keys)."""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict

from ablab.errors import ConfigError
from ablab.models import fake_models, key_status, list_presets
from ablab.models.providers import PROVIDERS, split_model_name
from ablab.planners import available_planners
from ablab.schema import DEFAULT_K, Mode

OFFLINE_PLANNER = "heuristic"
"""The planner that needs no model (and takes none)."""

MODEL_OPTIONAL = frozenset({OFFLINE_PLANNER, "consensus"})
"""Planners that run without a model (consensus then merges heuristic plans)."""

DEMO_MODEL = "fake/heuristic"
"""Offline stand-in that runs the language-model path; offered only with ``--demo-models``."""

MAX_K = 50
"""Most ablations one web request may ask for."""


class PlannerOption(BaseModel):
    """A planner the user may pick."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    name: str
    """Registry name (``heuristic``, ``lm``...)."""
    needs_model: bool
    """Whether a model must be chosen with it."""


class ModelOption(BaseModel):
    """A model the user may pick: its key is set, or it needs none."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    name: str
    """``provider/model`` name."""
    note: str = ""
    """Short description."""


class Options(BaseModel):
    """Everything the planning form offers."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    planners: list[PlannerOption]
    """Available planners; the offline one first."""
    models: list[ModelOption]
    """Models usable right now (their keys are set)."""
    modes: list[Mode]
    """author and reviewer."""
    default_k: dict[Mode, int]
    """k used when none is given, per mode."""
    max_k: int = MAX_K
    """Largest k accepted."""


def planner_options() -> list[PlannerOption]:
    """Registered planners, the offline planner first."""
    names = sorted(available_planners(), key=lambda name: (name != OFFLINE_PLANNER, name))
    return [PlannerOption(name=name, needs_model=name not in MODEL_OPTIONAL) for name in names]


def model_options(*, demo: bool = False) -> list[ModelOption]:
    """Preset models usable right now: their provider's key is set (environment or ``.env``).

    Presets of local servers (Ollama, vLLM, llama.cpp) need no key; they are offered once their
    base URL is configured (``ABLAB_OLLAMA_BASE_URL``...), since a server may not be running.
    With ``demo``, the offline fake model is offered too. Key values are never read here.
    """

    keyed = {status.provider for status in key_status() if status.variable is not None}
    configured = {
        name
        for name, provider in PROVIDERS.items()
        if provider.local and any(os.environ.get(env) for env in provider.base_url_envs)
    }
    found = []
    for preset in list_presets():
        provider, _ = split_model_name(preset.name)
        if provider in keyed or provider in configured:
            found.append(ModelOption(name=preset.name, note=preset.note))
    if demo:
        note = fake_models().get(DEMO_MODEL, "")
        found.append(ModelOption(name=DEMO_MODEL, note=f"offline demo: {note}"))
    return found


def options(*, demo: bool = False) -> Options:
    """The planning form's choices."""
    return Options(
        planners=planner_options(),
        models=model_options(demo=demo),
        modes=list(Mode),
        default_k=dict(DEFAULT_K),
    )


def check_model(model: str | None, *, demo: bool = False) -> None:
    """ConfigError unless ``model`` is None (offline) or one of :func:`model_options`."""
    if model and model not in {option.name for option in model_options(demo=demo)}:
        raise ConfigError(f"model {model!r} is not available (is its key set?)")


def check_choice(planner: str, model: str | None, k: int | None, *, demo: bool = False) -> None:
    """ConfigError unless the planner exists, a model is given exactly when needed, k in range."""
    known = {option.name: option for option in planner_options()}
    if planner not in known:
        raise ConfigError(f"unknown planner {planner!r}; choose one of: {', '.join(known)}")
    if known[planner].needs_model and not model:
        raise ConfigError(f"planner {planner!r} needs a model")
    check_model(model, demo=demo)
    if k is not None and not 1 <= k <= MAX_K:
        raise ConfigError(f"k must be between 1 and {MAX_K}, got {k}")
