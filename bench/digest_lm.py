"""LM digest pipeline figures with a local OpenAI-compatible server (no network, no key).

Run: ``.venv/bin/python bench/digest_lm.py``; prints figures and writes
bench/results/digest_lm.json. Measured: prompt tokens per writer for the example paper and a
60-page synthetic paper (the per-writer budget at work), requests per paper with and without a
repair round, and wall time of a batch at several concurrency levels with a fixed simulated
model latency (what concurrency buys when the model is the bottleneck).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the local test server

from _common import write_results  # noqa: E402
from synthetic import synthetic_paper  # noqa: E402

from ablab.digest.lm import WRITERS, LMDigestWriter  # noqa: E402
from ablab.models import get_model  # noqa: E402
from ablab.models.tokens import estimate_tokens  # noqa: E402
from ablab.papers import load_paper, paper_from_markdown  # noqa: E402
from ablab.runs.digests import run_digests  # noqa: E402
from lm_server import LocalOpenAIServer, Reply  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "tide.md"
LATENCY_S = 0.2
PAPERS = 8

ANSWERS: dict[str, dict[str, Any]] = {
    "overview": {
        "core_contribution": "A method.",
        "tags": ["method"],
        "primary_result": "76.1% top-1.",
        "executive_summary": "A summary.",
        "key_results": ["Top-1 76.1 vs 75.0"],
        "not_filled": [],
    },
    "method": {
        "method_summary": "Steps.",
        "mechanism": "Reasons.",
        "foundational_learning": [{"concept": "KL", "why": "compare", "quick_check": "check"}],
        "component_map": ["a", "b"],
        "critical_path": ["a"],
        "design_tradeoffs": ["x vs y"],
        "failure_signatures": ["NaN"],
        "first_experiments": ["remove a"],
        "not_filled": [],
    },
    "assessment": {
        "open_questions": [{"title": "t", "detail": "d"}],
        "limitations": ["l"],
        "confidence": [{"claim": "c", "level": "High", "note": ""}],
        "not_filled": [],
    },
}


def _respond(body: dict[str, Any], invent: bool) -> Reply:
    text = "\n".join(str(m.get("content", "")) for m in body["messages"])
    part = next(w.name for w in WRITERS if f"Digest part: {w.name}\n" in text)
    answer = dict(ANSWERS[part])
    repair = str(body["messages"][-1].get("content", "")).startswith("Some parts")
    if part == "overview" and invent and not repair:
        answer["key_results"] = ["Top-1 99.9 vs 75.0"]  # a number no paper here states
    return Reply.text(json.dumps(answer))


def prompt_tokens() -> dict[str, dict[str, int]]:
    """Estimated prompt tokens per writer (default budget) for the example and 60 pages."""
    papers = {
        "tide": load_paper(EXAMPLE),
        "synthetic_60_pages": paper_from_markdown(synthetic_paper(60), paper_id="s60"),
    }
    writer = LMDigestWriter(get_model("fake/heuristic"))
    from ablab.analysis import analyze

    figures = {}
    for name, paper in papers.items():
        analysis = analyze(paper)
        figures[name] = {
            w.name: sum(
                estimate_tokens(m.content)
                for m in writer.build_messages(w, paper, analysis, structured=True)[0]
            )
            for w in WRITERS
        }
    return figures


async def batch(server: LocalOpenAIServer, tmp: Path, concurrency: int, invent: bool) -> Any:
    server.responder = lambda body: _respond(body, invent)
    sources = []
    for n in range(PAPERS):
        path = tmp / f"paper{n}.md"
        path.write_text(EXAMPLE.read_text(encoding="utf-8") + f"\n\n<!-- copy {n} -->\n")
        sources.append(path)
    model = get_model("openai/gpt-4o-mini", base_url=server.base_url)
    before = len(server.requests)
    started = time.perf_counter()
    try:
        run = await run_digests(sources, model=model, concurrency=concurrency)
    finally:
        await model.aclose()  # type: ignore[attr-defined]
    return {
        "wall_s": round(time.perf_counter() - started, 2),
        "requests_per_paper": (len(server.requests) - before) / PAPERS,
        "repair_rounds": sorted({r.outcome.repair_rounds for r in run.results if r.outcome}),
        "failed": run.count("failed"),
    }


def main() -> None:
    import tempfile

    figures: dict[str, Any] = {"prompt_tokens_per_writer": prompt_tokens()}
    with tempfile.TemporaryDirectory() as tmp, LocalOpenAIServer(latency=LATENCY_S) as server:
        runs = {}
        for concurrency in (1, 4, 8):
            runs[f"concurrency_{concurrency}"] = asyncio.run(
                batch(server, Path(tmp), concurrency, invent=False)
            )
        runs["concurrency_4_with_repair"] = asyncio.run(batch(server, Path(tmp), 4, invent=True))
    figures["batch"] = {"papers": PAPERS, "model_latency_s": LATENCY_S, **runs}
    path = write_results("digest_lm", figures)
    print(json.dumps(figures, indent=2))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
