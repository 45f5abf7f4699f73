"""`evaluate_plans` end to end on the example datasets, and the files it writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ablab.bench.evaluate import evaluate_plans, read_summary, write_evaluation
from ablab.bench.judge_eval import evaluate_judge
from ablab.bench.sources import load_dataset
from ablab.errors import DatasetError
from ablab.judges import get_judge
from ablab.runs.plans import load_plans
from ablab.schema import Mode


def evaluate(datasets_dir: Path, kind: str) -> object:
    data = load_dataset(datasets_dir / f"{kind}.jsonl")
    plans = load_plans(datasets_dir / "runs" / f"demo-{kind}", data.kind.mode)
    return evaluate_plans(data, plans, get_judge("offline"), plans_source="demo")


def test_author_evaluation_writes_ablationbench_layout(datasets_dir: Path, tmp_path: Path) -> None:
    evaluation = evaluate(datasets_dir, "author")
    write_evaluation(evaluation, tmp_path)  # type: ignore[arg-type]
    records = json.loads((tmp_path / "evaluations.json").read_text())
    assert [r["id"] for r in records] == ["simsiam", "swin-transformer", "dit"]
    for record in records:
        assert {"id", "precision", "recall", "f1_score", "ndcg_score", "cost"} <= set(record)
        assert len(record["true_labels"]) == len(record["pred_labels"])
        keys = {"reference", "plan", "score", "reason"}
        assert all(keys <= set(m) for m in record["matches"])
    simsiam = records[0]
    # stop-gradient, predictor, batch size and similarity are found; augmentation is not run
    assert {m["plan"] for m in simsiam["matches"]} == {0, 1, 3, 4}
    assert simsiam["precision"] == pytest.approx(4 / 5)
    assert simsiam["recall"] == pytest.approx(4 / 6)
    decisions = [json.loads(x) for x in (tmp_path / "simsiam.jsonl").read_text().splitlines()]
    assert decisions[0] == {
        "name_in_paper": "Stop-gradient",
        "name_in_plan": "Remove stop-gradient",
    }
    summary = read_summary(tmp_path)
    assert summary.task is Mode.AUTHOR and summary.papers == 3 and summary.judge == "offline"
    assert set(summary.scores) == {"precision", "recall", "f1_score", "ndcg_score", "ndcg_ranked"}


def test_reviewer_evaluation_finds_requested_ablations(datasets_dir: Path) -> None:
    evaluation = evaluate(datasets_dir, "reviewer")
    appears = {j.paper_id: j.appears() for j in evaluation.judgements}  # type: ignore[attr-defined]
    assert appears == {
        "simsiam": [True, False],
        "swin-transformer": [True, False],
        "dit": [True, False],
    }
    simsiam = evaluation.records[0]  # type: ignore[attr-defined]
    assert simsiam.precision == 0.5 and simsiam.recall == pytest.approx(1 / 3)
    assert "ndcg_score" not in evaluation.summary.scores  # type: ignore[attr-defined]


def test_missing_plans_score_zero_with_a_warning(datasets_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "simsiam.jsonl").write_text(
        (datasets_dir / "runs" / "demo-author" / "simsiam.jsonl").read_text()
    )
    data = load_dataset(datasets_dir / "author.jsonl")
    evaluation = evaluate_plans(data, load_plans(tmp_path), get_judge("offline"))
    dit = evaluation.records[2]
    assert dit.f1_score == 0 and "no plan" in dit.warnings[0]
    assert evaluation.summary.missing_plans == 2


def test_top_k_judges_only_the_first_ablations(datasets_dir: Path) -> None:
    data = load_dataset(datasets_dir / "author.jsonl")
    plans = load_plans(datasets_dir / "runs" / "demo-author")
    evaluation = evaluate_plans(data, plans, get_judge("offline"), top_k=1)
    assert [r.plan_size for r in evaluation.records] == [1, 1, 1]


def test_judge_evaluation_against_the_demo_labels(datasets_dir: Path, tmp_path: Path) -> None:
    for kind in ("author", "reviewer"):
        write_evaluation(evaluate(datasets_dir, kind), tmp_path / f"demo-{kind}")  # type: ignore[arg-type]
    author = evaluate_judge(load_dataset(datasets_dir / "author-eval.jsonl"), tmp_path)
    reviewer = evaluate_judge(load_dataset(datasets_dir / "reviewer-eval.jsonl"), tmp_path)
    perfect = {"precision": 1.0, "recall": 1.0, "f1_score": 1.0, "accuracy": 1.0}
    assert reviewer.micro == perfect
    assert author.micro == perfect
    assert [i.true_positives for i in author.items] == [4, 2, 2]
    assert [i.true_negatives for i in author.items] == [2, 1, 1]


def test_judge_evaluation_with_missing_decisions_counts_no(
    datasets_dir: Path, tmp_path: Path
) -> None:
    result = evaluate_judge(load_dataset(datasets_dir / "author-eval.jsonl"), tmp_path)
    assert result.micro["recall"] == 0.0
    assert all("no decisions" in item.warnings[0] for item in result.items)


def test_wrong_dataset_kinds_are_refused(datasets_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="not a judge-evaluation set"):
        evaluate_judge(load_dataset(datasets_dir / "author.jsonl"), tmp_path)
    labels = load_dataset(datasets_dir / "author-eval.jsonl")
    with pytest.raises(DatasetError, match="eval-judge"):
        evaluate_plans(
            labels, load_plans(datasets_dir / "runs" / "demo-author"), get_judge("offline")
        )


def test_an_empty_predictions_file_is_a_missing_plan_not_an_empty_one(
    datasets_dir: Path, tmp_path: Path
) -> None:
    # AblationBench's planners leave an empty <id>.jsonl when a paper fails.
    for name in ("simsiam", "dit"):
        (tmp_path / f"{name}.jsonl").write_text(
            (datasets_dir / "runs" / "demo-author" / f"{name}.jsonl").read_text()
        )
    (tmp_path / "swin-transformer.jsonl").write_text("")
    plans = load_plans(tmp_path)
    assert "empty plan file" in plans.problems["swin-transformer"]
    data = load_dataset(datasets_dir / "author.jsonl")
    evaluation = evaluate_plans(data, plans, get_judge("offline"))
    swin = evaluation.records[1]
    assert swin.f1_score == 0 and swin.warnings[0].startswith("no plan, scored 0:")
    assert evaluation.summary.missing_plans == 1
