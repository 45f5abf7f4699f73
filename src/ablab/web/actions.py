"""The work behind the app's forms, run as background jobs."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from urllib.parse import quote

from ablab._util.atomic import atomic_write_text
from ablab.api import PlanSpec, build_planner
from ablab.errors import PlanError
from ablab.papers import PaperRef, load_reference
from ablab.runs import run_plans_sync
from ablab.schema import Mode, Paper
from ablab.views.store import RunStore, paper_file
from ablab.web.choices import OFFLINE_PLANNER, check_choice
from ablab.web.jobs import JobFunction, JobResult, Progress
from ablab.web.uploads import read_pasted, read_upload, slug


@dataclass(frozen=True)
class PaperInput:
    """A paper as received: uploaded bytes with the client's file name, pasted text, or an arXiv
    id or link / OpenReview link (downloaded when the job runs)."""

    data: bytes | None = None
    filename: str = ""
    text: str = ""
    reference: PaperRef | None = None

    def read(self) -> Paper:
        """Parse (or download and parse) the input into a Paper (PaperError on bad input)."""
        if self.reference is not None:
            return load_reference(self.reference)
        if self.data is not None:
            return read_upload(self.data, self.filename)
        return read_pasted(self.text)


@dataclass(frozen=True)
class PlanRequest:
    """What the user asked to plan."""

    mode: Mode
    k: int | None
    planner: str
    model: str | None

    def checked(self, *, demo: bool = False) -> PlanRequest:
        """This request with the model dropped for the offline planner; ConfigError if invalid."""
        model = None if self.planner == OFFLINE_PLANNER else (self.model or None)
        check_choice(self.planner, model, self.k, demo=demo)
        return PlanRequest(self.mode, self.k, self.planner, model)

    @property
    def run_name(self) -> str:
        """The run folder web plans go to: one per planner, model and mode."""
        parts = ["web", self.planner, *([slug(self.model)] if self.model else []), self.mode.value]
        return slug("-".join(parts))


_RUN_LOCKS: dict[str, threading.Lock] = {}
_RUN_LOCKS_GUARD = threading.Lock()


def run_lock(run: str) -> threading.Lock:
    """One lock per run folder, so two jobs never interleave their index updates."""
    with _RUN_LOCKS_GUARD:
        return _RUN_LOCKS.setdefault(run, threading.Lock())


def plan_urls(run: str, paper_id: str) -> tuple[str, str]:
    """Page and API URL of one stored plan."""
    run_q, paper_q = quote(run, safe=""), quote(paper_id, safe="")
    return f"/runs/{run_q}/{paper_q}", f"/api/runs/{run_q}/plans/{paper_q}"


def plan_job(store: RunStore, source: PaperInput, request: PlanRequest) -> JobFunction:
    """A job that reads the paper, plans it and stores plan and paper in the request's run."""

    def run(progress: Progress) -> JobResult:
        progress.stage("reading the paper", 0)
        paper = source.read()
        k_text = f"k={request.k}" if request.k else "default k"
        progress.stage(
            f"planning {paper.title!r} ({request.mode.value} mode, {k_text}, "
            f"planner {request.planner}{' with ' + request.model if request.model else ''})",
            1,
        )
        spec = PlanSpec(planner=request.planner, model=request.model)
        out = store.run_dir(request.run_name, create=True)
        # The paper goes first: the plan's own files mark it done. The batch engine then plans
        # it like `ablab plan --out`: cache, call log, resume and the run directory's lock.
        atomic_write_text(paper_file(out, paper.id), paper.model_dump_json() + "\n")
        summary = run_plans_sync(
            [paper], build_planner(spec), mode=request.mode, k=request.k, out=out
        )
        result = summary.results[0]
        if result.plan is None:
            raise PlanError(result.error or f"{paper.id}: no plan")
        progress.stage("saving the plan", 2)
        return plan_urls(request.run_name, result.plan.paper_id)

    return run


PLAN_STEPS = 3
"""Steps of :func:`plan_job` (read, plan, save)."""
