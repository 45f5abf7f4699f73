"""How hyperparameters are named: the words around a value, counts, shapes, symbol lists."""

from __future__ import annotations

from ablab.analysis.component_index import ComponentIndex
from ablab.analysis.hyperparameters import find_hyperparameters
from ablab.schema import Component

from .builders import section, sentences_of


def _find(text: str, components: list[Component] | None = None) -> dict[str, tuple]:  # type: ignore[type-arg]
    found = find_hyperparameters(
        sentences_of(section("Method", text)), ComponentIndex(components or [])
    )
    return {h.name: (h.symbol, h.value, h.component) for h in found}


def test_a_bracket_does_not_cut_the_name() -> None:
    found = _find("The layer cuts the latent into p x p patches (patch size p = 2, 4 or 8).")
    assert found["patch size"][:2] == ("p", "2")


def test_symbols_described_as_for_the() -> None:
    found = _find(
        "We write L for the number of layers, H for the hidden size and A for the number of "
        "self-attention heads. The base model has L = 12, H = 768 and A = 12."
    )
    assert found["number of layers"][:2] == ("L", "12")
    assert found["hidden size"][:2] == ("H", "768")
    assert found["number of self-attention heads"][:2] == ("A", "12")


def test_optimiser_constants_are_named_after_the_optimiser() -> None:
    found = _find("We use Adam with a learning rate of 1e-4, β1 = 0.9, β2 = 0.999 and ε = 1e-8.")
    assert {"Adam β_1", "Adam β_2", "Adam ε"} <= set(found)


def test_counts_before_the_counted_parts() -> None:
    found = _find(
        "We use a two-layer GCN with 16 hidden units. The MLP processes x with 8 fully "
        "connected layers and 256 channels."
    )
    assert found["number of layers of the GCN"][1] == "2"
    assert found["number of hidden units"][1] == "16"
    assert found["number of channels"][1] == "256"
    assert "8" in {v[1] for v in found.values()}


def test_a_count_after_with_belongs_to_the_part_before() -> None:
    mlp = Component(name="prediction MLP", kind="module", symbol="h")
    found = _find("A prediction MLP h with two layers maps one view to the other.", [mlp])
    assert found["number of layers of the prediction MLP"][1] == "2"


def test_training_settings_do_not_belong_to_a_nearby_component() -> None:
    l2 = Component(name="L2 regularization", kind="regularizer")
    found = _find("We use a dropout rate of 0.5 and an L2 regularization of 5e-4.", [l2])
    assert found["dropout rate"][2] is None


def test_square_shapes_and_masked_shares() -> None:
    found = _find("Attention runs over 7x7 windows. We mask 15% of the input tokens at random.")
    assert found["window size"][1] == "7"
    assert found["masking ratio"][1] == "15%"
    chosen = _find("We choose 15% of the token positions at random.")
    assert chosen["share of token positions chosen"][1] == "15%"


def test_products_written_with_x_and_orders() -> None:
    found = _find(
        "We use a learning rate of 2 x 10^{-4}. Filters are polynomials up to order K; we set "
        "K = 1."
    )
    assert found["learning rate"][1] == "2×10^{-4}"
    assert found["order"][:2] == ("K", "1")


def test_number_of_stops_before_a_linking_word() -> None:
    found = _find("Varying the number of layers from 1 to 10 shows the trend.")
    assert "number of layers from" not in found
