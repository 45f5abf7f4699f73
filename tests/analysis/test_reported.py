"""The reviewer-mode index of what a paper's experiments already vary."""

from __future__ import annotations

from ablab.analysis.reported import ReportedIndex
from ablab.schema import SectionRole, Table

from .builders import paper, section


def _index(*sections):  # type: ignore[no-untyped-def]
    return ReportedIndex(paper(*sections))


def test_a_sweep_table_reports_its_knob_even_without_ablation_words() -> None:
    index = _index(
        section(
            "Results",
            "Our model reaches 81.2% accuracy.",
            SectionRole.RESULTS,
            tables=[
                Table(caption="Effect of the decoder depth.", header=["blocks", "acc"]),
                Table(caption="Main results.", header=["method", "acc"], rows=[["ours", "81"]]),
            ],
        )
    )
    assert index.covers("number of decoder blocks")
    assert not index.covers("masking ratio")


def test_a_sentence_must_vary_the_part_not_merely_use_it() -> None:
    index = _index(
        section(
            "Experiments",
            "We train the gated fusion block with AdamW. Without the memory bank, accuracy drops "
            "by 2 points. We vary the temperature τ from 0.05 to 0.5. Our projection head "
            "performs better than the baselines.",
            SectionRole.EXPERIMENTS,
        )
    )
    assert index.covers("memory bank")
    assert index.covers("softmax temperature τ")  # by its symbol
    assert not index.covers("gated fusion block")
    # a main result praising a part does not report an ablation of it
    assert not index.covers("projection head")


def test_the_method_section_is_never_indexed() -> None:
    index = _index(section("Method", "Without the memory bank, training is cheaper."))
    assert not index
    assert not index.covers("memory bank")


def test_half_of_the_distinctive_words_is_enough() -> None:
    index = _index(
        section("Ablation study", "Removing the contrastive term hurts.", SectionRole.ABLATIONS)
    )
    assert index.covers("InfoNCE contrastive loss")


def test_a_section_captioned_as_an_ablation_reports_every_part_it_names() -> None:
    index = _index(
        section(
            "Evaluation of the mixing rule",
            "The rule of our full model is denoted by the folding trick (in bold).",
            SectionRole.RESULTS,
            tables=[Table(caption="Comparison of mixing models.", header=["rule", "acc"])],
        ),
        section(
            "Speed",
            "The gated fusion block is the slowest part.",
            SectionRole.RESULTS,
            tables=[Table(caption="Comparison of training time per epoch.", header=["s"])],
        ),
        section(
            "Comparison with attention variants",
            "Our memory bank is cheaper than every baseline.",
            SectionRole.RESULTS,
        ),
    )
    assert index.covers("folding trick")
    # a comparison of costs, or with baselines, reports no ablation of the parts it names
    assert not index.covers("gated fusion block")
    assert not index.covers("memory bank")


def test_variations_comparisons_and_flattened_symbols_report_what_they_vary() -> None:
    index = _index(
        section(
            "Model variations",
            "train PPL BLEU N dmodel h Pdrop ϵls. Rows (B) show that a smaller key size hurts.",
            SectionRole.RESULTS,
        ),
        section(
            "Training details",
            "We train two models with different discount factors. In practice a cosine distance "
            "is more stable than a dot product between the gradients.",
            SectionRole.EXPERIMENTS,
        ),
    )
    assert index.covers("label smoothing ε_ls")  # "ϵls": the subscript flattened by the PDF
    assert index.covers("discount factor γ")
    assert index.covers("cosine similarity")
    assert not index.covers("gated fusion block")
