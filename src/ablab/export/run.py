"""Export a plan to the user's launcher: the files to write, and the mapping they rest on."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from ablab.export.config import read_config
from ablab.export.hydra import hydra_commands, render_hydra
from ablab.export.mapping import PlanMapping, map_plan
from ablab.export.wandb import sweep_yaml, wandb_sweeps
from ablab.schema import Plan


class Target(StrEnum):
    """Launchers ablab exports to."""

    hydra = "hydra"
    wandb = "wandb"


@dataclass
class Export:
    """What an export produced."""

    files: dict[str, str]
    """File name -> text (a shell script for Hydra, one YAML per sweep for W&B)."""
    mapping: PlanMapping | None = None
    """How ablations were mapped onto the config (None without a config)."""
    unmapped: list[str] = field(default_factory=list)
    """Ablations and variants that got no value, each with the reason."""


def _unmapped(mapping: PlanMapping | None) -> list[str]:
    if mapping is None:
        return []
    found = []
    for item in mapping.mappings:
        if item.key is None:
            best = ""
            if item.best_seen and item.score > 0:
                best = f" (best key {item.best_seen}, score {item.score:.0f})"
            found.append(f"{item.rank}. {item.ablation.name}: no config key matches{best}")
            continue
        for variant in item.unmapped_variants:
            found.append(f"{item.rank}. {item.ablation.name}: {variant.label!r}: {variant.note}")
    return found


def export_plan(
    plan: Plan,
    target: Target | str,
    *,
    config: Path | None = None,
    program: str = "train.py",
    seeds: int | None = None,
) -> Export:
    """Hydra commands or W&B sweeps for ``plan``, mapped onto ``config`` when given."""
    target = Target(target)
    mapping = map_plan(plan, read_config(config)) if config is not None else None
    unmapped = _unmapped(mapping)
    if target is Target.hydra:
        commands = hydra_commands(plan, mapping, seeds=seeds)
        text = render_hydra(plan, commands, program=program, unmapped=unmapped)
        return Export({f"{plan.paper_id}.hydra.sh": text}, mapping, unmapped)
    sweeps = wandb_sweeps(plan, mapping, program=program, seeds=seeds)
    files = {
        f"{plan.paper_id}.{index:02d}-{sweep.label}.sweep.yaml": sweep_yaml(sweep)
        for index, sweep in enumerate(sweeps)
    }
    return Export(files, mapping, unmapped)
