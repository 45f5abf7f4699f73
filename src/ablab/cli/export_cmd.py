"""``ablab export``: a plan as Hydra multirun commands or W&B sweep configurations."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from ablab._util.atomic import atomic_write_text
from ablab.api import export_plan
from ablab.cli._common import cli_errors, err_console, escape, write_stdout
from ablab.export import Export, Target
from ablab.runs.files import prepare_output_dir


def _show_mapping(result: Export) -> None:
    if result.mapping is None:
        err_console.print(
            "no --config given: runs are labelled (++ablation, ++variant) and your program decides "
            "what each label changes"
        )
        return
    table = Table(
        title=f"mapping onto {escape(str(result.mapping.config.path))}", title_justify="left"
    )
    for column in ("#", "ablation", "config key", "score", "values"):
        table.add_column(column)
    for item in result.mapping.mappings:
        values = ", ".join(
            repr(v.value) + (f" ({v.score:.0f})" if v.score is not None else "")
            for v in item.mapped_variants
        )
        table.add_row(
            str(item.rank),
            escape(item.ablation.name),
            escape(item.key.path) if item.key else "[red]not mapped[/]",
            f"{item.score:.0f}",
            escape(values) or "—",
        )
    err_console.print(table)
    for line in result.unmapped:
        err_console.print(f"[yellow]not mapped:[/] {escape(line)}", soft_wrap=True)


def export(
    plan_path: Path = typer.Argument(
        ...,
        metavar="PLAN",
        help="A plan: <id>.plan.json, trajectory .md, AblationBench .jsonl, or a run directory.",
        show_default=False,
    ),
    to: Target = typer.Option(..., "--to", "-t", help="Launcher: hydra or wandb."),
    config: Path | None = typer.Option(
        None,
        "--config",
        "-c",
        help="Your config (YAML, JSON or TOML; a Hydra config.yaml with its group folders): "
        "ablated parts are mapped to its keys.",
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Folder for the files (default: print them)."
    ),
    paper: str | None = typer.Option(
        None, "--paper", help="Which paper's plan, when PLAN is a run directory with several."
    ),
    program: str = typer.Option("train.py", "--program", help="Your training script."),
    seeds: int | None = typer.Option(
        None, "--seeds", min=1, help="Run every variant with seeds 0..N-1."
    ),
) -> None:
    """Turn a plan into runs: Hydra multirun commands or W&B sweeps, one per ablation.

    Example: ablab export runs/demo/tide.plan.json --to hydra --config conf/config.yaml --seeds 3
    """
    result = export_plan(
        plan_path, to.value, config=config, paper_id=paper, program=program, seeds=seeds
    )
    _show_mapping(result)
    if out is None:
        write_stdout("---\n".join(result.files.values()))
        return
    prepare_output_dir(out)
    for name, text in result.files.items():
        atomic_write_text(out / name, text)
    err_console.print(f"wrote {len(result.files)} file(s) to {escape(str(out))}")


def register(app: typer.Typer) -> None:
    """Add the ``export`` command to the app."""
    app.command("export")(cli_errors(export))
