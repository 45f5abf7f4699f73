"""Hydra multirun commands: every run they describe is composed by Hydra itself."""

from __future__ import annotations

import itertools
import shlex
from pathlib import Path
from typing import Any

import pytest

from ablab.errors import ConfigError
from ablab.export import export_plan, map_plan, read_config
from ablab.export.hydra import check_overrides, hydra_commands, hydra_value
from ablab.schema import Action, Mode, Plan

from .conftest import ablation

hydra = pytest.importorskip("hydra")
from hydra import compose, initialize_config_dir  # noqa: E402
from hydra.core.override_parser.overrides_parser import OverridesParser  # noqa: E402


def _runs(overrides: list[str]) -> list[list[str]]:
    """The single runs a multirun expands to (the cartesian product of its sweeps)."""
    choices = []
    for parsed in OverridesParser.create().parse_overrides(overrides):
        if parsed.is_sweep_override():
            key = parsed.input_line.split("=", 1)[0]
            choices.append([f"{key}={value}" for value in parsed.sweep_string_iterator()])
        else:
            choices.append([parsed.input_line])
    return [list(run) for run in itertools.product(*choices)]


def _compose(config: Path, overrides: list[str]) -> Any:
    with initialize_config_dir(config_dir=str(config.parent), version_base=None):
        return compose(config_name=config.stem, overrides=overrides)


def test_hydra_composes_every_run(hydra_conf: Path, plan: Plan) -> None:
    mapping = map_plan(plan, read_config(hydra_conf))
    commands = hydra_commands(plan, mapping, seeds=2)
    assert [c.label for c in commands] == [
        "full",
        "remove-the-cvcm",
        "vary-the-teacher-temperature",
        "replace-the-kl-divergence",
    ]  # the unmappable fourth ablation gets no command
    composed = {}
    for command in commands:
        # The shell line splits back into exactly the overrides.
        assert shlex.split(command.line("train.py"))[3:] == command.overrides
        for run in _runs(command.overrides):
            cfg = _compose(hydra_conf, run)
            composed.setdefault(command.label, []).append(cfg)
    assert len(composed["full"]) == 2 and {c.seed for c in composed["full"]} == {0, 1}
    assert all(c.ablation == "full" and c.model.cvcm.enabled for c in composed["full"])
    assert {c.model.cvcm.enabled for c in composed["remove-the-cvcm"]} == {False}
    temps = {(c.model.teacher_temp, c.seed) for c in composed["vary-the-teacher-temperature"]}
    assert temps == {(0.02, 0), (0.02, 1), (0.08, 0), (0.08, 1)}
    # The loss group's option files are really loaded by Hydra.
    losses = {c.loss.name for c in composed["replace-the-kl-divergence"]}
    assert losses == {"js", "mse"}


def test_awkward_values_are_quoted_so_hydra_reads_them_back(hydra_conf: Path) -> None:
    values = ["a b", "it's", "x,y", "true", "null", "[1]", "k=v", "\\", "héllo"]
    for value in values:
        override = f"model.backbone={hydra_value(value)}"
        check_overrides([override])
        assert _compose(hydra_conf, [override]).model.backbone == value
    assert hydra_value(None) == "null" and hydra_value(False) == "false"


def test_without_config_runs_are_labelled(hydra_conf: Path) -> None:
    item = ablation("Swap it", "zebra thing", Action.REPLACE, ["a b", "c"])
    plan = Plan(paper_id="p", mode=Mode.AUTHOR, planner="x", model="y", ablations=[item])
    commands = hydra_commands(plan, None, seeds=1)
    assert commands[1].overrides == ["++variant=a-b,c", "++seed=0", "++ablation=swap-it"]
    for run in _runs(commands[1].overrides):
        assert _compose(hydra_conf, run).ablation == "swap-it"


def test_script_lists_the_unmapped_and_keeps_names_on_comment_lines(
    hydra_conf: Path, plan: Plan
) -> None:
    hostile = plan.model_copy(deep=True)
    hostile.ablations[0].name = "Remove it\nrm -rf /"
    text = export_plan(hostile, "hydra", config=hydra_conf).files["toy.hydra.sh"]
    assert "\nrm -rf /" not in text
    assert "#   4. Remove the moon phase: no config key matches" in text
    assert "'Wasserstein': no value of loss matches" in text


def test_check_overrides_rejects_broken_ones() -> None:
    with pytest.raises(ConfigError, match="Hydra rejects"):
        check_overrides(["model.x=[1,"])


def test_commands_follow_the_suggested_run_order(plan: Plan) -> None:
    from ablab.schema import Design

    ordered = plan.model_copy(deep=True)
    ordered.ablations[0].design = Design(run_order=2)
    ordered.ablations[2].design = Design(run_order=1)
    labels = [c.label for c in hydra_commands(ordered, None)]
    assert labels == [
        "full",
        "replace-the-kl-divergence",
        "remove-the-cvcm",
        "vary-the-teacher-temperature",
        "remove-the-moon-phase",
    ]
    assert hydra_commands(ordered, None)[1].comment.startswith("3. Replace the KL divergence")
