"""Labels that tie a run to a plan item: ablation names as config-safe slugs."""

from __future__ import annotations

import functools
import re
import unicodedata

FULL = "full"
"""Label of the unablated method's runs."""


@functools.lru_cache(maxsize=65_536)
def slug(text: str) -> str:
    """A plain label for a name: ``Remove the CVCM (τ)`` -> ``remove-the-cvcm-t``."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    cleaned = re.sub(r"[^0-9A-Za-z]+", "-", folded).strip("-").lower()
    return cleaned or "x"
