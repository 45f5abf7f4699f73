"""Acronym definitions: ``Cross-View Consistency Module (CVCM)`` -> CVCM = Cross-View ...

The expansion is found with the classic Schwartz-Hearst idea: walk the acronym's letters backwards
through the words before the parenthesis; the first letter must start a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "(CVCM)", "(APMs)", "(ViT-S)": at least two capitals, short, no spaces.
_PAREN_ACRONYM = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9-]{1,11})\s*\)")
_SPLIT_CLAUSE = re.compile(r"[,;:()\[\]]")


@dataclass(frozen=True, slots=True)
class AcronymDefinition:
    """An acronym defined in a sentence."""

    acronym: str
    expansion: str
    start: int
    """Offset of the expansion in the sentence."""
    end: int
    """Offset just after the closing parenthesis."""


def is_acronym(token: str) -> bool:
    """Whether ``token`` looks like an acronym (two or more capitals, few lower-case letters)."""
    core = token[:-1] if token.endswith("s") and token[:-1].isupper() else token
    capitals = sum(c.isupper() for c in core)
    lowers = sum(c.islower() for c in core)
    return capitals >= 2 and lowers <= capitals and core[0].isalpha()


def _letters(acronym: str) -> str:
    core = acronym[:-1] if acronym.endswith("s") and acronym[:-1].isupper() else acronym
    return "".join(c.lower() for c in core if c.isalnum())


def _expansion(before: str, acronym: str) -> str | None:
    """The shortest tail of ``before`` whose word starts spell the acronym, or None."""
    letters = _letters(acronym)
    words = before.split()
    window = " ".join(words[-min(len(letters) + 5, 2 * len(letters) + 1) :])
    si = len(window) - 1
    for ai in range(len(letters) - 1, -1, -1):
        char = letters[ai]
        while si >= 0:
            here = window[si].lower() == char
            at_word_start = si == 0 or not window[si - 1].isalnum()
            if here and (ai > 0 or at_word_start):
                break
            si -= 1
        if si < 0:
            return None
        si -= 1
    start = window.rfind(" ", 0, si + 1) + 1
    # Markup and quotes before the first word ("**Next sentence prediction (NSP)") are not part
    # of the name.
    expansion = window[start:].strip().lstrip("*_`~\"'“‘")
    n_words = len(expansion.split())
    if n_words < 2 and "-" not in expansion:
        return None
    if n_words > len(letters) + 2:
        return None
    return expansion


def find_definitions(sentence: str) -> list[AcronymDefinition]:
    """Acronyms defined in ``sentence`` as ``Expansion Words (ACR)``."""
    found: list[AcronymDefinition] = []
    for match in _PAREN_ACRONYM.finditer(sentence):
        acronym = match.group(1)
        if not is_acronym(acronym):
            continue
        # Only look back to the previous clause boundary: "..., a Token Relevance Gate (TRG)".
        before = sentence[: match.start()]
        cut = max((m.end() for m in _SPLIT_CLAUSE.finditer(before)), default=0)
        clause = before[cut:]
        expansion = _expansion(clause, acronym)
        if expansion is None:
            continue
        start = match.start() - len(clause) + clause.rfind(expansion)
        found.append(AcronymDefinition(acronym, expansion, start, match.end()))
    return found
