"""Web app response times: the runs grid and pages over the 923 published trajectories, a plan
made through the JSON API (upload -> background job -> done), and the static report.

Run: ``.venv/bin/python bench/web_speed.py``; prints figures and writes
bench/results/web_speed.json. Needs the ``web`` extra; the published trajectories are optional.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import summary, time_call, write_results  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from ablab.report import build_report  # noqa: E402
from ablab.web.app import create_app  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "tide.md"
TRAJECTORIES = REPO.parent / "shared" / "fixtures" / "ablationbench-trajectories"


def _plan_via_api(client: TestClient) -> float:
    """Seconds from upload to a finished job."""
    start = time.perf_counter()
    with EXAMPLE.open("rb") as handle:
        job = client.post("/api/plans", files={"file": ("tide.md", handle, "text/markdown")})
    job_id = job.json()["id"]
    tick = threading.Event()
    while client.get(f"/api/jobs/{job_id}").json()["state"] not in ("done", "failed"):
        tick.wait(0.005)
    return time.perf_counter() - start


def main() -> None:
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        client = TestClient(create_app(Path(tmp) / "runs"))
        figures["plan_upload_to_done"] = summary([_plan_via_api(client) for _ in range(5)])
        figures["plan_page"] = summary(
            time_call(lambda: client.get("/runs/web-heuristic-author/tide"), repeat=10)
        )
    if TRAJECTORIES.exists():
        client = TestClient(create_app(TRAJECTORIES))
        start = time.perf_counter()
        client.get("/runs")
        first_ms = (time.perf_counter() - start) * 1000
        grid = summary(time_call(lambda: client.get("/runs"), repeat=5))
        compare = summary(time_call(lambda: client.get("/compare/simsiam"), repeat=5))
        start = time.perf_counter()
        html = build_report(TRAJECTORIES)
        report_ms = (time.perf_counter() - start) * 1000
        figures["trajectories"] = {
            "plans": len(list(TRAJECTORIES.glob("*/*.md"))),
            "runs_grid_first_ms": round(first_ms, 1),
            "runs_grid_cached": grid,
            "compare_page": compare,
            "report_ms": round(report_ms, 1),
            "report_mb": round(len(html.encode()) / 1e6, 2),
        }
    for name, value in figures.items():
        print(f"{name}: {value}")
    print(f"wrote {write_results('web_speed', figures)}")


if __name__ == "__main__":
    main()
