"""Trajectory Markdown: byte-exact round trip over every published file, and rendering rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ablab.errors import TrajectoryFormatError
from ablab.formats.trajectory import (
    _CLOSE,
    PLAN_BOXES,
    parse_trajectory,
    render_plan_markdown,
    render_trajectory,
)
from ablab.schema import Ablation, Action, Mode, Plan, Trajectory


def _all_fixture_files(root: Path) -> list[Path]:
    return sorted(root.glob("*/*.md"))


def test_round_trip_is_byte_identical_for_every_fixture(trajectories_dir: Path) -> None:
    files = _all_fixture_files(trajectories_dir)
    assert len(files) > 900  # the whole published set, not a sample
    mismatched = []
    for path in files:
        original = path.read_bytes()
        trajectory = parse_trajectory(original.decode("utf-8"), where=str(path))
        if render_trajectory(trajectory).encode("utf-8") != original:
            mismatched.append(path.name)
    assert mismatched == []


def test_fixture_content_is_parsed_into_fields(trajectories_dir: Path) -> None:
    trajectory = parse_trajectory((trajectories_dir / "gpt-4o" / "simsiam.md").read_text("utf-8"))
    assert (trajectory.planner, trajectory.model, trajectory.paper_id) == (
        "lm-planner",
        "gpt-4o",
        "simsiam",
    )
    assert trajectory.mode is Mode.AUTHOR
    assert trajectory.reasoning.startswith('The paper "Exploring Simple Siamese')
    first, second = trajectory.ablations[:2]
    assert first.action is Action.REMOVE and first.replacement is None
    assert first.ablated_part == "stop-gradient operation"
    assert second.replacement == ["2-layer MLP", "4-layer MLP"]
    assert second.metrics == ["linear evaluation accuracy"]


def test_box_colour_gives_the_mode(trajectories_dir: Path) -> None:
    modes = {
        parse_trajectory(p.read_text("utf-8")).mode for p in _all_fixture_files(trajectories_dir)
    }
    assert modes == {Mode.AUTHOR, Mode.REVIEWER}


def test_seeds_with_garbled_encoding_parse_and_round_trip(seeds_dir: Path) -> None:
    for name in ("000", "001", "003", "004"):
        path = next(seeds_dir.glob(f"{name}_*.txt"))
        original = path.read_text("utf-8")
        trajectory = parse_trajectory(original, where=str(path))
        assert trajectory.layout.mojibake
        assert "ðŸ" not in trajectory.reasoning
        assert render_trajectory(trajectory) == original
    seed = parse_trajectory(next(seeds_dir.glob("001_*.txt")).read_text("utf-8"))
    assert seed.model == "gemini-2.5-flash"
    assert "η2 = 0.1 * η1" in seed.ablations[1].replacement  # repaired Greek letters


def _plan(**overrides: object) -> Plan:
    base = {
        "paper_id": "toy",
        "mode": Mode.REVIEWER,
        "planner": "heuristic",
        "model": "offline",
        "reasoning": "Because.",
        "ablations": [
            Ablation(
                name="Drop A", ablated_part="module A", action="remove", metrics=["acc", "F1"]
            ),
            Ablation(
                name="Swap B",
                ablated_part="loss B",
                action=Action.REPLACE,
                replacement=["L2", "cosine"],
                metrics=["acc"],
            ),
        ],
    }
    base.update(overrides)
    return Plan.model_validate(base)


def test_render_plan_layout_and_parse_back() -> None:
    plan = _plan()
    text = render_plan_markdown(plan)
    assert "# heuristic/offline/toy\n" in text
    assert "#e8f5e8" in text and "#f3e5f5" not in text  # reviewer -> green box
    assert "- **Action**: REMOVE\n- **Metrics**: acc, F1" in text
    assert "- **Replacement**: \n  - L2\n  - cosine\n" in text
    back = parse_trajectory(text).to_plan()
    assert [a.to_bench_dict() for a in back.ablations] == [
        a.to_bench_dict() for a in plan.ablations
    ]
    assert back.reasoning == "Because."


def test_newlines_inside_fields_are_folded_so_the_layout_survives() -> None:
    plan = _plan(
        ablations=[
            Ablation(
                name="Two\nlines",
                ablated_part="part\n- **Action**: ADD",
                action=Action.REPLACE,
                replacement=["x\ny"],
                metrics=["m"],
            )
        ]
    )
    back = parse_trajectory(render_plan_markdown(plan)).ablations[0]
    assert back.name == "Two lines"
    assert back.action is Action.REPLACE
    assert back.replacement == ["x y"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not a trajectory"),
        ("# just a title\n", "not a trajectory"),
    ],
)
def test_malformed_input_gives_clear_errors(text: str, message: str) -> None:
    with pytest.raises(TrajectoryFormatError, match=message):
        parse_trajectory(text)


def test_unknown_action_is_reported() -> None:
    text = render_plan_markdown(_plan()).replace("**Action**: REMOVE", "**Action**: DELETE")
    with pytest.raises(TrajectoryFormatError, match="unknown action 'DELETE'"):
        parse_trajectory(text)


def test_trajectory_from_plan_keeps_mode_and_title() -> None:
    trajectory = Trajectory.from_plan(_plan(mode=Mode.AUTHOR))
    assert trajectory.mode is Mode.AUTHOR
    assert "#f3e5f5" in render_trajectory(trajectory)


# Text that stresses the layout: its own markers, line breaks of every kind, the mojibake mark,
# the emoji of the box titles, and the separator between the two boxes.
_PIECES = st.sampled_from(
    ["###", "### ", "- **", "**: ", "\n", "\n\n", ", ", ",", " ", "\t", "\r", "\u2028", "\x85"]
    + ["ðŸ", "🧠", "📋", "é", "日本", "</div>", "  - ", "#", "Loss", "KL", "w/o"]
    + [f"\n{_CLOSE}\n\n{box}" for box in PLAN_BOXES.values()]
)
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=10).map("".join)


_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def _fold(text: str) -> str:
    """What a field becomes in the layout: verbatim unless it holds a line break."""
    return " ".join(text.split()) if any(b in text for b in _BREAKS) else text


def _same(back: str, original: str) -> bool:
    # A folded field keeps its words; the spaces around a folded break are not kept exactly.
    return (
        back == original
        if back == _fold(back) and _fold(original) == original
        else (back.split() == original.split())
    )


@st.composite
def _ablations(draw: st.DrawFn) -> Ablation:
    action = draw(st.sampled_from(list(Action)))
    # ", " joins metrics in the layout, so a metric holding it cannot come back as one metric.
    metric = _TEXT.filter(lambda m: m.strip() != "" and ", " not in _fold(m))
    return Ablation(
        name=draw(_TEXT),
        ablated_part=draw(_TEXT),
        action=action,
        replacement=None if action is Action.REMOVE else draw(st.lists(_TEXT, max_size=3)),
        metrics=draw(st.lists(metric, max_size=3)),
    )


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(Mode)), _TEXT, st.lists(_ablations(), max_size=4))
def test_any_plan_survives_render_then_parse(
    mode: Mode, reasoning: str, ablations: list[Ablation]
) -> None:
    plan = _plan(mode=mode, reasoning=reasoning, ablations=ablations)
    back = parse_trajectory(render_plan_markdown(plan)).to_plan()
    assert back.mode is mode
    assert back.reasoning == reasoning
    assert len(back.ablations) == len(ablations)
    for got, want in zip(back.ablations, ablations, strict=True):
        assert got.action is want.action
        assert _same(got.name, want.name) and _same(got.ablated_part, want.ablated_part)
        assert len(got.replacement or []) == len(want.replacement or [])
        for x, y in zip(got.replacement or [], want.replacement or [], strict=True):
            assert _same(x, y)
        assert len(got.metrics) == len(want.metrics)
        assert all(_same(x, y) for x, y in zip(got.metrics, want.metrics, strict=True))


def _published(block: str) -> str:
    """A trajectory in the published layout with one hand-written plan block."""
    return (
        render_trajectory(
            Trajectory(
                planner="lm-planner", model="m", paper_id="p", mode=Mode.AUTHOR,
                reasoning="r", ablations=[],
            )
        ).removesuffix(f"{_CLOSE}")
        .removesuffix("\n\n")
        + f"{block}\n\n{_CLOSE}"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("block", "check"),
    [
        # a model's leading space survives after "  - " and after "**Metrics**:"
        (
            "### A\n- **Ablated Part**: x\n- **Action**: REPLACE\n- **Replacement**: \n"
            "  -  y\n- **Metrics**:  m1, m2",
            lambda a: a.replacement == [" y"] and a.metrics == [" m1", "m2"],
        ),
        # a TAB a model left inside a formula ("\text" read as a TAB escape)
        (
            "### B\n- **Ablated Part**: net ($G_{\text{r}}$)\n- **Action**: REMOVE\n"
            "- **Metrics**: m",
            lambda a: "\t" in a.ablated_part,
        ),
        # ADD with no alternatives: no Replacement line at all
        (
            "### C\n- **Ablated Part**: x\n- **Action**: ADD\n- **Metrics**: m",
            lambda a: a.replacement == [],
        ),
    ],
)
def test_published_quirks_round_trip_byte_for_byte(block: str, check: object) -> None:
    text = _published(block)
    trajectory = parse_trajectory(text)
    assert check(trajectory.ablations[0])  # type: ignore[operator]
    assert render_trajectory(trajectory) == text


def test_empty_replacement_list_writes_no_replacement_line() -> None:
    plan = _plan(
        ablations=[Ablation(name="Add X", ablated_part="X", action=Action.ADD, metrics=["m"])]
    )
    assert "Replacement" not in render_plan_markdown(plan)
