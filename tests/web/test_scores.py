"""Scores: evaluation runs made by ``ablab bench``/``ablab eval`` shown as leaderboards."""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ablab.bench.evaluate import EvaluationSummary
from ablab.cli.app import app as cli_app
from ablab.report import build_report
from ablab.views.scores import find_eval_runs
from ablab.web.app import create_app

DATASETS = Path(__file__).resolve().parents[2] / "examples" / "datasets"


@pytest.fixture(scope="module")
def bench_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two real ``ablab bench`` runs of the example datasets and an eval-only folder."""
    root = tmp_path_factory.mktemp("scores") / "runs"
    for task in ("author", "reviewer"):
        result = CliRunner().invoke(
            cli_app,
            ["bench", "-d", str(DATASETS / f"{task}.jsonl"), "-o", str(root / f"bench-{task}")],
        )
        # A paper the offline planner finds no sound ablation in fails alone (exit 1); the
        # others are planned and scored.
        assert result.exit_code in (0, 1), result.output
        assert (root / f"bench-{task}" / "eval" / "summary.json").is_file(), result.output
    eval_only = root / "eval-copy"
    shutil.copytree(root / "bench-author" / "eval", eval_only)
    (root / "broken").mkdir()
    (root / "broken" / "summary.json").write_text("{not json", encoding="utf-8")
    return root


@pytest.fixture
def scores_client(bench_runs: Path) -> TestClient:
    return TestClient(create_app(bench_runs))


def _summary(root: Path, name: str) -> EvaluationSummary:
    folder = root / name / "eval" if name.startswith("bench") else root / name
    return EvaluationSummary.model_validate_json((folder / "summary.json").read_text())


def test_eval_runs_are_found_best_f1_first(bench_runs: Path) -> None:
    board = find_eval_runs(bench_runs)
    names = [run.name for run in board.runs]
    assert sorted(names) == ["bench-author", "bench-reviewer", "eval-copy"]
    f1 = [run.summary.scores["f1_score"].mean for run in board.runs]
    assert f1 == sorted(f1, reverse=True)
    assert board.errors == ["broken"]


def test_api_lists_the_leaderboard(scores_client: TestClient, bench_runs: Path) -> None:
    rows = scores_client.get("/api/evals").json()
    by_name = {row["name"]: row for row in rows}
    assert EvaluationSummary.model_validate(by_name["bench-author"]["summary"]) == _summary(
        bench_runs, "bench-author"
    )
    assert by_name["bench-author"]["entry"] == "heuristic/offline"
    assert by_name["bench-author"]["url"] == "/scores/bench-author"


def test_api_gives_per_paper_scores(scores_client: TestClient) -> None:
    body = scores_client.get("/api/evals/bench-author").json()
    papers = {p["id"]: p for p in body["papers"]}
    assert sorted(papers) == ["dit", "simsiam", "swin-transformer"]
    mean_f1 = sum(p["f1_score"] for p in papers.values()) / 3
    assert mean_f1 == pytest.approx(body["summary"]["scores"]["f1_score"]["mean"])
    assert scores_client.get("/api/evals/nope").status_code == 404
    assert scores_client.get("/api/evals/broken").status_code == 404


def test_scores_page_shows_leaderboard_and_a_plot(scores_client: TestClient) -> None:
    html = scores_client.get("/scores").text
    rows = re.findall(r'<th scope="row"><a href="/scores/([^"]+)">', html)
    assert set(rows) == {"bench-author", "bench-reviewer", "eval-copy"}
    assert "summary.json could not be read" in html
    svg = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert svg is not None and b"<svg" in base64.b64decode(svg.group(1))


def test_plot_files_beside_the_runs_are_shown(bench_runs: Path, tmp_path: Path) -> None:
    root = tmp_path / "runs"
    shutil.copytree(bench_runs, root)
    (root / "board.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    client = TestClient(create_app(root))
    html = client.get("/scores").text
    assert '<img src="/scores-plots/board.png"' in html
    response = client.get("/scores-plots/board.png")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert client.get("/scores-plots/evaluations.json").status_code == 404
    assert client.get("/scores-plots/..%2Fsecret.png").status_code in (404, 422)


def test_a_symlinked_plot_is_never_served(bench_runs: Path, tmp_path: Path) -> None:
    root = tmp_path / "runs"
    shutil.copytree(bench_runs, root)
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    (root / "leak.svg").symlink_to(secret)
    (root / "bench-author" / "leak.png").symlink_to(secret)
    client = TestClient(create_app(root))
    assert client.get("/scores-plots/leak.svg").status_code == 404
    assert client.get("/scores/bench-author/plots/leak.png").status_code == 404
    assert "root:x" not in client.get("/scores").text


def test_one_eval_run_page_links_papers_to_their_plans(scores_client: TestClient) -> None:
    html = scores_client.get("/scores/bench-author").text
    assert 'href="/runs/bench-author/simsiam"' in html
    assert scores_client.get("/runs/bench-author/simsiam").status_code == 200
    copy = scores_client.get("/scores/eval-copy").text
    assert ">simsiam</th>" in copy  # no plans in that folder: not a link


def test_no_eval_runs_degrades_to_a_notice(client: TestClient) -> None:
    html = client.get("/scores").text
    assert "No eval runs found" in html
    assert client.get("/api/evals").json() == []


def test_report_includes_the_scores(bench_runs: Path) -> None:
    html = build_report(bench_runs)
    assert 'id="scores"' in html and 'id="scores-bench-author"' in html
    assert html.count('<img src="data:image/svg+xml;base64,') >= 1
