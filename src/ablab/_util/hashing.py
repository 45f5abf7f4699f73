"""Content hashes and configuration fingerprints."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def sha256_hex(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def fingerprint(material: Any, length: int = 16) -> str:
    """A short hash of JSON-able ``material`` (keys sorted): equal material, equal fingerprint."""
    canonical = json.dumps(material, sort_keys=True, ensure_ascii=False)
    return sha256_hex(canonical.encode("utf-8"))[:length]
