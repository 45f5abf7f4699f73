"""The heuristic planner's reasoning trace: Markdown prose citing the paper."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ablab.analysis.sentences import split_sentences
from ablab.planners.heuristic_additions import article
from ablab.planners.heuristic_candidates import Candidate, component_label
from ablab.schema import Action, Analysis, ExistingAblation, Mode, Paper

_CONTRIBUTION = re.compile(
    r"\b(?:we|this (?:paper|work)|in this (?:paper|work))\b[^.]*?\b(?:propose|introduce|present|"
    r"develop|design|describe)",
    re.IGNORECASE,
)
_MAX_LISTED = 8


def _contribution(paper: Paper) -> str:
    sentences = split_sentences(paper.abstract)
    for sentence in sentences:
        if _CONTRIBUTION.search(sentence):
            return f'The paper "{paper.title}" states its contribution as: "{sentence}"'
    if sentences:
        return f'The paper "{paper.title}" opens with: "{sentences[0]}"'
    return f'The paper "{paper.title}" has no abstract, so the plan is built from its method text.'


def _components(analysis: Analysis) -> str:
    found = _named(analysis)
    absent = [f"{article(p.name)} {p.name}" for p in analysis.absent_parts][:4]
    if absent:
        found += " It says its method does without " + _join(absent) + "."
    return found


def _named(analysis: Analysis) -> str:
    novel = [component_label(c) for c in analysis.components if c.novel][:5]
    if novel:
        return "It presents these parts as its own: " + _join(novel) + "."
    named = [component_label(c) for c in analysis.components][:4]
    if named:
        return (
            "No part is explicitly presented as new; the most discussed parts are "
            + _join(named)
            + "."
        )
    return (
        "No named component could be identified, so the plan relies on design choices and "
        "hyperparameters."
    )


def _join(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def _describe(existing: ExistingAblation) -> str:
    if existing.action is Action.REMOVE:
        return f"without the {existing.target}"
    if existing.action is Action.REPLACE and existing.replacement:
        if len(existing.replacement) > 1:
            return f"{existing.target} varied ({', '.join(existing.replacement)})"
        return f"{existing.target} replaced by {existing.replacement[0]}"
    if existing.action is Action.ADD:
        return f"with {existing.target} added"
    return f"{existing.target} varied"


def _existing(analysis: Analysis) -> str:
    found = analysis.existing_ablations
    if not found:
        return (
            "No ablation could be found in the paper (no ablation section, no *w/o* rows, no "
            '"without X" or "replacing X with Y" sentences), so every part of the method is open.'
        )
    listed = [_describe(e) for e in found[:_MAX_LISTED]]
    more = f", and {len(found) - _MAX_LISTED} more" if len(found) > _MAX_LISTED else ""
    where = found[0].evidence[0].section_title if found[0].evidence else ""
    place = f' (e.g. section "{where}")' if where else ""
    return (
        f"The paper already reports {len(found)} ablation(s){place}: "
        + "; ".join(listed)
        + more
        + ". None of these is proposed again; the plan looks for what they leave untested."
    )


def build_reasoning(
    paper: Paper,
    analysis: Analysis,
    mode: Mode,
    chosen: Sequence[Candidate],
    metrics: Sequence[str],
    metrics_note: str,
    *,
    short: str = "",
) -> str:
    """The reasoning trace: contribution, existing ablations (reviewer), the numbered plan, and
    ``short``, the reason a plan holds fewer ablations than asked for."""
    parts = [f"{_contribution(paper)} {_components(analysis)}"]
    if mode is Mode.REVIEWER:
        parts.append(_existing(analysis))
    else:
        parts.append(
            "This is the author view of the paper (cut before its experiments), so the plan is "
            "derived from the method description alone."
        )
    parts.append(
        "Candidates are ranked by how directly they test the paper's claims: parts its title "
        "and abstract are about come first; then removing or simplifying its own components, "
        "replacing design choices with standard alternatives or with the alternatives the paper "
        "itself turns down, sweeping method-specific hyperparameters and the model size, and "
        "adding back parts the paper says it does without, mixing the kinds of ablation:"
    )
    items = [
        f"{i}. **{c.ablation.name}** ({c.ablation.action.value}). {c.why}"
        for i, c in enumerate(chosen, 1)
    ]
    parts.append("\n".join(items))
    if short:
        parts.append(short)
    parts.append(f"Metrics: {', '.join(metrics)}. {metrics_note}")
    return "\n\n".join(parts)
