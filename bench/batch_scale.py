"""Does a batch stay linear? Offline ``run_plans`` over N small papers into a run directory.

For each N, in a fresh interpreter: seconds per paper over the first and the last quarter of the
batch (equal when the cost per paper is flat), peak memory (of the batch's process, and of the
largest reader process it started, if any), and the time a rerun takes to find that nothing is
left to do (resume). ``--before SRC`` runs the same with another checkout's
``src`` on ``PYTHONPATH`` (same interpreter), side by side. The papers are the synthetic
one-page paper of bench/synthetic.py with a different seed each.

    .venv/bin/python bench/batch_scale.py --sizes 100 1000 2000 --before /work/main/src
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import REPO, write_results  # noqa: E402
from synthetic import synthetic_paper  # noqa: E402

ONE_RUN = """
import inspect, json, resource, sys, time
from pathlib import Path
from ablab.planners import get_planner
from ablab.runs import run_plans, run_plans_sync
from ablab.schema import Mode
folder, out = Path(sys.argv[1]), Path(sys.argv[2])
papers = sorted(folder.glob("*.md"))
stamps = []
# Plans stay in the run directory, not in memory, where the engine allows it (as the CLI does).
flat = {"keep_plans": False} if "keep_plans" in inspect.signature(run_plans).parameters else {}
started = time.perf_counter()
summary = run_plans_sync(papers, get_planner("heuristic"), mode=Mode.AUTHOR, out=out,
                         concurrency=2, on_event=lambda e: stamps.append(time.perf_counter()),
                         **flat)
elapsed = time.perf_counter() - started
quarter = max(1, len(stamps) // 4)
first = (stamps[quarter - 1] - started) / quarter
last = (stamps[-1] - stamps[-quarter - 1]) / quarter
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
readers_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
again = time.perf_counter()
rerun = run_plans_sync(papers, get_planner("heuristic"), mode=Mode.AUTHOR, out=out, concurrency=2)
print(json.dumps({"seconds": elapsed, "first_quarter_ms": first * 1000,
                  "last_quarter_ms": last * 1000, "peak_rss_mb": rss,
                  "reader_peak_rss_mb": readers_rss,
                  "resume_s": time.perf_counter() - again, "skipped": rerun.count("skipped"),
                  "done": summary.count("done"), "failed": summary.count("failed")}))
"""


def _run(folder: Path, src: Path) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(
            [sys.executable, "-c", ONE_RUN, str(folder), f"{out}/run"],
            env={**os.environ, "PYTHONPATH": str(src)},
            capture_output=True,
            text=True,
        )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1][:300]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 2000])
    parser.add_argument("--before", type=Path, help="src folder of the version to compare with")
    args = parser.parse_args()
    sides = {"after": REPO / "src", **({"before": args.before} if args.before else {})}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            folder = Path(tmp) / f"papers-{size}"
            folder.mkdir()
            for n in range(size):
                (folder / f"p{n:05d}.md").write_text(synthetic_paper(1, seed=n), encoding="utf-8")
            for label, src in sides.items():
                figures = {"papers": size, "version": label, **_run(folder, src)}
                rows.append(figures)
                print(
                    json.dumps(
                        {k: round(v, 2) if isinstance(v, float) else v for k, v in figures.items()}
                    )
                )
    write_results("batch_scale", {"runs": rows})


if __name__ == "__main__":
    main()
