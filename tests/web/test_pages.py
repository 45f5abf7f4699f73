"""Server-rendered pages: content, evidence links, escaping of paper text, forms."""

from __future__ import annotations

import re
import threading
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from ablab.errors import PaperError
from ablab.web.jobs import JobManager, JobState, Progress

from .conftest import XSS


class _Collector(HTMLParser):
    """Collects tags, ids and hrefs of a page as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_home_offers_upload_paste_mode_k_planner_and_model(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    tags = parse(page.text).tags
    names = {attrs.get("name") for tag, attrs in tags if tag in ("input", "textarea", "select")}
    assert {"file", "text", "mode", "k", "planner", "model"} <= names
    form = next(attrs for tag, attrs in tags if tag == "form")
    assert form["enctype"] == "multipart/form-data" and form["action"] == "/plan"
    assert "heuristic (offline)" in page.text


def test_plan_page_shows_boxes_ablations_and_downloads(client: TestClient) -> None:
    page = client.get("/runs/heuristic-author/tide")
    assert page.status_code == 200
    html = page.text
    assert "Reasoning Trace" in html and 'class="box plan-box author"' in html
    assert "Remove the Cross-View Consistency Module" in html
    assert "fixed random prototypes" in html and "k-NN accuracy" in html
    assert "The memory is claimed to prevent collapse." in html
    hrefs = {attrs.get("href") for tag, attrs in parse(html).tags if tag == "a"}
    for fmt in ("jsonl", "md", "json"):
        assert f"/api/runs/heuristic-author/plans/tide/download/{fmt}" in hrefs
    assert "/compare/tide" in hrefs  # the other run planned it too


def test_evidence_links_to_the_section_it_quotes(client: TestClient) -> None:
    html = client.get("/runs/heuristic-author/tide").text
    tags = parse(html).tags
    ids = {attrs.get("id") for _, attrs in tags}
    links = [
        attrs["href"]
        for tag, attrs in tags
        if tag == "a" and "section-link" in (attrs.get("class") or "")
    ]
    assert "#sec-tide-s3-2-cross-view-consistency-module" in links
    assert "#sec-tide-abstract-" in links  # evidence without a section quotes the abstract
    for link in links:
        assert link and link[1:] in ids


def test_plan_without_stored_paper_shows_evidence_unlinked(client: TestClient) -> None:
    html = client.get("/runs/lm-gpt-4o/tide").text
    assert "not stored with this run" in html
    assert 'class="paper"' not in html


def test_paper_title_with_script_is_shown_as_text(client: TestClient) -> None:
    for url in ["/runs/heuristic-author/xss", "/runs", "/"]:
        html = client.get(url).text
        assert "<script" not in html.lower()
        assert "<img" not in html.lower()
    html = client.get("/runs/heuristic-author/xss").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    tags = parse(html).tags
    assert [tag for tag, _ in tags].count("script") == 0
    hrefs = [attrs.get("href") or "" for tag, attrs in tags if tag == "a"]
    assert not any(href.lower().startswith("javascript") for href in hrefs)
    assert "[a link](javascript:alert(3))" in html  # left as text, not made a link
    assert not any(key.startswith("on") for _, attrs in tags for key in attrs)


def test_runs_grid_has_a_row_per_paper_and_a_column_per_run(client: TestClient) -> None:
    html = client.get("/runs").text
    header = re.search(r"<thead>(.*?)</thead>", html, re.S)
    assert header and "heuristic-author" in header.group(1) and "lm-gpt-4o" in header.group(1)
    hrefs = [attrs.get("href") for tag, attrs in parse(html).tags if tag == "a"]
    assert hrefs.count("/runs/heuristic-author/tide") == 1
    assert hrefs.count("/runs/lm-gpt-4o/tide") == 1
    assert "/runs/lm-gpt-4o/xss" not in hrefs
    assert "/compare/tide" in hrefs and "/compare/xss" not in hrefs


def test_compare_page_puts_matching_ablations_on_one_row(client: TestClient) -> None:
    html = client.get("/compare/tide").text
    rows = re.findall(r"<tr class=\"(matched|single)\">(.*?)</tr>", html, re.S)
    assert rows[0][0] == "matched"
    assert "Replace the Adaptive Prototype Memory" in rows[0][1]
    assert "Without adaptive prototype memory" in rows[0][1]
    assert len(rows) == 3


def test_missing_pages_are_html_404s(client: TestClient) -> None:
    for url in ["/runs/nope/tide", "/runs/heuristic-author/nope", "/compare/nope", "/jobs/x"]:
        response = client.get(url)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")


def test_form_submission_redirects_to_the_job_page(client: TestClient) -> None:
    response = client.post(
        "/plan", data={"text": "# A paper\n\n## Method\n\nWe gate heads."}, follow_redirects=False
    )
    assert response.status_code == 303
    assert re.fullmatch(r"/jobs/[0-9a-f]{32}", response.headers["location"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "either a paper file or pasted text"),
        ({"text": "# A", "k": "0"}, "k must be a whole number"),
        ({"text": "# A", "k": "many"}, "k must be a whole number"),
        ({"text": "# A", "planner": "lm"}, "planner"),
    ],
)
def test_bad_form_shows_the_error_and_keeps_the_input(
    client: TestClient, data: dict[str, str], message: str
) -> None:
    response = client.post("/plan", data=data)
    assert response.status_code == 400
    assert message in response.text
    if data["text"]:
        assert ">" + data["text"] + "</textarea>" in response.text


def test_job_page_refreshes_while_running_then_moves_on(client: TestClient) -> None:
    jobs = client.app.state.ablab.jobs  # type: ignore[attr-defined]
    started, release = threading.Event(), threading.Event()

    def work(progress: Progress) -> tuple[str, str | None]:
        progress.stage(f"planning {XSS}", 1)
        started.set()
        assert release.wait(30)
        return "/runs/lm-gpt-4o/tide", None

    job = jobs.submit("plan", 3, work)
    assert started.wait(30)
    html = client.get(f"/jobs/{job.id}").text
    assert '<meta http-equiv="refresh" content="1">' in html
    assert "planning &lt;script&gt;" in html and "<progress" in html
    release.set()
    finished(jobs, job.id)
    response = client.get(f"/jobs/{job.id}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/runs/lm-gpt-4o/tide"


def test_job_page_shows_a_failure_and_stops_refreshing(client: TestClient) -> None:
    jobs = client.app.state.ablab.jobs  # type: ignore[attr-defined]

    def fail(progress: Progress) -> tuple[str, str | None]:
        raise PaperError(f"cannot read {XSS}")

    job = jobs.submit("plan", 3, fail)
    finished(jobs, job.id)
    html = client.get(f"/jobs/{job.id}").text
    assert "cannot read &lt;script&gt;" in html
    assert 'http-equiv="refresh"' not in html


def finished(jobs: JobManager, job_id: str) -> None:
    """Wait (bounded) until the job is no longer queued or running."""
    tick = threading.Event()
    for _ in range(3000):
        status = jobs.get(job_id)
        if status is not None and status.state in (JobState.DONE, JobState.FAILED):
            return
        tick.wait(0.01)
    raise AssertionError("job did not finish")
