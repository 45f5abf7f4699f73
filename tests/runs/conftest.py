"""Fixtures of the batch-run tests: isolation, a folder of papers and a plan-answering server."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from lm_server import LocalOpenAIServer, Reply, isolated_environment, plan_answer

PAPER = (Path(__file__).resolve().parents[1] / "lm" / "fixtures" / "gated_memory.md").read_text(
    encoding="utf-8"
)
_TITLE_RE = re.compile(r"^# (.+)$", re.M)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for variable, value in isolated_environment().items():
        if value is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, value)
    monkeypatch.setenv("ABLAB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


def write_papers(folder: Path, count: int) -> list[Path]:
    """``count`` Markdown papers ``paper-00.md``... whose titles end in ``Variant NN``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"paper-{n:02d}.md"
        path.write_text(PAPER.replace("\n", f" Variant {n:02d}\n", 1), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def papers(tmp_path: Path) -> list[Path]:
    """Six small papers in tmp/papers."""
    return write_papers(tmp_path / "papers", 6)


class PlanningServer(LocalOpenAIServer):
    """A local server that answers every planning request with a valid plan and counts, per
    paper (by the ``Variant NN`` in its title), the requests it received."""

    def __init__(self, *, latency: float = 0.0, answer: Callable[[str], Reply] | None = None):
        super().__init__(self._respond, latency=latency)
        self.per_paper: Counter[str] = Counter()
        self.answer = answer or (lambda variant: Reply.text(plan_answer()))
        self._count_lock = threading.Lock()

    def _respond(self, body: dict[str, Any]) -> Reply:
        text = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
        match = re.search(r"Variant (\d+)", text)
        variant = match.group(1) if match else "?"
        with self._count_lock:
            self.per_paper[variant] += 1
        return self.answer(variant)


@pytest.fixture
def planning_server() -> Iterator[PlanningServer]:
    """A server that plans any paper and counts requests per paper."""
    with PlanningServer() as server:
        yield server
