"""Text normalisation of the offline matcher."""

from __future__ import annotations

from ablab.matching.text import containment, dice, find_acronyms, split_head, terms, tokenize


def test_tokenize_spells_out_greek_and_keeps_fractions() -> None:
    assert tokenize("Step size (ε) w/o stop-gradient, 1/255") == [
        "step", "size", "epsilon", "without", "stop", "gradient", "1/255",
    ]  # fmt: skip


def test_acronyms_defined_in_the_text_are_found() -> None:
    text = (
        "We use a geometric network initialization (GNI). The Integral Probability Metric (IPM) "
        "and low-rank adaptation (LoRA) follow; (Table 2) is not an acronym."
    )
    found = find_acronyms(text)
    assert found["gni"] == "geometric network initialization"
    assert found["ipm"] == "integral probability metric"
    assert found["lora"] == "low-rank adaptation"
    assert "table" not in found


def test_paper_acronyms_expand_into_the_long_form() -> None:
    acronyms = {"gni": "geometric network initialization"}
    assert terms("GNI", acronyms) == terms("geometric network initialization")


def test_synonyms_and_spelling_variants_fold_together() -> None:
    assert terms("batch norm") == terms("BN") == terms("batch normalisation")
    assert terms("stop-gradient") == terms("stopgrad")
    assert terms("KL divergence") == terms("Kullback-Leibler divergence")


def test_generic_words_weigh_less_than_content_words() -> None:
    weights = terms("projection module")
    assert weights["project"] == 1.0
    assert weights["modul"] < 1.0


def test_head_of_a_phrase_ends_at_the_first_linking_word() -> None:
    assert split_head("Step size epsilon for adversarial perturbation") == (
        "Step size epsilon",
        "for adversarial perturbation",
    )
    assert split_head("projection MLP") == ("projection MLP", "")


def test_overlap_measures() -> None:
    a = {"x": 1.0, "y": 1.0}
    b = {"x": 1.0, "y": 1.0, "z": 1.0, "w": 1.0}
    assert dice(a, b) == 2 * 2 / 6
    assert containment(a, b) == 1.0
    assert dice({}, b) == 0.0 and containment({}, b) == 0.0
