"""Alternatives the paper names itself: the ones it turns down ("Instead of predicting the
posterior mean directly, the network predicts the noise"), the ones it also tried ("we also
experimented with learned positional embeddings instead") and the ones it offers ("another
approach, which can be used as an alternative to the clipped surrogate objective, is to use a
penalty on KL divergence").

The paper has told us what its choice competes with, so comparing the two is the ablation to run
(and often the one the paper reports). The choice is what the sentence names, else the method
subsection it is made in; subsections with vague titles ("Training details") or titles naming
several things ("Encoder and decoder") are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ablab.analysis.sentences import Sentence
from ablab.analysis.terms import STOPWORDS, word_set, words
from ablab.schema import DesignChoice, SectionRole

_PHRASE = r"[^,.;:()\[\]]{3,80}?"
_CITATION = r"(?:\s*\[[^\]]{1,40}\])?"
# "instead of X," / "rather than X,": X is the turned-down alternative.
_INSTEAD_OF = re.compile(
    rf"\b(?:[Ii]nstead of|[Rr]ather than)\s+(?P<alternative>{_PHRASE}){_CITATION}"
    r"(?=\s*\(|,|;|\.(?:\s|$)|$)"
)
# "replacing X with Y": X is the turned-down alternative of Y.
_REPLACING = re.compile(
    rf"\breplac(?:e|es|ing)\s+(?:the\s+|a\s+|an\s+)?(?P<alternative>{_PHRASE})"
    r"(?:\s*\([^)]*\))?\s+with\b"
)
# "we also experimented with using learned positional embeddings [8] instead (of X)".
_ALSO_TRIED = re.compile(
    r"\b(?:also|additionally|further)\s+(?:tried|experimented\s+with|explored|tested|considered|"
    r"evaluated|compared\s+(?:with|to|against))\s+(?:using\s+|applying\s+)?"
    rf"(?P<alternative>{_PHRASE}){_CITATION}\s+"
    rf"(?:instead(?:\s+of\s+(?:using\s+)?(?P<choice>{_PHRASE})(?=[,.;:()]|\s+and\b|$))?"
    rf"|in\s+place\s+of\s+(?P<choice2>{_PHRASE})(?=[,.;:()]|\s+and\b|$)|as\s+an\s+alternative)"
)
# "Another approach, which can be used as an alternative to X ..., is to use Y".
_ALTERNATIVE_TO = re.compile(
    rf"\bas\s+an\s+alternative\s+to\s+(?:the\s+)?(?P<choice>{_PHRASE})(?=[,.;:()])"
    rf".{{0,80}}?\bis\s+to\s+(?:use\s+|add\s+)?(?P<alternative>{_PHRASE})(?=[,.;:()]|\s+and\b|$)"
)
# A sentence that turns an alternative down says what the method does instead.
_METHOD_ACTS = re.compile(
    r"\b(?:[Ww]e|[Oo]ur|use[sd]?|using|adopt\w*|employ\w*|appl(?:y|ies|ied)|predict\w*|"
    r"comput\w+|learn\w*|choose|chose|opt|train\w*|defin\w+|parameteri[sz]\w+|model(?:s|ed))\b"
)
_NOTATION = re.compile(
    r"\bnotations?\b|\bdenot\w*|\bwe write\b|\b(?:lower|upper)[- ]?case\b|\bboldface\b",
    re.IGNORECASE,
)
_CHOSEN_BEFORE = re.compile(
    r"\b(?:use[sd]?|using|adopt\w*|employ\w*|appl(?:y|ies|ied)|predicts?|computes?|"
    r"perform\w*|choose|chose|learns?|takes?)\s+(?:computation\s+for\s+)?"
    rf"(?P<choice>{_PHRASE})(?:\s*\([^)]*\))*\s*,?\s*$"
)
_VAGUE_TITLE_WORDS = word_set(
    """
    method methods model models architecture architectures overview details detail training
    implementation setup framework approach preliminaries background notation network networks
    experiments analysis pipeline summary objective loss formulation algorithm
    """
)
_LEADING = re.compile(r"^(?:using|use|a|an|the|to|performing|applying)\s+", re.IGNORECASE)
_MIN_WORDS, _MAX_WORDS = 2, 5


# Titles of sections about the method rather than of one of its parts ("Gradient Analysis").
_NOT_A_PART_TITLE = word_set(
    "analysis discussion motivation intuition theory proof proofs overview preliminaries "
    "notation setup details complexity properties comparison remarks intuitions derivation"
)


def _names_one_part(title: str) -> bool:
    tokens = [t.lower() for t in words(title)]
    if not _MIN_WORDS <= len(tokens) <= _MAX_WORDS or any(t.isdigit() for t in tokens):
        return False
    if tokens[-1] in _NOT_A_PART_TITLE:
        return False
    if any(t in STOPWORDS for t in tokens):  # "and", "with", "as", "of": several things
        return False
    return not all(t in _VAGUE_TITLE_WORDS for t in tokens)


def _shares_stem(title: str, alternative: str) -> bool:
    """Whether a section title and an alternative share a word stem ("Shifted window attention"
    and "global self-attention"; "Noise prediction" and "predicting the mean")."""

    def stems(text: str) -> set[str]:
        return {p.lower()[:5] for w in words(text) for p in w.split("-") if len(p) > 3}

    return bool(stems(title) & stems(alternative))


def _clean(phrase: str | None) -> str:
    """A phrase without leading articles and verbs ("using learned positional embeddings")."""
    text = (phrase or "").strip()
    while True:
        shorter = _LEADING.sub("", text)
        if shorter == text:
            return text
        text = shorter


def _named(sentence: Sentence) -> tuple[str | None, str, re.Match[str]] | None:
    """(choice or None, alternative, match) for the first alternative the sentence names."""
    text = sentence.text
    for pattern in (_ALTERNATIVE_TO, _ALSO_TRIED):
        match = pattern.search(text)
        if match is not None:
            groups = match.groupdict()
            choice = _clean(groups.get("choice") or groups.get("choice2")) or None
            return choice, _clean(match.group("alternative")), match
    for pattern in (_INSTEAD_OF, _REPLACING):
        match = pattern.search(text)
        if match is not None:
            chosen = None
            if pattern is _INSTEAD_OF:
                # "we use a mel-spectrogram instead of a raw waveform": the choice is named
                # right before the cue
                before = _CHOSEN_BEFORE.search(text[: match.start()])
                chosen = _clean(before.group("choice")) if before else None
                if chosen and not _MIN_WORDS - 1 <= len(words(chosen)) <= _MAX_WORDS:
                    chosen = None
            return chosen or None, _clean(match.group("alternative")), match
    return None


def find_rejected_alternatives(sentences: Sequence[Sentence]) -> list[DesignChoice]:
    """One design choice per named choice (or method subsection) whose alternative the paper
    names itself."""
    found: dict[str, DesignChoice] = {}
    for sentence in sentences:
        if sentence.role is not SectionRole.METHOD or not sentence.section_id:
            continue
        if _NOTATION.search(sentence.text):
            continue  # "lower-case letters instead of the matrix notation": how it is written
        named = _named(sentence)
        if named is None:
            continue
        choice, alternative, match = named
        if choice is None:
            title = sentence.section_title
            if title.isupper():
                title = title.capitalize()  # ICLR/ICML-style "PRIOR ENCODER"
            if not _names_one_part(title):
                continue
            if match.re is _INSTEAD_OF and not _METHOD_ACTS.search(sentence.text):
                continue  # "the focus is X rather than Y" describes; it makes no choice
            if not _shares_stem(title, alternative):
                continue  # "Policy optimization" vs "a simple Gaussian": not one question
            choice = title
        if choice in found or len(words(alternative)) < 2 or len(words(choice)) > 8:
            continue
        found[choice] = DesignChoice(
            choice=choice,
            category="other",
            alternatives=[alternative],
            named_by_paper=True,
            evidence=[sentence.evidence(*match.span())],
        )
    return list(found.values())
