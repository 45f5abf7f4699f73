"""LaTeX markup to plain text with pylatexenc, math kept as LaTeX source.

The default pylatexenc contexts are extended with the macros ML papers use most (``\\href``,
``\\multicolumn``, ``\\cref``...) so they give their text instead of placeholders or errors.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec
from pylatexenc.latex2text import get_default_latex_context_db as text_context_db
from pylatexenc.latexwalker import LatexWalker, LatexWalkerError
from pylatexenc.latexwalker import get_default_latex_context_db as walker_context_db
from pylatexenc.macrospec import LatexContextDb, MacroSpec

from ablab.papers.latex_source import read_group

_BLANK_RUNS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_SPACES = re.compile(r"[ \t]{2,}")
_XSPACE_BEFORE_WORD = re.compile(r"\\xspace(?=[A-Za-z0-9(])")
_XSPACE = re.compile(r"\\xspace(?![A-Za-z@])")


def _last_argument(node: Any, l2tobj: Any) -> str:
    """Text of a macro's last given argument (``\\href{url}{text}`` -> text)."""
    args = [arg for arg in node.nodeargd.argnlist if arg is not None] if node.nodeargd else []
    return str(l2tobj.nodelist_to_text([args[-1]])) if args else ""


# Reference macros papers define for themselves (\tableref, \figref...): read as "[ref]",
# never as their label ("tab:ablation").
_REF_MACROS = (
    "tableref", "tabref", "Tabref", "figref", "Figref", "secref", "Secref", "eqnref", "appref",
    "algref", "lemref", "thmref", "Cref", "cref", "autoref", "nameref", "subref",
)  # fmt: skip
# Font commands whose text pylatexenc would drop or keep inconsistently.
_FONT_MACROS = ("texttt", "textsc", "textsf", "textrm", "mathtt")

_WALKER_MACROS = (
    *((name, "*{") for name in _REF_MACROS),
    *((name, "{") for name in _FONT_MACROS),
    ("href", "{{"),
    ("multicolumn", "{{{"),
    ("multirow", "[{[{[{"),
    ("thanks", "{"),
    ("footnotemark", "["),
    ("xspace", ""),
    ("bibliographystyle", "{"),
)
_TEXT_MACROS = (
    MacroTextSpec("href", simplify_repl=_last_argument),
    MacroTextSpec("multicolumn", simplify_repl=_last_argument),
    MacroTextSpec("multirow", simplify_repl=_last_argument),
    MacroTextSpec("maketitle", discard=True),
    MacroTextSpec("thanks", discard=True),
    MacroTextSpec("footnotemark", discard=True),
    MacroTextSpec("xspace", discard=True),
    MacroTextSpec("includegraphics", discard=True),
    MacroTextSpec("bibliographystyle", discard=True),
    MacroTextSpec("cite", simplify_repl="[cite]"),
    MacroTextSpec("citep", simplify_repl="[cite]"),
    MacroTextSpec("citet", simplify_repl="[cite]"),
    MacroTextSpec("ref", simplify_repl="[ref]"),
    MacroTextSpec("eqref", simplify_repl="([ref])"),
    *(MacroTextSpec(name, simplify_repl="[ref]") for name in _REF_MACROS),
    *(MacroTextSpec(name, simplify_repl=_last_argument) for name in _FONT_MACROS),
)


@lru_cache(maxsize=1)
def _contexts() -> tuple[LatexContextDb, LatexNodes2Text]:
    walker = walker_context_db()
    walker.add_context_category(
        "ablab", prepend=True, macros=[MacroSpec(name, args) for name, args in _WALKER_MACROS]
    )
    text = text_context_db()
    text.add_context_category("ablab", prepend=True, macros=list(_TEXT_MACROS))
    return walker, LatexNodes2Text(latex_context=text, math_mode="verbatim")


def latex_to_text(source: str) -> str:
    """Plain text of a LaTeX fragment; math stays as written. Raises ValueError if unparsable.

    pylatexenc reads character by character, so only the markup is given to it: math passes
    through verbatim and plain prose between markup only has its ligatures (``~``, ``--``,
    quotes) replaced. This keeps a 60-page paper well under a second.
    """
    source = _XSPACE.sub("", _XSPACE_BEFORE_WORD.sub(" ", source))
    parts: list[str] = []
    for kind, text in split_markup(source):
        if kind == "math":
            parts.append(text)
        elif kind == "escape":
            parts.append(_ESCAPES[text[1]])
        elif kind == "display":
            parts.append(f"\n{text}\n")
        elif kind == "plain":
            parts.append(_plain(text))
        else:
            parts.append(_walk(text))
    return tidy_text("".join(parts))


def _walk(source: str) -> str:
    walker_db, converter = _contexts()
    try:
        walker = LatexWalker(source, latex_context=walker_db, tolerant_parsing=True)
        nodes, _, _ = walker.get_latex_nodes()
        return str(converter.nodelist_to_text(nodes))
    except (LatexWalkerError, IndexError, KeyError, TypeError, ValueError, RecursionError) as exc:
        raise ValueError(f"cannot convert LaTeX markup: {exc}") from None


_LIGATURES = (("---", "\u2014"), ("--", "\u2013"), ("``", "\u201c"), ("''", "\u201d"), ("~", " "))


def _plain(text: str) -> str:
    for old, new in _LIGATURES:
        text = text.replace(old, new)
    return text


_MATH_ENVS = frozenset(
    f"{name}{star}"
    for name in (
        "equation",
        "align",
        "alignat",
        "gather",
        "multline",
        "eqnarray",
        "flalign",
        "displaymath",
        "math",
    )
    for star in ("", "*")
)
_ENV_NAME = re.compile(r"\\begin\s*\{([^{}]*)\}")
_MACRO_NAME = re.compile(r"\\(?:[A-Za-z@]+\*?|.)", re.DOTALL)
_SPECIAL = re.compile(r"[\\{}$]")
_ACCENTS = frozenset("'`^\"~=.")
# Escaped characters and bare line breaks, read without pylatexenc: a megabyte of "\\%" or
# "\\\\" would otherwise go through it as one slow markup island.
_ESCAPES = {"%": "%", "&": "&", "_": "_", "#": "#", "$": "$", "{": "{", "}": "}", "\\": "\n"}
_MERGE_GAP = 40  # markup islands closer than this are converted in one pylatexenc call


def split_markup(source: str) -> list[tuple[str, str]]:
    """Cut LaTeX into ("plain" | "escape" | "math" | "display" | "markup", text) pieces."""
    pieces: list[tuple[str, str]] = []
    index = 0
    length = len(source)
    while index < length:
        special = _SPECIAL.search(source, index)
        if special is None:
            pieces.append(("plain", source[index:]))
            break
        start = special.start()
        if start > index:
            pieces.append(("plain", source[index:start]))
        kind, end = _island(source, start)
        pieces.append((kind, source[start:end]))
        index = end
    return _merge(pieces)


def _island(source: str, start: int) -> tuple[str, int]:
    """Kind and end of the construct starting at ``source[start]`` (a \\, {, } or $)."""
    char = source[start]
    if char == "$":
        delimiter = "$$" if source.startswith("$$", start) else "$"
        end = _find_unescaped(source, delimiter, start + len(delimiter))
        return ("display" if delimiter == "$$" else "math"), end + len(delimiter)
    if char == "{":
        _, end = read_group(source, start)
        return "markup", end
    if char == "}":
        return "markup", start + 1  # a stray brace: let pylatexenc judge it
    escaped = source[start + 1 : start + 2]
    if escaped in _ESCAPES and (escaped != "\\" or _bare_line_break(source, start + 2)):
        return "escape", start + 2
    if source.startswith(("\\[", "\\("), start):
        closing = "\\]" if source[start + 1] == "[" else "\\)"
        end = _find_unescaped(source, closing, start + 2)
        return ("display" if closing == "\\]" else "math"), end + 2
    env = _ENV_NAME.match(source, start)
    if env:
        name = env.group(1).strip()
        end = _environment_end(source, name, env.end())
        return ("display" if name in _MATH_ENVS else "markup"), end
    macro = _MACRO_NAME.match(source, start)
    end = macro.end() if macro else start + 1
    if end == start + 2 and source[start + 1] in _ACCENTS and source[end : end + 1].isalpha():
        end += 1  # \'e: an accent takes the next letter
    # Optional and braced arguments that follow directly belong to the macro.
    while end < len(source) and source[end] in "[{":
        if source[end] == "[":
            close = source.find("]", end)
            if close < 0 or "\n\n" in source[end:close]:
                break
            end = close + 1
        else:
            _, end = read_group(source, end)
    return "markup", end


def _bare_line_break(source: str, end: int) -> bool:
    """Whether ``\\\\`` ending at ``end`` takes no ``*`` or ``[..]`` (nor space before them)."""
    following = source[end : end + 1]
    return not following or following not in "*[" and not following.isspace()


def _find_unescaped(source: str, token: str, start: int) -> int:
    index = start
    while True:
        found = source.find(token, index)
        if found < 0:
            return len(source) - len(token) if len(source) >= len(token) else len(source)
        backslashes = 0  # counted back from ``found``: slicing ``source[:found]`` is quadratic
        while found - backslashes > 0 and source[found - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            return found
        index = found + 1


def _environment_end(source: str, name: str, start: int) -> int:
    """Index after the ``\\end{name}`` matching a ``\\begin{name}`` (same-name nesting counted)."""
    begin_token, end_token = f"\\begin{{{name}}}", f"\\end{{{name}}}"
    depth, index = 1, start
    while depth:
        next_end = source.find(end_token, index)
        if next_end < 0:
            return len(source)
        next_begin = source.find(begin_token, index, next_end)
        if next_begin >= 0:
            depth, index = depth + 1, next_begin + len(begin_token)
        else:
            depth, index = depth - 1, next_end + len(end_token)
    return index


def _merge(pieces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Join markup islands separated by short plain text, so pylatexenc is called less often."""
    # Runs are joined once at the end: growing one string piece by piece is quadratic.
    runs: list[tuple[str, list[str]]] = []
    for kind, text in pieces:
        after_markup = bool(runs) and runs[-1][0] == "markup"
        if after_markup and (kind == "markup" or (kind == "plain" and len(text) < _MERGE_GAP)):
            runs[-1][1].append(text)
        else:
            runs.append((kind, [text]))
    return [(kind, "".join(texts)) for kind, texts in runs]


def tidy_text(text: str) -> str:
    """Collapse runs of spaces and blank lines left by removed markup."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\xa0", " ").split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
