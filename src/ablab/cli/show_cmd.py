"""``ablab show RUN``: what a run directory holds — papers, failures, tokens, cost and time."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from ablab.cli._common import cli_errors, escape, out_console, write_stdout
from ablab.runs import RunReport, summarise_run


def _money(cost: float | None) -> str:
    return "unknown" if cost is None else f"${cost:.4f}"


def _as_json(report: RunReport) -> str:
    return json.dumps(
        {
            "run_dir": str(report.run_dir),
            "planner": report.manifest.get("planner"),
            "model": report.manifest.get("model"),
            "mode": report.manifest.get("mode"),
            "planned": report.planned,
            "failed": report.failed,
            "calls": report.calls,
            "cache_hits": report.cache_hits,
            "call_errors": report.call_errors,
            "requests": report.requests,
            "input_tokens": report.input_tokens,
            "output_tokens": report.output_tokens,
            "cost_usd": report.cost_usd,
            "elapsed_s": report.elapsed_s,
            "papers": [vars(p) for p in report.papers],
        },
        indent=2,
    )


def show(
    run_dir: Path = typer.Argument(..., help="A run directory written by ablab plan --out."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Summarise a run: papers planned and failed, tokens, cost and time.

    Example:

      ablab show runs/today
    """
    report = summarise_run(run_dir)
    if as_json:
        write_stdout(_as_json(report))
        return
    manifest = report.manifest
    out_console.print(f"[bold]Run[/] {escape(str(run_dir))}")
    if manifest:
        out_console.print(
            f"planner {escape(str(manifest.get('planner')))} · model "
            f"{escape(str(manifest.get('model')))} · mode {manifest.get('mode')} · "
            f"k {manifest.get('k')} · {len(manifest.get('runs', []))} run(s)"
        )
    latency = report.median_latency_s
    out_console.print(
        f"papers: {report.planned} planned, {report.failed} failed · "
        f"calls: {report.calls} ({report.cache_hits} from cache, {report.call_errors} errors) · "
        f"tokens: {report.input_tokens:,} in, {report.output_tokens:,} out · "
        f"cost: {_money(report.cost_usd)} · time: {report.elapsed_s:.1f} s"
        + (f" · median latency {latency:.2f} s" if latency is not None else "")
    )
    table = Table()
    for column in (
        "Paper",
        "Status",
        "Ablations",
        "Tokens in",
        "Tokens out",
        "Cost",
        "Paper tokens",
    ):
        table.add_column(column, justify="left" if column in ("Paper", "Status") else "right")
    for line in report.papers:
        budgeted = ""
        if line.paper_tokens is not None:
            budgeted = f"{line.kept_tokens:,} of {line.paper_tokens:,}"
        table.add_row(
            escape(line.paper_id),
            line.status if line.status != "failed" else "[red]failed[/]",
            str(line.ablations) if line.status == "planned" else "",
            f"{line.input_tokens:,}",
            f"{line.output_tokens:,}",
            _money(line.cost_usd),
            budgeted,
        )
    out_console.print(table)
    for line in report.papers:
        if line.error:
            out_console.print(f"[red]{escape(line.paper_id)}[/]: {escape(line.error)}")


def register(app: typer.Typer) -> None:
    """Add the ``show`` command to the app."""
    app.command("show")(cli_errors(show))
