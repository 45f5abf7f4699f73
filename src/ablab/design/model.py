"""A detailed design of one ablation study, in the shape of AbGen's expert-written designs: a
research objective and an experimental setup (groups, datasets, procedure, metrics)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ablab.schema import Ablation, Evidence


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class Group(_Model):
    """One arm of the study: the full method (control) or a variant."""

    name: str
    """Short name (``full method``, ``without CVCM``, ``τ_t = 0.02``)."""
    description: str
    """What is run in this group."""
    control: bool = False
    """Whether this is the unablated method every variant is compared with."""


class StudyDesign(_Model):
    """How to run one ablation, step by step."""

    paper_id: str
    """Id of the paper."""
    paper_title: str = ""
    """Its title."""
    ablation: Ablation
    """The plan item this design details."""
    research_objective: str
    """What the study finds out, in one or two sentences."""
    groups: list[Group] = Field(default_factory=list)
    """The full method and each variant."""
    datasets: list[str] = Field(default_factory=list)
    """Datasets, as the paper names them (empty when it names none)."""
    procedure: list[str] = Field(default_factory=list)
    """Steps, in order."""
    metrics: list[str] = Field(default_factory=list)
    """What to report."""
    controls: list[str] = Field(default_factory=list)
    """What stays fixed across groups."""
    evidence: list[Evidence] = Field(default_factory=list)
    """Sentences of the paper's setup the design rests on."""
    missing: list[str] = Field(default_factory=list)
    """What the paper does not say and the design therefore leaves open."""
    made_by: str = "offline"
    """``offline`` or the model's name."""
