"""Reading plans from run directories and trajectory Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ablab.errors import DatasetError
from ablab.runs.files import write_plan
from ablab.runs.plans import load_plans
from ablab.schema import Ablation, Mode, Plan, Usage


def test_ablationbench_run_directory(datasets_dir: Path) -> None:
    found = load_plans(datasets_dir / "runs" / "demo-author")
    assert sorted(found.plans) == ["dit", "simsiam", "swin-transformer"]
    assert found.plans["simsiam"].ablations[0].name == "Remove stop-gradient"
    assert not found.problems


def test_ablab_run_directory_prefers_the_full_plan(tmp_path: Path) -> None:
    plan = Plan(
        paper_id="p1",
        mode=Mode.AUTHOR,
        planner="heuristic",
        model="offline",
        ablations=[Ablation(name="a", ablated_part="a", action="REMOVE")],
        usage=Usage(cost_usd=0.25),
    )
    write_plan(tmp_path, plan)
    loaded = load_plans(tmp_path).plans["p1"]
    assert loaded.planner == "heuristic" and loaded.cost == 0.25
    assert loaded.source.endswith("p1.plan.json")


def test_plans_json_alone_is_enough(tmp_path: Path) -> None:
    line = json.dumps({"name": "a", "ablated_part": "a", "action": "REMOVE", "replacement": None})
    (tmp_path / "plans.json").write_text(json.dumps({"p": {"predictions": line, "cost": 0.5}}))
    loaded = load_plans(tmp_path).plans["p"]
    assert [a.name for a in loaded.ablations] == ["a"] and loaded.cost == 0.5


def test_a_broken_plan_is_reported_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "good.jsonl").write_text('{"name": "a", "ablated_part": "a", "action": "ADD"}\n')
    (tmp_path / "bad.jsonl").write_text("{not json\n")
    found = load_plans(tmp_path)
    assert list(found.plans) == ["good"]
    assert "bad.jsonl:1" in found.problems["bad"]


def test_published_trajectories_of_one_task(trajectories_dir: Path) -> None:
    single = load_plans(trajectories_dir / "gpt-4o" / "simsiam.md")
    assert single.plans["simsiam"].model == "gpt-4o"
    assert len(single.plans["simsiam"].ablations) == 5
    folder = load_plans(trajectories_dir / "claude-35-sonnet", Mode.AUTHOR)
    assert "simsiam" in folder.plans
    assert all(p.plan is not None and p.plan.mode is Mode.AUTHOR for p in folder.plans.values())
    assert any("reviewer-task plan" in why for why in folder.problems.values())


def test_nothing_to_read(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no plans found"):
        load_plans(tmp_path)
    with pytest.raises(DatasetError, match="no such"):
        load_plans(tmp_path / "missing")


def test_predictions_holding_unicode_line_separators(tmp_path: Path) -> None:
    # Valid JSON keeps U+2028 raw; only "\n" ends a JSON line (other tools write such files).
    rows = [
        {"name": "a\u2028b", "ablated_part": "x\x85y", "action": "REMOVE", "replacement": None},
        {"name": "c", "ablated_part": "z", "action": "REMOVE", "replacement": None},
    ]
    text = "\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n"
    (tmp_path / "p1.jsonl").write_text(text, encoding="utf-8")
    found = load_plans(tmp_path)
    assert not found.problems
    assert [a.name for a in found.plans["p1"].ablations] == ["a\u2028b", "c"]


def test_ids_in_plans_json_never_name_files_outside_the_folder(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    row = {"name": "secret", "ablated_part": "s", "action": "REMOVE", "replacement": None}
    (tmp_path / "outside.jsonl").write_text(json.dumps(row) + "\n")
    index = {
        "../outside": {"predictions": "", "cost": 0.0},
        "ok": {"predictions": json.dumps(row), "cost": 1},
    }
    (run / "plans.json").write_text(json.dumps(index))
    found = load_plans(run)
    assert "../outside" not in found.plans
    assert "cannot name a file" in found.problems["../outside"]
    assert "ok" in found.plans
