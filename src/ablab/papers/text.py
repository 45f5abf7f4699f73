"""Plain-text papers: headings recovered from numbered lines ("3.2 Loss Functions"), role words
("Abstract", "References") and ALL-CAPS lines. PDF extraction reuses :func:`parse_lines`.

Numbered headings must continue the numbering seen so far (3.1 after 3, 4 after 3.2, A after
any number), which rejects numbered list items and lines that merely start with a number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ablab._util.hashing import sha256_hex
from ablab._util.text import strip_controls
from ablab.papers.tree import ParsedDocument, RawSection, build_paper, split_number
from ablab.schema import Paper, SourceKind

_MAX_HEADING_CHARS = 100
_MAX_HEADING_WORDS = 12
_ROMAN = {"I": 1, "V": 5, "X": 10}
_ROLE_WORDS = frozenset(
    {
        "abstract",
        "introduction",
        "references",
        "bibliography",
        "acknowledgments",
        "acknowledgements",
        "acknowledgment",
        "acknowledgement",
        "appendix",
        "appendices",
        "conclusion",
        "conclusions",
        "related work",
        "limitations",
    }
)
_BARE_LETTER = re.compile(r"^(?P<num>[A-Z])\s+(?P<rest>[A-Z]\S*(?:\s+\S+)*)$")
_ABSTRACT_LEAD = re.compile(r"^abstract\s*[:.\u2014\u2013-]\s*(?P<rest>\S.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class _Number:
    namespace: str  # "num", "roman", "letter"
    parts: tuple[int, ...]


def _roman_value(text: str) -> int:
    total = 0
    for index, char in enumerate(text):
        value = _ROMAN[char]
        following = _ROMAN[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total


def _parse_number(number: str) -> _Number:
    head, *rest = number.split(".")
    tail = tuple(int(p) for p in rest)
    if head.isdigit():
        return _Number("num", (int(head), *tail))
    if len(head) == 1 and not tail and head not in "IVX":
        return _Number("letter", (ord(head) - ord("A") + 1,))
    if set(head) <= set(_ROMAN) and not tail:
        return _Number("roman", (_roman_value(head),))
    return _Number("letter", (ord(head) - ord("A") + 1, *tail))


def _follows(previous: tuple[int, ...] | None, candidate: tuple[int, ...]) -> bool:
    """Whether ``candidate`` can be the next heading number after ``previous`` (one may be lost)."""
    if previous is None:
        return candidate[0] <= 2 and all(part == 1 for part in candidate[1:])
    if len(candidate) > len(previous) and candidate[: len(previous)] == previous:
        return all(part == 1 for part in candidate[len(previous) :])
    for depth in range(min(len(previous), len(candidate))):
        if candidate[:depth] == previous[:depth]:
            bumped = previous[depth] < candidate[depth] <= previous[depth] + 2
            if bumped and all(part == 1 for part in candidate[depth + 1 :]):
                return True
    return False


class HeadingDetector:
    """Decides, line by line, whether a line is a numbered heading continuing the sequence."""

    def __init__(self) -> None:
        self._namespace: str | None = None
        self._last: tuple[int, ...] | None = None

    def numbered(self, line: str, *, bare_letters: bool = False) -> tuple[str, str, int] | None:
        """Return (number, title, level) if ``line`` is the next numbered heading, else None.

        ``bare_letters`` also accepts "A Proofs" (appendix letters without a dot), which only a
        styled (bold or large) PDF line can safely claim, and only after numbered sections.
        """
        if len(line) > _MAX_HEADING_CHARS:
            return None
        number, title = split_number(line)
        bare = _BARE_LETTER.match(line) if bare_letters and number is None else None
        if bare and self._namespace in ("num", "letter"):
            number, title = bare["num"], bare["rest"]
        if number is None or not _heading_shaped(title):
            return None
        parsed = _parse_number(number)
        namespace, parts = parsed.namespace, parsed.parts
        if namespace == "letter" and self._namespace == "roman" and len(parts) == 1:
            # IEEE style: "A. Encoder" is a subsection of the current roman section.
            assert self._last is not None
            namespace, parts = "roman", (self._last[0], parts[0])
        if namespace == self._namespace:
            accepted = _follows(self._last, parts)
        elif namespace == "letter" and self._namespace is not None:
            accepted = parts[0] == 1 and all(p == 1 for p in parts[1:])  # appendix starts at A
        else:
            accepted = self._namespace is None and _follows(None, parts)
        if not accepted:
            return None
        self._namespace, self._last = namespace, parts
        return number, title, len(parts)


def _heading_shaped(title: str) -> bool:
    words = title.split()
    if not words or len(words) > _MAX_HEADING_WORDS or title[-1] in ".,;":
        return False
    first = title[0]
    if not (first.isupper() or (first.isdigit() and len(words[0]) > 1 and words[0][1].isalpha())):
        return False
    compact = title.replace(" ", "")
    return sum(ch.isalpha() for ch in compact) >= 0.6 * len(compact)


def _is_caps_heading(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return (
        len(letters) >= 4
        and all(ch.isupper() for ch in letters)
        and len(line.split()) <= 8
        and line[-1] not in ".,;"
        and len(letters) >= 0.6 * len(line.replace(" ", ""))
    )


def is_role_word(line: str) -> bool:
    """Whether a line is only a role word such as \"References\" or \"Appendix\"."""
    return line.rstrip(":.").strip().lower() in _ROLE_WORDS


def parse_lines(lines: Sequence[str], styles: Sequence[str] | None = None) -> ParsedDocument:
    """Split text lines into headings and bodies.

    ``styles`` (from PDF fonts) gives each line "" (body font), "bold" or "large"; when given,
    numbered and ALL-CAPS headings must be styled, and short "large" lines are headings too.
    Without styles every line is "plain": numbered and ALL-CAPS headings are recognised.
    """
    detector = HeadingDetector()
    front: list[str] = []
    body = front
    parts: list[tuple[RawSection, list[str]]] = []
    numbered_level = 0  # level of the last numbered heading; 0 before numbering starts
    for index, raw_line in enumerate(lines):
        line = " ".join(raw_line.split())
        style = styles[index] if styles is not None else "plain"
        heading = _heading(line, style, detector) if line else None
        if heading is None:
            body.append(raw_line.rstrip())
            continue
        heading_text, number, level, rest = heading
        if number is not None:
            numbered_level = level
        elif level == 0:  # an unnumbered styled heading nests under the current numbered one
            level = numbered_level + 1
        body = [rest] if rest else []
        parts.append((RawSection(heading=heading_text, level=level, number=number), body))
    for section, section_body in parts:
        section.text = "\n".join(section_body)
    return ParsedDocument(front_text="\n".join(front), sections=[p[0] for p in parts])


def _heading(
    line: str, style: str, detector: HeadingDetector
) -> tuple[str, str | None, int, str] | None:
    """(heading, number, level, rest of line) when ``line`` is a heading; level 0 = "nest"."""
    lead = _ABSTRACT_LEAD.match(line)
    if lead:
        return "Abstract", None, 1, lead["rest"]
    if is_role_word(line):
        return line.rstrip(":."), None, 1, ""
    if not style:
        return None
    numbered = detector.numbered(line, bare_letters=style in ("bold", "large"))
    if numbered:
        number, title, level = numbered
        return title, number, level, ""
    if _is_caps_heading(line) or (style == "large" and _heading_shaped(line)):
        return line, None, 0, ""
    return None


def paper_from_text(
    text: str,
    *,
    paper_id: str,
    source_path: str | None = None,
    content_hash: str | None = None,
) -> Paper:
    """Build a Paper from plain text; the first non-empty line is the title."""
    lines = strip_controls(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    title = ""
    if first < len(lines):
        candidate = " ".join(lines[first].split())
        probe = _heading(candidate, "plain", HeadingDetector())
        if probe is None and len(candidate) <= 200:
            title, lines = candidate, lines[first + 1 :]
    doc = parse_lines(lines)
    doc.title = title
    return build_paper(
        doc,
        paper_id=paper_id,
        source_kind=SourceKind.TEXT,
        source_path=source_path,
        content_hash=content_hash or sha256_hex(text.encode("utf-8")),
    )
