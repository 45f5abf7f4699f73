"""The run log: every model call and every paper outcome of a run, one JSON object per line.

``<run>/log.jsonl`` holds ``{"kind": "call", ...}`` records (prompt, raw answer, usage, cost,
latency, cache hit, error) written by :class:`LoggedModel`, and ``{"kind": "paper", ...}``
records (status, tokens, cost, context budget) written by the batch runner. Lines are appended
and flushed one by one; a process killed mid-line leaves a fragment that readers skip and the
next writer closes off. Keys never reach the log: error texts are redacted and the request
headers are not recorded at all.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ablab.models.base import (
    Completion,
    GenerateParams,
    Message,
    Model,
    ModelWrapper,
    ResponseSchema,
)
from ablab.models.secrets import redact

LOG_FILE = "log.jsonl"


class RunLog:
    """Appends records to ``<run>/log.jsonl``."""

    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / LOG_FILE
        self._lock = threading.Lock()
        run_dir.mkdir(parents=True, exist_ok=True)
        # A killed writer may have left half a line: start ours on a fresh one.
        if self.path.exists() and self.path.stat().st_size:
            with self.path.open("rb") as handle:
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    with self.path.open("a", encoding="utf-8") as out:
                        out.write("\n")

    def write(self, kind: str, **fields: Any) -> None:
        """Append one record."""
        record = {"kind": kind, "time": datetime.now(UTC).isoformat(), **fields}
        line = redact(json.dumps(record, ensure_ascii=False, default=str), shapes=False)
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()


def read_log(run_dir: Path) -> Iterator[dict[str, Any]]:
    """The records of a run log, skipping a line left unfinished by a killed process."""
    path = run_dir / LOG_FILE
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                yield record


class LoggedModel(ModelWrapper):
    """Wraps a model so that each call is written to a :class:`RunLog` under a paper id."""

    def __init__(self, inner: Model, log: RunLog, paper_id: str) -> None:
        super().__init__(inner)
        self.log = log
        self.paper_id = paper_id

    async def generate(
        self,
        messages: list[Message],
        *,
        schema: ResponseSchema | None = None,
        params: GenerateParams | None = None,
    ) -> Completion:
        """Call the wrapped model and log the exchange, failed or not."""
        started = time.monotonic()
        request = {
            "paper_id": self.paper_id,
            "model": self.name,
            "messages": [m.model_dump() for m in messages],
            "schema": schema.name if schema is not None else None,
            "params": (params or GenerateParams()).model_dump(exclude_none=True),
        }
        try:
            completion = await self.inner.generate(messages, schema=schema, params=params)
        except Exception as exc:
            await asyncio.to_thread(
                self.log.write,
                "call",
                **request,
                error=redact(str(exc)),
                latency_s=round(time.monotonic() - started, 3),
            )
            raise
        # Serialising a long prompt and appending it blocks: off the event loop, with the
        # other requests in flight.
        await asyncio.to_thread(
            self.log.write,
            "call",
            **request,
            response=completion.text,
            finish_reason=completion.finish_reason,
            structured=completion.structured,
            usage=completion.usage.model_dump(),
            cost_source=completion.cost_source,
            latency_s=round(completion.latency_s, 3),
            attempts=completion.attempts,
            cached=completion.cached,
        )
        return completion
