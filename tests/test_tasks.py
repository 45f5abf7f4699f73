"""One reader for the JSON object of a model answer, used by the digest writer and the LM judge."""

from __future__ import annotations

import pytest

from ablab.tasks.answers import NoJSONObject, json_object


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
