"""Mapping ablated parts onto config keys: right key, scored, typed values, nothing guessed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ablab.errors import ConfigError
from ablab.export import map_plan, read_config
from ablab.export.mapping import Phrase, number_in, off_value, score, words
from ablab.schema import Action, Plan

from .conftest import ablation


def test_zebra_loss_type_finds_its_key(hydra_conf: Path) -> None:
    config = read_config(hydra_conf)
    assert score(Phrase.of("zebra loss type"), words("model.zebra_loss_type")) == 100
    item = ablation("Swap zebra", "zebra loss type", Action.REPLACE, ["dots"])
    mapping = map_plan(
        Plan(paper_id="p", mode="author", planner="x", model="y", ablations=[item]), config
    ).mappings[0]
    assert mapping.key is not None and mapping.key.path == "model.zebra_loss_type"
    # "dots" is no value the config uses for that key: listed as unmapped, not invented.
    assert mapping.variants[0].mapped is False


def test_plan_maps_with_scores_and_values(hydra_conf: Path, plan: Plan) -> None:
    result = map_plan(plan, read_config(hydra_conf))
    cvcm, temp, loss, moon = result.mappings
    assert cvcm.key and cvcm.key.path == "model.cvcm.enabled" and cvcm.score >= 90
    assert [v.value for v in cvcm.variants] == [False]
    assert temp.key and temp.key.path == "model.teacher_temp"
    assert [v.value for v in temp.variants] == [0.02, 0.08]
    assert loss.key and loss.key.path == "loss" and loss.key.kind == "group"
    assert [(v.label, v.value) for v in loss.mapped_variants] == [
        ("Jensen-Shannon divergence", "js"),
        ("L2 (mean squared error) distance", "mse"),
    ]
    assert [v.label for v in loss.unmapped_variants] == ["Wasserstein"]
    assert moon.key is None and moon.score < 70
    assert result.seed_key is not None and result.seed_key.path == "seed"
    assert [m.rank for m in result.unmapped] == [4]


def test_off_values_follow_the_key_type(hydra_conf: Path) -> None:
    config = read_config(hydra_conf)
    values = {
        path: off_value(key).value
        for path in ("model.cvcm.enabled", "optim.epochs", "optim.lr", "loss", "model.pooling_act")
        if (key := config.get(path)) is not None
    }
    assert values == {
        "model.cvcm.enabled": False,
        "optim.epochs": 0,
        "optim.lr": 0.0,
        "loss": "none",  # the group has a 'none' option
        "model.pooling_act": "identity",
    }
    assert off_value(config.get("model.backbone")).value is None  # type: ignore[arg-type]


def test_numbers_in_variants() -> None:
    assert number_in("τ_t = 0.004") == 0.004
    assert number_in("4 layers") == 4
    assert number_in("batch size 256 or 512") is None  # ambiguous
    assert number_in("lr = 1e-4") == 0.0001


def test_json_and_toml_configs(tmp_path: Path) -> None:
    (tmp_path / "c.json").write_text(json.dumps({"train": {"use_memory_bank": False}}))
    (tmp_path / "c.toml").write_text("[train]\nuse_memory_bank = false\n")
    for name in ("c.json", "c.toml"):
        config = read_config(tmp_path / name)
        item = ablation("Add a memory bank", "memory bank", Action.ADD, ["memory bank"])
        plan = Plan(paper_id="p", mode="author", planner="x", model="y", ablations=[item])
        mapping = map_plan(plan, config).mappings[0]
        assert mapping.key and mapping.key.path == "train.use_memory_bank"
        assert [v.value for v in mapping.variants] == [True]


@pytest.mark.parametrize(
    ("text", "message"),
    [("a: [1,\n", "not a valid yaml"), ("- 1\n- 2\n", "must be a mapping")],
)
def test_bad_configs_are_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        read_config(path)
    with pytest.raises(ConfigError, match="no such config"):
        read_config(tmp_path / "missing.yaml")
