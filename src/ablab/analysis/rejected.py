"""Alternatives the paper names and turns down: "Instead of predicting the posterior mean
directly, the network predicts the noise" in a subsection titled "Noise prediction
parameterization".

The paper has told us what its choice competes with, so comparing the two is the ablation to run.
The choice is named by the method subsection it is made in; subsections with vague titles
("Training details") or titles naming several things ("Encoder and decoder") are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ablab.analysis.sentences import Sentence
from ablab.analysis.terms import STOPWORDS, word_set, words
from ablab.schema import DesignChoice, SectionRole

# "instead of X," / "rather than X," / "replaces X with ...": X is the turned-down alternative.
_REJECTED = re.compile(
    r"\b(?:[Ii]nstead of|[Rr]ather than)\s+(?P<alternative>[^,.;:()]{3,80}?)"
    r"(?=\s*\(|,|;|\.(?:\s|$)|$)"
    r"|\breplac(?:e|es|ing)\s+(?:the\s+|a\s+|an\s+)?(?P<replaced>[^,.;:()]{3,80}?)"
    r"(?:\s*\([^)]*\))?\s+with\b"
)
_VAGUE_TITLE_WORDS = word_set(
    """
    method methods model models architecture architectures overview details detail training
    implementation setup framework approach preliminaries background notation network networks
    experiments analysis pipeline summary objective loss formulation algorithm
    """
)
_MIN_WORDS, _MAX_WORDS = 2, 5


def _names_one_part(title: str) -> bool:
    tokens = [t.lower() for t in words(title)]
    if not _MIN_WORDS <= len(tokens) <= _MAX_WORDS or any(t.isdigit() for t in tokens):
        return False
    if any(t in STOPWORDS for t in tokens):  # "and", "with", "as", "of": several things
        return False
    return not all(t in _VAGUE_TITLE_WORDS for t in tokens)


def find_rejected_alternatives(sentences: Sequence[Sentence]) -> list[DesignChoice]:
    """One design choice per method subsection that names the alternative it turns down."""
    found: dict[str, DesignChoice] = {}
    for sentence in sentences:
        if sentence.role is not SectionRole.METHOD or not sentence.section_id:
            continue
        title = sentence.section_title
        if title in found or not _names_one_part(title):
            continue
        match = _REJECTED.search(sentence.text)
        if match is None:
            continue
        alternative = (match.group("alternative") or match.group("replaced")).strip()
        if len(words(alternative)) < 2:
            continue
        found[title] = DesignChoice(
            choice=title,
            category="other",
            alternatives=[alternative],
            evidence=[sentence.evidence(*match.span())],
        )
    return list(found.values())
