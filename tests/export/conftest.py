"""A Hydra config written for these tests: a primary config with a loss group."""

from __future__ import annotations

from pathlib import Path

import pytest

from ablab.schema import Ablation, Action, Mode, Plan

PRIMARY = """\
defaults:
  - loss: kl
  - _self_
seed: 0
model:
  backbone: vit_small
  cvcm:
    enabled: true
    num_prototypes: 4096
  trg:
    enabled: true
  teacher_temp: 0.04
  pooling_act: gelu
  zebra_loss_type: stripes
optim:
  lr: 0.0003
  epochs: 100
"""
GROUP_OPTIONS = {"kl": "name: kl\n", "js": "name: js\n", "mse": "name: mse\n", "none": "{}\n"}


@pytest.fixture()
def hydra_conf(tmp_path: Path) -> Path:
    """conf/config.yaml plus conf/loss/{kl,js,mse,none}.yaml."""
    conf = tmp_path / "conf"
    (conf / "loss").mkdir(parents=True)
    (conf / "config.yaml").write_text(PRIMARY, encoding="utf-8")
    for name, text in GROUP_OPTIONS.items():
        (conf / "loss" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return conf / "config.yaml"


def ablation(
    name: str, part: str, action: Action, replacement: list[str] | None = None
) -> Ablation:
    """One plan item."""
    return Ablation(
        name=name,
        ablated_part=part,
        action=action,
        replacement=replacement,
        metrics=["top-1 accuracy"],
    )


@pytest.fixture()
def plan() -> Plan:
    """A plan touching a module, a temperature, a loss group and something the config lacks."""
    items = [
        ablation("Remove the CVCM", "Cross-View Consistency Module (CVCM)", Action.REMOVE),
        ablation(
            "Vary the teacher temperature",
            "teacher temperature τ_t of the consistency module",
            Action.REPLACE,
            ["τ_t = 0.02", "τ_t = 0.08"],
        ),
        ablation(
            "Replace the KL divergence",
            "KL divergence used in the consistency loss",
            Action.REPLACE,
            ["Jensen-Shannon divergence", "L2 (mean squared error) distance", "Wasserstein"],
        ),
        ablation("Remove the moon phase", "moon phase scheduler", Action.REMOVE),
    ]
    return Plan(paper_id="toy", mode=Mode.AUTHOR, planner="x", model="y", ablations=items)
