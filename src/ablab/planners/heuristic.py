"""The offline heuristic planner: analysis -> scored candidates -> a diverse, ranked plan.

It needs no model and is deterministic: the same paper always gives the same plan (the plan's
``created_at`` aside). In reviewer mode it never proposes an ablation the paper already reports.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ablab.analysis import analyze, same_target, target_key
from ablab.analysis.identity import method_names
from ablab.analysis.matching import TargetKey
from ablab.analysis.metrics import fallback_metrics
from ablab.analysis.reported import ReportedIndex
from ablab.errors import PlanError
from ablab.planners.heuristic_additions import absent_part_candidates, addition_candidates
from ablab.planners.heuristic_candidates import (
    Candidate,
    component_candidates,
    design_candidates,
    sweep_candidates,
)
from ablab.planners.heuristic_focus import focus
from ablab.planners.heuristic_reasoning import build_reasoning
from ablab.planners.heuristic_scale import model_size_varied, scale_candidate
from ablab.planners.offline_design import design_plan
from ablab.schema import Analysis, Mode, Paper, Plan, SectionRole

PLANNER_VERSION = "4"
"""Bump when a change to the rules changes plans."""

FAMILY_PENALTY = 1.5
"""Score taken off a candidate for each chosen ablation of the same family (keeps plans mixed)."""
SAME_PART_PENALTY = 100.0
"""Score taken off a candidate whose part is already ablated (used only to fill k)."""
WEAK_SCORE = 3.0
"""Candidates scoring below this (generic training settings, additions) only fill a plan when
nothing stronger is left, whatever the family mix."""
MAX_METRICS = 3
"""At most this many of the paper's metrics per ablation."""
MIN_CONFIDENCE = 0.45
"""Candidates below this confidence never fill a plan: a shorter plan of sound ablations beats a
full one padded with guesses."""


def _already_reported(
    candidate: Candidate, existing: Sequence[TargetKey], acronyms: dict[str, str]
) -> bool:
    key = target_key(candidate.match_text, acronyms)
    return any(same_target(key, other) for other in existing)


_VS_ALTERNATIVE = " vs alternative"


def _same_part(a: Candidate, b: Candidate) -> bool:
    """Whether two candidates ablate one part ("renormalization trick" and "renormalized
    propagation", "Elastic View Scheduler" and "Elastic Views")."""
    if a.part == b.part:
        return True
    if a.part.endswith(_VS_ALTERNATIVE) != b.part.endswith(_VS_ALTERNATIVE):
        return False  # the paper's own alternative to a part is a question of its own
    if a.family == "sweep" and b.family == "sweep":
        return same_target(target_key(a.match_text), target_key(b.match_text))
    if "sweep" in (a.family, b.family):
        return False  # a part and one of its settings are two questions
    stems_a = {w[:6] for w in a.part.split() if len(w) > 3}
    stems_b = {w[:6] for w in b.part.split() if len(w) > 3}
    return bool(stems_a) and bool(stems_b) and (stems_a <= stems_b or stems_b <= stems_a)


def select(candidates: Sequence[Candidate], k: int) -> list[Candidate]:
    """Pick up to ``k`` candidates greedily by score, penalising repeated families; never two
    of the same part."""
    remaining = list(candidates)
    chosen: list[Candidate] = []
    families: Counter[str] = Counter()
    parts: set[str] = set()
    names: set[str] = set()
    while remaining and len(chosen) < k:

        def effective(item: tuple[int, Candidate]) -> tuple[float, int]:
            index, candidate = item
            score = candidate.score - FAMILY_PENALTY * families[candidate.family]
            if candidate.part in parts:
                score -= SAME_PART_PENALTY
            return score, -index

        strong = [item for item in enumerate(remaining) if item[1].score >= WEAK_SCORE]
        index, best = max(strong or enumerate(remaining), key=effective)
        remaining.pop(index)
        if best.ablation.name.lower() in names or any(_same_part(best, c) for c in chosen):
            continue
        chosen.append(best)
        families[best.family] += 1
        parts.add(best.part)
        names.add(best.ablation.name.lower())
    return chosen


def choose_metrics(analysis: Analysis, text: str) -> tuple[list[str], str]:
    """The paper's own top metrics, or a fallback for its task, and a note saying which."""
    fallback = fallback_metrics(text, limit=MAX_METRICS)
    # A metric named once ("precision" in a numerical paper) is weaker evidence than the task.
    if analysis.metrics and (analysis.metrics[0].mentions >= 2 or not fallback):
        top = analysis.metrics[0].mentions
        chosen = [m.name for m in analysis.metrics[:MAX_METRICS] if 4 * m.mentions >= top]
        return chosen, "These are the paper's own metrics, the ones it reports most."
    if fallback:
        usual = (
            f"{fallback[0]} is the usual metric for its task"
            if len(fallback) == 1
            else f"{', '.join(fallback)} are the usual metrics for the tasks it names"
        )
        return fallback, (
            f"The paper names no metric that could be recognised; {usual}, to be replaced by "
            "the paper's main metric."
        )
    return [], (
        "The paper names no metric that could be recognised and its title and abstract do not "
        "say which task it is judged on, so no metric is listed: report the paper's main "
        "evaluation metric."
    )


_SETUP_ROLES = frozenset(
    {SectionRole.EXPERIMENTS, SectionRole.RESULTS, SectionRole.ABLATIONS, SectionRole.APPENDIX}
)
TESTBED_CONFIDENCE = 0.4
"""Confidence of a sweep whose setting only the experimental setup states (below the bar)."""


def _testbed_setting(candidate: Candidate, roles: dict[str, SectionRole]) -> Candidate:
    """A sweep of a setting only the experiments state ("the Transformer testbed has 8 heads")
    tunes the testbed, not the method: it falls below the bar in reviewer mode, where the
    setup is visible (in author mode the setup is cut and every setting is the method's).
    ``roles`` maps the paper's section ids to their roles."""
    if candidate.family != "sweep" or not candidate.ablation.evidence:
        return candidate
    if all(roles.get(e.section_id or "") in _SETUP_ROLES for e in candidate.ablation.evidence):
        return replace(candidate, confidence=min(candidate.confidence, TESTBED_CONFIDENCE))
    return candidate


_OWN = re.compile(r"\b(?:[Ww]e|[Oo]ur)\b")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


def own_introduction(paper: Paper) -> str:
    """The introduction's sentences about the paper itself ("we evaluate on translation")."""
    text = " ".join(s.text for s in paper.walk() if s.role is SectionRole.INTRODUCTION)
    return " ".join(s for s in _SENTENCE_BREAK.split(text) if _OWN.search(s))


def _short_note(k: int, chosen: Sequence[Candidate]) -> str:
    """Why a plan holds fewer than ``k`` ablations (empty when it is full)."""
    if len(chosen) >= k:
        return ""
    return (
        f"The plan holds {len(chosen)} ablation{'s' if len(chosen) != 1 else ''} rather than "
        f"{k}: the other candidates rest on weak evidence (a part the paper does not present as "
        "its own, a setting it never names, an alternative it gives no reason for), and a "
        "shorter plan of sound ablations is more useful than a full one."
    )


class HeuristicPlanner:
    """Plans ablations offline from :func:`ablab.analysis.analyze` (registered as ``heuristic``)."""

    name = "heuristic"

    def __init__(self, **options: Any) -> None:
        # Options meant for model-based planners (model=, temperature=...) do not apply here.
        self.options = options

    def candidates(self, paper: Paper, analysis: Analysis, mode: Mode) -> list[Candidate]:
        """Every candidate, filtered against the paper's existing ablations in reviewer mode."""
        reviewer = mode is Mode.REVIEWER
        acronyms = {c.acronym: c.name for c in analysis.components if c.acronym}
        existing = [target_key(e.target, acronyms) for e in analysis.existing_ablations]
        if not reviewer:
            existing = []

        # Reviewer mode: anything the experiments vary counts as reported, even when no
        # explicit ablation pattern names it (a sweep table, an "Effect of X" paragraph).
        reported = ReportedIndex(paper) if reviewer else None

        def new(found: list[Candidate]) -> list[Candidate]:
            return [
                c
                for c in found
                if not _already_reported(c, existing, acronyms)
                and not (reported and reported.covers(c.ablation.ablated_part, c.match_text))
            ]

        # When the model size cannot be varied as a whole, or only one of its sizes was
        # already varied, the single sizes are swept on their own; when the paper already
        # varied the model size itself, none of them is.
        scale = new([c for c in [scale_candidate(analysis, reviewer)] if c is not None])
        skip_sizes = any(c.confidence >= MIN_CONFIDENCE for c in scale) or any(
            model_size_varied(k) for k in existing
        )
        method = method_names(paper.title, paper.abstract)
        found = new(
            [
                *component_candidates(analysis),
                *design_candidates(analysis, reviewer, method),
                *scale,
                *sweep_candidates(analysis, reviewer, skip_sizes=skip_sizes),
                *absent_part_candidates(analysis, reviewer),
                *addition_candidates(paper.full_text()),
            ]
        )
        if reviewer:
            roles = {s.id: s.role for s in paper.walk()}
            found = [_testbed_setting(c, roles) for c in found]
        absent = [part.name for part in analysis.absent_parts]
        found = focus(found, paper.title, paper.abstract, method, absent)
        return sorted(found, key=lambda c: -c.score)  # stable: ties keep generation order

    def plan(self, paper: Paper, *, mode: Mode, k: int) -> Plan:
        """A ranked plan of at most ``k`` ablations for ``paper`` (already cut for ``mode``)."""
        if k < 1:
            raise PlanError(f"k must be at least 1, got {k}")
        analysis = analyze(paper, mode=mode)
        candidates = self.candidates(paper, analysis, mode)
        if not candidates:
            raise PlanError(
                f"nothing to ablate in paper {paper.id!r}: no component, design choice or "
                "hyperparameter was recognised (and nothing the paper has not already ablated)"
            )
        confident = [c for c in candidates if c.confidence >= MIN_CONFIDENCE]
        if not confident:
            # Precision first: a weak guess (a standard swap the paper gives no reason for, a
            # setting it never names) is not presented as a plan.
            raise PlanError(
                f"no sound ablation found in paper {paper.id!r}: every candidate rests on weak "
                "evidence (`ablab analyze` shows what was found; a model plans from the text "
                "itself: --planner lm --model ...)"
            )
        chosen = select(confident, k)
        # The paper's own task is in its title and abstract; a task named in passing in the
        # related work ("unlike translation models") says nothing about its metrics.
        metrics, metrics_note = choose_metrics(analysis, f"{paper.title}\n{paper.abstract}")
        if not metrics:  # else the tasks the introduction says the paper itself takes on
            metrics, metrics_note = choose_metrics(analysis, own_introduction(paper))
        ablations = [c.ablation.model_copy(update={"metrics": list(metrics)}) for c in chosen]
        method = method_names(paper.title, paper.abstract)
        ablations = design_plan(chosen, ablations, analysis, paper, method)
        return Plan(
            paper_id=paper.id,
            paper_title=paper.title,
            paper_hash=paper.content_hash,
            mode=mode,
            planner=self.name,
            model="offline",
            k=k,
            reasoning=build_reasoning(
                paper,
                analysis,
                mode,
                chosen,
                metrics,
                metrics_note,
                short=_short_note(k, chosen),
            ),
            ablations=ablations,
            versions={"heuristic": PLANNER_VERSION},
        )
