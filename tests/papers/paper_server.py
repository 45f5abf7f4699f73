"""A local HTTP server standing in for arXiv and OpenReview in tests (127.0.0.1, a free port).

Routes map a path with its query (``/e-print/2501.01234``, ``/notes?forum=X``) to one
:class:`Answer` or to a list of answers used in turn (the last one repeats). An answer can be
late (``delay``), cut short (``truncate``: the body announced in full, half of it sent), or an
error with headers (429 with ``Retry-After``). Every request is recorded with its headers and
arrival time. Unknown paths answer 404.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Answer:
    """One scripted answer."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    truncate: bool = False


@dataclass
class Seen:
    """A request the server received."""

    path: str
    headers: dict[str, str]
    at: float


class PaperServer:
    """See the module docstring; use as a context manager."""

    def __init__(self) -> None:
        self.routes: dict[str, Answer | list[Answer]] = {}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._used: dict[str, int] = {}
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def paths(self) -> list[str]:
        """Paths asked for, in order."""
        with self._lock:
            return [s.path for s in self.seen]

    def _answer(self, path: str) -> Answer:
        with self._lock:
            route = self.routes.get(path)
            if route is None:
                return Answer(b"not found", 404)
            if isinstance(route, Answer):
                return route
            index = self._used.get(path, 0)
            self._used[path] = index + 1
            return route[min(index, len(route) - 1)]

    def __enter__(self) -> PaperServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server naming
                with owner._lock:
                    owner.seen.append(Seen(self.path, dict(self.headers.items()), time.monotonic()))
                answer = owner._answer(self.path)
                owner._stop.wait(answer.delay)
                body = answer.body
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Length", str(len(body)))
                    for key, value in answer.headers.items():
                        self.send_header(key, value)
                    if answer.truncate:
                        self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2] if answer.truncate else body)
                    if answer.truncate:
                        self.wfile.flush()
                        self.close_connection = True
                        with contextlib.suppress(OSError):
                            self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    self.close_connection = True

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()
