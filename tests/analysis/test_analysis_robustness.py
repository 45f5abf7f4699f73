"""The analyzer never fails on odd text and returns an empty analysis for an empty paper."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ablab.analysis import analyze
from ablab.schema import SectionRole, Table

from .builders import paper, section

_PIECES = st.sampled_from(
    [
        "We introduce the", "Cross-View Module (CVM)", "λ =", "0.5", "\\lambda", "$", "{", "}",
        "w/o", "without the", "replacing", "with", "KL divergence", "(", ")", "e.g.", ".", ",",
        "τ_t", "3 × 10^{-4}", "set K to", "5", "Table 3", "|", "→", "our novel", "loss", "—",
        "instead of", "∈ {0.1, 0.2}", "\n\n", "- ", "#", "ℓ2-normalised", "%", "k-NN", "…",
    ]
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    method=st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=60).map(" ".join),
    ablation=st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=30).map(" ".join),
    cell=st.text(max_size=20),
)
def test_analyze_never_fails(method: str, ablation: str, cell: str) -> None:
    table = Table(caption=cell, header=[cell, "Acc ↑"], rows=[[cell, "1"], ["w/o " + cell, "2"]])
    result = analyze(
        paper(
            section("Method", method),
            section("Ablations", ablation, SectionRole.ABLATIONS, tables=[table]),
            abstract=method[:200],
        )
    )
    for item in [*result.components, *result.hyperparameters, *result.design_choices]:
        assert item.evidence
    assert result.paper_id == "test-paper"


def test_empty_paper_gives_an_empty_analysis() -> None:
    result = analyze(paper())
    assert result.components == [] and result.hyperparameters == []
    assert result.design_choices == [] and result.metrics == []
    assert result.existing_ablations == []
