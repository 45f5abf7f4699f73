"""W&B sweeps: one YAML per ablation, with the mapped key, seeds, label and metric goal."""

from __future__ import annotations

from pathlib import Path

import yaml

from ablab.export import export_plan
from ablab.schema import Plan


def test_one_sweep_per_runnable_ablation(hydra_conf: Path, plan: Plan) -> None:
    files = export_plan(plan, "wandb", config=hydra_conf, seeds=3, program="fit.py").files
    assert list(files) == [
        "toy.00-full.sweep.yaml",
        "toy.01-remove-the-cvcm.sweep.yaml",
        "toy.02-vary-the-teacher-temperature.sweep.yaml",
        "toy.03-replace-the-kl-divergence.sweep.yaml",
    ]
    sweeps = [yaml.safe_load(text) for text in files.values()]
    full, cvcm, temp, loss = sweeps
    assert all(s["program"] == "fit.py" and s["method"] == "grid" for s in sweeps)
    assert all(s["metric"] == {"name": "top-1 accuracy", "goal": "maximize"} for s in sweeps)
    # A Hydra config: key=value arguments, labels added with ++.
    assert cvcm["command"][-1] == "${args_no_hyphens}"
    assert full["parameters"] == {"seed": {"values": [0, 1, 2]}, "++ablation": {"value": "full"}}
    assert cvcm["parameters"]["model.cvcm.enabled"] == {"value": False}
    assert temp["parameters"]["model.teacher_temp"] == {"values": [0.02, 0.08]}
    assert loss["parameters"]["loss"] == {"values": ["js", "mse"]}
    assert loss["parameters"]["++ablation"] == {"value": "replace-the-kl-divergence"}


def test_without_config_variants_are_labels(plan: Plan) -> None:
    files = export_plan(plan, "wandb").files
    assert len(files) == 5  # nothing to map, so every ablation runs, labelled
    sweep = yaml.safe_load(files["toy.02-vary-the-teacher-temperature.sweep.yaml"])
    assert "command" not in sweep  # W&B's default --key=value arguments
    assert sweep["parameters"] == {
        "variant": {"values": ["t-0-02", "t-0-08"]},
        "ablation": {"value": "vary-the-teacher-temperature"},
    }
