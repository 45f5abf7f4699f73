"""Agreement of a judge with careful readers on the real-paper corpus, pair by pair.

Readers rated plan items of corpus papers (``bench/corpus/ratings.jsonl``) and listed, for each,
the ground-truth ablations of the paper's label (``bench/corpus/labels/<id>.json``) it is the same
experiment as. Every (ground-truth ablation, plan item) pair of a rated item is one decision; the
judge sees each item with the paper's whole ground truth, as in the author task, and its matches
are compared with the readers'. Figures per split (dev, held-out) and overall.

Run: ``.venv/bin/python bench/judge_corpus_agreement.py [--judge offline]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import write_results  # noqa: E402
from corpus.corpus import LABELS, read_manifest  # noqa: E402
from judge_agreement import rates  # noqa: E402

from ablab.judges import PaperContext, get_judge  # noqa: E402
from ablab.schema import Ablation  # noqa: E402

RATINGS = Path(__file__).resolve().parent / "corpus" / "ratings.jsonl"
_FIELDS = ("name", "ablated_part", "action", "replacement", "metrics")


def _ablation(row: dict[str, Any]) -> Ablation:
    return Ablation.model_validate({k: row[k] for k in _FIELDS if k in row})


def measure(judge_name: str) -> dict[str, Any]:
    """Pair-level precision, recall and F1 of the judge against the readers, by split."""
    judge = get_judge(judge_name)
    split_of = {e["id"]: e.get("split", "dev") for e in read_manifest()}
    rows = [json.loads(line) for line in RATINGS.read_text("utf-8").splitlines() if line.strip()]
    by_paper: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_paper[row["paper"]].append(row)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    disagreements: list[dict[str, Any]] = []
    for paper_id, items in sorted(by_paper.items()):
        label = json.loads((LABELS / f"{paper_id}.json").read_text("utf-8"))
        reference = [_ablation(a) for a in label["ablations"]]
        context = PaperContext(paper_id=paper_id)
        for row in items:
            judgement = judge.judge_author(reference, [_ablation(row)], context)
            judged = {m.reference for m in judgement.matches}
            wanted = set(row["matches"])
            for index in range(len(reference)):
                said, truth = index in judged, index in wanted
                cell = 0 if said and truth else 1 if said else 2 if truth else 3
                for key in (split_of.get(paper_id, "dev"), "all"):
                    counts[key][cell] += 1
                if said != truth and split_of.get(paper_id) == "dev":
                    disagreements.append(
                        {
                            "paper": paper_id,
                            "plan": row["name"],
                            "reference": reference[index].name,
                            "judge": said,
                        }
                    )
    figures: dict[str, Any] = {"judge": judge_name}
    for key, (tp, fp, fn, tn) in counts.items():
        figures[key] = rates(tp, fp, fn, tn)
    figures["dev_disagreements"] = disagreements
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judge", default="offline")
    parser.add_argument("--show", action="store_true", help="print the dev disagreements")
    args = parser.parse_args()
    figures = measure(args.judge)
    for key in ("dev", "heldout", "all"):
        if key in figures:
            row = figures[key]
            print(
                f"{key:8} P {row['precision']:.3f}  R {row['recall']:.3f}  F1 {row['f1']:.3f}  "
                f"(tp {row['tp']}, fp {row['fp']}, fn {row['fn']})"
            )
    if args.show:
        for item in figures["dev_disagreements"]:
            verdict = "judge matched, readers did not" if item["judge"] else "judge missed"
            print(f"  {item['paper']:14} {verdict}: {item['plan']!r} ~ {item['reference']!r}")
    print(f"written to {write_results('judge_corpus_agreement', figures)}")


if __name__ == "__main__":
    main()
