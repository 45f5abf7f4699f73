"""Papers from OpenReview: the submission PDF, its metadata, and what public reviews asked for.

``https://openreview.net/forum?id=X`` names a submission; its PDF is ``{base}/pdf?id=X``. The
notes of the forum (``{api}/notes?forum=X``, OpenReview's API 2 shape, where every content field
is ``{"value": ...}``; API 1's plain strings are read too) give the title, authors and abstract,
and the public official reviews. Sentences of those reviews that ask for ablations are kept in
``paper.metadata["review_ablation_requests"]`` (a JSON list), so reviewer mode can show them next
to the plan. A failed lookup of the notes never fails the paper: the PDF alone is enough.

``ABLAB_OPENREVIEW_URL`` replaces the site (``https://openreview.net``) and
``ABLAB_OPENREVIEW_API_URL`` the API (``https://api2.openreview.net``; by default the site given
in ``ABLAB_OPENREVIEW_URL`` when only that is set).
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from ablab.papers.download import DownloadError, fetch
from ablab.papers.download_cache import DownloadCache
from ablab.papers.limits import DEFAULT_MAX_BYTES
from ablab.papers.pdf import paper_from_pdf_bytes
from ablab.papers.references import OpenReviewRef
from ablab.schema import Paper

SITE_ENV = "ABLAB_OPENREVIEW_URL"
API_ENV = "ABLAB_OPENREVIEW_API_URL"
DEFAULT_SITE = "https://openreview.net"
DEFAULT_API = "https://api2.openreview.net"

REQUESTS_KEY = "review_ablation_requests"
"""Metadata key of the reviews' ablation requests (a JSON list of sentences)."""

MAX_REQUESTS = 20
_MAX_SENTENCE = 400
_MAX_NOTES_BYTES = 8 * 1024 * 1024
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*(?:[-*•]|\d+[.)])\s*|\n{2,}")
_ASKS_FOR_ABLATION = re.compile(r"\bablat", re.IGNORECASE)


def site_url() -> str:
    """The OpenReview site PDFs are downloaded from."""
    return (os.environ.get(SITE_ENV) or DEFAULT_SITE).rstrip("/")


def api_url() -> str:
    """The OpenReview API the forum's notes come from."""
    explicit = os.environ.get(API_ENV) or os.environ.get(SITE_ENV)
    return (explicit or DEFAULT_API).rstrip("/")


def _value(field: Any) -> Any:
    """A content field of API 2 (``{"value": x}``) or API 1 (``x``)."""
    return field.get("value") if isinstance(field, dict) else field


def _is_review(note: dict[str, Any]) -> bool:
    names = note.get("invitations") or [note.get("invitation") or ""]
    return any(str(name).endswith("Official_Review") for name in names)


def ablation_requests(notes: list[dict[str, Any]]) -> list[str]:
    """Sentences of the official reviews among ``notes`` that ask about ablations, in order."""
    found: list[str] = []
    for note in notes:
        if not _is_review(note) or not isinstance(note.get("content"), dict):
            continue
        for field in note["content"].values():
            text = _value(field)
            if not isinstance(text, str):
                continue
            for sentence in _SENTENCE_END.split(text):
                sentence = " ".join(sentence.split())
                if _ASKS_FOR_ABLATION.search(sentence) and sentence not in found:
                    found.append(sentence[:_MAX_SENTENCE])
    return found[:MAX_REQUESTS]


def submission_metadata(notes: list[dict[str, Any]], forum: str) -> dict[str, str]:
    """Title, authors and abstract of the submission note of ``forum`` (empty when absent)."""
    note = next((n for n in notes if n.get("id") == forum), None)
    content = note.get("content") if isinstance(note, dict) else None
    if not isinstance(content, dict):
        return {}
    out: dict[str, str] = {}
    for key in ("title", "abstract"):
        value = _value(content.get(key))
        if isinstance(value, str) and value.strip():
            out[key] = " ".join(value.split())
    authors = _value(content.get("authors"))
    if isinstance(authors, list) and all(isinstance(a, str) for a in authors) and authors:
        out["authors"] = "; ".join(authors)
    return out


def _fetch_notes(ref: OpenReviewRef) -> tuple[list[dict[str, Any]] | None, str | None]:
    url = f"{api_url()}/notes?forum={quote(ref.forum)}"
    try:
        body = fetch(url, label=str(ref), max_bytes=_MAX_NOTES_BYTES, accept="application/json")
        data = json.loads(body.body)
    except DownloadError as exc:
        return None, str(exc)
    except ValueError:
        return None, f"{ref}: {url} did not return JSON"
    notes = data.get("notes") if isinstance(data, dict) else None
    if not isinstance(notes, list):
        return None, f"{ref}: {url} has no notes"
    return [n for n in notes if isinstance(n, dict)], None


def load_openreview(
    ref: OpenReviewRef,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    cache: DownloadCache | None = None,
) -> Paper:
    """Read the OpenReview submission ``ref`` (downloading it unless cached)."""
    cache = cache or DownloadCache()
    key = f"openreview/{ref.forum}"
    label = str(ref)
    stored = cache.get(key, "paper.pdf")
    if stored is not None:
        pdf, meta = stored
    else:
        pdf_url = f"{site_url()}/pdf?id={quote(ref.forum)}"
        pdf = fetch(pdf_url, label=label, max_bytes=max_bytes, accept="application/pdf").body
        if not pdf.startswith(b"%PDF-"):
            raise DownloadError(f"{label}: {pdf_url} did not return a PDF")
        notes, problem = _fetch_notes(ref)
        meta = {
            "forum": ref.forum,
            "url": pdf_url,
            "submission": submission_metadata(notes, ref.forum) if notes else {},
            "requests": ablation_requests(notes) if notes else [],
            "notes_problem": problem,
            "fetched_at": datetime.now(UTC).isoformat(),
        }
        cache.put(key, "paper.pdf", pdf, meta)
    paper = paper_from_pdf_bytes(pdf, paper_id=ref.paper_id, source_path=label)
    return _with_metadata(paper, ref, meta)


def _with_metadata(paper: Paper, ref: OpenReviewRef, meta: dict[str, Any]) -> Paper:
    found = meta.get("submission")
    submission: dict[str, Any] = found if isinstance(found, dict) else {}
    metadata = dict(paper.metadata)
    metadata["openreview_forum"] = ref.forum
    metadata["source_url"] = f"{site_url()}/forum?id={ref.forum}"
    if submission.get("authors"):
        metadata["authors"] = str(submission["authors"])
    requests = meta.get("requests")
    if isinstance(requests, list) and requests:
        metadata[REQUESTS_KEY] = json.dumps([str(r) for r in requests], ensure_ascii=False)
    update: dict[str, Any] = {"source_path": str(ref), "metadata": metadata}
    if submission.get("title"):
        update["title"] = str(submission["title"])
    if submission.get("abstract") and not paper.abstract:
        update["abstract"] = str(submission["abstract"])
    if meta.get("notes_problem"):
        update["warnings"] = [
            *paper.warnings,
            f"no reviews or metadata from OpenReview: {meta['notes_problem']}",
        ]
    return paper.model_copy(update=update)


def review_requests(paper: Paper) -> list[str]:
    """The reviews' ablation requests stored on ``paper`` (empty when there are none)."""
    raw = paper.metadata.get(REQUESTS_KEY)
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []
