"""Build the static report: runs grid, every plan with its paper, comparisons, scores.

The file needs nothing beside it: the stylesheet is inlined, downloads and plots are ``data:``
URIs, links are in-page anchors, and a Content-Security-Policy forbids scripts and remote loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ablab._util.atomic import atomic_write_text
from ablab._util.version import __version__
from ablab.bench.scoring import PaperScore
from ablab.errors import AblabError
from ablab.schema import Paper, Plan
from ablab.views.compare import build_comparison, build_grid
from ablab.views.digests import digest_body, digest_path, list_digests, split_digest
from ablab.views.render import anchor, data_uri, evidence_links, render_template, stylesheet
from ablab.views.scores import (
    PLOT_TYPES,
    SCORE_COLUMNS,
    SCORE_HEADERS,
    EvalRun,
    draw_plot,
    find_eval_runs,
    paper_scores,
    plot_files,
)
from ablab.views.store import (
    DOWNLOADS,
    PLAN_SUFFIX,
    TRAJECTORY_SUFFIX,
    PlanEntry,
    Run,
    RunStore,
    is_safe_name,
)

REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"
"""Inline styles and data: images only; no script, no network."""


class ReportLinks:
    """Links inside the report: anchors, and downloads as ``data:`` URIs."""

    def __init__(self, store: RunStore) -> None:
        self._store = store

    def plan(self, run: str, paper_id: str) -> str:
        """Anchor of one plan."""
        return "#" + anchor("plan", run, paper_id)

    def compare(self, paper_id: str) -> str:
        """Anchor of one paper's comparison."""
        return "#" + anchor("compare", paper_id)

    def download(self, run: str, paper_id: str, fmt: str) -> str | None:
        """The plan file embedded as a data: URI."""
        return data_uri(self._store.plan_bytes(run, paper_id, fmt), DOWNLOADS[fmt])

    def scores(self, name: str) -> str:
        """Anchor of one eval run."""
        return "#" + anchor("scores", name)


@dataclass
class ScoreView:
    """One evaluation run's section of the report."""

    run: EvalRun
    scores: list[PaperScore]
    plan_ids: set[str]
    plots: list[tuple[str, str]]


def _embedded_plots(files: list[Path]) -> list[tuple[str, str]]:
    return [(data_uri(f.read_bytes(), PLOT_TYPES[f.suffix.lower()]), f.name) for f in files]


def _score_views(root: Path, runs: list[Run]) -> tuple[list[ScoreView], list[tuple[str, str]]]:
    board = find_eval_runs(root)
    plans = {run.name: set(run.plans) for run in runs}
    views = [
        ScoreView(
            run,
            paper_scores(run),
            plans.get(run.name, set()),
            _embedded_plots(plot_files(run.folder)),
        )
        for run in board.runs
    ]
    plots = _embedded_plots(board.plots)
    drawn = None if plots else draw_plot(board.runs)
    if drawn:
        plots = [(data_uri(drawn, PLOT_TYPES[".svg"]), "scores")]
    return views, plots


@dataclass
class DigestView:
    """One stored digest in the report."""

    run: str
    paper_id: str
    front: dict[str, Any]
    body: str


def _digest_views(store: RunStore) -> list[DigestView]:
    views = []
    for entry in list_digests(store):
        text = digest_path(store, entry.run, entry.paper_id).read_text(encoding="utf-8")
        front, body = split_digest(text)
        views.append(DigestView(entry.run, entry.paper_id, front, digest_body(body)))
    return views


@dataclass
class PlanView:
    """One plan section of the report."""

    run: str
    plan: Plan
    evidence: dict[str, str]
    """Section ids quoted by the plan -> anchors in the report's copy of the paper."""


def _has_plans(directory: Path) -> bool:
    return any(directory.glob(f"*{PLAN_SUFFIX}")) or any(
        path.name.endswith(TRAJECTORY_SUFFIX) for path in directory.iterdir()
    )


def _open(run_dir: Path) -> tuple[RunStore, list[Run]]:
    """The runs under ``run_dir``: its sub-folders, or the folder itself when it holds plans.

    A folder with evaluation runs but no plans is still worth a report (its scores).
    """
    if not run_dir.is_dir():
        raise AblabError(f"{run_dir}: not a directory")
    store = RunStore(run_dir)
    runs = store.runs()
    if not runs and is_safe_name(run_dir.resolve().name) and _has_plans(run_dir):
        store = RunStore(run_dir.resolve().parent)
        single = store.load_run(run_dir.resolve().name)
        runs = [single] if single.plans else []
    if not runs and not find_eval_runs(run_dir).runs and not list_digests(store):
        raise AblabError(
            f"{run_dir}: no plans, evaluation runs or digests found "
            "(expected run folders with <paper_id>.plan.json, summary.json or .digest.md files)"
        )
    return store, runs


def build_report(run_dir: Path) -> str:
    """The report of a runs directory (or of one run) as an HTML string."""
    store, runs = _open(run_dir)
    grid = build_grid(runs)
    papers: dict[str, Paper] = {}
    for run in runs:
        for paper_id in run.plans:
            if paper_id not in papers:
                paper = store.load_paper(run.name, paper_id)
                if paper is not None:
                    papers[paper_id] = paper
    plan_views = [
        PlanView(run.name, plan, evidence_links(plan, papers.get(paper_id)))
        for run in runs
        for paper_id, plan in run.plans.items()
    ]
    comparisons = [
        build_comparison(paper.id, _entries(runs, paper.id))
        for paper in grid.papers
        if paper.runs > 1
    ]
    score_views, board_plots = _score_views(run_dir, runs)
    return render_template(
        "report.html",
        scores=score_views,
        digests=_digest_views(RunStore(run_dir)) if run_dir.is_dir() else [],
        board_plots=board_plots,
        columns=SCORE_COLUMNS,
        headers=SCORE_HEADERS,
        title=f"ablab report: {run_dir.resolve().name}",
        version=__version__,
        generated=datetime.now(UTC),
        csp=REPORT_CSP,
        inline_css=stylesheet(),
        grid=grid,
        plans=plan_views,
        papers=papers,
        comparisons=comparisons,
        links=ReportLinks(store),
    )


def _entries(runs: list[Run], paper_id: str) -> list[PlanEntry]:
    return [
        PlanEntry(run.name, paper_id, run.plans[paper_id]) for run in runs if paper_id in run.plans
    ]


def write_report(run_dir: Path, out: Path) -> Path:
    """Write the report of ``run_dir`` to ``out`` (atomically) and return ``out``."""
    atomic_write_text(out, build_report(run_dir))
    return out
