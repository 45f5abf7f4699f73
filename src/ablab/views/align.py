"""Line up the ablations of several plans for one paper, so matching proposals sit side by side.

Two ablations share a row when the offline matcher of :mod:`ablab.judges` (the one that scores
plans against ground truth) says they describe the same experiment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ablab.matching.matcher import DEFAULT_SETTINGS, profile, score_pair
from ablab.schema import Ablation, Plan

Similarity = Callable[[Ablation, Ablation], float]
"""Score in [0, 1] of how much two ablations propose the same experiment."""

DEFAULT_THRESHOLD = DEFAULT_SETTINGS.threshold
"""Lowest similarity at which two ablations are shown on the same row (the matcher's own)."""


def matcher_similarity(a: Ablation, b: Ablation) -> float:
    """The offline matcher's pair score."""
    return score_pair(profile(a), profile(b)).score


@dataclass
class AlignedCell:
    """One plan's ablation on a row: its rank (1-based) and the ablation."""

    rank: int
    ablation: Ablation


@dataclass
class AlignedRow:
    """Ablations judged to be the same experiment, one cell per plan (None where absent)."""

    cells: list[AlignedCell | None]

    @property
    def matched(self) -> int:
        """How many plans propose this experiment."""
        return sum(cell is not None for cell in self.cells)


def align_plans(
    plans: Sequence[Plan],
    *,
    similarity: Similarity = matcher_similarity,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[AlignedRow]:
    """Rows of ablations across ``plans``: each ablation appears once, matches share a row.

    Each plan's ablations are assigned one-to-one to existing rows, best pairs first; an ablation
    with no row above ``threshold`` starts a new row. Rows proposed by more plans come first, then
    by best rank.
    """
    rows: list[AlignedRow] = []
    for index, plan in enumerate(plans):
        pairs = []
        for rank, ablation in enumerate(plan.ablations, 1):
            for row in rows:
                score = max(
                    similarity(ablation, cell.ablation) for cell in row.cells if cell is not None
                )
                if score >= threshold:
                    pairs.append((score, rank, ablation, row))
        pairs.sort(key=lambda pair: (-pair[0], pair[1]))
        placed: set[int] = set()
        for _score, rank, ablation, row in pairs:
            if rank in placed or row.cells[index] is not None:
                continue
            row.cells[index] = AlignedCell(rank, ablation)
            placed.add(rank)
        for rank, ablation in enumerate(plan.ablations, 1):
            if rank not in placed:
                cells: list[AlignedCell | None] = [None] * len(plans)
                cells[index] = AlignedCell(rank, ablation)
                rows.append(AlignedRow(cells))
    return sorted(rows, key=lambda row: (-row.matched, _best_rank(row)))


def _best_rank(row: AlignedRow) -> int:
    return min(cell.rank for cell in row.cells if cell is not None)
