"""Digest many papers: concurrent with a model, resumable, every result written as it lands.

Layout of ``<out>/``::

    <paper_id>.digest.md     the digest (rpa2 Markdown)
    <paper_id>.digest.json   how it was written: model, usage, repair rounds, problems, config
    digests.json             {paper_id: {"digest": file, "model", "cost", "config"}}, written last
    digest-failures.json     papers that failed, with the reason
    log.jsonl                every model call (prompt, answer, usage) and paper outcome

A paper counts as done only once ``digests.json`` lists it, so the process may be killed at any
moment; running the same command again skips every paper digested with the same configuration
(paper content, model, writer settings) and does the rest.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ablab._util.atomic import atomic_write_text
from ablab._util.version import __version__
from ablab.digest.lm import LMDigestWriter
from ablab.digest.write import OFFLINE, DigestOutcome, awrite_digest
from ablab.errors import AblabError, ConfigError, PaperError
from ablab.formats.rpa2.files import DIGEST_SUFFIX, RECORD_SUFFIX
from ablab.formats.rpa2.model import RPA2, Digest
from ablab.formats.rpa2.parse import parse_digest
from ablab.formats.rpa2.render import render_digest
from ablab.papers import Source
from ablab.planners import check_planner
from ablab.runs.engine import READERS, Budget, SharedFiles, Status, in_order, unique_ids
from ablab.runs.files import merge_index, prepare_output_dir
from ablab.runs.log import LoggedModel, RunLog
from ablab.runs.readers import PaperReader
from ablab.schema import Paper, Usage

if TYPE_CHECKING:
    from ablab.models.base import Model
    from ablab.runs.log import RunLog

INDEX_FILE = "digests.json"
FAILURES_FILE = "digest-failures.json"


@dataclass
class DigestResult:
    """What happened to one paper."""

    source: str
    """Path or reference given."""
    paper_id: str | None
    """Id of the paper, once read."""
    status: Status
    """done (written now), skipped (already in the run directory), failed, not_started (the
    budget was spent)."""
    digest: Digest | None = None
    """The digest, for done and skipped papers."""
    outcome: DigestOutcome | None = None
    """How it was written (done papers only)."""
    error: str | None = None
    """Why it failed."""
    usage: Usage = field(default_factory=Usage)
    """What this run spent on the paper."""
    warnings: list[str] = field(default_factory=list)
    """What the loader noticed (skipped includes, lossy decoding...), shown and logged."""
    bad_input: bool = False
    """Whether it failed because of its input or the settings (not the model, not a bug)."""


@dataclass
class DigestEvent:
    """Progress report sent after each paper."""

    result: DigestResult
    settled: int
    """Papers settled so far."""
    total: int
    """Papers in the run."""
    usage: Usage
    """Spent so far in this run."""


@dataclass
class DigestRun:
    """The outcome of :func:`run_digests`."""

    results: list[DigestResult]
    """One result per source, in the order given."""
    usage: Usage
    """What this run spent (cost None if a price was unknown)."""
    elapsed_s: float
    """Wall-clock seconds."""
    stop_reason: str | None = None
    """Why papers were left unstarted (budget), if they were."""

    def count(self, status: Status) -> int:
        """How many papers ended with ``status``."""
        return sum(r.status == status for r in self.results)


def digest_files(out: Path, paper_id: str) -> dict[str, Path]:
    """Paths of the files written for one paper."""
    return {"md": out / f"{paper_id}{DIGEST_SUFFIX}", "json": out / f"{paper_id}{RECORD_SUFFIX}"}


def config_fingerprint(paper: Paper, model_name: str, settings: dict[str, str]) -> str:
    """Hash of everything that decides a paper's digest; equal hashes mean nothing to redo."""
    material = {
        "format": RPA2,
        "ablab": __version__,
        "paper": paper.content_hash,
        "paper_id": paper.id,
        "model": model_name,
        "settings": settings,
    }
    canonical = json.dumps(material, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def read_index(out: Path) -> dict[str, dict[str, Any]]:
    """The ``digests.json`` of a run directory ({} when absent or unreadable)."""
    data = _read_json(out / INDEX_FILE)
    return data if isinstance(data, dict) else {}


def finished_digest(
    out: Path, paper_id: str, fingerprint: str, index: dict[str, Any] | None = None
) -> Digest | None:
    """The digest of ``paper_id`` if the run directory has it complete, with this configuration.

    ``index`` is the run's ``digests.json`` when the caller has read it already (once per run).
    """
    entry = (read_index(out) if index is None else index).get(paper_id)
    if not isinstance(entry, dict) or entry.get("config") != fingerprint:
        return None
    try:
        return parse_digest(digest_files(out, paper_id)["md"].read_text(encoding="utf-8"))
    except (OSError, AblabError):
        return None


def write_outcome(
    out: Path, paper: Paper, outcome: DigestOutcome, fingerprint: str, *, index: bool = True
) -> Path:
    """Write one paper's digest and record, then list it in ``digests.json`` (last; a batch
    passes ``index=False`` and lists many papers at once)."""
    files = digest_files(out, paper.id)
    atomic_write_text(files["md"], render_digest(outcome.digest))
    record = {
        "paper_id": paper.id,
        "title": paper.title,
        "source": paper.source_path,
        "paper_hash": paper.content_hash,
        "model": outcome.model,
        "config": fingerprint,
        "usage": outcome.usage.model_dump(),
        "repair_rounds": outcome.repair_rounds,
        "problems": [{"section": p.section, "message": p.message} for p in outcome.problems],
        "notes": outcome.notes,
        "ablab": __version__,
        "created_at": datetime.now(UTC).isoformat(),
    }
    atomic_write_text(files["json"], json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    if index:
        merge_index(out, INDEX_FILE, {paper.id: index_entry(paper.id, outcome, fingerprint)})
    return files["md"]


def index_entry(paper_id: str, outcome: DigestOutcome, fingerprint: str) -> dict[str, Any]:
    """The ``digests.json`` entry of one digest."""
    return {
        "digest": f"{paper_id}{DIGEST_SUFFIX}",
        "model": outcome.model,
        "cost": outcome.usage.cost_usd,
        "config": fingerprint,
    }


def _settings(model: Model | None, planner: str, options: dict[str, Any]) -> dict[str, str]:
    if model is None:
        return {"writer": OFFLINE, "planner": planner}

    return LMDigestWriter(model, planner=planner, **options).settings


async def run_digests(
    sources: Sequence[Source],
    *,
    model: Model | None = None,
    out: Path | None = None,
    concurrency: int = 4,
    planner: str = "heuristic",
    budget_usd: float | None = None,
    on_event: Callable[[DigestEvent], None] | None = None,
    **options: Any,
) -> DigestRun:
    """Digest every source; one failure never stops the others (see the module docstring).

    With ``budget_usd``, no new paper starts once this run has spent that much (papers in flight
    finish); the rest are reported as not started.
    """

    started = time.monotonic()
    settings = _settings(model, planner, options)
    model_name = model.name if model is not None else OFFLINE
    check_planner(planner)  # its ablations fill Next Checks: a typo must not become a gap
    if out is not None:
        prepare_output_dir(out)
    shared = SharedFiles(out, INDEX_FILE, FAILURES_FILE)
    index = read_index(out) if out is not None else {}  # read once, not once per paper
    log = _run_log(out) if model is not None else None
    results: list[DigestResult | None] = [None] * len(sources)
    # Ids are fixed from the paths up front, so reruns give duplicates the same ids.
    ids = unique_ids(sources)
    budget = Budget(budget_usd if model is not None else None)
    settled = 0
    readers = asyncio.Semaphore(READERS)  # not one read per worker at once (see READERS)
    reader = PaperReader(sources, model=model is not None)

    async def one(position: int, source: Source) -> None:
        nonlocal settled
        result = DigestResult(source=str(source), paper_id=ids[position], status="failed")
        try:
            async with readers:
                paper = await reader.read(source, ids[position])
            result.paper_id = paper.id
            result.warnings = list(paper.warnings)
            fingerprint = config_fingerprint(paper, model_name, settings)
            done = finished_digest(out, paper.id, fingerprint, index) if out is not None else None
            if done is not None:
                result.status, result.digest = "skipped", done
            elif not budget.allows_start():
                result.status = "not_started"
            else:
                outcome = await awrite_digest(
                    paper, model=_logged(model, log, paper.id), planner=planner, **options
                )
                result.status, result.digest, result.outcome = "done", outcome.digest, outcome
                result.usage = outcome.usage
                if out is not None:
                    await asyncio.to_thread(
                        write_outcome, out, paper, outcome, fingerprint, index=False
                    )
                    shared.add(paper.id, index_entry(paper.id, outcome, fingerprint))
            if result.status != "not_started":
                shared.clear(str(source))
        except Exception as exc:  # one bad paper must not sink the batch
            result.status = "failed"
            result.bad_input = isinstance(exc, PaperError | ConfigError)
            result.usage = getattr(exc, "usage", None) or Usage()
            result.error = str(exc) if isinstance(exc, AblabError) else f"internal error: {exc!r}"
            shared.fail(str(source), {"source": str(source), "error": result.error})
        results[position] = result
        if log is not None:
            log.write(
                "paper",
                source=result.source,
                paper_id=result.paper_id,
                status=result.status,
                error=result.error,
                usage=result.usage.model_dump(),
                warnings=result.warnings,
                repair_rounds=result.outcome.repair_rounds if result.outcome else None,
                problems=[p.message for p in result.outcome.problems] if result.outcome else [],
            )
        budget.add(result.usage)
        settled += 1
        if on_event is not None:
            on_event(DigestEvent(result, settled, len(sources), budget.usage))
        await shared.flush()

    try:
        await in_order(sources, concurrency if model is not None else 1, one)
    finally:
        reader.close()
        await shared.close()
    return DigestRun(
        results=[r for r in results if r is not None],
        usage=budget.usage,
        elapsed_s=time.monotonic() - started,
        stop_reason=budget.final_stop_reason(),
    )


def _run_log(out: Path | None) -> RunLog | None:
    if out is None:
        return None

    return RunLog(out)


def _logged(model: Model | None, log: RunLog | None, paper_id: str) -> Model | None:
    """``model`` wrapped so that each of its calls for ``paper_id`` goes to the run log."""
    if model is None or log is None:
        return model

    return LoggedModel(model, log, paper_id)
