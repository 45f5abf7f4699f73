"""PDF papers via pypdf: text in reading order, with font cues for headings and the title.

Per page, pypdf's ``extract_text`` visitor reports every text run with its font and size; runs
are joined into lines that remember their dominant font size and boldness. Then: running
headers, footers and page numbers (lines repeating at the top or bottom of most pages) are
dropped, words hyphenated across line ends are joined, the title is the largest text on page 1,
and headings come from numbering plus font cues (:func:`ablab.papers.text.parse_lines`).
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, PdfReadError

from ablab._util.hashing import sha256_hex
from ablab._util.text import reason, strip_controls
from ablab.errors import PaperError
from ablab.papers.text import parse_lines
from ablab.papers.tree import build_paper
from ablab.schema import Paper, SourceKind

_BOLD_FONT = re.compile(r"bold|black|heavy|demi|semibold|medi|cmbx|\bbx|-bx|sbold", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE)
_ARXIV_STAMP = re.compile(
    r"^arXiv:(?P<id>\d{4}\.\d{4,5})(?:v\d+)?\s*\[[^\]]+\]\s+\d{1,2}\s+\w+\s+\d{4}$"
)
_GLUED_NUMBER = re.compile(r"^((?:\d{1,2}|[A-Z])(?:\.\d{1,2})*)(?=[A-Z][a-z])")
_HYPHEN_END = re.compile(r"(?<=[A-Za-z])-$")
_KEEP_HYPHEN_AFTER = frozenset({"self", "cross", "fine", "semi"})
_EDGE_LINES = 2  # lines at the top and bottom of a page checked for running headers/footers
_MIN_TEXT_CHARS = 20
_TITLE_SEARCH_LINES = 15


@dataclass
class _Line:
    text: str = ""
    sizes: Counter[float] = field(default_factory=Counter)
    bold_chars: int = 0

    @property
    def size(self) -> float:
        return self.sizes.most_common(1)[0][0] if self.sizes else 0.0

    @property
    def bold(self) -> bool:
        chars = sum(self.sizes.values())
        return chars > 0 and self.bold_chars >= 0.6 * chars


def paper_from_pdf_bytes(data: bytes, *, paper_id: str, source_path: str | None = None) -> Paper:
    """Build a Paper from PDF bytes; PaperError for encrypted, corrupt or text-less PDFs."""
    name = source_path or paper_id
    pages = _read_pages(data, name)
    lines = [line for page in _drop_running_lines(pages) for line in page]
    metadata: dict[str, str] = {}
    lines = _drop_stamps(lines, metadata)
    if sum(len(line.text.strip()) for line in lines) < _MIN_TEXT_CHARS:
        raise PaperError(f"{name}: PDF has no extractable text (a scanned document?)")
    body_size = _body_size(lines)
    title, lines = _take_title(lines, body_size, pages[0] if pages else [])
    lines = _join_hyphenation(lines)
    styles = [_style(line, body_size) for line in lines]
    texts = [
        _unglue(line.text) if style else line.text
        for line, style in zip(lines, styles, strict=True)
    ]
    doc = parse_lines(texts, styles)
    doc.title = title
    doc.metadata.update(metadata)
    doc.metadata["pages"] = str(len(pages))
    return build_paper(
        doc,
        paper_id=paper_id,
        source_kind=SourceKind.PDF,
        source_path=source_path,
        content_hash=sha256_hex(data),
    )


def _read_pages(data: bytes, name: str) -> list[list[_Line]]:
    if b"%%EOF" not in data[-2048:]:
        raise PaperError(f"{name}: PDF is truncated (no end-of-file marker)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opens_with_empty_password(reader):
            raise PaperError(f"{name}: PDF is encrypted and needs a password")
        return [_page_lines(page) for page in reader.pages]
    except PaperError:
        raise
    except DependencyError:
        raise PaperError(
            f"{name}: PDF is encrypted with AES; install 'cryptography' to read it"
        ) from None
    except Exception as exc:  # pypdf raises many exception types on malformed files
        raise PaperError(f"{name}: PDF is corrupt or unreadable ({reason(exc)})") from None


def _opens_with_empty_password(reader: PdfReader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except (PdfReadError, NotImplementedError):
        return False


def _page_lines(page: Any) -> list[_Line]:
    lines = [_Line()]

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        scale = _vertical_scale(tm, cm)
        font_name = str(font.get("/BaseFont", "")) if font else ""
        bold = bool(_BOLD_FONT.search(font_name))
        effective = round(size * scale, 1)
        for index, piece in enumerate(strip_controls(text).split("\n")):
            if index:
                lines.append(_Line())
            line = lines[-1]
            line.text += piece
            visible = sum(1 for ch in piece if not ch.isspace())
            if visible and effective > 0:
                line.sizes[effective] += visible
                line.bold_chars += visible if bold else 0

    page.extract_text(visitor_text=visit)
    return [line for line in lines if line.text.strip()]


def _vertical_scale(tm: list[float], cm: list[float]) -> float:
    """Vertical scale of the text rendering matrix (Tm x CTM)."""
    c = tm[2] * cm[0] + tm[3] * cm[2]
    d = tm[2] * cm[1] + tm[3] * cm[3]
    scale = math.hypot(c, d)
    return scale if scale > 0 else 1.0


def _edge_key(line: _Line) -> str:
    return re.sub(r"\d+", "#", " ".join(line.text.split()).lower())


def _drop_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Remove page numbers and lines repeating at the top/bottom of at least half the pages.

    A repeated line set larger than its smallest occurrence is kept: that is page 1's title,
    not the running title that repeats it in small print.
    """
    counts: Counter[str] = Counter()
    smallest: dict[str, float] = {}
    for page in pages:
        edge_lines = page[:_EDGE_LINES] + page[-_EDGE_LINES:]
        counts.update({_edge_key(line) for line in edge_lines})
        for line in edge_lines:
            key = _edge_key(line)
            smallest[key] = min(smallest.get(key, line.size), line.size)
    needed = max(2, math.ceil(len(pages) / 2))
    repeated = {key for key, count in counts.items() if count >= needed}

    def running(line: _Line) -> bool:
        key = _edge_key(line)
        if key in repeated and line.size <= smallest[key] + 0.5:
            return True
        return bool(_PAGE_NUMBER.match(line.text.strip()))

    cleaned = []
    for page in pages:
        edge = {id(line) for line in page[:_EDGE_LINES] + page[-_EDGE_LINES:]}
        cleaned.append([line for line in page if id(line) not in edge or not running(line)])
    return cleaned


def _drop_stamps(lines: list[_Line], metadata: dict[str, str]) -> list[_Line]:
    """Drop arXiv's margin stamp, keeping the arXiv id it gives."""
    kept = []
    for line in lines:
        stamp = _ARXIV_STAMP.match(" ".join(line.text.split()))
        if stamp:
            metadata.setdefault("arxiv_id", stamp["id"])
        else:
            kept.append(line)
    return kept


def _body_size(lines: list[_Line]) -> float:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes.update(line.sizes)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _take_title(
    lines: list[_Line], body_size: float, first_page: list[_Line]
) -> tuple[str, list[_Line]]:
    """The run of largest-font lines near the top of page 1, removed from the lines."""
    on_first = {id(line) for line in first_page}
    head = [i for i, line in enumerate(lines[:_TITLE_SEARCH_LINES]) if id(line) in on_first]
    if not head:
        return "", lines
    largest = max(lines[i].size for i in head)
    if largest < body_size * 1.15:
        return "", lines
    start = next(i for i in head if lines[i].size >= largest - 0.5)
    end = start
    while end < len(lines) and id(lines[end]) in on_first and lines[end].size >= largest - 0.5:
        end += 1
    title = " ".join(" ".join(line.text.split()) for line in lines[start:end])
    return title, lines[:start] + lines[end:]


def _join_hyphenation(lines: list[_Line]) -> list[_Line]:
    """ "repre-" + "sentation..." -> "representation" (the hyphen stays in "self-supervised")."""
    result: list[_Line] = []
    for index, line in enumerate(lines):
        text = line.text.rstrip()
        nxt = lines[index + 1].text.lstrip() if index + 1 < len(lines) else ""
        if _HYPHEN_END.search(text) and nxt and nxt[0].isalpha():
            word = text[:-1].rsplit(" ", 1)[-1].lower()
            # "Vision-Language", "self-supervised", "state-of-the-art" keep their hyphen.
            keep = nxt[0].isupper() or word in _KEEP_HYPHEN_AFTER or "-" in word
            first, _, rest = nxt.partition(" ")
            text = (text if keep else text[:-1]) + first
            lines[index + 1] = _Line(rest, lines[index + 1].sizes, lines[index + 1].bold_chars)
        if text.strip():
            result.append(_Line(text, line.sizes, line.bold_chars))
    return result


def _style(line: _Line, body_size: float) -> str:
    if body_size and line.size >= body_size * 1.1 and line.size - body_size >= 0.9:
        return "large"
    return "bold" if line.bold else ""


def _unglue(text: str) -> str:
    """ "3Method" -> "3 Method" (some PDFs place the number without a space)."""
    return _GLUED_NUMBER.sub(r"\1 ", text.strip())
