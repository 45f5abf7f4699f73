"""Quality of the offline heuristic planner on the example dev and held-out splits.

Plans every paper of ``examples/datasets/{author,reviewer}-{dev,heldout}.jsonl`` with the
``heuristic`` planner (default k: 5 for authors, 2 for reviewers), judges the plans with the
``offline`` judge and prints macro precision, recall, F1 and nDCG per split and task, plus each
paper's F1 and planned ablation names. Figures go to ``bench/results/<name>.json``.

Run: ``.venv/bin/python bench/planner_quality.py [--name planner_quality]``.
Tune rules on the dev split only; the held-out split says whether they generalise.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import write_results  # noqa: E402

from ablab.bench.runner import run_bench  # noqa: E402
from ablab.bench.sources import load_dataset  # noqa: E402
from ablab.judges import get_judge  # noqa: E402

DATASETS = Path(__file__).resolve().parents[1] / "examples" / "datasets"
SPLITS = ("dev", "heldout")
TASKS = ("author", "reviewer")
SCORES = ("precision", "recall", "f1_score", "ndcg_score", "ndcg_ranked")


def measure(task: str, split: str) -> dict[str, Any]:
    """Plan and judge one task on one split; macro scores and per-paper details."""
    dataset = load_dataset(DATASETS / f"{task}-{split}.jsonl")
    with tempfile.TemporaryDirectory() as folder:
        result = run_bench(
            dataset, planner="heuristic", judge=get_judge("offline"), out=Path(folder)
        )
    evaluation = result.evaluation
    names = {j.paper_id: [a.name for a in j.plan] for j in evaluation.judgements}
    macro = {
        field: round(aggregate.mean, 4)
        for field, aggregate in evaluation.summary.scores.items()
        if field in SCORES
    }
    papers = {
        record.id: {
            "precision": round(record.precision, 4),
            "recall": round(record.recall, 4),
            "f1_score": round(record.f1_score, 4),
            "plan": names.get(record.id, []),
        }
        for record in evaluation.records
    }
    return {"papers_scored": len(evaluation.records), "failures": result.failures, **macro,
            "per_paper": papers}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default="planner_quality", help="results file name")
    parser.add_argument(
        "--show-heldout",
        action="store_true",
        help="also print held-out plans (they are always in the JSON; hidden while tuning)",
    )
    args = parser.parse_args()
    figures: dict[str, Any] = {"planner": "heuristic", "judge": "offline"}
    print(f"{'split':8} {'task':9} {'P':>6} {'R':>6} {'F1':>6} {'nDCG':>6} {'nDCG@r':>6}")
    for split in SPLITS:
        for task in TASKS:
            found = measure(task, split)
            figures[f"{split}/{task}"] = found
            ndcg = found.get("ndcg_score")
            print(
                f"{split:8} {task:9} {found['precision']:6.3f} {found['recall']:6.3f} "
                f"{found['f1_score']:6.3f} {'' if ndcg is None else f'{ndcg:6.3f}':>6} "
                f"{found['ndcg_ranked']:6.3f}"
            )
            if split == "heldout" and not args.show_heldout:
                continue
            for paper_id, paper in found["per_paper"].items():
                print(f"    {paper_id:18} F1 {paper['f1_score']:.2f}  {' | '.join(paper['plan'])}")
    path = write_results(args.name, figures)
    print(f"written to {path}")


if __name__ == "__main__":
    main()
