"""``ablab digest``: papers in, rpa2 paper digests out (offline, or with a model)."""

from __future__ import annotations

import asyncio
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from ablab.api import build_model
from ablab.cli._common import (
    BASE_URL_OPTION,
    BUDGET_OPTION,
    CONCURRENCY_OPTION,
    EXIT_BAD_INPUT,
    EXIT_PARTIAL_FAILURE,
    MAX_OUTPUT_TOKENS_OPTION,
    NO_CACHE_OPTION,
    STRUCTURED_OPTION,
    TIMEOUT_OPTION,
    StructuredChoice,
    batch_progress,
    cli_errors,
    err_console,
    escape,
    report_paper_error,
    report_paper_warnings,
    write_stdout,
)
from ablab.formats.rpa2.files import DIGEST_SUFFIX
from ablab.formats.rpa2.render import render_digest
from ablab.models import GenerateParams
from ablab.models.cache import aclose_model
from ablab.papers.collect import collect_sources
from ablab.runs.digests import DigestEvent, DigestRun, run_digests
from ablab.schema import Usage


class DigestFormat(StrEnum):
    """How a digest is printed."""

    md = "md"
    json = "json"


def _cost(usage: Usage) -> str:
    money = (
        "unknown (a price was not known)" if usage.cost_usd is None else f"${usage.cost_usd:.4f}"
    )
    return (
        f"{usage.requests} requests, {usage.input_tokens:,} tokens in, "
        f"{usage.output_tokens:,} out · cost {money}"
    )


def _summary(run: DigestRun, out: Path) -> Table:
    table = Table(title=f"Digests in {escape(str(out))}")
    for column in ("Paper", "Status", "Repairs", "Problems left", "File"):
        table.add_column(column)
    for result in run.results:
        outcome = result.outcome
        table.add_row(
            escape(result.paper_id or result.source),
            result.status,
            str(outcome.repair_rounds) if outcome else "",
            str(len(outcome.problems)) if outcome else "",
            escape(f"{result.paper_id}{DIGEST_SUFFIX}") if result.digest else "",
        )
    return table


def digest(
    papers: list[str] = typer.Argument(
        ...,
        help="Paper files (.md, .txt, .tex, .pdf, .zip/.tar.gz LaTeX project), folders, arXiv "
        "ids or links, OpenReview forum links, or a .txt file listing such ids.",
        show_default=False,
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="Directory for <id>.digest.md (+ .digest.json record, digests.json index). "
        "Rerunning skips papers already digested the same way. Without it, digests are printed.",
    ),
    fmt: DigestFormat = typer.Option(
        DigestFormat.md, "--format", "-f", help="Printed format (without --out)."
    ),
    planner: str = typer.Option(
        "heuristic", "--planner", "-p", help="Planner whose ablations fill Next Checks."
    ),
    model: str | None = typer.Option(
        None,
        "--model",
        help="Write with this model (provider/model, e.g. openai/gpt-4o-mini; see `ablab "
        "models`). Without it the digest is written offline from the paper and its analysis.",
        rich_help_panel="Language models",
    ),
    base_url: str | None = BASE_URL_OPTION,
    repairs: int = typer.Option(
        2,
        "--repairs",
        min=0,
        max=2,
        help="Rounds in which failing sections go back to the model.",
        rich_help_panel="Language models",
    ),
    concurrency: int = CONCURRENCY_OPTION,
    budget: float | None = BUDGET_OPTION,
    max_input_tokens: int | None = typer.Option(
        None,
        "--max-input-tokens",
        min=1,
        help="Cap on each writer's prompt tokens; long papers keep their most useful sections.",
        rich_help_panel="Language models",
    ),
    no_cache: bool = NO_CACHE_OPTION,
    timeout: float | None = TIMEOUT_OPTION,
    max_output_tokens: int | None = MAX_OUTPUT_TOKENS_OPTION,
    structured: StructuredChoice = STRUCTURED_OPTION,
) -> None:
    """Write a paper digest (ver: rpa2) for each paper.

    Examples:

      ablab digest examples/tide.md

      ablab digest papers/ --out digests/

      ablab digest paper.pdf --model openai/gpt-4o-mini --out digests/
    """
    sources = collect_sources(papers)
    lm = (
        build_model(
            model,
            base_url=base_url,
            timeout=timeout,
            structured=structured.value,
            cache=not no_cache,
        )
        if model is not None
        else None
    )
    options: dict[str, Any] = {}
    if lm is not None:
        options = {"repairs": repairs, "max_input_tokens": max_input_tokens}
        if max_output_tokens is not None:
            options["params"] = GenerateParams(max_output_tokens=max_output_tokens)
    with batch_progress(len(sources)) as progress:
        task = progress.add_task("digesting", total=len(sources))

        def on_event(event: DigestEvent) -> None:
            cost = event.usage.cost_usd
            spent = "" if lm is None else " · cost unknown" if cost is None else f" · ${cost:.4f}"
            progress.update(task, completed=event.settled, description=f"digesting{spent}")
            result = event.result
            if result.status == "failed":
                report_paper_error(result.source, result.error or "failed")
            report_paper_warnings(result.source, result.warnings)
            if result.status != "failed" and result.outcome is not None and result.outcome.problems:
                err_console.print(
                    f"{escape(result.paper_id or result.source)}: "
                    f"{len(result.outcome.problems)} problem(s) left after "
                    f"{result.outcome.repair_rounds} repair round(s); unverified content dropped"
                )

        async def go() -> DigestRun:
            try:
                return await run_digests(
                    sources,
                    model=lm,
                    out=out,
                    concurrency=concurrency,
                    planner=planner,
                    budget_usd=budget,
                    on_event=on_event,
                    **options,
                )
            finally:
                if lm is not None:
                    await aclose_model(lm)

        run = asyncio.run(go())

    if out is None:  # printed after the run, in the order the papers were given
        for result in run.results:
            if result.digest is None:
                continue
            if fmt is DigestFormat.json:
                write_stdout(result.digest.model_dump_json(indent=2))
            else:
                write_stdout(render_digest(result.digest))
    else:
        err_console.print(_summary(run, out))
    if lm is not None:
        err_console.print(_cost(run.usage))
    if run.stop_reason:
        err_console.print(
            f"[yellow]stopped:[/] {escape(run.stop_reason)}; run the same command again to "
            "continue (finished papers are kept)"
        )
    failed, not_started = run.count("failed"), run.count("not_started")
    if failed:
        err_console.print(f"{failed} of {len(sources)} papers failed")
    if failed == len(sources) and all(r.bad_input for r in run.results):
        raise typer.Exit(EXIT_BAD_INPUT)  # nothing could be read: the input is at fault
    if failed or not_started:
        raise typer.Exit(EXIT_PARTIAL_FAILURE)


def register(app: typer.Typer) -> None:
    """Add the ``digest`` command to the app."""
    app.command("digest")(cli_errors(digest))
