"""Decide whether two descriptions name the same ablated part.

Used to recognise a paper's existing ablations: ``w/o CVCM`` and ``Cross-View Consistency Module
(CVCM)`` are the same target, ``weight λ of the prototype loss`` and ``λ = 0.05`` too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ablab.analysis.acronyms import is_acronym
from ablab.analysis.symbols import GREEK_SYMBOL, symbol_key
from ablab.analysis.terms import content_tokens, word_set, words

_GREEK = re.compile(GREEK_SYMBOL)
HYPERPARAMETER_NOUNS = word_set(
    "temperature weight coefficient rate margin factor ratio threshold decay momentum size "
    "dimension number scale parameter hyperparameter penalty strength interval length order "
    "schedule rank multiplier horizon radius budget resolution"
)
"""Words that name a hyperparameter (shared with the hyperparameter extractor)."""

_GENERIC = word_set(
    "module layer loss component block mechanism part network head term objective model "
    "method step stage training data"
)
"""Words too common to identify a part alone."""


@dataclass(frozen=True, slots=True)
class TargetKey:
    """What identifies an ablated part: its symbols, acronyms and content words."""

    symbols: frozenset[str]
    acronyms: frozenset[str]
    tokens: frozenset[str]


# Names of one quantity written two ways: "Depth" (an ablation heading) is the "number of layers".
_SAME_QUANTITY = (
    (re.compile(r"\bnumber of (?:[\w-]+ )?layers\b", re.I), "depth"),
    (re.compile(r"\bhidden (?:size|dimension|width|units)\b", re.I), "width"),
)


def target_key(text: str, acronyms: Mapping[str, str] | None = None) -> TargetKey:
    """The key of ``text``; acronyms known in ``acronyms`` (ACR -> expansion) add their words."""
    for pattern, quantity in _SAME_QUANTITY:
        text = pattern.sub(quantity, text)
    symbols = {symbol_key(m.group(0)) for m in _GREEK.finditer(text)}
    symbols.update(w for w in words(text) if len(w) == 1 and w.isupper() and w not in "AI")
    found_acronyms = {w for w in words(text) if is_acronym(w)}
    expanded = text
    for acronym in sorted(found_acronyms):
        if acronyms and acronym in acronyms:
            expanded += " " + acronyms[acronym]
    tokens = set(content_tokens(expanded))
    tokens -= {a.lower() for a in found_acronyms} | {a.lower()[:-1] for a in found_acronyms}
    tokens -= {s.lower() for s in symbols}
    return TargetKey(frozenset(symbols), frozenset(found_acronyms), frozenset(tokens))


def same_target(a: TargetKey, b: TargetKey) -> bool:
    """Whether two keys name the same part.

    Symbols decide when both sides have one. When only one side has a symbol ("temperature τ"
    vs "Temperature"), the other must name a hyperparameter the symbol side also names, so that
    "weight λ of the separation loss" does not match "separation loss" itself.
    """
    if a.symbols and b.symbols:
        return bool(a.symbols & b.symbols)
    if a.symbols or b.symbols:
        plain, symbolic = (b, a) if a.symbols else (a, b)
        return (
            bool(plain.tokens)
            and plain.tokens <= symbolic.tokens
            and bool(plain.tokens & HYPERPARAMETER_NOUNS)
        )
    if a.acronyms & b.acronyms:
        return True
    overlap = a.tokens & b.tokens
    # generic words ("data augmentation", "fusion module") do not make a name more specific
    smaller = min(
        len(a.tokens - _GENERIC) or len(a.tokens), len(b.tokens - _GENERIC) or len(b.tokens)
    )
    if smaller == 0:
        return False
    if smaller == 1:
        return bool(overlap - _GENERIC)
    return len(overlap - _GENERIC) >= 1 and len(overlap) >= max(2, 0.6 * smaller)
