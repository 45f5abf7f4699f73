"""The run directory under stress: several processes, many failures, killed runs, budgets."""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from ablab.models import ResponseCache, RetryPolicy, get_model
from ablab.models.base import Completion
from ablab.planners import get_planner
from ablab.planners.lm import LMPlanner
from ablab.runs import engine, read_log, run_plans_sync
from ablab.runs import readers as readers_module
from ablab.runs.files import (
    merge_failures,
    merge_index,
    read_failures,
    read_plans_index,
    update_failures,
    write_plan,
)
from ablab.schema import Ablation, Action, Mode, Plan, Usage
from lm_server import LocalOpenAIServer, Reply, completion_body, plan_answer

from .conftest import PlanningServer, write_papers

FAST = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.02)


def _plan(paper_id: str) -> Plan:
    ablation = Ablation(name="n", ablated_part="p", action=Action.REMOVE, metrics=["m"])
    return Plan(
        paper_id=paper_id,
        mode=Mode.AUTHOR,
        planner="heuristic",
        model="none",
        ablations=[ablation],
        k=1,
    )


def _writer(out: Path, prefix: str, count: int) -> None:
    for n in range(count):
        write_plan(out, _plan(f"{prefix}-{n:03d}"))
        bad = f"{prefix}-bad-{n:03d}"
        update_failures(out, {bad: {"paper_id": bad}}, set())


def test_two_processes_on_one_directory_lose_no_entry(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_writer, args=(tmp_path, name, 60)) for name in "ab"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    assert len(read_plans_index(tmp_path)) == 120
    assert len(read_failures(tmp_path)) == 120


def test_failures_are_merged_once_per_batch_not_once_per_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def counting(out: Path, name: str, recorded: Any, cleared: Any) -> None:
        calls.append(len(recorded))
        merge_failures(out, name, recorded, cleared)

    monkeypatch.setattr(engine, "merge_failures", counting)
    monkeypatch.setattr(engine, "FLUSH_S", 3600.0)
    missing = [tmp_path / f"missing-{n}.md" for n in range(40)]
    summary = run_plans_sync(missing, get_planner_heuristic(), mode=Mode.AUTHOR, out=tmp_path / "o")
    assert summary.count("failed") == 40
    assert calls == [40]  # one merge at the end of the batch, holding all 40
    assert len(read_failures(tmp_path / "o")) == 40


def get_planner_heuristic() -> Any:
    return get_planner("heuristic")


def test_a_killed_runs_stale_temp_files_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    stale, fresh = out / ".plans.json.abc123.tmp", out / ".plans.json.def456.tmp"
    stale.write_text("{")
    fresh.write_text("{")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    papers = write_papers(tmp_path / "papers", 1)
    run_plans_sync(papers, get_planner_heuristic(), mode=Mode.AUTHOR, out=out)
    assert not stale.exists() and fresh.exists()  # a young one may belong to a live process

    cache = ResponseCache(tmp_path / "cache")
    shard = tmp_path / "cache" / "ab"
    shard.mkdir(parents=True)
    left = shard / ".abcd.json.xyz.tmp"
    left.write_text("{")
    os.utime(left, (hour_ago, hour_ago))
    completion = Completion(text="answer", model="fake/x", usage=Usage(), finish_reason="stop")
    assert cache.put("ab" + "0" * 62, completion)
    assert not left.exists()


def test_the_budget_message_agrees_with_the_final_total(tmp_path: Path) -> None:
    papers = write_papers(tmp_path / "papers", 6)
    costly = {"prompt_tokens": 100_000, "completion_tokens": 1_000, "total_tokens": 101_000}
    with PlanningServer(answer=lambda _: Reply.text(plan_answer(), usage=costly)) as server:
        model = get_model("openai/gpt-4o", base_url=server.base_url, timeout=2, retry=FAST)
        summary = run_plans_sync(
            papers, LMPlanner(model), mode=Mode.AUTHOR, concurrency=3, budget_usd=0.3
        )
    assert summary.count("not_started") > 0 and summary.stop_reason is not None
    assert f"${summary.usage.cost_usd:.4f} spent" in summary.stop_reason


def test_requests_that_got_no_answer_are_counted(tmp_path: Path) -> None:
    papers = write_papers(tmp_path / "papers", 1)
    with LocalOpenAIServer(responder=lambda _: Reply.server_error(500)) as server:
        model = get_model("openai/gpt-4o", base_url=server.base_url, timeout=2, retry=FAST)
        summary = run_plans_sync(papers, LMPlanner(model), mode=Mode.AUTHOR)
        sent = len(server.requests)
    assert summary.count("failed") == 1
    assert sent == 3 and summary.usage.requests == 3


def test_loader_warnings_are_logged_with_the_paper(tmp_path: Path) -> None:
    paper = tmp_path / "utf16.md"
    paper.write_bytes(
        "# Gated memory\n\n## Method\n\nA gate decides what the memory keeps.\n".encode("utf-16")
    )
    out = tmp_path / "run"
    summary = run_plans_sync([paper], get_planner_heuristic(), mode=Mode.REVIEWER, out=out)
    assert any("UTF-16" in w for w in summary.results[0].warnings)
    events = [e for e in read_log(out) if e.get("kind") == "paper"]
    assert any("UTF-16" in w for e in events for w in e.get("warnings", []))


def test_a_rerun_finds_finished_file_papers_without_reading_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    papers = write_papers(tmp_path / "papers", 4)
    out = tmp_path / "run"
    first = run_plans_sync(papers, get_planner_heuristic(), mode=Mode.REVIEWER, out=out)
    done = first.count("done")
    assert done >= 1

    def unreadable(*_: Any, **__: Any) -> None:
        raise AssertionError("a finished paper was parsed again")

    monkeypatch.setattr(readers_module, "load_source", unreadable)
    finished = [p for p, r in zip(papers, first.results, strict=True) if r.status == "done"]
    again = run_plans_sync(finished, get_planner_heuristic(), mode=Mode.REVIEWER, out=out)
    assert again.count("skipped") == done


def test_results_can_leave_plans_in_the_run_directory(tmp_path: Path) -> None:
    papers = write_papers(tmp_path / "papers", 3)
    out = tmp_path / "run"
    summary = run_plans_sync(
        papers, get_planner_heuristic(), mode=Mode.REVIEWER, out=out, keep_plans=False
    )
    assert all(r.plan is None for r in summary.results)
    assert len(read_plans_index(out)) == summary.count("done")


def test_a_budget_holds_when_the_endpoint_reports_no_usage(tmp_path: Path) -> None:
    papers = write_papers(tmp_path / "papers", 6)

    def no_usage(request: dict[str, Any]) -> Reply:
        body = completion_body(Reply.text(plan_answer()), request)
        del body["usage"]
        return Reply(body=body)

    with LocalOpenAIServer(responder=no_usage) as server:
        model = get_model("openai/gpt-4o", base_url=server.base_url, timeout=2, retry=FAST)
        summary = run_plans_sync(
            papers, LMPlanner(model), mode=Mode.AUTHOR, concurrency=1, budget_usd=0.0001
        )
    assert summary.usage.cost_usd is not None and summary.usage.cost_usd > 0
    assert summary.count("done") == 1 and summary.count("not_started") == 5


def test_shared_files_are_merged_on_one_thread_of_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # glibc keeps a heap per thread: merges spread over the worker threads left every one of
    # them holding the memory of a merge.
    threads: list[str] = []

    def recording(out: Path, name: str, entries: Any) -> None:
        threads.append(threading.current_thread().name)
        merge_index(out, name, entries)

    monkeypatch.setattr(engine, "merge_index", recording)
    monkeypatch.setattr(engine, "FLUSH_S", 0.0)
    papers = write_papers(tmp_path / "papers", 12)
    summary = run_plans_sync(papers, get_planner_heuristic(), mode=Mode.AUTHOR, out=tmp_path / "o")
    assert summary.count("done") == 12
    assert len(threads) > 1 and len(set(threads)) == 1
    assert threads[0].startswith("ablab-shared-files")
    assert len(read_plans_index(tmp_path / "o")) == 12


def test_merges_are_spaced_by_their_own_duration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [100.0]
    monkeypatch.setattr(engine.time, "monotonic", lambda: now[0])
    shared = engine.SharedFiles(tmp_path, "plans.json", "failures.json")
    merges: list[float] = []

    def slow_write(*_: Any) -> None:
        merges.append(now[0])
        now[0] += 2.0  # a merge of a large index: 2 s

    monkeypatch.setattr(shared, "_write", slow_write)

    async def scenario() -> None:
        now[0] += engine.FLUSH_S
        shared.add("a", {})
        await shared.flush()  # due: the first merge
        for step in range(100):  # later papers, one a second
            now[0] += 1.0
            shared.add(f"p{step}", {})
            await shared.flush()
        await shared.close()

    asyncio.run(scenario())
    gaps = [later - earlier for earlier, later in itertools.pairwise(merges[:-1])]
    assert gaps and all(gap >= 2.0 / engine.MERGE_SHARE for gap in gaps)
    assert len(merges) >= 2  # the last one at close, whatever the spacing
