"""Line up the ablations of several plans for one paper, so matching proposals sit side by side.

The similarity used here is a simple normalised-word overlap; it is a stand-in to be replaced by the
offline matcher of :mod:`ablab.judges` (pass it as ``similarity``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ablab.schema import Ablation, Plan

Similarity = Callable[[Ablation, Ablation], float]
"""Score in [0, 1] of how much two ablations propose the same experiment."""

DEFAULT_THRESHOLD = 0.34
"""Lowest similarity at which two ablations are shown on the same row."""

_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "without",
        "by",
        "from",
        "via",
        "using",
        "use",
        "into",
        "as",
        "at",
        "or",
        "is",
        "are",
        "be",
        "its",
        "it",
        "this",
        "that",
        "remove",
        "removing",
        "replace",
        "replacing",
        "add",
        "adding",
        "ablation",
        "ablate",
        "ablating",
        "effect",
        "impact",
        "study",
    ]
)


def _words(ablation: Ablation) -> set[str]:
    text = f"{ablation.name} {ablation.ablated_part}".lower()
    return {w for w in _WORD.findall(text) if w not in _STOPWORDS}


def word_overlap(a: Ablation, b: Ablation) -> float:
    """Jaccard overlap of the content words of name and ablated part; same action counts a bit."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    score = len(wa & wb) / len(wa | wb)
    return min(1.0, score + (0.05 if a.action is b.action else 0.0))


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
    similarity: Similarity = word_overlap,
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
