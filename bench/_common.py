"""Helpers for benchmark scripts: timing, memory, and writing figures to bench/results/."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
REPO = Path(__file__).resolve().parents[1]


def pin_one_core() -> None:
    """Run on one core, as the speed targets are stated (where the OS allows it)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def paper_sources() -> list[Path]:
    """The bundled example, the dataset paper summaries, and the test fixture papers."""
    sources = sorted(p for p in (REPO / "examples").glob("*.md") if p.name != "README.md")
    sources += sorted((REPO / "examples" / "datasets" / "papers").glob("*/*.md"))
    fixtures = REPO / "tests" / "fixtures" / "papers"
    if fixtures.exists():
        sources += sorted(fixtures.rglob("*.md"))
        sources += sorted(p for p in fixtures.iterdir() if p.is_dir() and any(p.glob("*.tex")))
    return sources


def time_call(func: Callable[[], Any], repeat: int = 5) -> list[float]:
    """Wall-clock seconds of ``repeat`` calls (after one warm-up call)."""
    func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def summary(times: list[float]) -> dict[str, float]:
    """Median, max and min of a list of timings, in milliseconds."""
    return {
        "median_ms": round(statistics.median(times) * 1000, 2),
        "max_ms": round(max(times) * 1000, 2),
        "min_ms": round(min(times) * 1000, 2),
    }


def write_results(name: str, figures: dict[str, Any]) -> Path:
    """Write figures (with machine facts) to bench/results/<name>.json and return the path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "benchmark": name,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **figures,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2) + "\n")
    return path
