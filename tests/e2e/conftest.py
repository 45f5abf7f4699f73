"""End-to-end fixtures: the app under uvicorn on a free local port, driven by headless Chromium.

Chromium is Debian's ``/usr/bin/chromium`` (installed by ``.ci/run``); Playwright's own browser
download is never used. Without that binary the tests skip, except in CI where they must run.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]
OUTPUT = Path(os.environ.get("ABLAB_TEST_OUTPUT", REPO / "test-output")) / "e2e"
"""Where screenshots go (``$ABLAB_TEST_OUTPUT/e2e``, default ``test-output/e2e``)."""


def _need_browser() -> Any:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not installed (apt-get install chromium); .ci/run installs it"
        if os.environ.get("CI"):
            pytest.fail(f"end-to-end tests need Chromium in CI: {reason}")
        pytest.skip(reason)
    return pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@dataclass
class LiveServer:
    """The app running on a real socket."""

    url: str
    runs_dir: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """uvicorn serving a fresh runs directory on 127.0.0.1, in a thread."""
    import uvicorn

    from ablab.web.app import create_app

    runs = tmp_path / "runs"
    port = _free_port()
    config = uvicorn.Config(
        create_app(runs, allowed_hosts=["127.0.0.1"]),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()
    for _ in range(3000):  # bounded wait for startup; nothing is asserted about time
        if server.started:
            started.set()
            break
        started.wait(0.01)
    assert started.is_set(), "uvicorn did not start"
    yield LiveServer(url=f"http://127.0.0.1:{port}", runs_dir=runs)
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium, closed after each test module.

    Playwright's sync API keeps an event loop running in the main thread while it is open; a
    longer-lived browser would make every later ``asyncio.run`` in the test session fail.
    """
    sync_api = _need_browser()
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that fails the test on any JavaScript dialog (an alert means XSS)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    new_page = context.new_page()
    dialogs: list[str] = []
    new_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    new_page.set_default_timeout(60_000)
    yield new_page
    context.close()
    assert dialogs == [], f"a script ran in the page: {dialogs}"


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Folder for screenshots."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT
