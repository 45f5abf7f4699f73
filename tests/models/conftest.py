"""Keep model tests away from real providers: no keys, unreachable default endpoints, own cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lm_server import LocalOpenAIServer, isolated_environment


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for variable, value in isolated_environment().items():
        if value is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, value)
    monkeypatch.setenv("ABLAB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout


@pytest.fixture
def server() -> Iterator[LocalOpenAIServer]:
    """A local OpenAI-compatible server with an empty script."""
    with LocalOpenAIServer() as running:
        yield running
