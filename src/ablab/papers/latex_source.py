"""LaTeX source handling that needs no parser: comments, balanced groups, includes, main file.

Include commands (``\\input``, ``\\include``, ``\\subfile``, ``\\import``, ``\\subimport``...)
are resolved through a :class:`~ablab.papers.project.Project`, which refuses anything outside the
project root; skipped includes become warnings naming the include. Nothing is ever executed.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from ablab.errors import PaperError
from ablab.papers.limits import MAX_INCLUDE_DEPTH, MAX_INCLUDES
from ablab.papers.project import Project, SourcesTooLargeError, normalize_member
from ablab.papers.source import decode_text

# A line's text up to its first unescaped "%": "\%" is a percent sign, "\\%" starts a comment.
_COMMENT = re.compile(r"^((?:[^\\%\n]|\\.)*)%[^\n]*", re.MULTILINE)
_COMMENT_BEGIN = re.compile(re.escape("\\begin{comment}"))
_COMMENT_END = re.compile(re.escape("\\end{comment}"))
_IFFALSE = re.compile(r"\\iffalse(?![A-Za-z@])")
_FI = re.compile(r"\\fi(?![A-Za-z@])")
# \input{x} / \include{x} / \subfile{x} / "\input x"; \import{dir}{x} and friends.
_INCLUDE = re.compile(
    r"\\(?P<cmd0>input|include|subfile)(?![A-Za-z@])\s*"
    r"(?:\{(?P<name0>[^{}]*)\}|(?P<bare0>[^\s{}\\%]+))"
    r"|\\(?P<cmd1>(?:sub)?(?:import|inputfrom|includefrom))\*?\s*"
    r"\{(?P<dir1>[^{}]*)\}\s*\{(?P<name1>[^{}]*)\}"
)
_BEGIN_DOCUMENT = "\\begin{document}"
_END_DOCUMENT = "\\end{document}"
_PREFERRED_MAIN = ("main.tex", "paper.tex", "ms.tex", "manuscript.tex", "article.tex", "root.tex")
_MAX_NAME_IN_WARNING = 80


def strip_comments(text: str) -> str:
    """Remove ``%`` comments (not ``\\%``), ``comment`` environments and ``\\iffalse`` blocks.

    Verbatim text containing ``%`` (rare in papers) is cut like a comment, as a cheap trade-off.
    """
    text = _COMMENT.sub(r"\1", text)
    text = _drop_blocks(text, _COMMENT_BEGIN, _COMMENT_END)
    return _drop_blocks(text, _IFFALSE, _FI)


def _drop_blocks(text: str, begin: re.Pattern[str], end: re.Pattern[str]) -> str:
    """Remove every ``begin ... end`` block (each up to the first ``end`` after it).

    A single forward scan: a lazy ``begin.*?end`` regex rescans the rest of the text from every
    unclosed ``begin`` (quadratic on a file of thousands of them). A ``begin`` without an ``end``
    after it is kept, as the regex kept it.
    """
    parts: list[str] = []
    position = 0
    while (opening := begin.search(text, position)) is not None:
        closing = end.search(text, opening.end())
        if closing is None:
            break
        parts.append(text[position : opening.start()])
        position = closing.end()
    parts.append(text[position:])
    return "".join(parts)


def read_group(
    text: str,
    start: int,
    open_char: str = "{",
    close_char: str = "}",
    stop: int | None = None,
) -> tuple[str, int]:
    """Content of the balanced group opening at ``text[start]`` and the index after it.

    Escaped braces (``\\{``) do not count. An unclosed group runs to ``stop`` (default: the end
    of the text).
    """
    depth = 0
    index = start
    length = len(text) if stop is None else min(stop, len(text))
    while index < length:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == open_char:
            depth += 1
        elif char == close_char:
            depth -= 1
            if depth == 0:
                return text[start + 1 : index], index + 1
        index += 1
    return text[start + 1 : length], length


def document_body(text: str) -> str | None:
    """Text between ``\\begin{document}`` and ``\\end{document}``, or None without them."""
    begin = text.find(_BEGIN_DOCUMENT)
    if begin < 0:
        return None
    end = text.find(_END_DOCUMENT, begin)
    return text[begin + len(_BEGIN_DOCUMENT) : end if end >= 0 else len(text)]


@dataclass
class ExpandedSource:
    """The main file with every safe include spliced in."""

    main: str
    text: str
    warnings: list[str] = field(default_factory=list)


def _decode(project: Project, rel: str, warnings: list[str]) -> str:
    data = project.read(rel)
    if not data.strip():
        return ""
    text, notes = decode_text(data, rel)
    warnings.extend(notes)
    return text


def find_main(project: Project) -> tuple[str, str]:
    """The main file (``\\documentclass`` + ``\\begin{document}``) and its comment-free text.

    Preference: a complete document over a fragment, not a ``subfiles`` child, then the document
    with the most content of its own (its body and the project files it includes: a venue's
    untouched template next to the paper is short), then a conventional name (main.tex,
    paper.tex...), shallower, then alphabetical. See :func:`main_candidates` for the others.
    """
    ranked = _ranked_mains(project)
    return ranked[0][1], ranked[0][2]


def main_candidates(project: Project) -> list[str]:
    """Every complete document of the project, the one :func:`find_main` reads first."""
    return [rel for key, rel, _ in _ranked_mains(project) if not key[0] and not key[1]]


def _ranked_mains(project: Project) -> list[tuple[tuple[object, ...], str, str]]:
    files = project.tex_files()
    if not files:
        raise PaperError(f"{project.label}: no .tex file found")
    ranked: list[tuple[tuple[object, ...], str, str]] = []
    for rel in files:
        try:
            text = strip_comments(_decode(project, rel, []))
        except SourcesTooLargeError:
            raise
        except PaperError:
            continue  # an unreadable or binary .tex cannot be the main file
        complete = "\\documentclass" in text and _BEGIN_DOCUMENT in text
        subfile = re.search(r"\\documentclass\s*(\[[^\]]*\])?\s*\{subfiles\}", text) is not None
        name = posixpath.basename(rel).lower()
        rank = _PREFERRED_MAIN.index(name) if name in _PREFERRED_MAIN else len(_PREFERRED_MAIN)
        content = _content_size(project, rel, text) if complete else 0
        key = (not complete, subfile, -content, rank, rel.count("/"), rel)
        ranked.append((key, rel, text))
    ranked.sort(key=lambda item: item[0])
    if not ranked or ranked[0][0][0]:
        raise PaperError(
            f"{project.label}: no main .tex file (none has \\documentclass and \\begin{{document}})"
        )
    return ranked


def _content_size(project: Project, rel: str, text: str) -> int:
    """Characters of a document's body plus those of the project files it includes directly
    (rounded to 2,000 so that near-equal versions fall back to the name rules)."""
    body = document_body(text) or ""
    size = len(body)
    folder = posixpath.dirname(rel)
    for match in _INCLUDE.finditer(body):
        name = match.group("name0") or match.group("bare0") or match.group("name1") or ""
        for candidate in (name, f"{name}.tex"):
            target = posixpath.normpath(posixpath.join(folder, candidate.strip()))
            if candidate.strip() and project.exists(target):
                try:
                    size += len(project.read(target))
                except SourcesTooLargeError:
                    raise
                except PaperError:
                    pass  # unreadable: it adds nothing
                break
    return size // 2000


def expand_includes(project: Project, main: str, main_text: str | None = None) -> ExpandedSource:
    """Splice included files into the main file, following safe includes only."""
    result = ExpandedSource(main=main, text="")
    if main_text is None:
        main_text = strip_comments(_decode(project, main, result.warnings))
    main_dir = posixpath.dirname(main)
    result.text = _Expander(project, main_dir, result.warnings).expand(
        main_text, main, main_dir, [main]
    )
    return result


class _Expander:
    def __init__(self, project: Project, main_dir: str, warnings: list[str]) -> None:
        self.project = project
        self.main_dir = main_dir
        self.warnings = warnings
        # Files are read once, but a file included ten times by each of nine nested files is
        # spliced in 10**9 times: the spliced text gets the size budget of the project.
        self.room = project.max_bytes
        self.includes = 0

    def expand(self, text: str, current: str, import_dir: str, stack: list[str]) -> str:
        def replace(match: re.Match[str]) -> str:
            return self._include(match, current, import_dir, stack)

        return _INCLUDE.sub(replace, text)

    def _include(
        self, match: re.Match[str], current: str, import_dir: str, stack: list[str]
    ) -> str:
        groups = match.groupdict()
        command = groups["cmd0"] or groups["cmd1"]
        name = (groups["name0"] or groups["bare0"] or groups["name1"] or "").strip()
        arguments = [groups["dir1"], name] if groups["cmd1"] else [name]
        shown = f"\\{command}" + "".join(f"{{{a[:_MAX_NAME_IN_WARNING]}}}" for a in arguments)
        current_dir = posixpath.dirname(current)
        if groups["cmd1"]:
            directory = groups["dir1"].strip()
            anchor = import_dir if command.startswith("sub") else self.main_dir
            bases = [posixpath.join(anchor, directory)]
        elif command == "subfile":
            bases = [current_dir, self.main_dir]
        else:
            bases = [self.main_dir, import_dir, current_dir]
        found, outside = self._locate(name, bases)
        if found is None:
            reason = "resolves outside the project root" if outside else "file not found"
            self.warnings.append(f"skipped {shown}: {reason}")
            return ""
        if found in stack:
            self.warnings.append(f"skipped {shown}: cyclic include of {found}")
            return ""
        if len(stack) > MAX_INCLUDE_DEPTH:
            self.warnings.append(f"skipped {shown}: includes nested too deeply")
            return ""
        self.includes += 1
        if self.includes > MAX_INCLUDES:  # tiny files included many times: refused like a bomb
            raise SourcesTooLargeError(
                f"{self.project.label}: LaTeX sources expand to more than {MAX_INCLUDES:,} "
                "included files"
            )
        try:
            text = strip_comments(_decode(self.project, found, self.warnings))
        except SourcesTooLargeError:
            raise
        except PaperError as exc:
            self.warnings.append(f"skipped {shown}: {str(exc).split(': ', 1)[-1]}")
            return ""
        body = document_body(text)
        self.room -= len(body if body is not None else text)
        if self.room < 0:
            raise SourcesTooLargeError(
                f"{self.project.label}: LaTeX sources expand beyond {self.project.max_bytes:,} "
                "characters once their includes are spliced in"
            )
        child_import_dir = posixpath.dirname(found) if groups["cmd1"] else import_dir
        return (
            "\n"
            + self.expand(
                body if body is not None else text, found, child_import_dir, [*stack, found]
            )
            + "\n"
        )

    def _locate(self, name: str, bases: list[str]) -> tuple[str | None, bool]:
        """First existing safe candidate; whether any candidate pointed outside the root."""
        outside = False
        for base in bases:
            joined = normalize_member(posixpath.join(base, name)) if name else None
            if joined is None:
                outside = outside or bool(name)  # absolute, "~" or climbing above the root
                continue
            candidates = (joined,) if joined.endswith(".tex") else (joined, joined + ".tex")
            for candidate in candidates:
                status = self.project.status(candidate)
                if status == "ok":
                    return candidate, False
                outside = outside or status == "outside"
        return None, outside
