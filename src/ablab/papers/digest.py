"""rpa2 paper digests: Markdown with ``ver: rpa2`` YAML front matter and fixed ``##`` sections.

The digest is read with :func:`ablab.formats.rpa2.parse.parse_digest`; its front matter (title,
arxiv_id, source_url, tags, core_contribution) becomes metadata and the core contribution the
abstract; the digest's known headings get fixed roles.
"""

from __future__ import annotations

from ablab._util.hashing import sha256_hex
from ablab.errors import DigestFormatError, PaperError
from ablab.formats.rpa2.parse import parse_digest
from ablab.formats.rpa2.render import section_bodies
from ablab.papers.markdown import frontmatter_strings
from ablab.papers.tree import ParsedDocument, RawSection, build_paper
from ablab.schema import Paper, SectionRole, SourceKind

R = SectionRole

# Digest headings (lower-case prefixes) and the part of a paper they stand for.
_DIGEST_ROLES: tuple[tuple[str, SectionRole], ...] = (
    ("quick facts", R.OTHER),
    ("executive summary", R.INTRODUCTION),
    ("method summary", R.METHOD),
    ("key results", R.RESULTS),
    ("why this works", R.METHOD),
    ("foundational learning", R.BACKGROUND),
    ("architecture onboarding", R.METHOD),
    ("open questions", R.DISCUSSION),
    ("limitations", R.LIMITATIONS),
    ("confidence", R.DISCUSSION),
    ("next checks", R.DISCUSSION),
)


def digest_role(heading: str) -> SectionRole | None:
    """The fixed role of a digest heading, or None for headings the format does not define."""
    lowered = " ".join(heading.lower().split())
    return next((role for prefix, role in _DIGEST_ROLES if lowered.startswith(prefix)), None)


def paper_from_digest(
    text: str,
    *,
    paper_id: str,
    source_path: str | None = None,
    content_hash: str | None = None,
) -> Paper:
    """Build a Paper from an rpa2 digest (read with :func:`ablab.formats.rpa2.parse.parse_digest`).

    Sections that are empty or marked as not filled are left out, so a placeholder line is never
    taken for the paper's own words. A malformed digest raises PaperError.
    """

    warnings: list[str] = []
    try:
        digest = parse_digest(text, warnings)
    except DigestFormatError as exc:
        raise PaperError(f"{source_path or paper_id}: {exc}") from None
    metadata = frontmatter_strings(
        {
            "ver": digest.ver,
            "title": digest.title,
            "arxiv_id": digest.arxiv_id,
            "source_url": digest.source_url,
            "tags": digest.tags,
            "core_contribution": digest.core_contribution,
            **digest.extra_frontmatter,
        }
    )
    doc = ParsedDocument(title=digest.title, abstract=digest.core_contribution, metadata=metadata)
    for _, heading, body in section_bodies(digest, gaps=False):
        if not body.strip():
            continue  # an absent or unfilled section says nothing about the paper
        doc.sections.append(
            RawSection(heading=heading, level=2, text=body, role=digest_role(heading))
        )
    paper = build_paper(
        doc,
        paper_id=paper_id,
        source_kind=SourceKind.DIGEST,
        source_path=source_path,
        content_hash=content_hash or sha256_hex(text.encode("utf-8")),
    )
    if warnings:  # parts of the digest read as plain text
        paper = paper.model_copy(update={"warnings": [*paper.warnings, *warnings]})
    return paper
