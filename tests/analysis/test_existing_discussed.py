"""Existing ablations found without "without X" wording, and names of one quantity."""

from __future__ import annotations

from ablab.analysis import analyze, same_target, target_key
from ablab.analysis.existing import find_existing_ablations
from ablab.schema import SectionRole

from .builders import paper, section, sentences_of

ABLATIONS = section(
    "Ablations",
    "**Identity versus projection shortcuts.** Projections help a little.\n\n"
    "Relative position bias beats no position encoding. τ = 0.1 works best among 0.05, 0.1 and "
    "0.5. The relative position bias is described in Section 2.",
    SectionRole.ABLATIONS,
)


def _targets(discussed: list[str]) -> set[str]:
    sections = [ABLATIONS]
    found = find_existing_ablations(sections, sentences_of(*sections), {}, (), "", discussed)
    return {e.target for e in found}


def test_known_parts_in_comparing_sentences_of_an_ablation_section() -> None:
    targets = _targets(["relative position bias", "τ"])
    assert "Relative position bias" in targets and "τ" in targets


def test_bold_paragraph_leads_name_what_was_ablated() -> None:
    assert {"Identity", "projection shortcuts"} <= _targets([])


def test_a_part_merely_mentioned_is_not_ablated() -> None:
    text = section(
        "Ablations", "The relative position bias is described above.", SectionRole.ABLATIONS
    )
    found = find_existing_ablations(
        [text], sentences_of(text), {}, (), "", ["relative position bias"]
    )
    assert found == []


def test_analysis_passes_its_parts_on() -> None:
    method = section(
        "Method", "Attention scores receive a learned relative position bias B. We set τ = 0.1."
    )
    analysis = analyze(paper(method, ABLATIONS))
    assert {"τ"} <= {e.target for e in analysis.existing_ablations}


def test_depth_and_width_are_the_same_quantity_under_two_names() -> None:
    assert same_target(target_key("Depth"), target_key("number of layers"))
    assert same_target(target_key("hidden size"), target_key("width of the model"))
    assert not same_target(target_key("Depth"), target_key("number of heads"))


def test_generic_words_do_not_make_a_target_more_specific() -> None:
    assert same_target(target_key("Data augmentation"), target_key("photometric augmentations"))
    assert not same_target(target_key("training data"), target_key("training loss"))
