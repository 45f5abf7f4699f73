"""CLI: ablab plan with a model, ablab show, ablab cache, ablab models."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ablab.cli.app import app
from lm_server import plan_answer

from .conftest import PlanningServer

runner = CliRunner()


def said(text: str) -> str:
    """Console text with Rich's line wrapping undone."""
    return " ".join(text.split())


def test_fake_script_model_plans_offline(
    papers: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "replies.jsonl"
    script.write_text(json.dumps("no plan") + "\n" + json.dumps(plan_answer()) + "\n")
    monkeypatch.setenv("ABLAB_FAKE_SCRIPT", str(script))
    result = runner.invoke(app, ["plan", str(papers[0]), "--model", "fake/script", "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    expected = json.loads(plan_answer())["ablations"][0]
    assert rows == [{k: v for k, v in expected.items() if k != "rationale"}]
    assert "1 planned" in said(result.stderr) and "2 requests" in said(result.stderr)


def test_model_planners_need_a_model_and_the_heuristic_refuses_one(papers: list[Path]) -> None:
    missing = runner.invoke(app, ["plan", str(papers[0]), "--planner", "hybrid"])
    assert missing.exit_code == 2 and "needs --model" in said(missing.stderr)
    needless = runner.invoke(
        app, ["plan", str(papers[0]), "--planner", "heuristic", "--model", "fake/heuristic"]
    )
    assert needless.exit_code == 2 and "uses no model" in said(needless.stderr)


def test_missing_key_is_one_line_without_traceback(
    papers: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("ABLAB_OPENAI_BASE_URL", raising=False)
    result = runner.invoke(app, ["plan", str(papers[0]), "--model", "openai/gpt-4o"])
    assert result.exit_code == 2
    assert "needs an API key" in said(result.stderr) and "Traceback" not in result.output


def test_run_show_and_resume(
    planning_server: PlanningServer, papers: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "run"
    args = [
        "plan",
        str(papers[0].parent),
        "--model",
        "openai/gpt-4o",
        "--base-url",
        planning_server.base_url,
        "--planner",
        "hybrid",
        "--out",
        str(out),
        "-j",
        "3",
    ]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "6 planned" in said(first.stderr) and "cost $" in said(first.stderr)
    second = runner.invoke(app, args)
    assert second.exit_code == 0 and "0 planned, 6 already done" in said(second.stderr)
    assert len(planning_server.requests) == 6

    shown = runner.invoke(app, ["show", str(out)])
    assert shown.exit_code == 0, shown.output
    assert "6 planned, 0 failed" in said(shown.stdout) and "hybrid" in shown.stdout
    data = json.loads(runner.invoke(app, ["show", str(out), "--json"]).stdout)
    assert data["planned"] == 6 and data["calls"] == 6 and data["requests"] == 6
    assert data["input_tokens"] > 0 and data["cost_usd"] > 0
    assert {p["paper_id"] for p in data["papers"]} == {f"paper-{n:02d}" for n in range(6)}


def test_show_refuses_a_folder_that_is_not_a_run(tmp_path: Path) -> None:
    result = runner.invoke(app, ["show", str(tmp_path)])
    assert result.exit_code == 2 and "not a run directory" in said(result.stderr)


def test_budget_stop_is_reported_with_exit_code_1(
    planning_server: PlanningServer, papers: list[Path], tmp_path: Path
) -> None:
    args = ["plan", *map(str, papers), "--model", "openai/gpt-4o", "--base-url"]
    args += [planning_server.base_url, "--budget", "0", "--out", str(tmp_path / "run")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "6 not started" in said(result.stderr) and "budget reached" in said(result.stderr)
    assert planning_server.requests == []


def test_cache_info_and_clear(
    planning_server: PlanningServer, papers: list[Path], tmp_path: Path
) -> None:
    args = ["plan", str(papers[0]), "--model", "openai/gpt-4o", "--base-url"]
    assert runner.invoke(app, [*args, planning_server.base_url, "-f", "json"]).exit_code == 0
    assert runner.invoke(app, [*args, planning_server.base_url, "-f", "json"]).exit_code == 0
    assert len(planning_server.requests) == 1  # the second run came from the cache
    info = runner.invoke(app, ["cache", "info"])
    assert "Responses: 1" in info.stdout and "openai/gpt-4o" in info.stdout
    cleared = runner.invoke(app, ["cache", "clear"])
    assert "Removed 1" in said(cleared.stderr)
    assert "Responses: 0" in runner.invoke(app, ["cache", "info"]).stdout
    uncached = runner.invoke(app, [*args, planning_server.base_url, "--no-cache", "-f", "json"])
    assert uncached.exit_code == 0 and len(planning_server.requests) == 2


def test_models_lists_presets_and_key_status_without_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-proj-THISMUSTNOTAPPEAR")
    result = runner.invoke(app, ["models"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "openai/gpt-4o" in result.stdout and "fake/heuristic" in result.stdout
    assert "OPENAI_API_KEY" in result.stdout and "set" in result.stdout
    assert "THISMUSTNOTAPPEAR" not in result.output


def test_consensus_members_use_the_model(papers: list[Path]) -> None:
    result = runner.invoke(
        app,
        [
            "plan",
            str(papers[0]),
            "--planner",
            "consensus",
            "--model",
            "fake/heuristic",
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["planner"] == "consensus" and plan["model"] == "fake/heuristic"
    assert plan["ablations"]


@pytest.mark.parametrize("escaped", [True, False])
def test_lone_surrogate_in_a_model_answer_is_replaced(
    papers: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, escaped: bool
) -> None:
    # Half an emoji: as a JSON escape inside the answer, or already in the answer's text.
    answer = json.loads(plan_answer())
    answer["ablations"][0]["name"] = "Drop gate \ud83d"
    text = json.dumps(answer) if escaped else json.dumps(answer, ensure_ascii=False)
    script = tmp_path / "replies.jsonl"
    script.write_text(json.dumps(text) + "\n", encoding="utf-8")
    monkeypatch.setenv("ABLAB_FAKE_SCRIPT", str(script))
    out = tmp_path / "run"
    result = runner.invoke(app, ["plan", str(papers[0]), "--model", "fake/script", "-o", str(out)])
    assert result.exit_code == 0, result.output
    plan = json.loads((out / "paper-00.plan.json").read_text(encoding="utf-8"))
    assert plan["ablations"][0]["name"] == "Drop gate \ufffd"
    assert "Drop gate" in (out / "log.jsonl").read_text(encoding="utf-8")  # the call was logged


def test_missing_lm_extra_is_reported_once_before_any_paper(
    papers: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openai", None)  # as without the `lm` extra
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-used")
    folder = str(papers[0].parent)
    result = runner.invoke(app, ["plan", folder, "--model", "openai/gpt-4o", "-o", "run"])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [
        "error: language models need the `lm` extra: pip install 'ablab[lm]'"
    ]
    assert not Path("run").exists()
