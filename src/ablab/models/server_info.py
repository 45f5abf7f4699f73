"""What a local server says about itself: the context length it was started with.

Local servers run a model with a context chosen at start-up (``-c``/``--ctx-size`` for llama.cpp,
``n_ctx`` for llama-cpp-python, ``--max-model-len`` for vLLM), often far below the model's own.
Where the server reports it, ablab budgets prompts on it instead of on a preset:

- llama.cpp's ``llama-server``: ``GET /props`` → ``default_generation_settings.n_ctx``
  (newer versions also put ``n_ctx`` at the top level);
- vLLM: ``GET /v1/models`` → ``data[i].max_model_len``;
- servers that follow OpenRouter's or LM Studio's fields: ``context_length`` /
  ``max_context_length`` in the model entry.

llama-cpp-python and Ollama report nothing here; their preset stays in force.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

PROBE_TIMEOUT = 5.0
"""Seconds a probe may take; a server that is slow to say this is asked nothing more."""

_MAX_BODY = 1 << 20  # a models list or a props page is small; never read more than 1 MiB
_MODEL_FIELDS = ("max_model_len", "context_length", "max_context_length", "n_ctx")


def _positive_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value > 0:
        return value
    if isinstance(value, float) and value.is_integer() and value > 0:
        return int(value)
    return None


def context_from_props(body: Any) -> int | None:
    """The context length in a llama-server ``/props`` answer, if it has one."""
    if not isinstance(body, dict):
        return None
    settings = body.get("default_generation_settings")
    if isinstance(settings, dict):
        found = _positive_int(settings.get("n_ctx"))
        if found:
            return found
    return _positive_int(body.get("n_ctx"))


def context_from_models(body: Any, model_id: str) -> int | None:
    """The context length of ``model_id`` (or of the only model served) in a ``/models`` answer."""
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        return None
    entries = [e for e in body["data"] if isinstance(e, dict)]
    chosen = [e for e in entries if e.get("id") == model_id] or (
        entries if len(entries) == 1 else []
    )
    for entry in chosen:
        for name in _MODEL_FIELDS:
            found = _positive_int(entry.get(name))
            if found:
                return found
    return None


def _server_root(base_url: str) -> str:
    """``http://host:port`` for ``http://host:port/v1`` (``/props`` lives at the root)."""
    root = base_url.rstrip("/")
    return root[: -len("/v1")] if root.endswith("/v1") else root


def _get_json(url: str, timeout: float, api_key: str | None) -> Any:
    """GET ``url`` and decode its JSON body; raises OSError or ValueError."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    if api_key:
        request.add_header("Authorization", f"Bearer {api_key}")
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s)
        return json.loads(response.read(_MAX_BODY))


def probe_context_window(
    base_url: str, model_id: str, *, timeout: float = PROBE_TIMEOUT, api_key: str | None = None
) -> int | None:
    """The context length the server at ``base_url`` reports for ``model_id``, or None.

    Never raises: a server that cannot say (or cannot be reached yet) leaves the preset in force,
    and the chat request itself reports connection problems.
    """
    if not base_url.startswith(("http://", "https://")):
        return None
    probes = (
        (f"{_server_root(base_url)}/props", context_from_props),
        (f"{base_url.rstrip('/')}/models", lambda body: context_from_models(body, model_id)),
    )
    for url, read in probes:
        try:
            found = read(_get_json(url, timeout, api_key))
        except (urllib.error.HTTPError, ValueError):
            continue  # no such page here, or not JSON: try the next
        except OSError:
            return None  # nothing listens (yet), or too slow: ask no more
        if found:
            return found
    return None
