"""Web jobs that write digests and store them like ``ablab digest --out``."""

from __future__ import annotations

from ablab.digest.write import write_digest
from ablab.runs.digests import config_fingerprint, write_outcome
from ablab.views.digests import digest_urls
from ablab.views.store import RunStore
from ablab.web.actions import PaperInput, run_lock
from ablab.web.jobs import JobFunction, JobResult, Progress
from ablab.web.uploads import slug

DIGEST_STEPS = 3
"""Steps of :func:`digest_job` (read, write the digest, save)."""


def digest_run_name(model: str | None) -> str:
    """The run folder web digests go to: one per model (``web-digests`` offline)."""
    return slug("-".join(["web-digests", *([slug(model)] if model else [])]))


def digest_job(store: RunStore, source: PaperInput, model: str | None) -> JobFunction:
    """A job that reads the paper, writes its digest and stores it like ``ablab digest --out``."""

    def run(progress: Progress) -> JobResult:

        progress.stage("reading the paper", 0)
        paper = source.read()
        progress.stage(
            f"writing the digest of {paper.title!r}" + (f" with {model}" if model else " offline"),
            1,
        )
        outcome = write_digest(paper, model=model)
        progress.stage("saving the digest", 2)
        run_name = digest_run_name(model)
        out = store.run_dir(run_name, create=True)
        with run_lock(run_name):
            write_outcome(out, paper, outcome, config_fingerprint(paper, outcome.model, {}))
        return digest_urls(run_name, paper.id)

    return run
