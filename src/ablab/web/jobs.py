"""Background jobs: long work (reading a PDF, calling a model) runs in worker threads.

A request only queues a job and returns its id; pages and API clients poll the job's status, so no
request waits for the work. Jobs live in memory for the life of the server.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from ablab.errors import AblabError

log = logging.getLogger("ablab.web")

MAX_KEPT_JOBS = 500
"""Finished jobs remembered before the oldest are forgotten."""


class JobState(StrEnum):
    """Where a job is in its life."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class JobStatus(BaseModel):
    """What a client sees of a background job."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    id: str
    """Job id (random, 32 hex digits)."""
    kind: str
    """What the job does (``plan``, ``digest``)."""
    state: JobState = JobState.QUEUED
    """queued, running, done or failed."""
    stage: str = "waiting for a worker"
    """What the job is doing right now, in words."""
    steps_done: int = 0
    """Steps finished so far."""
    steps_total: int = 1
    """Steps the job has in all."""
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    """When the job was queued."""
    elapsed_seconds: float = 0.0
    """Seconds since the job started running (or how long it ran)."""
    error: str | None = None
    """One-line reason when the job failed."""
    result_url: str | None = None
    """Page showing the result, once done."""
    result_api_url: str | None = None
    """API resource of the result, once done."""


class TooManyJobs(RuntimeError):
    """The queue is full; the client should try again later."""


class Progress:
    """Handed to a job's function so it can report its stage."""

    def __init__(self, status: JobStatus, lock: threading.Lock) -> None:
        self._status = status
        self._lock = lock

    def stage(self, text: str, step: int | None = None) -> None:
        """Report the stage now running (``step`` = steps already finished)."""
        with self._lock:
            self._status.stage = text
            if step is not None:
                self._status.steps_done = step


JobResult = tuple[str, str | None]
"""What a finished job returns: (page URL, API URL or None)."""

JobFunction = Callable[[Progress], JobResult]


class JobManager:
    """Runs jobs on a small thread pool and keeps their status."""

    def __init__(self, *, workers: int = 2, max_pending: int = 16) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ablab-job")
        self._jobs: OrderedDict[str, JobStatus] = OrderedDict()
        self._started: dict[str, float] = {}
        self._lock = threading.Lock()
        self._max_pending = max_pending

    def submit(self, kind: str, steps: int, function: JobFunction) -> JobStatus:
        """Queue ``function``; raise TooManyJobs when ``max_pending`` jobs are already waiting."""
        with self._lock:
            pending = sum(
                job.state in (JobState.QUEUED, JobState.RUNNING) for job in self._jobs.values()
            )
            if pending >= self._max_pending:
                raise TooManyJobs(f"{pending} jobs are already waiting; try again shortly")
            status = JobStatus(id=uuid.uuid4().hex, kind=kind, steps_total=steps)
            self._jobs[status.id] = status
            self._forget_old()
        self._executor.submit(self._run, status, function)
        return self.get(status.id) or status

    def get(self, job_id: str) -> JobStatus | None:
        """A snapshot of the job's status, or None for an unknown id."""
        with self._lock:
            status = self._jobs.get(job_id)
            if status is None:
                return None
            snapshot = status.model_copy()
            if status.state is JobState.RUNNING:
                snapshot.elapsed_seconds = round(time.monotonic() - self._started[job_id], 1)
            return snapshot

    def shutdown(self) -> None:
        """Stop taking jobs; running ones finish in the background."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _forget_old(self) -> None:
        finished = [
            job_id
            for job_id, job in self._jobs.items()
            if job.state in (JobState.DONE, JobState.FAILED)
        ]
        for job_id in finished[: max(0, len(self._jobs) - MAX_KEPT_JOBS)]:
            del self._jobs[job_id]
            self._started.pop(job_id, None)

    def _run(self, status: JobStatus, function: JobFunction) -> None:
        with self._lock:
            status.state = JobState.RUNNING
            status.stage = "starting"
            self._started[status.id] = time.monotonic()
        try:
            result_url, api_url = function(Progress(status, self._lock))
        except AblabError as exc:
            self._finish(status, error=str(exc))
        except Exception as exc:  # a bug must show as a failed job, not vanish in a thread
            log.exception("job %s (%s) crashed", status.id, status.kind)
            self._finish(status, error=f"internal error ({type(exc).__name__}); see the server log")
        else:
            self._finish(status, result_url=result_url, api_url=api_url)

    def _finish(
        self,
        status: JobStatus,
        *,
        error: str | None = None,
        result_url: str | None = None,
        api_url: str | None = None,
    ) -> None:
        with self._lock:
            status.elapsed_seconds = round(time.monotonic() - self._started[status.id], 1)
            status.state = JobState.FAILED if error else JobState.DONE
            status.stage = "failed" if error else "done"
            status.error = error
            if not error:
                status.steps_done = status.steps_total
            status.result_url = result_url
            status.result_api_url = api_url
