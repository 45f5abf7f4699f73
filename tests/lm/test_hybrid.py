"""The hybrid planner: grounded on the offline analysis, with a short excerpt of the paper."""

from __future__ import annotations

import asyncio

from ablab.models import FakeModel
from ablab.planners import get_planner
from ablab.planners.hybrid import HybridPlanner
from ablab.planners.lm import LMPlanner
from ablab.schema import (
    Action,
    Analysis,
    Component,
    DesignChoice,
    Evidence,
    ExistingAblation,
    Hyperparameter,
    MetricMention,
    Mode,
    Paper,
    SectionRole,
)
from lm_server import plan_answer

ANALYSIS = Analysis(
    paper_id="gated-memory",
    components=[
        Component(
            name="gated episodic memory",
            acronym="GEM",
            kind="module",
            novel=True,
            confidence=0.8,
            evidence=[Evidence(quote="stores one slot per support pixel")],
        ),
        Component(name="particular attention", kind="mechanism", confidence=0.4),
    ],
    hyperparameters=[
        Hyperparameter(name="gate threshold", symbol="delta", value="0.3", confidence=0.7),
        Hyperparameter(name="hyperparameter r", symbol="r", value="1", confidence=0.2),
    ],
    design_choices=[
        DesignChoice(
            choice="Dice loss",
            used_for="mask training",
            alternatives=["focal loss"],
            named_by_paper=True,
            confidence=0.8,
        ),
        DesignChoice(choice="concatenation", alternatives=["gated fusion"], confidence=0.4),
    ],
    metrics=[MetricMention(name="mIoU", higher_is_better=True)],
    existing_ablations=[
        ExistingAblation(
            target="forgetting gate",
            action=Action.REMOVE,
            evidence=[Evidence(quote="Removing the forgetting gate lowers 1-shot mIoU")],
        )
    ],
)


def _prompt(paper: Paper, mode: Mode, **options: object) -> str:
    model = FakeModel([plan_answer()])
    planner = HybridPlanner(model, analyzer=lambda _: ANALYSIS, **options)  # type: ignore[arg-type]
    planner.plan(paper, mode=mode, k=2)
    assert model.calls[0].messages[1].role == "user"
    return model.calls[0].messages[1].content


def test_reviewer_prompt_lists_analysis_and_existing_ablations(paper: Paper) -> None:
    prompt = _prompt(paper, Mode.REVIEWER)
    assert (
        '- gated episodic memory (GEM) [module, introduced by the paper]: "stores one slot'
        in prompt
    )
    assert "- gate threshold (delta) = 0.3" in prompt
    assert "- Dice loss for mask training; alternatives: focal loss" in prompt
    assert "- mIoU (higher is better)" in prompt
    assert "do not propose these again" in prompt
    assert '- REMOVE forgetting gate: "Removing the forgetting gate' in prompt
    # Only what the analyzer is confident about reaches the model, marked as automatic notes.
    assert "Automatic notes" in prompt
    assert "particular attention" not in prompt and "hyperparameter r" not in prompt
    assert "gated fusion" not in prompt


def test_author_prompt_has_no_existing_ablations(paper: Paper) -> None:
    prompt = _prompt(paper, Mode.AUTHOR)
    assert "gated episodic memory" in prompt
    assert "already reports" not in prompt


def test_excerpt_is_capped_so_hybrid_sends_fewer_tokens(paper: Paper) -> None:
    bulky = paper.model_copy(deep=True)
    for section in bulky.walk():
        if section.role in (SectionRole.EXPERIMENTS, SectionRole.RELATED_WORK):
            section.text = "\n\n".join([section.text] * 300)
    lm = asyncio.run(
        LMPlanner(FakeModel([plan_answer()])).aplan_outcome(bulky, mode=Mode.REVIEWER, k=2)
    )
    hybrid = asyncio.run(
        HybridPlanner(
            FakeModel([plan_answer()]), analyzer=lambda _: ANALYSIS, excerpt_tokens=1_000
        ).aplan_outcome(bulky, mode=Mode.REVIEWER, k=2)
    )
    assert hybrid.context.kept_tokens <= 1_000 < lm.context.kept_tokens
    assert hybrid.plan.usage.input_tokens < lm.plan.usage.input_tokens
    assert hybrid.plan.planner == "hybrid"
    assert (
        "excerpt_tokens"
        in HybridPlanner(FakeModel([]), analyzer=lambda _: ANALYSIS).output_settings
    )


def test_default_analyzer_is_the_offline_analysis(paper: Paper) -> None:
    model = FakeModel([plan_answer()])
    get_planner("hybrid", model=model).plan(paper, mode=Mode.REVIEWER, k=2)
    prompt = model.calls[0].messages[1].content
    assert "forgetting gate" in prompt.split("<paper>")[0]  # found by ablab.analysis
