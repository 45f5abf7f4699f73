"""``ablab plan``: papers in, ranked ablation plans out."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table

from ablab.api import PlanSpec
from ablab.cli._common import (
    BASE_URL_OPTION,
    BUDGET_OPTION,
    CONCURRENCY_OPTION,
    MAX_OUTPUT_TOKENS_OPTION,
    NO_CACHE_OPTION,
    STRUCTURED_OPTION,
    TIMEOUT_OPTION,
    StructuredChoice,
    cli_errors,
    escape,
    out_console,
    write_stdout,
)
from ablab.cli.plan_run import RunOptions, run_and_report
from ablab.formats.trajectory import render_plan_markdown
from ablab.papers.collect import collect_sources
from ablab.planners import available_planners
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
    papers: list[str] = typer.Argument(
        ...,
        help="Paper files (.md, .txt, .tex, .pdf, .zip/.tar.gz LaTeX project, rpa2 digest), "
        "folders (a LaTeX project, or a folder of papers), arXiv ids or links (2501.01234, "
        "arxiv:2501.01234v2, https://arxiv.org/abs/...), OpenReview forum links, or a .txt "
        "file listing such ids, one per line.",
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
        None, "-k", "--k", min=1, help="Number of ablations (default: 5 author, 2 reviewer)."
    ),
    planner: str | None = typer.Option(
        None,
        "--planner",
        "-p",
        help="Planner: " + ", ".join(available_planners()) + " (default: heuristic, or lm "
        "with --model).",
        show_default=False,
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
        help="Printed format (default: table in a terminal, md when piped).",
    ),
    model: str | None = typer.Option(
        None,
        "--model",
        help="Language model as provider/model (openai/gpt-4o-mini, ollama/qwen2.5:7b, "
        "fake/heuristic...); see `ablab models`. Implies --planner lm.",
        rich_help_panel="Language models",
    ),
    base_url: str | None = BASE_URL_OPTION,
    concurrency: int = CONCURRENCY_OPTION,
    budget: float | None = BUDGET_OPTION,
    max_input_tokens: int | None = typer.Option(
        None,
        "--max-input-tokens",
        min=1,
        help="Cap on prompt tokens; long papers keep their most useful sections.",
        rich_help_panel="Language models",
    ),
    no_cache: bool = NO_CACHE_OPTION,
    timeout: float | None = TIMEOUT_OPTION,
    max_output_tokens: int | None = MAX_OUTPUT_TOKENS_OPTION,
    structured: StructuredChoice = STRUCTURED_OPTION,
    digests: Path | None = typer.Option(
        None,
        "--digests",
        help="With --planner hybrid: ground each paper on its digest from this directory "
        "(written by `ablab digest --out`) or file.",
        rich_help_panel="Language models",
    ),
) -> None:
    """Propose a ranked ablation plan for each paper.

    Examples:

      ablab plan examples/tide.md

      ablab plan examples/tide.md --mode reviewer -k 3 --format jsonl

      ablab plan ~/papers/ --out runs/today

      ablab plan 2501.01234 https://arxiv.org/abs/2403.00001v2 --mode reviewer

      ablab plan ~/papers/ --model openai/gpt-4o-mini -j 8 --budget 2 --out runs/gpt

    With --out, a rerun of the same command resumes: finished papers are kept, the rest are done.
    """
    sources = collect_sources(papers)
    chosen = fmt or (OutputFormat.table if sys.stdout.isatty() else OutputFormat.md)
    spec = PlanSpec(
        planner=planner,
        model=model,
        base_url=base_url,
        timeout=timeout,
        cache=not no_cache,
        max_input_tokens=max_input_tokens,
        digests=digests,
        structured=structured.value,
        max_output_tokens=max_output_tokens,
    )
    spec.check()  # a bad planner/model pair fails once, before any paper
    run_and_report(
        sources,
        mode=mode,
        k=k,
        spec=spec,
        options=RunOptions(concurrency, budget),
        out=out,
        print_plan=lambda result: print_plan(result, chosen),
    )


def register(app: typer.Typer) -> None:
    """Add the ``plan`` command to the app."""
    app.command("plan")(cli_errors(plan))
