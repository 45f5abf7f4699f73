"""Quality of the offline planner on the real-paper corpus (bench/corpus), both splits, both tasks.

For every labelled, built corpus paper (see bench/corpus/README.md):

- **author**: plan the author view (k=5) and match the plan against the ablations the paper reports;
- **reviewer**: cut the passages reporting those ablations (the label's ``reviewer_remove``), plan
  the rest in reviewer mode (k=2) and match the plan against the cut ablations;
- **re-proposal**: plan the whole paper in reviewer mode (k=2); the share of plan items that repeat
  an ablation the paper reports (it should be 0);
- **junk**: the share of plan items a careful reader rated junk (``bench/corpus/ratings.jsonl``);
  unrated items are written to ``bench/results/<name>_unrated.jsonl`` for the next rating round;
- **structure**: papers whose author view still holds an ablation section or table (a leak), and
  papers that loaded with warnings.

Matching uses the ``offline`` judge (``--judge``); its agreement with careful labels is measured by
``bench/judge_agreement.py``. Held-out plans are never printed (only their macro figures) unless
``--show-heldout`` is given at a milestone.

Run: ``.venv/bin/python bench/planner_quality.py [--name planner_quality]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import RESULTS, write_results  # noqa: E402
from corpus.corpus import SPLITS, CorpusPaper, load_corpus, reviewer_cut  # noqa: E402

from ablab.api import paper_view, plan_paper  # noqa: E402
from ablab.bench.metrics import first_hits, ndcg_ranked  # noqa: E402
from ablab.errors import AblabError  # noqa: E402
from ablab.judges import PaperContext, get_judge  # noqa: E402
from ablab.schema import Ablation, Mode, Paper  # noqa: E402

RATINGS = Path(__file__).resolve().parent / "corpus" / "ratings.jsonl"


def rating_key(paper_id: str, ablation: Ablation | dict[str, Any]) -> str:
    """What identifies a rated plan item: the paper and the ablation's content (not its rank)."""
    item = ablation if isinstance(ablation, dict) else ablation.to_bench_dict()
    replacement = sorted(str(r).strip().lower() for r in (item.get("replacement") or []))
    return json.dumps([paper_id, item["action"], item["ablated_part"].strip().lower(), replacement])


def read_ratings() -> dict[str, dict[str, Any]]:
    """Careful readers' ratings by :func:`rating_key`: ``verdict`` (good, acceptable, junk) and
    ``matches`` (indices of the ground-truth ablations the item is)."""
    if not RATINGS.exists():
        return {}
    ratings = {}
    for line in RATINGS.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            ratings[rating_key(row["paper"], row)] = row
    return ratings


def rated_scores(
    paper_id: str, plan: list[dict[str, Any]], reference: int, ratings: dict[str, dict[str, Any]]
) -> dict[str, float] | None:
    """Precision, recall and F1 by the readers' matches, when every plan item is rated."""
    rows = [ratings.get(rating_key(paper_id, item)) for item in plan]
    if any(row is None for row in rows):
        return None
    hits = [row["matches"] for row in rows if row is not None]
    precision = sum(1 for h in hits if h) / len(plan) if plan else 0.0
    recall = len({i for h in hits for i in h}) / reference if reference else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _plan(paper: Paper, mode: Mode, k: int, planner: str) -> tuple[list[Ablation], str | None]:
    try:
        return plan_paper(paper, mode=mode, k=k, planner=planner).ablations, None
    except AblabError as exc:
        return [], str(exc)


def _match(
    judge: Any, corpus: CorpusPaper, paper: Paper, plan: list[Ablation], k: int
) -> dict[str, Any]:
    context = PaperContext(
        paper_id=corpus.id, title=paper.title, abstract=paper.abstract, text=paper.full_text()
    )
    judgement = judge.judge_author(corpus.ablations, plan, context)
    matched_plan, matched_ref = judgement.matched_plan(), judgement.matched_reference()
    plan_to_ref = [
        [m.reference for m in judgement.matches if m.plan == r] for r in range(len(plan))
    ]
    ndcg = ndcg_ranked(first_hits(plan_to_ref), len(corpus.ablations), k)
    precision = sum(matched_plan) / len(plan) if plan else 0.0
    recall = sum(matched_ref) / len(corpus.ablations) if corpus.ablations else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "ndcg": ndcg,
        "matched_plan": matched_plan,
        "plan": [a.to_bench_dict() for a in plan],
    }


def measure_paper(corpus: CorpusPaper, judge: Any, planner: str) -> dict[str, Any]:
    """Every figure for one paper."""
    start = time.perf_counter()
    try:
        paper = corpus.load()
    except AblabError as exc:
        return {"load_error": str(exc)}
    load_s = time.perf_counter() - start
    # A leak: an ablation section or table the labels cut is still in the author view
    # (paragraph rules may rightly name introduction sentences, which author mode sees).
    structural = [r for r in corpus.reviewer_remove if "paragraph" not in r]
    _, missed = reviewer_cut(paper_view(paper, Mode.AUTHOR), structural)
    leak = len(missed) < len(structural)
    cut, unmatched = reviewer_cut(paper, corpus.reviewer_remove)
    author, author_error = _plan(paper, Mode.AUTHOR, 5, planner)
    reviewer, reviewer_error = _plan(cut, Mode.REVIEWER, 2, planner)
    whole, whole_error = _plan(paper, Mode.REVIEWER, 2, planner)
    repeat = _match(judge, corpus, paper, whole, 2)
    return {
        "load_s": round(load_s, 3),
        "warnings": paper.warnings,
        "sections": sum(1 for _ in paper.walk()),
        "author_view_leak": leak,
        "unmatched_cut_rules": unmatched,
        "author": _match(judge, corpus, paper, author, 5) | {"error": author_error},
        "reviewer": _match(judge, corpus, cut, reviewer, 2) | {"error": reviewer_error},
        "reproposal": {
            "plan": repeat["plan"],
            "repeated": repeat["matched_plan"],
            "error": whole_error,
        },
    }


def _mean(values: list[float]) -> float:
    return round(statistics.fmean(values), 4) if values else 0.0


def summarise(
    results: dict[str, dict[str, Any]],
    ratings: dict[str, dict[str, Any]],
    unrated: list[dict[str, Any]],
) -> dict[str, Any]:
    """Macro figures of one split."""
    loaded = {i: r for i, r in results.items() if "load_error" not in r}
    figures: dict[str, Any] = {"papers": len(results), "load_errors": len(results) - len(loaded)}
    for task in ("author", "reviewer"):
        rows = [r[task] for r in loaded.values()]
        rated = [r[task].get("rated") for r in loaded.values()]
        complete = [x for x in rated if x is not None]
        figures[task] = {
            "precision": _mean([r["precision"] for r in rows]),
            "recall": _mean([r["recall"] for r in rows]),
            "f1": _mean([r["f1"] for r in rows]),
            "ndcg_ranked": _mean([r["ndcg"] for r in rows]),
            "mean_plan_size": _mean([len(r["plan"]) for r in rows]),
            "empty_plans": sum(1 for r in rows if not r["plan"]),
            # the same scores by the careful readers' matches, over fully rated plans
            "rated": {
                "papers": len(complete),
                "precision": _mean([x["precision"] for x in complete]),
                "recall": _mean([x["recall"] for x in complete]),
                "f1": _mean([x["f1"] for x in complete]),
            },
        }
    repeated = [flag for r in loaded.values() for flag in r["reproposal"]["repeated"]]
    figures["reproposal_rate"] = round(sum(repeated) / len(repeated), 4) if repeated else 0.0
    verdicts = []
    for paper_id, result in loaded.items():
        for task in ("author", "reviewer"):
            for item in result[task]["plan"]:
                row = ratings.get(rating_key(paper_id, item))
                if row is None:
                    unrated.append({"paper": paper_id, "mode": task, **item})
                else:
                    verdicts.append(row["verdict"])
    figures["junk"] = {
        "rated": len(verdicts),
        "unrated": sum(len(r[t]["plan"]) for r in loaded.values() for t in ("author", "reviewer"))
        - len(verdicts),
        "junk_rate": round(verdicts.count("junk") / len(verdicts), 4) if verdicts else None,
    }
    figures["structure"] = {
        "author_view_leaks": sorted(i for i, r in loaded.items() if r["author_view_leak"]),
        "with_warnings": sum(1 for r in loaded.values() if r["warnings"]),
        "median_load_s": _mean([statistics.median([r["load_s"] for r in loaded.values()])])
        if loaded
        else 0.0,
    }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default="planner_quality", help="results file name")
    parser.add_argument("--planner", default="heuristic")
    parser.add_argument("--judge", default="offline")
    parser.add_argument("--split", choices=SPLITS, action="append", help="default: both")
    parser.add_argument("--show-heldout", action="store_true", help="print held-out plans too")
    args = parser.parse_args()
    judge = get_judge(args.judge)
    ratings = read_ratings()
    figures: dict[str, Any] = {"planner": args.planner, "judge": args.judge}
    unrated: list[dict[str, Any]] = []
    for split in args.split or SPLITS:
        papers, skipped = load_corpus((split,))
        results = {p.id: measure_paper(p, judge, args.planner) for p in papers}
        for paper in papers:
            result = results[paper.id]
            for task in ("author", "reviewer"):
                if task in result:
                    result[task]["rated"] = rated_scores(
                        paper.id, result[task]["plan"], len(paper.ablations), ratings
                    )
        summary = summarise(results, ratings, unrated)
        figures[split] = {**summary, "skipped": skipped, "per_paper": results}
        print(f"== {split}: {summary['papers']} papers ({len(skipped)} skipped)")
        for task in ("author", "reviewer"):
            row = summary[task]
            rated = row["rated"]
            print(
                f"  {task:9} P {row['precision']:.3f}  R {row['recall']:.3f}  F1 {row['f1']:.3f}"
                f"  nDCG {row['ndcg_ranked']:.3f}  plan size {row['mean_plan_size']:.2f}"
                f"  empty {row['empty_plans']}   "
                f"readers ({rated['papers']} papers): P {rated['precision']:.3f} "
                f"R {rated['recall']:.3f} F1 {rated['f1']:.3f}"
            )
        junk = summary["junk"]
        print(
            f"  re-proposal {summary['reproposal_rate']:.3f}   junk "
            f"{junk['junk_rate'] if junk['junk_rate'] is not None else 'n/a'} "
            f"({junk['rated']} rated, {junk['unrated']} unrated)   "
            f"leaks {summary['structure']['author_view_leaks']}   "
            f"load errors {summary['load_errors']}"
        )
        if split == "heldout" and not args.show_heldout:
            continue
        for paper_id, result in results.items():
            if "load_error" in result:
                print(f"    {paper_id:16} LOAD ERROR {result['load_error']}")
                continue
            for task in ("author", "reviewer"):
                plan = result[task]["plan"]
                names = " | ".join(
                    ("*" if hit else "") + a["name"]
                    for a, hit in zip(plan, result[task]["matched_plan"], strict=True)
                )
                print(f"    {paper_id:16} {task[:3]} F1 {result[task]['f1']:.2f}  {names}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.name}_unrated.jsonl").write_text(
        "".join(json.dumps(u, ensure_ascii=False) + "\n" for u in unrated), encoding="utf-8"
    )
    print(f"written to {write_results(args.name, figures)}")


if __name__ == "__main__":
    main()
