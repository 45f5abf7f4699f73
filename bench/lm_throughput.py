"""Throughput of the batch runner against the local server with simulated model latency.

For each concurrency the runner plans ``max(4, 2 * concurrency)`` papers through the real openai
client, writing a run directory; every request takes ``--latency`` seconds on the server, which
runs in its own process (so that it does not share the runner's interpreter lock). The ideal wall
time is ``ceil(papers / concurrency) * latency``; the ratio ideal / measured says how close the
runner gets to perfect overlap (1.0). A warm-up batch (imports, first connection) is not timed.
Prints the figures and writes bench/results/lm_throughput.json.

    .venv/bin/python bench/lm_throughput.py [--latency 2] [--concurrency 1 4 16 64]
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the local test server

from _common import write_results  # noqa: E402

from ablab.models import RetryPolicy, get_model  # noqa: E402
from ablab.papers import paper_from_markdown  # noqa: E402
from ablab.planners.lm import LMPlanner  # noqa: E402
from ablab.runs import run_plans_sync  # noqa: E402
from ablab.schema import Mode  # noqa: E402
from lm_server import LocalOpenAIServer, Reply, plan_answer  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tide.md"


def _answer(_: dict[str, object]) -> Reply:
    return Reply.text(plan_answer())


def _serve(latency: float, ports: multiprocessing.Queue, stop: multiprocessing.Event) -> None:
    with LocalOpenAIServer(_answer, latency=latency) as server:
        ports.put(server.base_url)
        stop.wait(600)


def _plan_batch(base_url: str, count: int, concurrency: int, latency: float) -> float:
    text = EXAMPLE.read_text(encoding="utf-8")
    papers = [paper_from_markdown(text, paper_id=f"tide-{n:03d}") for n in range(count)]
    model = get_model(
        "openai/gpt-4o",
        base_url=base_url,
        timeout=max(30.0, latency * 10),
        retry=RetryPolicy(max_attempts=2),
    )
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        summary = run_plans_sync(
            papers, LMPlanner(model), mode=Mode.REVIEWER, out=Path(out), concurrency=concurrency
        )
        elapsed = time.perf_counter() - started
    assert summary.count("done") == count, "every paper must be planned"
    return elapsed


def measure(concurrency: int, latency: float) -> dict[str, float]:
    """Plan a batch at ``concurrency`` and compare with the ideal overlap."""
    count = max(4, 2 * concurrency)
    ports: multiprocessing.Queue = multiprocessing.Queue()
    stop = multiprocessing.Event()
    server = multiprocessing.Process(target=_serve, args=(latency, ports, stop), daemon=True)
    server.start()
    try:
        base_url = ports.get(timeout=30)
        _plan_batch(base_url, 2, 2, latency)  # warm-up: imports and first connection
        elapsed = _plan_batch(base_url, count, concurrency, latency)
    finally:
        stop.set()
        server.join(timeout=10)
    ideal = math.ceil(count / concurrency) * latency
    return {
        "concurrency": concurrency,
        "papers": count,
        "seconds": round(elapsed, 3),
        "ideal_seconds": ideal,
        "papers_per_minute": round(count / elapsed * 60, 1),
        "ideal_papers_per_minute": round(count / ideal * 60, 1),
        "ratio_to_ideal": round(ideal / elapsed, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16, 64])
    args = parser.parse_args()
    rows = [measure(c, args.latency) for c in args.concurrency]
    print(f"latency {args.latency} s per request")
    print(f"{'conc':>5} {'papers':>6} {'seconds':>8} {'ideal':>6} {'p/min':>7} {'ratio':>6}")
    for r in rows:
        print(
            f"{r['concurrency']:>5} {r['papers']:>6} {r['seconds']:>8.2f} "
            f"{r['ideal_seconds']:>6.1f} {r['papers_per_minute']:>7.1f} {r['ratio_to_ideal']:>6.3f}"
        )
    path = write_results("lm_throughput", {"latency_s": args.latency, "runs": rows})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
