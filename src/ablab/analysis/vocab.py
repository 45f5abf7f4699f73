"""Fast matching of a vocabulary of regex patterns (design choices, metrics) against sentences.

One big alternation of ~100 case-insensitive patterns costs about a microsecond per character in
Python's regex engine, far too slow for a 60-page paper. Each entry therefore names trigger words,
one of which every match contains; a sentence's words select the few entries worth running.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ablab.analysis.terms import WORD

_PARTS = re.compile(r"[-_'’]")
_ALPHA_PREFIX = re.compile(r"^[^\W\d_]+")


@lru_cache(maxsize=4096)  # each sentence is looked up by several vocabularies
def trigger_words(text: str) -> frozenset[str]:
    """Lower-case words of ``text`` plus the parts of hyphenated words and the letters before a
    number (``"kl-divergence"`` -> ``kl``, ``divergence``; ``"resnet50"`` -> ``resnet``)."""
    found: set[str] = set()
    for word in WORD.findall(text.lower()):
        found.add(word)
        parts = _PARTS.split(word) if _PARTS.search(word) else [word]
        for part in parts:
            found.add(part)
            prefix = _ALPHA_PREFIX.match(part)
            if prefix:
                found.add(prefix.group(0))
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class VocabMatch:
    """One vocabulary hit in a text."""

    entry: int
    """Index of the matching entry."""
    start: int
    end: int
    text: str


class Vocabulary:
    """Patterns with trigger words; earlier entries win where matches overlap."""

    def __init__(self, entries: Sequence[tuple[str, Iterable[str]]]) -> None:
        self._patterns = [re.compile(pattern, re.IGNORECASE) for pattern, _ in entries]
        self._by_trigger: dict[str, list[int]] = {}
        for index, (_, triggers) in enumerate(entries):
            for trigger in triggers:
                self._by_trigger.setdefault(trigger.lower(), []).append(index)

    def find(self, text: str) -> list[VocabMatch]:
        """Non-overlapping matches in ``text``, left to right (earlier entry first at a tie)."""
        candidates = sorted(
            {i for word in trigger_words(text) for i in self._by_trigger.get(word, ())}
        )
        hits = [
            VocabMatch(i, m.start(), m.end(), m.group(0))
            for i in candidates
            for m in self._patterns[i].finditer(text)
            if m.end() > m.start()
        ]
        hits.sort(key=lambda h: (h.start, h.entry))
        kept: list[VocabMatch] = []
        for hit in hits:
            if not kept or hit.start >= kept[-1].end:
                kept.append(hit)
        return kept

    def first(self, text: str) -> VocabMatch | None:
        """The leftmost match in ``text``, or None."""
        found = self.find(text)
        return found[0] if found else None
