"""Digest pages and API: write a paper's rpa2 digest in the background, read stored digests."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict

from ablab.errors import AblabError
from ablab.formats.rpa2.model import Digest
from ablab.formats.rpa2.parse import parse_digest
from ablab.views.digests import (
    digest_body,
    digest_path,
    digest_urls,
    list_digests,
    split_digest,
)
from ablab.views.store import SAFE_NAME, NotFound
from ablab.web.choices import check_model, model_options
from ablab.web.context import AppContext, context, page
from ablab.web.digest_jobs import DIGEST_STEPS, digest_job
from ablab.web.jobs import JobStatus, TooManyJobs
from ablab.web.routes_api import (
    NOT_FOUND,
    read_source,
    upload_job_responses,
)
from ablab.web.uploads import upload_suffix


class DigestSummary(BaseModel):
    """A stored digest."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    run: str
    """Run folder holding it."""
    paper_id: str
    """Paper id."""
    title: str
    """Paper title (from the digest's frontmatter)."""
    url: str
    """Page of the digest."""
    api_url: str
    """API resource of the digest."""


pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["api"])

Ctx = Annotated[AppContext, Depends(context)]
Name = Annotated[str, Path(pattern=SAFE_NAME.pattern, description="A run name or paper id")]


async def _queue(ctx: AppContext, file: UploadFile | None, text: str, model: str) -> JobStatus:
    source = await read_source(file, text)
    try:
        if source.data is not None:
            upload_suffix(source.filename)
        check_model(model or None, demo=ctx.demo_models)
    except AblabError as exc:
        raise HTTPException(400, str(exc)) from None
    try:
        return ctx.jobs.submit("digest", DIGEST_STEPS, digest_job(ctx.store, source, model or None))
    except TooManyJobs as exc:
        raise HTTPException(429, str(exc)) from None


def _digest_home(
    request: Request, ctx: AppContext, *, error: str | None = None, status: int = 200
) -> HTMLResponse:
    return page(
        request,
        "digest_home.html",
        status,
        title="Digest a paper",
        digests=list_digests(ctx.store),
        models=model_options(demo=ctx.demo_models),
        error=error,
    )


@pages.get("/digest", response_class=HTMLResponse)
def digest_home(request: Request, ctx: Ctx) -> HTMLResponse:
    """Write a digest of a paper, or open a stored one."""
    return _digest_home(request, ctx)


@pages.post("/digest")
async def digest_form(
    request: Request,
    ctx: Ctx,
    file: Annotated[UploadFile | None, File()] = None,
    text: Annotated[str, Form()] = "",
    model: Annotated[str, Form()] = "",
) -> Response:
    """Queue the digest job and send the browser to its progress page."""
    try:
        job = await _queue(ctx, file, text, model)
    except HTTPException as exc:
        return _digest_home(request, ctx, error=str(exc.detail), status=exc.status_code)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@pages.get("/digests/{run}/{paper_id}", response_class=HTMLResponse)
def digest_page(request: Request, ctx: Ctx, run: Name, paper_id: Name) -> HTMLResponse:
    """A stored digest: its frontmatter as a card, its sections as rendered Markdown."""
    text = digest_path(ctx.store, run, paper_id).read_text(encoding="utf-8")
    front, body = split_digest(text)
    plans = ctx.store.plans_for_paper(paper_id)
    return page(
        request,
        "digest.html",
        title=str(front.get("title") or paper_id),
        front=front,
        body=digest_body(body),
        run=run,
        paper_id=paper_id,
        plans=plans,
        download=f"/api/digests/{run}/{paper_id}/download",
    )


@api.post(
    "/digests",
    status_code=202,
    summary="Write a paper's digest in the background",
    responses=upload_job_responses("no paper, unknown model..."),
)
async def create_digest(
    ctx: Ctx,
    file: Annotated[UploadFile | None, File(description="Paper file (.pdf, .tex, .md...)")] = None,
    text: Annotated[str, Form(description="Pasted paper text (instead of a file)")] = "",
    model: Annotated[str, Form(description="Model to write it with; empty = offline")] = "",
) -> JobStatus:
    """Queue a digest job; poll ``/api/jobs/{id}`` until it is done or failed."""
    return await _queue(ctx, file, text, model)


@api.get("/digests", summary="Stored digests")
def get_digests(ctx: Ctx) -> list[DigestSummary]:
    """Every digest in the runs directory: run, paper id, title and URLs."""
    result = []
    for entry in list_digests(ctx.store):
        url, api_url = digest_urls(entry.run, entry.paper_id)
        result.append(
            DigestSummary(
                run=entry.run, paper_id=entry.paper_id, title=entry.title, url=url, api_url=api_url
            )
        )
    return result


@api.get("/digests/{run}/{paper_id}", summary="One digest", responses=NOT_FOUND)
def get_digest(ctx: Ctx, run: Name, paper_id: Name) -> Digest:
    """A stored digest parsed into its sections."""
    text = digest_path(ctx.store, run, paper_id).read_text(encoding="utf-8")
    try:
        return parse_digest(text)
    except AblabError as exc:
        raise NotFound(f"digest {paper_id!r} is not a valid rpa2 digest") from exc


@api.get(
    "/digests/{run}/{paper_id}/download",
    summary="Download a digest (rpa2 Markdown)",
    response_class=Response,
    responses={200: {"content": {"text/markdown": {}}}, **NOT_FOUND},
)
def download_digest(ctx: Ctx, run: Name, paper_id: Name) -> Response:
    """The digest file as written."""
    path = digest_path(ctx.store, run, paper_id)
    return Response(
        path.read_bytes(),
        media_type="text/markdown",
        headers={"content-disposition": f'attachment; filename="{path.name}"'},
    )
