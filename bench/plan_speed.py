"""Offline planning speed and memory: bundled + fixture papers, and a 60-page synthetic paper.

Run: ``.venv/bin/python bench/plan_speed.py``; prints figures and writes
bench/results/plan_speed.json.
Target: a 60-page paper planned in under 1 s on one core.
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    REPO,
    paper_sources,
    pin_one_core,
    summary,
    time_call,
    write_results,
)
from synthetic import synthetic_paper  # noqa: E402

from ablab.api import plan_paper  # noqa: E402
from ablab.formats.trajectory import parse_trajectory, render_trajectory  # noqa: E402
from ablab.papers import load_paper, paper_from_markdown  # noqa: E402
from ablab.schema import Mode  # noqa: E402

TRAJECTORIES = REPO.parent / "shared" / "fixtures" / "ablationbench-trajectories"


def main() -> None:
    pin_one_core()
    per_paper: dict[str, dict[str, float]] = {}
    all_times: list[float] = []
    for source in paper_sources():
        try:
            paper = load_paper(source)
        except Exception as exc:  # a fixture meant to fail loading is not a planning figure
            print(f"skip {source.name}: {exc}")
            continue
        for mode in Mode:
            times = time_call(lambda p=paper, m=mode: plan_paper(p, mode=m), repeat=5)
            per_paper[f"{source.name}:{mode.value}"] = summary(times)
            all_times.extend(times)

    pages = 60
    text = synthetic_paper(pages)
    load_times = time_call(lambda: paper_from_markdown(text, paper_id="synthetic60"), repeat=3)
    big = paper_from_markdown(text, paper_id="synthetic60")
    plan_times = {
        mode.value: summary(time_call(lambda m=mode: plan_paper(big, mode=m), repeat=3))
        for mode in Mode
    }
    end_to_end = time_call(
        lambda: plan_paper(paper_from_markdown(text, paper_id="s"), mode=Mode.REVIEWER), repeat=3
    )
    tracemalloc.start()
    plan_paper(paper_from_markdown(text, paper_id="synthetic60"), mode=Mode.REVIEWER)
    _, peak_traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    files = sorted(TRAJECTORIES.glob("*/*.md"))
    texts = [f.read_text("utf-8") for f in files]
    start = time.perf_counter()
    for t in texts:
        render_trajectory(parse_trajectory(t))
    round_trip_s = time.perf_counter() - start

    figures = {
        "papers": per_paper,
        "all_papers": summary(all_times) if all_times else {},
        "synthetic_60_pages": {
            "words": len(text.split()),
            "load_ms": summary(load_times),
            "plan_ms": plan_times,
            "load_and_plan_reviewer_ms": summary(end_to_end),
            "peak_traced_mb": round(peak_traced / 2**20, 1),
        },
        "process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "trajectories_parse_render": {
            "files": len(files),
            "total_s": round(round_trip_s, 3),
            "per_file_ms": round(round_trip_s / max(len(files), 1) * 1000, 3),
        },
    }
    path = write_results("plan_speed", figures)
    print(f"papers (median/max over {len(all_times)} timed plans): {figures['all_papers']}")
    print(f"60-page synthetic ({figures['synthetic_60_pages']['words']} words):")
    print(f"  load {summary(load_times)}")
    print(f"  plan {plan_times}")
    print(f"  load+plan reviewer {summary(end_to_end)}")
    print(f"  peak traced memory {figures['synthetic_60_pages']['peak_traced_mb']} MB")
    print(f"process max RSS {figures['process_max_rss_mb']} MB")
    print(f"parse+render {len(files)} trajectories: {round_trip_s:.3f} s")
    print(f"written to {path}")


if __name__ == "__main__":
    main()
