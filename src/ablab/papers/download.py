"""Polite downloads of papers: one request per host every few seconds, retries as servers ask.

arXiv asks automated clients for at most one request every three seconds, a User-Agent that
says who is asking, and patience when it answers 429 or 503 with ``Retry-After``. Everything here
uses the standard library (no extra dependency for the core install):

- requests to one host are spaced by :data:`DEFAULT_INTERVAL` seconds across all threads of the
  process (``ABLAB_DOWNLOAD_INTERVAL`` changes it, for mirrors and tests);
- 429 and 503 are retried after ``Retry-After`` (or a growing pause), other 5xx, time-outs and
  bodies cut short are retried a few times; a server asking to wait longer than
  :data:`MAX_RETRY_AFTER` is not waited for;
- a download larger than its cap is refused while it streams, never held whole;
- no network (a name that does not resolve, a refused connection) is one line naming the paper.
"""

from __future__ import annotations

import http.client
import os
import random
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from ablab._util.version import __version__
from ablab.errors import PaperError

DEFAULT_INTERVAL = 3.0
"""Seconds between two requests to the same host (arXiv's rule for automated access)."""

INTERVAL_ENV = "ABLAB_DOWNLOAD_INTERVAL"
"""Environment variable overriding :data:`DEFAULT_INTERVAL` (seconds, may be 0 for tests)."""

DEFAULT_TIMEOUT = 60.0
"""Seconds a download may stall (no byte received) before it is abandoned."""

TIMEOUT_ENV = "ABLAB_DOWNLOAD_TIMEOUT"
"""Environment variable overriding :data:`DEFAULT_TIMEOUT` (seconds)."""

MAX_ATTEMPTS = 4
"""Attempts per URL, the first included."""

MAX_RETRY_AFTER = 120.0
"""A ``Retry-After`` longer than this (seconds) fails the download instead of blocking the run."""

_CHUNK = 64 * 1024


class DownloadError(PaperError):
    """A paper could not be downloaded; the message is one line naming the paper."""


class NotFoundError(DownloadError):
    """The server has no such document (HTTP 404 or 410)."""


def user_agent() -> str:
    """The User-Agent of every download: ablab, its version, and how to reach the user if set."""
    contact = os.environ.get("ABLAB_CONTACT", "").strip()
    agent = f"ablab/{__version__} (ablation-study planner; Python urllib)"
    return f"{agent} mailto:{contact}" if contact and "@" in contact else agent


@dataclass
class Response:
    """A finished download."""

    url: str
    """The URL asked for."""
    status: int
    """HTTP status."""
    headers: dict[str, str]
    """Response headers (lower-case names)."""
    body: bytes
    """The body, whole."""


@dataclass
class _HostClock:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: float = float("-inf")


_clocks: dict[str, _HostClock] = {}
_clocks_lock = threading.Lock()


def _seconds(variable: str, default: float) -> float:
    try:
        return max(0.0, float(os.environ.get(variable, default)))
    except ValueError:
        return default


def _interval() -> float:
    return _seconds(INTERVAL_ENV, DEFAULT_INTERVAL)


def _wait_turn(host: str) -> None:
    """Block until this process may send the next request to ``host``."""
    with _clocks_lock:
        clock = _clocks.setdefault(host, _HostClock())
    with clock.lock:
        pause = clock.last + _interval() - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        clock.last = time.monotonic()


def _retry_after(headers: dict[str, str]) -> float | None:
    value = headers.get("retry-after")
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
    return max(0.0, when.timestamp() - time.time())


def fetch(
    url: str,
    *,
    label: str,
    max_bytes: int,
    timeout: float | None = None,
    accept: str = "*/*",
    attempts: int | None = None,
) -> Response:
    """GET ``url`` politely; return the response (200) or raise DownloadError / NotFoundError.

    ``label`` names the paper in error messages (``arxiv:2501.01234``); ``timeout`` (default
    :data:`DEFAULT_TIMEOUT`, or ``$ABLAB_DOWNLOAD_TIMEOUT``) is how long the server may stay
    silent.
    """
    if timeout is None:
        timeout = _seconds(TIMEOUT_ENV, DEFAULT_TIMEOUT) or DEFAULT_TIMEOUT
    attempts = attempts or MAX_ATTEMPTS
    if not url.lower().startswith(("http://", "https://")):
        raise DownloadError(f"{label}: {url} is not an http(s) URL")
    host = (urlsplit(url).netloc or url).lower()
    reason = "no attempt made"
    for attempt in range(1, attempts + 1):
        _wait_turn(host)
        wait: float | None = None
        try:
            return _get_once(url, label=label, max_bytes=max_bytes, timeout=timeout, accept=accept)
        except urllib.error.HTTPError as exc:
            headers = {k.lower(): v for k, v in exc.headers.items()} if exc.headers else {}
            exc.close()
            if exc.code in (404, 410):
                raise NotFoundError(f"{label}: not found at {url} (HTTP {exc.code})") from None
            if exc.code not in (429, 500, 502, 503, 504):
                raise DownloadError(f"{label}: {url} answered HTTP {exc.code}") from None
            reason = f"HTTP {exc.code}"
            wait = _retry_after(headers) if exc.code in (429, 503) else None
            if wait is not None and wait > MAX_RETRY_AFTER:
                raise DownloadError(
                    f"{label}: {host} asks to wait {wait:.0f} s (HTTP {exc.code}); try again later"
                ) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                reason = f"no data for {timeout:g} s"
            else:  # no route, no name, refused: retrying will not help
                raise DownloadError(
                    f"{label}: cannot reach {host} ({_why(exc.reason)}); is the network up?"
                ) from None
        except TimeoutError:
            reason = f"no data for {timeout:g} s"
        except (http.client.IncompleteRead, http.client.HTTPException, ConnectionError) as exc:
            reason = f"the download was cut off ({type(exc).__name__})"
        except _Truncated as exc:
            reason = str(exc)
        if attempt < attempts:
            time.sleep(wait if wait is not None else min(30.0, 2**attempt * random.uniform(0.5, 1)))
    raise DownloadError(f"{label}: {url} failed after {attempts} attempts ({reason})")


class _Truncated(Exception):
    """The body ended before its announced length."""


def _why(reason: object) -> str:
    text = str(getattr(reason, "strerror", None) or reason)
    return " ".join(text.split())[:120]


def _get_once(url: str, *, label: str, max_bytes: int, timeout: float, accept: str) -> Response:
    request = urllib.request.Request(
        url, headers={"User-Agent": user_agent(), "Accept": accept, "Accept-Encoding": "identity"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s)
        headers = {k.lower(): v for k, v in response.headers.items()}
        declared = headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise DownloadError(
                f"{label}: {url} is too large ({int(declared):,} bytes; the limit is {max_bytes:,})"
            )
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise DownloadError(
                    f"{label}: {url} is larger than the limit of {max_bytes:,} bytes"
                )
            chunks.append(chunk)
        if declared and declared.isdigit() and size < int(declared):
            raise _Truncated(f"the download was cut off at {size:,} of {int(declared):,} bytes")
        return Response(url, response.status, headers, b"".join(chunks))
