"""The ``ablab`` Typer application; each command group lives in its own module.

A command's module (and the library behind it) is imported only when that command runs or shows
its own help: ``ablab --version`` and ``ablab --help`` import neither, so they answer at once.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from ablab._util.version import __version__

COMMANDS: dict[str, tuple[str, str]] = {
    "plan": ("plan_cmd", "Propose a ranked ablation plan for each paper."),
    "analyze": (
        "analyze_cmd",
        "Show the offline analysis of a paper: components, hyperparameters, design choices, "
        "metrics and existing ablations, each with its evidence.",
    ),
    "parse": (
        "format_cmd",
        "Read a trajectory Markdown file (AblationBench layout) and print it as a plan.",
    ),
    "render": (
        "format_cmd",
        "Render a plan JSON file as trajectory Markdown (or AblationBench JSONL).",
    ),
    "schema": (
        "format_cmd",
        "Print the JSON Schema of a data type (plan, ablation, paper, analysis, trajectory...).",
    ),
    "models": (
        "models_cmd",
        "List model presets and show which API keys are set (never their values).",
    ),
    "cache": (
        "cache_cmd",
        "Inspect or clear the model response cache ($ABLAB_CACHE_DIR, default ~/.cache/ablab).",
    ),
    "show": ("show_cmd", "Summarise a run: papers planned and failed, tokens, cost and time."),
    "eval": (
        "eval_cmd",
        "Score plans against a dataset's ground truth (precision, recall, F1, nDCG).",
    ),
    "eval-judge": (
        "eval_cmd",
        "Measure a judge's decisions against human labels (precision, recall, F1).",
    ),
    "bench": (
        "bench_cmd",
        "Plan every paper of a dataset, judge the plans and print a leaderboard row.",
    ),
    "leaderboard": (
        "bench_cmd",
        "Compare evaluation runs: a table, Markdown or CSV, and optionally a plot.",
    ),
    "digest": ("digest_cmd", "Write a paper digest (ver: rpa2) for each paper."),
    "serve": (
        "serve_cmd",
        "Serve the web app: plan papers in the browser, browse and compare runs.",
    ),
    "report": (
        "report_cmd",
        "Write a static HTML report (runs grid, plans, comparisons) that needs no other file.",
    ),
    "export": (
        "export_cmd",
        "Turn a plan into runs: Hydra multirun commands or W&B sweeps, one per ablation.",
    ),
    "table": (
        "table_cmd",
        "Turn results into an ablation table: mean ± std over seeds, n, and the delta to the "
        "full method with a 95% interval; warnings for single seeds and unclear deltas.",
    ),
    "design": (
        "design_cmd",
        "Write one ablation's detailed design, offline from the paper's setup (or with a model).",
    ),
}
"""Each command: the module of ``ablab.cli`` that registers it, and the line ``ablab --help``
shows for it (tests check it against the command's own docstring)."""


def load_command(name: str) -> Any:
    """The command ``name``, its module imported now (None for an unknown name)."""
    if name not in COMMANDS:
        return None
    module = importlib.import_module(f"ablab.cli.{COMMANDS[name][0]}")
    holder = typer.Typer()
    module.register(holder)
    group = typer.main.get_group(holder)
    return group.commands.get(name)


class LazyGroup(TyperGroup):
    """The root group: commands are listed from :data:`COMMANDS` and loaded when used."""

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command, in the order of :data:`COMMANDS`."""
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command ``cmd_name``; while the root help is shown, only its summary line."""
        if getattr(ctx, "_ablab_listing", False) and cmd_name in COMMANDS:
            return TyperCommand(cmd_name, help=COMMANDS[cmd_name][1])
        return load_command(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The root help, listing commands without importing them."""
        ctx._ablab_listing = True  # type: ignore[attr-defined]
        try:
            super().format_help(ctx, formatter)
        finally:
            ctx._ablab_listing = False  # type: ignore[attr-defined]


app = typer.Typer(
    cls=LazyGroup,
    name="ablab",
    help=(
        "Plan and judge ablation studies of machine-learning papers.\n\n"
        "Works offline by default (deterministic analyzer and planner, no key, no network).\n\n"
        "Examples:\n\n"
        "  ablab plan examples/tide.md                 # author mode, 5 ablations\n\n"
        "  ablab plan examples/tide.md --mode reviewer # the missing ablations\n\n"
        "  ablab plan papers/ --out runs/demo           # a folder of papers -> a run directory\n\n"
        "  ablab analyze examples/tide.md              # components, hyperparameters, metrics\n\n"
        "  ablab digest examples/tide.md               # a paper digest (rpa2 Markdown)"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ablab {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Plan and judge ablation studies of machine-learning papers."""


def main() -> None:
    """Console-script entry point."""
    app()
