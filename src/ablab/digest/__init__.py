"""Paper digests in the ``ver: rpa2`` format: the structured model, Markdown render and parse,
and the writers (``write_digest``: offline by default, with a model when one is given)."""

from ablab.digest.write import DigestOutcome, awrite_digest, write_digest
from ablab.formats.rpa2.model import (
    ArchitectureOnboarding,
    ConfidenceRating,
    Digest,
    DigestLayout,
    FoundationalConcept,
    OpenQuestion,
    QuickFact,
)
from ablab.formats.rpa2.parse import looks_like_digest, parse_digest
from ablab.formats.rpa2.render import render_digest

__all__ = [
    "ArchitectureOnboarding",
    "ConfidenceRating",
    "Digest",
    "DigestLayout",
    "DigestOutcome",
    "FoundationalConcept",
    "OpenQuestion",
    "QuickFact",
    "awrite_digest",
    "looks_like_digest",
    "parse_digest",
    "render_digest",
    "write_digest",
]
