"""Turn an uploaded file or pasted text into a Paper without trusting anything in it.

The upload is written under a fresh private temporary directory (mode 0700) with a name ablab
chooses, read there (archives are unpacked by the ingestion code, inside that directory), and the
directory is removed afterwards. The client's file name only contributes a sanitised paper id.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from ablab.errors import PaperError
from ablab.papers import load_paper, paper_from_markdown
from ablab.papers.loader import default_paper_id
from ablab.papers.tree import slugify
from ablab.schema import Paper

PAPER_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip", ".pdf", ".tex", ".md", ".markdown", ".txt")
"""File types accepted for upload (longest first, so ``.tar.gz`` wins over ``.gz``)."""

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""Largest request body the app accepts by default: 20 MB."""

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def slug(text: str, *, fallback: str = "paper", limit: int = 80) -> str:
    """A file-name-safe id: letters, digits, ``.``, ``_``, ``-``; starts with a letter or digit."""
    cleaned = _UNSAFE.sub("-", text).strip(".-_")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)[:limit].strip(".-_")
    return cleaned or fallback


def upload_suffix(filename: str) -> str:
    """The accepted suffix of ``filename``; PaperError for any other type."""
    lower = filename.lower()
    for suffix in PAPER_SUFFIXES:
        if lower.endswith(suffix):
            return suffix
    raise PaperError(
        f"unsupported file type {Path(filename).name!r}; upload one of: {', '.join(PAPER_SUFFIXES)}"
    )


def base_name(filename: str) -> str:
    """The client's file name without any directory part (either slash)."""
    return re.split(r"[\\/]", filename)[-1]


def paper_id_for_upload(filename: str) -> str:
    """Paper id from the client's file name: the same id ``ablab plan`` gives that file."""
    base = base_name(filename)
    upload_suffix(base)
    return default_paper_id(Path(base))


def paper_id_for_text(text: str) -> str:
    """Paper id for pasted text: a slug of its first Markdown heading, else ``pasted-paper``."""
    for line in text.splitlines():
        if line.startswith("# "):
            return slugify(line[2:]) or "pasted-paper"
    return "pasted-paper"


def read_upload(data: bytes, filename: str) -> Paper:
    """Read an uploaded paper (any supported format) inside a private temporary directory."""
    if not data:
        raise PaperError("the uploaded file is empty")
    suffix = upload_suffix(filename)
    paper_id = paper_id_for_upload(filename)
    with tempfile.TemporaryDirectory(prefix="ablab-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        paper = load_paper(path, paper_id=paper_id)
    # The temporary path means nothing once the directory is gone; keep the client's name instead.
    return paper.model_copy(update={"source_path": base_name(filename) or None})


def read_pasted(text: str) -> Paper:
    """Read pasted Markdown or plain text."""
    if not text.strip():
        raise PaperError("the pasted text is empty")
    return paper_from_markdown(text, paper_id=paper_id_for_text(text))
