"""What every batch of papers shares, plans and digests alike: the statuses, ids fixed from the
sources, a fixed pool of workers taking the sources in order, the budget, and the shared files of
the run directory (index and failures) merged under its lock at most once per :data:`FLUSH_S`
(less often as they grow, see :class:`SharedFiles`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal, TypeVar

from ablab.papers.remote import Source, source_id
from ablab.runs.files import merge_failures, merge_index
from ablab.schema import Paper, Usage

Status = Literal["done", "skipped", "failed", "not_started"]
"""What happened to one paper: done now, skipped (already there), failed, not started (budget)."""

STATUSES: tuple[Status, ...] = ("done", "skipped", "failed", "not_started")

FLUSH_S = 1.0
"""Shortest time between two merges of the index and failures files (finished papers wait about
this long before they are listed, longer once merging the files takes more than
:data:`MERGE_SHARE` of it)."""

MERGE_SHARE = 0.05
"""Largest share of a run's wall-clock time spent merging its shared files: each merge streams the
whole file through (its time grows with the file, its memory does not), so merges are spaced by
their own duration over this share, and their total cost stays linear in the number of papers."""

READERS = 2
"""Papers read at the same time in a batch. Reading is CPU work under the GIL: read in parallel,
the papers read ahead would hold back the ones whose turn it is, and the first requests would
wait for all of them. Two (one parsing while the other waits on the disk), in order."""

T = TypeVar("T")
R = TypeVar("R")


def unique_ids(sources: Sequence[Source | Paper]) -> list[str]:
    """The id of each source (its file name or reference, without reading it), ``-2``, ``-3``...
    added to repeats in source order: stable across runs, so a rerun finds its files."""
    seen: set[str] = set()
    unique: list[str] = []
    for source in sources:
        base = source.id if isinstance(source, Paper) else source_id(source)
        candidate, n = base, 2
        while candidate in seen:
            candidate, n = f"{base}-{n}", n + 1
        seen.add(candidate)
        unique.append(candidate)
    return unique


async def in_order(
    items: Sequence[T],
    concurrency: int,
    process: Callable[..., Awaitable[None]],
    prepare: Callable[[int, T], Awaitable[R]] | None = None,
) -> None:
    """``process`` every item, ``concurrency`` at a time, taken in order by a fixed pool of
    workers: nothing is read before its turn, and memory does not grow with the number of items.

    With ``prepare`` (reading a paper), up to ``concurrency`` items are prepared ahead of the
    ones being processed, and ``process(index, item, prepared)`` gets the result: papers are
    read while the model answers the papers before them.
    """
    queue = iter(range(len(items)))
    started: dict[int, asyncio.Task[R]] = {}
    next_up = 0

    def prepare_until(limit: int) -> None:
        nonlocal next_up
        while prepare is not None and next_up < min(limit, len(items)):
            started[next_up] = asyncio.ensure_future(prepare(next_up, items[next_up]))
            next_up += 1

    async def worker() -> None:
        for index in queue:
            if prepare is None:
                await process(index, items[index])
                continue
            prepare_until(index + 1 + max(1, concurrency))
            await process(index, items[index], await started.pop(index))

    try:
        await asyncio.gather(*(worker() for _ in range(min(max(1, concurrency), len(items)))))
    finally:
        for task in started.values():  # an error stopped the pool: no read left running
            task.cancel()


class Budget:
    """Money spent by a run and whether a new paper may start."""

    def __init__(self, limit_usd: float | None) -> None:
        self.limit_usd = limit_usd
        self.usage = Usage()
        self.stop_reason: str | None = None

    def add(self, usage: Usage) -> None:
        """Count what one paper spent."""
        self.usage = self.usage + usage

    def allows_start(self) -> bool:
        """Whether a new paper may start (papers in flight always finish)."""
        if self.limit_usd is None:
            return True
        if self.usage.cost_usd is None:
            self.stop_reason = (
                "the price of the model is unknown, so the budget cannot be enforced; "
                "no new paper was started"
            )
        elif self.usage.cost_usd >= self.limit_usd:
            self.stop_reason = "budget reached"
        return self.stop_reason is None

    def final_stop_reason(self) -> str | None:
        """Why papers were left unstarted, with the money spent by the end of the run."""
        if self.stop_reason != "budget reached" or self.limit_usd is None:
            return self.stop_reason
        return (
            f"budget reached: ${self.usage.cost_usd or 0.0:.4f} spent of ${self.limit_usd:.4f} "
            "(papers already in flight were finished)"
        )


class SharedFiles:
    """Index entries and failures not yet merged into the run directory's shared files.

    Merges stream the files (:func:`ablab.runs.files.merge_index`), holding the pending entries
    and one entry of the file at a time, and run on a thread of their own: glibc gives every
    thread its own heap, which keeps the largest block it ever held, so one thread doing all the
    merging reuses its own space instead of every worker thread keeping some.
    """

    def __init__(self, out: Path | None, index_file: str, failures_file: str) -> None:
        self.out = out
        self.index_file = index_file
        self.failures_file = failures_file
        self.index: dict[str, dict[str, Any]] = {}
        self.failed: dict[str, dict[str, Any]] = {}
        self.cleared: set[str] = set()
        self.last_flush = time.monotonic()
        self.interval = FLUSH_S
        self.lock = asyncio.Lock()
        self._writer: ThreadPoolExecutor | None = None

    def add(self, key: str, entry: dict[str, Any]) -> None:
        """List ``key`` in the index."""
        self.index[key] = entry

    def fail(self, key: str, entry: dict[str, Any]) -> None:
        """Record a failure under ``key``."""
        self.failed[key] = entry
        self.cleared.discard(key)

    def clear(self, *keys: str) -> None:
        """Drop the failures recorded under ``keys`` (the papers succeeded now)."""
        for key in keys:
            self.failed.pop(key, None)
            self.cleared.add(key)

    def _take(self) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], set[str]]:
        taken = (self.index, self.failed, self.cleared)
        self.index, self.failed, self.cleared = {}, {}, set()
        return taken

    async def flush(self, *, force: bool = False) -> None:
        """Merge what is pending (at most once per interval, see :data:`MERGE_SHARE`, unless
        forced)."""
        if self.out is None or not (self.index or self.failed or self.cleared):
            return
        if not force and time.monotonic() - self.last_flush < self.interval:
            return
        async with self.lock:
            started = self.last_flush = time.monotonic()
            index, failed, cleared = self._take()
            if self._writer is None:
                self._writer = ThreadPoolExecutor(1, thread_name_prefix="ablab-shared-files")
            await asyncio.get_running_loop().run_in_executor(
                self._writer, self._write, self.out, index, failed, cleared
            )
            took = time.monotonic() - started
            self.interval = max(FLUSH_S, took / MERGE_SHARE)

    async def close(self) -> None:
        """Merge everything pending and stop the merging thread (the end of a batch)."""
        try:
            await self.flush(force=True)
        finally:
            if self._writer is not None:
                self._writer.shutdown(wait=False)
                self._writer = None

    def _write(
        self,
        out: Path,
        index: dict[str, dict[str, Any]],
        failed: dict[str, dict[str, Any]],
        cleared: set[str],
    ) -> None:
        merge_index(out, self.index_file, index)
        merge_failures(out, self.failures_file, failed, frozenset(cleared))
