"""Checks on a digest: are the numbers it reports in the paper, and is every section filled?

Numbers are checked, not trusted: every number in Key Results (and in the Quick Facts' primary
result) must occur in the paper text. Matching normalises how a number is written — ``.874`` and
``0.874``, ``1,200`` and ``1200``, ``76.10`` and ``76.1``, ``87.4%`` and ``0.874`` — but never
rounds, so ``76%`` does not match a paper that says ``76.1%``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ablab.formats.rpa2.model import SECTION_KEYS, Digest
from ablab.schema import Paper

_NUMBER = re.compile(
    r"(?<![\w.,/])"  # not the tail of a word, a decimal or a version string
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:[eE](?P<exp>[-+\u2212]?\d+))?"
    r"(?P<pct>\s?%)?"
    r"(?![\d,]?\d)"
)
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class NumberMention:
    """A number as written in a text, with its normalised value."""

    raw: str
    """The characters as written (``1,200``, ``.874``, ``87.4%``)."""
    value: Decimal
    """The value, without thousands separators or trailing zeros."""
    percent: bool
    """Whether a ``%`` sign follows it."""


def extract_numbers(text: str) -> list[NumberMention]:
    """Every number in ``text`` (signs ignored: a drop of ``-2.9`` is reported as ``2.9``)."""
    found: list[NumberMention] = []
    for match in _NUMBER.finditer(text.replace("\u2212", "-")):
        digits = match["num"].replace(",", "")
        if match["exp"]:
            digits += "e" + match["exp"].replace("\u2212", "-")
        try:
            value = Decimal(digits).normalize()
        except InvalidOperation:  # pragma: no cover - the pattern only admits valid numbers
            continue
        found.append(NumberMention(match.group(0).strip(), value, bool(match["pct"])))
    return found


class NumberIndex:
    """The numbers of a paper, for checking that a claimed number is stated in it."""

    def __init__(self, text: str) -> None:
        self._values = {m.value for m in extract_numbers(text)}
        self._scaled = {(v * _HUNDRED).normalize() for v in self._values if v < 1}

    @classmethod
    def of_paper(cls, paper: Paper) -> NumberIndex:
        """Index the paper's full text and every table cell, caption and header."""
        parts = [paper.full_text()]
        for section in paper.walk():
            for table in section.tables:
                parts.append(table.caption)
                parts.extend(table.header)
                parts.extend(cell for row in table.rows for cell in row)
        return cls("\n".join(parts))

    def contains(self, value: Decimal) -> bool:
        """Whether the paper states ``value`` (or the same value as a percentage/fraction)."""
        if value in self._values or value in self._scaled:
            return True
        return value < 1 and (value * _HUNDRED).normalize() in self._values

    def missing(self, text: str) -> list[str]:
        """The numbers of ``text`` the paper does not state, as written in ``text``."""
        return [m.raw for m in extract_numbers(text) if not self.contains(m.value)]


@dataclass(frozen=True)
class Problem:
    """Why a digest section fails the completeness check."""

    section: str
    """Section key (a field of :class:`Digest`)."""
    message: str
    """What is wrong, phrased as an instruction a writer can act on."""


def check_numbers(digest: Digest, index: NumberIndex) -> list[Problem]:
    """Key Results (and the primary result) whose numbers are not in the paper."""
    problems: list[Problem] = []
    for n, item in enumerate(digest.key_results, 1):
        if not extract_numbers(item):
            problems.append(Problem("key_results", f"item {n} states no number: {item!r}"))
        elif missing := index.missing(item):
            problems.append(
                Problem(
                    "key_results",
                    f"item {n} has numbers not found in the paper ({', '.join(missing)}): "
                    f"{item!r}; use only numbers exactly as the paper states them",
                )
            )
    for fact in digest.quick_facts:
        if fact.label.lower() == "primary result" and (missing := index.missing(fact.value)):
            problems.append(
                Problem(
                    "quick_facts",
                    f"the primary result has numbers not found in the paper "
                    f"({', '.join(missing)}); use the paper's own numbers",
                )
            )
    return problems


def _filled(digest: Digest, key: str) -> bool:
    value = getattr(digest, key)
    if key == "architecture":
        return bool(value.component_map) or "architecture.component_map" in digest.gaps
    return bool(value)


def check_completeness(digest: Digest) -> list[Problem]:
    """Sections that are empty without a stated reason, or too thin to be useful."""
    problems = [
        Problem(key, "the section is empty; fill it, or give the reason it cannot be filled")
        for key in SECTION_KEYS
        if key != "next_checks" and not _filled(digest, key) and key not in digest.gaps
    ]
    if not digest.core_contribution and "core_contribution" not in digest.gaps:
        problems.insert(0, Problem("core_contribution", "the core contribution is empty"))
    arch = digest.architecture
    if arch.component_map and len(arch.component_map) < 2:
        problems.append(
            Problem("architecture", "the component map needs at least two components in order")
        )
    return problems


def check_digest(digest: Digest, paper: Paper | NumberIndex) -> list[Problem]:
    """All problems of a digest: completeness first, then numbers not found in the paper."""
    index = paper if isinstance(paper, NumberIndex) else NumberIndex.of_paper(paper)
    return check_completeness(digest) + check_numbers(digest, index)
