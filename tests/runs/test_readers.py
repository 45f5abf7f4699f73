"""Papers read in a reader process: same papers, same errors, crashes contained, no orphans."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from ablab.errors import PaperError
from ablab.models import FakeModel
from ablab.papers import load_paper
from ablab.papers import reader_process as reader_process_module
from ablab.papers.reader_process import ReaderCrashed, ReaderProcess
from ablab.planners.lm import LMPlanner
from ablab.runs import readers as readers_module
from ablab.runs import run_plans_sync
from ablab.runs.readers import PaperReader
from ablab.schema import Mode
from lm_server import plan_answer

from .conftest import write_papers

pytestmark = pytest.mark.skipif(not reader_process_module.supported(), reason="POSIX only")

SRC = Path(__file__).resolve().parents[2] / "src"


def _lm_planner() -> LMPlanner:
    """A model planner: only model batches read in a reader process."""
    return LMPlanner(FakeModel(lambda _: plan_answer()))


def _wait_ready(process: ReaderProcess) -> None:
    deadline = time.monotonic() + 60
    while not process.poll_ready():
        assert time.monotonic() < deadline, "the reader process did not start"
        time.sleep(0.02)


def test_a_reader_process_reads_the_same_paper_as_the_caller(tmp_path: Path) -> None:
    path = write_papers(tmp_path, 1)[0]
    process = ReaderProcess()
    try:
        paper = process.read(path, "some-id")
    finally:
        process.close()
    assert paper == load_paper(path, paper_id="some-id")


def test_a_reader_process_raises_the_readers_own_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(PaperError) as in_caller:
        load_paper(empty)
    process = ReaderProcess()
    try:
        with pytest.raises(PaperError) as in_process:
            process.read(empty, "empty")
        # The process goes on after an error.
        assert process.read(write_papers(tmp_path / "ok", 1)[0], "ok").id == "ok"
    finally:
        process.close()
    assert str(in_process.value) == str(in_caller.value)


def test_a_dead_reader_process_is_reported_not_waited_for(tmp_path: Path) -> None:
    process = ReaderProcess()
    try:
        _wait_ready(process)
        process._process.kill()
        process._process.wait()
        with pytest.raises(ReaderCrashed):
            process.read(write_papers(tmp_path, 1)[0], "x")
    finally:
        process.close()


def test_a_crash_fails_only_the_paper_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers_module, "PROCESS_MIN_PAPERS", 1)
    first, second = write_papers(tmp_path, 2)

    async def scenario() -> tuple[str, str]:
        reader = PaperReader([first, second], model=True)
        try:
            await reader.read(first, "first")  # starts the process (read in a thread meanwhile)
            deadline = time.monotonic() + 60
            while not reader._processes_up():
                assert time.monotonic() < deadline, "the reader process did not start"
                await asyncio.sleep(0.02)
            victim = reader._processes[0]._process
            victim.kill()  # as a segfault in a PDF library would
            victim.wait()
            with pytest.raises(PaperError, match="crashed the reader") as crashed:
                await reader.read(first, "first")
            after = await reader.read(second, "second")  # a new process takes over
            return str(crashed.value), after.id
        finally:
            reader.close()

    message, paper_id = asyncio.run(scenario())
    assert str(first) in message
    assert paper_id == "second"


def test_a_large_batch_reads_in_a_reader_process_and_plans_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    papers = write_papers(tmp_path / "papers", 4)
    in_threads = run_plans_sync(papers, _lm_planner(), mode=Mode.AUTHOR)
    monkeypatch.setattr(readers_module, "PROCESS_MIN_PAPERS", 1)
    read_in_process: list[str] = []
    real_read = ReaderProcess.read

    def counting_read(self: ReaderProcess, path: Path, paper_id: str) -> Any:
        read_in_process.append(paper_id)
        return real_read(self, path, paper_id)

    monkeypatch.setattr(ReaderProcess, "read", counting_read)
    # Papers are read in a thread until the process is up: wait for it before the batch.
    real_poll = ReaderProcess.poll_ready

    def waiting_poll(self: ReaderProcess) -> bool:
        deadline = time.monotonic() + 60
        while not real_poll(self):
            assert time.monotonic() < deadline, "the reader process did not start"
            time.sleep(0.02)
        return True

    monkeypatch.setattr(ReaderProcess, "poll_ready", waiting_poll)
    in_process = run_plans_sync(papers, _lm_planner(), mode=Mode.AUTHOR)
    assert read_in_process == [p.stem for p in papers]
    assert _plans(in_process) == _plans(in_threads)


def _plans(summary: Any) -> list[dict[str, Any]]:
    return [r.plan.model_dump(exclude={"created_at"}) for r in summary.results]


def test_no_reader_process_means_reads_in_threads_and_no_noise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # An interpreter that cannot run the reader (a frozen app, a broken install).
    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\necho noise-out\necho noise-err >&2\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setattr(readers_module, "PROCESS_MIN_PAPERS", 1)
    monkeypatch.setattr(reader_process_module.sys, "executable", str(broken))
    papers = write_papers(tmp_path / "papers", 3)
    summary = run_plans_sync(papers, _lm_planner(), mode=Mode.AUTHOR)
    assert [r.status for r in summary.results] == ["done"] * 3
    out, err = capfd.readouterr()
    assert "noise" not in out + err


def test_a_script_without_a_main_guard_runs_once(tmp_path: Path) -> None:
    # multiprocessing's spawn would run the caller's script again in the child.
    papers = write_papers(tmp_path / "papers", 3)
    script = tmp_path / "unguarded.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import json
            from pathlib import Path
            from ablab.models import FakeModel
            from ablab.planners.lm import LMPlanner
            from ablab.runs import readers, run_plans_sync
            from ablab.schema import Mode
            print("script ran", flush=True)
            readers.PROCESS_MIN_PAPERS = 1
            answer = json.dumps({{"ablations": [], "reasoning": "none"}})
            papers = sorted(Path({str(tmp_path / "papers")!r}).glob("*.md"))
            model = FakeModel(lambda _: answer)
            summary = run_plans_sync(papers, LMPlanner(model), mode=Mode.AUTHOR)
            print(summary.count("done") + summary.count("failed"), flush=True)
            """
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["script ran", str(len(papers))]


def test_the_reader_process_leaves_with_its_parent(tmp_path: Path) -> None:
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, signal, sys, time\n"
            "from ablab.papers.reader_process import ReaderProcess\n"
            "process = ReaderProcess()\n"
            "print(process._process.pid, flush=True)\n"
            "while not process.poll_ready(): time.sleep(0.02)\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n",
        ],
        env={**os.environ, "PYTHONPATH": str(SRC)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.wait(timeout=60)
    deadline = time.monotonic() + 30
    while _alive(child):
        assert time.monotonic() < deadline, "the reader process outlived its parent"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by init) is gone for our purpose.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")
