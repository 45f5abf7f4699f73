"""``ablab bench`` (plan, judge, one leaderboard row) and ``ablab leaderboard`` (compare runs)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from ablab.bench.evaluate import SUMMARY_FILE, EvaluationSummary, read_summary
from ablab.bench.leaderboard import rich_table, to_csv, to_markdown
from ablab.bench.plots import plot_scores
from ablab.bench.runner import run_bench
from ablab.bench.sources import load_dataset
from ablab.cli._common import (
    EXIT_PARTIAL_FAILURE,
    cli_errors,
    err_console,
    escape,
    out_console,
    write_stdout,
)
from ablab.cli.eval_cmd import (
    DATASET_HELP,
    JUDGE_HELP,
    JUDGE_MODEL_HELP,
    METRICS_HELP,
    Metrics,
    build_judge,
)
from ablab.errors import ConfigError, DatasetError
from ablab.planners import available_planners
from ablab.runs.files import prepare_output_dir


class BoardFormat(StrEnum):
    """How a leaderboard is printed."""

    table = "table"
    md = "md"
    csv = "csv"


def bench_command(
    dataset: str = typer.Option(..., "--dataset", "-d", help=DATASET_HELP),
    planner: str = typer.Option(
        "heuristic", "--planner", "-p", help="Planner: " + ", ".join(available_planners()) + "."
    ),
    model: str | None = typer.Option(None, "--model", help="Model of the planner, if it uses one."),
    judge: str = typer.Option("offline", "--judge", "-j", help=JUDGE_HELP),
    judge_model: list[str] = typer.Option([], "--judge-model", help=JUDGE_MODEL_HELP),
    k: int | None = typer.Option(None, "-k", "--k", min=1, help="Ablations per plan."),
    split: str | None = typer.Option(None, "--split", help="Dataset split (default: test)."),
    papers: Path | None = typer.Option(None, "--papers", help="Folder holding the papers."),
    out: Path = typer.Option(
        Path("runs/bench"), "--out", "-o", help="Run folder (resumable: plans are reused)."
    ),
    fmt: BoardFormat = typer.Option(BoardFormat.table, "--format", "-f", help="Row format."),
    metrics: Metrics = typer.Option(Metrics.ablab, "--metrics", help=METRICS_HELP),
) -> None:
    """Plan every paper of a dataset, judge the plans and print a leaderboard row.

    Example:

      ablab bench -d examples/datasets/author.jsonl --planner heuristic --judge offline -o out/bench
    """
    if papers is not None and not papers.is_dir():
        raise ConfigError(f"{papers}: no such folder of papers")
    data = load_dataset(dataset, split)
    options = {"model": model} if model else {}

    def progress(paper_id: str, status: str) -> None:
        err_console.print(f"{escape(paper_id)}: {escape(status)}")

    result = run_bench(
        data,
        planner=planner,
        judge=build_judge(judge, judge_model, metrics.value),
        out=out,
        k=k,
        papers_dir=papers,
        planner_options=options,
        on_paper=progress,
        metrics=metrics.value,
    )
    _print_board([result.evaluation.summary], fmt)
    err_console.print(
        f"planned {result.planned}, reused {result.reused}, failed {len(result.failures)}; "
        f"results in {escape(str(out))}"
    )
    if result.failures:  # failed papers score 0 (no plan): the row is not the planner's
        raise typer.Exit(EXIT_PARTIAL_FAILURE)


def _print_board(summaries: list[EvaluationSummary], fmt: BoardFormat) -> None:
    if fmt is BoardFormat.md:
        write_stdout(to_markdown(summaries))
    elif fmt is BoardFormat.csv:
        write_stdout(to_csv(summaries))
    else:
        out_console.print(rich_table(summaries))


def leaderboard_command(
    runs: list[Path] = typer.Argument(
        ...,
        help="Evaluation folders (with summary.json), bench folders, or folders holding them.",
        show_default=False,
    ),
    fmt: BoardFormat = typer.Option(BoardFormat.table, "--format", "-f", help="Output format."),
    plot: Path | None = typer.Option(
        None, "--plot", help="Also draw the scores to this path as PNG and SVG (`plots` extra)."
    ),
) -> None:
    """Compare evaluation runs: a table, Markdown or CSV, and optionally a plot.

    Example:

      ablab leaderboard out/bench-* --format md --plot out/leaderboard
    """
    if plot is not None:
        prepare_output_dir(plot.parent)
    files: list[Path] = []
    for run in runs:
        if run.is_file():
            files.append(run)
        else:
            files.extend(sorted(run.rglob(SUMMARY_FILE)))
    if not files:
        raise DatasetError("no summary.json found under the given folders")
    summaries = [read_summary(path) for path in files]
    _print_board(summaries, fmt)
    if plot is not None:
        for path in plot_scores(summaries, plot):
            err_console.print(f"wrote {escape(str(path))}")


def register(app: typer.Typer) -> None:
    """Add ``bench`` and ``leaderboard`` to the app."""
    app.command("bench")(cli_errors(bench_command))
    app.command("leaderboard")(cli_errors(leaderboard_command))
