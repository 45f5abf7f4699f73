"""Paths to the paper fixtures written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "papers"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """tests/fixtures/papers."""
    return FIXTURES
