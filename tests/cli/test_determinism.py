"""Same papers, same plans: byte-identical files across processes with different hash seeds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PAPERS = Path(__file__).resolve().parents[2] / "examples" / "datasets" / "papers"


def _plan_files(out: Path, seed: str, mode: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    command = [sys.executable, "-c", "from ablab.cli.app import main; main()", "plan"]
    command += [str(PAPERS), "--mode", mode, "--out", str(out)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    # The plan JSON, run.json and log.jsonl carry timestamps; predictions and Markdown must not.
    files = [p for p in sorted(out.iterdir()) if p.suffix in (".jsonl", ".md")]
    return {p.name: p.read_bytes() for p in files if p.name != "log.jsonl"}


@pytest.mark.parametrize("mode", ["author", "reviewer"])
def test_plans_do_not_depend_on_the_hash_seed(tmp_path: Path, mode: str) -> None:
    first = _plan_files(tmp_path / "a", "0", mode)
    second = _plan_files(tmp_path / "b", "4242", mode)
    assert len(first) == 2 * len(list(PAPERS.glob("*.md")))
    assert first == second
