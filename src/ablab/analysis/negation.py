"""Whether a mention says the method does *without* something.

"uses neither negative pairs, nor large batches, nor a momentum encoder", "no memory bank is
used", "without a momentum encoder", "replaces global attention with window attention": the
part after the cue is absent from the method. Such parts are not the method's to remove or
replace, but adding them back is a question reviewers ask ("compare with a momentum encoder").
"""

from __future__ import annotations

import re
from typing import Literal

# A cue and what may stand between it and the mention: no sentence or clause break, and none of
# the words that start a positive statement again ("replaces X with Y": Y is used).
_CUE = re.compile(
    r"\b(?:(?P<absent>no|not|without|neither|nor|free\s+of|dispens(?:e|es|ed|ing)\s+with)|"
    r"(?P<replaced>instead\s+of|rather\s+than|replac(?:e|es|ed|ing)|remov(?:e|es|ed|ing)))\b"
    r"(?P<gap>[^.;:!?]*)$",
    re.IGNORECASE,
)
_POSITIVE_AGAIN = re.compile(
    r"\b(?:with|but|while|whereas|which|that|uses?|using|and\s+(?:use|add|apply)|by|to|from|"
    r"is|are|was|were)\b",
    re.IGNORECASE,
)
_MAX_GAP = 50
"""Characters allowed between the cue and the mention."""

Negation = Literal["absent", "replaced"]
"""``absent``: the method does without the part ("no memory bank"); ``replaced``: the method uses
something else in its place ("replaces the U-Net with a transformer", "instead of X")."""


def negation_at(text: str, start: int) -> Negation | None:
    """How the mention starting at ``text[start]`` is negated in its clause, or None."""
    before = text[max(0, start - _MAX_GAP - 20) : start]
    match = _CUE.search(before)
    if match is None:
        return None
    gap = match.group("gap")
    if len(gap) > _MAX_GAP or _POSITIVE_AGAIN.search(gap):
        return None
    return "absent" if match.group("absent") else "replaced"


def negated_at(text: str, start: int) -> bool:
    """Whether the mention starting at ``text[start]`` follows a negation cue in its clause."""
    return negation_at(text, start) is not None
