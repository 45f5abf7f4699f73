"""``ablab analyze``: what the offline analyzer finds in a paper."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from ablab.analysis import analyze as run_analysis
from ablab.cli._common import (
    cli_errors,
    escape,
    out_console,
    report_paper_warnings,
    write_stdout,
)
from ablab.papers import load_source
from ablab.papers.collect import collect_sources
from ablab.papers.views import paper_view
from ablab.schema import Analysis, Evidence, Mode


class AnalysisFormat(StrEnum):
    """Output of ``ablab analyze``."""

    table = "table"
    json = "json"


def _where(evidence: list[Evidence]) -> str:
    if not evidence:
        return ""
    first = evidence[0]
    return escape(first.section_title or "abstract")


def _tables(analysis: Analysis) -> list[Table]:
    components = Table(title="Components")
    for column in ("Name", "Kind", "Novel", "Mentions", "Conf.", "Section"):
        components.add_column(column)
    for c in analysis.components:
        name = f"{c.name} ({c.acronym})" if c.acronym else c.name
        components.add_row(
            escape(name),
            c.kind,
            "yes" if c.novel else "",
            str(c.mentions),
            f"{c.confidence:.1f}",
            _where(c.evidence),
        )
    hyper = Table(title="Hyperparameters")
    for column in ("Name", "Symbol", "Value", "Conf.", "Section"):
        hyper.add_column(column)
    for h in analysis.hyperparameters:
        hyper.add_row(
            escape(h.name),
            escape(h.symbol or ""),
            escape(h.value or "(not stated in this view)"),
            f"{h.confidence:.1f}",
            _where(h.evidence),
        )
    design = Table(title="Design choices")
    for column in ("Choice", "Category", "Alternatives", "Conf.", "Section"):
        design.add_column(column)
    for d in analysis.design_choices:
        source = " (named by the paper)" if d.named_by_paper else ""
        design.add_row(
            escape(d.choice),
            d.category,
            escape(", ".join(d.alternatives)) + source,
            f"{d.confidence:.1f}",
            _where(d.evidence),
        )
    metrics = Table(title="Metrics")
    for column in ("Metric", "Mentions", "Section"):
        metrics.add_column(column)
    for m in analysis.metrics:
        metrics.add_row(escape(m.name), str(m.mentions), _where(m.evidence))
    existing = Table(title="Existing ablations")
    for column in ("Target", "Action", "Found in", "Section"):
        existing.add_column(column)
    for e in analysis.existing_ablations:
        existing.add_row(
            escape(e.target), e.action.value if e.action else "?", e.source, _where(e.evidence)
        )
    return [components, hyper, design, metrics, existing]


def analyze(
    paper: str = typer.Argument(
        ...,
        help="A paper file or LaTeX project, an arXiv id or link, or an OpenReview forum link.",
        show_default=False,
    ),
    mode: Mode | None = typer.Option(
        None, "--mode", "-m", help="Analyse the author-mode view (cut before experiments)."
    ),
    fmt: AnalysisFormat | None = typer.Option(
        None, "--format", "-f", help="Output (default: table in a terminal, json when piped)."
    ),
) -> None:
    """Show the offline analysis of a paper: components, hyperparameters, design choices,
    metrics and existing ablations, each with its evidence.

    Example: ablab analyze examples/paper.md --format json
    """
    [source] = collect_sources([paper])[:1] or [Path(paper)]
    loaded = load_source(source)
    report_paper_warnings(str(paper), loaded.warnings)
    result = run_analysis(paper_view(loaded, mode) if mode else loaded)
    chosen = fmt or (AnalysisFormat.table if sys.stdout.isatty() else AnalysisFormat.json)
    if chosen is AnalysisFormat.json:
        write_stdout(result.model_dump_json(indent=2))
        return
    out_console.print(f"[bold]{escape(loaded.title)}[/]")
    for table in _tables(result):
        out_console.print(table)


def register(app: typer.Typer) -> None:
    """Add the ``analyze`` command to the app."""
    app.command("analyze")(cli_errors(analyze))
