"""The text lines of a PDF, with their position and font, read with pypdfium2 (PDFium).

PDFium builds each page's text in content-stream order and breaks it into lines. For every line
this module samples a few characters (not all: a call into PDFium costs microseconds and a
40-page paper has 150,000 characters) for its font size, boldness and box, and flags lines whose
text lives inside an embedded figure (a form XObject that is not the whole page), which is where
plot legends, axis labels and diagram labels come from.
"""

from __future__ import annotations

import ctypes
import math
import re
import threading
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ablab.errors import PaperError

_BOLD_NAME = re.compile(r"bold|black|heavy|demi|semibold|medi|cmbx|\bbx|-bx|sbold", re.IGNORECASE)
_BOLD_WEIGHT = 600
_FORCE_BOLD_FLAG = 1 << 18
# PDFium ends a line with U+FFFE (and no line break) where a word is hyphenated across lines;
# it is split here like any line end, the hyphen kept for the later joining step.
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\ufffe\s*")
_TABLE_CHARS = re.compile(r"[0-9%±✓✗×↑↓\-.]")
# A form at least this wide and tall (shares of the page) holds the page itself, not a figure:
# publishers wrap whole pages in one form to add a stamp.
_PAGE_WRAPPER_WIDTH = 0.7
_PAGE_WRAPPER_HEIGHT = 0.6
_WRAPPED_PAGE_OBJECTS = 3
_NAME_BUFFER = 128


@dataclass
class Line:
    """One text line of a page, in PDF points with the origin at the page's top-left."""

    text: str
    page: int
    """0-based page index."""
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    """Font size of the line's body characters (the median of a few samples)."""
    bold: bool
    """Whether the sampled characters are all bold."""
    bold_prefix: int = 0
    """Length of a leading bold run when the rest of the line is not bold ("Ablation. We ...")."""
    figure: bool = False
    """Whether the text comes from an embedded figure (plot, diagram)."""
    cells: list[str] | None = None
    """For number-heavy lines (table rows): the text split at wide gaps between words."""

    @property
    def width(self) -> float:
        """Horizontal extent of the line."""
        return self.x1 - self.x0

    @property
    def center(self) -> float:
        """Horizontal centre of the line."""
        return (self.x0 + self.x1) / 2


@dataclass
class Page:
    """The lines of one page and its size."""

    index: int
    width: float
    height: float
    lines: list[Line]


_PDFIUM_LOCK = threading.Lock()
"""PDFium is not thread-safe, not even on different documents: two papers read at once in two
threads (a batch's readers, two uploads to the web app) crash the process. One at a time."""


def read_layout(data: bytes, name: str) -> list[Page]:
    """Every page's lines; PaperError for encrypted, corrupt or truncated PDFs."""
    if b"%%EOF" not in data[-2048:]:
        raise PaperError(f"{name}: PDF is truncated (no end-of-file marker)")
    with _PDFIUM_LOCK:
        return _read_document(data, name)


def _read_document(data: bytes, name: str) -> list[Page]:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise PaperError(f"{name}: PDF is encrypted and needs a password") from None
        raise PaperError(f"{name}: PDF is corrupt or unreadable ({exc})") from None
    try:
        return [_read_page(document, index) for index in range(len(document))]
    except pdfium.PdfiumError as exc:
        raise PaperError(f"{name}: PDF is corrupt or unreadable ({exc})") from None
    finally:
        document.close()


# LaTeX's math-italic fonts (OML encoding) often reach a PDF without a Unicode map, so PDFium
# gives their glyph codes as control characters: ε comes out as U+000F. Control characters are
# never text, so the ones OML uses for Greek letters are read as those letters (tab, line feed
# and carriage return, which PDFium itself emits, are left alone; OML's γ at U+000D is lost).
_OML_GREEK = str.maketrans(
    {
        0x0B: "α", 0x0C: "β", 0x0E: "δ", 0x0F: "ϵ", 0x10: "ζ", 0x11: "η", 0x12: "θ",
        0x13: "ι", 0x14: "κ", 0x15: "λ", 0x16: "μ", 0x17: "ν", 0x18: "ξ", 0x19: "π",
        0x1A: "ρ", 0x1B: "σ", 0x1C: "τ", 0x1D: "υ", 0x1E: "φ", 0x1F: "χ",
    }
)  # fmt: skip


def unmapped_greek(text: str) -> str:
    """``text`` with OML glyph codes PDFium could not map read as the Greek letters they are."""
    return text.translate(_OML_GREEK)


def _read_page(document: pdfium.PdfDocument, index: int) -> Page:
    page = document[index]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            figure_objects = _figure_text_objects(page.raw, width, height)
            lines = _merge_fragments(list(_lines(textpage.raw, index, height, figure_objects)))
        finally:
            textpage.close()
    finally:
        page.close()
    return Page(index=index, width=width, height=height, lines=lines)


def _figure_text_objects(raw_page: object, width: float, height: float) -> set[int]:
    """Addresses of text objects nested in figure forms (forms smaller than the page)."""
    found: set[int] = set()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))

    count = pdfium_c.FPDFPage_CountObjects(raw_page)
    # A page drawn as one form (with at most a stamp beside it) is a wrapper even when the form
    # is only as wide as a narrow text block (ICLR's, 0.65 of the page).
    sole = count <= _WRAPPED_PAGE_OBJECTS

    def visit(obj: Any, inside_figure: bool) -> None:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            if inside_figure:
                found.add(ctypes.cast(obj, ctypes.c_void_p).value or 0)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            figure = inside_figure
            if not figure:
                pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
                wide = right.value - left.value >= _PAGE_WRAPPER_WIDTH * width
                tall = top.value - bottom.value >= _PAGE_WRAPPER_HEIGHT * height
                figure = not ((wide or sole) and tall)
            for child in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                visit(pdfium_c.FPDFFormObj_GetObject(obj, child), figure)

    get_type = pdfium_c.FPDFPage_GetObject
    for position in range(count):
        obj = get_type(raw_page, position)
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_FORM:
            visit(obj, False)
    return found


def _page_text(raw_textpage: object) -> str:
    count = pdfium_c.FPDFText_CountChars(raw_textpage)
    if count <= 0:
        return ""
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    written = pdfium_c.FPDFText_GetText(
        raw_textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    )
    # Offsets in this text are PDFium "text indices" (UTF-16 units; some characters give no
    # text), mapped to character indices when sampled. A surrogate pair stays two characters
    # here so that string offsets are unit offsets; lines are decoded later.
    return "".join(map(chr, array("H", buffer.raw[: max(written - 1, 0) * 2])))


def _lines(
    raw_textpage: object, page_index: int, height: float, figure_objects: set[int]
) -> Iterator[Line]:
    text = _page_text(raw_textpage)
    sampler = _Sampler(raw_textpage, height, figure_objects)
    start = 0
    for match in [*_LINE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        segment = text[start:end]
        if match and match.group().startswith("\ufffe"):
            segment += "-"
        if segment.strip():
            line = sampler.line(segment, start, page_index)
            if line is not None:
                yield line
        start = match.end() if match else len(text)


def _merge_fragments(lines: list[Line]) -> list[Line]:
    """Join pieces of one visual line that PDFium split (at sub- and superscripts, font changes).

    Two stream-consecutive pieces belong together when the second starts where the first ends
    and their boxes share most of their height.
    """
    merged: list[Line] = []
    for line in lines:
        prev = merged[-1] if merged else None
        if prev is not None and prev.figure == line.figure and _continues(prev, line):
            gap = line.x0 - prev.x1
            main = prev if len(prev.text) >= len(line.text) else line
            joined = prev.text + (
                " " if gap > 0.15 * main.size and not prev.text.endswith(" ") else ""
            )
            merged[-1] = Line(
                text=joined + line.text,
                page=prev.page,
                x0=min(prev.x0, line.x0),
                x1=max(prev.x1, line.x1),
                top=min(prev.top, line.top),
                bottom=max(prev.bottom, line.bottom),
                size=main.size,
                bold=prev.bold and line.bold,
                bold_prefix=prev.bold_prefix
                or (len(prev.text) if prev.bold and not line.bold else 0),
                figure=prev.figure,
                cells=None
                if prev.cells is None and line.cells is None
                else _join_cells(prev, line),
            )
        else:
            merged.append(line)
    return merged


def _continues(prev: Line, line: Line) -> bool:
    gap = line.x0 - prev.x1
    if not -0.8 * min(prev.size, line.size) <= gap <= max(prev.size, line.size, 4.0):
        return False
    overlap = min(prev.bottom, line.bottom) - max(prev.top, line.top)
    smaller = min(prev.bottom - prev.top, line.bottom - line.top)
    return smaller > 0 and overlap >= 0.5 * smaller


def _join_cells(prev: Line, line: Line) -> list[str]:
    left = prev.cells or [prev.text.strip()]
    right = line.cells or [line.text.strip()]
    return [*left[:-1], left[-1] + right[0], *right[1:]]


class _Sampler:
    """Reads font, size and box of a few characters of a line."""

    def __init__(self, raw_textpage: object, height: float, figure_objects: set[int]) -> None:
        self._tp = raw_textpage
        self._height = height
        self._figures = figure_objects
        self._name = ctypes.create_string_buffer(_NAME_BUFFER)
        self._flags = ctypes.c_int()
        self._box = pdfium_c.FS_RECTF()
        self._matrix = pdfium_c.FS_MATRIX()
        self._bold_cache: dict[bytes, bool] = {}

    def _char(self, text_index: int) -> int:
        return int(pdfium_c.FPDFText_GetCharIndexFromTextIndex(self._tp, text_index))

    def _bold(self, index: int) -> bool:
        pdfium_c.FPDFText_GetFontInfo(self._tp, index, self._name, _NAME_BUFFER, self._flags)
        name = self._name.value
        cached = self._bold_cache.get(name)
        if cached is None:  # boldness is a property of the font: decide once per font name
            cached = (
                bool(_BOLD_NAME.search(name.decode("latin-1")))
                or bool(self._flags.value & _FORCE_BOLD_FLAG)
                or pdfium_c.FPDFText_GetFontWeight(self._tp, index) >= _BOLD_WEIGHT
            )
            self._bold_cache[name] = cached
        return cached

    def _size(self, index: int) -> float:
        """The glyph's size on the page: the font size times the text matrix's scale (some
        producers, Acrobat Distiller among them, set every font at size 1 and scale by matrix)."""
        size = float(pdfium_c.FPDFText_GetFontSize(self._tp, index))
        matrix = self._matrix
        if pdfium_c.FPDFText_GetMatrix(self._tp, index, matrix):
            size *= math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
        return size

    def _rect(self, index: int) -> tuple[float, float, float, float]:
        box = self._box
        pdfium_c.FPDFText_GetLooseCharBox(self._tp, index, box)
        return box.left, box.right, self._height - box.top, self._height - box.bottom

    def line(self, segment: str, start: int, page_index: int) -> Line | None:
        first = len(segment) - len(segment.lstrip())
        last = len(segment.rstrip()) - 1
        if last < first:
            return None
        middle = (first + last) // 2
        while middle < last and (segment[middle].isspace() or _low_half(segment[middle])):
            middle += 1
        samples = sorted({first, middle, last})
        chars = [self._char(start + i) for i in samples]
        sizes = sorted(self._size(c) for c in chars)
        size = round(sizes[len(sizes) // 2], 1)
        bolds = [self._bold(c) for c in chars]
        bold = all(bolds)
        prefix = self._bold_prefix(segment, start) if bolds[0] and not bold else 0
        x0, _, top0, bottom0 = self._rect(chars[0])
        _, x1, top1, bottom1 = self._rect(chars[-1])
        middle_char = chars[len(chars) // 2]
        obj = pdfium_c.FPDFText_GetTextObject(self._tp, middle_char)
        figure = (ctypes.cast(obj, ctypes.c_void_p).value or 0) in self._figures
        text = unmapped_greek(
            segment.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        )
        cells = self._cells(segment, start, size) if _numeric(text) else None
        return Line(
            text=text,
            page=page_index,
            x0=round(x0, 1),
            x1=round(max(x1, x0), 1),
            top=round(min(top0, top1), 1),
            bottom=round(max(bottom0, bottom1), 1),
            size=size,
            bold=bold,
            bold_prefix=prefix,
            figure=figure,
            cells=cells,
        )

    def _cells(self, segment: str, start: int, size: float) -> list[str] | None:
        """Split a table row at gaps wider than a word space (one box per neighbouring glyph)."""
        cells: list[str] = []
        cell_start = 0
        for index, ch in enumerate(segment):
            if ch != " " or index == 0 or index + 1 >= len(segment):
                continue
            _, before, _, _ = self._rect(self._char(start + index - 1))
            after, _, _, _ = self._rect(self._char(start + index + 1))
            if after - before > 0.9 * size:
                cells.append(segment[cell_start:index].strip())
                cell_start = index + 1
        cells.append(segment[cell_start:].strip())
        cells = [
            unmapped_greek(c.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace"))
            for c in cells
        ]
        return cells if len(cells) > 1 else None

    def _bold_prefix(self, segment: str, start: int) -> int:
        """Length of the leading bold run (up to 80 characters), 0 if it is the whole line."""
        end = 0
        visible = [i for i, ch in enumerate(segment[:120]) if not ch.isspace()]
        for i in visible[:80]:
            if not self._bold(self._char(start + i)):
                return end
            end = i + 1
        return 0


def _numeric(text: str) -> bool:
    """Whether a line is mostly numbers and table marks (a candidate table row)."""
    compact = text.replace(" ", "")
    if len(text.split()) < 3:
        return False
    return len(_TABLE_CHARS.findall(compact)) >= 0.3 * len(compact)


def _low_half(ch: str) -> bool:
    return "\udc00" <= ch <= "\udfff"
