"""What a digest writer returns: the digest and how it was written."""

from __future__ import annotations

from dataclasses import dataclass, field

from ablab.digest.checks import Problem
from ablab.formats.rpa2.model import Digest
from ablab.models.base import Completion
from ablab.schema import Usage

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
