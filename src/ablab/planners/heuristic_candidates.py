"""Candidate ablations for the heuristic planner, each with a score and an explanation.

Scores put the paper's own components first (removing them tests the central claims), then
design choices with standard alternatives, then sweeps of method-specific hyperparameters, then
generic training settings and additions. Ties keep the analysis order, so plans are deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ablab.analysis.alternatives import DESIGN_ENTRIES, DesignEntry
from ablab.analysis.components import STANDARD_PART_HEADS
from ablab.analysis.design import DESIGN_VOCAB
from ablab.analysis.symbols import symbol_key
from ablab.analysis.terms import singular, term_key, words
from ablab.planners.heuristic_sweeps import display_name, sweep_labels
from ablab.schema import Ablation, Action, Analysis, Component, Evidence

_GENERIC_TRAINING = re.compile(
    r"learning rate|\blr\b|batch size|weight decay|epochs|iterations|steps|warm-up|"
    r"hidden dimension|output dimension|embedding dimension|dropout|gradient clipping|"
    r"sequence length|^momentum$",
    re.IGNORECASE,
)
_METHOD_KNOBS = re.compile(
    r"temperature|weight|margin|ratio|threshold|interval|number of|coefficient|momentum|top-k",
    re.IGNORECASE,
)


@dataclass
class Candidate:
    """One possible ablation with what the planner needs to rank and explain it."""

    ablation: Ablation
    """The ablation (metrics are filled in by the planner)."""
    score: float
    """Importance; higher first."""
    family: str
    """``component``, ``design``, ``sweep`` or ``add``: the planner mixes families."""
    part: str
    """Normalised name of the ablated part: two ablations of one part are avoided."""
    match_text: str
    """What is compared with the paper's existing ablations."""
    why: str
    """One or two sentences for the reasoning trace (Markdown)."""


def _quote(evidence: list[Evidence]) -> str:
    if not evidence:
        return ""
    first = evidence[0]
    where = f'section "{first.section_title}"' if first.section_title else "the paper"
    return f' ({where}: "{first.quote}")'


def component_label(component: Component) -> str:
    """``Cross-View Consistency Module (CVCM)`` or just the name."""
    return f"{component.name} ({component.acronym})" if component.acronym else component.name


def _removable(component: Component) -> bool:
    if component.kind == "data":
        return False
    if component.novel:
        return True
    tokens = words(component.name)
    head = singular(tokens[-1]) if tokens else ""
    if head in STANDARD_PART_HEADS:
        return False
    if component.kind == "module":
        return component.mentions >= 3
    return (
        component.kind in ("loss", "regularizer", "mechanism", "stage") and component.mentions >= 2
    )


_REMOVE_HOW = {
    "loss": "train without this term, its weight set to 0",
    "regularizer": "train without this term, its weight set to 0",
    "stage": "skip this stage and keep the rest of the training recipe unchanged",
    "mechanism": "disable it and keep everything else unchanged",
}


def component_candidates(analysis: Analysis) -> list[Candidate]:
    """REMOVE each removable component, the paper's own ones first."""
    candidates = []
    for rank, component in enumerate(analysis.components):
        if not _removable(component):
            continue
        label = component_label(component)
        how = _REMOVE_HOW.get(component.kind, "bypass it with an identity mapping")
        if component.novel:
            score = 10.0 + min(component.mentions, 20) / 10 - 0.25 * rank
            claim = f"The {label} is one of the paper's own contributions"
        else:
            score = 4.5 + min(component.mentions, 10) / 10 - 0.2 * rank
            claim = f"The {label} is a distinct part of the method"
        rationale = f"{claim}; {how} to measure how much of the reported gain it accounts for."
        ablation = Ablation(
            name=f"Remove the {component.name}",
            ablated_part=label,
            action=Action.REMOVE,
            rationale=rationale,
            evidence=component.evidence[:2],
        )
        why = (
            f"{claim}, mentioned {component.mentions} times{_quote(component.evidence)}. "
            f"Removing it tests whether it is needed at all: {how}."
        )
        candidates.append(
            Candidate(ablation, score, "component", term_key(component.name), label, why)
        )
    return candidates


def _entry_for(choice: str) -> DesignEntry | None:
    match = DESIGN_VOCAB.first(choice)
    return DESIGN_ENTRIES[match.entry] if match else None


def design_candidates(analysis: Analysis, reviewer: bool) -> list[Candidate]:
    """REPLACE each design choice with its standard alternatives."""
    novel = {c.name.lower() for c in analysis.components if c.novel}
    candidates = []
    for rank, design in enumerate(analysis.design_choices):
        if not design.alternatives:
            continue
        entry = _entry_for(design.choice)
        weight = float(entry.weight) if entry else 4.0
        used_for = design.used_for
        central = used_for is not None and (
            used_for.lower() in novel or re.search(r"loss|objective", used_for, re.I) is not None
        )
        score = weight + (1.5 if central else 0.0) + (1.0 if reviewer else 0.0) - 0.1 * rank
        part = f"{design.choice} used in the {used_for}" if used_for else design.choice
        replacement = design.alternatives[:3]
        shown = ", ".join(replacement)
        removes = all(a.lower().startswith("no ") for a in replacement)
        verb = "Remove" if removes else "Replace"
        name = f"{verb} the {design.choice}" + (f" in the {used_for}" if used_for else "")
        use = f"{design.choice}" + (f" for the {used_for}" if used_for else "")
        if removes:
            rationale = (
                f"The paper relies on {use}; training without it shows whether it is needed."
            )
            test = "Removing it tests whether the method needs it."
        else:
            rationale = (
                f"The paper uses {use} without comparing it with standard alternatives ({shown}); "
                "the comparison shows whether this specific choice matters or any reasonable one "
                "works."
            )
            test = (
                f"Standard alternatives are {shown}."
                if len(replacement) > 1
                else f"The standard alternative is {shown}."
            )
        why = f"The method uses {use}{_quote(design.evidence)}. {test}"
        ablation = Ablation(
            name=name,
            ablated_part=part,
            action=Action.REMOVE if removes else Action.REPLACE,
            replacement=None if removes else replacement,
            rationale=rationale,
            evidence=design.evidence[:2],
        )
        candidates.append(
            Candidate(ablation, score, "design", design.choice.lower(), design.choice, why)
        )
    return candidates


def sweep_candidates(analysis: Analysis, reviewer: bool) -> list[Candidate]:
    """REPLACE a hyperparameter's value with values around it."""
    novel = {c.name for c in analysis.components if c.novel}
    candidates = []
    for rank, hyperparameter in enumerate(analysis.hyperparameters):
        labels = sweep_labels(hyperparameter)
        if len(labels) < 2:
            continue
        generic = _GENERIC_TRAINING.search(hyperparameter.name) is not None
        specific = hyperparameter.symbol is not None or hyperparameter.component is not None
        # Generic training settings (learning rate, batch size) rarely test a paper's claims.
        score = 1.5 if generic else 5.0
        score += 1.5 if specific and not generic else 0.0
        score += 1.0 if hyperparameter.component in novel else 0.0
        score += 0.5 if _METHOD_KNOBS.search(hyperparameter.name) else 0.0
        score += (0.5 if reviewer else 0.0) - 0.1 * rank
        symbol = symbol_key(hyperparameter.symbol) if hyperparameter.symbol else None
        title = hyperparameter.name
        if symbol and symbol not in title:
            title = f"{title} {symbol}"
        part = title
        if hyperparameter.component and hyperparameter.component.lower() not in part.lower():
            part += f" of the {hyperparameter.component}"
        stated = f"{display_name(hyperparameter)} = {hyperparameter.value}"
        ablation = Ablation(
            # a bare "momentum" or "margin" needs its component to say which one
            name=f"Vary the {title if symbol else part}",
            ablated_part=f"{part} (paper: {stated})",
            action=Action.REPLACE,
            replacement=labels,
            rationale=(
                f"The paper fixes {stated} without showing how sensitive the method is to it; "
                "a sweep around the stated value shows whether the results depend on tuning it."
            ),
            evidence=hyperparameter.evidence[:2],
        )
        why = (
            f"The paper sets {stated}{_quote(hyperparameter.evidence)}; "
            f"trying {', '.join(labels)} measures the method's sensitivity to it."
        )
        key = symbol or f"{term_key(hyperparameter.name)} {hyperparameter.component or ''}".strip()
        candidates.append(Candidate(ablation, score, "sweep", key, title, why))
    return candidates
