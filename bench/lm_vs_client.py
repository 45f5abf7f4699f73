"""ablab's batch path against a plain loop over the same openai client, at the same concurrency.

A local OpenAI-compatible server (its own process) answers every request after ``--latency``
seconds. For each concurrency ``j``, ``--papers`` distinct Markdown papers are planned twice:

- **client**: a plain asyncio loop, ``j`` requests in flight, over ``openai.AsyncOpenAI`` with the
  request bodies ablab sends (prompts and JSON-schema response format, built beforehand, not
  timed) -- the best a caller can do;
- **ablab**: ``run_plans`` over the paper files as ``ablab plan DIR --model ... -j j --out RUN``
  runs them: reading each paper, the response cache (a fresh folder, so every request is sent),
  the call log, the run directory.

Prints papers per minute and the ratio ablab / client. ``--before SRC`` runs the ablab side
again with another checkout's ``src`` on ``PYTHONPATH`` (same interpreter), side by side.

    .venv/bin/python bench/lm_vs_client.py --before /work/main/src
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the local test server

from _common import REPO, write_results  # noqa: E402

from lm_server import LocalOpenAIServer, Reply, plan_answer  # noqa: E402

EXAMPLE = REPO / "examples" / "tide.md"


def _answer(_: dict[str, object]) -> Reply:
    return Reply.text(plan_answer())


def _serve(latency: float, ports: multiprocessing.Queue, stop: multiprocessing.Event) -> None:
    with LocalOpenAIServer(_answer, latency=latency) as server:
        ports.put(server.base_url)
        stop.wait(3600)


def _write_papers(folder: Path, count: int) -> list[Path]:
    text = EXAMPLE.read_text(encoding="utf-8")
    paths = []
    for n in range(count):
        path = folder / f"paper-{n:04d}.md"
        path.write_text(text.replace("\n", f" (copy {n})\n", 1), encoding="utf-8")
        paths.append(path)
    return paths


def _client_loop(base_url: str, papers: list[Path], concurrency: int) -> float:
    """Seconds for a plain openai loop sending ablab's requests, ``concurrency`` at a time.

    Each request is the body ablab sends for the paper (its prompts and its JSON-schema
    response format), built by ablab's own request builder, so both sides ask for the same."""
    import openai

    from ablab.models import get_model
    from ablab.papers import load_paper
    from ablab.planners.lm import LMPlanner
    from ablab.planners.lm_prompts import PLAN_SCHEMA
    from ablab.schema import Mode

    model = get_model("openai/gpt-4o", base_url=base_url)
    planner = LMPlanner(model)
    structured = model.supports_json_schema
    requests = [
        model._request(  # noqa: SLF001 - the very body ablab's model sends
            planner.build_messages(load_paper(p), Mode.REVIEWER, 2, structured=structured)[0],
            PLAN_SCHEMA if structured else None,
            planner.params,
            "json_schema",
        )
        for p in papers
    ]

    async def run() -> float:
        client = openai.AsyncOpenAI(api_key="none", base_url=base_url, max_retries=2, timeout=60)
        gate = asyncio.Semaphore(concurrency)

        async def one(request: dict[str, Any]) -> None:
            async with gate:
                await client.chat.completions.create(**request)

        started = time.perf_counter()
        await asyncio.gather(*(one(m) for m in requests))
        elapsed = time.perf_counter() - started
        await client.close()
        return elapsed

    return asyncio.run(run())


ABLAB_SIDE = """
import json, sys, time
from pathlib import Path
from ablab.models import CachedModel, ResponseCache, RetryPolicy, get_model
from ablab.planners.lm import LMPlanner
from ablab.runs import run_plans_sync
from ablab.schema import Mode
base_url, folder, out, cache, concurrency = sys.argv[1:6]
papers = sorted(Path(folder).glob("*.md"))
model = get_model("openai/gpt-4o", base_url=base_url, timeout=60, retry=RetryPolicy(max_attempts=2))
model = CachedModel(model, ResponseCache(Path(cache)))
started = time.perf_counter()
summary = run_plans_sync(papers, LMPlanner(model), mode=Mode.REVIEWER, out=Path(out),
                         concurrency=int(concurrency))
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "done": summary.count("done")}))
"""


def _ablab_run(base_url: str, folder: Path, concurrency: int, src: Path) -> float:
    """Seconds for the ablab batch path over the paper files (fresh cache and run folder)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(src)}
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                ABLAB_SIDE,
                base_url,
                str(folder),
                f"{tmp}/run",
                f"{tmp}/c",
                str(concurrency),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    count = len(list(folder.glob("*.md")))
    assert figures["done"] == count, f"only {figures['done']} of {count} papers planned"
    return float(figures["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--papers", type=int, default=256, help="most papers per concurrency")
    parser.add_argument(
        "--waves",
        type=int,
        default=4,
        help="papers per concurrency j: waves * j (the first wave also pays for reading papers)",
    )
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32, 64])
    parser.add_argument("--before", type=Path, help="src folder of the version to compare with")
    args = parser.parse_args()
    sides = {"after": REPO / "src", **({"before": args.before} if args.before else {})}
    ports: multiprocessing.Queue = multiprocessing.Queue()
    stop = multiprocessing.Event()
    server = multiprocessing.Process(target=_serve, args=(args.latency, ports, stop), daemon=True)
    server.start()
    rows = []
    try:
        base_url = ports.get(timeout=30)
        with tempfile.TemporaryDirectory() as tmp:
            for concurrency in args.concurrency:
                count = min(args.papers, max(8, args.waves * concurrency))
                folder = Path(tmp) / f"papers-{concurrency}"
                folder.mkdir()
                papers = _write_papers(folder, count)
                client_s = _client_loop(base_url, papers, concurrency)
                row = {
                    "concurrency": concurrency,
                    "papers": count,
                    "client_papers_per_min": round(count / client_s * 60, 1),
                }
                for label, src in sides.items():
                    seconds = _ablab_run(base_url, folder, concurrency, src)
                    row[f"ablab_{label}_papers_per_min"] = round(count / seconds * 60, 1)
                    row[f"ratio_{label}"] = round(client_s / seconds, 3)
                rows.append(row)
                print(json.dumps(row))
    finally:
        stop.set()
        server.join(timeout=10)
    print(f"latency {args.latency} s per request; ratio = ablab papers/min / client papers/min")
    name = "lm_vs_client" if args.waves == 4 else f"lm_vs_client_{args.waves}waves"
    write_results(name, {"latency_s": args.latency, "waves": args.waves, "runs": rows})


if __name__ == "__main__":
    main()
