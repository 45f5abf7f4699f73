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
from typing import TYPE_CHECKING, Any, Literal

from ablab._util.atomic import atomic_write_text
from ablab._util.version import __version__
from ablab.digest.lm import LMDigestWriter
from ablab.digest.write import OFFLINE, DigestOutcome, awrite_digest
from ablab.errors import AblabError
from ablab.formats.rpa2.files import DIGEST_SUFFIX, RECORD_SUFFIX
from ablab.formats.rpa2.model import RPA2, Digest
from ablab.formats.rpa2.parse import parse_digest
from ablab.formats.rpa2.render import render_digest
from ablab.papers import load_paper
from ablab.papers.loader import default_paper_id
from ablab.planners import check_planner
from ablab.runs.files import prepare_output_dir
from ablab.runs.log import LoggedModel, RunLog
from ablab.schema import Paper, Usage

if TYPE_CHECKING:
    from ablab.models.base import Model
    from ablab.runs.log import RunLog

INDEX_FILE = "digests.json"
FAILURES_FILE = "digest-failures.json"

Status = Literal["done", "skipped", "failed", "not_started"]


@dataclass
class DigestResult:
    """What happened to one paper."""

    source: str
    """Path given."""
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


def finished_digest(out: Path, paper_id: str, fingerprint: str) -> Digest | None:
    """The digest of ``paper_id`` if the run directory has it complete, with this configuration."""
    entry = read_index(out).get(paper_id)
    if not isinstance(entry, dict) or entry.get("config") != fingerprint:
        return None
    try:
        return parse_digest(digest_files(out, paper_id)["md"].read_text(encoding="utf-8"))
    except (OSError, AblabError):
        return None


def write_outcome(out: Path, paper: Paper, outcome: DigestOutcome, fingerprint: str) -> Path:
    """Write one paper's digest and record, then list it in ``digests.json`` (last)."""
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
    index = read_index(out)
    index[paper.id] = {
        "digest": files["md"].name,
        "model": outcome.model,
        "cost": outcome.usage.cost_usd,
        "config": fingerprint,
    }
    atomic_write_text(out / INDEX_FILE, json.dumps(index, indent=2, ensure_ascii=False) + "\n")
    return files["md"]


class _Failures:
    """``digest-failures.json`` kept in step with the run (a success clears an old failure)."""

    def __init__(self, out: Path | None) -> None:
        self.path = out / FAILURES_FILE if out is not None else None
        data = _read_json(self.path) if self.path is not None else None
        self.entries: dict[str, dict[str, str]] = {
            str(e.get("source")): e for e in (data or []) if isinstance(e, dict)
        }

    def set(self, source: str, error: str | None) -> None:
        if error is None:
            if self.entries.pop(source, None) is None:
                return
        else:
            self.entries[source] = {"source": source, "error": error}
        if self.path is not None:
            payload = json.dumps(list(self.entries.values()), indent=2, ensure_ascii=False)
            atomic_write_text(self.path, payload + "\n")


def _settings(model: Model | None, planner: str, options: dict[str, Any]) -> dict[str, str]:
    if model is None:
        return {"writer": OFFLINE, "planner": planner}

    return LMDigestWriter(model, planner=planner, **options).settings


async def run_digests(
    sources: Sequence[Path],
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
    failures = _Failures(out)
    log = _run_log(out) if model is not None else None
    results: list[DigestResult | None] = [None] * len(sources)
    # Ids are fixed from the paths up front, so reruns give duplicates the same ids.
    seen: set[str] = set()
    ids = [_unique_id(default_paper_id(source), seen) for source in sources]
    total_usage = Usage()
    settled = 0
    stop_reason: str | None = None

    def budget_left() -> bool:
        nonlocal stop_reason
        if budget_usd is None or model is None:
            return True
        if total_usage.cost_usd is None:
            stop_reason = "the model's price is unknown, so the budget cannot be kept"
        elif total_usage.cost_usd >= budget_usd:
            stop_reason = f"budget reached: ${total_usage.cost_usd:.4f} of ${budget_usd:.4f}"
        return stop_reason is None

    gate = asyncio.Semaphore(max(1, concurrency if model is not None else 1))

    async def one(position: int, source: Path) -> None:
        nonlocal total_usage, settled
        async with gate:
            result = DigestResult(source=str(source), paper_id=None, status="failed")
            try:
                result.paper_id = ids[position]
                paper = await asyncio.to_thread(load_paper, source, paper_id=ids[position])
                result.paper_id = paper.id
                fingerprint = config_fingerprint(paper, model_name, settings)
                done = finished_digest(out, paper.id, fingerprint) if out is not None else None
                if done is not None:
                    result.status, result.digest = "skipped", done
                elif not budget_left():
                    result.status = "not_started"
                else:
                    outcome = await awrite_digest(
                        paper, model=_logged(model, log, paper.id), planner=planner, **options
                    )
                    result.status, result.digest, result.outcome = "done", outcome.digest, outcome
                    result.usage = outcome.usage
                    if out is not None:
                        await asyncio.to_thread(write_outcome, out, paper, outcome, fingerprint)
                if result.status != "not_started":
                    failures.set(str(source), None)
            except Exception as exc:  # one bad paper must not sink the batch
                result.status = "failed"
                result.usage = getattr(exc, "usage", None) or Usage()
                result.error = (
                    str(exc) if isinstance(exc, AblabError) else f"internal error: {exc!r}"
                )
                failures.set(str(source), result.error)
            results[position] = result
            if log is not None:
                log.write(
                    "paper",
                    source=result.source,
                    paper_id=result.paper_id,
                    status=result.status,
                    error=result.error,
                    usage=result.usage.model_dump(),
                    repair_rounds=result.outcome.repair_rounds if result.outcome else None,
                    problems=[p.message for p in result.outcome.problems] if result.outcome else [],
                )
            total_usage = total_usage + result.usage
            settled += 1
            if on_event is not None:
                on_event(DigestEvent(result, settled, len(sources), total_usage))

    await asyncio.gather(*(one(i, s) for i, s in enumerate(sources)))
    return DigestRun(
        results=[r for r in results if r is not None],
        usage=total_usage,
        elapsed_s=time.monotonic() - started,
        stop_reason=stop_reason,
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


def _unique_id(paper_id: str, seen: set[str]) -> str:
    candidate, n = paper_id, 2
    while candidate in seen:
        candidate, n = f"{paper_id}-{n}", n + 1
    seen.add(candidate)
    return candidate
