"""The ``majority`` judge: several judges vote on every decision; ties count as "no".

Author task: a (reference, plan) pair matches when more than half of the voters matched it
(``vote="pair"``, ablab's rule); with ``vote="item"``, AblationBench's majority judge: per
reference ablation, the voters' whole answers (the set of plan items they match to it, or none)
are counted and an answer given by more than half of them wins, so voters that match it to
different plan items agree on nothing. Reviewer task: a planned ablation appears in the reviews
when more than half of the voters said so. An even split is a "no", the conservative reading.
The voters' costs add up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Literal

from ablab.errors import ConfigError
from ablab.judges.base import (
    AuthorJudgement,
    Judge,
    PaperContext,
    ReviewDecision,
    ReviewerJudgement,
)
from ablab.judges.lm import LMJudge
from ablab.judges.offline import OfflineJudge
from ablab.matching.match import Match
from ablab.schema import Ablation, Usage


def _voter(spec: str | Judge) -> Judge:
    if not isinstance(spec, str):
        return spec
    if spec == "offline":
        return OfflineJudge()

    return LMJudge(spec)


class MajorityJudge:
    """Majority vote of ``voters`` (judges, or names: ``offline`` or a model name for ``lm``)."""

    def __init__(
        self, voters: Sequence[str | Judge], vote: Literal["pair", "item"] = "pair"
    ) -> None:
        if len(voters) < 2:
            raise ConfigError("a majority vote needs at least two voters")
        if vote not in ("pair", "item"):
            raise ConfigError(f"unknown majority vote {vote!r}; choose pair or item")
        self.voters = [_voter(v) for v in voters]
        self.vote = vote
        kind = "" if vote == "pair" else "per item, "
        self.name = f"majority({kind}" + ",".join(v.name for v in self.voters) + ")"

    def _wins(self, votes: int) -> bool:
        return votes * 2 > len(self.voters)

    def judge_author(
        self, reference: list[Ablation], plan: list[Ablation], context: PaperContext
    ) -> AuthorJudgement:
        """Pairs matched by a strict majority of the voters."""
        ballots = [v.judge_author(reference, plan, context) for v in self.voters]
        if self.vote == "item":
            matches = self._item_matches(ballots, len(reference))
        else:
            votes = Counter((m.reference, m.plan) for b in ballots for m in b.matches)
            matches = [
                Match(reference=r, plan=p, reason=f"{count} of {len(self.voters)} voters")
                for (r, p), count in sorted(votes.items())
                if self._wins(count)
            ]
        return AuthorJudgement(
            paper_id=context.paper_id,
            judge=self.name,
            reference=reference,
            plan=plan,
            matches=matches,
            usage=sum((b.usage for b in ballots), Usage()),
        )

    def _item_matches(self, ballots: list[AuthorJudgement], size: int) -> list[Match]:
        """AblationBench's vote: one answer per voter and reference item, the majority wins."""
        matches = []
        for reference in range(size):
            answers = Counter(
                frozenset(m.plan for m in ballot.matches if m.reference == reference)
                for ballot in ballots
            )
            answer, count = answers.most_common(1)[0]
            if self._wins(count):
                reason = f"{count} of {len(self.voters)} voters gave this answer"
                matches += [
                    Match(reference=reference, plan=p, reason=reason) for p in sorted(answer)
                ]
        return matches

    def judge_reviewer(
        self, reviews: list[str], num_requested: int, plan: list[Ablation], context: PaperContext
    ) -> ReviewerJudgement:
        """Planned ablations a strict majority of the voters found in the reviews."""
        ballots = [v.judge_reviewer(reviews, num_requested, plan, context) for v in self.voters]
        decisions = []
        for index in range(len(plan)):
            count = sum(b.appears()[index] for b in ballots)
            decisions.append(
                ReviewDecision(
                    plan=index,
                    appears=self._wins(count),
                    evidence=f"{count} of {len(self.voters)} voters found it in the reviews",
                )
            )
        return ReviewerJudgement(
            paper_id=context.paper_id,
            judge=self.name,
            plan=plan,
            decisions=decisions,
            num_requested=num_requested,
            usage=sum((b.usage for b in ballots), Usage()),
        )
