"""The JSON API: runs, plans, downloads, comparisons, planning jobs, limits and headers."""

from __future__ import annotations

import io
import json
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ablab.api import plan_paper
from ablab.papers import load_paper
from ablab.schema import Mode, Plan
from ablab.web.app import create_app

from .conftest import EXAMPLE

WAIT_TICKS = 3000  # x 0.01 s: an upper bound for a background job, never asserted on


def wait_job(client: TestClient, job_id: str) -> dict[str, Any]:
    """Poll the job until it is done or failed."""
    tick = threading.Event()
    for _ in range(WAIT_TICKS):
        status = client.get(f"/api/jobs/{job_id}").json()
        if status["state"] in ("done", "failed"):
            return status
        tick.wait(0.01)
    raise AssertionError(f"job {job_id} did not finish")


def test_runs_lists_every_plan(client: TestClient) -> None:
    runs = {run["name"]: run for run in client.get("/api/runs").json()}
    assert sorted(runs) == ["heuristic-author", "lm-gpt-4o"]
    plans = {p["paper_id"]: p for p in runs["heuristic-author"]["plans"]}
    assert plans["tide"]["ablations"] == 2
    assert plans["tide"]["url"] == "/runs/heuristic-author/tide"
    assert plans["xss"]["mode"] == "reviewer"


def test_plan_is_the_stored_plan(client: TestClient, runs_dir: Path) -> None:
    response = client.get("/api/runs/lm-gpt-4o/plans/tide")
    assert response.status_code == 200
    stored = Plan.model_validate_json((runs_dir / "lm-gpt-4o" / "tide.plan.json").read_text())
    assert Plan.model_validate(response.json()) == stored


@pytest.mark.parametrize(
    ("fmt", "file", "media"),
    [
        ("jsonl", "tide.jsonl", "application/x-ndjson"),
        ("md", "tide.md", "text/markdown"),
        ("json", "tide.plan.json", "application/json"),
    ],
)
def test_downloads_are_the_run_files(
    client: TestClient, runs_dir: Path, fmt: str, file: str, media: str
) -> None:
    response = client.get(f"/api/runs/heuristic-author/plans/tide/download/{fmt}")
    assert response.status_code == 200
    assert response.content == (runs_dir / "heuristic-author" / file).read_bytes()
    assert response.headers["content-type"].startswith(media)
    assert f'filename="{file}"' in response.headers["content-disposition"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/runs/nope/plans/tide",
        "/api/runs/lm-gpt-4o/plans/nope",
        "/api/runs/lm-gpt-4o/plans/tide/download/exe",
        "/api/runs/..%2F..%2Fetc/plans/passwd",
        "/api/runs/lm-gpt-4o/plans/..%2Ftide/download/json",
        "/api/runs/%2Fetc/plans/passwd",
        "/api/compare/nope",
        "/api/jobs/unknown",
    ],
)
def test_missing_or_unsafe_names_are_client_errors(client: TestClient, url: str) -> None:
    assert client.get(url).status_code in (404, 422)


def test_no_request_reads_outside_the_runs_directory(client: TestClient, runs_dir: Path) -> None:
    (runs_dir.parent / "outside.plan.json").write_text("SECRET", encoding="utf-8")
    for url in [
        "/api/runs/../plans/outside",
        "/api/runs/..%2F/plans/outside/download/json",
        "/runs/..%2F/outside",
        "/api/runs/heuristic-author/plans/..%2F..%2Foutside/download/json",
        "/static/..%2F..%2F..%2Foutside.plan.json",
    ]:
        assert "SECRET" not in client.get(url).text


def test_comparison_aligns_matching_ablations(client: TestClient) -> None:
    body = client.get("/api/compare/tide").json()
    assert [c["run"] for c in body["columns"]] == ["heuristic-author", "lm-gpt-4o"]
    first = body["rows"][0]
    assert first[0]["ablation"]["name"] == "Replace the Adaptive Prototype Memory"
    assert first[1]["ablation"]["name"] == "Without adaptive prototype memory"
    names = [cell["ablation"]["name"] for row in body["rows"] for cell in row if cell]
    assert len(names) == 4 and len(set(names)) == 4


def test_options_offer_the_offline_planner_and_no_keys(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-do-not-leak-123456")
    body = client.get("/api/options").json()
    assert body["planners"][0] == {"name": "heuristic", "needs_model": False}
    assert body["default_k"] == {"author": 5, "reviewer": 2}
    for url in ["/api/options", "/", "/openapi.json", "/runs"]:
        assert "sk-test-do-not-leak" not in client.get(url).text


def test_openapi_describes_the_api_with_schema_models(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/plans", "/api/jobs/{job_id}", "/api/runs", "/api/compare/{paper_id}"} <= set(
        spec["paths"]
    )
    schemas = spec["components"]["schemas"]
    assert "Plan" in schemas and "Ablation" in schemas
    assert schemas["Ablation"]["properties"]["ablated_part"]["description"]
    assert not any(path.startswith("/runs") for path in spec["paths"])  # pages stay out


def test_plan_pasted_text_in_the_background(client: TestClient, runs_dir: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    response = client.post("/api/plans", data={"text": text, "mode": "reviewer", "k": "3"})
    assert response.status_code == 202
    job = response.json()
    assert job["state"] in ("queued", "running", "done")
    status = wait_job(client, job["id"])
    assert status["state"] == "done", status["error"]
    plan = Plan.model_validate(client.get(status["result_api_url"]).json())
    assert plan.mode is Mode.REVIEWER and len(plan.ablations) == 3
    run = "web-heuristic-reviewer"
    assert status["result_url"] == f"/runs/{run}/{plan.paper_id}"
    assert (runs_dir / run / f"{plan.paper_id}.paper.json").is_file()
    assert (runs_dir / run / "plans.json").is_file()


def test_uploaded_file_gets_the_cli_plan(client: TestClient) -> None:
    with EXAMPLE.open("rb") as handle:
        response = client.post(
            "/api/plans", files={"file": ("tide.md", handle, "text/markdown")}, data={"k": "4"}
        )
    status = wait_job(client, response.json()["id"])
    assert status["state"] == "done", status["error"]
    download = client.get("/api/runs/web-heuristic-author/plans/tide/download/jsonl")
    expected = plan_paper(load_paper(EXAMPLE), mode=Mode.AUTHOR, k=4).to_jsonl() + "\n"
    assert download.text == expected


def test_uploaded_zip_project_is_read_in_memory(client: TestClient) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("paper/main.tex", LATEX)
    response = client.post(
        "/api/plans", files={"file": ("../../evil.zip", archive.getvalue(), "application/zip")}
    )
    status = wait_job(client, response.json()["id"])
    assert status["state"] == "done", status["error"]
    assert status["result_url"] == "/runs/web-heuristic-author/evil"


def test_unreadable_upload_fails_the_job_with_a_message(client: TestClient) -> None:
    response = client.post("/api/plans", files={"file": ("paper.pdf", b"%PDF-1.4 broken", "")})
    assert response.status_code == 202
    status = wait_job(client, response.json()["id"])
    assert status["state"] == "failed"
    assert status["error"] and "internal error" not in status["error"]


@pytest.mark.parametrize(
    ("data", "files", "message"),
    [
        ({}, None, "either a paper file or pasted text"),
        ({"text": "# A"}, {"file": ("a.md", b"# B", "text/markdown")}, "either"),
        ({}, {"file": ("a.docx", b"PK..", "application/octet-stream")}, "unsupported file type"),
        ({"text": "# A", "planner": "nope"}, None, "unknown planner"),
    ],
)
def test_bad_plan_requests_are_refused_up_front(
    client: TestClient, data: dict[str, str], files: Any, message: str
) -> None:
    response = client.post("/api/plans", data=data, files=files)
    assert response.status_code == 400
    assert message in response.json()["detail"]


@pytest.mark.parametrize("k", ["0", "51", "two"])
def test_k_out_of_range_is_a_validation_error(client: TestClient, k: str) -> None:
    assert client.post("/api/plans", data={"text": "# A", "k": k}).status_code == 422


def test_upload_over_the_limit_is_refused(client: TestClient) -> None:
    big = b"# Big\n\n" + b"word " * 60_000  # 300 KB > 256 KB
    response = client.post("/api/plans", files={"file": ("big.md", big, "text/markdown")})
    assert response.status_code == 413
    assert client.get("/api/runs").status_code == 200


def test_streamed_body_over_the_limit_is_refused(client: TestClient) -> None:
    def chunks() -> Any:
        for _ in range(40):
            yield b"x" * 10_000

    response = client.post(
        "/api/plans", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"}
    )
    assert response.status_code == 413


def test_pages_carry_protective_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_foreign_host_header_is_refused(runs_dir: Path) -> None:
    app = create_app(runs_dir, allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1") as local:
        assert local.get("/api/runs").status_code == 200
    with TestClient(app, base_url="http://attacker.example") as foreign:
        assert foreign.get("/api/runs").status_code == 400


def test_job_status_is_json_serialisable_and_complete(client: TestClient) -> None:
    job = client.post("/api/plans", data={"text": "# T\n\n## Method\n\nWe use a gate."}).json()
    assert set(job) >= {"id", "state", "stage", "steps_done", "steps_total", "error"}
    json.dumps(wait_job(client, job["id"]))


LATEX = r"""\documentclass{article}
\title{Gated Heads}
\begin{document}
\maketitle
\begin{abstract}
We propose a Head Gate Module that scores attention heads, trained with a contrastive loss.
\end{abstract}
\section{Method}
Our Head Gate Module (HGM) scores every attention head with a small MLP and a temperature
$\tau = 0.1$. We use layer normalization and the AdamW optimizer.
\section{Experiments}
We report top-1 accuracy on ImageNet.
\end{document}
"""


def test_concurrent_jobs_in_one_run_keep_every_plan(client: TestClient, runs_dir: Path) -> None:
    body = "\n\n## Method\n\nOur Gate Module (GM) scores heads with a KL divergence loss.\n"
    jobs = [
        client.post("/api/plans", data={"text": f"# Paper {n}{body}"}).json()["id"]
        for n in range(6)
    ]
    for job in jobs:
        assert wait_job(client, job)["state"] == "done"
    index = json.loads((runs_dir / "web-heuristic-author" / "plans.json").read_text())
    assert sorted(index) == [f"paper-{n}" for n in range(6)]


def test_api_docs_are_served_from_this_machine(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "cdn." not in html and "/static-offline-docs/swagger-ui-bundle.js" in html
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200
    assert (
        "script-src 'self' 'unsafe-inline'"
        in client.get("/docs").headers["content-security-policy"]
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"origin": "http://127.0.0.1:9999"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
        {"origin": "null"},
    ],
)
def test_cross_site_form_posts_are_refused(
    client: TestClient, runs_dir: Path, headers: dict[str, str]
) -> None:
    response = client.post("/plan", data={"text": "# A\n\n## Method\n\nGate."}, headers=headers)
    assert response.status_code == 403
    assert client.post("/api/plans", data={"text": "# A"}, headers=headers).status_code == 403
    assert not (runs_dir / "web-heuristic-author").exists()


def test_same_origin_and_non_browser_posts_are_accepted(client: TestClient) -> None:
    same = {"origin": "http://testserver", "sec-fetch-site": "same-origin"}
    assert client.post("/api/plans", data={"text": "# A"}, headers=same).status_code == 202
    assert client.post("/api/plans", data={"text": "# B"}).status_code == 202
