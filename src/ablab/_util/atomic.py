"""Atomic file writes: a crash leaves either the old or the new file, whole."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMP_SUFFIX = ".tmp"
"""Suffix of the temporary files :func:`atomic_write_text` writes before renaming them."""


def temp_prefix(path: Path) -> str:
    """Name prefix of the temporary files written on the way to ``path`` (hidden, then its name)."""
    return f".{path.name}."


def atomic_write_text(path: Path, text: str, *, fsync: bool = True) -> None:
    """Write ``text`` to ``path`` so that a crash leaves either the old or the new file, whole.

    ``fsync=False`` skips the flush to disk: the rename stays atomic for other processes, only a
    power loss may lose the new content (for caches, whose entries can be fetched again).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=temp_prefix(path), suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        # mkstemp creates 0600; results are shared files like any other (a web server, a team).
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
