"""``ablab plan / digest / analyze`` given arXiv ids, links, id lists and OpenReview links."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ablab.cli.app import app

from .paper_server import Answer, PaperServer
from .pdf_builder import build_paper_pdf
from .test_remote import atom, openreview_notes, project_archive

runner = CliRunner()
ID = "2501.01234"
OTHER = "2501.05678"


def said(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[PaperServer]:
    with PaperServer() as running:
        running.routes[f"/e-print/{ID}"] = Answer(project_archive())
        running.routes[f"/e-print/{ID}v2"] = Answer(project_archive())
        running.routes[f"/e-print/{OTHER}"] = Answer(project_archive())
        running.routes[f"/api/query?id_list={ID}&max_results=1"] = Answer(atom(ID, 2))
        monkeypatch.setenv("ABLAB_ARXIV_URL", running.url)
        monkeypatch.setenv("ABLAB_OPENREVIEW_URL", running.url)
        monkeypatch.setenv("ABLAB_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.setenv("ABLAB_DOWNLOAD_INTERVAL", "0")
        yield running


@pytest.mark.parametrize(
    "given",
    [ID, f"arxiv:{ID}", f"https://arxiv.org/abs/{ID}", f"https://arxiv.org/pdf/{ID}"],
)
def test_plan_takes_ids_and_links(server: PaperServer, given: str) -> None:
    result = runner.invoke(app, ["plan", given, "-f", "json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["paper_id"] == ID and plan["paper_title"] == "Feature Alignment for Distillation"
    assert plan["ablations"]


def test_run_directory_is_named_by_arxiv_ids_and_a_rerun_asks_nothing(
    server: PaperServer, tmp_path: Path
) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text(f"# to read\n{ID}v2\n{OTHER}\n", encoding="utf-8")
    out = tmp_path / "run"
    first = runner.invoke(app, ["plan", str(ids), "--out", str(out)])
    assert first.exit_code == 0, first.output
    assert (out / f"{ID}v2.jsonl").exists() and (out / f"{OTHER}.jsonl").exists()
    assert set(json.loads((out / "plans.json").read_text())) == {f"{ID}v2", OTHER}
    asked = len(server.seen)
    again = runner.invoke(app, ["plan", str(ids), "--out", str(out)])
    assert again.exit_code == 0 and "2 already done" in said(again.stderr)
    assert len(server.seen) == asked


def test_digest_records_arxiv_id_and_source_url(server: PaperServer) -> None:
    result = runner.invoke(app, ["digest", ID])
    assert result.exit_code == 0, result.output
    assert f"arxiv_id: '{ID}'" in result.stdout or f"arxiv_id: {ID}" in result.stdout
    assert f"source_url: {server.url}/abs/{ID}" in result.stdout


def test_analyze_takes_a_link(server: PaperServer) -> None:
    result = runner.invoke(app, ["analyze", f"https://arxiv.org/abs/{ID}", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["components"]


def test_offline_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ABLAB_ARXIV_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("ABLAB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ABLAB_DOWNLOAD_INTERVAL", "0")
    result = runner.invoke(app, ["plan", f"arxiv:{ID}v2"])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and f"arxiv:{ID}v2" in lines[0] and "cannot reach" in lines[0]


def test_neither_a_file_nor_a_reference(tmp_path: Path) -> None:
    result = runner.invoke(app, ["plan", str(tmp_path / "missing.pdf")])
    assert result.exit_code == 2 and "nor an arXiv id" in said(result.stderr)


def test_reviewer_mode_shows_the_reviews_requests(server: PaperServer, tmp_path: Path) -> None:
    forum = "Xy7_abCD12"
    server.routes[f"/pdf?id={forum}"] = Answer(build_paper_pdf(tmp_path / "p.pdf").read_bytes())
    server.routes[f"/notes?forum={forum}"] = Answer(openreview_notes(forum))
    link = f"https://openreview.net/forum?id={forum}"
    reviewer = runner.invoke(app, ["plan", link, "--mode", "reviewer", "-f", "jsonl"])
    assert reviewer.exit_code == 0, reviewer.output
    assert "asked about ablations" in said(reviewer.stderr)
    assert "Please ablate the memory size." in said(reviewer.stderr)
    # stdout holds only the plan (JSONL); the reviews' requests went to stderr.
    assert all(json.loads(line)["name"] for line in reviewer.stdout.splitlines())
    author = runner.invoke(app, ["plan", link, "-f", "jsonl"])
    assert author.exit_code == 0 and "asked about ablations" not in said(author.stderr)


def test_web_form_and_api_take_a_link(server: PaperServer, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from ablab.web.app import create_app

    with TestClient(create_app(tmp_path / "runs")) as client:
        refused = client.post("/api/plans", data={"link": "not a paper"})
        assert refused.status_code == 400 and "not an arXiv id" in refused.json()["detail"]
        both = client.post("/api/plans", data={"link": ID, "text": "# A"})
        assert both.status_code == 400
        job = client.post("/api/plans", data={"link": f"https://arxiv.org/abs/{ID}"}).json()
        for _ in range(3000):
            status = client.get(f"/api/jobs/{job['id']}").json()
            if status["state"] in ("done", "failed"):
                break
            time.sleep(0.01)
        assert status["state"] == "done", status["error"]
        assert status["result_url"] == f"/runs/web-heuristic-author/{ID}"
        page = client.post("/plan", data={"link": ID}, follow_redirects=False)
        assert page.status_code == 303
        form = client.get("/")
        assert 'name="link"' in form.text
