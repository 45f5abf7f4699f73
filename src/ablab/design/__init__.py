"""Detailed designs of single ablation studies (AbGen's shape), offline or with a model."""

from ablab.design.model import Group, StudyDesign
from ablab.design.offline import offline_design
from ablab.design.render import render_design

__all__ = ["Group", "StudyDesign", "offline_design", "render_design"]
