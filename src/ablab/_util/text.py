"""Text cleaning shared by every reader of untrusted text (papers, model answers, exceptions)."""

from __future__ import annotations

import re

_MAX_REASON_CHARS = 160

# C0 controls but tab, newlines and form feed; DEL; C1 controls. Paper text is printed to
# terminals, where ESC/CSI sequences could retitle the window or write the clipboard.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def reason(exc: BaseException) -> str:
    """A library exception's message on one short line, for use inside a one-line error."""
    text = " ".join(str(getattr(exc, "strerror", None) or exc).split())
    return text if len(text) <= _MAX_REASON_CHARS else text[: _MAX_REASON_CHARS - 3] + "..."


def strip_controls(text: str) -> str:
    """``text`` without terminal control characters (whitespace controls are kept)."""
    return _CONTROLS.sub("", text)
