"""Evaluation runs under the runs directory: their leaderboard rows, per-paper scores and plots.

An evaluation run is a folder holding ``summary.json`` (written by ``ablab eval --out``), or the
``eval/`` folder of an ``ablab bench`` folder; either way it is named after the top-level folder.
Plots are the PNG/SVG files ``ablab leaderboard --plot`` wrote into the runs directory or into an
evaluation folder; when there are none and matplotlib is installed, one is drawn on the fly.
"""

from __future__ import annotations

import functools
import json
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ablab.bench.evaluate import EVALUATIONS_FILE, SUMMARY_FILE, EvaluationSummary, read_summary
from ablab.bench.leaderboard import COLUMNS, HEADERS, entry_name, sort_rows
from ablab.bench.plots import plot_scores
from ablab.bench.scoring import PaperScore
from ablab.errors import AblabError
from ablab.views.store import BENCH_CONFIG, NotFound, is_safe_name

PLOT_TYPES = {".png": "image/png", ".svg": "image/svg+xml"}
"""Plot files shown, with their media types."""

SCORE_COLUMNS = COLUMNS
"""Score columns of the leaderboard, in display order."""
SCORE_HEADERS = HEADERS
"""Column titles."""


@dataclass
class EvalRun:
    """One evaluation run: a leaderboard row."""

    name: str
    folder: Path
    summary: EvaluationSummary

    @property
    def entry(self) -> str:
        """``planner/model`` (or where the plans came from), as in ``ablab leaderboard``."""
        return entry_name(self.summary)


@dataclass
class Scoreboard:
    """Every evaluation run found, best mean F1 first, and the plots beside them."""

    runs: list[EvalRun] = field(default_factory=list)
    plots: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """Folders whose summary.json could not be read."""


def _summary_folder(child: Path) -> Path | None:
    if (child / SUMMARY_FILE).is_file():
        return child
    if (child / BENCH_CONFIG).is_file() and (child / "eval" / SUMMARY_FILE).is_file():
        return child / "eval"
    return None


def plot_files(folder: Path) -> list[Path]:
    """PNG/SVG files directly in ``folder`` (the SVG is preferred when both exist)."""
    files: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        # A symlink could point anywhere on the machine (``leak.svg -> /etc/passwd``): never served.
        if path.is_symlink() or not is_safe_name(path.name):
            continue
        if path.suffix.lower() in PLOT_TYPES and path.is_file():
            files.setdefault(path.stem, path)
            if path.suffix.lower() == ".svg":
                files[path.stem] = path
    return list(files.values())


def find_eval_runs(root: Path) -> Scoreboard:
    """The evaluation runs directly under ``root`` (or in its bench folders)."""
    board = Scoreboard()
    if not root.is_dir():
        return board
    resolved_root = root.resolve()
    for child in sorted(root.iterdir()):
        if not is_safe_name(child.name) or not child.is_dir():
            continue
        folder = _summary_folder(child)
        if folder is None or not folder.resolve().is_relative_to(resolved_root):
            continue
        try:
            board.runs.append(EvalRun(child.name, folder, read_summary(folder)))
        except AblabError:
            board.errors.append(child.name)
    order = {id(s): i for i, s in enumerate(sort_rows(run.summary for run in board.runs))}
    board.runs.sort(key=lambda run: order[id(run.summary)])
    board.plots = plot_files(root)
    return board


def find_eval_run(root: Path, name: str) -> EvalRun:
    """One evaluation run by name (NotFound otherwise)."""
    for run in find_eval_runs(root).runs:
        if run.name == name:
            return run
    raise NotFound(f"no evaluation run named {name!r}")


def paper_scores(run: EvalRun) -> list[PaperScore]:
    """Per-paper scores from the run's ``evaluations.json`` (empty when it is unreadable)."""
    try:
        records = json.loads((run.folder / EVALUATIONS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(records, list):
        return []
    scores = []
    for record in records:
        if isinstance(record, dict):
            fields = {key: record[key] for key in PaperScore.model_fields if key in record}
            try:
                scores.append(PaperScore.model_validate(fields))
            except ValueError:
                continue
    return scores


def plot_file(root: Path, name: str | None, file: str) -> Path:
    """A plot of the runs directory (``name`` None) or of one evaluation run."""
    folder = root if name is None else find_eval_run(root, name).folder
    for path in plot_files(folder):
        if path.name == file:
            return path
    raise NotFound(f"no plot named {file!r}")


def draw_plot(runs: list[EvalRun]) -> bytes | None:
    """An SVG bar chart of ``runs`` drawn now, or None without matplotlib (or runs)."""
    if not runs:
        return None
    return _draw_cached(tuple(run.summary.model_dump_json() for run in runs))


_PLOT_LOCK = threading.Lock()  # pyplot keeps global state; requests run in several threads


@functools.lru_cache(maxsize=16)
def _draw_cached(summaries: tuple[str, ...]) -> bytes | None:
    parsed = [EvaluationSummary.model_validate_json(text) for text in summaries]
    with _PLOT_LOCK, tempfile.TemporaryDirectory(prefix="ablab-plot-") as tmp:
        try:
            written = plot_scores(parsed, Path(tmp) / "scores")
        except AblabError:  # matplotlib missing: the page shows the table alone
            return None
        svg = next((path for path in written if path.suffix == ".svg"), None)
        return svg.read_bytes() if svg else None
