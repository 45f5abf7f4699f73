"""``ablab models``: the model presets, the fake models, and which provider keys are set."""

from __future__ import annotations

import typer
from rich.table import Table

from ablab.cli._common import cli_errors, escape, out_console
from ablab.models import fake_models, key_status, list_presets
from ablab.models.pricing import has_known_price
from ablab.models.providers import PROVIDERS, split_model_name
from ablab.models.secrets import redact


def models() -> None:
    """List model presets and show which API keys are set (never their values).

    Any model of a provider works, not only the presets: name it provider/model.

    Examples:

      ablab models

      ablab plan paper.md --model openai/gpt-4o-mini

      ablab plan paper.md --model ollama/qwen2.5:7b --base-url http://gpu-box:11434/v1
    """
    presets = Table(title="Model presets (any provider/model name works)")
    presets.add_column("Model", overflow="fold")
    for column in ("Context", "Price", "Note"):
        presets.add_column(column)
    for preset in list_presets():
        provider, model_id = split_model_name(preset.name)
        local = (
            provider == "fake" or PROVIDERS.get(provider) is not None and PROVIDERS[provider].local
        )
        price = "free" if local else "table" if has_known_price(provider, model_id) else "unknown"
        if provider == "openrouter":
            price = "reported"
        presets.add_row(
            escape(preset.name), f"{preset.context_window:,}", price, escape(preset.note)
        )
    out_console.print(presets)

    keys = Table(title="Providers and keys")
    for column in ("Provider", "Endpoint", "Key"):
        keys.add_column(column)
    for status in key_status():
        endpoint = PROVIDERS[status.provider].resolve_base_url()
        if status.variable is not None:
            key = f"[green]set[/] ({status.variable}, {escape(status.source or '')})"
        elif not status.needed:
            key = "not needed"
        else:
            key = f"[yellow]not set[/] ({' or '.join(status.candidates)})"
        keys.add_row(status.provider, escape(redact(endpoint)), key)
    out_console.print(keys)

    fakes = Table(title="Fake models (offline, free)")
    fakes.add_column("Model")
    fakes.add_column("What it does")
    for name, text in fake_models().items():
        fakes.add_row(name, escape(text))
    out_console.print(fakes)


def register(app: typer.Typer) -> None:
    """Add the ``models`` command to the app."""
    app.command("models")(cli_errors(models))
