"""When and how long to wait before retrying a failed model request.

Retried: rate limits (429), server errors (5xx), 408/409, time-outs and dropped connections.
The wait doubles with every attempt, is shortened by a random jitter so that many concurrent
requests do not retry in lock-step, and is never shorter than the server's ``Retry-After``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRYABLE_STATUS = frozenset({408, 409, 429})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry. Never part of a cache key."""

    max_attempts: int = 6
    """Attempts in all, the first included."""
    base_delay: float = 1.0
    """Wait before the second attempt, in seconds; doubles for every later attempt."""
    max_delay: float = 60.0
    """Longest computed wait between attempts, in seconds."""
    jitter: float = 0.5
    """Up to this share of each computed wait is removed at random."""
    max_retry_after: float = 300.0
    """A server asking to wait longer than this (seconds) is not retried."""


def is_retryable_status(status: int) -> bool:
    """Whether an HTTP status is worth retrying (rate limit, time-out, conflict, server error)."""
    return status in RETRYABLE_STATUS or status >= 500


def parse_retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Seconds to wait as the server asks (``retry-after-ms`` or ``Retry-After``), else None."""
    lowered = {key.lower(): value for key, value in headers.items()}
    millis = lowered.get("retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(
    attempt: int,
    policy: RetryPolicy,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
    computed = min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1))
    computed *= 1 - policy.jitter * (rng or random).random()
    if retry_after is not None:
        return max(computed, retry_after)
    return computed
