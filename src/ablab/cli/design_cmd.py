"""``ablab design``: the detailed design of one ablation (research objective, groups, datasets,
procedure, metrics)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from ablab._util.atomic import atomic_write_text
from ablab.api import design_ablation
from ablab.cli._common import (
    BASE_URL_OPTION,
    LM_PANEL,
    cli_errors,
    err_console,
    escape,
    write_stdout,
)
from ablab.design import render_design
from ablab.export import read_plan
from ablab.schema import Mode


class DesignFormat(StrEnum):
    """Output of ``ablab design``."""

    md = "md"
    json = "json"


def design(
    paper: Path = typer.Argument(
        ..., help="The paper (any format ablab plan reads).", show_default=False
    ),
    ablation: str = typer.Option(
        ..., "--ablation", "-a", help="The plan item: its name, its rank (1 = first) or its label."
    ),
    plan_path: Path | None = typer.Option(
        None,
        "--plan",
        "-p",
        help="The plan the item is from (default: the offline plan of the paper in --mode).",
    ),
    mode: Mode = typer.Option(Mode.AUTHOR, "--mode", "-m", help="Mode of the default plan."),
    fmt: DesignFormat = typer.Option(DesignFormat.md, "--format", "-f", help="Output format."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to this file."),
    model: str | None = typer.Option(
        None,
        "--model",
        help="Revise the offline design with this model (provider/model).",
        rich_help_panel=LM_PANEL,
    ),
    base_url: str | None = BASE_URL_OPTION,
) -> None:
    """Write one ablation's detailed design, offline from the paper's setup (or with a model).

    Example: ablab design examples/tide.md --ablation 1
    """
    plan = read_plan(plan_path) if plan_path is not None else None
    options = {"base_url": base_url} if base_url else {}
    result = design_ablation(paper, ablation, plan=plan, mode=mode, model=model, **options)
    text = render_design(result) if fmt is DesignFormat.md else result.model_dump_json(indent=2)
    if out is None:
        write_stdout(text)
        return
    atomic_write_text(out, text if text.endswith("\n") else text + "\n")
    err_console.print(f"wrote {escape(str(out))}")


def register(app: typer.Typer) -> None:
    """Add the ``design`` command to the app."""
    app.command("design")(cli_errors(design))
