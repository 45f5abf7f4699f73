"""Hydra multirun commands: one line per ablation (``python train.py -m key=a,b seed=0,1,2``).

Values are written in Hydra's override grammar (``null``, ``true``, numbers, bare words, quoted
text) and each override is quoted for the shell when it needs it. When ``hydra-core`` is
installed the overrides are also checked with Hydra's own parser.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Any

from ablab.errors import ConfigError
from ablab.export.labels import FULL, slug
from ablab.export.mapping import Mapping, PlanMapping
from ablab.schema import Action, Plan

LABEL_KEY = "ablation"
"""Key added to every run (``++ablation=<slug>``) so results can be traced to plan items."""
VARIANT_KEY = "variant"
"""Key that labels variants when there is no config to map them onto."""

_BARE = re.compile(r"^[A-Za-z_][A-Za-z0-9_./\-]*$")
_RESERVED = frozenset({"true", "false", "null", "nan", "inf"})


def hydra_value(value: Any) -> str:
    """``value`` in Hydra's override grammar."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ",".join(hydra_value(v) for v in value) + "]"
    text = str(value)
    if _BARE.match(text) and text.lower() not in _RESERVED:
        return text
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def override(key: str, values: list[Any], *, add: bool = False) -> str:
    """``key=v`` or the sweep ``key=a,b``; ``++key`` sets a key whether the config has it or not
    (labels, and a seed when there is no config to find the seed key in)."""
    body = ",".join(hydra_value(v) for v in values)
    return f"{'++' if add else ''}{key}={body}"


@dataclass
class HydraCommand:
    """One multirun command."""

    label: str
    """The ablation's slug, or ``full``."""
    overrides: list[str]
    """The overrides, unquoted."""
    comment: str
    """What the line runs, with the mapping's score."""

    def line(self, program: str) -> str:
        """The shell command."""
        return " ".join(["python", shlex.quote(program), "-m", *map(shlex.quote, self.overrides)])


def _seeds(plan_mapping: PlanMapping | None, seeds: int | None) -> list[str]:
    if not seeds:
        return []
    if plan_mapping is not None and plan_mapping.seed_key is not None:
        return [override(plan_mapping.seed_key.path, list(range(seeds)))]
    return [override("seed", list(range(seeds)), add=True)]


def _mapped(mapping: Mapping) -> tuple[list[str], str]:
    assert mapping.key is not None
    values = [v.value for v in mapping.mapped_variants]
    comment = f"{mapping.key.path} (score {mapping.score:.0f})"
    skipped = [v.label for v in mapping.unmapped_variants]
    if skipped:
        comment += "; not mapped: " + ", ".join(skipped)
    return [override(mapping.key.path, values)], comment


def hydra_commands(
    plan: Plan,
    plan_mapping: PlanMapping | None = None,
    *,
    seeds: int | None = None,
    label: bool = True,
) -> list[HydraCommand]:
    """The full method's command, then one per ablation that can run, in the plan's suggested
    run order (rank order for ablations without one).

    Without a mapping every run is labelled only (``++ablation=...``, ``++variant=...``) and the
    program decides what the label changes. Ablations that could not be mapped get no command.
    """
    seed_overrides = _seeds(plan_mapping, seeds)
    commands = [
        HydraCommand(
            FULL,
            [*seed_overrides, *([override(LABEL_KEY, [FULL], add=True)] if label else [])],
            "the full method",
        )
    ]
    ranks = {id(a): rank for rank, a in enumerate(plan.ablations, 1)}
    for ablation in plan.run_sequence():  # the plan's suggested run order, when it has one
        rank = ranks[id(ablation)]
        name = slug(ablation.name)
        labels = [override(LABEL_KEY, [name], add=True)] if label else []
        if plan_mapping is None:
            variants = [] if ablation.action is Action.REMOVE else ablation.variants()
            body = (
                [override(VARIANT_KEY, [slug(v) for v in variants], add=True)] if variants else []
            )
            comment = f"{rank}. {ablation.name} (labels only: no config given)"
        else:
            mapping = plan_mapping.mappings[rank - 1]
            if mapping.key is None or not mapping.mapped_variants:
                continue
            body, where = _mapped(mapping)
            comment = f"{rank}. {ablation.name}: {where}"
        commands.append(HydraCommand(name, [*body, *seed_overrides, *labels], comment))
    return commands


def check_overrides(overrides: list[str]) -> None:
    """Parse ``overrides`` with Hydra's own parser when hydra-core is installed."""
    try:
        from hydra.core.override_parser.overrides_parser import OverridesParser
    except ImportError:
        return
    try:
        OverridesParser.create().parse_overrides(overrides)
    except Exception as exc:  # hydra raises its own OverrideParseException
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"Hydra rejects the overrides {overrides}: {first}") from None


def render_hydra(
    plan: Plan, commands: list[HydraCommand], *, program: str, unmapped: list[str]
) -> str:
    """A shell script: a comment and a command per run, then the unmapped ablations."""
    lines = [
        "#!/bin/sh",
        f"# Hydra multiruns for the ablation plan of {plan.paper_id} (made by ablab export).",
        "",
    ]
    for command in commands:
        check_overrides(command.overrides)
        # Names come from papers: one line each, so a comment cannot become a command.
        lines += [f"# {' '.join(command.comment.split())}", command.line(program), ""]
    if unmapped:
        lines.append("# Not mapped to the config (add these by hand):")
        lines += [f"#   {' '.join(item.split())}" for item in unmapped]
    return "\n".join(lines).rstrip() + "\n"
