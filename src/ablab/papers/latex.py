"""LaTeX papers: a single ``.tex``, a project folder or a source archive -> Paper.

Steps: find the main file, splice in safe includes (:mod:`ablab.papers.latex_source`), expand
simple argument-free ``\\newcommand``/``\\def`` macros (method names are often macros), take the
title and abstract, split the body at sectioning commands, lift ``tabular`` environments out as
Tables, and convert the rest to text with pylatexenc, keeping math as LaTeX source.
"""

from __future__ import annotations

import re
from pathlib import Path

from ablab._util.text import reason
from ablab.errors import PaperError
from ablab.papers.checks import checked_paper
from ablab.papers.latex_source import (
    document_body,
    expand_includes,
    find_main,
    main_candidates,
    read_group,
    strip_comments,
)
from ablab.papers.latex_tables import extract_tables, mark_figures
from ablab.papers.latex_text import latex_to_text, tidy_text
from ablab.papers.project import DirectoryProject, Project, open_archive
from ablab.papers.source import check_size
from ablab.papers.tree import ParsedDocument, RawSection
from ablab.schema import Paper, SourceKind

_LEVELS = {
    "part": -1,
    "chapter": 0,
    "section": 1,
    "subsection": 2,
    "subsubsection": 3,
    "paragraph": 4,
    "subparagraph": 5,
}
_SECTIONING = re.compile(
    r"\\(?P<cmd>part|chapter|section|subsection|subsubsection|paragraph|subparagraph)"
    r"(?![A-Za-z@])(?P<star>\*?)\s*(?:\[[^\]]*\]\s*)?(?=\{)"
)
_APPENDIX = re.compile(r"\\appendix(?![A-Za-z@])|\\begin\{appendices\}")
_TITLE = re.compile(r"\\(?:icml)?title(?![A-Za-z@])\s*(?:\[[^\]]*\]\s*)?(?=\{)")
_ABSTRACT_BEGIN = "\\begin{abstract}"
_ABSTRACT_END = "\\end{abstract}"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_BIBLIOGRAPHY = re.compile(
    r"\\bibliography\s*\{[^{}]*\}|\\printbibliography(?![A-Za-z@])(?:\[[^\]]*\])?"
)
_THEBIBLIOGRAPHY = re.compile(r"\\begin\{thebibliography\}\s*(?:\{[^{}]*\})?")
_REFERENCES_HEADING = "\\section*{References}"
_MACRO_DEF = re.compile(
    r"\\(?:(?:re)?newcommand|providecommand|DeclareRobustCommand)\*?\s*"
    r"(?:\{\s*\\(?P<a>[A-Za-z@]+)\s*\}|\\(?P<b>[A-Za-z@]+))\s*(?=[\[{])"
    r"|\\def\s*\\(?P<c>[A-Za-z@]+)\s*(?=\{)"
)
# Macros a paper may redefine but whose meaning the reader relies on.
_RESERVED = frozenset(
    {*_LEVELS, "begin", "end", "input", "include", "appendix", "caption", "title", "item", "label"}
)
_MAX_MACRO_PASSES = 4


def paper_from_latex_dir(path: Path, *, paper_id: str, max_bytes: int) -> Paper:
    """Read a LaTeX project folder (main file found automatically)."""
    project = DirectoryProject(path, max_bytes)
    main, text = find_main(project)
    return _paper(
        project,
        main,
        text,
        paper_id=paper_id,
        source_path=str(path),
        notes=_other_mains(project, main),
    )


def paper_from_latex_file(path: Path, *, paper_id: str, max_bytes: int) -> Paper:
    """Read one ``.tex`` file; its includes are resolved within the file's own folder."""
    check_size(path, max_bytes)
    project = DirectoryProject(path.parent, max_bytes)
    return _paper(project, path.name, None, paper_id=paper_id, source_path=str(path))


def paper_from_latex_archive(path: Path, data: bytes, *, paper_id: str, max_bytes: int) -> Paper:
    """Read a ``.zip``/``.tar``/``.tar.gz`` LaTeX source archive (checked, unpacked in memory)."""
    project = open_archive(path, data, max_bytes=max_bytes)
    main, text = find_main(project)
    return _paper(
        project,
        main,
        text,
        paper_id=paper_id,
        source_path=str(path),
        notes=_other_mains(project, main),
    )


def _other_mains(project: Project, main: str) -> list[str]:
    """A warning when the project holds several complete documents (a template, an old version)."""
    others = [rel for rel in main_candidates(project) if rel != main]
    if not others:
        return []
    listed = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
    return [
        f"several complete documents in the project ({listed}); read {main}, the one with the "
        "most content (give a .tex file to read another)"
    ]


def _paper(
    project: Project,
    main: str,
    main_text: str | None,
    *,
    paper_id: str,
    source_path: str,
    notes: list[str] | None = None,
) -> Paper:
    expanded = expand_includes(project, main, main_text)
    doc = parse_latex(expanded.text, project=project, main=main)
    doc.warnings[:0] = [*(notes or []), *expanded.warnings]
    doc.metadata["main_file"] = main
    return checked_paper(
        doc,
        paper_id=paper_id,
        source_kind=SourceKind.LATEX,
        source_path=source_path,
        content_hash=project.content_hash(),
    )


def parse_latex(source: str, *, project: Project | None = None, main: str = "") -> ParsedDocument:
    """Parse comment-free LaTeX source (includes already spliced) into a ParsedDocument."""
    source = strip_comments(source)
    doc = ParsedDocument()
    body = document_body(source)
    preamble = source[: source.find("\\begin{document}")] if body is not None else ""
    body = source if body is None else body
    macros = _simple_macros(preamble + "\n" + body)
    body = _expand_macros(_drop_macro_definitions(body), macros, doc.warnings)
    doc.title = _convert(_title(preamble + body, macros, doc.warnings), doc.warnings)
    begin = body.find(_ABSTRACT_BEGIN)
    end = body.find(_ABSTRACT_END, begin) if begin >= 0 else -1
    if end >= 0:
        doc.abstract = _convert(body[begin + len(_ABSTRACT_BEGIN) : end], doc.warnings)
        body = body[:begin] + body[end + len(_ABSTRACT_END) :]
    body = _mark_bibliography(body, project, main)
    _split_sections(body, doc)
    return doc


def _title(source: str, macros: dict[str, str], warnings: list[str]) -> str:
    match = _TITLE.search(source)
    if not match:
        return ""
    title, _ = read_group(source, match.end())
    return _expand_macros(title.replace("\\\\", " "), macros, warnings)


def _mark_bibliography(body: str, project: Project | None, main: str) -> str:
    """Turn the bibliography into a "References" section (with the .bbl text when present)."""
    body = _THEBIBLIOGRAPHY.sub(lambda _: _REFERENCES_HEADING + "\n", body)
    match = _BIBLIOGRAPHY.search(body)
    if not match:
        return body
    bbl = ""
    if project is not None and main:
        name = main[: -len(".tex")] + ".bbl" if main.endswith(".tex") else main + ".bbl"
        if project.exists(name):
            try:
                bbl = project.read(name).decode("utf-8", errors="replace")
            except PaperError:
                bbl = ""
            bbl = _THEBIBLIOGRAPHY.sub("", strip_comments(bbl)).replace(
                "\\end{thebibliography}", ""
            )
    return body[: match.start()] + _REFERENCES_HEADING + "\n" + bbl + body[match.end() :]


def _split_sections(body: str, doc: ParsedDocument) -> None:
    appendix_at = min((m.start() for m in _APPENDIX.finditer(body)), default=len(body) + 1)
    heads: list[tuple[int, int, str, str, bool]] = []  # start, end, command, title, starred
    paragraph_end = -1
    for match in _SECTIONING.finditer(body):
        if heads and match.start() < heads[-1][1]:
            continue  # inside the previous heading's title
        # A title cannot span paragraphs (LaTeX stops there too): an unclosed one ends at the
        # blank line, so it neither swallows the sections after it nor gets rescanned by each.
        if paragraph_end < match.end():
            paragraph = _PARAGRAPH_BREAK.search(body, match.end())
            paragraph_end = paragraph.start() if paragraph else len(body)
        title, end = read_group(body, match.end(), stop=paragraph_end)
        heads.append((match.start(), end, match["cmd"], title, bool(match["star"])))
    numbers = _Numbering(min((_LEVELS[h[2]] for h in heads), default=1))
    front = body[: heads[0][0]] if heads else body
    doc.front_text = _convert(_APPENDIX.sub("", front), doc.warnings)
    for index, (start, end, command, title, starred) in enumerate(heads):
        stop = heads[index + 1][0] if index + 1 < len(heads) else len(body)
        chunk = _APPENDIX.sub("", body[end:stop])
        tables, rest = extract_tables(chunk, _convert_quiet)
        rest = mark_figures(rest)
        heading = _convert(title, doc.warnings).replace("\n", " ")
        if command in ("paragraph", "subparagraph"):
            # A run-in head ends with its own punctuation ("Setup."); the PDF reader drops it too.
            heading = heading.strip().rstrip(".:").strip() or heading
        doc.sections.append(
            RawSection(
                heading=heading,
                level=_LEVELS[command],
                number=None if starred else numbers.next(_LEVELS[command], start > appendix_at),
                text=_convert(rest, doc.warnings),
                tables=tables,
                appendix=start > appendix_at,
            )
        )


class _Numbering:
    """Section numbers as LaTeX prints them (article class: numbered down to subsubsection)."""

    def __init__(self, top: int) -> None:
        self.top = max(top, 0)
        self.counters = [0] * (max(_LEVELS.values()) + 1)
        self.in_appendix = False

    def next(self, level: int, appendix: bool) -> str | None:
        if level < self.top or level > 3:
            return None
        if appendix and not self.in_appendix:
            self.in_appendix = True
            self.counters = [0] * len(self.counters)
        self.counters[level] += 1
        for deeper in range(level + 1, len(self.counters)):
            self.counters[deeper] = 0
        parts = [str(c) for c in self.counters[self.top : level + 1]]
        if self.in_appendix:
            parts[0] = chr(ord("A") + (self.counters[self.top] - 1) % 26)
        return ".".join(parts)


def _convert(source: str, warnings: list[str]) -> str:
    try:
        return latex_to_text(source)
    except ValueError as exc:
        warnings.append(f"kept raw LaTeX for a passage pylatexenc could not read ({reason(exc)})")
        return tidy_text(source)


def _convert_quiet(source: str) -> str:
    return _convert(source, [])


def _simple_macros(source: str) -> dict[str, str]:
    """Argument-free macro definitions: ``\\newcommand{\\ours}{CoDA}`` -> {"ours": "CoDA"}."""
    macros: dict[str, str] = {}
    body_end = 0
    for match in _MACRO_DEF.finditer(source):
        name = match["a"] or match["b"] or match["c"]
        position = match.end()
        if match.start() < body_end or name in _RESERVED or source.startswith("[", position):
            continue  # inside an earlier definition, or a macro with arguments: left as is
        body, body_end = read_group(source, position)
        if "#" not in body and f"\\{name}" not in body:
            macros.setdefault(name, body)
    return macros


def _drop_macro_definitions(body: str) -> str:
    """Remove macro definitions from the body so they are not read as text."""
    parts: list[str] = []
    position = 0
    for match in _MACRO_DEF.finditer(body):
        if match.start() < position:
            continue
        parts.append(body[position : match.start()])
        end = match.end()
        if body.startswith("[", end):
            end = body.find("]", end) + 1 or len(body)
            if body.startswith("[", end):
                end = body.find("]", end) + 1 or len(body)
        while end < len(body) and body[end].isspace():
            end += 1
        _, position = read_group(body, end) if body.startswith("{", end) else ("", end)
    parts.append(body[position:])
    return "".join(parts)


def _expand_macros(text: str, macros: dict[str, str], warnings: list[str]) -> str:
    if not macros:
        return text
    names = sorted(macros, key=len, reverse=True)
    pattern = re.compile(r"\\(" + "|".join(re.escape(n) for n in names) + r")(?![A-Za-z@])")
    limit = 2 * len(text) + 100_000
    for _ in range(_MAX_MACRO_PASSES):
        size = len(text)

        def replace(match: re.Match[str]) -> str:
            # Counted as it goes: 30,000 uses of a 40 kB macro are 1.2 GB in a single pass.
            nonlocal size
            body = macros[match.group(1)]
            size += len(body) - len(match.group(0))
            if size > limit:
                raise _TextTooLarge
            return body

        try:
            expanded = pattern.sub(replace, text)
        except _TextTooLarge:
            warnings.append("stopped expanding \\newcommand macros: the text grew too large")
            break
        if expanded == text:
            break
        text = expanded
    return text


class _TextTooLarge(Exception):
    """Raised inside a substitution to stop a macro expansion that outgrows its limit."""
