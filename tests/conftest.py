"""Shared test fixtures: paths to the project's data and the shared benchmark data."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TRAJECTORIES = SHARED / "fixtures" / "ablationbench-trajectories"
SEEDS = SHARED / "seeds"
EXAMPLES = REPO / "examples"
DATASETS = EXAMPLES / "datasets"


def _need(path: Path) -> Path:
    """Return ``path``; skip when the shared data is absent, except in CI where it must be there."""
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"shared data missing in CI: {path}")
        pytest.skip(f"shared data not present: {path}")
    return path


@pytest.fixture(scope="session")
def trajectories_dir() -> Path:
    """The published AblationBench trajectories (../shared/fixtures)."""
    return _need(TRAJECTORIES)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The seed documents (../shared/seeds)."""
    return _need(SEEDS)


@pytest.fixture(scope="session")
def datasets_dir() -> Path:
    """``examples/datasets``: three papers, four dataset kinds, two demo runs."""
    return DATASETS


@pytest.fixture(autouse=True)
def _private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    """Model answers cached by a test go to a folder of the test run, never the user's cache."""
    if "ABLAB_CACHE_DIR" not in os.environ:
        monkeypatch.setenv("ABLAB_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any attempt to open a connection to a non-local address."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in {"127.0.0.1", "localhost", "::1"}
            and not (host.startswith("127.") or self.family == socket.AF_UNIX)
        ):
            raise RuntimeError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _fresh_dialects() -> None:
    """Forget which structured-output form each endpoint accepted (ports are reused)."""
    from ablab.models.dialects import forget_dialects

    forget_dialects()
