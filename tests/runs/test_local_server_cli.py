"""``ablab plan`` and ``ablab digest`` against servers with other structured-output dialects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from ablab.cli.app import app
from lm_server import LocalOpenAIServer, Reply, plan_answer

runner = CliRunner()


def llama_cpp_python(body: dict[str, Any]) -> Reply:
    """Answers like llama-cpp-python's server: json_schema is an internal error there."""
    form = body.get("response_format") or {}
    if form.get("type") not in (None, "text", "json_object"):
        return Reply(
            status=500,
            body={
                "error": {
                    "message": f"response_format: unsupported type {form.get('type')!r}",
                    "type": "internal_server_error",
                }
            },
        )
    return Reply.text(plan_answer())


def said(text: str) -> str:
    return " ".join(text.split())


def test_llamacpp_preset_plans_through_llama_cpp_python(papers: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "run"
    with LocalOpenAIServer(llama_cpp_python) as server:
        result = runner.invoke(
            app,
            [
                "plan",
                *map(str, papers[:3]),
                "--model",
                "llamacpp/local",
                "--base-url",
                server.base_url,
                "--out",
                str(out),
                "-j",
                "1",
                "--max-output-tokens",
                "700",
                "--timeout",
                "30",
            ],
        )
        forms = [(r.body.get("response_format") or {}).get("type") for r in server.requests]
        max_tokens = {r.body.get("max_tokens") for r in server.requests}
    assert result.exit_code == 0, result.output
    assert "3 planned" in said(result.stderr)
    # One refusal, then every request in the accepted form: no retry storm.
    assert forms == ["json_schema", "json_object", "json_object", "json_object"]
    assert max_tokens == {700}
    assert "4 requests" in said(result.stderr)  # the refused request is counted


def test_structured_text_sends_no_response_format(papers: list[Path]) -> None:
    with LocalOpenAIServer(lambda body: Reply.text(plan_answer())) as server:
        result = runner.invoke(
            app,
            [
                "plan",
                str(papers[0]),
                "--model",
                "vllm/m",
                "--base-url",
                server.base_url,
                "--structured",
                "text",
                "-f",
                "jsonl",
            ],
        )
        bodies = [r.body for r in server.requests]
    assert result.exit_code == 0, result.output
    assert all("response_format" not in body for body in bodies)


def test_every_paper_failing_because_of_the_model_exits_1(
    papers: list[Path], tmp_path: Path
) -> None:
    refusing = Reply.error(401, "invalid api key")
    with LocalOpenAIServer(lambda body: refusing) as server:
        result = runner.invoke(
            app,
            [
                "plan",
                *map(str, papers[:2]),
                "--model",
                "vllm/m",
                "--base-url",
                server.base_url,
                "--out",
                str(tmp_path / "run"),
            ],
        )
    assert result.exit_code == 1, result.output
    failures = json.loads((tmp_path / "run" / "failures.json").read_text())
    assert len(failures) == 2 and all(f["usage"]["requests"] == 1 for f in failures)


def test_every_paper_unreadable_still_exits_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("")
    result = runner.invoke(app, ["plan", str(empty), "--model", "fake/heuristic"])
    assert result.exit_code == 2


def test_digest_through_llama_cpp_python_and_model_failures_exit_1(
    papers: list[Path], tmp_path: Path
) -> None:
    def answer(body: dict[str, Any]) -> Reply:
        form = body.get("response_format") or {}
        if form.get("type") == "json_schema":
            return llama_cpp_python(body)
        return Reply.error(401, "invalid api key")

    with LocalOpenAIServer(answer) as server:
        result = runner.invoke(
            app,
            [
                "digest",
                str(papers[0]),
                "--model",
                "llamacpp/local",
                "--base-url",
                server.base_url,
                "--out",
                str(tmp_path / "digests"),
            ],
        )
        forms = [(r.body.get("response_format") or {}).get("type") for r in server.requests]
    assert result.exit_code == 1, result.output
    # The three section writers ask at once, so each may meet the refusal once (the server may
    # record a writer's fallback before another writer's first request); after that nothing is
    # asked in the refused form again.
    assert 1 <= forms.count("json_schema") <= 3
    assert forms.count("json_object") >= 1 and forms[-1] == "json_object"
