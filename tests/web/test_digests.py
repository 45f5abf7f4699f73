"""Stored rpa2 digests: found in the runs directory, split for display, kept inside it."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ablab.digest import Digest, parse_digest
from ablab.report import build_report
from ablab.views.digests import digest_path, list_digests, split_digest
from ablab.views.store import NotFound, RunStore
from ablab.web.digest_jobs import digest_run_name

from .conftest import EXAMPLE


@pytest.fixture
def digest_runs(tmp_path: Path, seeds_dir: Path) -> Path:
    """A runs directory holding the rpa2 seed as a stored digest."""
    root = tmp_path / "runs"
    (root / "web-digests").mkdir(parents=True)
    seed = next(seeds_dir.glob("002_*.txt"))
    shutil.copy(seed, root / "web-digests" / "mlfe.digest.md")
    return root


def test_stored_digests_are_listed_with_their_titles(digest_runs: Path) -> None:
    [entry] = list_digests(RunStore(digest_runs))
    assert (entry.run, entry.paper_id) == ("web-digests", "mlfe")
    assert entry.title == "Machine Learning from Explanations"


def test_digest_splits_into_frontmatter_and_body(digest_runs: Path) -> None:
    text = (digest_runs / "web-digests" / "mlfe.digest.md").read_text(encoding="utf-8")
    front, body = split_digest(text)
    assert front["ver"] == "rpa2" and front["arxiv_id"] == "2507.04788"
    assert "training" in front["tags"]
    assert body.startswith("# Machine Learning from Explanations")
    assert "## Quick Facts" in body


@pytest.mark.parametrize(
    "text",
    [
        "no frontmatter\n",
        "---\nunclosed: yes\n",
        "---\n- a list\n---\nbody\n",
        "---\n: : :\n---\nx",
    ],
)
def test_odd_frontmatter_gives_an_empty_mapping(text: str) -> None:
    front, body = split_digest(text)
    assert front == {}
    assert body


def test_digest_lookups_stay_inside_the_runs_directory(digest_runs: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.digest.md").write_text("---\ntitle: s\n---\n", encoding="utf-8")
    store = RunStore(digest_runs)
    assert digest_path(store, "web-digests", "mlfe").name == "mlfe.digest.md"
    for run, paper_id in [("..", "secret"), ("web-digests", "../../secret"), ("web-digests", "x")]:
        with pytest.raises(NotFound):
            digest_path(store, run, paper_id)


def test_digest_runs_are_named_by_model() -> None:
    assert digest_run_name(None) == "web-digests"
    assert digest_run_name("openai/gpt-4o") == "web-digests-openai-gpt-4o"


def test_a_digest_folder_is_not_a_plan_run(digest_runs: Path) -> None:
    assert RunStore(digest_runs).runs() == []


def _wait(client: TestClient, job_id: str) -> dict[str, Any]:
    tick = threading.Event()
    for _ in range(3000):
        status = client.get(f"/api/jobs/{job_id}").json()
        if status["state"] in ("done", "failed"):
            return status
        tick.wait(0.01)
    raise AssertionError("job did not finish")


def test_digest_an_upload_in_the_background(client: TestClient, runs_dir: Path) -> None:
    with EXAMPLE.open("rb") as handle:
        job = client.post("/api/digests", files={"file": ("tide.md", handle, "text/markdown")})
    assert job.status_code == 202 and job.json()["kind"] == "digest"
    status = _wait(client, job.json()["id"])
    assert status["state"] == "done", status["error"]
    assert status["result_url"] == "/digests/web-digests/tide"
    digest = Digest.model_validate(client.get(status["result_api_url"]).json())
    assert digest.title.startswith("TIDE")
    stored = runs_dir / "web-digests" / "tide.digest.md"
    assert parse_digest(stored.read_text(encoding="utf-8")) == digest
    download = client.get("/api/digests/web-digests/tide/download")
    assert download.content == stored.read_bytes()
    assert (runs_dir / "web-digests" / "digests.json").is_file()


def test_digest_page_shows_sections_and_links_the_papers_plans(
    client: TestClient, runs_dir: Path
) -> None:
    status = _wait(
        client, client.post("/api/digests", data={"text": EXAMPLE.read_text()}).json()["id"]
    )
    assert status["state"] == "done", status["error"]
    html = client.get(status["result_url"]).text
    assert "<h2>Quick Facts</h2>" in html and "<h2>Method Summary</h2>" in html
    assert html.count("<h1>") == 1  # the body's own title line is not repeated
    paper_id = status["result_url"].rsplit("/", 1)[1]
    listed = client.get("/api/digests").json()
    assert {"run": "web-digests", "paper_id": paper_id}.items() <= listed[0].items()
    assert paper_id in client.get("/digest").text


def test_plan_page_links_the_digest_of_its_paper(client: TestClient) -> None:
    with EXAMPLE.open("rb") as handle:
        job = client.post("/api/digests", files={"file": ("tide.md", handle, "text/markdown")})
    assert _wait(client, job.json()["id"])["state"] == "done"
    assert 'href="/digests/web-digests/tide"' in client.get("/runs/lm-gpt-4o/tide").text


def test_digest_form_errors_are_shown_on_the_form(client: TestClient) -> None:
    response = client.post("/digest", data={"text": ""})
    assert response.status_code == 400
    assert "either a paper file or pasted text" in response.text
    response = client.post("/digest", data={"text": "# A", "model": "openai/gpt-4o"})
    assert response.status_code == 400 and "not available" in response.text


def test_digest_form_redirects_to_the_job(client: TestClient) -> None:
    response = client.post("/digest", data={"text": "# A\n\nText."}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/jobs/")


def test_hostile_digest_text_is_escaped(client: TestClient, runs_dir: Path) -> None:
    folder = runs_dir / "web-digests"
    folder.mkdir()
    (folder / "evil.digest.md").write_text(
        "---\nver: rpa2\ntitle: <script>alert(1)</script>\ntags:\n- <b>x</b>\n"
        "core_contribution: <img src=x onerror=alert(2)>\n---\n\n# T\n\n## Quick Facts\n"
        "- <script>alert(3)</script> [x](javascript:alert(4))\n",
        encoding="utf-8",
    )
    html = client.get("/digests/web-digests/evil").text
    assert "<script" not in html.lower() and "<img" not in html.lower() and "<b>x" not in html
    assert 'href="javascript' not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_report_includes_stored_digests(digest_runs: Path) -> None:
    html = build_report(digest_runs)
    assert 'id="digests"' in html and 'id="digest-web-digests-mlfe"' in html
    assert "Machine Learning from Explanations" in html
