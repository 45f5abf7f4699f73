"""Find which of the paper's components a piece of text talks about."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ablab.analysis.sentences import Sentence
from ablab.schema import Component


class ComponentIndex:
    """Looks up component names and acronyms in text (names case-insensitive, plural allowed)."""

    def __init__(self, components: Sequence[Component]) -> None:
        self._by_surface: dict[str, str] = {}
        names: list[str] = []
        acronyms: list[str] = []
        for component in components:
            self._by_surface[component.name.lower()] = component.name
            names.append(re.escape(component.name))
            if component.acronym:
                self._by_surface[component.acronym.lower()] = component.name
                acronyms.append(re.escape(component.acronym))
        names.sort(key=len, reverse=True)
        acronyms.sort(key=len, reverse=True)
        parts = []
        if names:
            parts.append(rf"(?i:\b(?:{'|'.join(names)})(?:e?s)?\b)")
        if acronyms:
            parts.append(rf"\b(?:{'|'.join(acronyms)})s?\b")
        self._pattern = re.compile("|".join(parts)) if parts else None

    def _name(self, surface: str) -> str | None:
        lower = surface.lower()
        for candidate in (lower, lower[:-1], lower[:-2]):
            if candidate in self._by_surface:
                return self._by_surface[candidate]
        return None

    def find_all(self, text: str) -> list[tuple[int, str]]:
        """``(offset, component name)`` for every component mentioned in ``text``."""
        if self._pattern is None:
            return []
        found = []
        for match in self._pattern.finditer(text):
            name = self._name(match.group(0))
            if name is not None:
                found.append((match.start(), name))
        return found

    def first(self, text: str) -> str | None:
        """The first component mentioned in ``text``, or None."""
        found = self.find_all(text)
        return found[0][1] if found else None

    def nearest(self, text: str, position: int, max_distance: int = 80) -> str | None:
        """The component mentioned closest to ``position`` (within ``max_distance`` characters)."""
        found = [f for f in self.find_all(text) if abs(f[0] - position) <= max_distance]
        if not found:
            return None
        return min(found, key=lambda item: (abs(item[0] - position), item[0]))[1]

    def of_section(self, sentence: Sentence) -> str | None:
        """The component the sentence's section is about (its title names it), or None."""
        return self.first(sentence.section_title) if sentence.section_id else None
