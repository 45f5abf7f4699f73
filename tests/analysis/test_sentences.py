from __future__ import annotations

from ablab.analysis.sentences import MAX_QUOTE, quote_around, split_sentences
from ablab.schema import SectionRole

from .builders import paper, section, sentences_of


def test_abbreviations_decimals_and_initials_do_not_split() -> None:
    text = (
        "We follow Chen et al. [3] and use e.g. a ResNet-50 backbone. The temperature is 0.07 "
        "as in Fig. 3 and Eq. 2. J. Smith proposed it. τ is the temperature!"
    )
    assert split_sentences(text) == [
        "We follow Chen et al. [3] and use e.g. a ResNet-50 backbone.",
        "The temperature is 0.07 as in Fig. 3 and Eq. 2.",
        "J. Smith proposed it.",
        "τ is the temperature!",
    ]


def test_list_items_headings_and_tables() -> None:
    text = "Intro line\n- first item. still first\n- second item\n\n| a | b |\n|---|---|\n\nAfter."
    assert split_sentences(text) == [
        "Intro line",
        "first item. still first",  # a lower-case start never begins a sentence
        "second item",
        "After.",
    ]


def test_lowercase_continuation_is_not_a_boundary() -> None:
    assert split_sentences("We use approx. ten runs. vs. the baseline it wins.") == [
        "We use approx. ten runs. vs. the baseline it wins."
    ]


def test_sentences_carry_role_and_section_and_skip_references() -> None:
    found = sentences_of(
        section("Method", "We add a gate. It helps."),
        section("References", "Smith. A paper. 2020.", SectionRole.REFERENCES),
        abstract="We propose X.",
    )
    assert [(s.text, s.role, s.section_title) for s in found] == [
        ("We propose X.", SectionRole.ABSTRACT, "Abstract"),
        ("We add a gate.", SectionRole.METHOD, "Method"),
        ("It helps.", SectionRole.METHOD, "Method"),
    ]
    assert [s.index for s in found] == [0, 1, 2]
    assert found[0].section_id is None and found[1].section_id == "s-method"


def test_abstract_section_not_read_twice() -> None:
    doubled = paper(
        section("Abstract", "We propose X.", SectionRole.ABSTRACT), abstract="We propose X."
    )
    from ablab.analysis.sentences import iter_sentences

    assert [s.text for s in iter_sentences(doubled)] == ["We propose X."]


def test_quote_is_short_and_centred_on_the_match() -> None:
    text = (
        " ".join(f"word{i}" for i in range(200)) + " TARGET " + " ".join("x" * 5 for _ in range(80))
    )
    start = text.index("TARGET")
    quote = quote_around(text, start, start + 6)
    assert "TARGET" in quote
    assert len(quote) <= MAX_QUOTE + 2  # the two ellipses
    assert quote.startswith("…") and quote.endswith("…")
    assert quote_around("short sentence.") == "short sentence."


def test_very_long_runs_are_cut() -> None:
    text = " ".join(["token"] * 2000)
    parts = split_sentences(text)
    assert len(parts) > 1 and all(len(p) <= 1200 for p in parts)


def test_long_quote_starts_at_a_clause_when_it_can() -> None:
    text = (
        "In the second stage of the pipeline that we describe here in some detail, the input "
        "is masked using the explanation, and a feature misalignment loss is computed between "
        "the latent features and those extracted from the masked input using KL divergence."
    )
    start = text.index("KL divergence")
    quote = quote_around(text, start, start + 13)
    assert quote.startswith("…the input is masked") or quote.startswith("…and a feature")
    assert "KL divergence" in quote
