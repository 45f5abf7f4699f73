"""`ablab eval`, `eval-judge`, `bench` and `leaderboard` end to end on the example datasets."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from ablab.cli.app import app

runner = CliRunner()


def test_bench_plans_judges_and_resumes(datasets_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "bench"
    args = ["bench", "-d", str(datasets_dir / "author.jsonl"), "--planner", "heuristic"]
    first = runner.invoke(app, [*args, "--judge", "offline", "-o", str(out), "-f", "csv"])
    assert first.exit_code == 0, first.output
    row = next(csv.DictReader(io.StringIO(first.stdout)))
    assert row["planner"] == "heuristic/offline" and row["papers"] == "3"
    assert 0.0 <= float(row["f1_score_mean"]) <= 1.0
    assert sorted(p.name for p in (out / "plans").glob("*.plan.json")) == [
        "dit.plan.json", "simsiam.plan.json", "swin-transformer.plan.json",
    ]  # fmt: skip
    records = json.loads((out / "eval" / "evaluations.json").read_text())
    assert [r["id"] for r in records] == ["simsiam", "swin-transformer", "dit"]
    assert all(r["warnings"] == [] for r in records)  # the papers were found and read
    again = runner.invoke(app, [*args, "-o", str(out), "-f", "csv"])
    assert again.exit_code == 0
    assert "reused 3" in again.stderr
    assert next(csv.DictReader(io.StringIO(again.stdout)))["f1_score_mean"] == row["f1_score_mean"]
    other = runner.invoke(app, [*args, "-o", str(out), "-k", "2"])
    assert other.exit_code == 2 and "other settings" in other.stderr


def test_eval_then_eval_judge(datasets_dir: Path, tmp_path: Path) -> None:
    judged = tmp_path / "judged"
    for kind in ("author", "reviewer"):
        result = runner.invoke(
            app,
            [
                "eval",
                "-d", str(datasets_dir / f"{kind}.jsonl"),
                "--plans", str(datasets_dir / "runs" / f"demo-{kind}"),
                "-o", str(judged / f"demo-{kind}"),
            ],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert (judged / f"demo-{kind}" / "evaluations.json").is_file()
    verdict = runner.invoke(
        app,
        [
            "eval-judge",
            "-d",
            str(datasets_dir / "author-eval.jsonl"),
            "--judgements",
            str(judged),
            "--json",
        ],
    )
    assert verdict.exit_code == 0, verdict.output
    assert json.loads(verdict.stdout)["micro"]["f1_score"] == 1.0


def test_eval_accepts_published_trajectories(
    datasets_dir: Path, trajectories_dir: Path, tmp_path: Path
) -> None:
    result = runner.invoke(
        app,
        [
            "eval",
            "-d", str(datasets_dir / "author.jsonl"),
            "--plans", str(trajectories_dir / "gpt-4o" / "simsiam.md"),
            "-o", str(tmp_path),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    records = {r["id"]: r for r in json.loads((tmp_path / "evaluations.json").read_text())}
    assert records["simsiam"]["precision"] > 0.5  # stop-gradient, predictor, batch size...
    assert records["dit"]["warnings"][0].startswith("no plan, scored 0")


def test_leaderboard_formats_and_plot(datasets_dir: Path, tmp_path: Path) -> None:
    for kind in ("author", "reviewer"):
        runner.invoke(
            app,
            [
                "eval",
                "-d", str(datasets_dir / f"{kind}.jsonl"),
                "--plans", str(datasets_dir / "runs" / f"demo-{kind}"),
                "-o", str(tmp_path / kind),
            ],
        )  # fmt: skip
    markdown = runner.invoke(
        app, ["leaderboard", str(tmp_path), "-f", "md", "--plot", str(tmp_path / "board")]
    )
    assert markdown.exit_code == 0, markdown.output
    lines = markdown.stdout.strip().splitlines()
    assert lines[0].startswith("| Planner | Judge | Task | Papers | Precision")
    assert len(lines) == 4 and "demo-author" in markdown.stdout
    assert (tmp_path / "board.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "board.svg").read_text().lstrip().startswith("<?xml")


def test_bad_input_is_one_line_and_exit_code_2(datasets_dir: Path, tmp_path: Path) -> None:
    missing = runner.invoke(
        app, ["eval", "-d", str(tmp_path / "none.jsonl"), "--plans", str(tmp_path)]
    )
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    assert "Traceback" not in missing.output
    plans = str(datasets_dir / "runs" / "demo-author")
    data = str(datasets_dir / "author.jsonl")
    lm = runner.invoke(app, ["eval", "-d", data, "--plans", plans, "--judge", "lm"])
    assert lm.exit_code == 2 and "exactly one --judge-model" in lm.stderr
    unknown = runner.invoke(app, ["eval", "-d", data, "--plans", plans, "--judge", "oracle"])
    assert unknown.exit_code == 2 and "unknown judge 'oracle'" in unknown.stderr
    empty = runner.invoke(app, ["leaderboard", str(tmp_path)])
    assert empty.exit_code == 2 and "no summary.json" in empty.stderr


def test_eval_with_ablationbench_metrics_is_labelled_in_the_leaderboard(
    datasets_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ab"
    result = runner.invoke(
        app,
        [
            "eval", "-d", str(datasets_dir / "author.jsonl"),
            "--plans", str(datasets_dir / "runs" / "demo-author"),
            "--metrics", "ablationbench", "--top-k", "3", "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads((out / "summary.json").read_text())["metrics"] == "ablationbench"
    board = runner.invoke(app, ["leaderboard", str(out), "-f", "csv"])
    assert next(csv.DictReader(io.StringIO(board.stdout)))["judge"] == (
        "offline [ablationbench metrics]"
    )
