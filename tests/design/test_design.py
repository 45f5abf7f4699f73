"""Ablation study designs: offline from the paper's setup, revised by a (scripted) model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ablab.api import design_ablation, find_ablation, plan_paper
from ablab.cli.app import app
from ablab.design.lm import DesignFailure
from ablab.errors import ConfigError
from ablab.models import FakeModel
from ablab.papers import load_paper, paper_from_markdown

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tide.md"
runner = CliRunner()


def test_offline_design_rests_on_the_setup_section() -> None:
    paper = load_paper(EXAMPLE)
    design = design_ablation(paper, 3)
    ablation = design.ablation
    assert ablation.name == plan_paper(paper).ablations[2].name
    assert [g.control for g in design.groups] == [True] + [False] * len(ablation.variants())
    assert design.datasets[0] == "ImageNet-1K" and "COCO" in design.datasets
    text = " ".join(paper.full_text().split())  # sentences are whitespace-collapsed
    assert design.evidence and all(e.quote in text for e in design.evidence)
    assert any(e.section_title == "Setup" for e in design.evidence)
    assert design.metrics == ablation.metrics
    assert "TIDE" in design.research_objective
    assert any("seeds" in item for item in design.missing)
    assert design.made_by == "offline"


def test_nothing_is_invented_without_a_setup() -> None:
    paper = paper_from_markdown(
        "# Gates\n\n## Abstract\n\nWe propose the Gated Memory Module (GMM), a novel module.\n\n"
        "## 3 Method\n\nOur Gated Memory Module (GMM) stores keys. The GMM uses a temperature "
        "of 0.1 for its softmax.\n",
        paper_id="gates",
    )
    design = design_ablation(paper, 1)
    assert design.datasets == [] and design.evidence == []
    assert any("setup" in item for item in design.missing)
    assert any("datasets" in item for item in design.missing)


def test_find_ablation_by_rank_name_or_label() -> None:
    plan = plan_paper(EXAMPLE)
    second = plan.ablations[1]
    assert find_ablation(plan, 2) is second
    assert find_ablation(plan, second.name.upper()) is second
    assert find_ablation(plan, "remove-the-elastic-view-scheduler") is second
    with pytest.raises(ConfigError, match="choose: 1. "):
        find_ablation(plan, "9")


GOOD = {
    "research_objective": "Find out whether the CVCM matters.",
    "groups": [
        {"name": "full", "description": "as published", "control": True},
        {"name": "no CVCM", "description": "cosine loss on embeddings", "control": False},
    ],
    "datasets": ["ImageNet-1K"],
    "procedure": ["pretrain 100 epochs", "linear probe"],
    "metrics": ["top-1 accuracy"],
    "controls": ["same seeds"],
    "missing": ["seed count"],
}


def test_model_revises_the_draft_after_one_re_ask() -> None:
    model = FakeModel(["Sure! Here is the design.", json.dumps(GOOD)])
    design = design_ablation(EXAMPLE, 1, model=model)
    assert design.made_by == "fake/script" and design.groups[1].name == "no CVCM"
    first, second = model.calls
    assert "A draft written offline" in first.messages[1].content
    assert "<paper>" in first.messages[1].content and "ImageNet-1K" in first.messages[1].content
    assert "could not be used" in second.messages[-1].content
    assert design.evidence  # the setup quotes of the draft are kept


def test_model_failure_keeps_the_raw_answers() -> None:
    model = FakeModel(["nope", json.dumps({"research_objective": "x"})])
    with pytest.raises(DesignFailure, match="lacks groups") as caught:
        design_ablation(EXAMPLE, 1, model=model)
    assert caught.value.raw_responses == ["nope", json.dumps({"research_objective": "x"})]


def test_cli_design(tmp_path: Path) -> None:
    result = runner.invoke(app, ["design", str(EXAMPLE), "--ablation", "1"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Ablation design: Remove the Cross-View Consistency Module")
    for heading in ("## Research objective", "### Groups", "### Datasets", "### Procedure"):
        assert heading in result.stdout
    plan_file = tmp_path / "tide.plan.json"
    plan_file.write_text(plan_paper(EXAMPLE, mode="reviewer").model_dump_json())
    as_json = runner.invoke(
        app, ["design", str(EXAMPLE), "-a", "1", "--plan", str(plan_file), "-f", "json"]
    )
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout)["ablation"]["name"] == "Vary the teacher temperature τ_t"
    fake = runner.invoke(app, ["design", str(EXAMPLE), "-a", "2", "--model", "fake/heuristic"])
    assert fake.exit_code == 0 and "made by fake/heuristic" in fake.stdout
    bad = runner.invoke(app, ["design", str(EXAMPLE), "-a", "zebra"])
    assert bad.exit_code == 2 and "no ablation 'zebra'" in bad.stderr
