"""The ``offline`` judge: the deterministic matcher, no network, no model.

Author task: every (reference, plan) pair that :func:`ablab.matching.matcher.match_ablations` takes.
Reviewer task: a planned ablation appears in the reviews when some review passage (one sentence or
two adjacent ones) covers enough of what it ablates; passages that read as requests ("an ablation
of X would...", "compare with...") count fully, others count at ``plain_passage_weight``. The
reviewer threshold was set by hand on the project's fixture reviews (there is no labelled review
data to calibrate it on); see the README.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ablab.judges.base import (
    AuthorJudgement,
    PaperContext,
    ReviewDecision,
    ReviewerJudgement,
)
from ablab.matching.matcher import DEFAULT_SETTINGS, MatcherSettings, match_ablations, profile
from ablab.matching.text import find_acronyms, mass, shared_mass, terms, tokenize
from ablab.matching.vocabulary import REQUEST_CUES
from ablab.schema import Ablation

_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+|\n+")


def paper_acronyms(context: PaperContext, ablations: list[Ablation]) -> dict[str, str]:
    """Acronyms defined in the paper text, its abstract, or the ablations themselves."""
    texts = [context.title, context.abstract, context.text]
    texts += [f"{a.name}. {a.ablated_part}. {' '.join(a.replacement or [])}" for a in ablations]
    return find_acronyms("\n".join(texts))


def review_passages(reviews: list[str]) -> list[str]:
    """Sentences of every review, and each pair of adjacent sentences."""
    passages: list[str] = []
    for review in reviews:
        sentences = [s.strip() for s in _SENTENCE_RE.split(review) if s.strip()]
        passages.extend(sentences)
        passages.extend(f"{a} {b}" for a, b in zip(sentences, sentences[1:], strict=False))
    return passages


@dataclass
class OfflineJudge:
    """Deterministic judge built on the offline matcher."""

    settings: MatcherSettings = field(default_factory=lambda: DEFAULT_SETTINGS)
    """Matcher constants (author task)."""
    review_threshold: float = 0.6
    """Share of a planned ablation's weighted terms a review passage must contain."""
    plain_passage_weight: float = 0.75
    """Factor for passages without any request cue."""
    name: str = "offline"

    def judge_author(
        self, reference: list[Ablation], plan: list[Ablation], context: PaperContext
    ) -> AuthorJudgement:
        """Match the plan against the ablations the paper ran."""
        acronyms = paper_acronyms(context, reference + plan)
        matches = match_ablations(reference, plan, acronyms, self.settings)
        return AuthorJudgement(
            paper_id=context.paper_id,
            judge=self.name,
            reference=reference,
            plan=plan,
            matches=matches,
        )

    def judge_reviewer(
        self, reviews: list[str], num_requested: int, plan: list[Ablation], context: PaperContext
    ) -> ReviewerJudgement:
        """Look for each planned ablation among the reviews' sentences."""
        acronyms = paper_acronyms(context, plan)
        passages = [
            (p, terms(p, acronyms), bool(REQUEST_CUES & set(tokenize(p))))
            for p in review_passages(reviews)
        ]
        decisions = []
        for index, ablation in enumerate(plan):
            wanted = profile(ablation, acronyms, self.settings).descriptor
            best, evidence = 0.0, ""
            for text, passage_terms, is_request in passages:
                covered = shared_mass(wanted, passage_terms) / mass(wanted) if wanted else 0.0
                score = covered if is_request else covered * self.plain_passage_weight
                if score > best:
                    best, evidence = score, text
            appears = best >= self.review_threshold
            decisions.append(
                ReviewDecision(
                    plan=index,
                    appears=appears,
                    score=round(best, 4),
                    evidence=evidence if appears else f"best passage covers {best:.2f}",
                )
            )
        return ReviewerJudgement(
            paper_id=context.paper_id,
            judge=self.name,
            plan=plan,
            decisions=decisions,
            num_requested=num_requested,
        )
