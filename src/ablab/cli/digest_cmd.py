"""``ablab digest``: papers in, rpa2 paper digests out (offline, or with a model)."""

from __future__ import annotations

import asyncio
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ablab.batch import collect_sources
from ablab.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_PARTIAL_FAILURE,
    cli_errors,
    err_console,
    escape,
    report_error,
    write_stdout,
)
from ablab.digest.batch import DIGEST_SUFFIX, DigestEvent, DigestRun, run_digests
from ablab.digest.render import render_digest
from ablab.schema import Usage

if TYPE_CHECKING:
    from ablab.models.base import Model


class DigestFormat(StrEnum):
    """How a digest is printed."""

    md = "md"
    json = "json"


def _cost(usage: Usage) -> str:
    money = (
        "unknown (a price was not known)" if usage.cost_usd is None else f"${usage.cost_usd:.4f}"
    )
    return (
        f"cost {money}: {usage.requests} requests, "
        f"{usage.input_tokens} input and {usage.output_tokens} output tokens"
    )


def _model(name: str, *, cache: bool, options: dict[str, Any]) -> Model:
    from ablab.models import CachedModel, ResponseCache, default_cache_dir, get_model

    model = get_model(name, **options)
    return CachedModel(model, ResponseCache(default_cache_dir())) if cache else model


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
    papers: list[Path] = typer.Argument(
        ...,
        help="Paper files (.md, .txt, .tex, .pdf, .zip/.tar.gz LaTeX project) or folders.",
        show_default=False,
    ),
    model: str | None = typer.Option(
        None,
        "--model",
        "-M",
        help="Write with this model (provider/model, e.g. openai/gpt-4o-mini). "
        "Without it the digest is written offline from the paper and its analysis.",
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
    repairs: int = typer.Option(
        2, "--repairs", min=0, max=2, help="Repair rounds for failing sections (with --model)."
    ),
    concurrency: int = typer.Option(
        4, "--concurrency", "-j", min=1, help="Papers in flight at once (with --model)."
    ),
    base_url: str | None = typer.Option(
        None, "--base-url", help="OpenAI-compatible endpoint overriding the provider's."
    ),
    cache: bool = typer.Option(
        True, "--cache/--no-cache", help="Reuse stored model answers for identical requests."
    ),
) -> None:
    """Write a paper digest (ver: rpa2) for each paper.

    Examples:

      ablab digest examples/tide.md

      ablab digest papers/ --out digests/

      ablab digest paper.pdf --model openai/gpt-4o-mini --out digests/
    """
    sources = collect_sources(papers)
    lm: Model | None = None
    options: dict[str, Any] = {}
    if model is not None:
        lm = _model(model, cache=cache, options={"base_url": base_url} if base_url else {})
        options["repairs"] = repairs
    failures = 0
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[cost]}"),
        console=err_console,
        transient=True,
        disable=len(sources) < 2,
    ) as progress:
        task = progress.add_task("digesting", total=len(sources), cost="")

        def on_event(event: DigestEvent) -> None:
            nonlocal failures
            cost = event.usage.cost_usd
            progress.update(
                task, advance=1, cost="" if lm is None or cost is None else f"${cost:.4f}"
            )
            result = event.result
            if result.status == "failed":
                failures += 1
                report_error(f"{result.source}: {result.error}")
            elif result.outcome is not None and result.outcome.problems:
                err_console.print(
                    f"{escape(result.paper_id or result.source)}: "
                    f"{len(result.outcome.problems)} problem(s) left after "
                    f"{result.outcome.repair_rounds} repair round(s); unverified content dropped"
                )
            if out is None and result.digest is not None:
                if fmt is DigestFormat.json:
                    write_stdout(result.digest.model_dump_json(indent=2))
                else:
                    write_stdout(render_digest(result.digest))

        run = asyncio.run(
            run_digests(
                sources,
                model=lm,
                out=out,
                concurrency=concurrency,
                planner=planner,
                on_event=on_event,
                **options,
            )
        )
    if out is not None:
        err_console.print(_summary(run, out))
    if lm is not None:
        err_console.print(_cost(run.usage))
    if failures:
        err_console.print(f"{failures} of {len(sources)} papers failed")
        raise typer.Exit(EXIT_BAD_INPUT if failures == len(sources) else EXIT_PARTIAL_FAILURE)


def register(app: typer.Typer) -> None:
    """Add the ``digest`` command to the app."""
    app.command("digest")(cli_errors(digest))
