"""Pydantic models shared by every stage of ablab.

Data flows one way: source -> :class:`Paper` -> :class:`Analysis` -> planner -> :class:`Plan`.
The :class:`Ablation` JSON shape is AblationBench's and must stay exact (see ``to_bench_dict``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ablab._util.jsonl import json_line


class Mode(StrEnum):
    """Which AblationBench task a plan answers."""

    AUTHOR = "author"
    """Plan ablations from the method (the paper is cut before its experiments)."""
    REVIEWER = "reviewer"
    """Find the ablations missing from the full paper."""


class Action(StrEnum):
    """What an ablation does to the ablated part."""

    REMOVE = "REMOVE"
    REPLACE = "REPLACE"
    ADD = "ADD"


class SourceKind(StrEnum):
    """The kind of file a paper was read from."""

    MARKDOWN = "markdown"
    TEXT = "text"
    LATEX = "latex"
    PDF = "pdf"
    DIGEST = "digest"


class SectionRole(StrEnum):
    """The part a section plays in a paper; drives the author-mode cut and context budgets."""

    ABSTRACT = "abstract"
    INTRODUCTION = "introduction"
    RELATED_WORK = "related_work"
    BACKGROUND = "background"
    METHOD = "method"
    EXPERIMENTS = "experiments"
    RESULTS = "results"
    ABLATIONS = "ablations"
    DISCUSSION = "discussion"
    LIMITATIONS = "limitations"
    CONCLUSION = "conclusion"
    REFERENCES = "references"
    APPENDIX = "appendix"
    OTHER = "other"


DEFAULT_K = {Mode.AUTHOR: 5, Mode.REVIEWER: 2}
"""Default number of ablations per mode (AblationBench uses k=5 for authors, k=2 for reviewers)."""

EXPERIMENT_ROLES = frozenset({SectionRole.EXPERIMENTS, SectionRole.RESULTS, SectionRole.ABLATIONS})
"""Roles at which author mode cuts the paper: everything from the first of these on is hidden."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class Table(_Model):
    """A table found in the paper (Markdown pipe table, LaTeX tabular)."""

    caption: str = ""
    """Caption text, if any."""
    header: list[str] = Field(default_factory=list)
    """Column headers of the first header row."""
    rows: list[list[str]] = Field(default_factory=list)
    """Body rows as cell strings."""


class Section(_Model):
    """One node of the paper's section tree."""

    id: str
    """Stable anchor, unique within the paper (e.g. ``s3-2-loss-functions``)."""
    title: str
    """Heading text without numbering."""
    number: str | None = None
    """Heading number as printed (``3.2``), if any."""
    level: int = 1
    """Depth: 1 for a section, 2 for a subsection, ..."""
    role: SectionRole = SectionRole.OTHER
    """The role of this section (inherited from the parent when the heading says nothing)."""
    text: str = ""
    """Body text of this section only (children excluded), equations kept."""
    tables: list[Table] = Field(default_factory=list)
    """Tables that appear in this section's body."""
    children: list[Section] = Field(default_factory=list)
    """Subsections."""

    def walk(self) -> Iterator[Section]:
        """Yield this section and all descendants in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


class Paper(_Model):
    """A paper read from any supported source."""

    id: str
    """Short identifier (file stem by default); names output files."""
    title: str
    """Paper title."""
    abstract: str = ""
    """Abstract text."""
    sections: list[Section] = Field(default_factory=list)
    """Top-level sections in document order."""
    source_kind: SourceKind
    """What kind of file the paper came from."""
    source_path: str | None = None
    """Path the paper was read from, if any."""
    content_hash: str
    """sha256 of the source bytes; changes whenever the source changes."""
    warnings: list[str] = Field(default_factory=list)
    """Problems met while reading (skipped includes, unreadable pages, ...)."""
    metadata: dict[str, str] = Field(default_factory=dict)
    """Extra facts from the source (arXiv id, source URL, ...)."""

    def walk(self) -> Iterator[Section]:
        """Yield every section in document order."""
        for section in self.sections:
            yield from section.walk()

    def find_section(self, section_id: str) -> Section | None:
        """Return the section with this id, or None."""
        return next((s for s in self.walk() if s.id == section_id), None)

    def full_text(self) -> str:
        """Title, abstract and every section as one Markdown-like string."""
        parts = [f"# {self.title}"]
        if self.abstract:
            parts.append(f"## Abstract\n\n{self.abstract}")
        for section in self.walk():
            heading = "#" * min(section.level + 1, 6)
            parts.append(f"{heading} {section.title}\n\n{section.text}".rstrip())
        return "\n\n".join(parts)


class Evidence(_Model):
    """Where in the paper a finding comes from."""

    section_id: str | None = None
    """Id of the section holding the quote (None for title/abstract)."""
    section_title: str = ""
    """Title of that section, for display."""
    quote: str
    """Short quote from the paper (at most a sentence or two)."""


Priority = Literal["high", "medium", "low"]
"""How much an ablation's outcome matters to the paper's claims."""


class Design(_Model):
    """How to run one ablation (not part of the AblationBench format; every field optional).

    Planners fill only what their evidence supports and leave the rest empty.
    """

    question: str | None = None
    """The question the ablation answers."""
    expected_outcome: str | None = None
    """What the results should show if the ablated part matters."""
    controls: list[str] = Field(default_factory=list)
    """What stays fixed so the comparison is fair: seeds, matched parameters or compute,
    settings kept as in the full method."""
    priority: Priority | None = None
    """high, medium or low."""
    relative_cost: float | None = Field(default=None, ge=0)
    """Compute per seed relative to one training run of the full method (3 = three full runs)."""
    run_order: int | None = Field(default=None, ge=1)
    """Position in the plan's suggested run order (1 runs first)."""

    def is_empty(self) -> bool:
        """Whether no field is filled."""
        return self == Design()


class Ablation(_Model):
    """One ablation experiment. Its AblationBench form is ``to_bench_dict()``."""

    name: str
    """Short title of the experiment."""
    ablated_part: str
    """The component, choice or hyperparameter being ablated."""
    action: Action
    """REMOVE, REPLACE or ADD."""
    replacement: list[str] | None = None
    """Alternatives for REPLACE/ADD; None for REMOVE."""
    metrics: list[str] = Field(default_factory=list)
    """Metrics to report, the paper's own where possible."""
    rationale: str | None = None
    """Why this ablation matters (not part of the AblationBench format)."""
    evidence: list[Evidence] = Field(default_factory=list)
    """Quotes supporting the ablation (not part of the AblationBench format)."""
    design: Design | None = None
    """How to run it: question, expected outcome, controls, priority, cost, run order (not
    part of the AblationBench format)."""

    @field_validator("action", mode="before")
    @classmethod
    def _normalise_action(cls, value: Any) -> Any:
        if isinstance(value, str):
            return value.strip().upper()
        return value

    @model_validator(mode="after")
    def _replacement_matches_action(self) -> Ablation:
        if self.action is Action.REMOVE:
            self.replacement = None
        elif self.replacement is None:
            self.replacement = []
        if self.design is not None and self.design.is_empty():
            self.design = None  # one spelling of "no design"
        return self

    def variants(self) -> list[str]:
        """The runs the ablation compares with the full method: one per replacement, or ``""``
        (the part removed) for REMOVE."""
        if self.action is Action.REMOVE:
            return [""]
        return list(self.replacement or [])

    def to_bench_dict(self) -> dict[str, Any]:
        """The exact AblationBench JSON object (five keys, in order)."""
        return {
            "name": self.name,
            "ablated_part": self.ablated_part,
            "action": self.action.value,
            "replacement": None if self.action is Action.REMOVE else list(self.replacement or []),
            "metrics": list(self.metrics),
        }


class Usage(_Model):
    """Tokens, requests and money spent producing a result."""

    requests: int = 0
    """Model requests made (cache hits excluded)."""
    input_tokens: int = 0
    """Prompt tokens."""
    output_tokens: int = 0
    """Completion tokens."""
    cost_usd: float | None = 0.0
    """Cost in US dollars; None when a price was unknown."""

    def __add__(self, other: Usage) -> Usage:
        cost = (
            None
            if self.cost_usd is None or other.cost_usd is None
            else self.cost_usd + other.cost_usd
        )
        return Usage(
            requests=self.requests + other.requests,
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cost_usd=cost,
        )


def _now() -> datetime:
    return datetime.now(UTC)


class Plan(_Model):
    """A ranked ablation plan for one paper, with its provenance."""

    paper_id: str
    """Id of the planned paper."""
    paper_title: str = ""
    """Title of the planned paper."""
    paper_hash: str | None = None
    """Content hash of the paper source the plan was made from."""
    mode: Mode
    """author or reviewer."""
    planner: str
    """Planner name (``heuristic``, ``lm``, ``hybrid``, ``lm-planner`` for imported plans...)."""
    model: str
    """Model name, ``offline`` for the heuristic planner."""
    k: int | None = None
    """Requested number of ablations."""
    reasoning: str = ""
    """Reasoning trace (Markdown)."""
    ablations: list[Ablation] = Field(default_factory=list)
    """Ablations, most important first."""
    usage: Usage = Field(default_factory=Usage)
    """Tokens and cost spent."""
    versions: dict[str, str] = Field(default_factory=dict)
    """Versions of ablab and of the prompt/planner that made the plan."""
    created_at: datetime = Field(default_factory=_now)
    """When the plan was made (UTC)."""

    def run_sequence(self) -> list[Ablation]:
        """The ablations in their suggested run order (unordered ones after, by rank)."""
        last = len(self.ablations) + 1

        def key(item: tuple[int, Ablation]) -> tuple[int, int]:
            rank, ablation = item
            order = ablation.design.run_order if ablation.design else None
            return (order if order is not None else last, rank)

        return [a for _, a in sorted(enumerate(self.ablations), key=key)]

    def to_jsonl(self) -> str:
        """AblationBench predictions: one ablation JSON object per line."""

        return "\n".join(json_line(a.to_bench_dict()) for a in self.ablations)


class TrajectoryLayout(_Model):
    """Byte-level quirks of a published trajectory file, kept so rendering reproduces it."""

    blank_before_close: bool = True
    """Whether a blank line precedes the closing ``</div>`` of the plan box."""
    trailing_newline: bool = False
    """Whether the file ends with a newline (published files do not)."""
    mojibake: bool = False
    """Whether the file was stored double-encoded (UTF-8 read as cp1252), as the seeds are."""


class Trajectory(_Model):
    """A plan in the Markdown trajectory layout of the AblationBench project page."""

    planner: str
    """First part of the title line (``lm-planner``)."""
    model: str
    """Second part of the title line (``gpt-4o``)."""
    paper_id: str
    """Last part of the title line."""
    mode: Mode
    """author (purple plan box) or reviewer (green plan box)."""
    reasoning: str
    """Text of the reasoning box, verbatim."""
    ablations: list[Ablation]
    """Ablations of the plan box in order."""
    layout: TrajectoryLayout = Field(default_factory=TrajectoryLayout)
    """Formatting quirks to reproduce."""

    def to_plan(self) -> Plan:
        """The trajectory as a Plan (no usage or timestamps are known)."""
        return Plan(
            paper_id=self.paper_id,
            mode=self.mode,
            planner=self.planner,
            model=self.model,
            reasoning=self.reasoning,
            ablations=self.ablations,
            k=len(self.ablations),
        )

    @classmethod
    def from_plan(cls, plan: Plan) -> Trajectory:
        """A trajectory for a plan, in the published layout."""
        return cls(
            planner=plan.planner,
            model=plan.model,
            paper_id=plan.paper_id,
            mode=plan.mode,
            reasoning=plan.reasoning,
            ablations=plan.ablations,
        )


ComponentKind = Literal["module", "loss", "stage", "mechanism", "regularizer", "data", "other"]
DesignCategory = Literal[
    "divergence",
    "distance",
    "normalization",
    "architecture",
    "activation",
    "optimizer",
    "schedule",
    "pretraining",
    "augmentation",
    "pooling",
    "attention",
    "sampling",
    "other",
]


class Component(_Model):
    """A named part of the method (module, loss, stage, mechanism)."""

    name: str
    """Name as the paper writes it (expansion preferred over acronym)."""
    kind: ComponentKind = "other"
    """What sort of part it is."""
    acronym: str | None = None
    """Acronym, if the paper defines one."""
    symbol: str | None = None
    """Math symbol the paper names the part with ("a prediction MLP *h*"), if any."""
    novel: bool = False
    """Whether the paper presents it as its own ("our", "proposed", "we introduce")."""
    mentions: int = 0
    """How often the paper mentions it (name or acronym)."""
    confidence: float = 0.5
    """How sure the analyzer is that this is a part of the method (0-1), from its evidence."""
    evidence: list[Evidence] = Field(default_factory=list)
    """Where it is introduced or described."""


class Hyperparameter(_Model):
    """A hyperparameter with the value the paper states."""

    name: str
    """Descriptive name (``temperature``, ``learning rate``)."""
    symbol: str | None = None
    """Symbol as written (``τ``, ``\\lambda``, ``K``), if any."""
    value: str | None = None
    """Stated value as written (``0.07``, ``1e-4``, ``5``)."""
    numeric: float | None = None
    """The value as a number when it parses."""
    component: str | None = None
    """Component the hyperparameter belongs to, if stated."""
    confidence: float = 0.5
    """How sure the analyzer is that this is a setting of the method (0-1), from its evidence."""
    evidence: list[Evidence] = Field(default_factory=list)
    """Where the value is stated."""


class DesignChoice(_Model):
    """A choice the method makes for which standard alternatives exist."""

    choice: str
    """What the paper uses (``KL divergence``, ``layer normalization``)."""
    category: DesignCategory = "other"
    """Family of the choice; selects the alternatives."""
    alternatives: list[str] = Field(default_factory=list)
    """Standard alternatives worth trying instead."""
    used_for: str | None = None
    """What the choice is used for (``feature misalignment loss``), if stated."""
    named_by_paper: bool = False
    """Whether the paper itself names the alternatives (turned down, also tried, or offered):
    the strongest evidence an ablation can rest on."""
    confidence: float = 0.5
    """How sure the analyzer is that the method makes this choice and that the alternatives fit
    (0-1), from its evidence."""
    evidence: list[Evidence] = Field(default_factory=list)
    """Where the choice is stated."""


class MetricMention(_Model):
    """A metric the paper reports."""

    name: str
    """Metric name as the paper writes it."""
    higher_is_better: bool | None = None
    """Direction, when known."""
    mentions: int = 0
    """How often it appears in text and tables."""
    evidence: list[Evidence] = Field(default_factory=list)
    """Where it is reported."""


class ExistingAblation(_Model):
    """An ablation the paper already reports."""

    target: str
    """What was ablated (``mapping layer``)."""
    action: Action | None = None
    """REMOVE/REPLACE/ADD when it can be told."""
    replacement: list[str] | None = None
    """What replaced it, for REPLACE."""
    source: Literal["section", "table_row", "sentence"] = "sentence"
    """How it was detected."""
    evidence: list[Evidence] = Field(default_factory=list)
    """The row, heading or sentence it came from."""


class Analysis(_Model):
    """Offline evidence about a paper's method, the input of every planner."""

    paper_id: str
    """Id of the analysed paper."""
    title: str = ""
    """Paper title."""
    mode: Mode | None = None
    """Mode the paper view was cut for (None = full paper)."""
    components: list[Component] = Field(default_factory=list)
    """Named method components, most central first."""
    hyperparameters: list[Hyperparameter] = Field(default_factory=list)
    """Hyperparameters with stated values."""
    design_choices: list[DesignChoice] = Field(default_factory=list)
    """Design choices with known alternatives."""
    metrics: list[MetricMention] = Field(default_factory=list)
    """Reported metrics, most used first."""
    existing_ablations: list[ExistingAblation] = Field(default_factory=list)
    """Ablations the paper already reports."""
    absent_parts: list[Component] = Field(default_factory=list)
    """Standard parts the paper says its method does without ("no memory bank is used",
    "neither negative pairs nor a momentum encoder"), named in the paper's words: never
    something to remove, but adding them back tests the claim that they are not needed."""
