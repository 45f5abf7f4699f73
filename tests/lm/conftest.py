"""Fixtures of the language-model planner tests: isolation from real providers and a paper."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ablab.papers import paper_from_markdown
from ablab.schema import Paper
from lm_server import LocalOpenAIServer, isolated_environment

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for variable, value in isolated_environment().items():
        if value is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, value)
    monkeypatch.setenv("ABLAB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def paper() -> Paper:
    """A short fictional paper with a method, experiments, an ablation section and references."""
    text = (FIXTURES / "gated_memory.md").read_text(encoding="utf-8")
    return paper_from_markdown(text, paper_id="gated-memory")


@pytest.fixture
def server() -> Iterator[LocalOpenAIServer]:
    """A local OpenAI-compatible server with an empty script."""
    with LocalOpenAIServer() as running:
        yield running
