"""One reference ablation matched by one planned ablation: what every matcher and judge returns."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Match(BaseModel):
    """One reference ablation matched by one planned ablation."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    reference: int
    """Index of the reference (ground-truth) ablation."""
    plan: int
    """Index of the planned ablation (its rank minus one)."""
    score: float | None = None
    """Similarity behind the decision (offline judge), None for LM judges."""
    reason: str = ""
    """Short explanation of the decision."""
