"""W&B sweep configurations: one YAML per ablation (grid over its variants and seeds).

Each sweep sets the mapped config key, the seeds, and an ``ablation`` label parameter, so that
every run's config says which plan item it belongs to (``ablab table`` reads it back from a W&B
runs export). For a Hydra config the command passes ``key=value`` arguments
(``${args_no_hyphens}``) and the label is ``++ablation``, which Hydra adds or overrides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from ablab.export.labels import FULL, slug
from ablab.export.mapping import Mapping, PlanMapping
from ablab.planners.offline_design import metric_direction
from ablab.schema import Ablation, Action, Plan

HYDRA_COMMAND = ["${env}", "${interpreter}", "${program}", "${args_no_hyphens}"]
"""W&B's command template for programs that take Hydra overrides."""


@dataclass
class Sweep:
    """One sweep configuration."""

    label: str
    """The ablation's slug (``full`` for the unablated method)."""
    config: dict[str, Any]
    """The sweep configuration, ready for YAML."""


def _values(values: list[Any], hydra: bool) -> dict[str, Any]:
    # W&B passes values as text; Hydra reads "None" as a string, so null is spelled out.
    values = ["null" if hydra and v is None else v for v in values]
    return {"value": values[0]} if len(values) == 1 else {"values": values}


def _metric(ablation: Ablation | None, plan: Plan) -> dict[str, str] | None:
    metrics = ablation.metrics if ablation else next((a.metrics for a in plan.ablations), [])
    if not metrics:
        return None
    higher = metric_direction(metrics[0])
    if higher is None:
        return None
    return {"name": metrics[0], "goal": "maximize" if higher else "minimize"}


def _base(
    name: str, description: str, program: str, hydra: bool, metric: dict[str, str] | None
) -> dict[str, Any]:
    config: dict[str, Any] = {
        "name": name,
        "description": description,
        "program": program,
        "method": "grid",
    }
    if metric:
        config["metric"] = metric
    if hydra:
        config["command"] = list(HYDRA_COMMAND)
    return config


def wandb_sweeps(
    plan: Plan,
    plan_mapping: PlanMapping | None = None,
    *,
    program: str = "train.py",
    seeds: int | None = None,
) -> list[Sweep]:
    """The full method's sweep, then one per ablation that can run (see the module docstring)."""
    hydra = bool(plan_mapping and plan_mapping.config.hydra)
    label_key = "++ablation" if hydra else "ablation"
    seed_param: dict[str, Any] = {}
    if seeds:
        seed_name = (
            plan_mapping.seed_key.path
            if plan_mapping and plan_mapping.seed_key
            else ("++seed" if hydra else "seed")
        )
        seed_param = {seed_name: _values(list(range(seeds)), hydra)}
    full = _base(
        f"{plan.paper_id}: full method",
        "The unablated method (made by ablab export).",
        program,
        hydra,
        _metric(None, plan),
    )
    full["parameters"] = {**seed_param, label_key: {"value": FULL}}
    sweeps = [Sweep(FULL, full)]
    for rank, ablation in enumerate(plan.ablations, 1):
        parameters: dict[str, Any] = {}
        if plan_mapping is not None:
            mapping: Mapping = plan_mapping.mappings[rank - 1]
            if mapping.key is None or not mapping.mapped_variants:
                continue
            values = [v.value for v in mapping.mapped_variants]
            parameters[mapping.key.path] = _values(values, hydra)
        elif ablation.action is not Action.REMOVE:
            parameters["variant"] = _values([slug(v) for v in ablation.variants()], hydra)
        parameters.update(seed_param)
        parameters[label_key] = {"value": slug(ablation.name)}
        question = ablation.design.question if ablation.design else None
        description = f"Ablation {rank} of the plan of {plan.paper_id}"
        if question:
            description += f": {question}"
        config = _base(
            f"{plan.paper_id}: {ablation.name}",
            description,
            program,
            hydra,
            _metric(ablation, plan),
        )
        config["parameters"] = parameters
        sweeps.append(Sweep(slug(ablation.name), config))
    return sweeps


def sweep_yaml(sweep: Sweep) -> str:
    """One sweep configuration as YAML (keys in the order W&B documents them)."""
    return yaml.safe_dump(sweep.config, sort_keys=False, allow_unicode=True, width=100)
