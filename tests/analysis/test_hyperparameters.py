from __future__ import annotations

from ablab.analysis.component_index import ComponentIndex
from ablab.analysis.hyperparameters import find_hyperparameters
from ablab.schema import Component, SectionRole

from .builders import section, sentences_of


def _find(text: str, components: list[Component] | None = None, title: str = "Method"):  # type: ignore[no-untyped-def]
    found = find_hyperparameters(
        sentences_of(section(title, text)), ComponentIndex(components or [])
    )
    return {(h.symbol or h.name): h for h in found}


def test_greek_and_latex_symbols_with_values() -> None:
    found = _find(
        "We set λ = 0.5 and the student temperature τ = 0.07. In LaTeX, $\\beta=0.01$ and "
        "$\\eta_2 = 3 \\times 10^{-4}$."
    )
    assert found["λ"].value == "0.5" and found["λ"].numeric == 0.5
    assert found["τ"].name == "student temperature" and found["τ"].numeric == 0.07
    assert found["\\beta"].numeric == 0.01
    assert found["\\eta_2"].numeric == 3e-4


def test_set_to_phrases_and_named_hyperparameters() -> None:
    found = _find(
        "We set K to 5. We use a learning rate of 3e-4, a batch size of 256, a weight decay of "
        "1e-4, dropout 0.1, momentum 0.99 and a margin of 0.2, and train for 100 epochs with a "
        "warm-up of 10 epochs. We use k = 10 nearest neighbours."
    )
    assert found["K"].numeric == 5
    assert found["learning rate"].value == "3e-4"
    assert found["batch size"].numeric == 256
    assert found["weight decay"].numeric == 1e-4
    assert found["dropout rate"].numeric == 0.1
    assert found["momentum"].numeric == 0.99
    assert found["margin"].numeric == 0.2
    assert found["training epochs"].numeric == 100
    assert found["warm-up epochs"].numeric == 10
    assert found["k"].name == "number of nearest neighbours"


def test_symbol_description_elsewhere_gives_name_and_component() -> None:
    loss = Component(name="prototype separation loss", kind="loss")
    found = _find(
        "The total loss adds the prototype separation loss, where λ weights the prototype "
        "separation loss. We set λ = 0.5 unless stated otherwise.",
        [loss],
    )
    assert found["λ"].name == "weight of the prototype separation loss"
    assert found["λ"].component == "prototype separation loss"


def test_component_from_the_section_title() -> None:
    gate = Component(name="Token Relevance Gate", acronym="TRG", kind="module")
    found = _find("The hidden layer uses dropout 0.1.", [gate], title="Token Relevance Gate")
    assert found["dropout rate"].component == "Token Relevance Gate"


def test_method_value_preferred_over_ablation_value() -> None:
    sentences = sentences_of(
        section("Method", "We set λ = 0.5."),
        section("Ablation", "With λ = 2.0 accuracy drops.", SectionRole.ABLATIONS),
    )
    (found,) = find_hyperparameters(sentences)
    assert found.value == "0.5"
    assert len(found.evidence) == 2


def test_indices_and_references_are_not_hyperparameters() -> None:
    found = _find("We sum over i = 1 to N in Table 3 and Section 4, see Figure 5 with x = 2.")
    assert "i" not in found and "x" not in found
    assert not any(k.lower().startswith(("table", "section", "figure")) for k in found)


def test_every_k_iterations_describes_k() -> None:
    memory = Component(name="prototype memory", kind="module")
    found = _find("Every K iterations the prototype memory is refreshed. We set K to 5.", [memory])
    assert found["K"].name == "update interval (in iterations)"
    assert found["K"].component == "prototype memory"


def test_weighted_by_names_the_weight() -> None:
    found = _find("We add a KL term weighted by $\\lambda = 0.5$.")
    assert found["\\lambda"].name == "weight of the KL term"


def test_power_of_ten_value_and_counted_noun() -> None:
    found = _find(
        "Assignments use a softmax over $K$ motif slots; we set $K=16$. "
        "We use Adam with a learning rate of $10^{-3}$."
    )
    assert found["learning rate"].numeric == 1e-3 and found["learning rate"].value == "10^{-3}"
    assert found["K"].name == "number of motif slots" and found["K"].numeric == 16
