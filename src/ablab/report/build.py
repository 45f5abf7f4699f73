"""Build the static report: runs grid, every plan with its paper, comparisons, scores.

The file needs nothing beside it: the stylesheet is inlined, downloads and plots are ``data:``
URIs, links are in-page anchors, and a Content-Security-Policy forbids scripts and remote loads.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ablab._util.atomic import atomic_write_text
from ablab._util.version import __version__
from ablab.bench.scoring import PaperScore
from ablab.errors import AblabError
from ablab.results import read_results
from ablab.schema import Paper, Plan
from ablab.views.compare import build_comparison, build_grid
from ablab.views.digests import digest_body, digest_path, list_digests, split_digest
from ablab.views.render import anchor, data_uri, evidence_links, render_template, stylesheet
from ablab.views.results import ResultsView, load_results_view, results_view
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
    results: ResultsView | None = None
    """The plan's ablation table and plot, when there are results."""
    results_error: str | None = None
    """Why results could not be shown."""


def _results(
    store: RunStore, run: str, plan: Plan, given: dict[str, Path]
) -> tuple[ResultsView | None, str | None]:
    """Results named on the command line for this paper, else those stored beside the plan."""
    try:
        if plan.paper_id in given:
            return results_view(read_results(given[plan.paper_id]), plan), None
        return load_results_view(store.run_dir(run), plan), None
    except AblabError as exc:
        return None, str(exc)


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


PAPERS_PER_PAGE = 500
"""Papers per report file: a larger runs directory is split into pages linked to each other,
so that no file (nor the memory to render it) grows with the whole directory."""


@dataclass(frozen=True)
class PageLinks:
    """The report's pages, for the links between them."""

    names: list[str]
    """File name of each page, in order."""
    current: int
    """Index of this page."""


def page_names(out_name: str, pages: int) -> list[str]:
    """``report.html``, ``report-2.html``, ``report-3.html``... for ``pages`` pages."""
    stem, dot, suffix = out_name.rpartition(".")
    if not dot:
        stem, suffix = out_name, "html"
    return [out_name] + [f"{stem}-{n}.{suffix}" for n in range(2, pages + 1)]


def build_report(
    run_dir: Path,
    results: dict[str, Path] | None = None,
    *,
    page: int = 0,
    per_page: int | None = None,
    out_name: str = "report.html",
) -> str:
    """The report of a runs directory (or of one run) as an HTML string.

    ``results`` maps paper ids to results files shown with every plan of that paper; plans
    without one show the results stored beside them (uploaded in the web app), if any. With
    ``per_page``, only the ``page``-th slice of the papers (by id) is shown; scores and
    digests are on the first page, and every page links to the others.
    """
    store, runs = _open(run_dir)
    all_ids = sorted({paper_id for run in runs for paper_id in run.plans})
    given = results or {}
    unknown = sorted(set(given) - set(all_ids))
    if unknown:
        raise AblabError(f"--results names paper {unknown[0]!r}, which no plan here is about")
    pages = max(1, -(-len(all_ids) // per_page)) if per_page else 1
    if per_page:
        shown = set(all_ids[page * per_page : (page + 1) * per_page])
        runs = [
            replace(run, plans={k: v for k, v in run.plans.items() if k in shown}) for run in runs
        ]
    grid = build_grid(runs)
    papers: dict[str, Paper] = {}
    for run in runs:
        for paper_id in run.plans:
            if paper_id not in papers:
                paper = store.load_paper(run.name, paper_id)
                if paper is not None:
                    papers[paper_id] = paper
    plan_views = [
        PlanView(
            run.name,
            plan,
            evidence_links(plan, papers.get(paper_id)),
            *_results(store, run.name, plan, given),
        )
        for run in runs
        for paper_id, plan in run.plans.items()
    ]
    comparisons = [
        build_comparison(paper.id, _entries(runs, paper.id))
        for paper in grid.papers
        if paper.runs > 1
    ]
    first = page == 0
    score_views, board_plots = _score_views(run_dir, runs) if first else ([], [])
    return render_template(
        "report.html",
        scores=score_views,
        digests=_digest_views(RunStore(run_dir)) if first and run_dir.is_dir() else [],
        board_plots=board_plots,
        columns=SCORE_COLUMNS,
        headers=SCORE_HEADERS,
        title=f"ablab report: {run_dir.resolve().name}"
        + (f" (page {page + 1} of {pages})" if pages > 1 else ""),
        version=__version__,
        generated=datetime.now(UTC),
        csp=REPORT_CSP,
        inline_css=stylesheet(),
        grid=grid,
        plans=plan_views,
        papers=papers,
        comparisons=comparisons,
        links=ReportLinks(store),
        pages=PageLinks(page_names(out_name, pages), page) if pages > 1 else None,
    )


def _entries(runs: list[Run], paper_id: str) -> list[PlanEntry]:
    return [
        PlanEntry(run.name, paper_id, run.plans[paper_id]) for run in runs if paper_id in run.plans
    ]


def write_report(
    run_dir: Path,
    out: Path,
    results: dict[str, Path] | None = None,
    *,
    per_page: int = PAPERS_PER_PAGE,
) -> Path:
    """Write the report of ``run_dir`` to ``out`` (atomically) and return ``out``; ``results``
    as in :func:`build_report`.

    Past ``per_page`` papers the report is split: ``out`` is the first page, ``<name>-2.html``
    and so on beside it hold the rest (one page rendered at a time).
    """
    _, runs = _open(run_dir)
    count = len({paper_id for run in runs for paper_id in run.plans})
    del runs  # each page reads the runs again: only one page is held at a time
    if count <= per_page:
        atomic_write_text(out, build_report(run_dir, results))
        return out
    names = page_names(out.name, -(-count // per_page))
    for index, name in enumerate(names):
        html = build_report(run_dir, results, page=index, per_page=per_page, out_name=out.name)
        atomic_write_text(out.with_name(name), html)
    return out
