"""Papers from arXiv: the LaTeX source when there is one, else the PDF, plus metadata.

``{base}/e-print/{id}`` serves what the authors submitted: a gzipped tar of a LaTeX project, a
single gzipped ``.tex`` file, or (for PDF-only submissions) the PDF itself. The source goes
through exactly the checks of a local archive (:func:`ablab.papers.project.open_archive`); when
there is no source, or it holds no ``.tex`` file, ``{base}/pdf/{id}`` is read instead. The base
is ``https://arxiv.org`` unless ``ABLAB_ARXIV_URL`` names a mirror (or a test server).

Title, authors, abstract and the version served come from arXiv's API (Atom XML) when it
answers; a failed lookup only adds a warning, the paper is read all the same. Everything
downloaded is cached by id and version (:mod:`ablab.papers.download_cache`), so a second run
sends no request.
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree

from ablab.errors import PaperError
from ablab.papers.download import DownloadError, NotFoundError, fetch
from ablab.papers.download_cache import DownloadCache
from ablab.papers.latex import paper_from_latex_archive
from ablab.papers.limits import DEFAULT_MAX_BYTES
from ablab.papers.pdf import paper_from_pdf_bytes
from ablab.papers.project import open_archive
from ablab.papers.references import ArxivRef, parse_arxiv_id
from ablab.schema import Paper

ARXIV_URL_ENV = "ABLAB_ARXIV_URL"
"""Environment variable naming an arXiv mirror (``https://arxiv.org`` by default)."""

DEFAULT_ARXIV_URL = "https://arxiv.org"
DEFAULT_API_URL = "https://export.arxiv.org/api/query"
"""arXiv's API, on the host arXiv reserves for programs."""

_ATOM = "{http://www.w3.org/2005/Atom}"
_MAX_METADATA_BYTES = 2 * 1024 * 1024
_HTML_STARTS = (b"<!doctype html", b"<html", b"<?xml", b"<head")


def arxiv_base() -> str:
    """The arXiv site (or mirror) papers are downloaded from."""
    return (os.environ.get(ARXIV_URL_ENV) or DEFAULT_ARXIV_URL).rstrip("/")


def _api_url() -> str:
    mirror = os.environ.get(ARXIV_URL_ENV)
    return f"{mirror.rstrip('/')}/api/query" if mirror else DEFAULT_API_URL


@dataclass
class ArxivMetadata:
    """What arXiv's API says about a paper."""

    title: str = ""
    """Title, on one line."""
    authors: list[str] = field(default_factory=list)
    """Author names in order."""
    abstract: str = ""
    """Abstract, whitespace folded."""
    version: int | None = None
    """The version the API describes (the latest, when no version was asked for)."""
    published: str = ""
    """Date of the first version (ISO 8601)."""


def _fold(text: str | None) -> str:
    return " ".join((text or "").split())


def parse_atom(data: bytes, ref: ArxivRef) -> ArxivMetadata | None:
    """The entry for ``ref`` in an arXiv API answer, or None when it has none (or an error)."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None
    for entry in root.iter(f"{_ATOM}entry"):
        entry_id = _fold(entry.findtext(f"{_ATOM}id"))
        found = parse_arxiv_id(entry_id.rsplit("/abs/", 1)[-1]) if "/abs/" in entry_id else None
        if found is None or found.arxiv_id != ref.arxiv_id:
            continue
        return ArxivMetadata(
            title=_fold(entry.findtext(f"{_ATOM}title")),
            authors=[
                _fold(author.findtext(f"{_ATOM}name"))
                for author in entry.iter(f"{_ATOM}author")
                if _fold(author.findtext(f"{_ATOM}name"))
            ],
            abstract=_fold(entry.findtext(f"{_ATOM}summary")),
            version=found.version,
            published=_fold(entry.findtext(f"{_ATOM}published")),
        )
    return None


def fetch_metadata(ref: ArxivRef) -> tuple[ArxivMetadata | None, str | None]:
    """Metadata from arXiv's API and, when there is none, why (never raises)."""
    url = f"{_api_url()}?id_list={quote(ref.versioned, safe='/.')}&max_results=1"
    try:
        response = fetch(
            url, label=str(ref), max_bytes=_MAX_METADATA_BYTES, accept="application/atom+xml"
        )
    except DownloadError as exc:
        return None, str(exc)
    found = parse_atom(response.body, ref)
    return found, None if found else f"{ref}: arXiv's API has no entry for it"


def classify(data: bytes) -> str:
    """What an e-print download is: ``archive``, ``pdf``, ``gzipped-pdf``, ``tex`` or ``other``."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x1f\x8b"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
                head = handle.read(1024)
        except (OSError, EOFError, zlib.error):
            return "archive"  # let the archive reader report the damage
        return "gzipped-pdf" if head.startswith(b"%PDF-") else "archive"
    if data.startswith(b"PK\x03\x04") or data[257:262] == b"ustar":
        return "archive"
    head = data[:4096].lstrip().lower()
    if head.startswith(_HTML_STARTS):
        return "other"
    if b"\\documentclass" in data[:200_000] or b"\\begin{document}" in data:
        return "tex"
    return "other"


def _gunzip(data: bytes, label: str, max_bytes: int) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
        try:
            out = handle.read(max_bytes + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise PaperError(f"{label}: not a readable gzip file ({exc})") from None
    if len(out) > max_bytes:
        raise PaperError(f"{label}: the source unpacks beyond the limit of {max_bytes:,} bytes")
    return out


def _paper_from_source(
    kind: str, data: bytes, *, label: str, paper_id: str, max_bytes: int
) -> Paper | None:
    """The paper in an e-print download, or None when it holds no LaTeX to read."""
    if kind == "pdf":
        return paper_from_pdf_bytes(data, paper_id=paper_id, source_path=label)
    if kind == "gzipped-pdf":
        pdf = _gunzip(data, label, max_bytes)
        return paper_from_pdf_bytes(pdf, paper_id=paper_id, source_path=label)
    if kind == "tex":
        # A bare .tex file is read as the one-file archive arXiv usually serves, so it takes
        # the very same path (and checks) as a gzipped one.
        data = gzip.compress(data, mtime=0)
    elif kind != "archive":
        return None
    if not open_archive(Path(label), data, max_bytes=max_bytes).tex_files():
        return None  # figures or a PDF only: read the PDF instead
    return paper_from_latex_archive(Path(label), data, paper_id=paper_id, max_bytes=max_bytes)


def _download(ref: ArxivRef, max_bytes: int) -> tuple[str, str, bytes]:
    """(kind, url, bytes) of the source, else of the PDF."""
    base = arxiv_base()
    label = str(ref)
    source_url = f"{base}/e-print/{ref.versioned}"
    try:
        data = fetch(source_url, label=label, max_bytes=max_bytes).body
    except NotFoundError:
        data = b""
    kind = classify(data) if data else "other"
    if kind in ("archive", "pdf", "gzipped-pdf", "tex"):
        return kind, source_url, data
    pdf_url = f"{base}/pdf/{ref.versioned}"
    try:
        pdf = fetch(pdf_url, label=label, max_bytes=max_bytes, accept="application/pdf").body
    except NotFoundError:
        raise NotFoundError(f"{label}: arXiv has no such paper ({pdf_url} not found)") from None
    if not pdf.startswith(b"%PDF-"):
        raise DownloadError(f"{label}: {pdf_url} did not return a PDF")
    return "pdf", pdf_url, pdf


def load_arxiv(
    ref: ArxivRef, *, max_bytes: int = DEFAULT_MAX_BYTES, cache: DownloadCache | None = None
) -> Paper:
    """Read the arXiv paper ``ref`` (downloading it unless cached); see the module docstring.

    Raises PaperError (DownloadError for network trouble) with one line naming the paper.
    """
    cache = cache or DownloadCache()
    key = f"arxiv/{ref.paper_id}/{f'v{ref.version}' if ref.version else 'latest'}"
    label = str(ref)
    stored = cache.get(key, "source")
    if stored is not None:
        data, meta = stored
        kind = str(meta.get("kind", "other"))
    else:
        kind, url, data = _download(ref, max_bytes)
        metadata, problem = fetch_metadata(ref)
        meta = {
            "arxiv_id": ref.arxiv_id,
            "requested_version": ref.version,
            "kind": kind,
            "url": url,
            "metadata": asdict(metadata) if metadata else None,
            "metadata_problem": problem,
            "fetched_at": datetime.now(UTC).isoformat(),
        }
        cache.put(key, "source", data, meta)
    paper = _paper_from_source(kind, data, label=label, paper_id=ref.paper_id, max_bytes=max_bytes)
    if paper is None:  # a source without LaTeX: the PDF it was built into
        pdf_key = f"{key}/pdf"
        pdf_stored = cache.get(pdf_key, "paper.pdf")
        if pdf_stored is None:
            pdf_url = f"{arxiv_base()}/pdf/{ref.versioned}"
            pdf = fetch(pdf_url, label=label, max_bytes=max_bytes, accept="application/pdf").body
            cache.put(pdf_key, "paper.pdf", pdf, {"url": pdf_url})
        else:
            pdf = pdf_stored[0]
        paper = paper_from_pdf_bytes(pdf, paper_id=ref.paper_id, source_path=label)
    return with_arxiv_metadata(paper, ref, meta)


def with_arxiv_metadata(paper: Paper, ref: ArxivRef, meta: dict[str, Any]) -> Paper:
    """``paper`` with arXiv's id, link, title, authors and abstract where the source lacks them."""
    found = meta.get("metadata") if isinstance(meta.get("metadata"), dict) else None
    version = ref.version or (found or {}).get("version")
    metadata = dict(paper.metadata)
    metadata["arxiv_id"] = ref.arxiv_id
    metadata["source_url"] = f"{arxiv_base()}/abs/{ref.versioned}"
    if version:
        metadata["arxiv_version"] = f"v{version}"
    update: dict[str, Any] = {"source_path": str(ref), "metadata": metadata}
    warnings = list(paper.warnings)
    if found:
        if found.get("authors"):
            metadata["authors"] = "; ".join(found["authors"])
        if found.get("published"):
            metadata["published"] = str(found["published"])
        if found.get("title"):
            update["title"] = found["title"]  # the API's title beats one guessed from a PDF
        if found.get("abstract") and not paper.abstract:
            update["abstract"] = found["abstract"]
    elif meta.get("metadata_problem"):
        warnings.append(f"no metadata from arXiv: {meta['metadata_problem']}")
    update["warnings"] = warnings
    return paper.model_copy(update=update)
