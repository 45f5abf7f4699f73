"""The offline matcher: a deterministic similarity between two ablations and the matching rule.

Score of a pair = similarity of what is ablated (ablated part, plus informative words of the name)
x action compatibility + a bonus for shared replacement options. Pairs scoring at least
``MatcherSettings.threshold`` match; matches may be many-to-one in both directions.

Action compatibility:

- same action -> 1;
- REMOVE X vs REPLACE X whose options include taking X out (``no X``, ``without X``, ``Y only``)
  -> 1, otherwise ``remove_vs_replace`` (the same part is still being questioned);
- ADD vs REPLACE -> 1 when they share an option, otherwise ``add_vs_replace``;
- ADD vs REMOVE -> ``add_vs_remove``.

The thresholds were calibrated on the calibration half of the hand-labelled agreement set
(``tests/fixtures/datasets/matcher-labels.jsonl``); ``bench/judge_agreement.py`` reports the
agreement on both halves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ablab.matching.match import Match
from ablab.matching.text import Terms, containment, dice, split_head, terms, tokenize
from ablab.matching.vocabulary import ONLY_MARKERS, REMOVAL_MARKERS
from ablab.schema import Ablation, Action


@dataclass(frozen=True)
class MatcherSettings:
    """Tunable constants of the offline matcher (defaults are the calibrated values)."""

    threshold: float = 0.45
    """Minimum pair score for a match."""
    name_weight: float = 0.8
    """Weight of name words that the ablated part does not already contain."""
    tail_weight: float = 0.6
    """Weight of ablated-part words after the head (``... for the perturbation``)."""
    margin: float = 0.2
    """A pair more than this below the best score of its row or of its column is dropped, so
    that an item matching one partner well does not also match that partner's neighbours."""
    remove_vs_replace: float = 0.85
    """Action factor for REMOVE X vs REPLACE X without a removal option."""
    add_vs_replace: float = 0.8
    """Action factor for ADD vs REPLACE without a shared option."""
    add_vs_remove: float = 0.7
    """Action factor for ADD vs REMOVE."""
    option_bonus: float = 0.15
    """Added to the score, times the share of options the two ablations have in common."""
    option_match: float = 0.6
    """Dice similarity above which two replacement options count as the same."""


DEFAULT_SETTINGS = MatcherSettings()
"""The calibrated settings."""


@dataclass(frozen=True)
class Profile:
    """An ablation reduced to what the matcher compares."""

    action: Action
    """The ablation's action."""
    descriptor: Terms
    """Weighted terms of the ablated part and the informative words of the name."""
    options: tuple[Terms, ...]
    """Terms of each replacement option."""
    removes: bool
    """True for REMOVE, and for REPLACE/ADD with an option that takes the part out."""


@dataclass(frozen=True)
class PairScore:
    """The parts of one pair's score."""

    score: float
    """Final score compared with the threshold."""
    part: float
    """Similarity of what is ablated."""
    action: float
    """Action compatibility factor."""
    options: float
    """Share of replacement options in common."""

    def reason(self) -> str:
        """One-line explanation of the score."""
        return (
            f"part similarity {self.part:.2f} x action {self.action:.2f}"
            f" + shared options {self.options:.2f} = {self.score:.2f}"
        )


def _name_terms(name: str, acronyms: Mapping[str, str] | None) -> Terms:
    # Numbers in names are ranks ("Ablation 3"), not content.
    return {k: w for k, w in terms(name, acronyms).items() if not k[0].isdigit()}


def _takes_out(option: str) -> bool:
    words = set(tokenize(option))
    return bool(words & REMOVAL_MARKERS or words & ONLY_MARKERS)


def profile(
    ablation: Ablation,
    acronyms: Mapping[str, str] | None = None,
    settings: MatcherSettings = DEFAULT_SETTINGS,
) -> Profile:
    """Reduce an ablation to the terms the matcher compares."""
    head, tail = split_head(ablation.ablated_part)
    descriptor = terms(head, acronyms)
    for key, weight in terms(tail, acronyms).items():
        descriptor[key] = max(descriptor.get(key, 0.0), weight * settings.tail_weight)
    for key, weight in _name_terms(ablation.name, acronyms).items():
        descriptor.setdefault(key, weight * settings.name_weight)
    options = tuple(terms(option, acronyms) for option in ablation.replacement or [])
    removes = ablation.action is Action.REMOVE or any(
        _takes_out(option) for option in ablation.replacement or []
    )
    return Profile(ablation.action, descriptor, options, removes)


def _shared_options(a: Profile, b: Profile, settings: MatcherSettings) -> float:
    if not a.options or not b.options:
        return 0.0
    smaller, larger = sorted((a.options, b.options), key=len)
    shared = sum(any(dice(x, y) >= settings.option_match for y in larger) for x in smaller)
    return shared / len(smaller)


def _action_factor(a: Profile, b: Profile, options: float, settings: MatcherSettings) -> float:
    if a.action is b.action:
        return 1.0
    kinds = {a.action, b.action}
    if kinds == {Action.REMOVE, Action.REPLACE}:
        return 1.0 if a.removes and b.removes else settings.remove_vs_replace
    if kinds == {Action.ADD, Action.REPLACE}:
        return 1.0 if options > 0 else settings.add_vs_replace
    return settings.add_vs_remove


def score_pair(a: Profile, b: Profile, settings: MatcherSettings = DEFAULT_SETTINGS) -> PairScore:
    """Score how well two profiled ablations describe the same experiment."""
    part = 0.5 * dice(a.descriptor, b.descriptor) + 0.5 * containment(a.descriptor, b.descriptor)
    options = _shared_options(a, b, settings)
    action = _action_factor(a, b, options, settings)
    score = min(1.0, part * action + settings.option_bonus * options)
    return PairScore(score=score, part=part, action=action, options=options)


def match_ablations(
    reference: Sequence[Ablation],
    plan: Sequence[Ablation],
    acronyms: Mapping[str, str] | None = None,
    settings: MatcherSettings = DEFAULT_SETTINGS,
) -> list[Match]:
    """Pairs that reach the threshold and are near the best of their row and of their column.

    Returned in reference order, then plan order.
    """
    matrix = score_matrix(reference, plan, acronyms, settings)
    return [
        Match(reference=i, plan=j, score=round(pair.score, 4), reason=pair.reason())
        for i, j in accepted_pairs(matrix, settings)
        for pair in [matrix[i][j]]
    ]


def accepted_pairs(
    matrix: Sequence[Sequence[PairScore]], settings: MatcherSettings = DEFAULT_SETTINGS
) -> list[tuple[int, int]]:
    """The (row, column) pairs of a score matrix that the matching rule accepts."""
    if not matrix or not matrix[0]:
        return []
    row_best = [max(p.score for p in row) for row in matrix]
    col_best = [max(row[j].score for row in matrix) for j in range(len(matrix[0]))]
    return [
        (i, j)
        for i, row in enumerate(matrix)
        for j, pair in enumerate(row)
        if pair.score >= settings.threshold
        and (
            pair.score >= row_best[i] - settings.margin
            and pair.score >= col_best[j] - settings.margin
        )
    ]


def score_matrix(
    reference: Sequence[Ablation],
    plan: Sequence[Ablation],
    acronyms: Mapping[str, str] | None = None,
    settings: MatcherSettings = DEFAULT_SETTINGS,
) -> list[list[PairScore]]:
    """All pair scores, ``[reference index][plan index]`` (for calibration and clustering)."""
    ref_profiles = [profile(a, acronyms, settings) for a in reference]
    plan_profiles = [profile(a, acronyms, settings) for a in plan]
    return [[score_pair(r, p, settings) for p in plan_profiles] for r in ref_profiles]
