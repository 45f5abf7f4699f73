"""Design choices with standard alternatives (KL divergence -> JS divergence, L2, cosine, ...).

The entries of :mod:`ablab.analysis.alternatives` are matched through a trigger-word
:class:`~ablab.analysis.vocab.Vocabulary`, so only the few relevant patterns run per sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ablab.analysis.alternatives import DESIGN_ENTRIES, DesignEntry
from ablab.analysis.negation import negation_at
from ablab.analysis.sentences import EvidenceKeeper, Sentence
from ablab.analysis.terms import STOPWORDS, VERBS, repeats, shares_word
from ablab.analysis.vocab import Vocabulary
from ablab.schema import Component, DesignChoice, SectionRole

DESIGN_VOCAB = Vocabulary([(e.pattern, e.triggers) for e in DESIGN_ENTRIES])
"""Finds every known design choice; a match's ``entry`` indexes ``DESIGN_ENTRIES``."""

_HEAD = (
    r"(?:loss|objective|term|module|layer|block|head|encoder|decoder|network|branch|gate|memory|"
    r"regularizer|regulariser|attention|mechanism|stage|step|alignment|distance|similarity|"
    r"assignment|pooling|fusion|classifier|predictor|projector|mask|features?|representations?|"
    r"embeddings?|distributions?|outputs?|logits|training|optimization|optimisation|updates?)"
)
# "... for the consistency loss", "... in the feature misalignment loss"
# Said after the mention: the sentence rules the choice out for this method.
_DISMISSED = re.compile(
    r"\b(?:(?:is|are)\s+not\s+(?:applicable|suitable|appropriate|feasible)|"
    r"cannot\s+be\s+(?:applied|used)|do(?:es)?\s+not\s+(?:apply|transfer))\b",
    re.IGNORECASE,
)
_USED_FOR_AFTER = re.compile(
    rf"^[^.;]{{0,40}}?\b(?:for|in|of|inside|within|as)\s+(?:the|our|each|every|a|an)\s+"
    rf"((?:[\w-]+\s+){{0,3}}?{_HEAD})\b",
    re.IGNORECASE,
)
_WEIGHTS = {
    SectionRole.METHOD: 3.0,
    SectionRole.ABSTRACT: 1.0,
    SectionRole.INTRODUCTION: 1.0,
    SectionRole.OTHER: 1.5,
    SectionRole.BACKGROUND: 0.5,
    SectionRole.APPENDIX: 1.0,
    SectionRole.EXPERIMENTS: 0.5,
    SectionRole.CONCLUSION: 0.5,
}
"""How much a mention in each role says that the method really makes the choice (related work,
results, ablations and discussion describe other methods, variants or future work)."""

_LOSS_CATEGORIES = frozenset({"divergence", "distance"})
# Choices about the whole training run: a nearby component name says nothing about their use.
_GLOBAL_CATEGORIES = frozenset(
    {"schedule", "optimizer", "pretraining", "augmentation", "architecture"}
)
_LOSS_PHRASE = re.compile(
    r"\b((?:[a-z][\w-]*\s+){1,3}(?:loss|objective|regularizer|regulariser|penalty))\b",
    re.IGNORECASE,
)


def _loss_phrase(text: str, position: int) -> str | None:
    """The loss named closest to ``position`` in the sentence ("a feature misalignment loss")."""
    best: tuple[int, str] | None = None
    for match in _LOSS_PHRASE.finditer(text):
        words = match.group(1).split()
        while words and (words[0].lower() in STOPWORDS or words[0].lower() in VERBS):
            words.pop(0)
        if len(words) < 2 or DESIGN_VOCAB.first(match.group(1)) or not _is_phrase(" ".join(words)):
            continue
        distance = abs(match.start() - position)
        if best is None or distance < best[0]:
            best = (distance, " ".join(words))
    return best[1] if best else None


def _is_phrase(text: str) -> bool:
    """Whether ``text`` reads as a noun phrase: no function words or verbs inside it."""
    return not any(w.lower() in STOPWORDS or w.lower() in VERBS for w in text.split())


def _names_itself(used_for: str, choice: str, written: str) -> bool:
    """Whether a candidate use is the choice itself ("multi-head attention" in the "multi-head
    self-attention"), which would make a name like "X in the X"."""
    return any(repeats(used_for, name) or shares_word(used_for, name) for name in (choice, written))


ComponentFinder = Callable[[str, int], str | None]
"""Returns the component named in a text near an offset, or None."""


@dataclass
class _Found:
    entry: DesignEntry
    choice: str
    first_index: int
    weight: float = 0.0
    in_method: bool = False
    """Stated in a method-like section (not only in the abstract or introduction)."""
    absent: Sentence | None = None
    """A sentence saying the method does without the choice ("no memory bank", "without X")."""
    written: str = ""
    """The paper's own words for the choice, from the sentence saying it is absent."""
    used_for: str | None = None
    used_for_explicit: bool = False
    evidence: EvidenceKeeper = field(default_factory=lambda: EvidenceKeeper(3))


_METHOD_LIKE = frozenset(
    {SectionRole.METHOD, SectionRole.OTHER, SectionRole.APPENDIX, SectionRole.BACKGROUND}
)


@dataclass
class DesignFindings:
    """Design choices the method makes, and standard ones it says it does without."""

    choices: list[DesignChoice]
    """Choices the method makes, most worth ablating first."""
    absent: list[Component]
    """Standard techniques the paper says its method does without ("no memory bank",
    "neither ... nor a momentum encoder"), named with the paper's words."""


def find_design_choices(
    sentences: Sequence[Sentence],
    component_in: ComponentFinder | None = None,
    section_component: Callable[[Sentence], str | None] | None = None,
) -> list[DesignChoice]:
    """Design choices the method makes, most worth ablating first (see :func:`find_design`)."""
    return find_design(sentences, component_in, section_component).choices


def find_design(
    sentences: Sequence[Sentence],
    component_in: ComponentFinder | None = None,
    section_component: Callable[[Sentence], str | None] | None = None,
) -> DesignFindings:
    """Design choices the method makes, and the ones it says it does without.

    ``component_in`` finds a component named near the choice and ``section_component`` the
    component a section is about; both give ``used_for`` when the sentence does not say it.
    A choice mentioned only with a negation ("no X", "replaces X with Y") is not made; one
    mentioned only in the abstract or introduction while the paper has a method section is
    background ("diffusion models mostly use U-Nets"), not a choice.
    """
    found: dict[str, _Found] = {}
    has_method = False
    for sentence in sentences:
        weight = _WEIGHTS.get(sentence.role)
        if weight is None:
            continue  # related work, results and ablations describe other methods or variants
        has_method = has_method or sentence.role is SectionRole.METHOD
        text = sentence.text
        for match in DESIGN_VOCAB.find(text):
            entry = DESIGN_ENTRIES[match.entry]
            choice = entry.name or match.text.strip()
            key = choice.lower()
            item = found.get(key)
            if item is None:
                item = found[key] = _Found(entry, choice, sentence.index)
            if _DISMISSED.search(text, match.end):
                continue  # "X, such as color jitter [cite], are not applicable to events"
            negation = negation_at(text, match.start)
            if negation is not None:
                if negation == "absent" and item.absent is None:
                    item.absent, item.written = sentence, match.text.strip()
                continue
            item.weight += weight
            item.in_method = item.in_method or sentence.role in _METHOD_LIKE
            item.evidence.add(sentence, match.start, match.end)
            if item.used_for_explicit or entry.category in _GLOBAL_CATEGORIES:
                continue  # whole-run choices (optimiser, backbone) are not "used for" one part
            after = _USED_FOR_AFTER.match(text[match.end :])
            if after and not _is_phrase(after.group(1)):
                after = None  # "to clipping is a penalty": a clause, not the name of a part
            if after and not _names_itself(after.group(1), choice, match.text):
                item.used_for, item.used_for_explicit = after.group(1), True
            elif item.used_for is None:
                near = component_in(text, match.start) if component_in else None
                if entry.category in _LOSS_CATEGORIES:
                    near = _loss_phrase(text, match.start) or near
                near = near or (section_component(sentence) if section_component else None)
                if near is not None and not _names_itself(near, choice, match.text):
                    item.used_for = near
    made = [f for f in found.values() if f.weight > 0 and (f.in_method or not has_method)]
    refined = {f.entry.specialises for f in made if f.entry.specialises}
    made = [f for f in made if f.choice not in refined]
    ranked = sorted(
        made, key=lambda f: (-(f.entry.weight + min(f.weight, 6.0) / 2), f.first_index, f.choice)
    )
    choices = [
        DesignChoice(
            choice=f.choice,
            category=f.entry.category,
            alternatives=[a for a in f.entry.alternatives if a.lower() != f.choice.lower()],
            used_for=f.used_for,
            evidence=f.evidence.result(),
        )
        for f in ranked
    ]
    absent = [
        Component(name=f.written, kind="other", evidence=[f.absent.evidence()])
        for f in sorted(found.values(), key=lambda f: f.first_index)
        if f.weight == 0 and f.absent is not None
    ]
    return DesignFindings(choices, absent)
