"""Background jobs: states, progress, failures."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from ablab.errors import PaperError
from ablab.web.jobs import JobManager, JobState, JobStatus, Progress, TooManyJobs

WAIT = 30.0  # generous upper bound for a thread to react; nothing asserts on time


@pytest.fixture
def jobs() -> Iterator[JobManager]:
    manager = JobManager(workers=1, max_pending=2)
    yield manager
    manager.shutdown()


def _wait_finished(jobs: JobManager, job_id: str) -> JobStatus:
    tick = threading.Event()
    for _ in range(int(WAIT / 0.01)):
        status = jobs.get(job_id)
        assert status is not None
        if status.state in (JobState.DONE, JobState.FAILED):
            return status
        tick.wait(0.01)
    raise AssertionError(f"job {job_id} did not finish")


def test_job_reports_its_stage_then_its_result(jobs: JobManager) -> None:
    entered, release = threading.Event(), threading.Event()

    def work(progress: Progress) -> tuple[str, str | None]:
        progress.stage("reading", 0)
        progress.stage("planning", 1)
        entered.set()
        assert release.wait(WAIT)
        return "/runs/a/b", "/api/runs/a/plans/b"

    status = jobs.submit("plan", 3, work)
    assert status.kind == "plan" and len(status.id) == 32
    assert entered.wait(WAIT)
    running = jobs.get(status.id)
    assert running is not None
    assert (running.state, running.stage, running.steps_done) == (JobState.RUNNING, "planning", 1)
    release.set()
    done = _wait_finished(jobs, status.id)
    assert done.state is JobState.DONE and done.steps_done == 3
    assert (done.result_url, done.result_api_url) == ("/runs/a/b", "/api/runs/a/plans/b")
    assert done.error is None


def test_expected_error_becomes_its_message(jobs: JobManager) -> None:
    def work(progress: Progress) -> tuple[str, str | None]:
        raise PaperError("paper.pdf: the PDF is encrypted")

    status = _wait_finished(jobs, jobs.submit("plan", 3, work).id)
    assert status.state is JobState.FAILED
    assert status.error == "paper.pdf: the PDF is encrypted"
    assert status.result_url is None


def test_crash_is_a_failed_job_without_internal_details(jobs: JobManager) -> None:
    def work(progress: Progress) -> tuple[str, str | None]:
        raise KeyError("sk-secret-looking-detail")

    status = _wait_finished(jobs, jobs.submit("plan", 3, work).id)
    assert status.state is JobState.FAILED
    assert status.error is not None and "KeyError" in status.error
    assert "sk-secret" not in status.error


def test_queue_refuses_jobs_beyond_its_limit(jobs: JobManager) -> None:
    release = threading.Event()

    def blocked(progress: Progress) -> tuple[str, str | None]:
        assert release.wait(WAIT)
        return "/", None

    first = jobs.submit("plan", 1, blocked)
    jobs.submit("plan", 1, blocked)
    with pytest.raises(TooManyJobs):
        jobs.submit("plan", 1, blocked)
    release.set()
    assert _wait_finished(jobs, first.id).state is JobState.DONE


def test_unknown_job_is_none(jobs: JobManager) -> None:
    assert jobs.get("0" * 32) is None
