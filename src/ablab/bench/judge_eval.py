"""Measure a judge against human labels (AblationBench's judge-evaluation sets).

Each labelled item ``<planner model>/<paper id>`` is compared with the judge's decision file
``<judgements>/<planner model>/<paper id>.jsonl`` (what ``ablab eval --out`` writes per paper).
Author sets: for every ground-truth ablation, did the judge find a match in the plan (the labels'
``name_in_plan`` is set)? Reviewer sets: for every planned ablation, did the judge say it appears
in the reviews? Labels with no decision count as "no". Precision, recall and F1 are computed per
item and macro-averaged, as AblationBench does; micro totals and accuracy are added.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ablab.bench.datasets import Dataset, DatasetKind, JudgeEvalItem
from ablab.bench.metrics import Aggregate, aggregate, f1, safe_ratio
from ablab.errors import DatasetError


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class ItemAgreement(_Model):
    """Agreement of the judge with the labels of one item."""

    id: str
    """Item id (``<planner model>/<paper id>``)."""
    precision: float
    """Share of the judge's "yes" that the labels confirm."""
    recall: float
    """Share of the labels' "yes" the judge found."""
    f1_score: float
    """Harmonic mean."""
    true_positives: int
    """Both say yes."""
    false_positives: int
    """Judge yes, labels no."""
    false_negatives: int
    """Judge no, labels yes."""
    true_negatives: int
    """Both say no."""
    warnings: list[str] = Field(default_factory=list)
    """Missing decision files and the like."""


class JudgeAgreement(_Model):
    """Agreement over a whole judge-evaluation set."""

    dataset: str
    """The judge-evaluation set."""
    judgements: str
    """Folder of the judge's decisions."""
    items: list[ItemAgreement]
    """Per-item agreement."""
    scores: dict[str, Aggregate]
    """Macro precision, recall and f1_score over items."""
    micro: dict[str, float]
    """Precision, recall, F1 and accuracy over all labels pooled."""


def _decision_file(folder: Path, item_id: str) -> Path:
    parts = item_id.split("/")
    if any(part in ("", ".", "..") for part in parts) or "\\" in item_id:
        raise DatasetError(f"unsafe item id {item_id!r} in the judge-evaluation set")
    nested = folder.joinpath(*parts).with_suffix(".jsonl")
    return nested if nested.exists() else folder / f"{parts[-1]}.jsonl"


def _decisions(path: Path, kind: DatasetKind) -> dict[str, bool]:
    key, value = (
        ("name_in_paper", "name_in_plan")
        if kind is DatasetKind.AUTHOR_EVAL
        else ("name_in_plan", "appears_in_review")
    )
    found: dict[str, bool] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}:{number}: not a JSON line: {exc}") from None
        if isinstance(row, dict) and key in row:
            found[str(row[key])] = found.get(str(row[key]), False) or bool(row.get(value))
    return found


def item_agreement(item: JudgeEvalItem, folder: Path, kind: DatasetKind) -> ItemAgreement:
    """Compare one item's labels with the judge's decision file."""
    path = _decision_file(folder, item.id)
    warnings = []
    if path.is_file():
        decided = _decisions(path, kind)
    else:
        decided, warnings = {}, [f"no decisions at {path}; every label counted as 'no'"]
    tp = fp = fn = tn = 0
    for label in item.labels:
        said = decided.get(label.key, False)
        tp += said and label.label
        fp += said and not label.label
        fn += label.label and not said
        tn += not said and not label.label
    precision, recall = safe_ratio(tp, tp + fp), safe_ratio(tp, tp + fn)
    return ItemAgreement(
        id=item.id,
        precision=precision,
        recall=recall,
        f1_score=f1(precision, recall),
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
        true_negatives=tn,
        warnings=warnings,
    )


def evaluate_judge(dataset: Dataset, judgements: Path) -> JudgeAgreement:
    """Agreement of the judge whose decisions are in ``judgements`` with the dataset's labels."""
    if dataset.kind not in (DatasetKind.AUTHOR_EVAL, DatasetKind.REVIEWER_EVAL):
        raise DatasetError(f"{dataset.name} is not a judge-evaluation set (it has no labels)")
    if not judgements.is_dir():
        raise DatasetError(f"{judgements}: no such folder of judge decisions")
    items = [item_agreement(item, judgements, dataset.kind) for item in dataset.judge_items]
    tp = sum(i.true_positives for i in items)
    fp = sum(i.false_positives for i in items)
    fn = sum(i.false_negatives for i in items)
    tn = sum(i.true_negatives for i in items)
    precision, recall = safe_ratio(tp, tp + fp), safe_ratio(tp, tp + fn)
    return JudgeAgreement(
        dataset=dataset.name,
        judgements=str(judgements),
        items=items,
        scores={
            name: aggregate([getattr(i, name) for i in items])
            for name in ("precision", "recall", "f1_score")
        },
        micro={
            "precision": precision,
            "recall": recall,
            "f1_score": f1(precision, recall),
            "accuracy": safe_ratio(tp + tn, tp + fp + fn + tn),
        },
    )
