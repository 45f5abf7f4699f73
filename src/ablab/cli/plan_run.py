"""How ``ablab plan`` runs: build the planner (and its model), run the batch, report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import typer

from ablab.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_PARTIAL_FAILURE,
    batch_progress,
    err_console,
    escape,
    report_paper_error,
)
from ablab.errors import ConfigError
from ablab.models import CachedModel, ResponseCache, get_model
from ablab.models.openai_compat import DEFAULT_TIMEOUT
from ablab.planners import Planner, get_planner
from ablab.runs import RunEvent, RunSummary, run_plans_sync
from ablab.schema import Mode, Plan

MODEL_PLANNERS = frozenset({"lm", "hybrid"})
"""Planners that need a model (``--model``)."""

MODEL_OPTIONAL_PLANNERS = frozenset({"consensus"})
"""Planners that use a model when one is given (consensus: its members are lm@model)."""


@dataclass
class ModelOptions:
    """The ``ablab plan`` options of the language-model planners."""

    model: str | None = None
    base_url: str | None = None
    concurrency: int = 4
    budget: float | None = None
    max_input_tokens: int | None = None
    no_cache: bool = False
    timeout: float = DEFAULT_TIMEOUT
    digests: Path | None = None
    """Digest directory or file offered to the hybrid planner as grounding."""


def resolve_planner(planner: str | None, model: str | None) -> str:
    """The planner to use: ``lm`` when only a model is given, else ``heuristic`` by default."""
    if planner is None:
        return "lm" if model else "heuristic"
    if planner in MODEL_PLANNERS and not model:
        raise ConfigError(
            f"the {planner} planner needs --model provider/model "
            "(see `ablab models`; fake/heuristic works offline)"
        )
    if model and planner not in MODEL_PLANNERS | MODEL_OPTIONAL_PLANNERS:
        raise ConfigError(f"the {planner} planner uses no model; drop --model or use --planner lm")
    return planner


def _money(summary: RunSummary) -> str:
    cost = summary.usage.cost_usd
    return "unknown (a model's price is unknown)" if cost is None else f"${cost:.4f}"


def build_planner(planner_name: str, options: ModelOptions) -> Planner:
    """The planner named ``planner_name``, with its model (cached unless told otherwise)."""
    if options.model is None:
        return get_planner(planner_name)
    if planner_name in MODEL_OPTIONAL_PLANNERS:
        # Its members build their own models from the name; samples must not share a cache.
        return get_planner(planner_name, model=options.model)
    model = get_model(options.model, base_url=options.base_url, timeout=options.timeout)
    if not options.no_cache:
        model = CachedModel(model, ResponseCache())
    extra = {"digests": options.digests} if options.digests is not None else {}
    return get_planner(
        planner_name, model=model, max_input_tokens=options.max_input_tokens, **extra
    )


def run_and_report(
    sources: list[Path],
    *,
    mode: Mode,
    k: int | None,
    planner_name: str,
    options: ModelOptions,
    out: Path | None,
    print_plan: Callable[[Plan], None],
) -> None:
    """Plan ``sources`` (concurrent, resumable with ``out``), show progress, print or summarise."""
    planner = build_planner(planner_name, options)
    with batch_progress(len(sources)) as progress:
        task = progress.add_task("planning", total=len(sources))

        def on_event(event: RunEvent) -> None:
            cost = f"${event.cost_usd:.4f}" if event.cost_known else "cost unknown"
            progress.update(task, completed=event.settled, description=f"planning · {cost}")
            result = event.result
            for warning in result.warnings:  # the loader's notes: a skipped include, a guess
                err_console.print(f"[yellow]warning[/yellow]: {escape(warning)}")
            if result.status == "failed":
                report_paper_error(result.source, result.error or "failed")

        summary = run_plans_sync(
            sources,
            planner,
            mode=mode,
            k=k,
            out=out,
            concurrency=options.concurrency,
            budget_usd=options.budget,
            on_event=on_event,
        )

    if out is None:
        for result in summary.results:
            if result.plan is not None:
                print_plan(result.plan)
    done, skipped = summary.count("done"), summary.count("skipped")
    failed, not_started = summary.count("failed"), summary.count("not_started")
    usage = summary.usage
    spent = (
        f" · {usage.requests} requests, {usage.input_tokens:,} tokens in, "
        f"{usage.output_tokens:,} out · cost {_money(summary)}"
        if options.model is not None
        else ""
    )
    quiet = len(sources) == 1 and out is None and options.model is None  # the plan says it all
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
    if failed == len(sources):
        raise typer.Exit(EXIT_BAD_INPUT)
    if failed or not_started:
        raise typer.Exit(EXIT_PARTIAL_FAILURE)
