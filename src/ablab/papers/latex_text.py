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

_BLANK_RUNS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_SPACES = re.compile(r"[ \t]{2,}")
_XSPACE_BEFORE_WORD = re.compile(r"\\xspace(?=[A-Za-z0-9(])")
_XSPACE = re.compile(r"\\xspace(?![A-Za-z@])")


def _last_argument(node: Any, l2tobj: Any) -> str:
    """Text of a macro's last given argument (``\\href{url}{text}`` -> text)."""
    args = [arg for arg in node.nodeargd.argnlist if arg is not None] if node.nodeargd else []
    return str(l2tobj.nodelist_to_text([args[-1]])) if args else ""


_WALKER_MACROS = (
    ("href", "{{"),
    ("multicolumn", "{{{"),
    ("multirow", "[{[{[{"),
    ("cref", "*{"),
    ("Cref", "*{"),
    ("autoref", "*{"),
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
    MacroTextSpec("cref", simplify_repl="[ref]"),
    MacroTextSpec("Cref", simplify_repl="[ref]"),
    MacroTextSpec("autoref", simplify_repl="[ref]"),
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
    """Plain text of a LaTeX fragment; math stays as written. Raises ValueError if unparsable."""
    source = _XSPACE.sub("", _XSPACE_BEFORE_WORD.sub(" ", source))
    walker_db, converter = _contexts()
    try:
        nodes, _, _ = LatexWalker(
            source, latex_context=walker_db, tolerant_parsing=True
        ).get_latex_nodes()
        text = converter.nodelist_to_text(nodes)
    except (LatexWalkerError, IndexError, KeyError, TypeError, ValueError, RecursionError) as exc:
        raise ValueError(f"cannot convert LaTeX markup: {exc}") from None
    return tidy_text(text)


def tidy_text(text: str) -> str:
    """Collapse runs of spaces and blank lines left by removed markup."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\xa0", " ").split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
