"""The shared files of a run directory are merged as streams: same bytes, same errors, no whole
file in memory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ablab.errors import AblabError
from ablab.planners import get_planner
from ablab.runs import files, run_plans_sync
from ablab.runs.files import (
    FAILURES_FILE,
    PLANS_INDEX,
    iter_plans_index,
    merge_failures,
    merge_index,
    plans_index_ids,
    read_failures,
    read_plans_index,
    update_failures,
    update_plans_index,
)
from ablab.schema import Mode

from .conftest import write_papers


def _dumped(value: Any) -> bytes:
    """The bytes ablab wrote before merges were streamed (json.dump of the whole value)."""
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _entry(text: str, cost: float = 0.0) -> dict[str, object]:
    return {"predictions": text, "cost": cost}


def _write(path: Path, value: Any) -> None:
    path.write_bytes(_dumped(value))


@pytest.fixture
def no_whole_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any attempt to parse a shared file whole (what made memory grow with the batch)."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a shared file was parsed whole")

    monkeypatch.setattr(files.json, "loads", refuse)


def test_entries_are_kept_replaced_in_place_and_added(tmp_path: Path, no_whole_reads: None) -> None:
    old = {"a": _entry("x", 0.5), "b": _entry('λ ünïcode "quoted"\n', 1e-7), "c": _entry("")}
    _write(tmp_path / PLANS_INDEX, old)
    new = {"d": _entry("new"), "b": _entry("replaced", 2.0)}
    update_plans_index(tmp_path, new)
    expected = {**old, **new}  # dict.update order: b keeps its place, d comes last
    assert (tmp_path / PLANS_INDEX).read_bytes() == _dumped(expected)
    assert list(expected) == ["a", "b", "c", "d"]


def test_a_new_index_and_one_entry_have_json_dumps_layout(tmp_path: Path) -> None:
    update_plans_index(tmp_path, {"only": _entry('{"action": "remove"}')})
    assert (tmp_path / PLANS_INDEX).read_bytes() == _dumped(
        {"only": _entry('{"action": "remove"}')}
    )


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)
_INDEX = st.dictionaries(_TEXT, st.dictionaries(_TEXT, _VALUE, max_size=4), max_size=6)


@settings(max_examples=150, deadline=None)
@given(old=_INDEX, new=_INDEX)
def test_a_streamed_merge_writes_what_json_dump_of_the_merged_index_writes(
    tmp_path_factory: pytest.TempPathFactory, old: dict[str, Any], new: dict[str, Any]
) -> None:
    out = tmp_path_factory.mktemp("run")
    _write(out / PLANS_INDEX, old)
    update_plans_index(out, new)
    expected = {**old, **new}
    assert (out / PLANS_INDEX).read_bytes() == _dumped(expected)
    assert read_plans_index(out) == expected
    assert plans_index_ids(out) == set(expected)


@pytest.mark.parametrize(
    "damage",
    [
        b"not json",
        b"",
        b"[]",
        b'{"a": {"predictions": "", "cost": 0}, "b": "not an object"}',
        b'{"a": {"predictions": "", "cost": 0}, "b": {"predictions": "tru',  # cut halfway
        b'{"a": {"predictions": "", "cost": 0}} trailing',
        b'{"a": {"predictions": "\xff", "cost": 0}}',  # not UTF-8
    ],
)
def test_a_damaged_plans_index_is_refused_and_left_as_it_was(tmp_path: Path, damage: bytes) -> None:
    (tmp_path / PLANS_INDEX).write_bytes(damage)
    with pytest.raises(AblabError, match="not a plans index") as caught:
        update_plans_index(tmp_path, {"new": _entry("x")})
    assert "\n" not in str(caught.value)
    assert (tmp_path / PLANS_INDEX).read_bytes() == damage
    assert sorted(p.name for p in tmp_path.iterdir()) == [".ablab.lock", PLANS_INDEX]  # no temp
    with pytest.raises(AblabError, match="not a plans index"):
        plans_index_ids(tmp_path)


def test_an_index_json_reads_but_ijson_refuses_is_still_merged(tmp_path: Path) -> None:
    old = {"a": _entry("x"), "b": _entry("y", float("nan")), "c": _entry("z", float("inf"))}
    _write(tmp_path / PLANS_INDEX, old)
    update_plans_index(tmp_path, {"d": _entry("w")})
    assert list(read_plans_index(tmp_path)) == ["a", "b", "c", "d"]
    # Streamed up to b, then read by json: every entry once, in order.
    assert [key for key, _ in iter_plans_index(tmp_path)] == ["a", "b", "c", "d"]
    assert plans_index_ids(tmp_path) == {"a", "b", "c", "d"}


def test_another_damaged_index_is_started_afresh(tmp_path: Path) -> None:
    (tmp_path / "digests.json").write_text('{"a": {"digest": "a.md"}, "b": ')
    merge_index(tmp_path, "digests.json", {"c": {"digest": "c.md"}})
    assert json.loads((tmp_path / "digests.json").read_text()) == {"c": {"digest": "c.md"}}


def _failure(paper_id: str, error: str = "boom") -> dict[str, Any]:
    return {"source": f"{paper_id}.md", "paper_id": paper_id, "error": error}


def test_failures_are_recorded_replaced_and_cleared_in_place(
    tmp_path: Path, no_whole_reads: None
) -> None:
    old = [_failure("a"), _failure("b"), {"source": "unread.pdf", "paper_id": None}, _failure("c")]
    _write(tmp_path / FAILURES_FILE, old)
    update_failures(
        tmp_path,
        {"b": _failure("b", "again"), "d": _failure("d"), "c": _failure("c", "back")},
        {"a", "unread.pdf", "c", "never-failed"},
    )
    # b keeps its place, a and unread.pdf go, c was cleared then failed again: it moves last.
    expected = [_failure("b", "again"), _failure("d"), _failure("c", "back")]
    assert (tmp_path / FAILURES_FILE).read_bytes() == _dumped(expected)


def test_clearing_the_last_failure_leaves_an_empty_list(tmp_path: Path) -> None:
    _write(tmp_path / FAILURES_FILE, [_failure("a")])
    update_failures(tmp_path, {}, {"a"})
    assert (tmp_path / FAILURES_FILE).read_bytes() == _dumped([])


def test_clearing_what_is_not_there_leaves_the_file_untouched(tmp_path: Path) -> None:
    _write(tmp_path / FAILURES_FILE, [_failure("a")])
    before = (tmp_path / FAILURES_FILE).stat()
    update_failures(tmp_path, {}, {"b", "c"})
    after = (tmp_path / FAILURES_FILE).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    (tmp_path / "fresh").mkdir()
    update_failures(tmp_path / "fresh", {}, {"b"})
    assert not (tmp_path / "fresh" / FAILURES_FILE).exists()  # nothing to clear, none made


@pytest.mark.parametrize("damage", ["[{", "{}", "not json", ""])
def test_a_damaged_failures_file_is_started_afresh(tmp_path: Path, damage: str) -> None:
    (tmp_path / FAILURES_FILE).write_text(damage)
    merge_failures(tmp_path, FAILURES_FILE, {"x": _failure("x")}, {"y"})
    assert (tmp_path / FAILURES_FILE).read_bytes() == _dumped([_failure("x")])
    assert list(read_failures(tmp_path)) == ["x"]


def test_a_rerun_with_everything_done_reads_plans_json_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    papers = write_papers(tmp_path / "papers", 5)
    out = tmp_path / "run"
    run_plans_sync(papers, get_planner("heuristic"), mode=Mode.AUTHOR, out=out)
    before = (out / PLANS_INDEX).read_bytes()
    streamed: list[str] = []
    stream = files._stream_json

    def counting(path: Path, container: Any) -> Any:
        streamed.append(path.name)
        return stream(path, container)

    monkeypatch.setattr(files, "_stream_json", counting)
    monkeypatch.setattr(files, "read_plans_index", None)  # nor read whole
    again = run_plans_sync(papers, get_planner("heuristic"), mode=Mode.AUTHOR, out=out)
    assert again.count("skipped") == 5
    assert streamed.count(PLANS_INDEX) == 1
    assert (out / PLANS_INDEX).read_bytes() == before
