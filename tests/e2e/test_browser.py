"""The web app in headless Chromium: upload, wait for the plan, download, escaping."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .conftest import REPO, LiveServer

EXAMPLE = REPO / "examples" / "tide.md"
XSS_TITLE = "<script>alert(1)</script>"
XSS_PAPER = f"""# {XSS_TITLE}

## Abstract

We propose the Head Gate Module (HGM), a novel gate <img src=x onerror=alert(2)> that scores
attention heads. It reaches 80.1% top-1 accuracy.

## 1 Method

Our Head Gate Module (HGM) scores every attention head with a small MLP and a temperature
tau = 0.1. We use layer normalization, the AdamW optimizer and a KL divergence loss.

## 2 Experiments

We report top-1 accuracy on ImageNet.
"""


def cli_jsonl(*args: str) -> str:
    """What ``ablab plan ... --format jsonl`` prints (run as its own process, as a user would)."""
    command = [sys.executable, "-c", "from ablab.cli.app import main; main()", "plan", *args]
    result = subprocess.run(
        [*command, "--format", "jsonl"], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def upload_and_wait(page: Any, server: LiveServer, paper: Path, **choices: str) -> None:
    page.goto(server.url + "/")
    page.set_input_files("#file", str(paper))
    if "mode" in choices:
        page.check(f"input[name=mode][value={choices['mode']}]")
    if "k" in choices:
        page.fill("#k", choices["k"])
    page.click("button[type=submit]")
    page.wait_for_url("**/runs/web-heuristic-*/**")


def test_upload_example_paper_plan_and_download_jsonl(
    page: Any, live_server: LiveServer, output_dir: Path, tmp_path: Path
) -> None:
    upload_and_wait(page, live_server, EXAMPLE)
    assert page.url == f"{live_server.url}/runs/web-heuristic-author/tide"
    assert page.locator("h1").inner_text().startswith("TIDE")
    assert page.locator(".reasoning-box").is_visible()
    expected = cli_jsonl(str(EXAMPLE))
    shown = page.locator(".plan-box .ablation h3").all_inner_texts()
    planned = [json.loads(line)["name"] for line in expected.splitlines()]
    assert len(planned) == 5
    assert [text.split(" ", 1) for text in shown] == [[str(r), n] for r, n in enumerate(planned, 1)]
    page.screenshot(path=str(output_dir / "plan-page.png"), full_page=True)

    with page.expect_download() as info:
        page.click("a[data-format=jsonl]")
    download = info.value
    assert download.suggested_filename == "tide.jsonl"
    saved = tmp_path / "tide.jsonl"
    download.save_as(saved)
    assert saved.read_text(encoding="utf-8") == expected


def test_reviewer_mode_and_k_are_honoured(page: Any, live_server: LiveServer) -> None:
    upload_and_wait(page, live_server, EXAMPLE, mode="reviewer", k="3")
    assert page.url.endswith("/runs/web-heuristic-reviewer/tide")
    assert page.locator(".plan-box.reviewer .ablation").count() == 3
    assert page.locator(".badge.mode-reviewer").first.inner_text() == "reviewer"


def test_evidence_link_jumps_to_the_quoted_section(page: Any, live_server: LiveServer) -> None:
    upload_and_wait(page, live_server, EXAMPLE)
    link = page.locator("a.section-link").first
    target = link.get_attribute("href")
    assert target and target.startswith("#sec-tide-")
    link.click()
    assert page.evaluate("location.hash") == target
    section = page.locator(f"[id='{target[1:]}']")
    assert section.is_visible()
    assert section.evaluate("node => node.matches(':target')")


def test_script_in_the_paper_title_is_shown_as_text(
    page: Any, live_server: LiveServer, output_dir: Path
) -> None:
    page.goto(live_server.url + "/")
    page.fill("#text", XSS_PAPER)
    page.click("button[type=submit]")
    page.wait_for_url("**/runs/web-heuristic-author/**")
    assert page.locator("h1").inner_text() == XSS_TITLE
    assert page.locator("main script").count() == 0
    assert page.locator("img").count() == 0
    page.screenshot(path=str(output_dir / "xss-title.png"))
    page.goto(live_server.url + "/runs")
    assert XSS_TITLE in page.locator("table.grid").inner_text()
    # the page fixture fails the test if any alert() ran


def test_runs_grid_links_plans_and_comparison(page: Any, live_server: LiveServer) -> None:
    upload_and_wait(page, live_server, EXAMPLE)
    upload_and_wait(page, live_server, EXAMPLE, mode="reviewer")
    page.goto(live_server.url + "/runs")
    headers = page.locator("table.grid thead th .run-name").all_inner_texts()
    assert headers == ["web-heuristic-author", "web-heuristic-reviewer"]
    page.click("text=side by side")
    page.wait_for_url("**/compare/tide")
    assert page.locator("table.compare thead th a").count() == 2
    first_row = page.locator("table.compare tbody tr").first
    assert first_row.locator("th").inner_text() == "2/2"


def test_bad_upload_shows_an_error_on_the_form(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    page.click("button[type=submit]")
    assert "either a paper file or pasted text" in page.locator(".notice.error").inner_text()


def test_api_docs_render_without_network(page: Any, live_server: LiveServer) -> None:
    remote: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.url) else remote.append(request.url)
        ),
    )
    page.goto(live_server.url + "/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/plans" in paths and "/api/runs" in paths
    assert [url for url in remote if not url.startswith(("data:", "blob:"))] == []


def test_digest_an_upload(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/digest")
    page.set_input_files("#file", str(EXAMPLE))
    page.click("button[type=submit]")
    page.wait_for_url("**/digests/web-digests/tide")
    headings = page.locator("article.digest h2").all_inner_texts()
    assert headings[:2] == ["Quick Facts", "Executive Summary"]
    assert page.locator("h1").inner_text().startswith("TIDE")


def test_a_form_on_another_site_cannot_plan(page: Any, live_server: LiveServer) -> None:
    form = (
        f'<form method="post" action="{live_server.url}/plan" enctype="multipart/form-data">'
        '<input name="text" value="# Paid for by you"><button id="go">go</button></form>'
    ).encode()

    class EvilPage(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.send_header("content-length", str(len(form)))
            self.end_headers()
            self.wfile.write(form)

        def log_message(self, *args: Any) -> None:
            pass

    evil = ThreadingHTTPServer(("127.0.0.1", 0), EvilPage)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{evil.server_address[1]}/")
        with page.expect_navigation():
            page.click("#go")
        assert "cross-site request refused" in page.content()
    finally:
        evil.shutdown()
    assert not (live_server.runs_dir / "web-heuristic-author").exists()
