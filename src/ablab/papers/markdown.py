"""Markdown papers: ATX/setext headings, pipe tables and YAML front matter, via markdown-it-py.

Section bodies are the source lines between headings, kept verbatim (equations, emphasis and
links stay as written); only heading lines, tables and table captions are taken out of the text.
Headings inside fenced code or nested blocks (lists, quotes) are not headings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ablab._util.hashing import sha256_hex
from ablab._util.text import strip_controls
from ablab._util.yaml_safe import load_yaml
from ablab.papers.roles import heading_role
from ablab.papers.tree import ParsedDocument, RawSection, build_paper, split_number
from ablab.schema import Paper, SourceKind, Table

# Blocks only: the inline parse of every paragraph is what costs time (seconds on a megabyte of
# "[[[" or "_a_a"), and only headings, table cells and captions need it (see inline_text).
_PARSER = MarkdownIt("commonmark", {"html": False}).enable("table").disable("inline")
_INLINE_PARSER = MarkdownIt("commonmark", {"html": False})
_FRONTMATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_MAX_FRONTMATTER_CHARS = 64 * 1024
# "Table 2: ...", "Table 2. ...", "**Table 2**: ...", "**Table 2.** ..."
_CAPTION = re.compile(
    r"^(?:(?P<b>\*\*|__)\s*)?(?:Table|Tab\.)\s+[A-Z]?\d+[a-z]?\s*(?(b)(?:[:.]?\s*(?P=b)\s*[:.]?)|[:.])\s*",
)
# What may start inline markup in CommonMark (escapes, entities, emphasis, code, links, images,
# autolinks and HTML) or in the strikethrough extension.
_INLINE_MARKUP = re.compile(r"[\\&*_`\[\]!<~]")
_LABEL = re.compile(r"^(?:Table|Tab\.)\s+[A-Z]?\d+[a-z]?\s*[:.]?\s*")


def split_frontmatter(text: str) -> tuple[dict[str, Any] | None, str]:
    """Split YAML front matter (between ``---`` lines at the very start) from the body.

    Returns ``(None, text)`` when there is none or it is not a YAML mapping.
    """
    match = _FRONTMATTER.match(text)
    if not match or len(match["yaml"]) > _MAX_FRONTMATTER_CHARS:
        return None, text
    try:
        data = load_yaml(match["yaml"])
    except yaml.YAMLError:
        return None, text
    if not isinstance(data, dict):
        return None, text
    return data, text[match.end() :]


def frontmatter_strings(data: dict[str, Any]) -> dict[str, str]:
    """Scalar and flat-list values of front matter as strings (nested values are left out)."""
    result: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, list):
            if all(not isinstance(item, list | dict) for item in value):
                result[str(key)] = ", ".join(str(item) for item in value)
        elif not isinstance(value, dict) and value is not None:
            result[str(key)] = " ".join(str(value).split())
    return result


def paper_from_markdown(
    text: str,
    *,
    paper_id: str,
    source_path: str | None = None,
    content_hash: str | None = None,
) -> Paper:
    """Build a Paper from Markdown text (the first plain ``#`` heading is the title)."""
    doc = parse_markdown(strip_controls(text))
    return build_paper(
        doc,
        paper_id=paper_id,
        source_kind=SourceKind.MARKDOWN,
        source_path=source_path,
        content_hash=content_hash or sha256_hex(text.encode("utf-8")),
    )


def parse_markdown(text: str) -> ParsedDocument:
    """Parse Markdown into a ParsedDocument (front matter goes to metadata)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front, body = split_frontmatter(text)
    metadata = frontmatter_strings(front) if front else {}
    lines = body.split("\n")
    env: dict[str, Any] = {}
    tokens = _PARSER.parse(body, env)
    skip = [False] * (len(lines) + 1)
    headings: list[tuple[int, int, int, str]] = []  # start, end, level, text
    tables: list[tuple[int, Table]] = []
    used_captions: set[int] = set()
    for index, token in enumerate(tokens):
        if token.level != 0 or token.map is None:
            continue
        start, end = token.map
        if token.type == "heading_open":
            headings.append((start, end, int(token.tag[1]), inline_text(tokens[index + 1], env)))
            _mark(skip, start, end)
        elif token.type == "table_open":
            table, caption_map = _table(tokens, index, used_captions, env)
            tables.append((start, table))
            _mark(skip, start, end)
            if caption_map:
                _mark(skip, *caption_map)
    return _assemble(lines, skip, headings, tables, metadata)


def _assemble(
    lines: list[str],
    skip: list[bool],
    headings: list[tuple[int, int, int, str]],
    tables: list[tuple[int, Table]],
    metadata: dict[str, str],
) -> ParsedDocument:
    def body(start: int, stop: int) -> str:
        return "\n".join(lines[i] for i in range(start, stop) if not skip[i])

    bounds = [h[0] for h in headings] + [len(lines)]
    doc = ParsedDocument(metadata=metadata, title=metadata.get("title", ""))
    first_body = 0
    if headings and _is_title(headings[0]):
        doc.title = headings[0][3]
        first_body = 1
    doc.front_text = body(0, bounds[first_body])
    if first_body:
        doc.front_text = doc.front_text + "\n\n" + body(headings[0][1], bounds[1])
    table_index = 0
    for k in range(first_body, len(headings)):
        start, end, level, heading = headings[k]
        section = RawSection(heading=heading, level=level, text=body(end, bounds[k + 1]))
        while table_index < len(tables) and tables[table_index][0] < bounds[k + 1]:
            if tables[table_index][0] >= start:
                section.tables.append(tables[table_index][1])
            table_index += 1
        doc.sections.append(section)
    return doc


_MAX_SECTION_HEADING_WORDS = 5
"""Section headings are short ("Related Work"); titles that merely contain a role word
("A Simple Framework for ...") are longer."""


def _is_title(heading: tuple[int, int, int, str]) -> bool:
    _, _, level, text = heading
    number, title = split_number(text)
    if level != 1 or number is not None:
        return False
    return heading_role(title) is None or len(title.split()) > _MAX_SECTION_HEADING_WORDS


def _mark(skip: list[bool], start: int, end: int) -> None:
    for i in range(start, end):
        skip[i] = True


def inline_text(token: Token, env: dict[str, Any]) -> str:
    """Plain text of an inline token: emphasis and link markup dropped, code kept.

    The token's content is inline-parsed here (``env`` holds the document's link references),
    unless it holds none of the characters that start inline markup: then its text is its
    content (most table cells; the inline parse is most of the time a paper takes to read).
    """
    if not _INLINE_MARKUP.search(token.content):
        return " ".join(token.content.split())
    parsed = _INLINE_PARSER.parseInline(token.content, env)
    parts: list[str] = []
    for child in (parsed[0].children if parsed else None) or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _table(
    tokens: Sequence[Token], open_index: int, used_captions: set[int], env: dict[str, Any]
) -> tuple[Table, tuple[int, int] | None]:
    header: list[str] = []
    rows: list[list[str]] = []
    current: list[str] = []
    index = open_index + 1
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open":
            current = []
        elif token.type == "inline":
            current.append(inline_text(token, env))
        elif token.type == "tr_close":
            if not header and not rows and tokens[index - 1].type == "th_close":
                header = current
            else:
                rows.append(current)
        index += 1
    caption, caption_map = _caption(tokens, open_index, index, used_captions, env)
    return Table(caption=caption, header=header, rows=rows), caption_map


def _caption(
    tokens: Sequence[Token],
    open_index: int,
    close_index: int,
    used: set[int],
    env: dict[str, Any],
) -> tuple[str, tuple[int, int] | None]:
    """A "Table N:" paragraph right before (preferred) or right after the table."""
    table_map = tokens[open_index].map or [0, 0]
    candidates: list[int] = []
    if open_index >= 3 and tokens[open_index - 1].type == "paragraph_close":
        candidates.append(open_index - 3)
    after = close_index + 1
    if after + 1 < len(tokens) and tokens[after].type == "paragraph_open":
        candidates.append(after)
    for para_index in candidates:
        para_map = tokens[para_index].map
        if para_index in used or para_map is None or tokens[para_index].level != 0:
            continue
        near = para_map[1] >= table_map[0] - 1 and para_map[0] <= table_map[1] + 1
        match = _CAPTION.match(tokens[para_index + 1].content)
        if near and match:
            used.add(para_index)
            text = inline_text(tokens[para_index + 1], env)
            label = _LABEL.match(text)
            return (text[label.end() :] if label else text).strip(), (para_map[0], para_map[1])
    return "", None
