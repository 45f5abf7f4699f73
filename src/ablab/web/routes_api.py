"""The JSON API: the same actions as the pages, described at ``/docs`` (OpenAPI)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, Path, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict

from ablab.bench.evaluate import EvaluationSummary
from ablab.bench.scoring import PaperScore
from ablab.errors import AblabError
from ablab.papers import parse_reference
from ablab.schema import Ablation, Mode, Plan
from ablab.views.compare import build_comparison
from ablab.views.scores import find_eval_run, find_eval_runs, paper_scores, plot_files
from ablab.views.store import DOWNLOADS, SAFE_NAME, NotFound
from ablab.web.actions import PLAN_STEPS, PaperInput, PlanRequest, plan_job, plan_urls
from ablab.web.choices import MAX_K, Options, options
from ablab.web.context import AppContext, context
from ablab.web.jobs import JobStatus, TooManyJobs
from ablab.web.uploads import upload_suffix

router = APIRouter(prefix="/api", tags=["api"])

Ctx = Annotated[AppContext, Depends(context)]
Name = Annotated[str, Path(pattern=SAFE_NAME.pattern, description="A run name or paper id")]


class _Out(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)


class ErrorBody(_Out):
    """A refusal."""

    detail: str
    """Why the request was refused."""


class ValidationErrors(_Out):
    """Fields that failed validation."""

    detail: list[str]
    """One ``field: problem`` line per error."""


NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such run, paper or job"},
    422: {"model": ValidationErrors, "description": "Malformed name"},
}


class PlanSummary(_Out):
    """One plan of a run, without its ablations."""

    paper_id: str
    """Paper id."""
    paper_title: str
    """Paper title."""
    mode: Mode
    """author or reviewer."""
    planner: str
    """Planner that made the plan."""
    model: str
    """Model the planner used (``offline`` for none)."""
    ablations: int
    """Number of ablations."""
    created_at: datetime
    """When the plan was made."""
    url: str
    """Page of the plan."""
    api_url: str
    """API resource of the plan."""


class RunSummary(_Out):
    """A run: one folder of plans."""

    name: str
    """Folder name."""
    label: str
    """``planner/model`` of its plans."""
    modes: list[Mode]
    """Modes of its plans."""
    plans: list[PlanSummary]
    """Its plans, by paper id."""
    errors: list[str]
    """Plan files that could not be read."""


class ComparisonCell(_Out):
    """One plan's ablation on a comparison row."""

    rank: int
    """Rank of the ablation in its plan (1 = most important)."""
    ablation: Ablation
    """The ablation."""


class ComparisonColumn(_Out):
    """One compared plan."""

    run: str
    """Run the plan belongs to."""
    planner: str
    """Planner."""
    model: str
    """Model."""
    mode: Mode
    """Mode."""


class Comparison(_Out):
    """A paper's plans side by side; each row holds ablations judged to be the same experiment."""

    paper_id: str
    """Paper id."""
    paper_title: str
    """Paper title."""
    columns: list[ComparisonColumn]
    """The compared plans."""
    rows: list[list[ComparisonCell | None]]
    """One cell per column; null where that plan has no such ablation."""


def upload_job_responses(bad_input: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI error responses of an endpoint that takes an upload and queues a job."""
    return {
        400: {"model": ErrorBody, "description": f"Bad input ({bad_input})"},
        413: {"model": ErrorBody, "description": "Upload larger than the limit"},
        422: {"model": ValidationErrors, "description": "Malformed field"},
        429: {"model": ErrorBody, "description": "Too many jobs queued"},
    }


@router.get("/options", summary="Planners, models and modes the planning form offers")
def get_options(ctx: Ctx) -> Options:
    """Planners, models whose keys are set (names only, never keys), modes and default k."""
    return options(demo=ctx.demo_models)


@router.post(
    "/plans",
    status_code=202,
    summary="Plan a paper in the background",
    responses=upload_job_responses("no paper, unknown planner..."),
)
async def create_plan(
    ctx: Ctx,
    file: Annotated[UploadFile | None, File(description="Paper file (.pdf, .tex, .md...)")] = None,
    text: Annotated[str, Form(description="Pasted paper text (instead of a file)")] = "",
    link: Annotated[
        str,
        Form(description="arXiv id or link, or OpenReview forum link (instead of a file)"),
    ] = "",
    mode: Annotated[Mode, Form()] = Mode.AUTHOR,
    k: Annotated[int | None, Form(ge=1, le=MAX_K)] = None,
    planner: Annotated[str, Form()] = "heuristic",
    model: Annotated[str, Form()] = "",
) -> JobStatus:
    """Queue a planning job; poll ``/api/jobs/{id}`` until its state is done or failed."""
    source = await read_source(file, text, link)
    return submit_plan(ctx, source, PlanRequest(mode, k, planner, model or None))


async def read_source(file: UploadFile | None, text: str, link: str = "") -> PaperInput:
    """The paper from a form: exactly one of an uploaded file, pasted text and a link."""
    has_file = file is not None and bool(file.filename)
    if sum((has_file, bool(text.strip()), bool(link.strip()))) != 1:
        raise HTTPException(
            400,
            "give either a paper file or pasted text or an arXiv / OpenReview link (one of them)",
        )
    if link.strip():
        reference = parse_reference(link)
        if reference is None:
            raise HTTPException(
                400, f"{link.strip()[:200]!r} is not an arXiv id or link, or an OpenReview link"
            )
        return PaperInput(reference=reference)
    if file is not None and has_file:
        return PaperInput(data=await file.read(), filename=file.filename or "")
    return PaperInput(text=text)


def submit_plan(ctx: AppContext, source: PaperInput, request: PlanRequest) -> JobStatus:
    """Check the request and queue the job (HTTP 400 / 429 on refusal)."""
    try:
        checked = request.checked(demo=ctx.demo_models)
        if source.data is not None:
            upload_suffix(source.filename)  # refuse unsupported types now, not in the job
    except AblabError as exc:
        raise HTTPException(400, str(exc)) from None
    try:
        return ctx.jobs.submit("plan", PLAN_STEPS, plan_job(ctx.store, source, checked))
    except TooManyJobs as exc:
        raise HTTPException(429, str(exc)) from None


@router.get("/jobs/{job_id}", summary="Status of a background job", responses=NOT_FOUND)
def get_job(ctx: Ctx, job_id: str) -> JobStatus:
    """The job's state, stage and, once done, where its result is."""
    status = ctx.jobs.get(job_id)
    if status is None:
        raise NotFound("no such job")
    return status


@router.get("/runs", summary="All runs and their plans")
def list_runs(ctx: Ctx) -> list[RunSummary]:
    """Every run folder of the runs directory with a summary of each plan."""
    result = []
    for run in ctx.store.runs():
        plans = []
        for paper_id, plan in run.plans.items():
            url, api_url = plan_urls(run.name, paper_id)
            plans.append(
                PlanSummary(
                    paper_id=paper_id,
                    paper_title=plan.paper_title,
                    mode=plan.mode,
                    planner=plan.planner,
                    model=plan.model,
                    ablations=len(plan.ablations),
                    created_at=plan.created_at,
                    url=url,
                    api_url=api_url,
                )
            )
        result.append(
            RunSummary(
                name=run.name,
                label=run.label,
                modes=[Mode(m) for m in run.modes],
                plans=plans,
                errors=run.errors,
            )
        )
    return result


@router.get("/runs/{run}/plans/{paper_id}", summary="One plan", responses=NOT_FOUND)
def get_plan(ctx: Ctx, run: Name, paper_id: Name) -> Plan:
    """The full plan: reasoning, ablations with evidence, usage, provenance."""
    return ctx.store.load_plan(run, paper_id)


DOWNLOAD_NAMES = {"jsonl": "{id}.jsonl", "md": "{id}.md", "json": "{id}.plan.json"}
"""File names offered for each download format."""


@router.get(
    "/runs/{run}/plans/{paper_id}/download/{fmt}",
    summary="Download a plan file",
    response_class=Response,
    responses={
        200: {"content": {media: {} for media in DOWNLOADS.values()}},
        **NOT_FOUND,
    },
)
def download_plan(
    ctx: Ctx, run: Name, paper_id: Name, fmt: Literal["jsonl", "md", "json"]
) -> Response:
    """The plan as AblationBench JSONL, trajectory Markdown, or the full plan JSON."""
    filename = DOWNLOAD_NAMES[fmt].format(id=paper_id)
    return Response(
        ctx.store.plan_bytes(run, paper_id, fmt),
        media_type=DOWNLOADS[fmt],
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/compare/{paper_id}", summary="A paper's plans side by side", responses=NOT_FOUND)
def compare(ctx: Ctx, paper_id: Name) -> Comparison:
    """Every run's plan for the paper, with matching ablations on the same row."""
    entries = ctx.store.plans_for_paper(paper_id)
    if not entries:
        raise NotFound(f"no plans for paper {paper_id!r}")
    view = build_comparison(paper_id, entries)
    return Comparison(
        paper_id=view.paper_id,
        paper_title=view.paper_title,
        columns=[
            ComparisonColumn(
                run=e.run, planner=e.plan.planner, model=e.plan.model, mode=e.plan.mode
            )
            for e in view.entries
        ],
        rows=[
            [
                ComparisonCell(rank=cell.rank, ablation=cell.ablation) if cell else None
                for cell in row.cells
            ]
            for row in view.rows
        ],
    )


class EvalRunSummary(_Out):
    """One evaluation run: a leaderboard row."""

    name: str
    """Folder name in the runs directory."""
    entry: str
    """``planner/model`` as the leaderboard names it."""
    summary: EvaluationSummary
    """Aggregated scores, judge, dataset and costs."""
    url: str
    """Page of the run."""


class EvalRunDetail(EvalRunSummary):
    """One evaluation run with its per-paper scores."""

    papers: list[PaperScore]
    """Scores of each paper (from evaluations.json)."""
    plots: list[str]
    """URLs of the plot files beside the run."""


def _summary(name: str, entry: str, summary: EvaluationSummary) -> dict[str, Any]:
    return {"name": name, "entry": entry, "summary": summary, "url": f"/scores/{quote(name)}"}


@router.get("/evals", summary="Leaderboard of every evaluation run")
def list_evals(ctx: Ctx) -> list[EvalRunSummary]:
    """Evaluation runs under the runs directory, best mean F1 first."""
    return [
        EvalRunSummary(**_summary(run.name, run.entry, run.summary))
        for run in find_eval_runs(ctx.runs_dir).runs
    ]


@router.get("/evals/{name}", summary="One evaluation run", responses=NOT_FOUND)
def get_eval(ctx: Ctx, name: Name) -> EvalRunDetail:
    """An evaluation run's summary, per-paper scores and plots."""
    run = find_eval_run(ctx.runs_dir, name)
    return EvalRunDetail(
        **_summary(run.name, run.entry, run.summary),
        papers=paper_scores(run),
        plots=[f"/scores/{quote(name)}/plots/{quote(p.name)}" for p in plot_files(run.folder)],
    )
