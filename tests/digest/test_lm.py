"""The LM digest writer with the fake model and with the local OpenAI-compatible replay server.

Answers are scripted per writer (the prompt names its ``Digest part``); a scripted key result
with a number the paper does not state must be caught by the check and sent back alone.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ablab.cli.app import app
from ablab.digest import parse_digest, render_digest
from ablab.digest.checks import NumberIndex
from ablab.digest.lm import UNFILLED_AFTER_REPAIRS, WRITERS, LMDigestWriter
from ablab.digest.write import DigestOutcome, awrite_digest
from ablab.models import CachedModel, FakeModel, Message, ResponseCache, get_model
from ablab.papers import load_paper
from ablab.runs import read_log
from ablab.schema import Paper
from lm_server import LocalOpenAIServer, Reply, isolated_environment

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tide.md"
GOOD_RESULTS = [
    "ImageNet-1K linear probe (ViT-S/16, 100 epochs): 76.1% top-1 vs 75.0% for ProtoCLR",
    "1% of the labels: 61.1 top-1 vs 57.9 for ProtoCLR",
    "COCO detection: 45.6 box mAP vs 45.0 for MaskAlign",
]
INVENTED = "k-NN accuracy: 72.9% vs 70.2% for ProtoCLR"  # 72.9 is not in the paper

OVERVIEW = {
    "core_contribution": "TIDE keeps self-distillation informative on small, cluttered views.",
    "tags": ["self-distillation", "prototypes", "multi-crop"],
    "primary_result": "TIDE reaches 76.1% linear-probe top-1 accuracy on ImageNet-1K.",
    "executive_summary": "Self-distillation degrades on small views.\n\nTIDE reaches 76.1%.",
    "key_results": GOOD_RESULTS,
    "not_filled": [],
}
METHOD = {
    "method_summary": "An EMA teacher and a student compare prototype assignments.",
    "mechanism": "Matching assignments is robust to small shifts of the embedding.",
    "foundational_learning": [
        {"concept": "KL divergence", "why": "compares assignments", "quick_check": "loss >= 0"},
        {"concept": "EMA teacher", "why": "stable targets", "quick_check": ""},
    ],
    "component_map": ["Elastic View Scheduler", "ViT-S/16", "Token Relevance Gate", "CVCM"],
    "critical_path": ["prototype assignments", "KL consistency"],
    "design_tradeoffs": ["KL vs JS divergence"],
    "failure_signatures": ["all tokens gated open (sparsity weight too small)"],
    "first_experiments": ["Remove the Token Relevance Gate"],
    "not_filled": [],
}
ASSESSMENT = {
    "open_questions": [{"title": "Scale", "detail": "Do the gains persist for larger backbones?"}],
    "limitations": ["About 12% more training time."],
    "confidence": [{"claim": "ImageNet results", "level": "High", "note": ""}],
    "not_filled": [{"section": "limitations", "reason": "ignored: content was given"}],
}


def _part(messages: list[dict[str, Any]] | list[Message]) -> str:
    text = "\n".join(m["content"] if isinstance(m, dict) else m.content for m in messages)
    return next(w.name for w in WRITERS if f"Digest part: {w.name}\n" in text)


def _is_repair(messages: list[dict[str, Any]] | list[Message]) -> bool:
    last = messages[-1]
    content = last["content"] if isinstance(last, dict) else last.content
    return content.startswith("Some parts of your answer failed")


def scripted(overview_results: Callable[[int], list[str]]) -> Callable[[list[Any]], str]:
    """Answers by writer; the overview's key results depend on how often it was asked."""
    asked: dict[str, int] = {}

    def answer(messages: list[Any]) -> str:
        part = _part(messages)
        asked[part] = asked.get(part, 0) + 1
        if part == "overview":
            results = overview_results(asked[part])
            if _is_repair(messages):
                return json.dumps({"key_results": results, "not_filled": []})
            return json.dumps({**OVERVIEW, "key_results": results})
        return json.dumps(METHOD if part == "method" else ASSESSMENT)

    return answer


@pytest.fixture(scope="module")
def tide() -> Paper:
    return load_paper(EXAMPLE)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for variable, value in isolated_environment().items():
        if value is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, value)
    monkeypatch.setenv("ABLAB_CACHE_DIR", str(tmp_path / "cache"))


def _write(model: Any, paper: Paper, **options: Any) -> DigestOutcome:
    return asyncio.run(awrite_digest(paper, model=model, **options))


def test_sections_come_from_the_writers(tide: Paper) -> None:
    model = FakeModel(scripted(lambda n: GOOD_RESULTS), name="fake/digest")
    outcome = _write(model, tide)
    digest = outcome.digest
    assert len(model.calls) == len(WRITERS) and outcome.repair_rounds == 0
    assert outcome.problems == [] and outcome.model == "fake/digest"
    assert digest.key_results == GOOD_RESULTS
    assert digest.core_contribution == OVERVIEW["core_contribution"]
    assert digest.tags == OVERVIEW["tags"]
    assert {f.label: f.value for f in digest.quick_facts}["Primary result"] == (
        OVERVIEW["primary_result"]
    )
    assert digest.executive_summary.count("\n\n") == 1
    assert digest.architecture.component_map == METHOD["component_map"]
    assert digest.architecture.failure_signatures == METHOD["failure_signatures"]
    assert digest.foundational_learning[1].quick_check is None  # "" means none
    assert digest.open_questions[0].title == "Scale"
    assert digest.confidence[0].level == "High" and digest.confidence[0].note is None
    assert digest.limitations == ASSESSMENT["limitations"]  # content beats a stray not_filled
    assert digest.next_checks  # from the planner, as offline
    assert digest.gaps == {}
    assert outcome.usage.requests == len(WRITERS)
    assert parse_digest(render_digest(digest)) == digest
    # Each writer asked for its own fields with a strict schema, the paper quoted once.
    for call in model.calls:
        part = _part(call.messages)
        writer = next(w for w in WRITERS if w.name == part)
        assert call.schema is not None
        properties = call.schema.json_schema["properties"]
        assert list(properties) == [*writer.fields, "not_filled"]
        user = call.messages[1].content
        assert user.count("<paper>") == 1 and "# TIDE: Teacher-Informed Distillation" in user


def test_writers_read_only_their_part_of_the_paper(tide: Paper) -> None:
    model = FakeModel(scripted(lambda n: GOOD_RESULTS), name="fake/digest")
    _write(model, tide)
    prompts = {_part(c.messages): c.messages[1].content for c in model.calls}
    assert "### Adaptive Prototype Memory\n" in prompts["method"]
    assert "Limitations and Future Work" not in prompts["method"]
    assert "Limitations and Future Work" in prompts["assessment"]
    assert "| TIDE (ours) | 100 | 76.1 | 72.4 |" in prompts["overview"]  # tables included


def test_invented_number_is_sent_back_alone_and_repaired(tide: Paper) -> None:
    assert NumberIndex.of_paper(tide).missing(INVENTED) == ["72.9%"]
    model = FakeModel(
        scripted(lambda n: [*GOOD_RESULTS, INVENTED] if n == 1 else GOOD_RESULTS),
        name="fake/digest",
    )
    outcome = _write(model, tide)
    assert outcome.repair_rounds == 1 and outcome.problems == []
    assert len(model.calls) == len(WRITERS) + 1
    repair = model.calls[-1]
    assert _part(repair.messages) == "overview" and _is_repair(repair.messages)
    assert repair.messages[-2].role == "assistant" and INVENTED in repair.messages[-2].content
    assert "72.9%" in repair.messages[-1].content
    assert repair.schema is not None
    assert list(repair.schema.json_schema["properties"]) == ["key_results", "not_filled"]
    assert outcome.digest.key_results == GOOD_RESULTS
    assert outcome.digest.core_contribution == OVERVIEW["core_contribution"]  # kept


def test_after_two_failed_repairs_the_invented_result_is_dropped(tide: Paper) -> None:
    model = FakeModel(scripted(lambda n: [*GOOD_RESULTS, INVENTED]), name="fake/digest")
    outcome = _write(model, tide)
    assert outcome.repair_rounds == 2
    assert len(model.calls) == len(WRITERS) + 2
    assert outcome.digest.key_results == GOOD_RESULTS  # checked, not trusted
    assert [p.section for p in outcome.problems] == ["key_results"]


def test_empty_section_without_reason_is_repaired_then_left_as_gap(tide: Paper) -> None:
    def answer(messages: list[Message]) -> str:
        part = _part(messages)
        if part == "assessment":
            return json.dumps({**ASSESSMENT, "open_questions": [], "not_filled": []})
        return json.dumps(OVERVIEW if part == "overview" else METHOD)

    model = FakeModel(answer, name="fake/digest")
    outcome = _write(model, tide, repairs=1)
    assert outcome.repair_rounds == 1
    assert outcome.digest.open_questions == []
    assert outcome.digest.gaps["open_questions"] == UNFILLED_AFTER_REPAIRS


def test_stated_reason_is_a_gap_and_needs_no_repair(tide: Paper) -> None:
    def answer(messages: list[Message]) -> str:
        part = _part(messages)
        if part == "assessment":
            reason = {"section": "confidence", "reason": "no variance is reported"}
            return json.dumps({**ASSESSMENT, "confidence": [], "not_filled": [reason]})
        return json.dumps(OVERVIEW if part == "overview" else METHOD)

    model = FakeModel(answer, name="fake/digest")
    outcome = _write(model, tide)
    assert outcome.repair_rounds == 0
    assert outcome.digest.gaps == {"confidence": "no variance is reported"}
    assert "_Not filled: no variance is reported_" in render_digest(outcome.digest)


def test_unreadable_answer_is_asked_again(tide: Paper) -> None:
    asked: list[str] = []

    def answer(messages: list[Message]) -> str:
        part = _part(messages)
        asked.append(part)
        if part == "method" and asked.count("method") == 1:
            return "Sorry, I cannot help with that."
        return json.dumps({"overview": OVERVIEW, "method": METHOD, "assessment": ASSESSMENT}[part])

    model = FakeModel(answer, name="fake/digest")
    outcome = _write(model, tide)
    assert outcome.repair_rounds == 1
    assert "could not be read" in model.calls[-1].messages[-1].content
    assert outcome.digest.method_summary == METHOD["method_summary"]


def test_plain_text_json_when_the_model_has_no_schema_support(tide: Paper) -> None:
    def answer(messages: list[Message]) -> str:
        part = _part(messages)
        body = {"overview": OVERVIEW, "method": METHOD, "assessment": ASSESSMENT}[part]
        return "Here you go:\n```json\n" + json.dumps(body) + ",\n```"  # fenced, trailing comma

    model = FakeModel(answer, name="fake/digest", supports_json_schema=False)
    outcome = _write(model, tide)
    assert outcome.problems == []
    assert all(call.schema is None for call in model.calls)
    assert "one JSON object only" in model.calls[0].messages[0].content
    assert outcome.digest.key_results == GOOD_RESULTS


def test_small_budget_leaves_sections_out_and_says_so(tide: Paper) -> None:
    model = FakeModel(scripted(lambda n: GOOD_RESULTS), name="fake/digest")
    outcome = _write(model, tide, paper_tokens=600)
    assert any("left out" in note for note in outcome.notes)
    for call in model.calls:
        assert "shortened to fit the context budget" in call.messages[1].content


# --- the local OpenAI-compatible server --------------------------------------------------------


@pytest.fixture
def server() -> Iterator[LocalOpenAIServer]:
    with LocalOpenAIServer() as running:
        yield running


def _responder(answer: Callable[[list[Any]], str]) -> Callable[[dict[str, Any]], Reply]:
    return lambda body: Reply.text(answer(body["messages"]))


def test_replay_server_with_a_repair_round_and_the_cache(
    server: LocalOpenAIServer, tide: Paper, tmp_path: Path
) -> None:
    server.responder = _responder(
        scripted(lambda n: [*GOOD_RESULTS, INVENTED] if n == 1 else GOOD_RESULTS)
    )
    cache = ResponseCache(tmp_path / "responses")

    def run() -> DigestOutcome:
        async def go() -> DigestOutcome:
            inner = get_model("openai/gpt-4o-mini", base_url=server.base_url)
            try:
                return await LMDigestWriter(CachedModel(inner, cache)).awrite(tide)
            finally:
                await inner.aclose()  # type: ignore[attr-defined]

        return asyncio.run(go())

    outcome = run()
    assert len(server.requests) == len(WRITERS) + 1
    assert outcome.repair_rounds == 1 and outcome.digest.key_results == GOOD_RESULTS
    assert outcome.usage.requests == len(WRITERS) + 1 and outcome.usage.input_tokens > 0
    repair = server.requests[-1].body
    schema = repair["response_format"]["json_schema"]["schema"]
    assert list(schema["properties"]) == ["key_results", "not_filled"]
    assert all("authorization" not in r.headers for r in server.requests)

    again = run()  # every request is answered from the cache: nothing sent, nothing paid
    assert len(server.requests) == len(WRITERS) + 1
    assert again.usage.requests == 0
    assert again.digest == outcome.digest


def test_cli_with_a_model_shows_cost_and_resumes(server: LocalOpenAIServer, tmp_path: Path) -> None:
    server.responder = _responder(scripted(lambda n: GOOD_RESULTS))
    out = tmp_path / "out"
    args = ["digest", str(EXAMPLE), "--model", "openai/gpt-4o-mini", "--base-url"]
    runner = CliRunner()
    result = runner.invoke(app, [*args, server.base_url, "--out", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "cost $" in result.output and f"{len(WRITERS)} requests" in result.output
    digest = parse_digest((out / "tide.digest.md").read_text(encoding="utf-8"))
    assert digest.key_results == GOOD_RESULTS
    assert digest.extra_frontmatter["model"] == "openai/gpt-4o-mini"  # the writer, not 'offline'
    record = json.loads((out / "tide.digest.json").read_text(encoding="utf-8"))
    assert record["model"] == "openai/gpt-4o-mini" and record["usage"]["requests"] == 3
    log = list(read_log(out))
    calls = [r for r in log if r["kind"] == "call"]
    assert len(calls) == len(WRITERS) and all(r["paper_id"] == "tide" for r in calls)
    assert all(r["response"] and r["messages"] for r in calls)
    assert [r["status"] for r in log if r["kind"] == "paper"] == ["done"]

    result = runner.invoke(app, [*args, server.base_url, "--out", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "skipped" in result.output
    assert len(server.requests) == len(WRITERS)  # nothing asked twice


def test_budget_stops_new_papers(server: LocalOpenAIServer, tmp_path: Path) -> None:
    server.responder = _responder(scripted(lambda n: GOOD_RESULTS))
    second = tmp_path / "tide-copy.md"
    second.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    args = ["digest", str(EXAMPLE), str(second), "--model", "openai/gpt-4o-mini", "--no-cache"]
    result = CliRunner().invoke(
        app,
        [
            *args,
            "--base-url",
            server.base_url,
            "-j",
            "1",
            "--budget",
            "0.000000001",
            "-o",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 1, result.output  # partial: one paper left for a rerun
    assert "budget reached" in result.output
    assert len(server.requests) == len(WRITERS)
    assert "not_started" in result.output


def test_model_failure_fails_the_paper_and_keeps_the_cost(
    server: LocalOpenAIServer, tide: Paper
) -> None:
    def respond(body: dict[str, Any]) -> Reply:
        if _part(body["messages"]) == "method":
            return Reply.error(400, "context length exceeded")
        return Reply.text(scripted(lambda n: GOOD_RESULTS)(body["messages"]))

    server.responder = respond
    from ablab.runs.digests import run_digests

    async def go() -> Any:
        model = get_model("openai/gpt-4o-mini", base_url=server.base_url)
        try:
            return await run_digests([EXAMPLE], model=model)
        finally:
            await model.aclose()  # type: ignore[attr-defined]

    run = asyncio.run(go())
    [result] = run.results
    assert result.status == "failed" and result.digest is None
    assert "context length exceeded" in (result.error or "")
    # The two answers received and the refused request are all counted.
    assert result.usage.requests == len(WRITERS)
    assert run.usage.requests == len(WRITERS)
    assert "--max-input-tokens" in (result.error or "")  # the refusal names the fix


def test_fake_heuristic_runs_the_whole_lm_path_offline(tide: Paper, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["digest", str(EXAMPLE), "--model", "fake/heuristic", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert f"{len(WRITERS)} requests" in result.output
    digest = parse_digest((out / "tide.digest.md").read_text(encoding="utf-8"))
    index = NumberIndex.of_paper(tide)
    assert digest.key_results and all(index.missing(r) == [] for r in digest.key_results)
    assert "Cross-View Consistency Module (CVCM)" in digest.architecture.component_map
    # What the offline digest cannot fill comes back as "not filled", with its reason.
    assert "architecture.failure_signatures" in digest.gaps


def test_a_digest_batch_reads_two_papers_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Reading is CPU work under the GIL: eight workers reading at once would hold back the
    # papers whose turn it is (the plan batch reads two at a time too).
    import threading
    import time

    from ablab.runs import digests, readers

    reading, most = [0], [0]
    lock = threading.Lock()
    real_load = readers.load_source

    def counting_load(*args: Any, **kwargs: Any) -> Paper:
        with lock:
            reading[0] += 1
            most[0] = max(most[0], reading[0])
        try:
            time.sleep(0.02)  # long enough for the other workers to start reading meanwhile
            return real_load(*args, **kwargs)
        finally:
            with lock:
                reading[0] -= 1

    monkeypatch.setattr(readers, "load_source", counting_load)
    papers = []
    for n in range(8):
        path = tmp_path / f"paper-{n}.md"
        path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
        papers.append(path)
    model = FakeModel(scripted(lambda n: GOOD_RESULTS), name="fake/digest")
    run = asyncio.run(digests.run_digests(papers, model=model, concurrency=8))
    assert [r.status for r in run.results] == ["done"] * 8
    assert most[0] == 2
