"""The analyzer on the bundled example paper (examples/tide.md), full and author views."""

from __future__ import annotations

from pathlib import Path

import pytest

from ablab.analysis import analyze
from ablab.papers import author_view, load_paper
from ablab.schema import Action, Analysis, Mode

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tide.md"


@pytest.fixture(scope="module")
def full() -> Analysis:
    return analyze(load_paper(EXAMPLE))


@pytest.fixture(scope="module")
def cut() -> Analysis:
    return analyze(author_view(load_paper(EXAMPLE)), mode=Mode.AUTHOR)


def test_novel_components_with_acronyms(full: Analysis) -> None:
    novel = {c.acronym: c for c in full.components if c.novel and c.acronym}
    assert set(novel) == {"CVCM", "APM", "TRG", "EVS"}
    assert novel["CVCM"].name == "Cross-View Consistency Module"
    assert novel["APM"].name == "Adaptive Prototype Memory"
    assert novel["TRG"].name == "Token Relevance Gate"
    assert novel["EVS"].kind == "stage"
    assert all(c.novel for c in full.components[:4])


def test_hyperparameter_values(full: Analysis) -> None:
    by_symbol = {h.symbol: h for h in full.hyperparameters if h.symbol}
    by_name = {h.name: h for h in full.hyperparameters}
    assert by_symbol["λ"].numeric == 0.5
    assert by_symbol["λ"].component == "prototype separation loss"
    assert by_symbol["τ"].numeric == 0.07 and by_symbol["τ"].name == "student temperature"
    assert by_symbol["K"].numeric == 5
    assert by_symbol["M"].numeric == 4096
    assert by_name["learning rate"].value == "3e-4"
    assert by_name["batch size"].numeric == 256
    assert by_name["margin"].numeric == 0.2
    assert by_name["dropout rate"].component == "Token Relevance Gate"


def test_design_choices(full: Analysis) -> None:
    by_choice = {d.choice: d for d in full.design_choices}
    assert full.design_choices[0].choice == "KL divergence"
    assert by_choice["KL divergence"].used_for == "consistency loss"
    assert "joint" in by_choice["alternating optimization"].alternatives[0]
    assert "random negatives" in by_choice["hard negative mining"].alternatives
    assert "max pooling" in by_choice["mean pooling"].alternatives


def test_metrics(full: Analysis, cut: Analysis) -> None:
    assert [m.name for m in full.metrics[:2]] == ["Top-1 Acc", "k-NN Acc"]
    assert {m.name for m in full.metrics} >= {"COCO mAP", "ADE20K mIoU"}
    # the author view has no tables: metrics come from the abstract's text
    assert {m.name.lower() for m in cut.metrics} >= {"top-1 accuracy", "k-nn accuracy"}


def test_existing_ablations(full: Analysis, cut: Analysis) -> None:
    removed = {e.target for e in full.existing_ablations if e.action is Action.REMOVE}
    assert {
        "Cross-View Consistency Module (CVCM)",
        "Adaptive Prototype Memory (APM)",
        "Token Relevance Gate (TRG)",
        "Elastic View Scheduler (EVS)",
    } <= removed
    sweeps = [e for e in full.existing_ablations if e.target == "λ"]
    assert sweeps and sweeps[0].replacement and "λ = 0.25" in sweeps[0].replacement
    replaced = {
        e.target: e.replacement for e in full.existing_ablations if e.action is Action.REPLACE
    }
    assert replaced["Token Relevance Gate"] == ["uniform token weights"]
    assert cut.existing_ablations == []


def test_every_item_has_evidence(full: Analysis) -> None:
    items = [*full.components, *full.hyperparameters, *full.design_choices, *full.metrics]
    items += full.existing_ablations
    for item in items:
        assert item.evidence, item
        assert all(0 < len(e.quote) <= 202 for e in item.evidence)


def test_analysis_is_deterministic() -> None:
    paper = load_paper(EXAMPLE)
    assert analyze(paper).model_dump_json() == analyze(paper).model_dump_json()
