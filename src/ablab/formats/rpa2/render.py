"""Render a :class:`Digest` as ``ver: rpa2`` Markdown, laid out exactly as seed 002.

``render_digest(parse_digest(text)) == text`` holds byte for byte for seed 002 and for every
digest ablab writes.
"""

from __future__ import annotations

from typing import Any

import yaml

from ablab.formats.rpa2.model import (
    ARCHITECTURE_PARTS,
    SECTIONS,
    ConfidenceRating,
    Digest,
    FoundationalConcept,
    OpenQuestion,
    QuickFact,
)

YAML_WIDTH = 80
"""Line width PyYAML folds long frontmatter values at (reproduces seed 002's folding)."""

GAP_PREFIX = "_Not filled: "
GAP_SUFFIX = "_"
ARROW = " -> "
TRADEOFF_SEPARATOR = "; "
QUICK_CHECK = "quick check: "
WHY_NEEDED = "why needed: "
QUESTION_FIELDS = (
    ("basis", "Basis in paper"),
    ("why_unresolved", "Why unresolved"),
    ("resolution", "What would resolve it"),
)
"""(field, label) of an open question's field lines, in order."""

# How each Architecture Onboarding part is written: inline joined, or as a list below the label.
_INLINE_PARTS = {"component_map": ARROW, "critical_path": ARROW, "design_tradeoffs": "; "}
_NUMBERED_PARTS = {"first_experiments"}


def gap_text(reason: str) -> str:
    """The line that stands for a section left unfilled."""
    return f"{GAP_PREFIX}{reason}{GAP_SUFFIX}"


def render_frontmatter(digest: Digest) -> str:
    """The YAML frontmatter between ``---`` lines, keys in rpa2 order."""
    data: dict[str, Any] = {"ver": digest.ver, "title": digest.title}
    if digest.arxiv_id is not None:
        data["arxiv_id"] = digest.arxiv_id
    if digest.source_url is not None:
        data["source_url"] = digest.source_url
    data["tags"] = list(digest.tags)
    gap = digest.gaps.get("core_contribution")
    data["core_contribution"] = (
        gap_text(gap) if gap and not digest.core_contribution else (digest.core_contribution)
    )
    data.update(digest.extra_frontmatter)
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=YAML_WIDTH)
    return f"---\n{dumped}---\n"


def _escape_paragraphs(text: str) -> str:
    # A paragraph starting with '# ' or '## ' would read back as the title or a section; a
    # backslash keeps it text. Deeper headings (### Mechanism 1) are the section's own.
    return "\n\n".join(
        "\\" + p if p.startswith("#") and not p.startswith("###") else p for p in text.split("\n\n")
    )


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _numbered(items: list[str]) -> str:
    return "\n".join(f"{n}. {item}" for n, item in enumerate(items, 1))


def _quick_fact(fact: QuickFact) -> str:
    return f"{fact.label}: {fact.value}" if fact.value else fact.label


def _concept(concept: FoundationalConcept) -> str:
    parts = [concept.description] if concept.description else []
    if concept.why:
        parts.append(WHY_NEEDED + concept.why if concept.description else concept.why)
    if concept.quick_check is not None:
        parts.append(QUICK_CHECK + concept.quick_check)
    rest = TRADEOFF_SEPARATOR.join(parts)
    return f"**{concept.concept}**: {rest}" if rest else f"**{concept.concept}**"


def _question(question: OpenQuestion) -> str:
    if question.title:
        line = f"**{question.title}**: {question.detail}"
    else:
        # A bare detail that opens in bold would read back as a title: escape the first star.
        line = "\\" + question.detail if question.detail.startswith("**") else question.detail
    for key, label in QUESTION_FIELDS:
        value = getattr(question, key)
        if value is not None:
            line += f"\n  - {label}: {value}"
    return line


def _rating(rating: ConfidenceRating) -> str:
    if rating.level is None:
        return rating.claim
    note = f" ({rating.note})" if rating.note else ""
    return f"{rating.claim}: {rating.level}{note}"


def _architecture(digest: Digest) -> str:
    # Text outside the five parts goes first: after a part it would read back as that part's.
    notes = digest.architecture.notes
    blocks: list[str] = [_escape_paragraphs(notes)] if notes else []
    for key, label in ARCHITECTURE_PARTS:
        items: list[str] = getattr(digest.architecture, key)
        gap = digest.gaps.get(f"architecture.{key}")
        if not items:
            if gap:
                blocks.append(f"{label}: {gap_text(gap)}")
            continue
        if key in _INLINE_PARTS:
            blocks.append(f"{label}: {_INLINE_PARTS[key].join(items)}")
            continue
        space = " " if key in digest.layout.label_trailing_space else ""
        listing = _numbered(items) if key in _NUMBERED_PARTS else _bullets(items)
        blocks.append(f"{label}:{space}\n{listing}")
    # The seed puts a blank line between the heading and the first part.
    return "\n" + "\n\n".join(blocks) if blocks else ""


def _section_body(digest: Digest, key: str) -> str:
    if key == "architecture":
        return _architecture(digest)
    value = getattr(digest, key)
    if not value:
        gap = digest.gaps.get(key)
        return gap_text(gap) if gap else ""
    if key == "quick_facts":
        return _bullets([_quick_fact(f) for f in value])
    if key == "foundational_learning":
        return _bullets([_concept(c) for c in value])
    if key == "open_questions":
        return _bullets([_question(q) for q in value])
    if key == "confidence":
        return _bullets([_rating(r) for r in value])
    if key == "next_checks":
        return _numbered(value)
    if isinstance(value, list):
        return _bullets(value)
    return _escape_paragraphs(value)


def section_bodies(digest: Digest, *, gaps: bool = True) -> list[tuple[str | None, str, str]]:
    """``(key, heading, body)`` of every section in document order; extra sections have key None.

    With ``gaps=False`` an unfilled section or part has an empty body instead of the
    ``_Not filled_`` line (for readers that must not mistake it for the paper's content).
    """
    view = digest if gaps else digest.model_copy(update={"gaps": {}})
    bodies: list[tuple[str | None, str, str]] = [
        (key, heading, _section_body(view, key)) for key, heading in SECTIONS
    ]
    bodies.extend((None, extra.title, extra.body) for extra in digest.extra_sections)
    return bodies


def render_digest(digest: Digest) -> str:
    """The digest as rpa2 Markdown: frontmatter, ``# title``, then the sections in order."""
    blocks = [f"{render_frontmatter(digest)}\n# {digest.title}"]
    for _, heading, body in section_bodies(digest):
        blocks.append(f"## {heading}\n{body}" if body else f"## {heading}")
    text = "\n\n".join(blocks)
    return text + "\n" if digest.layout.trailing_newline else text
