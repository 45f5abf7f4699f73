"""Words and term keys shared by the extractors: tokenising, singular forms, normalised keys."""

from __future__ import annotations

import re
from functools import lru_cache


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` as a set (keeps word lists readable)."""
    return frozenset(text.split())


WORD = re.compile(r"[^\W\d_][\w]*(?:['’-][\w]+)*|\d+(?:\.\d+)?|[^\w\s]")
"""A word (letters first, hyphens inside), a number, or one punctuation character."""

STOPWORDS = word_set(
    """
    a an the our their its his her this that these those we us you they it he she i me my your
    is are was were be been being am do does did has have had having will would shall should can
    could may might must of in on at to for from by with without as and or but nor than then into
    onto over under between across per via each every all any some such both either neither which
    who whom whose what when where while how why also only not no so very more most less least
    there here thus hence however therefore further furthermore moreover instead rather just
    using use used uses based given let if else since because after before during until upon
    although though whereas unless whether
    within among along about above below up down out off again once one two three four five six
    seven eight nine ten many much few several other another same own itself themselves it's
    """
)
"""Function words that never belong to a component name."""

VERBS = word_set(
    "verify test check compare apply compute train remove add replace learn visualize visualise "
    "monitor confirm measure evaluate run ensure make see show note consider build keep update "
    "optimize optimise freeze isolate study analyze analyse ablate swap tune vary"
)
"""Verbs that often stand right before a name in imperative or list text ("Verify KL loss ...")."""

_SINGULAR_KEEP = ("ss", "us", "is", "as", "ics")
_IRREGULAR = {
    "indices": "index",
    "matrices": "matrix",
    "vertices": "vertex",
    "analyses": "analysis",
}


@lru_cache(maxsize=16384)  # the same words recur throughout a paper
def singular(word: str) -> str:
    """A simple singular form of an English noun (``memories`` -> ``memory``)."""
    lower = word.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if len(lower) <= 3 or not lower.endswith("s") or lower.endswith(_SINGULAR_KEEP):
        return lower
    if lower.endswith("ies") and len(lower) > 4:
        return lower[:-3] + "y"
    if lower.endswith(("ches", "shes", "xes", "sses")):
        return lower[:-2]
    return lower[:-1]


def words(text: str) -> list[str]:
    """The word tokens of ``text`` (punctuation dropped), as written."""
    return [t for t in WORD.findall(text) if t[0].isalnum()]


def term_key(text: str) -> str:
    """Normalised key of a term: lower case, no articles, last word singular.

    ``"the Cross-View Consistency Modules"`` -> ``"cross-view consistency module"``.
    """
    tokens = [t.lower() for t in words(text)]
    while tokens and tokens[0] in STOPWORDS:
        tokens.pop(0)
    if not tokens:
        return ""
    tokens[-1] = singular(tokens[-1])
    return " ".join(tokens)


def content_tokens(text: str) -> list[str]:
    """Lower-case, singular word tokens of ``text`` without stop words."""
    return [singular(t) for t in (w.lower() for w in words(text)) if t not in STOPWORDS]


def _content_parts(text: str) -> frozenset[str]:
    """Content words of ``text`` with hyphenated words split (``multi-head`` -> multi, head)."""
    parts = (p for t in content_tokens(text) for p in t.split("-"))
    return frozenset(singular(p) for p in parts if p and p not in STOPWORDS)


def repeats(a: str, b: str) -> bool:
    """Whether two names say the same thing, so that "A in the B" would repeat itself.

    ``multi-head attention`` / ``multi-head self-attention`` and ``stop-gradient`` /
    ``stop-gradient`` repeat; ``KL divergence`` / ``consistency loss`` do not. True when one
    name's content words are all in the other, or when they share at least half of them.
    """
    left, right = _content_parts(a), _content_parts(b)
    if not left or not right:
        return False
    shared = len(left & right)
    return left <= right or right <= left or shared * 2 >= min(len(left), len(right)) + 1


def shares_word(a: str, b: str) -> bool:
    """Whether two names share a content word ("window size" / "window-based MSA"), so that
    "A of the B" would say a word twice."""
    return bool(_content_parts(a) & _content_parts(b))
