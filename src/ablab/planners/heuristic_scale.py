"""One "model size" ablation instead of separate sweeps of depth, width and heads.

A paper that states several size hyperparameters (``L = 12, H = 768, A = 12``) or names several
sizes of its model (``DiT-S ... DiT-XL``) is asked one question first: how do the results change
with scale? The sizes it names are the values to compare; otherwise every size is halved and
doubled together.
"""

from __future__ import annotations

from ablab.analysis.matching import TargetKey
from ablab.analysis.symbols import symbol_key
from ablab.analysis.variants import MODEL_SIZE
from ablab.planners.heuristic_candidates import Candidate
from ablab.planners.heuristic_sweeps import display_name, is_model_size, value_label
from ablab.schema import Ablation, Action, Analysis, Hyperparameter

SCALE_SCORE = 5.0
"""Score of the model-size ablation (like a method-specific sweep)."""
_MAX_LISTED = 4


def _label(hyperparameter: Hyperparameter) -> str:
    symbol = symbol_key(hyperparameter.symbol) if hyperparameter.symbol else None
    name = hyperparameter.name
    return f"{name} {symbol}" if symbol and symbol not in name.split() else name


def _config(sizes: list[Hyperparameter], factor: float) -> str:
    values = []
    for size in sizes:
        scaled = max(1.0, float(round((size.numeric or 1.0) * factor)))
        values.append(value_label(size, scaled))
    return ", ".join(values)


def scale_candidate(analysis: Analysis, reviewer: bool) -> Candidate | None:
    """The model-size ablation, when the paper names sizes or states two size settings."""
    sizes = [h for h in analysis.hyperparameters if is_model_size(h)][:_MAX_LISTED]
    variants = next((d for d in analysis.design_choices if d.choice == MODEL_SIZE), None)
    if variants is None and len(sizes) < 2:
        return None
    described = ", ".join(_label(h) for h in sizes) if len(sizes) >= 2 else "depth and width"
    part = f"model size ({described})"
    if variants is not None:
        replacement = list(variants.alternatives)
        evidence = variants.evidence[:2]
        source = f"the paper describes the model in several sizes ({', '.join(replacement)})"
    else:
        replacement = [_config(sizes, 0.5), _config(sizes, 2.0)]
        evidence = [e for h in sizes for e in h.evidence[:1]][:2]
        stated = ", ".join(f"{display_name(h)} = {h.value}" for h in sizes)
        source = f"the paper fixes its size ({stated})"
    rationale = (
        f"{source[0].upper()}{source[1:]}; comparing sizes shows whether the gains hold, grow "
        "or vanish with scale, and how much of the result is capacity rather than the method."
    )
    ablation = Ablation(
        name="Vary the model size",
        ablated_part=part,
        action=Action.REPLACE,
        replacement=replacement,
        rationale=rationale,
        evidence=evidence,
    )
    why = f"{rationale} Sizes to compare: {'; '.join(replacement)}."
    score = SCALE_SCORE + (0.5 if reviewer else 0.0)
    # Matched against existing ablations by every size it varies ("number of layers").
    match_text = f"{MODEL_SIZE} {described}"
    # The paper's own named sizes (base/large) are a sound comparison; a joint scaling of the
    # sizes it states mixes several knobs in one row, so it only stands when nothing else does.
    confidence = 0.5 if variants is not None else 0.3
    return Candidate(ablation, score, "sweep", MODEL_SIZE, match_text, why, confidence)


def model_size_varied(existing: TargetKey) -> bool:
    """Whether an existing ablation varies the model's size as a whole ("Effect of model size",
    "depth and width")."""
    tokens = existing.tokens
    return {"model", "size"} <= tokens or {"depth", "width"} <= tokens or "scale" in tokens
