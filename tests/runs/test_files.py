"""Run directories: AblationBench layout, atomic writes, plans.json merged across papers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ablab._util.atomic import atomic_text_writer
from ablab.errors import AblabError
from ablab.runs import files as runs
from ablab.runs.files import load_plan, read_plans_index, write_plan
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
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != runs.LOCK_FILE) == [
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


_ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)


@st.composite
def _plans(draw: st.DrawFn) -> Plan:
    ablations = []
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(list(Action)))
        ablations.append(
            Ablation(
                name=draw(_ANY_TEXT),
                ablated_part=draw(_ANY_TEXT),
                action=action,
                replacement=None if action is Action.REMOVE else draw(st.lists(_ANY_TEXT)),
                metrics=draw(st.lists(_ANY_TEXT, max_size=3)),
                rationale=draw(st.none() | _ANY_TEXT),
            )
        )
    return Plan(
        paper_id=draw(st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}", fullmatch=True)),
        mode=draw(st.sampled_from(list(Mode))),
        planner="heuristic",
        model=draw(_ANY_TEXT),
        reasoning=draw(_ANY_TEXT),
        usage=Usage(cost_usd=draw(st.none() | st.floats(0, 100))),
        ablations=ablations,
    )


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_plans())
def test_any_plan_survives_the_run_directory(tmp_path: Path, plan: Plan) -> None:
    out = tmp_path / plan.paper_id
    write_plan(out, plan)
    assert load_plan(out / f"{plan.paper_id}.plan.json") == plan
    lines = (out / f"{plan.paper_id}.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [a.to_bench_dict() for a in plan.ablations]
    predictions = read_plans_index(out)[plan.paper_id]["predictions"]
    assert [json.loads(line) for line in str(predictions).splitlines()] == [
        a.to_bench_dict() for a in plan.ablations
    ]


def test_write_plan_refuses_to_overwrite_files_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "alpha.md").write_text("# My paper\n")
    with pytest.raises(AblabError, match="not written by ablab"):
        write_plan(tmp_path, _plan("alpha"))
    assert (tmp_path / "alpha.md").read_text() == "# My paper\n"
    assert not (tmp_path / "alpha.jsonl").exists() and not (tmp_path / "plans.json").exists()
    write_plan(tmp_path, _plan("beta"))
    write_plan(tmp_path, _plan("beta"))  # its own files are rewritten


def test_run_files_are_readable_by_others(tmp_path: Path) -> None:
    write_plan(tmp_path, _plan("alpha"))
    modes = {p.name: p.stat().st_mode & 0o777 for p in tmp_path.iterdir()}
    assert set(modes.values()) == {0o644}, modes  # not mkstemp's 0600


def test_a_streamed_write_that_fails_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "plans.json"
    target.write_text('{"old": 1}')
    with pytest.raises(RuntimeError), atomic_text_writer(target) as handle:
        handle.write('{"new": ')
        raise RuntimeError("the encoder failed half-way")
    assert target.read_text() == '{"old": 1}'
    assert [p.name for p in tmp_path.iterdir()] == ["plans.json"]
    with atomic_text_writer(target) as handle:
        handle.write('{"new": "é"}\n')
    assert target.read_text(encoding="utf-8") == '{"new": "é"}\n'
