"""Token estimates for budgeting a prompt before it is sent.

Exact counts need each vendor's tokenizer (often a download); budgeting only needs a safe upper
estimate. English technical prose runs at about four characters per token with OpenAI-style
tokenizers; dividing by 3.5 errs on the high side, so a budgeted prompt fits. The counts the
provider reports after the call are the real ones and are what ablab records as usage.
"""

from __future__ import annotations

import math

CHARS_PER_TOKEN = 3.5


def estimate_tokens(text: str) -> int:
    """An upper estimate of the tokens in ``text``."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def chars_for_tokens(tokens: int) -> int:
    """How many characters fit, by the same estimate, in ``tokens`` tokens."""
    return max(0, int(tokens * CHARS_PER_TOKEN))
