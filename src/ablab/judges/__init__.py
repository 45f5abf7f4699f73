"""Judges: decide which planned ablations match a paper's ground truth.

Judges are registered lazily by name (``"module:attribute"``) so that a judge needing a model
client costs nothing until used.
"""

from __future__ import annotations

import importlib
from typing import Any

from ablab.errors import ConfigError
from ablab.judges.base import (
    AuthorJudgement,
    Judge,
    Judgement,
    PaperContext,
    ReviewDecision,
    ReviewerJudgement,
)
from ablab.matching.match import Match

_REGISTRY: dict[str, str] = {
    "offline": "ablab.judges.offline:OfflineJudge",
    "lm": "ablab.judges.lm:LMJudge",
    "majority": "ablab.judges.majority:MajorityJudge",
}


def available_judges() -> list[str]:
    """Names of all registered judges."""
    return sorted(_REGISTRY)


def get_judge(name: str, **options: Any) -> Judge:
    """Build the judge registered as ``name`` with ``options`` (e.g. ``model=...``)."""
    try:
        target = _REGISTRY[name]
    except KeyError:
        known = ", ".join(available_judges())
        raise ConfigError(f"unknown judge {name!r}; choose one of: {known}") from None
    module_name, _, attribute = target.partition(":")
    factory = getattr(importlib.import_module(module_name), attribute)
    judge: Judge = factory(**options)
    return judge


__all__ = [
    "AuthorJudgement",
    "Judge",
    "Judgement",
    "Match",
    "PaperContext",
    "ReviewDecision",
    "ReviewerJudgement",
    "available_judges",
    "get_judge",
]
