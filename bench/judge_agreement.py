"""Agreement of the offline judge with hand labels, and its time per paper.

Labels: ``tests/fixtures/datasets/matcher-labels.jsonl``, written by reading, for 24 papers (12 of
the author task, 12 of the reviewer task, drawn at random with a fixed seed from the papers both
models planned), every claude-3.5-sonnet plan item against the whole gpt-4o plan for the same
paper, and listing the gpt-4o items that describe the same experiment (same part ablated in a
compatible way), with a one-line reason. The claude plan plays the ground truth and the gpt-4o
plan the plan, as in the author task. The labels were written before the matcher; its constants
were tuned on the ``calibration`` half only, and ``held-out`` reports the other half.

Usage: python bench/judge_agreement.py [--trajectories DIR]
"""

from __future__ import annotations

import argparse
import functools
import json
from collections import defaultdict
from pathlib import Path

from _common import summary, time_call, write_results

from ablab.formats.trajectory import parse_trajectory
from ablab.judges.base import PaperContext
from ablab.judges.offline import OfflineJudge
from ablab.schema import Trajectory

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "tests" / "fixtures" / "datasets" / "matcher-labels.jsonl"
TRAJECTORIES = REPO.parent / "shared" / "fixtures" / "ablationbench-trajectories"


def rates(tp: int, fp: int, fn: int, tn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "accuracy": round((tp + tn) / (tp + fp + fn + tn), 3),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
    }


def load(folder: Path, model: str, paper: str) -> Trajectory:
    return parse_trajectory((folder / model / f"{paper}.md").read_text("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trajectories", type=Path, default=TRAJECTORIES)
    args = parser.parse_args()
    labels = [json.loads(line) for line in LABELS.read_text("utf-8").splitlines()]
    by_paper: dict[str, list[dict]] = defaultdict(list)
    for row in labels:
        by_paper[row["paper"]].append(row)
    judge = OfflineJudge()
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0]))
    times = []
    for paper, rows in by_paper.items():
        reference, plan = (
            load(args.trajectories, "claude-35-sonnet", paper),
            load(args.trajectories, "gpt-4o", paper),
        )
        context = PaperContext(paper_id=paper, text=f"{reference.reasoning}\n{plan.reasoning}")
        call = functools.partial(judge.judge_author, reference.ablations, plan.ablations, context)
        judgement = call()
        times.append(min(time_call(call, repeat=5)))
        found = {(m.reference, m.plan) for m in judgement.matches}
        gold = {(r["reference_index"], j) for r in rows for j in r["match_indices"]}
        for split in (rows[0]["split"], rows[0]["task"], "all"):
            pairs = counts["pairs"][split]
            items = counts["items"][split]
            for i in range(len(reference.ablations)):
                for j in range(len(plan.ablations)):
                    said, truth = (i, j) in found, (i, j) in gold
                    pairs[0 if said and truth else 1 if said else 2 if truth else 3] += 1
                said = any(p[0] == i for p in found)
                truth = any(p[0] == i for p in gold)
                items[0 if said and truth else 1 if said else 2 if truth else 3] += 1
    figures = {
        "labels": str(LABELS.relative_to(REPO)),
        "papers": len(by_paper),
        "reference_items": len(labels),
        "labelled_pairs_positive": sum(len(r["match_indices"]) for r in labels),
        "pair_level": {split: rates(*c) for split, c in counts["pairs"].items()},
        "item_level": {split: rates(*c) for split, c in counts["items"].items()},
        "time_per_paper": summary(times),
    }
    for level in ("pair_level", "item_level"):
        print(level)
        for split, values in figures[level].items():
            shown = ", ".join(f"{k} {v}" for k, v in values.items())
            print(f"  {split:12s} {shown}")
    print(f"time per paper (best of 5 runs, over papers): {figures['time_per_paper']}")
    print(f"wrote {write_results('judge_agreement', figures)}")


if __name__ == "__main__":
    main()
