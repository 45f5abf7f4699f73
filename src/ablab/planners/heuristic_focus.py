"""Rank first what the paper's title and abstract are about.

A part named in the title ("Deep *Residual* Learning", "... with *Shifted Windows*") is what the
paper stands on; one the abstract talks about is part of its claims ("contrastive learning
benefits from larger *batches*"). Reviewers question those first, so their ablations move up. A
training setting the abstract makes a claim about (batch size above) is no longer generic.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ablab.analysis.terms import content_tokens, singular, word_set
from ablab.planners.heuristic_candidates import Candidate

TITLE_BONUS = 2.0
"""Added when the ablated part shares a content word with the title."""
ABSTRACT_BONUS = 1.0
"""Added when most of the ablated part's content words are in the abstract."""
CLAIMED_SETTING_BONUS = 3.0
"""Added to a generic training setting the abstract talks about (it becomes a claim)."""
GENERIC_SCORE = 3.0
"""Candidates scoring below this are generic settings (see ``WEAK_SCORE`` in the planner)."""

_VAGUE = word_set(
    """
    model models network networks learning method methods approach framework representation
    representations deep neural image images data training simple scalable efficient large
    towards via using new novel general task tasks visual language learned based
    """
)
"""Title and abstract words too common to say what a paper is about."""


_OWNER = re.compile(r"\s+(?:of|used in|in|for) the\s+")


def _words(text: str) -> frozenset[str]:
    parts = (p for token in content_tokens(text) for p in token.split("-"))
    return frozenset(singular(p) for p in parts if len(p) > 1 and not p.isdigit())


def _head(part: str) -> str:
    """The part itself, without the part it belongs to ("temperature τ" of "temperature τ of
    the consistency module")."""
    return _OWNER.split(part, maxsplit=1)[0]


def focus(
    candidates: list[Candidate],
    title: str,
    abstract: str,
    method: frozenset[str],
    absent: list[str] | None = None,
) -> list[Candidate]:
    """Candidates with the title and abstract bonuses added.

    ``method`` holds the method's names and ``absent`` the parts the paper does without: their
    words in the title or abstract say nothing about the parts the method has ("neither ... nor
    a *momentum* encoder" is no claim about the optimiser's momentum).
    """
    own = {w for name in [*method, *(absent or [])] for w in _words(name)}
    title_words = _words(title) - _VAGUE - own
    abstract_words = _words(abstract) - _VAGUE - own
    focused = []
    for candidate in candidates:
        if candidate.family == "add":
            focused.append(candidate)  # the paper says it does without these: no claim on them
            continue
        part = _words(_head(candidate.ablation.ablated_part)) - _VAGUE
        bonus, notes = 0.0, []
        if part & title_words:
            bonus += TITLE_BONUS
            notes.append("The paper's title names it.")
        claimed = bool(part) and 2 * len(part & abstract_words) >= len(part)
        if claimed:
            bonus += ABSTRACT_BONUS
            notes.append("The abstract's claims involve it.")
            if candidate.family == "sweep" and candidate.score < GENERIC_SCORE:
                bonus += CLAIMED_SETTING_BONUS
        if bonus:
            why = " ".join([candidate.why, *notes])
            candidate = replace(candidate, score=candidate.score + bonus, why=why)
        focused.append(candidate)
    return focused
