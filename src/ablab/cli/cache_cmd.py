"""``ablab cache info|clear``: the response cache of the language-model planners."""

from __future__ import annotations

import typer
from rich.table import Table

from ablab.cli._common import cli_errors, err_console, escape, out_console
from ablab.models import ResponseCache

cache_app = typer.Typer(
    help="Inspect or clear the model response cache ($ABLAB_CACHE_DIR, default ~/.cache/ablab).",
    no_args_is_help=True,
)


def info() -> None:
    """Where the cache is, how many responses it holds, per model."""
    details = ResponseCache().info()
    out_console.print(f"Cache: {escape(str(details.directory))}")
    out_console.print(f"Responses: {details.entries} ({details.size_bytes / 1024:.1f} KiB)")
    if details.by_model:
        table = Table()
        table.add_column("Model")
        table.add_column("Responses", justify="right")
        for model, count in details.by_model.items():
            table.add_row(escape(model), str(count))
        out_console.print(table)


def clear(
    model: str | None = typer.Option(
        None, "--model", help="Only the responses of this provider/model."
    ),
) -> None:
    """Delete cached responses (all, or one model's); later runs will ask the model again."""
    removed = ResponseCache().clear(model)
    err_console.print(f"Removed {removed} cached response(s).")


def register(app: typer.Typer) -> None:
    """Add the ``cache`` command group to the app."""
    cache_app.command("info")(cli_errors(info))
    cache_app.command("clear")(cli_errors(clear))
    app.add_typer(cache_app, name="cache")
