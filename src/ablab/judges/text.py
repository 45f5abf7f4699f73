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

from ablab.judges.vocabulary import (
    ABBREVIATIONS,
    GENERIC_WEIGHT,
    GENERIC_WORDS,
    GREEK_LETTERS,
    HEAD_BREAKS,
    PHRASE_SYNONYMS,
    STOPWORDS,
    WORD_SYNONYMS,
)

Terms = dict[str, float]
"""Word stem -> weight."""

_TOKEN_RE = re.compile(r"\d+(?:\.\d+)?(?:/\d+)?|[a-z][a-z0-9]*")
_ACRONYM_RE = re.compile(r"\(([A-Za-z][A-Za-z0-9\-]{1,11})s?\)")
_MAX_PHRASE = max(len(key.split()) for key in PHRASE_SYNONYMS)
_STEMMER = snowballstemmer.stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-case word and number tokens; Greek letters spelled out, ``w/o`` read as ``without``."""
    text = text.lower()
    for letter, name in GREEK_LETTERS.items():
        text = text.replace(letter, f" {name} ")
    text = text.replace("w/o", " without ")
    text = re.sub(
        r"[_\-–—]|(?<!\d)/|/(?!\d)", " ", text
    )  # stop-gradient -> stop gradient; keep 1/255
    return _TOKEN_RE.findall(text)


def _long_form(short: str, preceding: str) -> str | None:
    """The words before an acronym that spell it (after Schwartz & Hearst, 2003), or None."""
    letters = [c.lower() for c in short if c.isalnum()]
    words = preceding.split()[-min(len(letters) + 5, 2 * len(letters)) :]
    candidate = " ".join(words)
    position = len(candidate) - 1
    for index in range(len(letters) - 1, -1, -1):
        char = letters[index]
        while position >= 0 and (
            candidate[position].lower() != char
            or (index == 0 and position > 0 and candidate[position - 1].isalnum())
        ):
            position -= 1
        if position < 0:
            return None
        position -= 1
    start = candidate.rfind(" ", 0, position + 1) + 1
    long_form = candidate[start:].strip(" ,;:")
    if len(long_form) <= len(short) or not long_form[0].isalpha():
        return None
    return long_form


def find_acronyms(text: str) -> dict[str, str]:
    """Acronyms a text defines as ``Long Form (LF)``, lower-cased: ``{"gni": "geometric ..."}``."""
    found: dict[str, str] = {}
    for match in _ACRONYM_RE.finditer(text):
        short = match.group(1)
        if sum(c.isupper() for c in short) < 2:
            continue
        preceding = text[max(0, match.start() - 200) : match.start()]
        preceding = re.split(r"[.;:()\[\]]", preceding)[-1]
        long_form = _long_form(short, preceding)
        if long_form:
            found.setdefault(short.lower().replace("-", ""), long_form.lower())
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
