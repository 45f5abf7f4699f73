from __future__ import annotations

import pytest

from ablab.analysis.symbols import parse_number
from ablab.planners.heuristic_sweeps import format_value, sweep_labels, sweep_values
from ablab.schema import Hyperparameter


def _hp(name: str, value: str, symbol: str | None = None) -> Hyperparameter:
    return Hyperparameter(name=name, symbol=symbol, value=value, numeric=parse_number(value))


def test_float_values_use_multipliers() -> None:
    assert sweep_labels(_hp("student temperature", "0.07", "τ")) == [
        "τ = 0.007",
        "τ = 0.035",
        "τ = 0.14",
        "τ = 0.7",
    ]
    assert sweep_labels(_hp("loss weight", "0.5", "\\lambda")) == [
        "λ = 0.05",
        "λ = 0.25",
        "λ = 1",
        "λ = 5",
    ]


@pytest.mark.parametrize(
    ("name", "value", "symbol"),
    [("update interval", "5", "K"), ("number of layers", "12", "L"), ("neighbours", "1", "k"),
     ("batch size", "256", None), ("number of prototypes", "4096", "M"), ("epochs", "100", None)],
)  # fmt: skip
def test_integers_stay_distinct_integers_at_least_one(
    name: str, value: str, symbol: str | None
) -> None:
    values = sweep_values(_hp(name, value, symbol))
    assert len(values) >= 2
    assert all(v.is_integer() and v >= 1 for v in values)
    assert len(set(values)) == len(values)
    assert float(value) not in values


def test_powers_of_two_and_durations() -> None:
    assert sweep_values(_hp("batch size", "256")) == [64, 128, 512, 1024]
    assert sweep_values(_hp("training epochs", "100")) == [50, 200]
    assert sweep_labels(_hp("update interval", "5", "K")) == ["K = 1", "K = 3", "K = 10", "K = 20"]


@pytest.mark.parametrize(
    ("name", "value"),
    [("dropout rate", "0.1"), ("momentum", "0.99"), ("EMA momentum", "0.996"),
     ("mask ratio", "75%"), ("margin", "0.2"), ("label smoothing", "0.4")],
)  # fmt: skip
def test_probabilities_stay_inside_the_unit_interval(name: str, value: str) -> None:
    values = sweep_values(_hp(name, value))
    assert len(values) >= 3
    assert all(0 < v < 1 for v in values)
    assert parse_number(value) not in values


def test_values_near_one_move_on_the_gap() -> None:
    assert sweep_values(_hp("momentum", "0.99")) == [0.9, 0.98, 0.995, 0.999]


def test_learning_rates_move_by_powers_of_ten() -> None:
    assert sweep_labels(_hp("learning rate", "3e-4")) == [
        "learning rate = 3e-5",
        "learning rate = 3e-3",
    ]
    assert sweep_labels(_hp("weight decay", "0.05")) == [
        "weight decay = 0.005",
        "weight decay = 0.5",
    ]


def test_unusable_values_give_no_sweep() -> None:
    assert sweep_values(Hyperparameter(name="x", value="n/a", numeric=None)) == []
    assert sweep_values(_hp("shift", "0")) == []
    assert sweep_values(_hp("offset", "-1")) == []


def test_format_value() -> None:
    assert format_value(3e-5, "3e-4") == "3e-5"
    assert format_value(0.0001, "0.001") == "1e-4"
    assert format_value(128.0) == "128"
    assert format_value(0.5, "75%") == "50%"
    assert format_value(0.14000000000000001) == "0.14"


def test_window_and_patch_sizes_stay_near_the_stated_size() -> None:
    from ablab.planners.heuristic_sweeps import sweep_values
    from ablab.schema import Hyperparameter

    window = Hyperparameter(name="window size", value="7", numeric=7.0)
    assert sweep_values(window) == [4.0, 5.0, 9.0, 14.0]
    patch = Hyperparameter(name="patch size", value="2", numeric=2.0)
    assert sweep_values(patch) == [1.0, 4.0, 8.0]


def test_depths_halve_and_double() -> None:
    from ablab.planners.heuristic_sweeps import sweep_values
    from ablab.schema import Hyperparameter

    deep = Hyperparameter(name="number of layers", value="34", numeric=34.0)
    assert sweep_values(deep) == [17.0, 68.0]
    shallow = Hyperparameter(name="number of layers of the GCN", value="2", numeric=2.0)
    assert sweep_values(shallow) == [1.0, 3.0, 4.0]


def test_unnamed_counts_read_as_counts() -> None:
    from ablab.planners.heuristic_sweeps import sweep_labels
    from ablab.schema import Hyperparameter

    layers = Hyperparameter(name="number of layers of the GCN", value="2", numeric=2.0)
    assert sweep_labels(layers) == ["1 layer", "3 layers", "4 layers"]
    units = Hyperparameter(name="number of hidden units", value="16", numeric=16.0)
    assert sweep_labels(units)[0] == "4 hidden units"
    heads = Hyperparameter(name="number of heads", symbol="h", value="8", numeric=8.0)
    assert sweep_labels(heads)[0] == "h = 2"
