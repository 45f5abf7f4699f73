"""Prompt tokens per paper: the lm planner (full text) against hybrid (analysis + excerpt).

Runs both planners with a fake model on the project's fixture papers, in both modes, and reports
the prompt size (the same estimate the budgeter uses: characters / 3.5, an upper bound). Prints a
table and writes bench/results/lm_tokens.json.

    .venv/bin/python bench/lm_tokens.py
"""

from __future__ import annotations

import asyncio
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the local test server

from _common import write_results  # noqa: E402
from synthetic import synthetic_paper  # noqa: E402

from ablab.models import FakeModel  # noqa: E402
from ablab.papers import load_paper, paper_from_markdown  # noqa: E402
from ablab.papers.views import paper_view
from ablab.planners.hybrid import HybridPlanner  # noqa: E402
from ablab.planners.lm import LMPlanner  # noqa: E402
from ablab.schema import Mode, Paper  # noqa: E402
from lm_server import plan_answer  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
FIXTURES = [
    REPO / "examples" / "tide.md",
    REPO / "tests" / "fixtures" / "papers" / "markdown" / "contrastive.md",
    REPO / "tests" / "fixtures" / "papers" / "latex_project",
    REPO / "tests" / "lm" / "fixtures" / "gated_memory.md",
]


def _papers() -> list[Paper]:
    papers = [load_paper(path) for path in FIXTURES if path.exists()]
    papers.append(paper_from_markdown(synthetic_paper(12), paper_id="synthetic-12-pages"))
    return papers


def _prompt_tokens(planner: LMPlanner, paper: Paper, mode: Mode) -> int:
    outcome = asyncio.run(planner.aplan_outcome(paper_view(paper, mode), mode=mode, k=2))
    return outcome.context.prompt_tokens


def main() -> None:
    rows = []
    for paper in _papers():
        for mode in Mode:
            lm = _prompt_tokens(LMPlanner(FakeModel(lambda _: plan_answer())), paper, mode)
            hybrid = _prompt_tokens(HybridPlanner(FakeModel(lambda _: plan_answer())), paper, mode)
            rows.append(
                {
                    "paper": paper.id,
                    "mode": mode.value,
                    "lm_prompt_tokens": lm,
                    "hybrid_prompt_tokens": hybrid,
                    "hybrid_over_lm": round(hybrid / lm, 3),
                }
            )
    print(f"{'paper':<28} {'mode':<9} {'lm':>7} {'hybrid':>7} {'ratio':>6}")
    for r in rows:
        print(
            f"{r['paper']:<28} {r['mode']:<9} {r['lm_prompt_tokens']:>7} "
            f"{r['hybrid_prompt_tokens']:>7} {r['hybrid_over_lm']:>6.2f}"
        )
    medians = {
        "lm_median": statistics.median(r["lm_prompt_tokens"] for r in rows),
        "hybrid_median": statistics.median(r["hybrid_prompt_tokens"] for r in rows),
    }
    print(f"median prompt tokens: lm {medians['lm_median']}, hybrid {medians['hybrid_median']}")
    path = write_results("lm_tokens", {"estimate": "characters / 3.5", "rows": rows, **medians})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
