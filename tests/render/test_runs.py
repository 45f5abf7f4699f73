"""Run directories: AblationBench layout, atomic writes, plans.json merged across papers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ablab.render import runs
from ablab.render.runs import load_plan, read_plans_index, write_plan
from ablab.schema import Ablation, Action, Mode, Plan, Usage


def _plan(paper_id: str, cost: float | None = 0.25) -> Plan:
    return Plan(
        paper_id=paper_id,
        mode=Mode.AUTHOR,
        planner="heuristic",
        model="offline",
        reasoning="r",
        usage=Usage(cost_usd=cost),
        ablations=[
            Ablation(name="n", ablated_part="p", action=Action.REMOVE, metrics=["acc"]),
            Ablation(name="m", ablated_part="q", action=Action.ADD, replacement=["x"], metrics=[]),
        ],
    )


def test_writes_ablationbench_layout(tmp_path: Path) -> None:
    write_plan(tmp_path, _plan("alpha"))
    write_plan(tmp_path, _plan("beta", cost=None))
    lines = (tmp_path / "alpha.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines] == [
        {
            "name": "n",
            "ablated_part": "p",
            "action": "REMOVE",
            "replacement": None,
            "metrics": ["acc"],
        },
        {"name": "m", "ablated_part": "q", "action": "ADD", "replacement": ["x"], "metrics": []},
    ]
    index = read_plans_index(tmp_path)
    assert set(index) == {"alpha", "beta"}
    assert index["alpha"]["cost"] == 0.25
    assert index["beta"]["cost"] == 0.0  # the harness needs a number
    assert index["alpha"]["predictions"] == "\n".join(lines)
    assert load_plan(tmp_path / "alpha.plan.json") == _plan("alpha").model_copy(
        update={"created_at": load_plan(tmp_path / "alpha.plan.json").created_at}
    )
    assert (tmp_path / "alpha.md").read_text().startswith("<style>")


def test_rewriting_a_plan_replaces_it_without_duplicates(tmp_path: Path) -> None:
    write_plan(tmp_path, _plan("alpha"))
    write_plan(tmp_path, _plan("alpha", cost=1.0))
    assert read_plans_index(tmp_path)["alpha"]["cost"] == 1.0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "alpha.jsonl",
        "alpha.md",
        "alpha.plan.json",
        "plans.json",
    ]


def test_a_crash_mid_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plans.json"
    target.write_text('{"old": 1}')

    def boom(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(runs.os, "replace", boom)
    with pytest.raises(OSError):
        runs.atomic_write_text(target, '{"new": 2}')
    assert target.read_text() == '{"old": 1}'
    assert [p.name for p in tmp_path.iterdir()] == ["plans.json"]  # no temp file left behind
