"""One JSON value per line, safe for every reader of JSON Lines."""

from __future__ import annotations

import json
from typing import Any

# Valid inside JSON strings, but Python's str.splitlines() (and other tools) break lines there:
# escaped, a plan quoting such a character stays on its line.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_line(value: Any) -> str:
    """``value`` as compact-enough JSON on exactly one line (Unicode kept readable)."""
    return json.dumps(value, ensure_ascii=False).translate(_LINE_BREAKS)
