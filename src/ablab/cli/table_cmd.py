"""``ablab table``: experiment results as the ablation table of a paper."""

from __future__ import annotations

from pathlib import Path

import typer

from ablab._util.atomic import atomic_write_text
from ablab.api import ablation_table
from ablab.cli._common import cli_errors, err_console, escape, write_stdout
from ablab.errors import ConfigError
from ablab.results import Interval, TableFormat, render_table
from ablab.results.plot import PLOT_SUFFIXES, save_plot


def table(
    results: Path = typer.Argument(
        ...,
        help="Results: long-format CSV/JSONL (ablation, variant, seed, metric, value) or a W&B "
        "runs export.",
        show_default=False,
    ),
    plan_path: Path | None = typer.Option(
        None, "--plan", "-p", help="The plan (plan.json, trajectory .md, run directory)."
    ),
    paper: str | None = typer.Option(
        None, "--paper", help="Which paper's plan, when --plan is a run directory with several."
    ),
    fmt: TableFormat = typer.Option(TableFormat.md, "--format", "-f", help="Output format."),
    metric: list[str] | None = typer.Option(
        None, "--metric", "-m", help="Metric to show (repeat for several; default: all)."
    ),
    ci: Interval = typer.Option(
        Interval.welch, "--ci", help="95% interval of each delta: welch (SciPy) or bootstrap."
    ),
    higher: list[str] | None = typer.Option(
        None, "--higher", help="A metric for which higher is better (overrides the guess)."
    ),
    lower: list[str] | None = typer.Option(
        None, "--lower", help="A metric for which lower is better (overrides the guess)."
    ),
    variant_key: str | None = typer.Option(
        None,
        "--variant-key",
        help="W&B export: the config column that tells variants apart (e.g. model.teacher_temp).",
    ),
    config: Path | None = typer.Option(
        None,
        "--config",
        "-c",
        help="W&B export: the config the plan was exported with; each ablation's variants are "
        "read from the key it was mapped to.",
    ),
    plot: Path | None = typer.Option(
        None, "--plot", help="Also draw a bar plot with error bars (.png or .svg)."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Write the table to this file (default: print it)."
    ),
) -> None:
    """Turn results into an ablation table: mean ± std over seeds, n, and the delta to the full
    method with a 95% interval; warnings for single seeds and unclear deltas.

    Example: ablab table results.csv --plan runs/demo/tide.plan.json --format latex
    """
    if plot is not None and plot.suffix.lower() not in PLOT_SUFFIXES:
        raise ConfigError(f"--plot {plot}: use a .png or .svg file name")
    directions = {m: True for m in higher or []} | {m: False for m in lower or []}
    result = ablation_table(
        results,
        plan_path,
        paper_id=paper,
        metrics=metric or None,
        interval=ci.value,
        directions=directions,
        variant_key=variant_key,
        config=config,
    )
    text = render_table(result, fmt)
    if out is None:
        write_stdout(text)
    else:
        atomic_write_text(out, text)
        err_console.print(f"wrote {escape(str(out))}")
    if plot is not None:
        save_plot(result, plot)
        err_console.print(f"wrote {escape(str(plot))}")
    if out is None and fmt is not TableFormat.csv:
        return  # the printed table already ends with its warnings
    for warning in result.warnings:
        err_console.print(f"[yellow]warning:[/] {escape(warning)}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the ``table`` command to the app."""
    app.command("table")(cli_errors(table))
