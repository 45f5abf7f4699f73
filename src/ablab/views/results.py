"""Results next to a plan: the ablation table and its plot, for the web app and the report.

An uploaded results file is read by :func:`ablab.results.read_results` and stored beside the
plan as ``<paper_id>.results.csv`` in the long format, written by ablab (never the uploaded
bytes), so the plan page shows it again later and ``ablab report`` picks it up.
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ablab._util.atomic import atomic_write_text
from ablab.errors import AblabError
from ablab.results import AblationTable, build_table, read_results
from ablab.results.plot import draw
from ablab.results.read import LONG_COLUMNS, Observation
from ablab.results.render import render_html
from ablab.results.stats import Interval
from ablab.runs.files import check_file_id
from ablab.schema import Plan
from ablab.views.render import data_uri

RESULTS_SUFFIX = ".results.csv"
"""Suffix of the results stored beside a plan."""
RESULTS_UPLOAD_SUFFIXES = (".csv", ".jsonl", ".json", ".ndjson")
"""Results file types accepted for upload."""


@dataclass
class ResultsView:
    """A plan's results as shown on its page."""

    table: AblationTable
    html: Markup
    """The table as HTML (every string escaped by the renderer)."""
    plot: str | None = None
    """The bar plot as a ``data:`` URI (None without matplotlib)."""
    note: str | None = None
    """Why there is no plot, when there is none."""


def results_file(run_dir: Path, paper_id: str) -> Path:
    """Where a plan's results are stored."""
    return run_dir / f"{check_file_id(paper_id)}{RESULTS_SUFFIX}"


def observations_csv(observations: list[Observation]) -> str:
    """Observations in the long format."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LONG_COLUMNS)
    for obs in observations:
        writer.writerow([obs.ablation, obs.variant, obs.seed, obs.metric, repr(obs.value)])
    return buffer.getvalue()


def read_upload(data: bytes, filename: str) -> list[Observation]:
    """Observations from an uploaded results file (read in a private temporary folder)."""
    suffix = Path(filename).suffix.lower()
    if suffix not in RESULTS_UPLOAD_SUFFIXES:
        raise AblabError(f"upload results as one of: {', '.join(RESULTS_UPLOAD_SUFFIXES)}")
    with tempfile.TemporaryDirectory(prefix="ablab-results-") as tmp:
        path = Path(tmp) / f"results{suffix}"
        path.write_bytes(data)
        try:
            return read_results(path)
        except AblabError as exc:  # name the user's file, not the temporary one
            raise AblabError(str(exc).replace(str(path), Path(filename).name)) from None


def store_results(run_dir: Path, paper_id: str, observations: list[Observation]) -> Path:
    """Keep ``observations`` beside the plan (replacing earlier results)."""
    path = results_file(run_dir, paper_id)
    atomic_write_text(path, observations_csv(observations))
    return path


def results_view(observations: list[Observation], plan: Plan | None) -> ResultsView:
    """The table (Welch intervals when SciPy is there, else bootstrap) and its plot."""
    try:
        table = build_table(observations, plan)
    except AblabError as exc:
        if "SciPy" not in str(exc):
            raise
        table = build_table(observations, plan, interval=Interval.bootstrap)
    view = ResultsView(table, Markup(render_html(table)))
    try:
        view.plot = data_uri(draw(table, "svg"), "image/svg+xml")
    except AblabError as exc:  # matplotlib missing
        view.note = str(exc)
    return view


def load_results_view(run_dir: Path, plan: Plan) -> ResultsView | None:
    """The stored results of ``plan`` in ``run_dir``, or None when there are none."""
    path = results_file(run_dir, plan.paper_id)
    if not path.is_file():
        return None
    return results_view(read_results(path), plan)
