"""Loading each AblationBench schema from JSONL, JSON, parquet, folders and the hub."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from ablab.bench.datasets import DatasetKind
from ablab.bench.sources import load_dataset
from ablab.errors import ConfigError, DatasetError
from ablab.schema import Action


def test_author_task(datasets_dir: Path) -> None:
    data = load_dataset(datasets_dir / "author.jsonl")
    assert data.kind is DatasetKind.AUTHOR
    assert [t.id for t in data.tasks] == ["simsiam", "swin-transformer", "dit"]
    simsiam = data.tasks[0]
    assert simsiam.paper_path == "papers/simsiam"  # a folder, as AblationBench's harness reads
    assert simsiam.ablations[0].action is Action.REMOVE
    assert simsiam.ablations[2].replacement == ["64", "128", "256", "1024", "2048", "4096"]


def test_reviewer_task(datasets_dir: Path) -> None:
    data = load_dataset(datasets_dir / "reviewer.jsonl")
    assert data.kind is DatasetKind.REVIEWER
    assert data.tasks[0].num_ablation_suggestions == 3
    assert len(data.tasks[0].reviews) == 2 and "momentum encoder" in data.tasks[0].reviews[0]


def test_judge_evaluation_sets(datasets_dir: Path) -> None:
    author = load_dataset(datasets_dir / "author-eval.jsonl")
    reviewer = load_dataset(datasets_dir / "reviewer-eval.jsonl")
    assert author.kind is DatasetKind.AUTHOR_EVAL and reviewer.kind is DatasetKind.REVIEWER_EVAL
    first = author.judge_items[0]
    assert first.id == "demo-author/simsiam"
    assert [(label.key, label.label) for label in first.labels][:2] == [
        ("Stop-gradient", True),
        ("Predictor", True),
    ]
    assert [label.label for label in reviewer.judge_items[0].labels] == [True, False]


def test_parquet_and_folder_with_split(datasets_dir: Path, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [json.loads(line) for line in (datasets_dir / "author.jsonl").read_text().splitlines()]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "test.parquet")
    (tmp_path / "dev.jsonl").write_text(json.dumps(rows[0]) + "\n")
    assert [t.id for t in load_dataset(tmp_path).tasks] == ["simsiam", "swin-transformer", "dit"]
    assert [t.id for t in load_dataset(tmp_path, split="dev").tasks] == ["simsiam"]
    with pytest.raises(DatasetError, match="split 'train'"):
        load_dataset(tmp_path, split="train")


def test_json_list_file_and_dict_replacements(tmp_path: Path) -> None:
    row = {
        "id": "x",
        "paper_title": "X",
        "ablations_in_paper": [
            {"name": "a", "ablated_part": "a", "action": "replace", "replacement": {"k": "v"}}
        ],
    }
    path = tmp_path / "data.json"
    path.write_text(json.dumps([row]))
    task = load_dataset(path).tasks[0]
    assert task.ablations[0].replacement == ["k: v"]
    assert task.ablations[0].metrics == []


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"id": "x", "something": 1}, "unknown dataset schema"),
        ({"id": "x", "ablations_in_paper": "[{"}, "not valid JSON"),
        (
            {"id": "x", "ablations_in_paper": '[{"name": "a", "action": "SWAP"}]'},
            "invalid ablation",
        ),
        ({"ablations_in_paper": "[]"}, "has no id"),
        ({"id": "x", "review_text": "[]", "num_ablation_suggestions": "two"}, "must be an integer"),
    ],
)
def test_bad_rows_raise_a_clear_error(tmp_path: Path, row: dict, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(row) + "\n")
    with pytest.raises(DatasetError, match=message):
        load_dataset(path)


def test_duplicate_ids_and_empty_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.jsonl"
    path.write_text('{"id": "a", "ablations_in_paper": "[]"}\n' * 2)
    with pytest.raises(DatasetError, match="duplicate ids: a"):
        load_dataset(path)
    (tmp_path / "empty.jsonl").write_text("\n")
    with pytest.raises(DatasetError, match="no rows"):
        load_dataset(tmp_path / "empty.jsonl")


def test_missing_path_that_is_not_a_hub_name(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file"):
        load_dataset(str(tmp_path / "nope.jsonl"))


def test_hub_name_without_the_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "datasets", None)  # makes `import datasets` fail
    with pytest.raises(ConfigError, match=r"ablab\[hub\]"):
        load_dataset("ai-coscientist/researcher-ablation-bench")


def test_hub_offline_gives_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("datasets")

    def load(name: str, split: str) -> None:
        raise ConnectionError("Couldn't reach the Hugging Face Hub")

    fake.load_dataset = load  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "datasets", fake)
    with pytest.raises(DatasetError, match="offline") as info:
        load_dataset("ai-coscientist/reviewer-ablation-bench")
    assert "local folder" in str(info.value)


def test_hub_rows_are_parsed_like_local_ones(
    monkeypatch: pytest.MonkeyPatch, datasets_dir: Path
) -> None:
    rows = [json.loads(line) for line in (datasets_dir / "reviewer.jsonl").read_text().splitlines()]
    fake = types.ModuleType("datasets")
    calls = []

    def load(name: str, split: str) -> list[dict]:
        calls.append((name, split))
        return rows

    fake.load_dataset = load  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "datasets", fake)
    data = load_dataset("ai-coscientist/reviewer-ablation-bench", split="dev")
    assert calls == [("ai-coscientist/reviewer-ablation-bench", "dev")]
    assert data.kind is DatasetKind.REVIEWER and len(data.tasks) == 3
