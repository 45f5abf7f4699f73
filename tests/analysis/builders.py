"""Small hand-built papers for analyzer and planner tests."""

from __future__ import annotations

from ablab.analysis.sentences import Sentence, iter_sentences
from ablab.schema import Paper, Section, SectionRole, SourceKind, Table


def section(
    title: str,
    text: str,
    role: SectionRole = SectionRole.METHOD,
    *,
    tables: list[Table] | None = None,
    level: int = 1,
    children: list[Section] | None = None,
) -> Section:
    """A section whose id is derived from its title."""
    return Section(
        id="s-" + title.lower().replace(" ", "-"),
        title=title,
        role=role,
        level=level,
        text=text,
        tables=tables or [],
        children=children or [],
    )


def paper(*sections: Section, abstract: str = "", title: str = "A Test Paper") -> Paper:
    """A Markdown-kind paper made of ``sections``."""
    return Paper(
        id="test-paper",
        title=title,
        abstract=abstract,
        sections=list(sections),
        source_kind=SourceKind.MARKDOWN,
        content_hash="0" * 64,
    )


def sentences_of(*sections: Section, abstract: str = "") -> list[Sentence]:
    """The analysed sentences of a paper made of ``sections``."""
    return list(iter_sentences(paper(*sections, abstract=abstract)))
