"""How ``ablab plan`` runs: build the planner (and its model), run the batch, report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import typer

from ablab.api import PlanSpec, build_planner
from ablab.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_PARTIAL_FAILURE,
    batch_progress,
    err_console,
    escape,
    report_paper_error,
    report_paper_warnings,
)
from ablab.papers import Source
from ablab.runs import RunEvent, RunSummary, run_plans_sync
from ablab.schema import Mode, Plan


@dataclass
class RunOptions:
    """The ``ablab plan`` options of a batch: how many papers at once, how much money."""

    concurrency: int = 4
    budget: float | None = None


def _money(summary: RunSummary) -> str:
    cost = summary.usage.cost_usd
    return "unknown (a model's price is unknown)" if cost is None else f"${cost:.4f}"


def _show_review_requests(paper_id: str, requests: list[str]) -> None:
    """What the public reviews asked about ablations, beside the plan (on stderr)."""
    err_console.print(
        f"[bold]{escape(paper_id)}[/]: the public reviews asked about ablations:", soft_wrap=True
    )
    for request in requests:
        err_console.print(f"  - {escape(request)}", soft_wrap=True)


def run_and_report(
    sources: list[Source],
    *,
    mode: Mode,
    k: int | None,
    spec: PlanSpec,
    options: RunOptions,
    out: Path | None,
    print_plan: Callable[[Plan], None],
) -> None:
    """Plan ``sources`` (concurrent, resumable with ``out``), show progress, print or summarise."""
    planner = build_planner(spec)
    with batch_progress(len(sources)) as progress:
        task = progress.add_task("planning", total=len(sources))

        def on_event(event: RunEvent) -> None:
            cost = f"${event.cost_usd:.4f}" if event.cost_known else "cost unknown"
            progress.update(task, completed=event.settled, description=f"planning · {cost}")
            result = event.result
            if result.status == "failed":
                report_paper_error(result.source, result.error or "failed")
            # The loader's notes (a skipped include, a guessed encoding, a structure that looks
            # wrong), one line each.
            report_paper_warnings(result.source, result.warnings)

        summary = run_plans_sync(
            sources,
            planner,
            mode=mode,
            k=k,
            out=out,
            concurrency=options.concurrency,
            budget_usd=options.budget,
            on_event=on_event,
            keep_plans=out is None,  # with --out the plans are in files, not printed
        )

    if out is None:
        for result in summary.results:
            if result.plan is not None:
                print_plan(result.plan)
    for result in summary.results:
        if result.status in ("done", "skipped") and result.review_requests:
            _show_review_requests(result.paper_id or result.source, result.review_requests)
    done, skipped = summary.count("done"), summary.count("skipped")
    failed, not_started = summary.count("failed"), summary.count("not_started")
    usage = summary.usage
    spent = (
        f" · {usage.requests} requests, {usage.input_tokens:,} tokens in, "
        f"{usage.output_tokens:,} out · cost {_money(summary)}"
        if spec.model is not None
        else ""
    )
    quiet = len(sources) == 1 and out is None and spec.model is None  # the plan says it all
    if not quiet:
        err_console.print(
            f"{done} planned, {skipped} already done, {failed} failed, {not_started} not started"
            f"{spent} · {summary.elapsed_s:.1f} s"
            + (f" · run directory {escape(str(out))} (ablab show)" if out is not None else ""),
            soft_wrap=True,
        )
    if summary.stop_reason:
        err_console.print(
            f"[yellow]stopped:[/] {escape(summary.stop_reason)}; run the same command again "
            "to continue (finished papers are kept)"
        )
    if failed == len(sources) and all(r.bad_input for r in summary.results):
        raise typer.Exit(EXIT_BAD_INPUT)  # nothing could be read: the input is at fault
    if failed or not_started:
        raise typer.Exit(EXIT_PARTIAL_FAILURE)
