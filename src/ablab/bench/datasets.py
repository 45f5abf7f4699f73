"""AblationBench task records and their parsing from raw dataset rows.

Four kinds of dataset, told apart by their columns:

- ``author`` (ResearcherAblationBench): ``id, paper_title, paper_abstract, paper_path,
  ablations_in_paper`` (a JSON list of ablations);
- ``reviewer`` (ReviewerAblationBench): ``id, paper_title, paper_abstract, paper_path,
  review_text`` (a JSON list of reviews), ``num_ablation_suggestions``;
- ``author-eval`` / ``reviewer-eval`` (judge evaluation sets): ``id`` (``<planner model>/<paper
  id>``) and ``labels``, JSONL of ``{name_in_paper, name_in_plan}`` or ``{name_in_plan,
  appears_in_review}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ablab.errors import DatasetError
from ablab.formats.predictions import parse_ablation
from ablab.runs.files import is_file_id
from ablab.schema import Ablation, Mode


class DatasetKind(StrEnum):
    """Which AblationBench schema a dataset follows."""

    AUTHOR = "author"
    REVIEWER = "reviewer"
    AUTHOR_EVAL = "author-eval"
    REVIEWER_EVAL = "reviewer-eval"

    @property
    def mode(self) -> Mode:
        """The planning task this kind belongs to."""
        return (
            Mode.AUTHOR if self in (DatasetKind.AUTHOR, DatasetKind.AUTHOR_EVAL) else Mode.REVIEWER
        )


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class PaperTask(_Model):
    """One paper of the author or reviewer task."""

    id: str
    """Paper id (names the plan file ``<id>.jsonl``)."""
    paper_title: str = ""
    """Paper title."""
    paper_abstract: str = ""
    """Paper abstract."""
    paper_path: str | None = None
    """Where the paper's source is, as the dataset gives it (relative to the dataset's folder)."""
    ablations: list[Ablation] = Field(default_factory=list)
    """Author task: the ablations the paper ran, in dataset order."""
    reviews: list[str] = Field(default_factory=list)
    """Reviewer task: the reviews' texts."""
    num_ablation_suggestions: int = 0
    """Reviewer task: how many ablations the reviews requested."""


class JudgeLabel(_Model):
    """One human label of a judge-evaluation set."""

    key: str
    """The item labelled: ``name_in_paper`` (author) or ``name_in_plan`` (reviewer)."""
    label: bool
    """Author: the item has a match in the plan. Reviewer: the plan item appears in the reviews."""
    matched_names: list[str] = Field(default_factory=list)
    """Author: the plan items the annotators matched to it."""


class JudgeEvalItem(_Model):
    """Human labels for one (planner model, paper) pair."""

    id: str
    """``<planner model>/<paper id>``, as in AblationBench."""
    labels: list[JudgeLabel]
    """Labels in dataset order."""


class Dataset(_Model):
    """A loaded dataset: its kind and its records."""

    name: str
    """Where it came from (path or hub name) and the split."""
    kind: DatasetKind
    """Which schema it follows."""
    root: str | None = None
    """Folder that relative ``paper_path`` values are resolved against (local datasets)."""
    tasks: list[PaperTask] = Field(default_factory=list)
    """Papers (author / reviewer kinds)."""
    judge_items: list[JudgeEvalItem] = Field(default_factory=list)
    """Labelled items (judge-evaluation kinds)."""

    def task(self, paper_id: str) -> PaperTask | None:
        """The task with this id, or None."""
        return next((t for t in self.tasks if t.id == paper_id), None)


def detect_kind(columns: Iterable[str], first_row: Mapping[str, Any] | None = None) -> DatasetKind:
    """Tell the dataset kind from its column names (and the first row for judge-eval sets)."""
    names = set(columns)
    if "ablations_in_paper" in names:
        return DatasetKind.AUTHOR
    if "review_text" in names:
        return DatasetKind.REVIEWER
    if "labels" in names:
        labels = _label_rows((first_row or {}).get("labels"), "first row")
        if labels and "appears_in_review" in labels[0]:
            return DatasetKind.REVIEWER_EVAL
        return DatasetKind.AUTHOR_EVAL
    raise DatasetError(
        "unknown dataset schema: expected a column ablations_in_paper (author task), "
        f"review_text (reviewer task) or labels (judge evaluation); found {sorted(names)}"
    )


def _json_list(value: Any, what: str) -> list[Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{what} is not valid JSON: {exc}") from exc
    if value is None:
        return []
    if not isinstance(value, list):
        raise DatasetError(f"{what} must be a JSON list, got {type(value).__name__}")
    return value


def _label_rows(value: Any, where: str) -> list[dict[str, Any]]:
    if isinstance(value, str):
        rows = []
        for number, line in enumerate(value.splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise DatasetError(f"{where}: labels line {number} is not JSON: {exc}") from exc
        return rows
    return [dict(row) for row in _json_list(value, f"{where}: labels")]


def parse_task(row: Mapping[str, Any], kind: DatasetKind) -> PaperTask:
    """One author/reviewer row as a PaperTask; raises DatasetError naming the bad field."""
    if not row.get("id"):
        raise DatasetError(f"a row has no id: {dict(row)!r:.80}")
    where = f"paper {row['id']}"
    if not is_file_id(str(row["id"])):
        raise DatasetError(f"{where}: the id cannot name a file (path separators or '..')")
    common = PaperTask(
        id=str(row["id"]),
        paper_title=str(row.get("paper_title") or ""),
        paper_abstract=str(row.get("paper_abstract") or ""),
        paper_path=str(row["paper_path"]) if row.get("paper_path") else None,
    )
    if kind is DatasetKind.AUTHOR:
        raw = _json_list(row.get("ablations_in_paper"), f"{where}: ablations_in_paper")
        return common.model_copy(update={"ablations": [parse_ablation(a, where) for a in raw]})
    reviews = [str(r) for r in _json_list(row.get("review_text"), f"{where}: review_text")]
    try:
        requested = int(row.get("num_ablation_suggestions") or 0)
    except (TypeError, ValueError):
        raise DatasetError(f"{where}: num_ablation_suggestions must be an integer") from None
    return common.model_copy(update={"reviews": reviews, "num_ablation_suggestions": requested})


def parse_judge_item(row: Mapping[str, Any], kind: DatasetKind) -> JudgeEvalItem:
    """One judge-evaluation row; labels become booleans keyed as AblationBench merges them."""
    if not row.get("id"):
        raise DatasetError(f"a judge-evaluation row has no id: {dict(row)!r:.80}")
    where = f"item {row['id']}"
    labels = []
    for raw in _label_rows(row.get("labels"), where):
        if kind is DatasetKind.AUTHOR_EVAL:
            if "name_in_paper" not in raw:
                raise DatasetError(f"{where}: a label lacks name_in_paper")
            plan_names = raw.get("name_in_plan")
            names = (
                plan_names if isinstance(plan_names, list) else [plan_names] if plan_names else []
            )
            labels.append(
                JudgeLabel(key=str(raw["name_in_paper"]), label=bool(names), matched_names=names)
            )
        else:
            if "name_in_plan" not in raw:
                raise DatasetError(f"{where}: a label lacks name_in_plan")
            labels.append(
                JudgeLabel(key=str(raw["name_in_plan"]), label=bool(raw.get("appears_in_review")))
            )
    return JudgeEvalItem(id=str(row["id"]), labels=labels)


def build_dataset(
    rows: Sequence[Mapping[str, Any]], *, name: str, root: str | None = None
) -> Dataset:
    """Parse raw rows into a Dataset, detecting its kind from the columns."""
    if not rows:
        raise DatasetError(f"{name}: the dataset has no rows")
    kind = detect_kind(rows[0].keys(), rows[0])
    dataset = Dataset(name=name, kind=kind, root=root)
    if kind in (DatasetKind.AUTHOR, DatasetKind.REVIEWER):
        dataset.tasks = [parse_task(row, kind) for row in rows]
        ids = [t.id for t in dataset.tasks]
    else:
        dataset.judge_items = [parse_judge_item(row, kind) for row in rows]
        ids = [item.id for item in dataset.judge_items]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise DatasetError(f"{name}: duplicate ids: {', '.join(duplicates[:5])}")
    return dataset
