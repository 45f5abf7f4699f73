"""View data shared by the web pages, the JSON API and the static report."""

from __future__ import annotations

from dataclasses import dataclass, field

from ablab.schema import Plan
from ablab.views.align import AlignedRow, Similarity, align_plans, matcher_similarity
from ablab.views.store import PlanEntry, Run


@dataclass
class GridPaper:
    """One row of the runs grid."""

    id: str
    title: str
    runs: int
    """How many runs planned this paper."""


@dataclass
class Grid:
    """Papers x runs, like the AblationBench trajectory page."""

    runs: list[Run]
    papers: list[GridPaper]


def build_grid(runs: list[Run]) -> Grid:
    """The grid of every paper planned in any of ``runs``, papers by id."""
    titles: dict[str, str] = {}
    counts: dict[str, int] = {}
    for run in runs:
        for paper_id, plan in run.plans.items():
            titles.setdefault(paper_id, plan.paper_title or paper_id)
            counts[paper_id] = counts.get(paper_id, 0) + 1
    papers = [GridPaper(pid, titles[pid], counts[pid]) for pid in sorted(titles)]
    return Grid(runs=runs, papers=papers)


@dataclass
class Comparison:
    """The plans of one paper side by side, matching ablations on the same row."""

    paper_id: str
    paper_title: str
    entries: list[PlanEntry]
    rows: list[AlignedRow] = field(default_factory=list)

    @property
    def plans(self) -> list[Plan]:
        """The compared plans, in column order."""
        return [entry.plan for entry in self.entries]


def build_comparison(
    paper_id: str, entries: list[PlanEntry], *, similarity: Similarity = matcher_similarity
) -> Comparison:
    """Align the ablations of ``entries`` (plans of one paper)."""
    title = next((e.plan.paper_title for e in entries if e.plan.paper_title), paper_id)
    rows = align_plans([entry.plan for entry in entries], similarity=similarity)
    return Comparison(paper_id=paper_id, paper_title=title, entries=entries, rows=rows)
