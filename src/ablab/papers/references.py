"""Papers named by where researchers find them: arXiv ids and links, OpenReview forum links.

Accepted forms (case of the ``arxiv:`` prefix and of the host does not matter):

- ``2501.01234``, ``2501.01234v2``, ``arxiv:2501.01234v2``; old-style ``hep-th/9901001``,
  ``math.GT/0309136v1``;
- ``https://arxiv.org/abs/2501.01234``, ``.../pdf/2501.01234v2`` (with or without ``.pdf``),
  ``.../e-print/...`` and ``.../html/...`` links, ``www.`` and ``export.`` hosts included;
- ``https://openreview.net/forum?id=XXXX`` and ``.../pdf?id=XXXX``; ``openreview:XXXX``.

Parsing is pure (no network); :mod:`ablab.papers.remote` fetches what a reference names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_ID = re.compile(rf"(?P<id>{_NEW_ID}|{_OLD_ID})(?:v(?P<version>[1-9]\d{{0,3}}))?")
_ARXIV_HOSTS = frozenset({"arxiv.org", "www.arxiv.org", "export.arxiv.org"})
_ARXIV_PATHS = ("abs", "pdf", "e-print", "html", "format")
_OPENREVIEW_HOSTS = frozenset({"openreview.net", "www.openreview.net"})
_OPENREVIEW_ID = re.compile(r"[A-Za-z0-9_\-]{4,64}")


@dataclass(frozen=True)
class ArxivRef:
    """An arXiv paper, optionally at one version."""

    arxiv_id: str
    """The id without version (``2501.01234``, ``hep-th/9901001``)."""
    version: int | None = None
    """The version asked for (``2`` for ``v2``), or None for the latest."""

    @property
    def versioned(self) -> str:
        """The id with its version when one was asked for (``2501.01234v2``)."""
        return f"{self.arxiv_id}v{self.version}" if self.version else self.arxiv_id

    @property
    def paper_id(self) -> str:
        """The id used for run-directory files: the arXiv id (``/`` of old ids becomes ``_``)."""
        return self.versioned.replace("/", "_")

    def __str__(self) -> str:
        return f"arxiv:{self.versioned}"


@dataclass(frozen=True)
class OpenReviewRef:
    """An OpenReview submission, named by its forum id."""

    forum: str
    """The forum id (``id=`` of a forum link)."""

    @property
    def paper_id(self) -> str:
        """The id used for run-directory files: the forum id."""
        return self.forum

    def __str__(self) -> str:
        return f"openreview:{self.forum}"


PaperRef = ArxivRef | OpenReviewRef
"""A paper named by a remote reference."""


def parse_arxiv_id(text: str) -> ArxivRef | None:
    """An arXiv id with optional version (``2501.01234v2``), or None."""
    match = _ARXIV_ID.fullmatch(text.strip())
    if match is None:
        return None
    version = match.group("version")
    return ArxivRef(match.group("id"), int(version) if version else None)


def parse_reference(text: str) -> PaperRef | None:
    """The paper ``text`` names as an arXiv id or link or an OpenReview link, or None."""
    text = text.strip()
    lowered = text.lower()
    if lowered.startswith("arxiv:"):
        return parse_arxiv_id(text[len("arxiv:") :])
    if lowered.startswith("openreview:"):
        forum = text[len("openreview:") :].strip()
        return OpenReviewRef(forum) if _OPENREVIEW_ID.fullmatch(forum) else None
    if lowered.startswith(("http://", "https://")):
        return _parse_url(text)
    return parse_arxiv_id(text)


def _parse_url(text: str) -> PaperRef | None:
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    if host in _ARXIV_HOSTS:
        path = parts.path.strip("/")
        kind, _, rest = path.partition("/")
        if kind not in _ARXIV_PATHS or not rest:
            return None
        rest = rest.removesuffix(".pdf").removesuffix("/")
        return parse_arxiv_id(rest)
    if host in _OPENREVIEW_HOSTS and parts.path.rstrip("/") in ("/forum", "/pdf"):
        forum = (parse_qs(parts.query).get("id") or [""])[0]
        return OpenReviewRef(forum) if _OPENREVIEW_ID.fullmatch(forum) else None
    return None


def read_reference_list(text: str) -> list[PaperRef] | None:
    """The references of a list file (one per line, ``#`` comments), or None if it is not one.

    A file is a list only when every non-blank, non-comment line is a reference, so a paper
    saved as text is never mistaken for one.
    """
    refs: list[PaperRef] = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip() if not line.lstrip().startswith("http") else line
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        ref = parse_reference(entry)
        if ref is None:
            return None
        refs.append(ref)
    return refs or None
