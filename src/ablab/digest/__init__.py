"""Paper digests in the ``ver: rpa2`` format: the structured model, Markdown render and parse."""

from ablab.digest.model import (
    ArchitectureOnboarding,
    ConfidenceRating,
    Digest,
    DigestLayout,
    FoundationalConcept,
    OpenQuestion,
    QuickFact,
)
from ablab.digest.parse import looks_like_digest, parse_digest
from ablab.digest.render import render_digest

__all__ = [
    "ArchitectureOnboarding",
    "ConfidenceRating",
    "Digest",
    "DigestLayout",
    "FoundationalConcept",
    "OpenQuestion",
    "QuickFact",
    "looks_like_digest",
    "parse_digest",
    "render_digest",
]
