"""Same papers, same plans: byte-identical files across processes with different hash seeds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PAPERS = Path(__file__).resolve().parents[2] / "examples" / "datasets" / "papers"


def _plan_files(out: Path, seed: str, mode: str) -> tuple[dict[str, bytes], list[str]]:
    """The plan files written and the one-line errors of the papers that got no plan."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    command = [sys.executable, "-c", "from ablab.cli.app import main; main()", "plan"]
    command += [str(PAPERS), "--mode", mode, "--out", str(out)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    # A paper with no sound candidate fails with a clear error (exit 1), never a guessed plan.
    assert done.returncode in (0, 1), done.stderr
    failed = sorted(line for line in done.stderr.splitlines() if line.startswith("error:"))
    assert all("no sound ablation" in line for line in failed), done.stderr
    # The plan JSON, run.json and log.jsonl carry timestamps; predictions and Markdown must not.
    files = [p for p in sorted(out.iterdir()) if p.suffix in (".jsonl", ".md")]
    return {p.name: p.read_bytes() for p in files if p.name != "log.jsonl"}, failed


@pytest.mark.parametrize("mode", ["author", "reviewer"])
def test_plans_do_not_depend_on_the_hash_seed(tmp_path: Path, mode: str) -> None:
    first, first_failed = _plan_files(tmp_path / "a", "0", mode)
    second, second_failed = _plan_files(tmp_path / "b", "4242", mode)
    papers = len(list(PAPERS.glob("*/*.md")))
    assert len(first_failed) < papers / 2  # most papers are planned
    # a planned paper has .jsonl and .md; a failed one an empty .jsonl (for AblationBench)
    assert len(first) == 2 * (papers - len(first_failed)) + len(first_failed)
    assert sum(content == b"" for content in first.values()) == len(first_failed)
    assert first == second
    assert first_failed == second_failed
