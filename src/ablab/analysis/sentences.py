"""Sentence splitting and iteration over a paper's sentences with their section role.

The splitter is a careful regular-expression one rather than a library: the rule-based libraries
we tried are orders of magnitude slower, and a 60-page paper must be analysed in well under a
second. It respects abbreviations (``e.g.``, ``et al.``, ``Fig. 3``), decimals (``0.07``), initials
and list items, and skips Markdown table lines (tables are read from ``Section.tables``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ablab.schema import Evidence, Paper, Section, SectionRole

MAX_QUOTE = 200
"""Longest evidence quote, in characters."""

_ABBREVIATIONS = frozenset(
    {
        "e.g", "i.e", "al", "et al", "fig", "figs", "eq", "eqs", "sec", "secs", "tab", "tabs",
        "vs", "cf", "approx", "resp", "w.r.t", "wrt", "no", "nos", "ref", "refs", "ch", "app",
        "alg", "thm", "def", "dr", "prof", "mr", "ms", "st", "viz", "ca", "c.f", "a.k.a", "incl",
        "est", "ed", "eds", "vol", "pp", "sect",
    }
)  # fmt: skip

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace, and a
# next character that is not a lower-case ASCII letter (lower-case starts mean an abbreviation).
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[^\sa-z])")
_LAST_TOKEN = re.compile(r"(\S+)$")
_BLOCK_SPLIT = re.compile(r"\n\s*\n")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+")
_HEADING = re.compile(r"^\s*#{1,6}\s")
_TABLE_LINE = re.compile(r"^\s*\|")
_SPACES = re.compile(r"\s+")
_MAX_SENTENCE = 1200  # longer runs (PDF debris without punctuation) are cut at a space


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the paper and where it comes from."""

    text: str
    """The sentence with whitespace collapsed."""
    role: SectionRole
    """Role of the section holding it (ABSTRACT for the abstract)."""
    section_id: str | None
    """Id of the section holding it (None for the abstract)."""
    section_title: str
    """Title of that section ("Abstract" for the abstract)."""
    index: int
    """Position in document order (0 = first sentence)."""

    def evidence(self, start: int | None = None, end: int | None = None) -> Evidence:
        """Evidence quoting this sentence, centred on ``text[start:end]`` when it is too long."""
        return Evidence(
            section_id=self.section_id,
            section_title=self.section_title,
            quote=quote_around(self.text, start, end),
        )


def quote_around(text: str, start: int | None = None, end: int | None = None) -> str:
    """``text`` shortened to at most MAX_QUOTE characters around ``text[start:end]``."""
    text = text.strip()
    if len(text) <= MAX_QUOTE:
        return text
    if start is None or end is None:
        start, end = 0, 0
    middle = (start + end) // 2
    lo = max(0, min(middle - MAX_QUOTE // 2, len(text) - MAX_QUOTE + 2))
    hi = min(len(text), lo + MAX_QUOTE - 2)
    # Move the cuts to word boundaries so the quote never starts or ends mid-word.
    if lo > 0:
        # Prefer starting at a clause ("…the input is masked") over a word ("…2, the input").
        clause = max(text.rfind(", ", lo, lo + 60), text.rfind("; ", lo, lo + 60))
        space = text.find(" ", lo)
        if 0 <= clause < min(start, hi):
            lo = clause + 2
        elif 0 <= space < hi:
            lo = space + 1
    if hi < len(text):
        space = text.rfind(" ", lo, hi)
        hi = space if space > lo else hi
    return ("…" if lo > 0 else "") + text[lo:hi].strip() + ("…" if hi < len(text) else "")


def _blocks(text: str) -> Iterator[str]:
    """Paragraph-like blocks: blank-line separated, list items and headings on their own."""
    for paragraph in _BLOCK_SPLIT.split(text):
        current: list[str] = []
        for line in paragraph.splitlines():
            if _TABLE_LINE.match(line):
                continue
            if _LIST_ITEM.match(line) or _HEADING.match(line):
                if current:
                    yield " ".join(current)
                current = [line.strip()]
            elif line.strip():
                current.append(line.strip())
        if current:
            yield " ".join(current)


def _is_abbreviation(block: str, stop: int) -> bool:
    """Whether the full stop at ``block[stop]`` ends an abbreviation or an initial."""
    if block[stop] != ".":
        return False
    match = _LAST_TOKEN.search(block, 0, stop)
    if match is None:
        return False
    token = match.group(1).lstrip("([{\"'“‘").lower()
    if token in _ABBREVIATIONS:
        return True
    if len(token) == 1 and token.isalpha():
        return True  # an initial ("J. Smith") or an enumerator ("a. ...")
    # "et al." where the last token is just "al"
    return token == "al" or token.endswith(".al")


def split_sentences(text: str) -> list[str]:
    """Split section text into sentences (whitespace collapsed, empty ones dropped)."""
    sentences: list[str] = []
    for raw_block in _blocks(text):
        block = _SPACES.sub(" ", _LIST_ITEM.sub("", _HEADING.sub("", raw_block))).strip()
        start = 0
        for match in _BOUNDARY.finditer(block):
            if _is_abbreviation(block, match.start()):
                continue
            _append(sentences, block[start : match.end()].strip())
            start = match.end()
        _append(sentences, block[start:].strip())
    return sentences


def _append(sentences: list[str], sentence: str) -> None:
    while len(sentence) > _MAX_SENTENCE:
        cut = sentence.rfind(" ", 0, _MAX_SENTENCE)
        cut = cut if cut > 0 else _MAX_SENTENCE
        sentences.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    if sentence:
        sentences.append(sentence)


SKIPPED_ROLES = frozenset({SectionRole.REFERENCES})
"""Roles whose text is never analysed."""


def iter_sentences(paper: Paper) -> Iterator[Sentence]:
    """Every analysed sentence of the paper: abstract first, then sections in document order."""
    index = 0
    for text in split_sentences(paper.abstract):
        yield Sentence(text, SectionRole.ABSTRACT, None, "Abstract", index)
        index += 1
    for section in paper.walk():
        if section.role in SKIPPED_ROLES:
            continue
        if section.role is SectionRole.ABSTRACT and paper.abstract:
            continue  # the abstract was already read from paper.abstract
        for text in split_sentences(section.text):
            yield Sentence(text, section.role, section.id, section.title, index)
            index += 1


_EVIDENCE_ORDER = {
    role: rank
    for rank, role in enumerate(
        [
            SectionRole.METHOD,
            SectionRole.OTHER,
            SectionRole.APPENDIX,
            SectionRole.BACKGROUND,
            SectionRole.EXPERIMENTS,
            SectionRole.ABLATIONS,
            SectionRole.RESULTS,
            SectionRole.ABSTRACT,
            SectionRole.INTRODUCTION,
        ]
    )
}


class EvidenceKeeper:
    """Keeps the first quote from each section role; method sections come first in the result."""

    def __init__(self, limit: int = 2) -> None:
        self.limit = limit
        self._by_role: dict[SectionRole, tuple[int, Evidence]] = {}
        self._pinned: Evidence | None = None

    def add(
        self,
        sentence: Sentence,
        start: int | None = None,
        end: int | None = None,
        *,
        pin: bool = False,
    ) -> None:
        """Remember ``sentence`` (centred on ``start:end``) unless its role already has a quote;
        the first ``pin`` quote (a definition) always comes first."""
        if pin and self._pinned is None:
            self._pinned = sentence.evidence(start, end)
        elif sentence.role not in self._by_role:
            self._by_role[sentence.role] = (sentence.index, sentence.evidence(start, end))

    def result(self) -> list[Evidence]:
        """At most ``limit`` quotes: the pinned one, then the best roles."""
        ranked = sorted(
            self._by_role.items(), key=lambda item: (_EVIDENCE_ORDER.get(item[0], 99), item[1][0])
        )
        quotes = [self._pinned] if self._pinned else []
        quotes += [e for _, (_, e) in ranked if not quotes or e.quote != quotes[0].quote]
        return quotes[: self.limit]


def section_evidence(section: Section, quote: str) -> Evidence:
    """Evidence for a quote (a table row, a heading) that belongs to ``section``."""
    return Evidence(section_id=section.id, section_title=section.title, quote=quote_around(quote))
