"""Paths to the example datasets the project ships."""

from __future__ import annotations

from pathlib import Path

import pytest

DATASETS = Path(__file__).resolve().parents[2] / "examples" / "datasets"


@pytest.fixture(scope="session")
def datasets_dir() -> Path:
    """``examples/datasets``: three papers, four dataset kinds, two demo runs."""
    return DATASETS
