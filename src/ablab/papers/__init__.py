"""Paper ingestion: Markdown, plain text, LaTeX (files, folders, archives), PDF and rpa2 digests,
and papers named by arXiv ids or links and OpenReview forum links (downloaded, then read alike).

Every reader returns a :class:`ablab.schema.Paper` with a section tree whose sections carry roles;
``author_view`` cuts a paper for AblationBench's author task. Bad input raises
:class:`ablab.errors.PaperError` with a one-line message.
"""

from ablab.papers.digest import paper_from_digest
from ablab.papers.limits import DEFAULT_MAX_BYTES
from ablab.papers.loader import load_paper
from ablab.papers.markdown import paper_from_markdown
from ablab.papers.references import ArxivRef, OpenReviewRef, PaperRef, parse_reference
from ablab.papers.remote import Source, load_reference, load_source, source_id
from ablab.papers.roles import heading_role
from ablab.papers.text import paper_from_text
from ablab.papers.views import author_view

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ArxivRef",
    "OpenReviewRef",
    "PaperRef",
    "Source",
    "author_view",
    "heading_role",
    "load_paper",
    "load_reference",
    "load_source",
    "paper_from_digest",
    "paper_from_markdown",
    "paper_from_text",
    "parse_reference",
    "source_id",
]
