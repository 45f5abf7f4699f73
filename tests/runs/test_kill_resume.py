"""Kill ``ablab plan`` with SIGKILL mid-run, run it again: every paper once, none redone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ablab.runs.files import load_plan, read_plans_index

from .conftest import PlanningServer, write_papers

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")


def _command(papers: Path, out: Path, base_url: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from ablab.cli.app import main; main()",
        "plan",
        str(papers),
        "--model",
        "openai/gpt-4o",
        "--base-url",
        base_url,
        "--mode",
        "reviewer",
        "--concurrency",
        "2",
        "--no-cache",
        "--out",
        str(out),
    ]


def _finished(out: Path) -> set[str]:
    """Papers whose last file (``.plan.json``) is written: complete, whatever plans.json says."""
    if not out.exists():
        return set()
    return {path.name.removesuffix(".plan.json") for path in out.glob("*.plan.json")}


def test_killed_run_resumes_without_redoing_or_duplicating(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    write_papers(folder, 10)
    out = tmp_path / "run"
    env = {**os.environ, "ABLAB_CACHE_DIR": str(tmp_path / "cache")}
    with PlanningServer(latency=0.25) as server:
        process = subprocess.Popen(
            _command(folder, out, server.base_url),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while len(_finished(out)) < 3:
            assert process.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "no progress"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        finished_before = _finished(out)
        assert 3 <= len(finished_before) < 10
        assert set(read_plans_index(out) if (out / "plans.json").exists() else {}) <= (
            finished_before  # the index never lists a paper whose files are not all there
        )

        rerun = subprocess.run(
            _command(folder, out, server.base_url), env=env, capture_output=True, text=True
        )
        assert rerun.returncode == 0, rerun.stderr
        assert "already done" in rerun.stderr

        index = read_plans_index(out)
        assert sorted(index) == [f"paper-{n:02d}" for n in range(10)]
        for paper_id in index:
            lines = (out / f"{paper_id}.jsonl").read_text().splitlines()
            assert lines and all(json.loads(line)["ablated_part"] for line in lines)
            assert load_plan(out / f"{paper_id}.plan.json").paper_id == paper_id
        for paper_id in finished_before:
            assert server.per_paper[paper_id.removeprefix("paper-")] == 1  # not asked again
        assert set(server.per_paper) == {f"{n:02d}" for n in range(10)}
