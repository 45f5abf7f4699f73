"""Planners: turn a paper into a ranked ablation plan."""

from ablab.planners.base import (
    Planner,
    available_planners,
    check_planner,
    get_planner,
    register_planner,
)

__all__ = ["Planner", "available_planners", "check_planner", "get_planner", "register_planner"]
