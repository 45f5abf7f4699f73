"""A local OpenAI-compatible server for tests, demos and benchmarks (no network needed).

:class:`LocalOpenAIServer` is a real HTTP server on ``127.0.0.1`` (a free port, in a thread) that
answers ``POST /v1/chat/completions`` in the chat-completions format. Point any OpenAI client (or
``get_model(..., base_url=server.base_url)``) at it. Answers come from, in order:

1. the queue filled with :meth:`LocalOpenAIServer.enqueue` (first in, first out), then
2. the ``responder`` function given to the constructor, called with the request body, then
3. a 500 error saying that nothing was scripted.

Each answer is a :class:`Reply`, which can also inject faults: an HTTP error with headers (429
with ``Retry-After``, 500...), a delay (past the client's time-out, or as simulated latency), a
dropped connection, or any raw body (malformed JSON, a truncated document). Every request is
recorded (:attr:`LocalOpenAIServer.requests`) with its authorization headers scrubbed.

Example::

    with LocalOpenAIServer() as server:
        server.enqueue(Reply.rate_limited(retry_after=0.1), Reply.text('{"ok": true}'))
        model = get_model("openai/gpt-4o", base_url=server.base_url)
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SCRUBBED_HEADERS = frozenset({"authorization", "api-key", "x-api-key", "x-goog-api-key", "cookie"})
"""Request headers never recorded (they carry keys)."""


@dataclass
class Reply:
    """One scripted answer of the server (see the constructors below for common cases)."""

    content: str | None = ""
    """Assistant message text (ignored when ``body`` is given)."""
    status: int = 200
    """HTTP status."""
    headers: dict[str, str] = field(default_factory=dict)
    """Extra response headers (``Retry-After``...)."""
    body: Any = None
    """Raw body: a JSON-able object, or a str sent verbatim; replaces the completion."""
    delay: float = 0.0
    """Seconds to wait before answering."""
    drop: bool = False
    """Close the connection without answering."""
    finish_reason: str = "stop"
    """Finish reason of the completion."""
    usage: dict[str, Any] | None = None
    """Usage block; by default tokens are counted as characters / 4."""

    @classmethod
    def text(cls, content: str, **options: Any) -> Reply:
        """A normal completion with ``content``."""
        return cls(content=content, **options)

    @classmethod
    def rate_limited(cls, retry_after: float | str = 1) -> Reply:
        """HTTP 429 with a ``Retry-After`` header."""
        return cls(
            status=429,
            headers={"Retry-After": str(retry_after)},
            body={"error": {"message": "Rate limit reached", "type": "rate_limit_exceeded"}},
        )

    @classmethod
    def server_error(cls, status: int = 500) -> Reply:
        """An HTTP 5xx error."""
        return cls(status=status, body={"error": {"message": "The server had an error"}})

    @classmethod
    def error(cls, status: int, message: str) -> Reply:
        """Any HTTP error with an OpenAI-style error body."""
        return cls(status=status, body={"error": {"message": message, "type": "invalid_request"}})

    @classmethod
    def slow(cls, delay: float, content: str = "") -> Reply:
        """A completion sent after ``delay`` seconds (past the client's time-out, say)."""
        return cls(content=content, delay=delay)

    @classmethod
    def dropped(cls) -> Reply:
        """The connection is closed without an answer."""
        return cls(drop=True)

    @classmethod
    def raw(cls, body: str, status: int = 200) -> Reply:
        """A body sent verbatim (malformed or truncated JSON, HTML error pages...)."""
        return cls(body=body, status=status)

    @classmethod
    def html_page(cls, status: int = 200) -> Reply:
        """An HTML page instead of JSON (a proxy's or captive portal's error page)."""
        page = "<html><body><h1>502 Bad Gateway</h1><p>upstream unavailable</p></body></html>"
        return cls(status=status, body=page, headers={"Content-Type": "text/html"})

    @classmethod
    def recorded(cls, recording: dict[str, Any]) -> Reply:
        """Replay a recorded exchange ``{"response": {"status", "headers", "body"}}``."""
        response = recording["response"]
        return cls(
            status=int(response.get("status", 200)),
            headers=dict(response.get("headers", {})),
            body=response["body"],
        )


@dataclass
class RecordedRequest:
    """A request the server received."""

    path: str
    """Request path."""
    headers: dict[str, str]
    """Headers, with keys scrubbed."""
    body: Any
    """Decoded JSON body (None if it was not JSON)."""
    received_at: float
    """``time.monotonic()`` at arrival."""

    def text(self) -> str:
        """All message contents joined, for matching a request to a paper."""
        if not isinstance(self.body, dict):
            return ""
        return "\n".join(str(m.get("content", "")) for m in self.body.get("messages", []))


Responder = Callable[[dict[str, Any]], Reply]


def completion_body(reply: Reply, request: dict[str, Any]) -> dict[str, Any]:
    """A chat-completions response body for ``reply``."""
    prompt = "".join(str(m.get("content", "")) for m in request.get("messages", []))
    content = reply.content
    usage = reply.usage or {
        "prompt_tokens": len(prompt) // 4,
        "completion_tokens": len(content or "") // 4,
        "total_tokens": (len(prompt) + len(content or "")) // 4,
    }
    return {
        "id": "chatcmpl-local",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "local"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": reply.finish_reason,
            }
        ],
        "usage": usage,
    }


class _Server(ThreadingHTTPServer):
    # The default backlog (5) drops connections when a benchmark opens dozens at once.
    request_queue_size = 256


class LocalOpenAIServer:
    """See the module docstring. Use as a context manager, or call start() and stop()."""

    def __init__(self, responder: Responder | None = None, *, latency: float = 0.0) -> None:
        self.responder = responder
        """Answers requests once the queue is empty."""
        self.latency = latency
        """Seconds added before every answer (simulated model latency)."""
        self.requests: list[RecordedRequest] = []
        """Every request received, in order of arrival."""
        self.get_routes: dict[str, Any] = {}
        """Bodies for GET paths (``/props``, ``/v1/models``) that replace the defaults."""
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/v1``."""
        if self._server is None:
            raise RuntimeError("the server is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def enqueue(self, *replies: Reply) -> None:
        """Answer the next requests with ``replies``, in order."""
        with self._lock:
            self._queue.extend(replies)

    def pending(self) -> int:
        """Scripted replies not yet used."""
        with self._lock:
            return len(self._queue)

    def count(self, contains: str) -> int:
        """Requests whose messages contain ``contains``."""
        with self._lock:
            return sum(contains in r.text() for r in self.requests)

    def _next_reply(self, body: Any) -> Reply:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        if self.responder is not None and isinstance(body, dict):
            return self.responder(body)
        return Reply.error(500, "no scripted reply left")

    def _sleep(self, seconds: float) -> None:
        # Wake up early when the server stops, so a long scripted delay cannot block shutdown.
        self._stopping.wait(seconds)

    def start(self) -> LocalOpenAIServer:
        """Start serving on a free port of 127.0.0.1."""
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server naming
                if self.path in owner.get_routes:
                    self._send(200, owner.get_routes[self.path])
                elif self.path.rstrip("/").endswith("/models"):
                    self._send(
                        200, {"object": "list", "data": [{"id": "local", "object": "model"}]}
                    )
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() not in SCRUBBED_HEADERS
                }
                with owner._lock:
                    owner.requests.append(
                        RecordedRequest(self.path, headers, body, time.monotonic())
                    )
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                reply = owner._next_reply(body)
                owner._sleep(owner.latency + reply.delay)
                if reply.drop or owner._stopping.is_set():
                    self.close_connection = True
                    with contextlib.suppress(OSError):
                        self.connection.shutdown(socket.SHUT_RDWR)
                    return
                payload = reply.body
                if payload is None:
                    payload = completion_body(reply, body if isinstance(body, dict) else {})
                self._send(reply.status, payload, reply.headers)

            def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None):
                data = payload if isinstance(payload, str) else json.dumps(payload)
                encoded = data.encode("utf-8")
                try:
                    self.send_response(status)
                    extra = dict(headers or {})
                    if not any(key.lower() == "content-type" for key in extra):
                        extra["Content-Type"] = "application/json"
                    self.send_header("Content-Length", str(len(encoded)))
                    for key, value in extra.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(encoded)
                except OSError:  # the client gave up (time-out): nothing to answer
                    self.close_connection = True

        server = _Server(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> LocalOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def plan_answer(
    ablations: Iterable[dict[str, Any]] | None = None, reasoning: str = "Scripted reasoning."
) -> str:
    """A valid plan answer (JSON), for scripting replies."""
    items = (
        list(ablations)
        if ablations is not None
        else [
            {
                "name": "Remove the main component",
                "ablated_part": "main component",
                "action": "REMOVE",
                "replacement": None,
                "metrics": ["accuracy"],
                "rationale": "Shows how much the component contributes.",
            }
        ]
    )
    return json.dumps({"reasoning": reasoning, "ablations": items})


def _answer_with(**changes: Any) -> dict[str, Any]:
    item = {
        "name": "Remove the main component",
        "ablated_part": "main component",
        "action": "REMOVE",
        "replacement": None,
        "metrics": ["accuracy"],
        "rationale": "Shows how much the component contributes.",
    }
    item.update(changes)
    return item


@dataclass(frozen=True)
class FaultScenario:
    """A scripted sequence of replies and the outcome a robust client must reach."""

    name: str
    """Short identifier."""
    replies: tuple[Reply, ...]
    """What the server answers, in order."""
    expect: str
    """``plan`` (a valid plan in the end) or ``failure`` (a clearly reported failure)."""


def fault_scenarios(timeout: float = 0.3) -> list[FaultScenario]:
    """The fault-injection catalogue used by ablab's tests and ``bench/lm_faults.py``.

    ``timeout`` is the client's per-request time-out; slow replies exceed it by half again.
    """
    good = plan_answer()
    valid_line = json.dumps(_answer_with())
    truncated = good[: len(good) * 2 // 3]
    return [
        FaultScenario("ok", (Reply.text(good),), "plan"),
        FaultScenario("429_retry_after", (Reply.rate_limited(0.05), Reply.text(good)), "plan"),
        FaultScenario(
            "429_http_date",
            (Reply.rate_limited("Thu, 01 Jan 1970 00:00:00 GMT"), Reply.text(good)),
            "plan",
        ),
        FaultScenario(
            "5xx_then_ok",
            (Reply.server_error(500), Reply.server_error(503), Reply.text(good)),
            "plan",
        ),
        FaultScenario(
            "timeout_then_ok", (Reply.slow(timeout * 1.5, good), Reply.text(good)), "plan"
        ),
        FaultScenario("dropped_then_ok", (Reply.dropped(), Reply.text(good)), "plan"),
        FaultScenario("always_500", tuple(Reply.server_error() for _ in range(12)), "failure"),
        FaultScenario("retry_after_too_long", (Reply.rate_limited(10_000),), "failure"),
        FaultScenario("bad_request_400", (Reply.error(400, "context length exceeded"),), "failure"),
        FaultScenario(
            "auth_401",
            (Reply.error(401, "Incorrect API key provided: sk-test1234abcd"),),
            "failure",
        ),
        FaultScenario("non_json_body", (Reply.raw("<html>bad gateway</html>"),) * 8, "failure"),
        FaultScenario(
            "malformed_json",
            (Reply.text(good.replace('"reasoning"', "'reasoning'").replace("}]}", "},]}")),),
            "plan",
        ),
        FaultScenario(
            "truncated_then_ok",
            (Reply.text(truncated, finish_reason="length"), Reply.text(good)),
            "plan",
        ),
        FaultScenario(
            "truncated_twice",
            (Reply.text(truncated, finish_reason="length"),) * 2,
            "failure",
        ),
        FaultScenario(
            "prose_around", (Reply.text(f"Sure! Here is the plan:\n{good}\nGood luck."),), "plan"
        ),
        FaultScenario("code_fence", (Reply.text(f"```json\n{good}\n```"),), "plan"),
        FaultScenario(
            "text_protocol",
            (Reply.text(f"## Reasoning\nIt matters.\n## Ablations\n{valid_line}"),),
            "plan",
        ),
        FaultScenario(
            "wrong_action_spellings",
            (
                Reply.text(
                    plan_answer(
                        [
                            _answer_with(action="removal"),
                            _answer_with(
                                ablated_part="loss", action="Replace with", replacement="L1 loss"
                            ),
                        ]
                    )
                ),
            ),
            "plan",
        ),
        FaultScenario(
            "extra_fields",
            (Reply.text(plan_answer([{**_answer_with(), "priority": 1, "notes": "x"}])),),
            "plan",
        ),
        FaultScenario("empty_then_ok", (Reply.text(""), Reply.text(good)), "plan"),
        FaultScenario("empty_twice", (Reply.text(""), Reply.text("")), "failure"),
        FaultScenario(
            "refusal_then_ok",
            (
                Reply(
                    body={
                        "id": "x",
                        "object": "chat.completion",
                        "created": 0,
                        "model": "m",
                        "choices": [
                            {
                                "index": 0,
                                "message": {
                                    "role": "assistant",
                                    "content": None,
                                    "refusal": "I cannot help with that.",
                                },
                                "finish_reason": "stop",
                            }
                        ],
                    }
                ),
                Reply.text(good),
            ),
            "plan",
        ),
        FaultScenario(
            "unknown_action_twice",
            (Reply.text(plan_answer([_answer_with(action="TWEAK")])),) * 2,
            "failure",
        ),
        FaultScenario(
            "no_choices",
            (
                Reply(
                    body={
                        "id": "x",
                        "object": "chat.completion",
                        "created": 0,
                        "model": "m",
                        "choices": [],
                    }
                ),
                Reply.text(good),
            ),
            "plan",
        ),
    ]


ISOLATED_ENV_VARS = (
    "OPENAI_API_KEY",
    "OPENROUTER_API_KEY",
    "ANTHROPIC_API_KEY",
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "OLLAMA_API_KEY",
    "VLLM_API_KEY",
    "LLAMACPP_API_KEY",
    "ABLAB_FAKE_SCRIPT",
)

UNREACHABLE_URL = "http://127.0.0.1:9/v1"
"""A local address where nothing listens: a request that escapes the test set-up fails fast."""


def isolated_environment() -> dict[str, str | None]:
    """Environment changes that keep tests away from real providers (None = unset).

    Keys are removed, and every provider's base URL is pointed at :data:`UNREACHABLE_URL`, so
    that a request not aimed at a local test server fails instead of reaching the internet.
    """
    from ablab.models.providers import PROVIDERS

    changes: dict[str, str | None] = dict.fromkeys(ISOLATED_ENV_VARS)
    for provider in PROVIDERS.values():
        for variable in provider.base_url_envs:
            changes[variable] = UNREACHABLE_URL
    return changes
