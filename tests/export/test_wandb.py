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


def test_runs_of_the_sweeps_come_back_as_plan_rows(
    hydra_conf: Path, plan: Plan, tmp_path: Path
) -> None:
    """Simulate W&B: each sweep's grid becomes runs whose config holds the sweep's parameters."""
    import csv
    import itertools

    from ablab.api import ablation_table

    sweeps = [
        yaml.safe_load(t)
        for t in export_plan(plan, "wandb", config=hydra_conf, seeds=2).files.values()
    ]
    keys = sorted({k for s in sweeps for k in s["parameters"]})
    rows = []
    for sweep in sweeps:
        names = list(sweep["parameters"])
        grids = [p.get("values", [p.get("value")]) for p in sweep["parameters"].values()]
        for values in itertools.product(*grids):
            run = dict(zip(names, values, strict=True))
            accuracy = 70.0 + run["seed"] + (0 if run["++ablation"] == "full" else -3)
            rows.append({**{k: run.get(k, "") for k in keys}, "top-1 accuracy": accuracy})
    path = tmp_path / "wandb_export.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, [*keys, "top-1 accuracy"])
        writer.writeheader()
        writer.writerows(rows)
    table = ablation_table(path, plan, config=hydra_conf, metrics=["top-1 accuracy"])
    assert [(r.rank, r.variant) for r in table.rows] == [
        (0, ""),
        (1, ""),
        (2, "τ_t = 0.02"),
        (2, "τ_t = 0.08"),
        (3, "Jensen-Shannon divergence"),
        (3, "L2 (mean squared error) distance"),
    ]
    assert all(c.summary.n == 2 for r in table.rows for c in r.cells.values())
    assert table.rows[1].cells["top-1 accuracy"].delta == -3.0
    assert not [w for w in table.warnings if "not in the plan" in w]
