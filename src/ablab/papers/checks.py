"""Checks that a paper's section tree looks like a paper, with one warning line when it does not.

A tree is suspect when the whole paper sits in one section, when it has hundreds of tiny
sections, or when no section plays the method's part. A reader may give a safer alternative
reading (for PDFs: numbered and role-word headings only); the reading with fewer problems wins
and the warning says which was used.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence

from ablab.papers.tree import ParsedDocument, build_paper
from ablab.schema import EXPERIMENT_ROLES, Paper, SectionRole, SourceKind

_MIN_WORDS = 1500  # shorter texts (notes, abstracts, test snippets) are not checked
_ONE_SECTION_SHARE = 0.85
_MANY_SECTIONS = 150
_TINY_SECTIONS = 60
_TINY_WORDS = 25


def structure_problems(paper: Paper) -> list[str]:
    """What looks wrong with the paper's section tree (empty when it looks like a paper)."""
    sections = list(paper.walk())
    words = [len(section.text.split()) for section in sections]
    total = sum(words) + len(paper.abstract.split())
    if total < _MIN_WORDS:
        return []
    problems: list[str] = []
    top_words = [sum(len(s.text.split()) for s in top.walk()) for top in paper.sections]
    if not sections or max(top_words, default=0) >= _ONE_SECTION_SHARE * total:
        problems.append("the whole paper is in one section")
    if len(sections) > _MANY_SECTIONS or (
        len(sections) > _TINY_SECTIONS and statistics.median(words) < _TINY_WORDS
    ):
        problems.append(f"{len(sections)} sections, most of them tiny")
    roles = {section.role for section in sections}
    if sections and SectionRole.METHOD not in roles:
        problems.append("no method section")
    if sections and not roles & EXPERIMENT_ROLES:
        problems.append("no experiments section")
    return problems


def checked_paper(
    doc: ParsedDocument,
    *,
    paper_id: str,
    source_kind: SourceKind,
    source_path: str | None,
    content_hash: str,
    fallbacks: Sequence[tuple[str, Callable[[], ParsedDocument]]] = (),
) -> Paper:
    """Build the paper and check it; when it looks wrong, try the ``fallbacks`` (name, reader)
    and keep the reading with the fewest problems; say so in one warning line."""

    def build(parsed: ParsedDocument) -> Paper:
        return build_paper(
            parsed,
            paper_id=paper_id,
            source_kind=source_kind,
            source_path=source_path,
            content_hash=content_hash,
        )

    paper = build(doc)
    problems = structure_problems(paper)
    if not problems:
        return paper
    warning = f"structure looks wrong: {'; '.join(problems)}"
    best: tuple[str, Paper, list[str]] | None = None
    for name, reader in fallbacks:
        other = build(reader())
        other_problems = structure_problems(other)
        if len(other_problems) < len(best[2] if best else problems):
            best = (name, other, other_problems)
    if best is not None:
        name, paper, remaining = best
        warning += f"; read with {name} instead"
        if remaining:
            warning += f" (still: {'; '.join(remaining)})"
    return paper.model_copy(update={"warnings": [*paper.warnings, warning]})
