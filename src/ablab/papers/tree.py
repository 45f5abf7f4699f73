"""Turn a flat list of headings with their bodies into a :class:`Paper` with a section tree.

Every format parser (Markdown, plain text, LaTeX, PDF, digest) produces a :class:`ParsedDocument`;
this module does the shared part: numbering split from titles, nesting, unique ids, roles, the
abstract, and text tidying.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ablab.papers.roles import assign_roles, heading_role
from ablab.schema import Paper, Section, SectionRole, SourceKind, Table

# "3", "3.2", "3.2." ; "A.1" ; "A." / "A:" ; roman "IV." — then the title.
_NUMBERED = re.compile(
    r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,4}|[A-Z](?:\.\d{1,2}){1,4})\.?\s+(?P<rest>\S.*)$"
)
_LETTERED = re.compile(r"^(?P<num>[A-Z])[.:]\s+(?P<rest>\S.*)$")
_ROMAN = re.compile(r"^(?P<num>[IVX]{1,5})\.\s+(?P<rest>\S.*)$")
_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_ABSTRACT_LEAD = re.compile(
    r"^[*_]{0,2}abstract[*_]{0,2}\s*[:.\u2014\u2013-]?[*_]{0,2}(?:[ \t]*\n|\s+(?=\S))",
    re.IGNORECASE,
)
_MIN_ABSTRACT_WORDS = 15


@dataclass
class RawSection:
    """A heading and the content up to the next heading, as a parser found it."""

    heading: str
    """Heading text, possibly still carrying its number ("3.2 Loss")."""
    level: int
    """Nesting level in the source's own terms (``##`` = 2, ``\\subsection`` = 2...)."""
    text: str = ""
    """Body text up to the next heading."""
    tables: list[Table] = field(default_factory=list)
    """Tables found in the body."""
    number: str | None = None
    """Heading number when the source gives it separately; else split from ``heading``."""
    role: SectionRole | None = None
    """A role the source states outright (overrides the heading's words)."""
    appendix: bool = False
    """Whether the section follows an explicit appendix marker."""


@dataclass
class ParsedDocument:
    """What a format parser extracted, before it becomes a Paper."""

    title: str = ""
    abstract: str = ""
    front_text: str = ""
    """Text between the title and the first heading (authors, teaser, maybe the abstract)."""
    sections: list[RawSection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)


def split_number(heading: str) -> tuple[str | None, str]:
    """Split "3.2 Loss Functions" into ("3.2", "Loss Functions"); unnumbered -> (None, heading)."""
    heading = " ".join(heading.split())
    for pattern in (_NUMBERED, _LETTERED, _ROMAN):
        match = pattern.match(heading)
        if match:
            return match["num"], match["rest"].strip()
    return None, heading


def slugify(text: str, max_length: int = 60) -> str:
    """Lower-case ASCII slug: "Loss Functions (ours)" -> "loss-functions-ours"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


def tidy(text: str) -> str:
    """Strip trailing spaces and collapse runs of blank lines."""
    # Line by line: a regex for trailing spaces rescans a long run of spaces from each of its
    # characters (quadratic on a line of a million spaces).
    lines = text.replace("\r\n", "\n").split("\n")
    return _BLANK_RUNS.sub("\n\n", "\n".join(line.rstrip(" \t") for line in lines)).strip()


def abstract_from_front(front_text: str) -> str:
    """The abstract in front matter: a paragraph led by "Abstract", else the first long one."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", front_text) if p.strip()]
    for paragraph in paragraphs:
        lead = _ABSTRACT_LEAD.match(paragraph)
        # "Abstract interpretation is..." is prose: require punctuation, emphasis or a line break.
        if lead and any(mark in lead.group() for mark in ":.\u2014\u2013-*_\n"):
            return paragraph[lead.end() :].strip()
    for paragraph in paragraphs:
        if len(paragraph.split()) >= _MIN_ABSTRACT_WORDS and not paragraph.startswith(("|", "<")):
            return paragraph
    return ""


def build_paper(
    doc: ParsedDocument,
    *,
    paper_id: str,
    source_kind: SourceKind,
    source_path: str | None,
    content_hash: str,
) -> Paper:
    """Assemble the Paper: nest sections, give them ids and roles, find title and abstract."""
    warnings = list(doc.warnings)
    raws = list(doc.sections)
    abstract = tidy(doc.abstract)
    for index, raw in enumerate(raws):
        _, title = split_number(raw.heading)
        if heading_role(title) is SectionRole.ABSTRACT and raw.role is None:
            abstract = abstract or tidy(raw.text)
            del raws[index]
            break
    if not abstract:
        abstract = tidy(abstract_from_front(doc.front_text))
    title = " ".join(doc.title.split())
    if not title:
        title = paper_id
        warnings.append("no title found; using the paper id as title")
    sections, fixed, appendix_ids = _nest(raws)
    assign_roles(sections, fixed=fixed, appendix_from=appendix_ids)
    return Paper(
        id=paper_id,
        title=title,
        abstract=abstract,
        sections=sections,
        source_kind=source_kind,
        source_path=source_path,
        content_hash=content_hash,
        warnings=warnings,
        metadata=dict(doc.metadata),
    )


def _nest(raws: list[RawSection]) -> tuple[list[Section], dict[str, SectionRole], list[str]]:
    roots: list[Section] = []
    stack: list[tuple[int, Section]] = []  # (source level, section)
    used: set[str] = set()
    fixed: dict[str, SectionRole] = {}
    appendix_ids: list[str] = []
    for raw in raws:
        number, title = (raw.number, " ".join(raw.heading.split()))
        if number is None:
            number, title = split_number(raw.heading)
        while stack and stack[-1][0] >= raw.level:
            stack.pop()
        section = Section(
            id=_unique_id(number, title, used),
            title=title,
            number=number,
            level=len(stack) + 1,
            text=tidy(raw.text),
            tables=list(raw.tables),
        )
        (stack[-1][1].children if stack else roots).append(section)
        stack.append((raw.level, section))
        if raw.role is not None:
            fixed[section.id] = raw.role
        if raw.appendix:
            appendix_ids.append(section.id)
    return roots, fixed, appendix_ids


def _unique_id(number: str | None, title: str, used: set[str]) -> str:
    slug = slugify(title)
    if number:
        base = "s" + slugify(number.replace(".", "-")) + (f"-{slug}" if slug else "")
    else:
        base = slug or "section"
    candidate, counter = base, 2
    while candidate in used:
        candidate, counter = f"{base}-{counter}", counter + 1
    used.add(candidate)
    return candidate
