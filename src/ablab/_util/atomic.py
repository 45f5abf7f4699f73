"""Atomic file writes: a crash leaves either the old or the new file, whole."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

TEMP_SUFFIX = ".tmp"
"""Suffix of the temporary files :func:`atomic_write_text` writes before renaming them."""
STALE_TEMP_S = 300.0
"""Age after which a temporary file is taken as left by a killed process and removed."""


def temp_prefix(path: Path) -> str:
    """Name prefix of the temporary files written on the way to ``path`` (hidden, then its name)."""
    return f".{path.name}."


def atomic_write_text(path: Path, text: str, *, fsync: bool = True) -> None:
    """Write ``text`` to ``path`` so that a crash leaves either the old or the new file, whole.

    ``fsync=False`` skips the flush to disk: the rename stays atomic for other processes, only a
    power loss may lose the new content (for caches, whose entries can be fetched again).
    """
    atomic_write_bytes(path, text.encode("utf-8"), fsync=fsync)


def atomic_write_bytes(path: Path, data: bytes, *, fsync: bool = True) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_write_text`)."""
    with _atomic_handle(path, "wb", fsync=fsync) as handle:
        handle.write(data)


@contextlib.contextmanager
def atomic_text_writer(path: Path, *, fsync: bool = True) -> Iterator[TextIO]:
    """A UTF-8 text handle whose content replaces ``path`` atomically when the block ends
    without an error (see :func:`atomic_write_text`): for large files written piece by piece,
    never held whole in memory."""
    with _atomic_handle(path, "w", fsync=fsync, encoding="utf-8", newline="") as handle:
        yield handle


@contextlib.contextmanager
def _atomic_handle(path: Path, mode: str, *, fsync: bool, **options: Any) -> Iterator[Any]:
    """A handle on a temporary file beside ``path`` that replaces it when the block ends
    without an error, and is removed when it does not."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=temp_prefix(path), suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, mode, **options) as handle:
            yield handle
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        _publish(Path(tmp), path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _publish(tmp: Path, path: Path) -> None:
    # mkstemp creates 0600; results are shared files like any other (a web server, a team).
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def remove_stale_temp_files(folder: Path, older_than_s: float = STALE_TEMP_S) -> int:
    """Remove the temporary files of atomic writes that a killed process left in ``folder``.

    Only files older than ``older_than_s`` go: a younger one may belong to a live process.
    Returns how many were removed.
    """
    removed, limit = 0, time.time() - older_than_s
    for path in folder.glob(f".*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
    return removed
