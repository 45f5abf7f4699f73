"""Page clean-up for PDF papers: running headers and footers, margin stamps, reading order.

Reading order: a page whose body lines are mostly narrower than half the page is read as two
columns. Lines crossing the gutter (title block, wide figures and tables) cut the page into bands;
each band is read left column first, then right column, and the crossing line after them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from ablab.papers.pdf_layout import Line, Page

_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE)
_ARXIV_STAMP = re.compile(
    r"arXiv:(?P<id>\d{4}\.\d{4,5})(?:v\d+)?\s*\[[^\]]+\]\s+\d{1,2}\s+\w+\s+\d{4}"
)
_EDGE_SHARE = 0.09  # top and bottom share of the page where running lines live
_EDGE_LINES = 2
_TWO_COLUMN_SHARE = 0.6


@dataclass
class Column:
    """A column of a page: its horizontal extent and the x where its body lines start."""

    left: float
    right: float

    @property
    def width(self) -> float:
        """Width of the column."""
        return self.right - self.left


def body_size(pages: list[Page]) -> float:
    """The most common font size, weighted by characters (figure text excluded)."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            if not line.figure:
                sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def drop_running_lines(pages: list[Page], metadata: dict[str, str]) -> None:
    """Remove running headers/footers, page numbers, figure text and arXiv stamps, in place.

    A line near the top or bottom edge is running when it is a page number or repeats (digits
    ignored) on at least half the pages; a repeated line larger than its smallest occurrence is
    kept: that is page 1's title, not the running title that repeats it in small print.
    """
    counts: Counter[str] = Counter()
    smallest: dict[str, float] = {}
    for page in pages:
        keys = {_key(line) for line in _edge_lines(page)}
        counts.update(keys)
        for line in _edge_lines(page):
            key = _key(line)
            smallest[key] = min(smallest.get(key, line.size), line.size)
    needed = max(2, math.ceil(len(pages) / 2))
    repeated = {key for key, count in counts.items() if count >= needed}

    def running(line: Line) -> bool:
        key = _key(line)
        if key in repeated and line.size <= smallest[key] + 0.5:
            return True
        return bool(_PAGE_NUMBER.match(line.text.strip()))

    for page in pages:
        edge = {id(line) for line in _edge_lines(page)}
        kept = []
        for line in page.lines:
            stamp = _ARXIV_STAMP.search(" ".join(line.text.split()))
            if stamp:
                metadata.setdefault("arxiv_id", stamp["id"])
                continue
            if line.figure or (id(line) in edge and running(line)) or _vertical(line):
                continue
            kept.append(line)
        page.lines = kept


def _key(line: Line) -> str:
    return re.sub(r"\d+", "#", " ".join(line.text.split()).lower())


def _edge_lines(page: Page) -> list[Line]:
    lines = [line for line in page.lines if not line.figure]
    if not lines:
        return []
    by_top = sorted(lines, key=lambda line: line.top)
    edge = by_top[:_EDGE_LINES] + by_top[-_EDGE_LINES:]
    edge += [
        line
        for line in lines
        if line.bottom < _EDGE_SHARE * page.height or line.top > (1 - _EDGE_SHARE) * page.height
    ]
    unique: dict[int, Line] = {id(line): line for line in edge}
    return list(unique.values())


def _vertical(line: Line) -> bool:
    """Rotated text (margin stamps, rotated table headers): taller than wide, several glyphs."""
    height = line.bottom - line.top
    return len(line.text.strip()) > 3 and height > 3 * max(line.width, 1.0)


def columns(page: Page, size: float) -> list[Column]:
    """One or two columns, from the body-size lines of the page."""
    body = [
        line
        for line in page.lines
        if abs(line.size - size) <= 0.6 and line.width >= 0.2 * page.width and len(line.text) > 20
    ]
    if not body:
        return [Column(0.0, page.width)]
    narrow = [line for line in body if line.width < 0.55 * page.width]
    middle = page.width / 2
    left = [line for line in narrow if line.center < middle]
    right = [line for line in narrow if line.center >= middle]
    if len(narrow) >= _TWO_COLUMN_SHARE * len(body) and left and right:
        return [
            Column(_left_edge(left), max(line.x1 for line in left)),
            Column(_left_edge(right), max(line.x1 for line in right)),
        ]
    return [Column(_left_edge(body), max(line.x1 for line in body))]


def _left_edge(lines: list[Line]) -> float:
    """The leftmost x where at least three lines start (an indented abstract is not the edge)."""
    counts: Counter[int] = Counter(round(line.x0) for line in lines)
    frequent = [x for x, count in counts.items() if count >= 3]
    return float(min(frequent) if frequent else counts.most_common(1)[0][0])


def reading_order(page: Page, cols: list[Column]) -> list[tuple[Line, int]]:
    """The page's lines in reading order, each with its column index (-1 when it spans both)."""
    if len(cols) == 1:
        return [(line, 0) for line in _by_rows(page.lines)]
    gutter = (cols[0].right + cols[1].left) / 2
    placed: list[tuple[Line, int]] = []
    for line in page.lines:
        if line.x1 <= gutter + 4:
            placed.append((line, 0))
        elif line.x0 >= gutter - 4:
            placed.append((line, 1))
        else:
            placed.append((line, -1))
    spanning = sorted((line for line, col in placed if col == -1), key=lambda line: line.top)
    ordered: list[tuple[Line, int]] = []
    upper = -math.inf
    for cut in [*spanning, None]:
        lower = cut.top if cut is not None else math.inf
        for col in (0, 1):
            band = [line for line, c in placed if c == col and upper <= _middle(line) < lower]
            ordered.extend((line, col) for line in _by_rows(band))
        if cut is not None:
            ordered.append((cut, -1))
            upper = cut.top
    return ordered


def _middle(line: Line) -> float:
    return (line.top + line.bottom) / 2


def _by_rows(lines: list[Line]) -> list[Line]:
    """Top to bottom; pieces of one row (overlapping heights) left to right."""
    ordered = sorted(lines, key=lambda line: line.top)
    rows: list[list[Line]] = []
    for line in ordered:
        if rows and line.top < rows[-1][0].top + 0.4 * max(line.size, 1.0):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [line for row in rows for line in sorted(row, key=lambda line: line.x0)]
