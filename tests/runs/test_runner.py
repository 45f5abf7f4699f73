"""The batch runner: concurrency, failures kept with raw answers, resume, budget, cache, log."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from ablab.models import CachedModel, FakeModel, ResponseCache, RetryPolicy, get_model
from ablab.planners.hybrid import HybridPlanner
from ablab.planners.lm import LMPlanner
from ablab.runs import read_log, run_plans_sync, summarise_run
from ablab.runs.files import read_plans_index
from ablab.runs.plans import load_plans
from ablab.schema import Analysis, Mode
from lm_server import LocalOpenAIServer, Reply, plan_answer

from .conftest import PlanningServer, write_papers

FAST = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.02)


def _planner(server: LocalOpenAIServer, name: str = "openai/gpt-4o", **options: Any) -> LMPlanner:
    model = get_model(name, base_url=server.base_url, timeout=2, retry=FAST)
    return LMPlanner(model, **options)


def test_batch_writes_plans_log_and_manifest(
    planning_server: PlanningServer, papers: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "run"
    summary = run_plans_sync(papers, _planner(planning_server), mode=Mode.REVIEWER, out=out)
    assert summary.count("done") == 6 and summary.usage.requests == 6
    assert [r.paper_id for r in summary.results] == [f"paper-{n:02d}" for n in range(6)]
    index = read_plans_index(out)
    assert sorted(index) == [f"paper-{n:02d}" for n in range(6)]
    assert all(index[p]["cost"] > 0 for p in index)
    records = list(read_log(out))
    calls = [r for r in records if r["kind"] == "call"]
    assert len(calls) == 6
    assert calls[0]["messages"][0]["role"] == "system" and calls[0]["response"]
    assert calls[0]["usage"]["input_tokens"] > 0 and calls[0]["latency_s"] >= 0
    papers_logged = [r for r in records if r["kind"] == "paper"]
    assert {r["status"] for r in papers_logged} == {"done"}
    assert papers_logged[0]["context"]["paper_tokens"] > 0
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["model"] == "openai/gpt-4o" and manifest["runs"][-1]["done"] == 6
    plan = json.loads((out / "paper-00.plan.json").read_text())
    assert plan["versions"]["config"] and plan["mode"] == "reviewer"


def test_concurrency_is_bounded(papers: list[Path], tmp_path: Path) -> None:
    in_flight, peak, lock = 0, 0, threading.Lock()

    def answer(_: str) -> Reply:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.1)
        with lock:
            in_flight -= 1
        return Reply.text(plan_answer())

    more = write_papers(tmp_path / "more", 10)
    with PlanningServer(answer=answer) as server:
        run_plans_sync(more, _planner(server), mode=Mode.AUTHOR, concurrency=3)
    assert peak == 3


def test_failed_paper_keeps_raw_answers_and_is_retried_later(
    papers: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "run"

    def broken_for_03(variant: str) -> Reply:
        return Reply.text("not a plan") if variant == "03" else Reply.text(plan_answer())

    with PlanningServer(answer=broken_for_03) as server:
        first = run_plans_sync(papers, _planner(server), mode=Mode.AUTHOR, out=out)
    assert first.count("done") == 5 and first.count("failed") == 1
    assert "paper-03" not in read_plans_index(out)
    assert not (out / "paper-03.plan.json").exists()  # no empty plan presented as a result
    failures = json.loads((out / "failures.json").read_text())
    assert [f["paper_id"] for f in failures] == ["paper-03"]
    assert failures[0]["raw_responses"] == ["not a plan", "not a plan"]
    assert "no valid plan" in failures[0]["error"]
    # AblationBench's harness reads <id>.jsonl for every paper: an empty one, as its planners
    # leave; ablab's readers report the failure instead of scoring an empty plan.
    assert (out / "paper-03.jsonl").read_text() == ""
    loaded = load_plans(out)
    assert "paper-03" not in loaded.plans
    assert loaded.problems["paper-03"].startswith("planning failed: ")

    with PlanningServer() as server:
        second = run_plans_sync(papers, _planner(server), mode=Mode.AUTHOR, out=out)
        assert dict(server.per_paper) == {"03": 1}  # only the failed paper is asked again
    assert second.count("skipped") == 5 and second.count("done") == 1
    assert json.loads((out / "failures.json").read_text()) == []
    assert (out / "paper-03.jsonl").read_text().strip() != ""
    assert "paper-03" in load_plans(out).plans
    report = summarise_run(out)
    assert report.planned == 6 and report.failed == 0


def test_resume_skips_finished_papers_unless_the_configuration_changed(
    planning_server: PlanningServer, papers: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "run"
    run_plans_sync(papers, _planner(planning_server), mode=Mode.REVIEWER, out=out)
    again = run_plans_sync(papers, _planner(planning_server), mode=Mode.REVIEWER, out=out)
    assert again.count("skipped") == 6 and again.usage.requests == 0
    assert sum(planning_server.per_paper.values()) == 6
    other_k = run_plans_sync(papers, _planner(planning_server), mode=Mode.REVIEWER, k=1, out=out)
    assert other_k.count("done") == 6  # k is part of the configuration
    papers[0].write_text(papers[0].read_text() + "\nA new paragraph.\n")
    edited = run_plans_sync(papers, _planner(planning_server), mode=Mode.REVIEWER, k=1, out=out)
    assert edited.count("done") == 1 and edited.results[0].status == "done"


def test_budget_stops_starting_papers_and_a_rerun_finishes(
    papers: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "run"
    costly = {"prompt_tokens": 100_000, "completion_tokens": 1_000, "total_tokens": 101_000}

    with PlanningServer(answer=lambda _: Reply.text(plan_answer(), usage=costly)) as server:
        first = run_plans_sync(
            papers, _planner(server), mode=Mode.AUTHOR, out=out, concurrency=1, budget_usd=0.5
        )
        spent = first.usage.cost_usd
        assert spent is not None and spent >= 0.5
        assert first.count("done") == 2 and first.count("not_started") == 4
        assert first.stop_reason is not None and "budget reached" in first.stop_reason
        assert (
            not (out / "failures.json").exists()
            or json.loads((out / "failures.json").read_text()) == []
        )
        second = run_plans_sync(
            papers, _planner(server), mode=Mode.AUTHOR, out=out, concurrency=1, budget_usd=10
        )
        assert second.count("skipped") == 2 and second.count("done") == 4
        assert all(count == 1 for count in server.per_paper.values())


def test_unknown_price_with_a_budget_stops_after_the_first_paper(
    planning_server: PlanningServer, papers: list[Path]
) -> None:
    planner = _planner(planning_server, "openai/unpriced-model")
    summary = run_plans_sync(papers, planner, mode=Mode.AUTHOR, concurrency=1, budget_usd=1.0)
    assert summary.count("done") == 1 and summary.count("not_started") == 5
    assert summary.usage.cost_usd is None
    assert summary.stop_reason is not None and "unknown" in summary.stop_reason


def test_second_run_from_cache_makes_zero_requests(
    planning_server: PlanningServer, papers: list[Path], tmp_path: Path
) -> None:
    cache = ResponseCache(tmp_path / "cache")

    def cached_planner() -> HybridPlanner:
        model = get_model("openai/gpt-4o", base_url=planning_server.base_url, retry=FAST)
        return HybridPlanner(CachedModel(model, cache))

    first = run_plans_sync(papers, cached_planner(), mode=Mode.REVIEWER, out=tmp_path / "a")
    assert first.count("done") == 6 and len(planning_server.requests) == 6
    second = run_plans_sync(papers, cached_planner(), mode=Mode.REVIEWER, out=tmp_path / "b")
    assert second.count("done") == 6
    assert len(planning_server.requests) == 6  # not one more request
    assert second.usage.requests == 0 and second.usage.cost_usd == 0.0
    calls = [r for r in read_log(tmp_path / "b") if r["kind"] == "call"]
    assert len(calls) == 6 and all(c["cached"] for c in calls)
    assert [r.plan.ablations for r in first.results] == [r.plan.ablations for r in second.results]


def test_unreadable_papers_fail_alone(papers: list[Path], tmp_path: Path) -> None:
    empty = tmp_path / "papers" / "empty.md"
    empty.write_text("")
    model = FakeModel(lambda _: plan_answer())
    summary = run_plans_sync(
        [*papers[:2], empty], LMPlanner(model), mode=Mode.AUTHOR, out=tmp_path / "run"
    )
    assert [r.status for r in summary.results] == ["done", "done", "failed"]
    assert summary.results[2].error
    failures = json.loads((tmp_path / "run" / "failures.json").read_text())
    assert failures[0]["source"] == str(empty)


def test_same_ids_are_made_unique_in_source_order(tmp_path: Path) -> None:
    first = write_papers(tmp_path / "a", 1)[0]
    second = write_papers(tmp_path / "b", 1)[0]
    model = FakeModel(lambda _: plan_answer())
    summary = run_plans_sync([first, second], LMPlanner(model), mode=Mode.AUTHOR)
    assert [r.paper_id for r in summary.results] == ["paper-00", "paper-00-2"]


def test_internal_errors_do_not_sink_the_batch(papers: list[Path], tmp_path: Path) -> None:
    def analyzer(paper: object) -> Analysis:
        raise RuntimeError("analysis bug")

    planner = HybridPlanner(FakeModel(lambda _: plan_answer()), analyzer=analyzer)
    summary = run_plans_sync(papers[:2], planner, mode=Mode.AUTHOR, out=tmp_path / "run")
    assert summary.count("failed") == 2
    assert "internal error" in (summary.results[0].error or "")


@pytest.mark.parametrize("k", [0, -1])
def test_bad_k_is_refused(papers: list[Path], k: int) -> None:
    from ablab.errors import AblabError

    with pytest.raises(AblabError):
        run_plans_sync(papers, LMPlanner(FakeModel([])), mode=Mode.AUTHOR, k=k)


def test_keys_never_reach_the_run_directory_or_the_cache(
    papers: list[Path], tmp_path: Path
) -> None:
    key = "sk-proj-KEYTHATMUSTSTAYSECRET42"
    answers = iter([Reply.error(401, f"Incorrect API key provided: {key}")])

    def answer(_: str) -> Reply:
        return next(answers, Reply.text(plan_answer()))

    with PlanningServer(answer=answer) as server:
        model = get_model("openai/gpt-4o", base_url=server.base_url, api_key=key, retry=FAST)
        cached = CachedModel(model, ResponseCache(tmp_path / "cache"))
        summary = run_plans_sync(
            papers[:3], LMPlanner(cached), mode=Mode.AUTHOR, out=tmp_path / "run", concurrency=1
        )
    assert summary.count("failed") == 1 and summary.count("done") == 2
    written = [p for p in tmp_path.rglob("*") if p.is_file() and "papers" not in p.parts]
    assert any(p.name == "failures.json" for p in written)
    for path in written:
        assert "KEYTHATMUSTSTAYSECRET42" not in path.read_text(encoding="utf-8"), path
    assert "KEYTHATMUSTSTAYSECRET42" not in (summary.results[0].error or "")


def test_synchronous_planners_run_in_threads_with_provenance(
    papers: list[Path], tmp_path: Path
) -> None:
    from ablab.planners import get_planner

    summary = run_plans_sync(
        papers[:2], get_planner("heuristic"), mode=Mode.AUTHOR, k=3, out=tmp_path / "run"
    )
    assert summary.count("done") == 2
    plan = summary.results[0].plan
    assert plan is not None and 0 < len(plan.ablations) <= 3
    assert plan.paper_hash and plan.versions["ablab"] and plan.versions["config"]
