"""A content-addressed response cache: a repeated request costs nothing and is never sent.

The key hashes everything that changes a model's output — the model's identity (name and
endpoint), the messages, the sampling parameters and the response schema — and nothing that
does not (time-outs, retry settings, keys). Only good answers are stored: errors never reach the
cache, refusals, empty and truncated answers are not written, and a planner that finally rejects
a paper's answers calls :func:`forget` so that a later run asks again.

Entries are JSON files under ``<dir>/<k[:2]>/<k>.json``, written atomically, so that several
processes may share one cache and a crash leaves no half-written entry.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ablab._util.atomic import atomic_write_text, remove_stale_temp_files
from ablab.models.base import (
    Completion,
    GenerateParams,
    Message,
    Model,
    ModelWrapper,
    ResponseSchema,
)
from ablab.schema import Usage

CACHE_FORMAT = 1
"""Bumped when the entry layout changes, which invalidates older entries."""

CACHE_DIR_ENV = "ABLAB_CACHE_DIR"
"""Environment variable overriding where the cache lives."""

_NOT_CACHED_FINISH = frozenset({"length", "refusal", "content_filter"})
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}")


def default_cache_dir() -> Path:
    """``$ABLAB_CACHE_DIR``, else ``$XDG_CACHE_HOME/ablab/responses``, else ``~/.cache/...``."""
    if os.environ.get(CACHE_DIR_ENV):
        return Path(os.environ[CACHE_DIR_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ablab" / "responses"


def cache_key(
    model: Model,
    messages: list[Message],
    params: GenerateParams,
    schema: ResponseSchema | None,
) -> str:
    """sha256 over everything that changes the output of this request."""
    material = {
        "format": CACHE_FORMAT,
        "model": model.cache_identity,
        "messages": [m.model_dump() for m in messages],
        "params": params.model_dump(),
        "schema": schema.model_dump()
        if schema is not None and model.supports_json_schema
        else None,
    }
    canonical = json.dumps(material, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CacheInfo:
    """What the cache holds."""

    directory: Path
    """Where it lives."""
    entries: int
    """Number of stored responses."""
    size_bytes: int
    """Disk space they take."""
    by_model: dict[str, int]
    """Entries per model name."""


class ResponseCache:
    """Stored completions, addressed by :func:`cache_key`."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or default_cache_dir()
        self._swept: set[Path] = set()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> Completion | None:
        """The stored completion for ``key``, or None (an unreadable entry counts as missing)."""
        path = self._path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            return Completion.model_validate(entry["completion"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            path.unlink(missing_ok=True)
            return None

    def put(self, key: str, completion: Completion) -> bool:
        """Store a good completion; refuse (return False) empty, truncated or refused ones."""
        if not completion.text.strip() or completion.finish_reason in _NOT_CACHED_FINISH:
            return False
        entry: dict[str, Any] = {
            "format": CACHE_FORMAT,
            "stored_at": datetime.now(UTC).isoformat(),
            "completion": completion.model_dump(mode="json"),
        }
        path = self._path(key)
        # No fsync: the rename keeps entries whole, and an entry lost to a power cut is asked again.
        atomic_write_text(path, json.dumps(entry, ensure_ascii=False) + "\n", fsync=False)
        if path.parent not in self._swept:  # once per folder and process: a killed run's leftovers
            self._swept.add(path.parent)
            remove_stale_temp_files(path.parent)
        return True

    def delete(self, key: str) -> None:
        """Remove one entry, if present."""
        self._path(key).unlink(missing_ok=True)

    def _entries(self) -> list[Path]:
        """Stored answers only: ``<2 hex>/<64 hex>.json``. The directory may be shared (a mistyped
        ``ABLAB_CACHE_DIR``), and ``cache clear`` must never delete anyone else's ``x/y.json``."""
        if not self.directory.is_dir():
            return []
        return sorted(
            path
            for path in self.directory.glob("??/*.json")
            if _ENTRY_NAME.fullmatch(path.stem) and path.parent.name == path.stem[:2]
        )

    def info(self) -> CacheInfo:
        """Counts and sizes, for ``ablab cache info``."""
        by_model: dict[str, int] = {}
        size = 0
        entries = self._entries()
        for path in entries:
            size += path.stat().st_size
            try:
                model = json.loads(path.read_text(encoding="utf-8"))["completion"]["model"]
            except (OSError, ValueError, KeyError, TypeError):
                model = "<unreadable>"
            by_model[model] = by_model.get(model, 0) + 1
        return CacheInfo(self.directory, len(entries), size, dict(sorted(by_model.items())))

    def clear(self, model: str | None = None) -> int:
        """Delete every entry (or only those of ``model``); return how many were deleted."""
        removed = 0
        for path in self._entries():
            if model is not None:
                try:
                    entry_model = json.loads(path.read_text(encoding="utf-8"))["completion"][
                        "model"
                    ]
                except (OSError, ValueError, KeyError, TypeError):
                    entry_model = None
                if entry_model != model:
                    continue
            path.unlink(missing_ok=True)
            removed += 1
        return removed


class CachedModel(ModelWrapper):
    """Wraps a model so that repeated requests are answered from a :class:`ResponseCache`."""

    def __init__(self, inner: Model, cache: ResponseCache) -> None:
        super().__init__(inner)
        self.cache = cache

    async def generate(
        self,
        messages: list[Message],
        *,
        schema: ResponseSchema | None = None,
        params: GenerateParams | None = None,
    ) -> Completion:
        """A stored answer when there is one (free, no request), else ask and store."""
        params = params or GenerateParams()
        key = cache_key(self.inner, messages, params, schema)
        # File I/O off the event loop: with many requests in flight it would stall them all.
        hit = await asyncio.to_thread(self.cache.get, key)
        if hit is not None:
            return hit.model_copy(
                update={
                    "cached": True,
                    "cache_key": key,
                    "usage": Usage(),
                    "attempts": 0,
                    "latency_s": 0.0,
                }
            )
        completion = await self.inner.generate(messages, schema=schema, params=params)
        if await asyncio.to_thread(self.cache.put, key, completion):
            completion = completion.model_copy(update={"cache_key": key})
        return completion

    def forget(self, completion: Completion) -> None:
        """Drop ``completion`` from the cache (its answer was finally rejected)."""
        if completion.cache_key is not None:
            self.cache.delete(completion.cache_key)


def forget(model: Model, completion: Completion) -> None:
    """Ask ``model`` (or a wrapper around one) to uncache ``completion``; no-op otherwise."""
    method = getattr(model, "forget", None)
    if callable(method):
        method(completion)


async def aclose_model(model: Model) -> None:
    """Close a model's HTTP client if it has one."""
    method = getattr(model, "aclose", None)
    if callable(method):
        await method()
