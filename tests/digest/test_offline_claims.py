"""Which sentences the offline digest takes as the paper's own claims, and how it rates them."""

from __future__ import annotations

import pytest

from ablab.analysis.sentences import Sentence
from ablab.digest.checks import NumberIndex
from ablab.digest.offline_claims import (
    failure_signatures,
    own_limitation,
    own_result,
    rate_generality,
    rate_result,
)
from ablab.schema import SectionRole

R = SectionRole


def sentence(text: str, role: SectionRole = R.CONCLUSION) -> Sentence:
    return Sentence(text=text, role=role, section_id="s", section_title="S", index=0)


@pytest.mark.parametrize(
    ("text", "own"),
    [
        ("GateMix reaches 78.1% top-1 accuracy, 1.4 points above the strongest baseline.", True),
        ("We hope these 3 results inspire future work on routing.", False),  # a hope
        ("* denotes numbers reproduced with the authors' code (2 runs).", False),  # a footnote
        ("2Results for the 5 smaller models are in the appendix.", False),  # a PDF footnote
        ("We used a dropout rate of 0.1 and trained for 300 epochs.", False),  # a setting
        ("Prior methods [12] reach 76.5% with 2x the compute.", False),  # another method
    ],
)
def test_own_results(text: str, own: bool) -> None:
    assert own_result(text, method="GateMix") is own


@pytest.mark.parametrize(
    ("text", "role", "own"),
    [
        ("Our gate assumes that informative tokens are few, which may not hold for dense "
         "prediction.", R.CONCLUSION, True),
        ("Existing token pruning methods cannot recover dropped tokens later in the network.",
         R.CONCLUSION, False),  # another method's shortcoming
        ("The main limitation of prior routing work [4] is its training instability.",
         R.LIMITATIONS, False),  # cites other work
        ("Another benefit is that the gate lowers memory use at inference time.",
         R.LIMITATIONS, False),  # a benefit listed under Limitations
        ("We leave mobile deployment to future work and hope it inspires others.",
         R.LIMITATIONS, False),  # a hope
        ("Training the gate adds an overhead of about 8% per step.", R.LIMITATIONS, True),
    ],
)  # fmt: skip
def test_own_limitations(text: str, role: SectionRole, own: bool) -> None:
    assert own_limitation(sentence(text, role), method="GateMix") is own


def test_confidence_follows_the_evidence() -> None:
    tables = NumberIndex("78.1 76.7 45.2")
    table_backed = rate_result("GateMix reaches 78.1% vs 76.7% for ViT-S.", tables, False)
    text_only = rate_result("GateMix trains 1.3x faster than attention-only models.", tables, False)
    assert table_backed.level == "High" and text_only.level == "Medium"
    generality = rate_generality(
        ["Training adds an overhead of 8%.", "We only evaluate image classification models."]
    )
    assert generality is not None and generality.level == "Low"
    assert generality.note and "only evaluate image classification" in generality.note
    assert rate_generality(["Training adds an overhead of 8%."]) is None  # no scope qualifier


def test_failure_signatures_are_the_papers_own_sentences() -> None:
    sentences = [
        sentence("With a threshold above 0.6 the gate collapses to the convolution branch.",
                 R.ABLATIONS),
        sentence("Earlier token pruning [7] fails on dense prediction tasks.", R.RESULTS),
        sentence("The gate degrades.", R.RESULTS),  # too short to describe a symptom
        sentence("The gate is less sensitive to the learning rate than attention.", R.RESULTS),
    ]  # fmt: skip
    found = failure_signatures(sentences)
    assert [s.text[:32] for s in found] == ["With a threshold above 0.6 the g"]
