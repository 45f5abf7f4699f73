"""``ablab report`` shows ablation tables: stored beside a plan, or named with --results."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ablab.cli.app import app
from ablab.errors import AblabError
from ablab.report import build_report

from .test_results_page import RESULTS

runner = CliRunner()


def test_results_named_on_the_command_line(runs_dir: Path, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text(RESULTS)
    out = tmp_path / "report.html"
    done = runner.invoke(
        app, ["report", str(runs_dir), "-o", str(out), "--results", f"tide={results}"]
    )
    assert done.exit_code == 0, done.output
    html = out.read_text()
    # Both runs plan the paper: each shows the table; the plot is an embedded image.
    assert html.count("class='ablation-table'") == 2
    assert html.count('<img src="data:image/svg+xml;base64,') >= 2
    assert "<script>alert(1)</script>" not in html
    assert 'method="post"' not in html  # a static report offers no upload


def test_stored_results_are_picked_up(runs_dir: Path) -> None:
    (runs_dir / "heuristic-author" / "tide.results.csv").write_text(RESULTS)
    html = build_report(runs_dir)
    assert html.count("class='ablation-table'") == 1


def test_bad_results_options(runs_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(AblabError, match="no plan here is about"):
        build_report(runs_dir, {"nope": tmp_path / "r.csv"})
    result = runner.invoke(app, ["report", str(runs_dir), "--results", "tide"])
    assert result.exit_code == 2 and "PAPER_ID=FILE" in result.stderr
    missing = build_report(runs_dir, {"tide": tmp_path / "missing.csv"})
    assert "no such results file" in missing
