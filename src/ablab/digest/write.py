"""The front door of digest writing: a paper in, a :class:`DigestOutcome` out, offline or not."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from ablab._util.aio import run_sync
from ablab.digest.lm import LMDigestWriter
from ablab.digest.offline import digest_offline
from ablab.digest.outcome import OFFLINE, DigestOutcome
from ablab.errors import ConfigError
from ablab.models.base import Model
from ablab.papers import load_paper
from ablab.schema import Analysis, Paper

__all__ = ["OFFLINE", "DigestOutcome", "awrite_digest", "write_digest", "write_digest_offline"]


def _as_paper(paper: Paper | str | Path) -> Paper:
    if isinstance(paper, Paper):
        return paper
    return load_paper(paper)


def write_digest_offline(
    paper: Paper | str | Path, *, analysis: Analysis | None = None, planner: str = "heuristic"
) -> DigestOutcome:
    """The offline digest of ``paper`` (deterministic; no model, no network)."""
    return DigestOutcome(digest_offline(_as_paper(paper), analysis=analysis, planner=planner))


async def awrite_digest(
    paper: Paper | str | Path,
    *,
    model: Model | str | None = None,
    analysis: Analysis | None = None,
    planner: str = "heuristic",
    **options: Any,
) -> DigestOutcome:
    """Write the digest of ``paper``: offline without ``model``, else with the LM writer.

    ``options`` go to :class:`ablab.digest.lm.LMDigestWriter` (``repairs``, ``paper_tokens``...).
    """
    paper = await asyncio.to_thread(_as_paper, paper)
    if model is None:
        if options:
            raise ConfigError(f"options {sorted(options)} need a model")
        return await asyncio.to_thread(
            write_digest_offline, paper, analysis=analysis, planner=planner
        )
    writer = LMDigestWriter(model, planner=planner, **options)
    return await writer.awrite(paper, analysis=analysis)


def write_digest(
    paper: Paper | str | Path,
    *,
    model: Model | str | None = None,
    planner: str = "heuristic",
    **options: Any,
) -> DigestOutcome:
    """Synchronous :func:`awrite_digest`."""
    if model is None and not options:
        return write_digest_offline(paper, planner=planner)
    return run_sync(awrite_digest(paper, model=model, planner=planner, **options))
