"""The structured form of a paper digest in the ``ver: rpa2`` format (seed 002).

A digest is a Markdown document: YAML frontmatter, a ``# title`` line, then eleven ``##``
sections in a fixed order. :class:`Digest` holds each section as data; ``render_digest`` and
``parse_digest`` convert between the two forms.

A section a writer cannot fill honestly stays empty and gets an entry in :attr:`Digest.gaps`
(section key -> reason); it is rendered as ``_Not filled: <reason>_`` instead of invented text.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

RPA2: Literal["rpa2"] = "rpa2"
"""The format version this module reads and writes."""


def _fold(text: str) -> str:
    """Collapse whitespace: a single-line field must never break the Markdown structure."""
    return " ".join(text.split())


def _clean_paragraphs(text: str) -> str:
    """Normalise a multi-paragraph field: trimmed lines, paragraphs split by one blank line."""
    paragraphs = [" ".join(p.split()) for p in text.strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


Line = Annotated[str, AfterValidator(_fold)]
"""A single-line text field (newlines and runs of spaces are folded into one space)."""


def _no_bold(text: str) -> str:
    return _fold(text.replace("**", ""))


def _no_arrow(text: str) -> str:
    return _fold(re.sub(r"\s*(?:->|→)\s*", " to ", text))


def _no_semicolon(text: str) -> str:
    return _fold(text.replace(";", ","))


BoldFree = Annotated[str, AfterValidator(_no_bold)]
"""A single line written between ``**`` markers, so it cannot hold any itself."""

ArrowFree = Annotated[str, AfterValidator(_no_arrow)]
"""An item of an arrow-joined list (``a -> b``): an arrow inside it becomes "to"."""

SemicolonFree = Annotated[str, AfterValidator(_no_semicolon)]
"""An item of a ``; ``-joined list: a semicolon inside it becomes a comma."""

Paragraphs = Annotated[str, AfterValidator(_clean_paragraphs)]
"""Free text of one or more paragraphs separated by a blank line."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class QuickFact(_Model):
    """One ``- label: value`` line of Quick Facts."""

    label: Line
    """What the fact is (``arXiv ID``, ``Primary result``)."""
    value: Line
    """The fact, numbers exactly as the paper writes them."""


class FoundationalConcept(_Model):
    """Background a reader needs: ``- **concept**: why; quick check: how to verify``, or, when
    it also has a description, ``- **concept**: description; why needed: why; quick check: ...``.
    """

    concept: BoldFree
    """The concept or technique."""
    description: Line = ""
    """What it is, when the digest says so apart from why it is needed."""
    why: Line = ""
    """Why the method needs it."""
    quick_check: Line | None = None
    """A quick way to check it is in place and working (often a question), if given."""

    @model_validator(mode="after")
    def _one_text_is_why(self) -> FoundationalConcept:
        # A description alone is written (and read back) as the why: keep one spelling.
        if self.description and not self.why:
            self.why, self.description = self.description, ""
        return self


class OpenQuestion(_Model):
    """A question the paper leaves open: ``- **title**: detail`` (or ``- detail``), with the
    rpa2 pipeline's optional field lines below it (``  - Basis in paper: ...``)."""

    title: BoldFree | None = None
    """Short topic (``Multi-class extension``); None when only the detail is known."""
    detail: Line
    """The question, in the paper's terms."""
    basis: Line | None = None
    """Where the paper raises it (``Basis in paper``)."""
    why_unresolved: Line | None = None
    """Why the paper leaves it open (``Why unresolved``)."""
    resolution: Line | None = None
    """What evidence would resolve it (``What would resolve it``)."""


ConfidenceLevel = Literal["High", "Medium", "Low"]


class ConfidenceRating(_Model):
    """How far a claim can be trusted: ``- claim: Level (note)``."""

    claim: Line
    """The claim or group of results rated."""
    level: ConfidenceLevel | None = None
    """High, Medium or Low; None when the line gives no level (kept as written in ``claim``)."""
    note: Line | None = None
    """Why that level, if given."""


class ArchitectureOnboarding(_Model):
    """What an engineer needs to start working on the method."""

    component_map: list[ArrowFree] = Field(default_factory=list)
    """Components in data-flow order (rendered joined by `` -> ``)."""
    critical_path: list[ArrowFree] = Field(default_factory=list)
    """The steps the method's gain depends on, in order (joined by `` -> ``)."""
    design_tradeoffs: list[SemicolonFree] = Field(default_factory=list)
    """Choices with alternatives (joined by ``; ``)."""
    failure_signatures: list[Line] = Field(default_factory=list)
    """Symptoms of a broken implementation and their likely cause."""
    first_experiments: list[Line] = Field(default_factory=list)
    """First experiments to run, in order."""
    notes: Paragraphs = ""
    """Text of the section outside the five parts (an unknown label, an introduction), kept
    as written so nothing is lost; rendered before the parts."""


class ExtraSection(_Model):
    """A ``##`` section the rpa2 layout does not define, kept verbatim so nothing is lost."""

    title: Line
    """Heading text."""
    body: str
    """Body text as written."""


class DigestLayout(_Model):
    """Byte-level quirks of a digest file, kept so rendering reproduces it."""

    trailing_newline: bool = True
    """Whether the file ends with a newline (seed 002 does not)."""
    label_trailing_space: list[str] = Field(default_factory=list)
    """Architecture labels written with a space after the colon before a list (seed 002 writes
    ``Failure signatures: `` that way)."""


class Digest(_Model):
    """A paper digest in the ``ver: rpa2`` format, section by section in document order."""

    ver: Literal["rpa2"] = RPA2
    """Format version."""
    title: Line
    """Paper title."""
    arxiv_id: Line | None = None
    """arXiv identifier (``2507.04788``), if known."""
    source_url: Line | None = None
    """Where the paper can be read, if known."""
    tags: list[Line] = Field(default_factory=list)
    """Topic tags, lower case, words joined by ``-``."""
    core_contribution: Paragraphs = ""
    """What the paper contributes, in a few sentences."""
    quick_facts: list[QuickFact] = Field(default_factory=list)
    """Quick Facts: identifiers and the headline result."""
    executive_summary: Paragraphs = ""
    """Executive Summary: problem, approach and main results."""
    method_summary: Paragraphs = ""
    """Method Summary: how the method works."""
    key_results: list[Line] = Field(default_factory=list)
    """Key Results: one result per item, numbers exactly as in the paper."""
    mechanism: Paragraphs = ""
    """Why This Works (Mechanism): the paper's account of why the method helps."""
    foundational_learning: list[FoundationalConcept] = Field(default_factory=list)
    """Foundational Learning: background concepts with quick checks."""
    architecture: ArchitectureOnboarding = Field(default_factory=ArchitectureOnboarding)
    """Architecture Onboarding: component map, critical path, tradeoffs, failures, experiments."""
    open_questions: list[OpenQuestion] = Field(default_factory=list)
    """Open Questions the Paper Calls Out."""
    limitations: list[Line] = Field(default_factory=list)
    """Limitations, one per item."""
    confidence: list[ConfidenceRating] = Field(default_factory=list)
    """Confidence in the main claims."""
    next_checks: list[Line] = Field(default_factory=list)
    """Next Checks: what to verify next, in order."""
    gaps: dict[str, Line] = Field(default_factory=dict)
    """Sections (keys of :data:`SECTION_KEYS` or ``architecture.<part>``) left unfilled, with
    the reason; rendered as ``_Not filled: <reason>_``."""
    extra_sections: list[ExtraSection] = Field(default_factory=list)
    """Sections outside the rpa2 layout, rendered after the known ones."""
    extra_frontmatter: dict[str, Any] = Field(default_factory=dict)
    """Frontmatter keys outside the rpa2 layout, rendered after the known ones."""
    layout: DigestLayout = Field(default_factory=DigestLayout)
    """Formatting quirks to reproduce."""

    @field_validator("gaps")
    @classmethod
    def _known_gap_keys(cls, gaps: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(gaps) - set(GAP_KEYS))
        if unknown:
            raise ValueError(f"unknown digest section(s) in gaps: {', '.join(unknown)}")
        return gaps


SECTIONS: tuple[tuple[str, str], ...] = (
    ("quick_facts", "Quick Facts"),
    ("executive_summary", "Executive Summary"),
    ("method_summary", "Method Summary"),
    ("key_results", "Key Results"),
    ("mechanism", "Why This Works (Mechanism)"),
    ("foundational_learning", "Foundational Learning"),
    ("architecture", "Architecture Onboarding"),
    ("open_questions", "Open Questions the Paper Calls Out"),
    ("limitations", "Limitations"),
    ("confidence", "Confidence"),
    ("next_checks", "Next Checks"),
)
"""(field name, heading) of every rpa2 section, in document order."""

SECTION_KEYS: tuple[str, ...] = tuple(key for key, _ in SECTIONS)
"""Field names of the rpa2 sections, in document order."""

ARCHITECTURE_PARTS: tuple[tuple[str, str], ...] = (
    ("component_map", "Component map"),
    ("critical_path", "Critical path"),
    ("design_tradeoffs", "Design tradeoffs"),
    ("failure_signatures", "Failure signatures"),
    ("first_experiments", "First experiments"),
)
"""(field name, label) of the Architecture Onboarding parts, in document order."""

GAP_KEYS: tuple[str, ...] = ("core_contribution", *SECTION_KEYS) + tuple(
    f"architecture.{key}" for key, _ in ARCHITECTURE_PARTS
)
"""Every key :attr:`Digest.gaps` may use."""
