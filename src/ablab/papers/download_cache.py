"""Downloaded papers kept on disk, so that a second run of the same command asks nothing.

Layout under ``$ABLAB_CACHE_DIR/downloads`` (else ``$XDG_CACHE_HOME/ablab/downloads``, else
``~/.cache/ablab/downloads``)::

    arxiv/<id>/<version or "latest">/source    the bytes arXiv served (archive, .tex or PDF)
    arxiv/<id>/<version or "latest">/meta.json what they are, where they came from, metadata
    openreview/<forum>/paper.pdf, meta.json

An entry counts only once ``meta.json`` exists, and every file is written atomically, so an
interrupted download is fetched again, never read half-written. An id without a version is kept
as ``latest`` (the version served then is recorded in ``meta.json``); name the version to fetch
a newer one.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

META_FILE = "meta.json"


def downloads_dir() -> Path:
    """Where downloaded papers are kept."""
    root = os.environ.get("ABLAB_CACHE_DIR")
    if root:
        return Path(root) / "downloads"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ablab" / "downloads"


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class DownloadCache:
    """Entries addressed by a relative folder (``arxiv/2501.01234/v2``)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or downloads_dir()

    def _folder(self, key: str) -> Path:
        return self.directory / key

    def get(self, key: str, name: str) -> tuple[bytes, dict[str, Any]] | None:
        """The stored file ``name`` and its metadata, or None when absent or unreadable."""
        folder = self._folder(key)
        try:
            meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
            data = (folder / name).read_bytes()
        except (OSError, ValueError):
            return None
        return (data, meta) if isinstance(meta, dict) and data else None

    def meta(self, key: str) -> dict[str, Any] | None:
        """The metadata of an entry, or None."""
        try:
            meta = json.loads((self._folder(key) / META_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) else None

    def put(self, key: str, name: str, data: bytes, meta: dict[str, Any]) -> None:
        """Store ``data`` as ``name`` with ``meta`` (the metadata last: it marks completion).

        A cache that cannot be written (read-only home, full disk) only costs a download later.
        """
        folder = self._folder(key)
        with contextlib.suppress(OSError):
            _write_atomic(folder / name, data)
            self.update_meta(key, meta)

    def update_meta(self, key: str, meta: dict[str, Any]) -> None:
        """Replace the metadata of an entry."""
        text = json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        with contextlib.suppress(OSError):  # only costs a download later
            _write_atomic(self._folder(key) / META_FILE, text.encode("utf-8"))
