"""A plan page accepts a results file and shows the ablation table and plot beside the plan."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

RESULTS = (
    "ablation,variant,seed,metric,value\n"
    "full,,0,k-NN accuracy,72.1\nfull,,1,k-NN accuracy,72.5\n"
    "replace-the-adaptive-prototype-memory,k-means prototypes,0,k-NN accuracy,70.0\n"
    "replace-the-adaptive-prototype-memory,k-means prototypes,1,k-NN accuracy,70.4\n"
    "<script>alert(1)</script>,,0,k-NN accuracy,1\n"
)


def test_upload_shows_table_and_plot_and_is_kept(client: TestClient, runs_dir: Path) -> None:
    page = client.get("/runs/heuristic-author/tide")
    assert (
        "No results yet." in page.text
        and 'action="/runs/heuristic-author/tide/results"' in page.text
    )
    response = client.post(
        "/runs/heuristic-author/tide/results",
        files={"results": ("my results.csv", RESULTS.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/runs/heuristic-author/tide#results"
    stored = runs_dir / "heuristic-author" / "tide.results.csv"
    assert stored.read_text().startswith("ablation,variant,seed,metric,value\n")
    shown = client.get("/runs/heuristic-author/tide").text
    assert "class='ablation-table'" in shown
    assert "2. Replace the Adaptive Prototype Memory" in shown and "-2.1 [" in shown
    assert '<img src="data:image/svg+xml;base64,' in shown
    assert "<script>alert(1)</script>" not in shown  # labels from the file are escaped
    assert "is not an ablation of the plan" in shown


def test_bad_results_file_is_reported_on_the_page(client: TestClient, runs_dir: Path) -> None:
    response = client.post(
        "/runs/heuristic-author/tide/results",
        files={"results": ("r.csv", b"ablation,metric,value\nfull,acc,high\n", "text/csv")},
    )
    assert response.status_code == 400
    assert "r.csv: row 2: value &#39;high&#39; is not a number" in response.text
    assert "ablab-results-" not in response.text  # no temporary path leaks
    assert not (runs_dir / "heuristic-author" / "tide.results.csv").exists()
    wrong_type = client.post(
        "/runs/heuristic-author/tide/results", files={"results": ("r.xlsx", b"x", "x/y")}
    )
    assert wrong_type.status_code == 400 and "upload results as one of" in wrong_type.text


def test_results_for_a_missing_plan_are_404(client: TestClient) -> None:
    response = client.post(
        "/runs/heuristic-author/nope/results", files={"results": ("r.csv", b"x", "text/csv")}
    )
    assert response.status_code == 404
