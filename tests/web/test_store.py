"""The runs store: what it lists, and that no name reaches a file outside the runs directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ablab.formats.trajectory import render_plan_markdown
from ablab.runs.files import write_plan
from ablab.schema import Ablation, Action, Mode, Plan
from ablab.views.store import NotFound, RunStore, is_safe_name, render_plan_file


def test_lists_runs_with_their_plans(runs_dir: Path) -> None:
    runs = {run.name: run for run in RunStore(runs_dir).runs()}
    assert sorted(runs) == ["heuristic-author", "lm-gpt-4o"]
    assert sorted(runs["heuristic-author"].plans) == ["tide", "xss"]
    assert runs["lm-gpt-4o"].label == "lm/openai/gpt-4o"
    assert runs["heuristic-author"].modes == ["author", "reviewer"]


def test_plan_files_are_the_bytes_written(runs_dir: Path) -> None:
    store = RunStore(runs_dir)
    for fmt, name in [("jsonl", "tide.jsonl"), ("md", "tide.md"), ("json", "tide.plan.json")]:
        expected = (runs_dir / "lm-gpt-4o" / name).read_bytes()
        assert store.plan_bytes("lm-gpt-4o", "tide", fmt) == expected


def test_rendered_files_match_what_write_plan_writes(runs_dir: Path) -> None:
    plan = RunStore(runs_dir).load_plan("heuristic-author", "tide")
    folder = runs_dir / "heuristic-author"
    assert render_plan_file(plan, "jsonl") == (folder / "tide.jsonl").read_bytes()
    assert render_plan_file(plan, "md") == (folder / "tide.md").read_bytes()
    assert render_plan_file(plan, "json") == (folder / "tide.plan.json").read_bytes()


def test_stored_paper_is_loaded_and_cli_runs_have_none(runs_dir: Path) -> None:
    store = RunStore(runs_dir)
    paper = store.load_paper("heuristic-author", "tide")
    assert paper is not None and paper.title.startswith("TIDE")
    assert store.load_paper("lm-gpt-4o", "tide") is None
    assert store.find_paper("tide") == paper


@pytest.mark.parametrize(
    "name",
    ["..", ".", "../runs", "a/b", "a\\b", "/etc", ".hidden", "", "x" * 200, "a..b", "nul\x00"],
)
def test_unsafe_names_are_refused(name: str) -> None:
    assert not is_safe_name(name)


@pytest.mark.parametrize("name", ["tide", "gpt-4o", "12_Lead_ECG", "web-lm-openai-gpt-4o-author"])
def test_plain_names_are_accepted(name: str) -> None:
    assert is_safe_name(name)


def test_lookups_cannot_leave_the_runs_directory(runs_dir: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.plan.json"
    secret.write_text("{}", encoding="utf-8")
    store = RunStore(runs_dir)
    for run, paper_id in [("..", "secret"), ("heuristic-author", "../../secret"), ("/tmp", "x")]:
        with pytest.raises(NotFound):
            store.load_plan(run, paper_id)
        with pytest.raises(NotFound):
            store.plan_bytes(run, paper_id, "json")


def test_symlinked_run_pointing_outside_is_ignored(runs_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write_plan(outside, _plan("elsewhere"))
    os.symlink(outside, runs_dir / "linked")
    store = RunStore(runs_dir)
    assert "linked" not in {run.name for run in store.runs()}
    with pytest.raises(NotFound):
        store.load_plan("linked", "elsewhere")


def test_symlinked_plan_file_pointing_outside_is_refused(runs_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write_plan(outside, _plan("elsewhere"))
    os.symlink(outside / "elsewhere.plan.json", runs_dir / "lm-gpt-4o" / "elsewhere.plan.json")
    store = RunStore(runs_dir)
    with pytest.raises(NotFound):
        store.load_plan("lm-gpt-4o", "elsewhere")
    run = store.load_run("lm-gpt-4o")
    assert "elsewhere" not in run.plans
    assert any("elsewhere" in error for error in run.errors)


def test_unknown_format_is_not_found(runs_dir: Path) -> None:
    with pytest.raises(NotFound):
        RunStore(runs_dir).plan_bytes("lm-gpt-4o", "tide", "exe")


def test_folder_of_trajectories_is_a_run(tmp_path: Path) -> None:
    plan = _plan("simsiam", planner="lm-planner", model="gpt-4o")
    folder = tmp_path / "gpt-4o"
    folder.mkdir()
    (folder / "simsiam.md").write_text(render_plan_markdown(plan), encoding="utf-8")
    (folder / "README.md").write_text("# not a plan\n", encoding="utf-8")
    store = RunStore(tmp_path)
    [run] = store.runs()
    assert list(run.plans) == ["simsiam"]
    loaded = store.load_plan("gpt-4o", "simsiam")
    assert [a.name for a in loaded.ablations] == ["Remove the gate"]
    assert store.plan_bytes("gpt-4o", "simsiam", "jsonl") == (plan.to_jsonl() + "\n").encode()


def test_broken_trajectory_is_reported_not_hidden(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "bad.md").write_text('<div class="trajectory-box">broken', encoding="utf-8")
    [run] = RunStore(tmp_path).runs()
    assert run.plans == {}
    assert run.errors and run.errors[0].startswith("bad.md")


def test_missing_root_has_no_runs(tmp_path: Path) -> None:
    assert RunStore(tmp_path / "absent").runs() == []


def test_changed_plan_is_read_again(runs_dir: Path) -> None:
    store = RunStore(runs_dir)
    assert len(store.load_plan("lm-gpt-4o", "tide").ablations) == 2
    write_plan(runs_dir / "lm-gpt-4o", _plan("tide"))
    assert len(store.load_plan("lm-gpt-4o", "tide").ablations) == 1


def _plan(paper_id: str, planner: str = "heuristic", model: str = "offline") -> Plan:
    return Plan(
        paper_id=paper_id,
        mode=Mode.REVIEWER,
        planner=planner,
        model=model,
        reasoning="Because.",
        ablations=[
            Ablation(
                name="Remove the gate", ablated_part="gate", action=Action.REMOVE, metrics=["acc"]
            )
        ],
    )
