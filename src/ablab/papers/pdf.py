"""PDF papers via pypdfium2: headings, prose, captions and tables from the page layout.

Lines come from :mod:`ablab.papers.pdf_layout` (text, box, font size, boldness, figure text);
:mod:`ablab.papers.pdf_pages` drops running headers/footers and figure text and puts the lines in
reading order. Here lines are grouped into blocks (lines of one column close together), and each
block is read as a heading, a caption, a table or prose:

* headings: numbered ("3.2 Loss", "A.1 Proofs"), upper-case ("3 GRAPH CONVOLUTIONAL NETWORKS"),
  role words ("References", "Appendix B ..."), styled lines (bold or larger than the body text)
  that stand at the column's edge and are followed by prose, and run-in bold paragraph heads
  ("**Ablation study.** We ...") which become subsections of the current section;
* captions ("Figure 3:", "Table 2.") stay out of the prose: table captions go to their
  :class:`~ablab.schema.Table`, figure captions become a paragraph of their own;
* table bodies (lines of numbers and marks, split into cells at wide gaps) become tables;
* equations and diagram labels (short lines that are not prose) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ablab._util.hashing import sha256_hex
from ablab.errors import PaperError
from ablab.papers.checks import checked_paper
from ablab.papers.pdf_layout import Line, Page, read_layout
from ablab.papers.pdf_pages import Column, body_size, columns, drop_running_lines, reading_order
from ablab.papers.text import HeadingDetector, is_role_word
from ablab.papers.tree import ParsedDocument, RawSection
from ablab.schema import Paper, SourceKind, Table

_CAPTION = re.compile(r"^(?P<kind>Figure|Fig\.|Table|Tab\.)\s*(?:[A-Z]\.?)?\d+\s*(?:[:.|]|$)")
_APPENDIX_HEAD = re.compile(
    r"^(?:appendix|supplementary material)\s+(?P<num>[A-Z](?:\.\d+)*)\b"
    r"\s*[:.\u2014\u2013-]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_THEOREM = re.compile(
    r"^(?:theorem|lemma|proof|corollary|proposition|definition|remark|assumption|example|claim"
    r"|conjecture|note|step|case|q|a|input|output|require|ensure|return|given)\b",
    re.IGNORECASE,
)
_FLOAT_LABEL = re.compile(r"^(?:algorithm|listing|figure|table|fig\.)\s*\d", re.IGNORECASE)
_RUN_IN_END = re.compile(r"[.:\u2014]\s*$")
_GLUED_NUMBER = re.compile(r"^((?:\d{1,2}|[A-Z])(?:\.\d{1,2})*)(?=[A-Z][a-z])")
_KEEP_HYPHEN_AFTER = frozenset({"self", "cross", "fine", "semi", "non", "multi", "pre", "co"})
_MIN_TEXT_CHARS = 20
_MAX_HEADING_WORDS = 14
_MAX_RUN_IN_WORDS = 10


@dataclass
class _Block:
    lines: list[Line]
    column: Column
    col_index: int

    @property
    def first(self) -> Line:
        return self.lines[0]


@dataclass
class _Heading:
    text: str
    number: str | None
    level: int
    rest: str = ""
    appendix: bool = False


@dataclass
class _Builder:
    """Accumulates sections, paragraphs and tables while blocks are read in order."""

    body: float
    front: list[str] = field(default_factory=list)
    sections: list[tuple[RawSection, list[str]]] = field(default_factory=list)
    in_appendix: bool = False

    @property
    def paragraphs(self) -> list[str]:
        return self.sections[-1][1] if self.sections else self.front

    def tables(self) -> list[Table]:
        return self.sections[-1][0].tables if self.sections else []

    def start(self, heading: _Heading) -> None:
        self.in_appendix = self.in_appendix or heading.appendix
        raw = RawSection(
            heading=heading.text,
            level=heading.level,
            number=heading.number,
            appendix=self.in_appendix,
        )
        self.sections.append((raw, [heading.rest] if heading.rest else []))

    def add_prose(self, lines: list[str]) -> None:
        paragraphs = self.paragraphs
        if paragraphs and lines and _continues_sentence(paragraphs[-1], lines[0]):
            last_lines = paragraphs[-1].split("\n")
            _append_lines(last_lines, lines)
            paragraphs[-1] = "\n".join(last_lines)
            return
        joined: list[str] = []
        _append_lines(joined, lines)
        if joined:
            paragraphs.append("\n".join(joined))


def paper_from_pdf_bytes(data: bytes, *, paper_id: str, source_path: str | None = None) -> Paper:
    """Build a Paper from PDF bytes; PaperError for encrypted, corrupt or text-less PDFs."""
    name = source_path or paper_id
    pages = read_layout(data, name)
    metadata: dict[str, str] = {"pages": str(len(pages))}
    drop_running_lines(pages, metadata)
    if sum(len(line.text.strip()) for page in pages for line in page.lines) < _MIN_TEXT_CHARS:
        raise PaperError(f"{name}: PDF has no extractable text (a scanned document?)")
    doc = structure(pages)
    doc.metadata.update(metadata)

    def reading(mode: str) -> Callable[[], ParsedDocument]:
        def read() -> ParsedDocument:
            other = structure(pages, mode=mode)
            other.metadata.update(metadata)
            return other

        return read

    return checked_paper(
        doc,
        paper_id=paper_id,
        source_kind=SourceKind.PDF,
        source_path=source_path,
        content_hash=sha256_hex(data),
        fallbacks=[
            ("numbered and role-word headings only", reading("strict")),
            ("unstyled numbered headings", reading("plain")),
        ],
    )


def structure(pages: list[Page], *, mode: str = "default") -> ParsedDocument:
    """Headings, prose, captions and tables of cleaned pages.

    ``mode`` "default" reads every kind of heading; the fallback readings, used when the default
    tree looks broken, are "strict" (numbered and role-word headings only: against hundreds of
    tiny sections) and "plain" (numbered headings even when set in the body font: for PDFs
    whose headings carry no style at all).
    """
    size = body_size(pages)
    _unbold_uniform_text(pages, size)
    title, title_lines = _find_title(pages, size)
    blocks = _blocks(pages, size, skip=title_lines)
    builder = _Builder(body=size)
    reader = _HeadingReader(size, mode=mode)
    table: Table | None = None  # the table being read: caption seen or rows seen, not closed
    table_place: tuple[int, int] = (-1, -1)  # its page and column
    for index, block in enumerate(blocks):
        following = [line for later in blocks[index + 1 : index + 4] for line in later.lines][:3]
        place = (block.first.page, block.col_index)
        heading = reader.read(block, following)
        if heading is not None:
            builder.start(heading)
            table = None
            rest = block.lines[1:]
            if not rest:
                continue
            block = _Block(rest, block.column, block.col_index)
        caption = _CAPTION.match(" ".join(block.first.text.split()))
        if caption:
            text, rows = _split_caption(block)
            if not caption["kind"].startswith("T"):
                builder.paragraphs.append(text)
                table = None
            elif table is not None and table.rows and not table.caption and place == table_place:
                table.caption = text  # a caption below its table
                table = None
            else:
                table, table_place = Table(caption=text), place
                builder.tables().append(table)
                _fill(table, rows)
            continue
        kind = _kind(block, size)
        if kind == "prose":
            builder.add_prose([line.text for line in block.lines])
            table = None
        elif table is not None and place == table_place:
            _fill(table, block.lines)  # more rows, or labels and headers between row groups
        elif kind == "table":
            table, table_place = Table(), place
            _fill(table, block.lines)
            builder.tables().append(table)
    doc = ParsedDocument(title=title, front_text="\n\n".join(builder.front))
    if not builder.sections and builder.front:
        # No heading found: keep the text in one section (the check reports it) rather than
        # leaving it all in the front matter, where only the abstract is read.
        builder.sections.append((RawSection(heading="Text", level=1), builder.front))
    for raw, paragraphs in builder.sections:
        raw.text = "\n\n".join(paragraphs)
        doc.sections.append(raw)
    return doc


_BOLD_BODY_SHARE = 0.5
_NUMBERED_LINE = re.compile(r"(?:\d+(?:\.\d+)*|[A-Z](?:\.\d+)+)\.?\s+[A-Z]")


def _unbold_uniform_text(pages: list[Page], size: float) -> None:
    """When most body text reads as bold (a font whose weight or name says bold throughout),
    boldness tells headings from prose no more: drop it at the body size, in place."""
    body = [
        line
        for page in pages
        for line in page.lines
        if abs(line.size - size) <= 0.5 and len(line.text) > 20
    ]
    if not body or sum(line.bold for line in body) <= _BOLD_BODY_SHARE * len(body):
        return
    for page in pages:
        for line in page.lines:
            # a short numbered line ("3.1 Domain Adversarial Network") may still be a heading
            numbered = _NUMBERED_LINE.match(line.text.strip()) and len(line.text.split()) <= 12
            if abs(line.size - size) <= 0.5 and not numbered:
                line.bold, line.bold_prefix = False, 0


def _find_title(pages: list[Page], size: float) -> tuple[str, set[int]]:
    """The largest-font lines in the top half of page 1, and their ids."""
    if not pages:
        return "", set()
    first = pages[0]
    top = [line for line in first.lines if line.top < first.height / 2 and len(line.text) > 1]
    if not top:
        return "", set()
    largest = max(line.size for line in top)
    if largest < size * 1.15:
        return "", set()
    chosen = sorted((line for line in top if line.size >= largest - 0.5), key=lambda x: x.top)
    run = [chosen[0]]
    for line in chosen[1:]:
        if line.top - run[-1].bottom > 1.5 * largest:
            break
        run.append(line)
    return " ".join(" ".join(line.text.split()) for line in run), {id(line) for line in run}


def _blocks(pages: list[Page], size: float, *, skip: set[int]) -> list[_Block]:
    """Consecutive lines of one column with ordinary line spacing between them."""
    blocks: list[_Block] = []
    for page in pages:
        cols = columns(page, size)
        previous: Line | None = None
        for line, col_index in reading_order(page, cols):
            if id(line) in skip:
                continue
            column = cols[col_index] if col_index >= 0 else Column(cols[0].left, cols[-1].right)
            if (
                previous is not None
                and blocks
                and blocks[-1].col_index == col_index
                and _same_block(previous, line)
            ):
                blocks[-1].lines.append(line)
            else:
                blocks.append(_Block([line], column, col_index))
            previous = line
    return blocks


def _same_block(previous: Line, line: Line) -> bool:
    gap = line.top - previous.bottom
    scale = max(min(previous.size, line.size), 1.0)
    if gap < -0.5 * scale or gap > 0.55 * scale:
        return False
    if abs(previous.size - line.size) > 0.8 and not (previous.cells and line.cells):
        return False
    # A styled line (heading) and a line with a bold lead (run-in head) start a block; a styled
    # line directly above body text ends one.
    if line.bold_prefix or (_styled(line) and not _styled(previous)):
        return False
    return not (_styled(previous) and not _styled(line)) or bool(previous.bold_prefix)


def _styled(line: Line) -> bool:
    """Bold, or upper-case like a heading ("3 METHOD", "RELATED WORK"; not "CIFAR-100.")."""
    text = line.text.strip()
    return line.bold or (_caps(text) and not text.endswith(".") and len(text.split()) >= 2)


def _caps(text: str) -> bool:
    return text.isupper() and sum(ch.isalpha() for ch in text) >= 4


class _HeadingReader:
    """Decides whether a block starts with a heading, keeping the numbering and levels seen."""

    def __init__(self, body: float, *, mode: str) -> None:
        self.body = body
        self.strict = mode == "strict"
        self.plain = mode == "plain"
        self.numbers = HeadingDetector()
        self.level = 0  # level of the last heading that was not run-in
        self.top_size: float | None = None  # font size of the first top-level heading

    def read(self, block: _Block, following: list[Line]) -> _Heading | None:
        """The heading that starts ``block`` (``following``: the next lines after it), if any."""
        line = block.first
        text = " ".join(line.text.split())
        if not text or _CAPTION.match(text):
            return None
        aligned = _aligned(line, block.column)
        large = line.size >= self.body * 1.1 and line.size - self.body >= 0.9
        styled = line.bold or large or _caps(text)
        if self.plain and not styled:
            # An unstyled numbered heading stands on a short line of its own.
            styled = len(text.split()) <= _MAX_RUN_IN_WORDS and (
                len(block.lines) == 1 or line.width < 0.7 * block.column.width
            )
        if is_role_word(text) and (styled or len(block.lines) == 1):
            return self._top(text.rstrip(":."), line, appendix=_appendix_word(text))
        appendix = _APPENDIX_HEAD.match(text)
        if appendix and styled and aligned:
            self.level = 1
            return _Heading(appendix["rest"] or "Appendix", appendix["num"], 1, appendix=True)
        caps = _caps(text)
        # Small capitals are sampled at their small size: upper-case lines may look small.
        if styled and aligned and line.size >= (0.7 * self.body if caps else self.body - 1.5):
            numbered = self.numbers.numbered(_unglue(text), bare_letters=styled)
            if numbered:
                number, title, level = numbered
                self.level = level
                if level == 1 and self.top_size is None:
                    self.top_size = line.size
                return _Heading(title, number, level, appendix=number[0].isalpha())
        if self.strict:
            return None
        if line.bold_prefix and aligned:
            return self._run_in(line)
        whole = (line.bold or large) and not line.bold_prefix and not line.cells
        if (
            whole
            and self.level > 0  # styled lines before the first real heading are front matter
            and aligned
            and line.size >= self.body - 0.5
            and _heading_shaped(text)
            and not _FLOAT_LABEL.match(text)
            and not _acronyms(text)
            and _prose_follows(block, following, self.body)
        ):
            return self._unnumbered(text, line)
        return None

    def _top(self, text: str, line: Line, *, appendix: bool = False) -> _Heading:
        self.level = 1
        return _Heading(text, None, 1, appendix=appendix)

    def _unnumbered(self, text: str, line: Line) -> _Heading:
        if self.top_size is None:
            self.top_size = line.size
        if line.size >= self.top_size - 0.3 or self.level == 0:
            self.level = 1
        else:
            self.level += 1
        return _Heading(text, None, self.level)

    def _run_in(self, line: Line) -> _Heading | None:
        head = " ".join(line.text[: line.bold_prefix].split())
        rest = line.text[line.bold_prefix :].strip()
        if rest.startswith((".", ":")):
            head, rest = head + rest[0], rest[1:].strip()
        words = head.split()
        if (
            not _RUN_IN_END.search(head)
            or not words
            or len(words) > _MAX_RUN_IN_WORDS
            or not head[0].isupper()
            or _THEOREM.match(head)
            or _FLOAT_LABEL.match(head)
        ):
            return None
        return _Heading(head.rstrip(".:\u2014 "), None, self.level + 1, rest=rest)


def _aligned(line: Line, column: Column) -> bool:
    """At the column's left edge (a little indent allowed) or centred in it."""
    if -6 <= line.x0 - column.left <= 20:
        return True
    return abs(line.center - (column.left + column.right) / 2) <= 8


def _appendix_word(text: str) -> bool:
    return text.lower().startswith(("appendix", "appendices", "supplementary"))


def _heading_shaped(text: str) -> bool:
    words = text.split()
    if not words or len(words) > _MAX_HEADING_WORDS or text[-1] in ".,;":
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    compact = text.replace(" ", "")
    return sum(ch.isalpha() for ch in compact) >= 0.7 * len(compact)


def _acronyms(text: str) -> bool:
    """Mostly upper-case tokens in a mixed line: a table header ("Model MNLI QNLI SST")."""
    words = text.split()
    upper = sum(1 for w in words if len(w) >= 2 and w.isupper())
    return len(words) >= 3 and upper >= 0.5 * len(words) and upper < len(words)


def _prose_follows(block: _Block, following: list[Line], body: float) -> bool:
    """A styled line is a heading only when prose (or another heading) comes right after it."""
    after = block.lines[1:] + following
    if not after or any(line.cells for line in after[:3]):
        return False  # a bold table header ("Model SQuAD MNLI") sits on its rows
    nxt = after[0]
    if nxt.bold or _caps(nxt.text):
        return True
    return abs(nxt.size - body) <= 1.0 and _letters(nxt.text) >= 0.6 and len(nxt.text.split()) >= 4


def _letters(text: str) -> float:
    compact = text.replace(" ", "")
    return sum(ch.isalpha() for ch in compact) / len(compact) if compact else 0.0


def _kind(block: _Block, body: float) -> str:
    """ "prose", "table" or "other" (equations, diagram labels)."""
    lines = block.lines
    rows = sum(1 for line in lines if line.cells)
    if rows >= max(1, 0.5 * len(lines)):
        return "table"
    prose = sum(1 for line in lines if _prose_line(line, block.column, body))
    if prose >= 0.5 * len(lines):
        return "prose"
    if rows:
        return "table"
    return "other"


def _prose_line(line: Line, column: Column, body: float) -> bool:
    """Text a reader reads as running prose (diagram labels and equations are not)."""
    text = line.text.strip()
    if _letters(text) < 0.6 or line.size < 0.6 * body:
        return False
    words = len(text.split())
    if words >= 4:
        return True
    # A paragraph's short last line ends a sentence; spread-out labels ("Encoder  Decoder") do not.
    return text[-1] in ".:;,!?)" and (
        line.width >= 0.5 * column.width or abs(line.x0 - column.left) <= 3
    )


def _split_caption(block: _Block) -> tuple[str, list[Line]]:
    """Caption text and any table rows that follow it in the same block."""
    caption: list[str] = []
    rows: list[Line] = []
    for line in block.lines:
        if rows or (caption and line.cells and caption[-1].rstrip().endswith(".")):
            rows.append(line)
        else:
            caption.append(line.text)
    joined: list[str] = []
    _append_lines(joined, caption)
    return " ".join(" ".join(joined).split()), rows


def _fill(table: Table, lines: list[Line]) -> None:
    rows = [line.cells or [" ".join(line.text.split())] for line in lines]
    if not table.header and rows:
        table.header, rows = rows[0], rows[1:]
    table.rows.extend(rows)


def _continues_sentence(paragraph: str, line: str) -> bool:
    """A paragraph cut by a column or page break: no end mark before, lower case after."""
    end = paragraph.rstrip()
    start = line.lstrip()
    return bool(end) and bool(start) and end[-1] not in ".!?:" and start[0].islower()


def _append_lines(lines: list[str], new: list[str]) -> None:
    """Append lines, joining words hyphenated across line ends ("repre-" + "sentation")."""
    for raw in new:
        text = raw.strip()
        if not text:
            continue
        if lines and re.search(r"[A-Za-z]-$", lines[-1]) and text[0].isalpha():
            word = lines[-1][:-1].rsplit(" ", 1)[-1]
            keep = text[0].isupper() or word.lower() in _KEEP_HYPHEN_AFTER or "-" in word
            first, _, rest = text.partition(" ")
            lines[-1] = (lines[-1] if keep else lines[-1][:-1]) + first
            text = rest.strip()
            if not text:
                continue
        lines.append(text)


def _unglue(text: str) -> str:
    """ "3Method" -> "3 Method" (some PDFs place the number without a space)."""
    return _GLUED_NUMBER.sub(r"\1 ", text.strip())
