"""Helpers shared by the CLI commands: consoles, error reporting, writing output."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape as rich_escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ablab.errors import AblabError

# Data (Markdown, JSON) goes to stdout untouched; messages and progress go to stderr, so
# `ablab plan paper.md > plan.md` stays clean.
err_console = Console(stderr=True, highlight=False)
out_console = Console(highlight=False)

P = ParamSpec("P")
R = TypeVar("R")

EXIT_BAD_INPUT = 2
EXIT_PARTIAL_FAILURE = 1


def report_error(message: str) -> None:
    """Print a one-line error to stderr (no markup interpretation of user text)."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)


def report_paper_error(source: str, error: str) -> None:
    """A paper's failure in a batch, naming the paper once (read errors already start with it)."""
    report_error(error if error.startswith(f"{source}:") else f"{source}: {error}")


def report_paper_warnings(source: str, warnings: list[str]) -> None:
    """A paper's reading problems (a structure that looks wrong, ...), one line each."""
    for warning in warnings:
        err_console.print(
            f"[yellow]warning:[/] {escape(source)}: {escape(warning)}", soft_wrap=True
        )


def escape(text: str) -> str:
    """Escape Rich markup in text that comes from papers or users."""

    return rich_escape(text)


def cli_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn ablab's expected errors into a one-line message and exit code 2, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except AblabError as exc:
            report_error(str(exc))
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except OSError as exc:  # an unreadable input or unwritable output the command missed
            where = f"{exc.filename}: " if exc.filename else ""
            report_error(f"{where}{exc.strerror or exc}")
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except KeyboardInterrupt:
            report_error("interrupted")
            raise typer.Exit(130) from None

    return wrapper


def write_stdout(text: str) -> None:
    """Write data to stdout exactly, with a final newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def batch_progress(total: int) -> Progress:
    """The progress bar of a batch command, on stderr; hidden for a single paper or when piped."""
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=total < 2,
    )


# Options shared by every command that can call a language model (plan, digest).
LM_PANEL = "Language models"
BASE_URL_OPTION = typer.Option(
    None,
    "--base-url",
    help="Endpoint of an OpenAI-compatible server, overriding the provider's.",
    rich_help_panel=LM_PANEL,
)
CONCURRENCY_OPTION = typer.Option(
    4, "--concurrency", "-j", min=1, help="Papers in flight at once.", rich_help_panel=LM_PANEL
)
BUDGET_OPTION = typer.Option(
    None,
    "--budget",
    min=0,
    help="Stop starting papers once this run has spent this many US dollars.",
    rich_help_panel=LM_PANEL,
)
NO_CACHE_OPTION = typer.Option(
    False,
    "--no-cache",
    help="Ask the model even for requests already answered (see `ablab cache`).",
    rich_help_panel=LM_PANEL,
)
TIMEOUT_OPTION = typer.Option(
    None,
    "--timeout",
    min=1,
    help="Seconds one model request may take (default: 180 for hosted APIs, 900 for local "
    "servers, which may run on a CPU).",
    show_default=False,
    rich_help_panel=LM_PANEL,
)
MAX_OUTPUT_TOKENS_OPTION = typer.Option(
    None,
    "--max-output-tokens",
    min=1,
    help="Longest answer asked of the model (default: the provider's; 4096 for local servers).",
    show_default=False,
    rich_help_panel=LM_PANEL,
)


class StructuredChoice(StrEnum):
    """How JSON answers are asked for (``--structured``)."""

    auto = "auto"
    json_schema = "json_schema"
    json_object = "json_object"
    text = "text"


STRUCTURED_OPTION = typer.Option(
    StructuredChoice.auto,
    "--structured",
    help="How to ask for JSON: auto tries json_schema (OpenAI, vLLM, llama.cpp, Ollama), then "
    "json_object with a schema (llama-cpp-python), then plain text, and remembers what the "
    "endpoint accepted; the others force one form.",
    rich_help_panel=LM_PANEL,
)
