"""rpa2 paper digests: Markdown with ``ver: rpa2`` YAML front matter and fixed ``##`` sections.

The front matter (title, arxiv_id, source_url, tags, core_contribution) becomes metadata and the
core contribution the abstract; the digest's known headings get fixed roles.
"""

from __future__ import annotations

from ablab.papers.markdown import parse_markdown
from ablab.papers.source import sha256_hex
from ablab.papers.tree import build_paper
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
    """Build a Paper from an rpa2 digest."""
    doc = parse_markdown(text)
    doc.abstract = doc.metadata.get("core_contribution", "")
    for section in doc.sections:
        if section.level == 2:
            section.role = digest_role(section.heading)
    return build_paper(
        doc,
        paper_id=paper_id,
        source_kind=SourceKind.DIGEST,
        source_path=source_path,
        content_hash=content_hash or sha256_hex(text.encode("utf-8")),
    )
