"""Server-rendered pages: plan a paper, follow the job, browse runs, compare plans."""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ablab.errors import AblabError
from ablab.schema import Mode
from ablab.views.compare import build_comparison, build_grid
from ablab.views.digests import digest_urls, digests_for_paper
from ablab.views.render import data_uri, evidence_links
from ablab.views.results import load_results_view, store_results
from ablab.views.results import read_upload as read_results_upload
from ablab.views.scores import (
    PLOT_TYPES,
    SCORE_COLUMNS,
    SCORE_HEADERS,
    Scoreboard,
    draw_plot,
    find_eval_run,
    find_eval_runs,
    paper_scores,
    plot_file,
    plot_files,
)
from ablab.views.store import SAFE_NAME, NotFound
from ablab.web.actions import PlanRequest
from ablab.web.choices import MAX_K, options
from ablab.web.context import AppContext, context, page
from ablab.web.jobs import JobState
from ablab.web.routes_api import read_source, submit_plan

router = APIRouter(include_in_schema=False)

Ctx = Annotated[AppContext, Depends(context)]
Name = Annotated[str, Path(pattern=SAFE_NAME.pattern)]

RECENT_PLANS = 8
"""Plans listed on the home page."""


def _q(value: str) -> str:
    return quote(value, safe="")


class WebLinks:
    """URLs of the app's pages and downloads."""

    def plan(self, run: str, paper_id: str) -> str:
        """Page of one plan."""
        return f"/runs/{_q(run)}/{_q(paper_id)}"

    def compare(self, paper_id: str) -> str:
        """Side-by-side comparison of one paper's plans."""
        return f"/compare/{_q(paper_id)}"

    def download(self, run: str, paper_id: str, fmt: str) -> str | None:
        """A plan file download."""
        return f"/api/runs/{_q(run)}/plans/{_q(paper_id)}/download/{fmt}"

    def scores(self, name: str) -> str:
        """Leaderboard of one eval run."""
        return f"/scores/{_q(name)}"


LINKS = WebLinks()


def _home(
    request: Request,
    ctx: AppContext,
    *,
    error: str | None = None,
    status: int = 200,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    recent = sorted(
        ((run.name, plan) for run in ctx.store.runs() for plan in run.plans.values()),
        key=lambda item: item[1].created_at,
        reverse=True,
    )[:RECENT_PLANS]
    return page(
        request,
        "home.html",
        status,
        title="Plan a paper",
        options=options(demo=ctx.demo_models),
        recent=recent,
        links=LINKS,
        error=error,
        form=form or {},
    )


@router.get("/", response_class=HTMLResponse)
def home(request: Request, ctx: Ctx) -> HTMLResponse:
    """Upload or paste a paper, choose how to plan it."""
    return _home(request, ctx)


@router.post("/plan")
async def plan_form(
    request: Request,
    ctx: Ctx,
    file: Annotated[UploadFile | None, File()] = None,
    text: Annotated[str, Form()] = "",
    link: Annotated[str, Form()] = "",
    mode: Annotated[Mode, Form()] = Mode.AUTHOR,
    k: Annotated[str, Form()] = "",
    planner: Annotated[str, Form()] = "heuristic",
    model: Annotated[str, Form()] = "",
) -> Response:
    """Queue the planning job and send the browser to its progress page."""
    form = {
        "mode": mode.value,
        "k": k,
        "planner": planner,
        "model": model,
        "text": text,
        "link": link,
    }
    try:
        k_value = int(k) if k.strip() else None
        if k_value is not None and not 1 <= k_value <= MAX_K:
            raise ValueError
        source = await read_source(file, text, link)
        job = submit_plan(ctx, source, PlanRequest(mode, k_value, planner, model or None))
    except ValueError:
        return _home(
            request, ctx, error=f"k must be a whole number from 1 to {MAX_K}", status=400, form=form
        )
    except HTTPException as exc:
        return _home(request, ctx, error=str(exc.detail), status=exc.status_code, form=form)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, ctx: Ctx, job_id: str) -> Response:
    """Progress of a job; reloads itself every second and moves on to the result when done."""
    status = ctx.jobs.get(job_id)
    if status is None:
        raise NotFound("no such job (the server may have restarted)")
    if status.state is JobState.DONE and status.result_url:
        return RedirectResponse(status.result_url, status_code=303)
    return page(request, "job.html", title="Working…", job=status)


@router.get("/runs", response_class=HTMLResponse)
def runs_page(request: Request, ctx: Ctx) -> HTMLResponse:
    """Papers x runs, with links to each plan and to comparisons."""
    return page(request, "runs.html", title="Runs", grid=build_grid(ctx.store.runs()), links=LINKS)


@router.get("/runs/{run}/{paper_id}", response_class=HTMLResponse)
def plan_page(request: Request, ctx: Ctx, run: Name, paper_id: Name) -> HTMLResponse:
    """One plan in the trajectory style, its evidence linked to the paper's sections."""
    return _plan_page(request, ctx, run, paper_id)


@router.post("/runs/{run}/{paper_id}/results")
async def results_form(
    request: Request,
    ctx: Ctx,
    run: Name,
    paper_id: Name,
    results: Annotated[UploadFile, File()],
) -> Response:
    """Read an uploaded results file, keep it beside the plan, show the plan with its table."""
    ctx.store.load_plan(run, paper_id)  # 404 for a plan that does not exist
    try:
        observations = read_results_upload(await results.read(), results.filename or "")
        store_results(ctx.store.run_dir(run), paper_id, observations)
    except AblabError as exc:
        return _plan_page(request, ctx, run, paper_id, results_error=str(exc), status=400)
    except OSError:
        error = "this run's folder cannot be written; results are kept only for ablab's runs"
        return _plan_page(request, ctx, run, paper_id, results_error=error, status=400)
    return RedirectResponse(f"{LINKS.plan(run, paper_id)}#results", status_code=303)


def _plan_page(
    request: Request,
    ctx: AppContext,
    run: str,
    paper_id: str,
    *,
    results_error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    plan = ctx.store.load_plan(run, paper_id)
    try:
        results = load_results_view(ctx.store.run_dir(run), plan)
    except AblabError as exc:
        results, results_error = None, results_error or f"stored results unreadable: {exc}"
    paper = ctx.store.load_paper(run, paper_id)
    others = [e.run for e in ctx.store.plans_for_paper(paper_id) if e.run != run]
    digests = [digest_urls(d.run, d.paper_id)[0] for d in digests_for_paper(ctx.store, paper_id)]
    return page(
        request,
        "plan.html",
        status,
        title=plan.paper_title or plan.paper_id,
        results=results,
        results_error=results_error,
        results_url=f"{LINKS.plan(run, paper_id)}/results",
        plan=plan,
        paper=paper,
        run=run,
        evidence=evidence_links(plan, paper),
        others=others,
        digests=digests,
        links=LINKS,
    )


@router.get("/compare/{paper_id}", response_class=HTMLResponse)
def compare_page(request: Request, ctx: Ctx, paper_id: Name) -> HTMLResponse:
    """A paper's plans side by side, matching ablations aligned."""
    entries = ctx.store.plans_for_paper(paper_id)
    if not entries:
        raise NotFound(f"no plans for paper {paper_id!r}")
    view = build_comparison(paper_id, entries)
    return page(
        request, "compare.html", title=f"Compare: {view.paper_title}", view=view, links=LINKS
    )


def _plots(files: list[tuple[str, str]], board: Scoreboard) -> list[tuple[str, str]]:
    """Plot files to show, or a chart drawn now when there are none."""
    if files:
        return files
    drawn = draw_plot(board.runs)
    return [(data_uri(drawn, PLOT_TYPES[".svg"]), "scores (drawn now)")] if drawn else []


@router.get("/scores", response_class=HTMLResponse)
def scores_page(request: Request, ctx: Ctx) -> HTMLResponse:
    """The leaderboard of every evaluation run in the runs directory, with plots."""
    board = find_eval_runs(ctx.runs_dir)
    files = [(f"/scores-plots/{_q(p.name)}", p.name) for p in board.plots]
    return page(
        request,
        "scores.html",
        title="Scores",
        board=board,
        plots=_plots(files, board),
        columns=SCORE_COLUMNS,
        headers=SCORE_HEADERS,
        links=LINKS,
    )


@router.get("/scores/{name}", response_class=HTMLResponse)
def score_page(request: Request, ctx: Ctx, name: Name) -> HTMLResponse:
    """One evaluation run: its leaderboard row, plots and per-paper scores."""
    run = find_eval_run(ctx.runs_dir, name)
    board = Scoreboard(runs=[run])
    files = [(f"/scores/{_q(name)}/plots/{_q(p.name)}", p.name) for p in plot_files(run.folder)]
    try:
        plan_ids = set(ctx.store.load_run(name).plans)
    except NotFound:
        plan_ids = set()
    return page(
        request,
        "score.html",
        title=f"Scores: {run.entry}",
        run=run,
        board=board,
        scores=paper_scores(run),
        plan_ids=plan_ids,
        plots=_plots(files, board),
        columns=SCORE_COLUMNS,
        headers=SCORE_HEADERS,
        links=LINKS,
    )


def _plot_response(path: FilePath) -> Response:
    return Response(path.read_bytes(), media_type=PLOT_TYPES[path.suffix.lower()])


@router.get("/scores-plots/{file}")
def runs_plot(ctx: Ctx, file: Name) -> Response:
    """A plot file of the runs directory (``ablab leaderboard --plot``)."""
    return _plot_response(plot_file(ctx.runs_dir, None, file))


@router.get("/scores/{name}/plots/{file}")
def eval_plot(ctx: Ctx, name: Name, file: Name) -> Response:
    """A plot file of one evaluation run."""
    return _plot_response(plot_file(ctx.runs_dir, name, file))
