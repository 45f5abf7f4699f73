"""The front door of digest writing: a paper in, a :class:`DigestOutcome` out, offline or not."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ablab.digest.checks import Problem
from ablab.digest.model import Digest
from ablab.schema import Analysis, Paper, Usage

if TYPE_CHECKING:
    from ablab.models.base import Completion, Model

OFFLINE = "offline"
"""Model name recorded for digests written without a model."""


@dataclass
class DigestOutcome:
    """A digest with the details of how it was written."""

    digest: Digest
    """The digest."""
    model: str = OFFLINE
    """``offline``, or the full name of the model that wrote it."""
    usage: Usage = field(default_factory=Usage)
    """Tokens and cost of every request (zero offline, and for cached answers)."""
    completions: list[Completion] = field(default_factory=list)
    """Every answer received, in order."""
    repair_rounds: int = 0
    """Repair rounds that were needed."""
    problems: list[Problem] = field(default_factory=list)
    """Problems still there after the last round (their content was dropped or left a gap)."""
    notes: list[str] = field(default_factory=list)
    """How the paper was fitted into each prompt."""


def _as_paper(paper: Paper | str | Path) -> Paper:
    if isinstance(paper, Paper):
        return paper
    from ablab.papers import load_paper

    return load_paper(paper)


def write_digest_offline(
    paper: Paper | str | Path, *, analysis: Analysis | None = None, planner: str = "heuristic"
) -> DigestOutcome:
    """The offline digest of ``paper`` (deterministic; no model, no network)."""
    from ablab.digest.offline import digest_offline

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
    import asyncio

    paper = await asyncio.to_thread(_as_paper, paper)
    if model is None:
        if options:
            from ablab.errors import ConfigError

            raise ConfigError(f"options {sorted(options)} need a model")
        return await asyncio.to_thread(
            write_digest_offline, paper, analysis=analysis, planner=planner
        )
    from ablab.digest.lm import LMDigestWriter

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
    from ablab.planners.lm import run_sync

    return run_sync(awrite_digest(paper, model=model, planner=planner, **options))
