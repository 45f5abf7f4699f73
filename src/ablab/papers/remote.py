"""Read a paper from wherever it is: a local path, or an arXiv / OpenReview reference."""

from __future__ import annotations

from pathlib import Path

from ablab.papers.arxiv import load_arxiv
from ablab.papers.limits import DEFAULT_MAX_BYTES
from ablab.papers.loader import default_paper_id, load_paper
from ablab.papers.openreview import load_openreview
from ablab.papers.references import ArxivRef, OpenReviewRef, PaperRef
from ablab.schema import Paper

Source = Path | ArxivRef | OpenReviewRef
"""Anything a paper can be read from."""


def load_reference(
    ref: PaperRef, *, paper_id: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Paper:
    """Download (or take from the download cache) and read the paper ``ref`` names."""
    if isinstance(ref, ArxivRef):
        paper = load_arxiv(ref, max_bytes=max_bytes)
    else:
        paper = load_openreview(ref, max_bytes=max_bytes)
    return (
        paper
        if paper_id is None or paper_id == paper.id
        else paper.model_copy(update={"id": paper_id})
    )


def load_source(
    source: Source, *, paper_id: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Paper:
    """:func:`ablab.papers.load_paper` for paths, :func:`load_reference` for references."""
    if isinstance(source, Path):
        return load_paper(source, paper_id=paper_id, max_bytes=max_bytes)
    return load_reference(source, paper_id=paper_id, max_bytes=max_bytes)


def source_id(source: Source) -> str:
    """The paper id a source gets by default (file stem, arXiv id, forum id)."""
    if isinstance(source, Path):
        return default_paper_id(source)
    return source.paper_id
