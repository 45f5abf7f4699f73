"""File names of digests on disk (``ablab digest --out``): one Markdown file and one record each."""

DIGEST_SUFFIX = ".digest.md"
"""Suffix of a digest file: ``<paper_id>.digest.md``."""
RECORD_SUFFIX = ".digest.json"
"""Suffix of the record next to it (content hash, model, usage): ``<paper_id>.digest.json``."""
