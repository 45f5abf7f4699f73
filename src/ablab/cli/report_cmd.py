"""``ablab report``: a run directory as self-contained HTML (linked pages past --per-page)."""

from __future__ import annotations

import glob
from pathlib import Path

import typer

from ablab.cli._common import cli_errors, err_console, escape
from ablab.errors import AblabError
from ablab.report import write_report
from ablab.report.build import PAPERS_PER_PAGE


def report(
    run_dir: Path = typer.Argument(
        ...,
        help="A runs directory (one sub-folder per run) or a single run folder.",
        show_default=False,
    ),
    out: Path = typer.Option(Path("report.html"), "--out", "-o", help="HTML file to write."),
    results: list[str] | None = typer.Option(
        None,
        "--results",
        help="PAPER_ID=FILE: show this results file's ablation table with the paper's plans "
        "(repeat for several papers).",
    ),
    per_page: int = typer.Option(
        PAPERS_PER_PAGE,
        "--per-page",
        min=1,
        help="Papers per HTML file; past it the report is split into linked pages "
        "(report.html, report-2.html...).",
    ),
) -> None:
    """Write a static HTML report (runs grid, plans, comparisons) that needs no other file.

    Example: ablab report runs/ -o report.html --results tide=results.csv
    """

    if out.is_dir():
        raise AblabError(f"--out {out}: is a directory, expected a file name")
    given: dict[str, Path] = {}
    for item in results or []:
        paper_id, sep, file = item.partition("=")
        if not sep or not paper_id or not file:
            raise AblabError(f"--results {item!r}: expected PAPER_ID=FILE")
        given[paper_id] = Path(file)
    path = write_report(run_dir, out, given, per_page=per_page)
    size_kb = path.stat().st_size / 1024
    more = sorted(path.parent.glob(f"{glob.escape(path.stem)}-[0-9]*{path.suffix}"))
    pages = f"; {len(more)} more page(s) beside it" if more else ""
    err_console.print(f"wrote {escape(str(path))} ({size_kb:.0f} KB{pages})")


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to the app."""
    app.command("report")(cli_errors(report))
