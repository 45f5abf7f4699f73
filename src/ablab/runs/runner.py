"""Plan many papers with any planner: concurrent, resumable, within a budget.

``run_plans`` plans every paper with at most ``concurrency`` papers in flight. Each finished plan
is written to the run directory atomically (its ``.plan.json`` last, see
:func:`ablab.runs.files.write_plan`), so the process can be killed at any moment: running the same
command again skips every paper whose plan is there with the same configuration (paper content,
planner, model, mode, k, prompt version and settings) and does the rest, without duplicates.
``plans.json`` and ``failures.json`` are merged under the run directory's lock about once a
second and at the end (:mod:`ablab.runs.engine`), so their cost stays linear in the number of
papers and several processes may share one directory.

Failures are recorded in ``failures.json`` with the model's raw answers, never as plans (the
empty ``<id>.jsonl`` a failed paper leaves is for AblationBench's harness); a rerun tries them
again. With a budget, no new paper starts once the money spent in this run
reaches it (papers in flight finish), and the papers left are reported as not started.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import stat
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ablab._util.atomic import atomic_write_text
from ablab._util.version import __version__
from ablab.errors import AblabError, ConfigError, PaperError
from ablab.models.base import ModelRequestError
from ablab.models.cache import aclose_model
from ablab.papers import Source
from ablab.papers.openreview import review_requests
from ablab.planners.base import AsyncPlanner, Planner, as_async, make_plan
from ablab.planners.lm import PlanFailure
from ablab.runs.engine import READERS, Budget, SharedFiles, Status, in_order, unique_ids
from ablab.runs.files import (
    FAILURES_FILE,
    PLANS_INDEX,
    foreign_files,
    index_entry,
    is_file_id,
    load_plan,
    mark_failed,
    plan_files,
    plans_index_ids,
    prepare_output_dir,
    run_lock,
    write_plan,
)
from ablab.runs.log import LoggedModel, RunLog
from ablab.runs.readers import PaperReader
from ablab.schema import DEFAULT_K, Mode, Paper, Plan, Usage

MANIFEST_FILE = "run.json"


@dataclass(slots=True)  # a batch holds one per paper: no attribute dict each (~250 bytes)
class PaperResult:
    """What happened to one paper in a run."""

    source: str
    """Path or reference given (or the paper id for papers passed as objects)."""
    paper_id: str | None
    """Id of the paper, once read."""
    status: Status
    """done (planned now), skipped (already planned), failed, not_started (budget reached)."""
    plan: Plan | None = None
    """The plan, for done and skipped papers."""
    error: str | None = None
    """Why it failed."""
    usage: Usage = field(default_factory=Usage)
    """What this run spent on the paper."""
    warnings: list[str] = field(default_factory=list)
    """What the loader noticed (skipped includes, lossy decoding, a section structure that looks
    wrong...), shown and logged."""
    bad_input: bool = False
    """Whether it failed because of its input or the settings (not the model, not a bug)."""
    review_requests: list[str] = field(default_factory=list)
    """Reviewer mode: what public reviews of the paper asked about ablations (OpenReview)."""


@dataclass
class RunEvent:
    """Progress report sent to ``on_event`` after each paper."""

    result: PaperResult
    """The paper just settled."""
    settled: int
    """Papers settled so far."""
    total: int
    """Papers in the run."""
    cost_usd: float
    """Money spent so far in this run (known prices only)."""
    cost_known: bool
    """False once a request had an unknown price."""


@dataclass
class RunSummary:
    """The outcome of :func:`run_plans`."""

    results: list[PaperResult]
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


def config_fingerprint(paper: Paper, planner: AsyncPlanner, mode: Mode, k: int) -> str:
    """Hash of everything that decides a paper's plan; equal hashes mean nothing to redo."""
    return _fingerprint(paper.content_hash, paper.id, planner, mode, k)


def _fingerprint(
    content_hash: str, paper_id: str, planner: AsyncPlanner, mode: Mode, k: int
) -> str:
    material = {
        "paper": content_hash,
        "paper_id": paper_id,
        "planner": planner.name,
        "model": planner.model.name if planner.model is not None else None,
        "mode": mode.value,
        "k": k,
        "settings": dict(planner.output_settings),
    }
    canonical = json.dumps(material, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def finished_plan(out: Path, paper_id: str, fingerprint: str) -> Plan | None:
    """The plan of ``paper_id`` if the run directory has it complete, with this configuration.

    The ``.plan.json`` is a paper's last file: when it is there with this configuration, so are
    the others.
    """
    files = plan_files(out, paper_id)
    try:
        plan = load_plan(files["json"])
    except (OSError, ValueError):
        return None
    if plan.versions.get("config") != fingerprint or not files["jsonl"].exists():
        return None
    return plan


def _existing(out: Path, paper_id: str, fingerprint: str) -> tuple[list[Path], Plan | None]:
    """Files of ``paper_id`` in ``out`` that ablab did not write, and its finished plan of this
    configuration, if there is one."""
    return foreign_files(out, paper_id), finished_plan(out, paper_id, fingerprint)


def _file_hash(path: Path) -> str | None:
    """sha256 of a regular file's bytes (the content hash of a file paper), None otherwise."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _renamed(paper: Paper, paper_id: str) -> Paper:
    return paper if paper.id == paper_id else paper.model_copy(update={"id": paper_id})


@dataclass(frozen=True)
class _Ready:
    """A paper read and checked against the run directory: nothing left but to plan it."""

    label: str
    paper: Paper
    fingerprint: str


Prepared = PaperResult | _Ready
"""A source made ready for planning, or settled already (skipped, unreadable, refused)."""


class _Run:
    """State shared by the paper tasks of one run."""

    def __init__(
        self,
        planner: AsyncPlanner,
        *,
        mode: Mode,
        k: int,
        out: Path | None,
        concurrency: int,
        budget_usd: float | None,
        on_event: Callable[[RunEvent], None] | None,
        total: int,
        reader: PaperReader,
        keep_plans: bool = True,
    ) -> None:
        self.planner = planner
        self.keep_plans = keep_plans
        self.mode = mode
        self.k = k
        self.out = out
        self.log = RunLog(out) if out is not None else None
        self.pending = SharedFiles(out, PLANS_INDEX, FAILURES_FILE)
        # Ids only, read once (a rerun finding everything done reads plans.json this once).
        self.indexed: set[str] = plans_index_ids(out) if out is not None else set()
        self.semaphore = asyncio.Semaphore(max(1, concurrency))
        self.readers = asyncio.Semaphore(READERS)
        self.reader = reader
        self.budget_usd = budget_usd
        self.on_event = on_event
        self.total = total
        self.settled = 0
        self.budget = Budget(budget_usd)

    async def flush(self, *, force: bool = False) -> None:
        """Merge finished papers into plans.json and failures.json when due."""
        await self.pending.flush(force=force)

    def _settle(self, result: PaperResult) -> PaperResult:
        self.settled += 1
        if self.on_event is not None:
            cost = self.budget.usage.cost_usd
            self.on_event(RunEvent(result, self.settled, self.total, cost or 0.0, cost is not None))
        return result

    def _log_paper(self, result: PaperResult, **extra: Any) -> None:
        if self.log is not None:
            if result.warnings:
                extra["warnings"] = result.warnings
            self.log.write(
                "paper",
                paper_id=result.paper_id,
                source=result.source,
                status=result.status,
                error=result.error,
                usage=result.usage.model_dump(),
                **extra,
            )

    def _planner_for(self, paper_id: str) -> AsyncPlanner:
        """The planner, its model wrapped in the call log of this paper when there is one."""
        model = self.planner.model
        if self.log is None or model is None:
            return self.planner
        return self.planner.with_model(LoggedModel(model, self.log, paper_id))

    async def _make_plan(self, paper: Paper) -> tuple[Plan, dict[str, Any]]:
        planner = self._planner_for(paper.id)
        outcome = await make_plan(planner, paper, mode=self.mode, k=self.k)
        return outcome.plan, outcome.details()

    async def prepare(self, source: Source | Paper, paper_id: str) -> Prepared:
        """Read one source, unless its plan is there already (then it is settled as skipped).

        Runs ahead of the planning (see :func:`ablab.runs.engine.in_order`), so that papers are
        read while the model answers the ones before them.
        """
        label = source.id if isinstance(source, Paper) else str(source)
        # The look for a finished plan takes a reader's turn too: turns are given in source
        # order, so the papers whose turn comes first are read first.
        async with self.readers:
            skipped = await self._quick_skip(source, paper_id)
            if skipped is not None:
                return skipped
            try:
                if isinstance(source, Paper):
                    paper = _renamed(source, paper_id)
                else:
                    paper = await self.reader.read(source, paper_id)
            except AblabError as exc:  # PaperError and the like: one line
                return self._fail(label, None, str(exc), Usage(), {}, bad=True)
            except Exception as exc:  # a reader's bug must not sink the batch
                error = f"could not be read: {exc!r}"
                return self._fail(label, None, error, Usage(), {}, bad=True)
        return await self._check(label, paper)

    async def _check(self, label: str, paper: Paper) -> Prepared:
        """Look at the run directory for ``paper`` ahead of its turn: a finished plan (skipped),
        files ablab did not write (refused), else ready to plan."""
        if self.out is not None and not is_file_id(paper.id):
            error = f"paper id {paper.id[:80]!r} cannot name a file in the run directory"
            return self._fail(label, None, error, Usage(), {}, bad=True)
        fingerprint = config_fingerprint(paper, self.planner, self.mode, self.k)
        if self.out is not None:
            # One trip off the event loop for both looks at the run directory.
            foreign, done = await asyncio.to_thread(_existing, self.out, paper.id, fingerprint)
            if foreign:  # refused before any money is spent on the paper
                error = f"{foreign[0]}: not written by ablab; planning {paper.id!r} would "
                error += "overwrite it (use another --out folder)"
                return self._fail(label, paper.id, error, Usage(), {}, paper.warnings, bad=True)
            if done is not None:
                return self._skipped(label, paper.id, done, paper)
        return _Ready(label, paper, fingerprint)

    async def process(self, prepared: Prepared) -> PaperResult:
        """Plan one prepared source and record it."""
        if isinstance(prepared, PaperResult):
            result = prepared
        else:
            result = await self._plan_one(prepared.label, prepared.paper, prepared.fingerprint)
        if not self.keep_plans:
            result.plan = None  # written to the run directory; memory stays flat
        await self.flush()
        return result

    async def _quick_skip(self, source: Source | Paper, paper_id: str) -> PaperResult | None:
        """The skipped result of a file paper whose plan is there, found without parsing it."""
        if self.out is None or not isinstance(source, Path) or not is_file_id(paper_id):
            return None
        done = await asyncio.to_thread(self._finished_file_plan, self.out, source, paper_id)
        return None if done is None else self._skipped(str(source), paper_id, done)

    def _finished_file_plan(self, out: Path, source: Path, paper_id: str) -> Plan | None:
        """The finished plan of the file paper ``source`` in ``out``, found from its bytes."""
        content_hash = _file_hash(source)
        if content_hash is None:
            return None
        fingerprint = _fingerprint(content_hash, paper_id, self.planner, self.mode, self.k)
        done = finished_plan(out, paper_id, fingerprint)
        return done if done is not None and done.paper_hash == content_hash else None

    def _asked(self, paper: Paper) -> list[str]:
        return review_requests(paper) if self.mode is Mode.REVIEWER else []

    def _skipped(
        self, label: str, paper_id: str, done: Plan, paper: Paper | None = None
    ) -> PaperResult:
        if paper_id not in self.indexed:  # finished by a killed run: list it now
            self.pending.add(paper_id, index_entry(done))
            self.indexed.add(paper_id)
        self.pending.clear(paper_id, label)
        return self._settle(
            PaperResult(
                label,
                paper_id,
                "skipped",
                plan=done,
                review_requests=self._asked(paper) if paper is not None else [],
            )
        )

    async def _plan_one(self, label: str, paper: Paper, fingerprint: str) -> PaperResult:
        async with self.semaphore:
            if not self.budget.allows_start():
                result = PaperResult(label, paper.id, "not_started")
                self._log_paper(result)
                return self._settle(result)
            started = time.monotonic()
            try:
                plan, details = await self._make_plan(paper)
            except PlanFailure as exc:
                self.budget.add(exc.usage)
                extra: dict[str, Any] = {"raw_responses": exc.raw_responses}
                if exc.context is not None:
                    extra["context"] = exc.context.to_dict()
                return self._fail(label, paper.id, str(exc), exc.usage, extra, paper.warnings)
            except AblabError as exc:
                # A request that failed for good was still sent (and may be billed): count it.
                usage = exc.usage if isinstance(exc, ModelRequestError) else Usage()
                self.budget.add(usage)
                bad = isinstance(exc, PaperError | ConfigError)
                return self._fail(label, paper.id, str(exc), usage, {}, paper.warnings, bad=bad)
            except Exception as exc:  # one paper's bug must not sink the batch
                return self._fail(
                    label, paper.id, f"internal error: {exc!r}", Usage(), {}, paper.warnings
                )
            self.budget.add(plan.usage)
        plan = plan.model_copy(update={"versions": {**plan.versions, "config": fingerprint}})
        result = PaperResult(
            label,
            paper.id,
            "done",
            plan=plan,
            usage=plan.usage,
            warnings=list(paper.warnings),
            review_requests=self._asked(paper),
        )
        details["elapsed_s"] = round(time.monotonic() - started, 3)
        if self.out is not None:
            # Files and the log record in one trip off the event loop, outside the concurrency
            # slot (the loop's time goes to the requests in flight); the shared index is merged
            # later, for many papers at once.
            try:
                await asyncio.to_thread(self._write_done, self.out, result, details)
            except (OSError, AblabError) as exc:
                return self._fail(
                    label, paper.id, f"could not be written: {exc}", plan.usage, {}, paper.warnings
                )
            self.pending.add(paper.id, index_entry(plan))
            self.indexed.add(paper.id)
        else:
            self._log_paper(result, **details)
        self.pending.clear(paper.id, label)
        return self._settle(result)

    def _write_done(self, out: Path, result: PaperResult, details: dict[str, Any]) -> None:
        """Write a planned paper's files (``.plan.json`` last: it marks the paper done), then
        its log record."""
        assert result.plan is not None
        write_plan(out, result.plan, index=False)
        self._log_paper(result, **details)

    def _fail(
        self,
        label: str,
        paper_id: str | None,
        error: str,
        usage: Usage,
        extra: dict[str, Any],
        warnings: list[str] | None = None,
        *,
        bad: bool = False,
    ) -> PaperResult:
        result = PaperResult(
            label,
            paper_id,
            "failed",
            error=error,
            usage=usage,
            warnings=list(warnings or []),
            bad_input=bad,
        )
        self.pending.fail(
            paper_id or label,
            {
                "source": label,
                "paper_id": paper_id,
                "error": error,
                "usage": usage.model_dump(),
                "failed_at": datetime.now(UTC).isoformat(),
                **extra,
            },
        )
        if self.out is not None and paper_id is not None:
            with contextlib.suppress(OSError):  # failures.json records the failure anyway
                mark_failed(self.out, paper_id)
        self._log_paper(result, **{k: v for k, v in extra.items() if k != "raw_responses"})
        return self._settle(result)


def _write_manifest(
    out: Path, planner: AsyncPlanner, mode: Mode, k: int, run: dict[str, Any]
) -> None:
    with run_lock(out):
        _merge_manifest(out, planner, mode, k, run)


def _merge_manifest(
    out: Path, planner: AsyncPlanner, mode: Mode, k: int, run: dict[str, Any]
) -> None:
    path = out / MANIFEST_FILE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        manifest = {}
    manifest.update(
        {
            "ablab": __version__,
            "planner": planner.name,
            "model": planner.model.name if planner.model is not None else None,
            "mode": mode.value,
            "k": k,
            "settings": dict(planner.output_settings),
        }
    )
    runs = [r for r in manifest.get("runs", []) if r.get("started") != run["started"]]
    manifest["runs"] = [*runs, run]
    atomic_write_text(path, json.dumps(manifest, indent=2) + "\n")


async def run_plans(
    sources: Sequence[Source | Paper],
    planner: Planner | AsyncPlanner,
    *,
    mode: Mode,
    k: int | None = None,
    out: Path | None = None,
    concurrency: int = 4,
    budget_usd: float | None = None,
    on_event: Callable[[RunEvent], None] | None = None,
    keep_plans: bool = True,
) -> RunSummary:
    """Plan every source with ``planner``; see the module docstring.

    ``keep_plans=False`` leaves plans out of the results (they are in ``out``), so that a batch
    of any size holds one small result per paper.
    """
    driven = as_async(planner)
    k = k if k is not None else DEFAULT_K[mode]
    if k < 1:
        raise AblabError(f"k must be at least 1, got {k}")
    if out is not None:
        prepare_output_dir(out)
    started_at = datetime.now(UTC).isoformat()
    clock = time.monotonic()
    ids = unique_ids(sources)
    run = _Run(
        driven,
        mode=mode,
        k=k,
        out=out,
        concurrency=concurrency,
        budget_usd=budget_usd,
        on_event=on_event,
        total=len(sources),
        reader=PaperReader(sources, model=driven.model is not None),
        keep_plans=keep_plans,
    )
    if out is not None:
        _write_manifest(out, driven, mode, k, {"started": started_at})
    # A fixed pool of workers pulls the sources in order: papers are read when their turn comes
    # (the first request does not wait for every paper to load) and memory does not grow with
    # the number of sources beyond one result each.
    results: list[PaperResult | None] = [None] * len(sources)

    async def prepare(index: int, item: tuple[Source | Paper, str]) -> Prepared:
        return await run.prepare(*item)

    async def process(index: int, item: tuple[Source | Paper, str], prepared: Prepared) -> None:
        results[index] = await run.process(prepared)

    try:
        await in_order(list(zip(sources, ids, strict=True)), concurrency, process, prepare)
    finally:
        run.reader.close()
        await run.pending.close()
        if driven.model is not None:
            await aclose_model(driven.model)
    settled = [result for result in results if result is not None]
    summary = RunSummary(
        settled, run.budget.usage, time.monotonic() - clock, run.budget.final_stop_reason()
    )
    if out is not None:
        _write_manifest(
            out,
            driven,
            mode,
            k,
            {
                "started": started_at,
                "finished": datetime.now(UTC).isoformat(),
                "elapsed_s": round(summary.elapsed_s, 3),
                **{s: summary.count(s) for s in ("done", "skipped", "failed", "not_started")},
                "usage": summary.usage.model_dump(),
                "stop_reason": summary.stop_reason,
            },
        )
    return summary


def run_plans_sync(*args: Any, **kwargs: Any) -> RunSummary:
    """:func:`run_plans` from synchronous code (the CLI), in an event loop of its own whose
    worker threads (file reads and writes, cache, log) keep up with ``concurrency`` papers."""

    async def run() -> RunSummary:
        threads = max(8, int(kwargs.get("concurrency", 4)) + 4)
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(threads))
        return await run_plans(*args, **kwargs)

    return asyncio.run(run())
