"""From plan to launcher: map ablations onto a user's config, write Hydra multiruns and W&B
sweeps (results to ablation tables live in :mod:`ablab.results`)."""

from ablab.export.config import UserConfig, read_config
from ablab.export.mapping import PlanMapping, map_plan
from ablab.export.plans import read_plan
from ablab.export.run import Export, Target, export_plan

__all__ = [
    "Export",
    "PlanMapping",
    "Target",
    "UserConfig",
    "export_plan",
    "map_plan",
    "read_config",
    "read_plan",
]
