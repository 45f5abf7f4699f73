"""Values to try around a hyperparameter's stated value.

Rules: integers stay distinct integers >= 1 (0.2x, 0.5x, 2x, 4x; powers of two stay powers of two;
durations only halve or double); probabilities and
other values in (0, 1) stay in (0, 1), values close to 1 (momentum 0.99) move on the 1 - v scale;
learning rates and weight decays move by powers of ten; everything else by 0.1x, 0.5x, 2x, 10x.
"""

from __future__ import annotations

import math
import re

from ablab.analysis.symbols import symbol_key
from ablab.analysis.terms import singular
from ablab.schema import Hyperparameter

_MULTIPLIERS = (0.1, 0.5, 2.0, 10.0)
_INTEGER_MULTIPLIERS = (0.2, 0.5, 2.0, 4.0)  # counts (K, layers, neighbours) rarely grow 10x
_POWER_OF_TEN_NAMES = re.compile(r"learning[- ]rate|\blr\b|weight[- ]decay", re.IGNORECASE)
_DURATION_NAMES = re.compile(
    r"^(?:training|warm-up|pretraining|fine-tuning|number of(?: training)?) "
    r"(?:epochs|iterations|steps|updates)\b",
    re.IGNORECASE,
)
_LAYER_NAMES = re.compile(r"\bnumber of (?:[\w-]+ )?layers\b|\bdepth\b", re.IGNORECASE)
# "number of layers of the GCN" -> "layers"; "number of hidden units" -> "hidden units"
_COUNTED = re.compile(r"^number of (?P<noun>(?:hidden )?[a-z-]+s)\b")
_SPATIAL_SIZE_NAMES = re.compile(r"\b(?:window|patch|kernel|crop) size\b", re.IGNORECASE)
_UNIT_INTERVAL_NAMES = re.compile(
    r"dropout|ratio|probabilit|momentum|decay|smoothing|margin|threshold|\brate\b|\bp\b|"
    r"discount|fraction|proportion|percentage|share|gae|clipping|multiplier|"
    r"^(?:Adam|AdamW|LAMB)\b",
    re.IGNORECASE,
)
# Quantities that may exceed 1 even when the paper sets them below it (a loss weight of 0.5 may
# be 5); any other value stated in (0, 1) stays in (0, 1).
_UNBOUNDED_NAMES = re.compile(
    r"weight|coefficient|temperature|scale|learning[- ]rate|\blr\b|std|sigma|noise|variance|"
    r"strength|step ?size|radius|neighbou?rhood|penalty|beta|\bβ",
    re.IGNORECASE,
)


def _written_as_integer(value: str) -> bool:
    return re.fullmatch(r"[\d,]+", value.strip()) is not None


def _integer_values(value: int, name: str) -> list[float]:
    if _DURATION_NAMES.search(name):
        raw = [value / 2, value * 2]
    elif _LAYER_NAMES.search(name):
        # depth: halve and double, and one layer more or less for shallow networks
        raw = [value / 2, value * 2] + ([value - 1, value + 1] if value <= 4 else [])
    elif _SPATIAL_SIZE_NAMES.search(name):
        # stay near the stated size: halve, double, and step by two (or quadruple small ones)
        raw = [value / 2, value * 2] + ([value - 2, value + 2] if value >= 5 else [value * 4])
    elif value >= 4 and value & (value - 1) == 0:
        raw = [value / 4, value / 2, value * 2, value * 4]
    else:
        raw = [value * m for m in _INTEGER_MULTIPLIERS]
    result: list[float] = []
    for x in raw:
        n = max(1, math.floor(x + 0.5))
        if n != value and n not in result:
            result.append(float(n))
    return sorted(result)


def _unit_interval_values(value: float) -> list[float]:
    if value > 0.5:
        # Close to 1 (momentum 0.99, EMA decay 0.996): scale the distance to 1 instead.
        gap = 1.0 - value
        raw = [1.0 - gap * m for m in reversed(_MULTIPLIERS) if gap * m < 0.999]
    else:
        raw = [value * m for m in _MULTIPLIERS if value * m < 0.999]
    result = [x for x in raw if 0.0 < x < 1.0 and not math.isclose(x, value)]
    if len(result) < 3:
        midpoint = (value + 1.0) / 2
        if all(not math.isclose(midpoint, x) for x in result):
            result.append(midpoint)
    return sorted(_round(x) for x in result)


def _round(x: float) -> float:
    """Three significant digits; near 1, three significant digits of the gap to 1."""
    if 0.5 < x < 1.0:
        return float(f"{1.0 - float(f'{1.0 - x:.3g}'):.6g}")
    return float(f"{x:.3g}")


def sweep_values(hyperparameter: Hyperparameter) -> list[float]:
    """Values to try instead of the stated one, ascending; empty when the value is unusable."""
    value = hyperparameter.numeric
    written = hyperparameter.value or ""
    if value is None or value <= 0 or not math.isfinite(value):
        return []
    name = f"{hyperparameter.name} {hyperparameter.symbol or ''}"
    if _POWER_OF_TEN_NAMES.search(name):
        return [_round(value / 10), _round(value * 10)]
    if value == 1 and _UNIT_INTERVAL_NAMES.search(name) and not written.endswith("%"):
        return [0.25, 0.5, 0.75]  # a multiplier or ratio at its maximum only shrinks
    if _written_as_integer(written) and value.is_integer():
        return _integer_values(int(value), name)
    if value < 1 and (
        written.endswith("%")
        or _UNIT_INTERVAL_NAMES.search(name)
        or not _UNBOUNDED_NAMES.search(name)
    ):
        return _unit_interval_values(value)
    return [_round(value * m) for m in _MULTIPLIERS]


def format_value(x: float, like: str = "") -> str:
    """``x`` written like the paper's value ``like``: ``3e-5``, ``0.035``, ``128``, ``50%``."""
    if like.strip().endswith("%"):
        return f"{x * 100:.3g}%"
    if float(x).is_integer() and abs(x) < 1e6:
        return str(int(x))
    if "e" in like.lower() or abs(x) < 1e-3:
        mantissa, exponent = f"{x:.2e}".split("e")
        return f"{float(mantissa):g}e{int(exponent)}"
    return f"{x:.6g}"


def display_name(hyperparameter: Hyperparameter) -> str:
    """How a sweep names the hyperparameter: its symbol, else its name."""
    return symbol_key(hyperparameter.symbol) if hyperparameter.symbol else hyperparameter.name


def value_label(hyperparameter: Hyperparameter, x: float) -> str:
    """One value as a plan item: ``τ = 0.035``, or ``3 layers`` for an unnamed count."""
    written = format_value(x, hyperparameter.value or "")
    counted = _COUNTED.match(hyperparameter.name)
    if counted and not hyperparameter.symbol:
        noun = counted.group("noun")
        return f"{written} {singular(noun) if x == 1 else noun}"
    return f"{display_name(hyperparameter)} = {written}"


def sweep_labels(hyperparameter: Hyperparameter) -> list[str]:
    """Replacement values as plan items: ``["τ = 0.035", "τ = 0.14", ...]``, ``["1 layer",
    "4 layers"]``; relative to the paper's value when the view does not state it."""
    if hyperparameter.value is None:
        return relative_labels(hyperparameter)
    return [value_label(hyperparameter, x) for x in sweep_values(hyperparameter)]


_WEIGHT_NAMES = re.compile(r"weight|coefficient|strength|penalty|lambda", re.IGNORECASE)
_BOUNDED_NAMES = re.compile(
    r"ratio|rate|probabilit|fraction|decay|momentum|threshold|discount", re.IGNORECASE
)
_COUNT_NAMES = re.compile(
    r"^number of|size|length|rank|order|horizon|interval|budget|depth|width|steps",
    re.IGNORECASE,
)


def relative_labels(hyperparameter: Hyperparameter) -> list[str]:
    """Values relative to the paper's own, for a knob whose value the view does not give
    (author mode hides the experiments that set it): a loss weight at 0 and a tenth and ten
    times its value, a ratio halved and moved toward 1, a count halved and doubled."""
    name = display_name(hyperparameter)
    quantity = hyperparameter.name
    if _WEIGHT_NAMES.search(quantity):
        return [f"{name} = 0", f"{name} at 0.1× the paper's value", f"{name} at 10× its value"]
    if _BOUNDED_NAMES.search(quantity):
        return [f"{name} at half the paper's value", f"{name} halfway between its value and 1"]
    if _COUNT_NAMES.search(quantity):
        return [f"{name} at half the paper's value", f"{name} at twice its value"]
    return [f"{name} at 0.1× the paper's value", f"{name} at 10× its value"]


# Depth and width. Not the number of attention heads: with the usual d_k = d_model / h, heads
# split the same width differently, a design choice rather than a size.
_SIZE_NAME = re.compile(
    r"^(?:number of (?:[\w-]+ )?(?:layers|channels|hidden units|blocks|filters)"
    r"|hidden (?:size|dimension|units|width)|model dimension|embedding dimension|width|depth)\b",
    re.IGNORECASE,
)
_OWNER = re.compile(r" of the (?P<owner>.+)$")


def is_size(hyperparameter: Hyperparameter) -> bool:
    """Whether the hyperparameter sets a depth or width ("number of layers L")."""
    return _SIZE_NAME.search(hyperparameter.name) is not None and bool(hyperparameter.numeric)


def is_model_size(hyperparameter: Hyperparameter) -> bool:
    """Whether it sets the depth or width of the whole model: not of one named module ("number
    of layers of the prediction MLP"), but possibly of a network named by its family ("of the
    GCN")."""
    if not is_size(hyperparameter):
        return False
    owner = _OWNER.search(hyperparameter.name)
    if owner is None:
        return hyperparameter.component is None
    return owner.group("owner")[:1].isupper()
