"""The rpa2 pipeline's checks as rules: what passes and what each rule catches."""

from __future__ import annotations

from ablab.digest.pipeline_checks import exec_opener, pipeline_problems, ungrounded_numbers
from ablab.formats.rpa2.model import (
    ArchitectureOnboarding,
    ConfidenceRating,
    Digest,
    FoundationalConcept,
    OpenQuestion,
    QuickFact,
)

PAPER = "GateMix reaches 78.1% top-1 on ImageNet-1k at 1200 images/s, vs 76.7% for ViT-S."


def complete(**overrides: object) -> Digest:
    fields: dict[str, object] = {
        "title": "GateMix",
        "arxiv_id": "2601.00001",
        "quick_facts": [QuickFact(label="Primary result", value="78.1% top-1")],
        "executive_summary": "GateMix routes tokens. It reaches 78.1% top-1.",
        "method_summary": "A gate per token.",
        "key_results": ["78.1% vs 76.7% top-1", "1,200 images/s"],
        "mechanism": "Few tokens need attention.",
        "foundational_learning": [
            FoundationalConcept(concept="Depthwise convolution", why="the cheap branch"),
            FoundationalConcept(concept="Gating", why="routes tokens"),
        ],
        "architecture": ArchitectureOnboarding(
            component_map=["embedding", "gate", "mixer"],
            critical_path=["gate", "mixer"],
            design_tradeoffs=["threshold vs speed"],
            failure_signatures=["gate stuck at 0.5"],
            first_experiments=["a", "b", "c"],
        ),
        "open_questions": [OpenQuestion(detail="Does it transfer to detection?")],
        "limitations": ["Only classification is studied."],
        "confidence": [ConfidenceRating(claim="accuracy gain", level="High")],
        "next_checks": ["x", "y", "z"],
        "extra_frontmatter": {"model": "offline"},
    }
    fields.update(overrides)
    return Digest.model_validate(fields)


def rules(digest: Digest, paper: str | None = PAPER) -> set[str]:
    return {failure.rule for failure in pipeline_problems(digest, paper)}


def test_a_complete_grounded_digest_passes_every_rule() -> None:
    assert rules(complete()) == set()


def test_each_rule_catches_its_problem() -> None:
    assert rules(complete(arxiv_id=None)) == {"source"}
    assert rules(complete(arxiv_id=None, extra_frontmatter={"model": "m", "source": "g.pdf"})) == (
        set()
    )
    assert rules(complete(extra_frontmatter={})) == {"model"}
    assert rules(complete(key_results=["a 78.1", "b", "c", "d"])) == {"key_results"}
    assert rules(complete(next_checks=["x"])) == {"next_checks"}
    assert rules(complete(confidence=[ConfidenceRating(claim="gain")])) == {"confidence"}
    assert "placeholders" in rules(complete(limitations=[], gaps={"limitations": "none stated"}))
    arch = ArchitectureOnboarding(component_map=["a", "b"], first_experiments=["a", "b"])
    assert rules(complete(architecture=arch)) == {"architecture", "first_experiments"}
    assert rules(complete(method_summary="Run:\n\n```\npython x\n```")) == {"code_fences"}
    assert rules(complete(mechanism="Insufficient context to say.")) == {"fallback"}
    assert rules(complete(foundational_learning=[])) == {"concepts"}
    assert rules(complete(), paper=None) == {"grounding"}


def test_numbers_are_grounded_as_the_sentinel_reads_them() -> None:
    # 1,200 in the digest matches 1200 in the paper; 99.9 is nowhere.
    digest = complete(key_results=["78.1% vs 76.7% top-1", "1,200 images/s", "99.9% recall"])
    assert ungrounded_numbers(digest, PAPER) == ["99.9%"]
    assert "grounding" in rules(digest)  # 4 of 5 numbers (80%) < 85%


def test_executive_opener_is_the_first_sentence() -> None:
    assert exec_opener(complete()) == "gatemix routes tokens."
