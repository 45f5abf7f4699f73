"""``load_paper``: pick the reader for a path by its suffix and content, and read it safely."""

from __future__ import annotations

import re
from pathlib import Path

from ablab._util.hashing import sha256_hex
from ablab.papers.collect import paper_in_folder
from ablab.papers.digest import paper_from_digest
from ablab.papers.latex import paper_from_latex_archive, paper_from_latex_dir, paper_from_latex_file
from ablab.papers.limits import DEFAULT_MAX_BYTES
from ablab.papers.markdown import paper_from_markdown, split_frontmatter
from ablab.papers.pdf import paper_from_pdf_bytes
from ablab.papers.source import decode_text, read_source_bytes
from ablab.papers.text import paper_from_text
from ablab.papers.tree import slugify
from ablab.schema import Paper

_ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")
_MARKDOWN_SUFFIXES = (".md", ".markdown")
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}")


def default_paper_id(path: Path) -> str:
    """The file stem (archive suffixes removed) or directory name, slugified only when unsafe.

    Safe stems are kept as they are because benchmark ids (``Machine_Learning_from_Explanations``)
    must survive the round trip from dataset to run directory.
    """
    name = path.name
    lowered = name.lower()
    for suffix in (*_ARCHIVE_SUFFIXES, ".gz", ".pdf", ".tex", ".txt", *_MARKDOWN_SUFFIXES):
        if lowered.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    if _SAFE_ID.fullmatch(name):
        return name
    return slugify(name) or "paper"


def load_paper(
    path: str | Path, *, paper_id: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Paper:
    """Read a paper from a Markdown, text, LaTeX (file, folder or archive), PDF or digest source.

    Raises PaperError with a one-line message for anything that cannot be read safely: missing,
    empty, binary, too large (over ``max_bytes``), corrupt or encrypted files, unsafe archives.
    """
    path = Path(path)
    paper_id = paper_id or default_paper_id(path)
    if path.is_dir():
        named = paper_in_folder(path)  # AblationBench's <id>/<id>.md
        if named is None:
            return paper_from_latex_dir(path, paper_id=paper_id, max_bytes=max_bytes)
        path = named
    data = read_source_bytes(path, max_bytes)
    lowered = path.name.lower()
    if lowered.endswith(".pdf") or data.startswith(b"%PDF-"):
        return paper_from_pdf_bytes(data, paper_id=paper_id, source_path=str(path))
    if lowered.endswith(_ARCHIVE_SUFFIXES) or _is_archive_magic(data):
        return paper_from_latex_archive(path, data, paper_id=paper_id, max_bytes=max_bytes)
    text, warnings = decode_text(data, str(path))
    paper = _paper_from_text_source(path, lowered, text, paper_id, sha256_hex(data), max_bytes)
    if warnings:
        paper = paper.model_copy(update={"warnings": [*warnings, *paper.warnings]})
    return paper


def _is_archive_magic(data: bytes) -> bool:
    return data.startswith((b"PK\x03\x04", b"\x1f\x8b")) or data[257:262] == b"ustar"


def _paper_from_text_source(
    path: Path, lowered: str, text: str, paper_id: str, content_hash: str, max_bytes: int
) -> Paper:
    source = str(path)
    front, _ = split_frontmatter(text)
    if front is not None and str(front.get("ver", "")).startswith("rpa"):
        return paper_from_digest(
            text, paper_id=paper_id, source_path=source, content_hash=content_hash
        )
    if lowered.endswith(".tex") or (
        not lowered.endswith(_MARKDOWN_SUFFIXES) and "\\begin{document}" in text
    ):
        return paper_from_latex_file(path, paper_id=paper_id, max_bytes=max_bytes)
    if lowered.endswith(_MARKDOWN_SUFFIXES) or _looks_like_markdown(text):
        return paper_from_markdown(
            text, paper_id=paper_id, source_path=source, content_hash=content_hash
        )
    return paper_from_text(text, paper_id=paper_id, source_path=source, content_hash=content_hash)


def _looks_like_markdown(text: str) -> bool:
    """At least two ATX headings at line starts: treat a .txt file as Markdown."""
    count = 0
    for line in text.splitlines():
        if (
            line.startswith("#")
            and line.lstrip("#").startswith(" ")
            and len(line) - len(line.lstrip("#")) <= 6
        ):
            count += 1
            if count >= 2:
                return True
    return False
