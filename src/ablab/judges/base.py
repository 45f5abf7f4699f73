"""What a judge receives and returns, and the protocol every judge follows.

Two tasks, as in AblationBench:

- **author**: match the plan's ablations against the ablations the paper really ran (the
  reference). Matches are pairs (reference index, plan index); one plan item may match several
  reference items and one reference item several plan items.
- **reviewer**: decide for each planned ablation whether the reviews asked for it.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from ablab.matching.match import Match
from ablab.schema import Ablation, Usage


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class PaperContext(_Model):
    """What a judge may know about the paper besides the two lists it compares."""

    paper_id: str
    """Id of the paper (names the judgement files)."""
    title: str = ""
    """Paper title."""
    abstract: str = ""
    """Paper abstract."""
    text: str = ""
    """Paper body, when available (the offline judge reads acronym definitions from it)."""


class AuthorJudgement(_Model):
    """A judge's decisions for one paper of the author task."""

    paper_id: str
    """Id of the judged paper."""
    judge: str
    """Name of the judge (``offline``, ``lm:<model>``, ``majority``...)."""
    reference: list[Ablation]
    """The ground-truth ablations, in dataset order."""
    plan: list[Ablation]
    """The planned ablations, most important first."""
    matches: list[Match] = Field(default_factory=list)
    """Matched (reference, plan) pairs."""
    usage: Usage = Field(default_factory=Usage)
    """Tokens and money the judge spent."""

    def matched_reference(self) -> list[bool]:
        """For each reference ablation, whether some planned ablation matches it."""
        hit = {m.reference for m in self.matches}
        return [i in hit for i in range(len(self.reference))]

    def matched_plan(self) -> list[bool]:
        """For each planned ablation, whether it matches some reference ablation."""
        hit = {m.plan for m in self.matches}
        return [i in hit for i in range(len(self.plan))]

    def bench_records(self) -> list[dict[str, object]]:
        """AblationBench's judge output: one ``{name_in_paper, name_in_plan}`` per reference item.

        ``name_in_plan`` is None (no match), a name, or a list of names (several plan items).
        """
        records: list[dict[str, object]] = []
        for index, reference in enumerate(self.reference):
            names = [self.plan[m.plan].name for m in self.matches if m.reference == index]
            value: object = None if not names else names[0] if len(names) == 1 else names
            records.append({"name_in_paper": reference.name, "name_in_plan": value})
        return records


class ReviewDecision(_Model):
    """Whether one planned ablation was requested by the reviews."""

    plan: int
    """Index of the planned ablation."""
    appears: bool
    """True when some review asks for this ablation."""
    score: float | None = None
    """Similarity behind the decision (offline judge), None for LM judges."""
    evidence: str = ""
    """The review passage that asks for it, or the reason it was judged absent."""


class ReviewerJudgement(_Model):
    """A judge's decisions for one paper of the reviewer task."""

    paper_id: str
    """Id of the judged paper."""
    judge: str
    """Name of the judge."""
    plan: list[Ablation]
    """The planned ablations, most important first."""
    decisions: list[ReviewDecision] = Field(default_factory=list)
    """One decision per planned ablation, in plan order."""
    num_requested: int = 0
    """How many ablations the reviews requested (the dataset's ``num_ablation_suggestions``)."""
    usage: Usage = Field(default_factory=Usage)
    """Tokens and money the judge spent."""

    def appears(self) -> list[bool]:
        """For each planned ablation, whether the reviews requested it."""
        found = {d.plan for d in self.decisions if d.appears}
        return [i in found for i in range(len(self.plan))]

    def bench_records(self) -> list[dict[str, object]]:
        """AblationBench's judge output: one ``{name_in_plan, appears_in_review}`` per plan item."""
        return [
            {"name_in_plan": a.name, "appears_in_review": hit}
            for a, hit in zip(self.plan, self.appears(), strict=True)
        ]


Judgement = AuthorJudgement | ReviewerJudgement
"""Either kind of judgement."""


@runtime_checkable
class Judge(Protocol):
    """Decides which planned ablations match the ground truth of a paper."""

    name: str

    def judge_author(
        self, reference: list[Ablation], plan: list[Ablation], context: PaperContext
    ) -> AuthorJudgement:
        """Match a plan against the ablations the paper ran."""
        ...

    def judge_reviewer(
        self, reviews: list[str], num_requested: int, plan: list[Ablation], context: PaperContext
    ) -> ReviewerJudgement:
        """Decide which planned ablations the reviews asked for."""
        ...
