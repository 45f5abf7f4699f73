"""``ablab plan``: papers in, ranked ablation plans out."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.markdown import Markdown
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ablab.batch import Failure, collect_sources, plan_batch
from ablab.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_PARTIAL_FAILURE,
    cli_errors,
    err_console,
    escape,
    out_console,
    report_error,
    write_stdout,
)
from ablab.planners import available_planners
from ablab.render.trajectory import render_plan_markdown
from ablab.schema import Mode, Plan


class OutputFormat(StrEnum):
    """How a plan is printed."""

    md = "md"
    jsonl = "jsonl"
    json = "json"
    table = "table"


def render_plan_table(plan: Plan) -> Table:
    """A Rich table of a plan's ablations, in rank order."""
    table = Table(title=escape(f"{plan.paper_title or plan.paper_id} — {plan.mode.value} plan"))
    table.add_column("#", justify="right")
    table.add_column("Ablation")
    table.add_column("Action")
    table.add_column("Ablated part")
    table.add_column("Replacement")
    table.add_column("Metrics")
    for rank, ablation in enumerate(plan.ablations, 1):
        table.add_row(
            str(rank),
            escape(ablation.name),
            ablation.action.value,
            escape(ablation.ablated_part),
            escape("\n".join(ablation.replacement or [])) or "—",
            escape(", ".join(ablation.metrics)),
        )
    return table


def print_plan(plan: Plan, fmt: OutputFormat) -> None:
    """Print one plan to stdout in the chosen format."""
    if fmt is OutputFormat.md:
        write_stdout(render_plan_markdown(plan))
    elif fmt is OutputFormat.jsonl:
        write_stdout(plan.to_jsonl())
    elif fmt is OutputFormat.json:
        write_stdout(plan.model_dump_json(indent=2))
    else:
        out_console.print(render_plan_table(plan))
        if plan.reasoning:
            # Paper-derived text: rendered as Markdown, never as Rich markup.
            out_console.print(Panel(Markdown(plan.reasoning), title="Reasoning", expand=False))


def plan(
    papers: list[Path] = typer.Argument(
        ...,
        help="Paper files (.md, .txt, .tex, .pdf, .zip/.tar.gz LaTeX project, rpa2 digest) "
        "or folders (a LaTeX project, or a folder of papers).",
        show_default=False,
    ),
    mode: Mode = typer.Option(
        Mode.AUTHOR,
        "--mode",
        "-m",
        help="author: plan from the method (the paper is cut before its experiments). "
        "reviewer: the ablations missing from the full paper.",
    ),
    k: int | None = typer.Option(
        None, "-k", "--k", min=1, help="Number of ablations [default: 5 author, 2 reviewer]."
    ),
    planner: str = typer.Option(
        "heuristic", "--planner", "-p", help="Planner: " + ", ".join(available_planners()) + "."
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="Run directory: <id>.jsonl, <id>.plan.json, <id>.md per paper and plans.json "
        "(AblationBench layout). Without it, plans are printed.",
    ),
    fmt: OutputFormat | None = typer.Option(
        None,
        "--format",
        "-f",
        help="Printed format [default: table in a terminal, md when piped].",
    ),
) -> None:
    """Propose a ranked ablation plan for each paper.

    Examples:

      ablab plan examples/tide.md

      ablab plan examples/tide.md --mode reviewer -k 3 --format jsonl

      ablab plan ~/papers/ --out runs/today
    """
    sources = collect_sources(papers)
    chosen = fmt or (OutputFormat.table if sys.stdout.isatty() else OutputFormat.md)
    failures: list[Failure] = []
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=len(sources) < 2,
    ) as progress:
        task = progress.add_task("planning", total=len(sources))

        def on_done(source: Path, result: Plan | None, failure: Failure | None) -> None:
            progress.advance(task)
            if failure is not None:
                failures.append(failure)
                report_error(f"{failure.source}: {failure.error}")
            elif result is not None and out is None:
                print_plan(result, chosen)

        batch = plan_batch(sources, mode=mode, k=k, planner=planner, out=out, on_done=on_done)

    if out is not None:
        summary = Table(title=f"Run directory {escape(str(out))}")
        summary.add_column("Paper")
        summary.add_column("Ablations", justify="right")
        summary.add_column("File")
        for result in batch.plans:
            summary.add_row(
                escape(result.paper_id), str(len(result.ablations)), escape(f"{result.paper_id}.md")
            )
        err_console.print(summary)
    if failures:
        err_console.print(f"{len(failures)} of {len(sources)} papers failed")
        raise typer.Exit(EXIT_BAD_INPUT if len(failures) == len(sources) else EXIT_PARTIAL_FAILURE)


def register(app: typer.Typer) -> None:
    """Add the ``plan`` command to the app."""
    app.command("plan")(cli_errors(plan))
