"""Text normalisation for the offline matcher: tokens, acronyms, synonyms, stems, weighted terms.

A piece of text becomes ``Terms``: a mapping from word stem to weight (1 for content words,
``GENERIC_WEIGHT`` for words such as "module" or "strategy"). Two ``Terms`` are compared with
weighted Dice and containment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import snowballstemmer

from ablab.analysis.acronyms import find_definitions
from ablab.analysis.symbols import GREEK
from ablab.matching.vocabulary import (
    ABBREVIATIONS,
    GENERIC_WEIGHT,
    GENERIC_WORDS,
    GREEK_VARIANTS,
    HEAD_BREAKS,
    PHRASE_SYNONYMS,
    STOPWORDS,
    WORD_SYNONYMS,
)

Terms = dict[str, float]
"""Word stem -> weight."""

_TOKEN_RE = re.compile(r"\d+(?:\.\d+)?(?:/\d+)?|[a-z][a-z0-9]*")
_GREEK_NAMES = {
    letter: name for name, letter in GREEK.items() if name.islower() and not name.startswith("var")
} | GREEK_VARIANTS
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_MAX_PHRASE = max(len(key.split()) for key in PHRASE_SYNONYMS)
_STEMMER = snowballstemmer.stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-case word and number tokens; Greek letters spelled out, ``w/o`` read as ``without``."""
    text = text.lower()
    for letter, name in _GREEK_NAMES.items():
        text = text.replace(letter, f" {name} ")
    text = text.replace("w/o", " without ")
    text = re.sub(
        r"[_\-–—]|(?<!\d)/|/(?!\d)", " ", text
    )  # stop-gradient -> stop gradient; keep 1/255
    return _TOKEN_RE.findall(text)


def find_acronyms(text: str) -> dict[str, str]:
    """Acronyms a text defines as ``Long Form (LF)``, lower-cased: ``{"gni": "geometric ..."}``.

    Uses the analyzer's acronym finder sentence by sentence.
    """
    found: dict[str, str] = {}
    for sentence in _SENTENCE_END.split(text):
        for definition in find_definitions(sentence):
            acronym = definition.acronym
            if acronym.endswith("s") and acronym[:-1].isupper():  # plural: "APMs"
                acronym = acronym[:-1]
            found.setdefault(acronym.lower().replace("-", ""), definition.expansion.lower())
    return found


def _fold_phrases(tokens: list[str]) -> list[str]:
    """Replace multi-word variants (longest first) with their canonical spelling."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(_MAX_PHRASE, len(tokens) - i), 1, -1):
            phrase = " ".join(tokens[i : i + size])
            if phrase in PHRASE_SYNONYMS:
                out.extend(PHRASE_SYNONYMS[phrase].split())
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def canonical_words(text: str, acronyms: Mapping[str, str] | None = None) -> list[str]:
    """Tokens with acronyms expanded and synonyms folded (stopwords still present)."""
    expanded: list[str] = []
    for token in tokenize(text):
        expansion = (acronyms or {}).get(token) or ABBREVIATIONS.get(token)
        expanded.extend(tokenize(expansion) if expansion else [token])
    folded = _fold_phrases(expanded)
    return [WORD_SYNONYMS.get(token, token) for token in folded]


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """Snowball English stem of one lower-case word (numbers unchanged)."""
    if word[0].isdigit():
        return word
    return str(_STEMMER.stemWord(word))


def terms(text: str, acronyms: Mapping[str, str] | None = None) -> Terms:
    """Weighted stems of the content words of ``text``."""
    weights: Terms = {}
    for word in canonical_words(text, acronyms):
        if word in STOPWORDS:
            continue
        weight = GENERIC_WEIGHT if word in GENERIC_WORDS else 1.0
        key = stem(word)
        weights[key] = max(weights.get(key, 0.0), weight)
    return weights


def split_head(text: str) -> tuple[str, str]:
    """Split a noun phrase at its first linking word: ``("step size", "for the perturbation")``.

    The whole text is the head when no linking word follows its first word.
    """
    words = text.split()
    for index, word in enumerate(words[1:], start=1):
        if word.lower().strip(",;:()") in HEAD_BREAKS:
            return " ".join(words[:index]), " ".join(words[index:])
    return text, ""


def mass(items: Terms) -> float:
    """Total weight of a set of terms."""
    return sum(items.values())


def shared_mass(a: Terms, b: Terms) -> float:
    """Weight of the terms two sets share (the smaller weight of each shared term)."""
    return sum(min(weight, b[key]) for key, weight in a.items() if key in b)


def dice(a: Terms, b: Terms) -> float:
    """Weighted Dice coefficient in [0, 1] (0 when either side is empty)."""
    total = mass(a) + mass(b)
    return 2 * shared_mass(a, b) / total if total else 0.0


def containment(a: Terms, b: Terms) -> float:
    """Share of the smaller side's weight found in the other side, in [0, 1]."""
    smaller = min(mass(a), mass(b))
    return shared_mass(a, b) / smaller if smaller else 0.0
