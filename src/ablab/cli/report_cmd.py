"""``ablab report``: a run directory as one self-contained HTML file."""

from __future__ import annotations

from pathlib import Path

import typer

from ablab.cli._common import cli_errors, err_console, escape
from ablab.errors import AblabError
from ablab.report import write_report


def report(
    run_dir: Path = typer.Argument(
        ...,
        help="A runs directory (one sub-folder per run) or a single run folder.",
        show_default=False,
    ),
    out: Path = typer.Option(Path("report.html"), "--out", "-o", help="HTML file to write."),
) -> None:
    """Write a static HTML report (runs grid, plans, comparisons) that needs no other file.

    Example: ablab report runs/ -o report.html
    """

    if out.is_dir():
        raise AblabError(f"--out {out}: is a directory, expected a file name")
    path = write_report(run_dir, out)
    size_kb = path.stat().st_size / 1024
    err_console.print(f"wrote {escape(str(path))} ({size_kb:.0f} KB)")


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to the app."""
    app.command("report")(cli_errors(report))
