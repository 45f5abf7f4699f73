"""The planner registry: unknown names and options a planner cannot take are ConfigErrors."""

from __future__ import annotations

import pytest

from ablab.errors import ConfigError
from ablab.planners import get_planner


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("bogus", {}, "unknown planner 'bogus'"),
        ("lm", {}, "model"),
        ("hybrid", {}, "model"),
    ],
)
def test_planner_that_cannot_be_built(name: str, options: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        get_planner(name, **options)


def test_planners_built_with_their_options() -> None:
    assert get_planner("heuristic").name == "heuristic"
    assert get_planner("lm", model="fake/heuristic").name == "lm"
