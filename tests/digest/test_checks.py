"""Numbers are checked against the paper, normalised but never rounded; completeness check."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ablab.digest.checks import (
    NumberIndex,
    check_completeness,
    check_digest,
    check_numbers,
    extract_numbers,
)
from ablab.formats.rpa2.model import ArchitectureOnboarding, Digest, QuickFact
from ablab.papers import paper_from_markdown

PAPER = paper_from_markdown(
    "# P\n\n## Abstract\n\nOur model reaches 0.874 accuracy, 87.4% recall and 1,200 tokens/s "
    "with a learning rate of 3e-4; the error drops by −2.9 points.\n\n## Results\n\n"
    "| Method | F1 |\n|---|---|\n| Ours | 76.10 |\n| Base | 71.0 |\n",
    paper_id="p",
)
INDEX = NumberIndex.of_paper(PAPER)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("0.874 vs .754", ["0.874", "0.754"]),
        ("1,200 tokens and 12,345.6 ms", ["1200", "12345.6"]),
        ("87.4% top-1", ["87.4", "1"]),
        ("lr 3e-4", ["0.0003"]),
        ("drop of −2.9", ["2.9"]),
        ("76.10 (ours)", ["76.1"]),
        ("ViT-S/16 on ImageNet-1K", ["1"]),  # version-like tails are not numbers on their own
        ("cites [1,2] and Table 3", ["3"]),
    ],
)
def test_extract_numbers(text: str, values: list[str]) -> None:
    assert [m.value for m in extract_numbers(text)] == [Decimal(v) for v in values]


@pytest.mark.parametrize(
    "claim",
    [
        "accuracy .874",
        "accuracy 0.8740",
        "accuracy 87.4%",  # the paper's fraction written as a percentage
        "recall 0.874",  # and the other way round
        "1200 tokens/s",
        "F1 76.1",  # a table cell, trailing zero dropped
        "learning rate 0.0003",
        "error drops by 2.9 points",
    ],
)
def test_equivalent_writings_are_found(claim: str) -> None:
    assert INDEX.missing(claim) == []


@pytest.mark.parametrize(
    ("claim", "missing"),
    [
        ("accuracy 87%", ["87%"]),  # rounding is not allowed
        ("F1 76.2 vs 71.0", ["76.2"]),
        ("1,300 tokens/s", ["1,300"]),
    ],
)
def test_numbers_not_in_the_paper_are_reported(claim: str, missing: list[str]) -> None:
    assert INDEX.missing(claim) == missing


def test_check_numbers_names_the_failing_items() -> None:
    digest = Digest(
        title="P",
        key_results=["F1 76.1 vs 71.0", "F1 77.0 vs 71.0", "a result without a number"],
        quick_facts=[QuickFact(label="Primary result", value="0.9 accuracy")],
    )
    problems = check_numbers(digest, INDEX)
    assert [(p.section, p.message.split(":")[0].split(";")[0]) for p in problems] == [
        ("key_results", "item 2 has numbers not found in the paper (77.0)"),
        ("key_results", "item 3 states no number"),
        ("quick_facts", "the primary result has numbers not found in the paper (0.9)"),
    ]


def test_completeness_accepts_gaps_but_not_silence() -> None:
    digest = Digest(
        title="P",
        core_contribution="C.",
        quick_facts=[QuickFact(label="Primary result", value="0.874 accuracy")],
        executive_summary="E.",
        method_summary="M.",
        key_results=["0.874 accuracy"],
        architecture=ArchitectureOnboarding(component_map=["encoder"]),
        limitations=["L."],
        gaps={"mechanism": "not stated", "confidence": "not rated"},
    )
    problems = {p.section: p.message for p in check_completeness(digest)}
    assert set(problems) == {"foundational_learning", "open_questions", "architecture"}
    assert "at least two components" in problems["architecture"]
    assert check_digest(digest, PAPER)[: len(problems)] == check_completeness(digest)
