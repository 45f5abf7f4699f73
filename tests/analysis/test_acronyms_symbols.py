from __future__ import annotations

import re

import pytest

from ablab.analysis.acronyms import find_definitions, is_acronym
from ablab.analysis.symbols import NUMBER, SYMBOL, clean_number, parse_number, symbol_key


def test_acronym_expansions() -> None:
    text = (
        "We introduce the Cross-View Consistency Module (CVCM), an Adaptive Prototype Memory "
        "(APM) and a feature misalignment loss (FML), trained with SGD (SGD)."
    )
    found = {d.acronym: d.expansion for d in find_definitions(text)}
    assert found == {
        "CVCM": "Cross-View Consistency Module",
        "APM": "Adaptive Prototype Memory",
        "FML": "feature misalignment loss",
    }


def test_definition_offsets_point_at_the_expansion() -> None:
    text = "Our Token Relevance Gate (TRG) scores tokens."
    (definition,) = find_definitions(text)
    assert text[definition.start : definition.end] == "Token Relevance Gate (TRG)"


def test_parenthesised_non_acronyms_are_ignored() -> None:
    assert find_definitions("the mapping layer (m) and the classifier (c) in (Table 2)") == []
    assert not is_acronym("Table")
    assert is_acronym("CVCMs") and is_acronym("ViT")


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("3e-4", 3e-4),
        ("1e−4", 1e-4),
        ("3 × 10^{-4}", 3e-4),
        ("3\\times 10^{-5}", 3e-5),
        ("10^{-4}", 1e-4),
        ("4,096", 4096.0),
        ("75%", 0.75),
        ("75\\%", 0.75),
        ("0.07", 0.07),
    ],
)
def test_numbers(written: str, value: float) -> None:
    assert re.fullmatch(NUMBER, written)
    assert parse_number(written) == pytest.approx(value)


def test_number_pattern_does_not_take_a_trailing_full_stop() -> None:
    assert re.match(NUMBER, "256. Next").group(0) == "256"  # type: ignore[union-attr]
    assert clean_number("3 e-4") == "3e-4"
    assert parse_number("abc") is None


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("\\lambda", "λ"),
        ("λ", "λ"),
        ("\\lambda_{\\text{proto}}", "λ_proto"),
        ("τ_t", "τ_t"),
        ("η₂", "η_2"),
        ("\\eta_2", "η_2"),
        ("$\\tau$", "τ"),
        ("K", "K"),
    ],
)
def test_symbols(written: str, key: str) -> None:
    assert re.fullmatch(SYMBOL, written.strip("$"))
    assert symbol_key(written) == key
