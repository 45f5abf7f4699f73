"""Design fields for the heuristic planner's ablations, filled only where the evidence allows.

Every field comes from something checkable: the ablation itself (its action and variants), the
paper's metrics and their direction, the settings and compute the paper states, and whether the
paper's title or abstract names the ablated part. A field without such support stays empty.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ablab.analysis.metric_vocab import METRIC_ENTRIES
from ablab.analysis.sentences import split_sentences
from ablab.planners.heuristic_candidates import Candidate
from ablab.planners.heuristic_focus import focus
from ablab.schema import Ablation, Action, Analysis, Design, Hyperparameter, Paper, Priority

MAX_SETTINGS = 4
"""At most this many stated settings are listed as controls."""

_TRAINING_SETTING = re.compile(
    r"^(?:(?:peak |base )?learning rate|batch size|(?:training |pre-?training )?epochs|"
    r"number of (?:training )?(?:epochs|steps|iterations)|training (?:steps|iterations)|"
    r"weight decay)$",
    re.IGNORECASE,
)
_COMPUTE = re.compile(
    r"\b(?:\d[\d.,]*\s*(?:GPU|TPU)[- ]?(?:hours|days)|(?:hours|days) on \d+\s*(?:GPUs|TPUs|"
    r"\w+ GPUs)|\d+\s*(?:V100|A100|H100|GPUs|TPUs)\b[^.]*\b(?:hours|days)\b)",
    re.IGNORECASE,
)
_SEEDS = re.compile(
    r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:random\s+|different\s+)?"
    r"(?:seeds|runs|trials)\b",
    re.IGNORECASE,
)
_PRIORITY_RANK = {"high": 0, "medium": 1, "low": 2}


def metric_direction(name: str, analysis: Analysis | None = None) -> bool | None:
    """Whether higher is better for ``name``: as the paper marks it, else as the metric usually is.

    None when neither the paper nor ablab's metric vocabulary says.
    """
    if analysis is not None:
        for mention in analysis.metrics:
            if mention.name.lower() == name.lower() and mention.higher_is_better is not None:
                return mention.higher_is_better
    for entry in METRIC_ENTRIES:
        if re.search(entry.pattern, name, re.IGNORECASE):
            return entry.higher_is_better
    return None


def _metric_phrase(metrics: Sequence[str]) -> str:
    return " and ".join(metrics[:2]) if metrics else "the main metric"


def _question(ablation: Ablation, family: str, metrics: str) -> str:
    part = ablation.ablated_part
    variants = ", ".join(ablation.replacement or [])
    if ablation.action is Action.REMOVE:
        return f"How much of the full method's {metrics} is due to the {part}?"
    if ablation.action is Action.ADD:
        return f"Does adding {variants} change {metrics}?"
    if family == "sweep":
        verb = "are" if " and " in metrics else "is"
        return f"How sensitive {verb} {metrics} to the {part}?"
    return f"Does the choice of {part} matter for {metrics}, or do {variants} work as well?"


def _expected(ablation: Ablation, family: str, metric: str, higher: bool, absent: bool) -> str:
    worse = "lower" if higher else "higher"
    if ablation.action is Action.REMOVE:
        return f"{metric} is {worse} without the {ablation.ablated_part} than with the full method."
    if ablation.action is Action.ADD:
        # Only parts the paper says it does without reach here: its claim is that they add
        # nothing, so an improvement would contradict it.
        return f"{metric} does not improve when it is added (the paper says it is not needed)."
    if family == "sweep":
        return f"{metric} is best near the paper's setting and {worse} away from it."
    return f"{metric} is {worse} with each alternative than with the paper's choice."


def _setting(hyperparameter: Hyperparameter) -> str:
    symbol = f" {hyperparameter.symbol}" if hyperparameter.symbol else ""
    return f"{hyperparameter.name}{symbol} = {hyperparameter.value}"


def _stated_settings(ablation: Ablation, analysis: Analysis) -> list[str]:
    """Training settings the paper states, except the one the ablation varies."""
    part = ablation.ablated_part.lower()
    found = []
    for hyperparameter in analysis.hyperparameters:
        if hyperparameter.value is None or hyperparameter.name.lower() in part:
            continue
        if _TRAINING_SETTING.search(hyperparameter.name):
            found.append(_setting(hyperparameter))
    return found[:MAX_SETTINGS]


def _paper_sentence(paper: Paper, pattern: re.Pattern[str]) -> str | None:
    for section in paper.walk():
        for sentence in split_sentences(section.text):
            if pattern.search(sentence):
                return sentence
    return None


def _controls(ablation: Ablation, analysis: Analysis, paper: Paper) -> list[str]:
    controls = []
    seeds = _paper_sentence(paper, _SEEDS)
    if seeds:
        controls.append(f'the number of seeds the paper uses ("{seeds}"), the same for every run')
    settings = _stated_settings(ablation, analysis)
    if settings:
        controls.append("training settings as the paper states them: " + ", ".join(settings))
    compute = _paper_sentence(paper, _COMPUTE)
    if compute:
        controls.append(f'the same compute per run as the full method ("{compute}")')
    return controls


def _priority(candidate: Candidate, paper: Paper, method: frozenset[str]) -> Priority:
    """high: a component or design choice the title or abstract makes claims about; medium: the
    paper's other components and choices; low: sweeps and additions."""
    if candidate.family not in ("component", "design"):
        return "low"
    probe = focus([replace(candidate, score=0.0)], paper.title, paper.abstract, method)[0]
    return "high" if probe.score > 0 else "medium"


def design_plan(
    chosen: Sequence[Candidate],
    ablations: Sequence[Ablation],
    analysis: Analysis,
    paper: Paper,
    method: frozenset[str],
) -> list[Ablation]:
    """``ablations`` (the chosen candidates with their metrics) with design fields filled.

    The run order puts high priority first and, within a priority, the cheaper ablation first.
    """
    absent = {part.name.lower() for part in analysis.absent_parts}
    designs = []
    for candidate, ablation in zip(chosen, ablations, strict=True):
        metrics = _metric_phrase(ablation.metrics)
        higher = metric_direction(ablation.metrics[0], analysis) if ablation.metrics else None
        is_absent = any(name in ablation.ablated_part.lower() for name in absent)
        expected = None
        if higher is not None and (ablation.action is not Action.ADD or is_absent):
            expected = _expected(ablation, candidate.family, ablation.metrics[0], higher, is_absent)
        designs.append(
            Design(
                question=_question(ablation, candidate.family, metrics),
                expected_outcome=expected,
                controls=_controls(ablation, analysis, paper),
                priority=_priority(candidate, paper, method),
                relative_cost=float(len(ablation.variants())),
            )
        )
    order = sorted(
        range(len(designs)),
        key=lambda i: (
            _PRIORITY_RANK[designs[i].priority or "low"],
            designs[i].relative_cost or 0.0,
            i,
        ),
    )
    for position, index in enumerate(order, 1):
        designs[index].run_order = position
    return [a.model_copy(update={"design": d}) for a, d in zip(ablations, designs, strict=True)]
