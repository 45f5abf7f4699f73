"""The one reader of JSON in a model answer, used by every structured task."""

from __future__ import annotations

import pytest

from ablab.tasks.answers import NoJSONObject, json_object, json_values


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1}',
        'Here it is:\n```json\n{"a": 1}\n```\nHope it helps.',
        'Sure! {"a": 1,} trailing words',
        '```\n{"a": 1',
    ],
    ids=["plain", "fenced", "trailing-comma", "cut-off"],
)
def test_the_object_is_found_and_mended(text: str) -> None:
    assert json_object(text) == {"a": 1}


def test_terminal_controls_are_cleaned() -> None:
    assert json_object('{"a": "x\\u001b[2Jy"}') == {"a": "x[2Jy"}


@pytest.mark.parametrize("text", ["no json here", "[1, 2]", ""])
def test_no_object_is_an_error_for_the_model(text: str) -> None:
    with pytest.raises(NoJSONObject):
        json_object(text)


def test_json_lines_keep_the_good_lines_around_a_broken_one() -> None:
    text = 'Reasoning first.\n{"a": 1}\n{"b": 2,\n{"c": 3}\n'
    found = json_values(text)
    assert found.prefix == "Reasoning first."
    assert found.values == [{"a": 1}, {"b": 2}, {"c": 3}] and found.mended


def test_a_list_of_one_object_counts_as_the_object() -> None:
    assert json_object('[{"a": 1}]') == {"a": 1}
    with pytest.raises(NoJSONObject, match="not one JSON object"):
        json_object('[{"a": 1}, {"b": 2}]')
