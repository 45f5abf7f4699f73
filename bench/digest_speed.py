"""Offline digest speed: bundled + fixture papers, a 60-page synthetic paper, render/parse.

Run: ``.venv/bin/python bench/digest_speed.py``; prints figures and writes
bench/results/digest_speed.json. The offline digest runs the analyzer and the heuristic planner
twice (reviewer and author), so it costs a little more than one plan.
"""

from __future__ import annotations

import sys
import time
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

from ablab.digest import parse_digest, render_digest  # noqa: E402
from ablab.digest.offline import digest_offline  # noqa: E402
from ablab.papers import load_paper, paper_from_markdown  # noqa: E402

SEED = REPO.parent / "shared" / "seeds" / "002_daef928ecf5f9b7d.txt"


def main() -> None:
    pin_one_core()
    per_paper: dict[str, dict[str, float]] = {}
    all_times: list[float] = []
    for source in paper_sources():
        try:
            paper = load_paper(source)
        except Exception as exc:  # a fixture meant to fail loading is not a digest figure
            print(f"skip {source.name}: {exc}")
            continue
        times = time_call(lambda p=paper: digest_offline(p), repeat=5)
        per_paper[source.name] = summary(times)
        all_times.extend(times)

    text = synthetic_paper(60)
    big = paper_from_markdown(text, paper_id="synthetic60")
    big_times = time_call(lambda: digest_offline(big), repeat=3)
    big_digest = digest_offline(big)

    round_trip: dict[str, float] = {}
    if SEED.exists():
        seed = SEED.read_text(encoding="utf-8")
        n = 200
        start = time.perf_counter()
        for _ in range(n):
            render_digest(parse_digest(seed))
        round_trip = {"seed_002_parse_render_ms": round((time.perf_counter() - start) / n * 1e3, 3)}

    figures = {
        "papers": per_paper,
        "all_papers": summary(all_times) if all_times else {},
        "synthetic_60_pages": {
            "words": len(text.split()),
            "digest_ms": summary(big_times),
            "key_results": len(big_digest.key_results),
            "components": len(big_digest.architecture.component_map),
            "gaps": sorted(big_digest.gaps),
        },
        **round_trip,
    }
    path = write_results("digest_speed", figures)
    print(f"papers (median/max over {len(all_times)} timed digests): {figures['all_papers']}")
    print(
        f"60-page synthetic ({figures['synthetic_60_pages']['words']} words): {summary(big_times)}"
    )
    if round_trip:
        print(f"seed 002 parse+render: {round_trip['seed_002_parse_render_ms']} ms")
    print(f"written to {path}")


if __name__ == "__main__":
    main()
