"""``tabular`` environments (inside ``table`` floats or bare) -> :class:`Table`.

Rows are split at ``\\\\`` and cells at ``&`` only outside braces, so ``\\makecell{a\\\\b}`` stays
one cell; rule commands (``\\hline``, booktabs) are dropped and cells converted to plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ablab.papers.latex_source import read_group
from ablab.schema import Table

_FLOAT = re.compile(r"\\begin\{(?P<env>table\*?|wraptable)\}")
_FIGURE = re.compile(r"\\begin\{(?P<env>figure\*?|wrapfigure|SCfigure)\}")
_TABULAR = re.compile(r"\\begin\{(?P<env>tabular\*?|tabularx|tabulary|longtable\*?)\}")
_ARG_COUNT = {
    "tabular": 1,
    "tabular*": 2,
    "tabularx": 2,
    "tabulary": 2,
    "longtable": 1,
    "longtable*": 1,
}
_CAPTION = re.compile(r"\\caption(?![A-Za-z@])\*?\s*(?:\[[^\]]*\]\s*)?(?=\{)")
_RULES = re.compile(
    r"\\(?:hline|toprule|midrule|bottomrule|addlinespace|endhead|endfirsthead|endfoot|endlastfoot"
    r"|hdashline|centering|small|footnotesize|scriptsize|tiny)(?![A-Za-z@])(?:\[[^\]]*\])?"
    r"|\\cline\s*\{[^{}]*\}|\\cmidrule\s*(?:\([^)]*\))?\s*\{[^{}]*\}"
    r"|\\specialrule\s*\{[^{}]*\}\s*\{[^{}]*\}\s*\{[^{}]*\}"
    r"|\\(?:row|cell)color\s*(?:\[[^\]]*\])?\s*\{[^{}]*\}(?:\s*\{[^{}]*\})?"
    r"|\\label\s*\{[^{}]*\}"
)


def extract_tables(source: str, convert: Callable[[str], str]) -> tuple[list[Table], str]:
    """Tables in ``source`` (floats first, then bare tabulars) and the source without them."""
    tables: list[Table] = []
    source = _take_floats(source, convert, tables)
    parts: list[str] = []
    position = 0
    closings = _NextFinder(source)
    for match in _TABULAR.finditer(source):
        if match.start() < position:
            continue
        parsed = _tabular(source, match, convert, closings)
        if parsed is None:
            continue
        table, end = parsed
        tables.append(table)
        parts.append(source[position : match.start()])
        position = end
    parts.append(source[position:])
    return tables, "".join(parts)


def _take_floats(source: str, convert: Callable[[str], str], tables: list[Table]) -> str:
    parts: list[str] = []
    position = 0
    closings = _NextFinder(source)
    for match in _FLOAT.finditer(source):
        if match.start() < position:
            continue
        closing = f"\\end{{{match['env']}}}"
        end = closings.find(closing, match.end())
        if end < 0:
            continue
        inner = source[match.end() : end]
        caption = _caption(inner, convert)
        inner_closings = _NextFinder(inner)
        found = [
            parsed[0]
            for m in _TABULAR.finditer(inner)
            if (parsed := _tabular(inner, m, convert, inner_closings)) is not None
        ]
        if not found:
            continue  # a float without a tabular (an image): leave it to the text converter
        for table in found:
            table.caption = table.caption or caption
        tables.extend(found)
        parts.append(source[position : match.start()])
        position = end + len(closing)
    parts.append(source[position:])
    return "".join(parts)


def mark_figures(source: str) -> str:
    """Replace each figure float by its caption as a paragraph of its own, "Figure: ...".

    Labels, plots and sub-figure markup inside the float never reach the prose; the caption is
    kept, marked so that readers can tell it from the paper's running text.
    """
    parts: list[str] = []
    position = 0
    closings = _NextFinder(source)
    for match in _FIGURE.finditer(source):
        if match.start() < position:
            continue
        closing = f"\\end{{{match['env']}}}"
        end = closings.find(closing, match.end())
        if end < 0:
            continue
        inner = source[match.end() : end]
        captions = [read_group(inner, m.end())[0] for m in _CAPTION.finditer(inner)]
        parts.append(source[position : match.start()])
        if captions:
            parts.append("\n\nFigure: " + " ".join(captions) + "\n\n")
        position = end + len(closing)
    parts.append(source[position:])
    return "".join(parts)


def _caption(source: str, convert: Callable[[str], str]) -> str:
    match = _CAPTION.search(source)
    if not match:
        return ""
    text, _ = read_group(source, match.end())
    return " ".join(convert(text).split())


class _NextFinder:
    """``source.find(token, start)`` remembered per token, for starts that only grow.

    Scanning for the closing ``\\end{...}`` afresh from each of thousands of unclosed
    ``\\begin{...}`` would be quadratic; the next occurrence found stays valid until passed.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.found: dict[str, int] = {}

    def find(self, token: str, start: int) -> int:
        known = self.found.get(token)
        if known is None or 0 <= known < start:
            known = self.source.find(token, start)
            self.found[token] = known
        return known


def _skip_arguments(source: str, position: int, count: int, stop: int) -> int:
    """Index after ``count`` brace arguments (optional ``[...]`` skipped too), at most ``stop``."""
    while count > 0 and position < stop:
        char = source[position]
        if char.isspace():
            position += 1
        elif char == "[":
            _, position = read_group(source, position, "[", "]", stop=stop)
        elif char == "{":
            _, position = read_group(source, position, stop=stop)
            count -= 1
        else:
            break
    return position


def _tabular(
    source: str, match: re.Match[str], convert: Callable[[str], str], closings: _NextFinder
) -> tuple[Table, int] | None:
    env = match["env"]
    closing = f"\\end{{{env}}}"
    end = closings.find(closing, match.end())
    if end < 0:
        return None
    start = _skip_arguments(source, match.end(), _ARG_COUNT[env], end)
    body = source[start:end]
    caption = _caption(body, convert)  # longtable carries its caption inside
    body = _CAPTION.sub("", body) if caption else body
    rows = [
        [" ".join(convert(cell).split()) for cell in row]
        for row in _split_rows(_RULES.sub(" ", body))
    ]
    rows = [row for row in rows if any(rows_cell for rows_cell in row)]
    header, body_rows = (rows[0], rows[1:]) if rows else ([], [])
    return Table(caption=caption, header=header, rows=body_rows), end + len(closing)


def _split_rows(body: str) -> list[list[str]]:
    """Rows and cells split at top-level ``\\\\`` and ``&`` (escaped ``\\&`` kept)."""
    rows: list[list[str]] = []
    cells: list[str] = []
    start = depth = index = 0
    length = len(body)
    while index < length:
        char = body[index]
        if char == "\\":
            if depth == 0 and body.startswith("\\\\", index):
                cells.append(body[start:index])
                rows.append(cells)
                cells = []
                index += 2
                if body.startswith("[", index):  # \\[2pt]
                    _, index = read_group(body, index, "[", "]")
                start = index
                continue
            if depth == 0 and body.startswith("\\tabularnewline", index):
                cells.append(body[start:index])
                rows.append(cells)
                cells = []
                index += len("\\tabularnewline")
                start = index
                continue
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == "&" and depth == 0:
            cells.append(body[start:index])
            start = index + 1
        index += 1
    tail = body[start:]
    if cells or tail.strip():
        cells.append(tail)
        rows.append(cells)
    return rows
