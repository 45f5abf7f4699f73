"""ADD candidates.

Two sources: parts the paper says its method does without ("no memory bank is used", "neither ...
nor a momentum encoder"), which reviewers ask to see added back because the paper claims they are
not needed; and standard parts a method leaves out, proposed only when the paper clearly has none
of them (the words are absent from the whole paper view) and they clearly apply. The latter rank
below every other family.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ablab.planners.heuristic_candidates import Candidate
from ablab.schema import Ablation, Action, Analysis


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    part: str
    replacement: tuple[str, ...]
    applies: re.Pattern[str]
    """Words showing the part is relevant to this paper (lower case, matched on lower-cased
    text without ``re.IGNORECASE``, which is much faster on a whole paper)."""
    absent: re.Pattern[str]
    """Words whose presence anywhere means the paper already has (or discusses) the part."""
    rationale: str
    score: float


_RULES: tuple[_Rule, ...] = (
    _Rule(
        "Add explicit regularization",
        "regularization (none stated)",
        ("weight decay", "dropout"),
        re.compile(
            r"small (?:data|datasets?|training sets?)|limited (?:labeled )?data|few-shot|"
            r"low-data|data-scarce|limited, imbalanced"
        ),
        re.compile(r"regulari[sz]|dropout|weight[- ]decay|early stopping"),
        "The method targets a small-data regime but states no regularization; adding standard "
        "regularization shows whether its gains survive against a better-regularized baseline.",
        2.5,
    ),
    _Rule(
        "Add data augmentation",
        "data augmentation (none stated)",
        ("random resized crop and horizontal flip", "colour jitter"),
        re.compile(r"image|pixel|visual|cnn|vit\b"),
        re.compile(r"augment"),
        "An image model trained without augmentation is an easy baseline to beat; adding "
        "standard augmentation checks that the improvement is not just a regularization effect.",
        2.0,
    ),
    _Rule(
        "Add normalization layers",
        "normalization layers (none stated)",
        ("LayerNorm", "BatchNorm"),
        re.compile(r"mlp|transformer|encoder|projection head"),
        re.compile(r"normali[sz]|layernorm|batchnorm|groupnorm|rmsnorm| norm\b"),
        "The architecture states no normalization; adding a standard normalization layer "
        "checks whether the method's benefit remains once training is stabilised.",
        1.5,
    ),
    _Rule(
        "Add learning-rate warm-up",
        "learning-rate schedule (no warm-up stated)",
        ("linear warm-up over the first 5% of training",),
        re.compile(r"transformer|vit\b|attention"),
        re.compile(r"warm-?up"),
        "Transformer training is usually sensitive to warm-up; adding it checks whether the "
        "reported behaviour depends on an unstable optimisation.",
        1.0,
    ),
)


def addition_candidates(text: str) -> list[Candidate]:
    """ADD candidates for standard parts that ``text`` (the paper view) never mentions."""
    candidates = []
    lower = text.lower()
    for rule in _RULES:
        if not rule.applies.search(lower) or rule.absent.search(lower):
            continue
        ablation = Ablation(
            name=rule.name,
            ablated_part=rule.part,
            action=Action.ADD,
            replacement=list(rule.replacement),
            rationale=rule.rationale,
        )
        why = f"{rule.rationale} (The paper never mentions it.)"
        candidates.append(
            # a generic part the paper never mentions: a guess, never sound enough to plan alone
            Candidate(ablation, rule.score, "add", rule.part, rule.part.split(" (")[0], why, 0.15)
        )
    return candidates


ABSENT_PART_SCORE = 4.5
"""Score of adding back a part the paper says it does without (author mode)."""
ABSENT_PART_REVIEWER_BONUS = 1.5
"""Added in reviewer mode: "you claim X is not needed; show it" is a typical review request."""


def article(name: str) -> str:
    """``a`` or ``an`` before ``name``."""
    return "an" if name[:1].lower() in "aeiou" else "a"


def absent_part_candidates(analysis: Analysis, reviewer: bool) -> list[Candidate]:
    """ADD each standard part the paper says its method does without."""
    candidates = []
    for rank, part in enumerate(analysis.absent_parts):
        name = part.name
        quote = part.evidence[0].quote if part.evidence else ""
        rationale = (
            f"The paper states that its method does without {article(name)} {name}; adding it "
            "back tests whether it is really unnecessary or would still improve the results."
        )
        ablation = Ablation(
            name=f"Add {article(name)} {name}",
            ablated_part=name,
            action=Action.ADD,
            replacement=[name],
            rationale=rationale,
            evidence=part.evidence[:1],
        )
        why = f'{rationale} (the paper: "{quote}")' if quote else rationale
        score = ABSENT_PART_SCORE + (ABSENT_PART_REVIEWER_BONUS if reviewer else 0.0) - 0.2 * rank
        # Adding back a part the paper does without is a fair question, but on the real-paper
        # corpus no such item was rated good by careful readers (the "part" is often the
        # method's own module under another name, or something it never needed): a candidate
        # that never fills a plan on its own.
        confidence = 0.4
        candidates.append(Candidate(ablation, score, "add", name.lower(), name, why, confidence))
    return candidates
