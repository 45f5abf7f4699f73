"""AblationBench predictions: one JSON ablation per line (a plan's ``<paper_id>.jsonl``), and the
ablation objects of its datasets, read leniently as the benchmark writes them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from ablab.errors import DatasetError
from ablab.schema import Ablation


def parse_ablation(raw: Any, where: str) -> Ablation:
    """One AblationBench ablation object (replacement may be a list, a dict or a string)."""
    if not isinstance(raw, Mapping):
        raise DatasetError(f"{where}: an ablation must be a JSON object, got {raw!r:.60}")
    replacement = raw.get("replacement")
    if isinstance(replacement, Mapping):  # AblationBench allows {"option": "detail"}
        replacement = [f"{key}: {value}" for key, value in replacement.items()]
    elif isinstance(replacement, list):
        replacement = [str(item) for item in replacement]
    elif replacement is not None:
        replacement = [str(replacement)]
    try:
        return Ablation(
            name=str(raw.get("name") or raw.get("ablated_part") or ""),
            ablated_part=str(raw.get("ablated_part") or raw.get("name") or ""),
            action=raw.get("action", ""),
            replacement=replacement,
            metrics=[str(m) for m in raw.get("metrics") or []],
        )
    except ValidationError as exc:
        problem = exc.errors()[0]
        raise DatasetError(
            f"{where}: invalid ablation ({problem['loc']}: {problem['msg']})"
        ) from None


def parse_predictions(text: str, where: str) -> list[Ablation]:
    """AblationBench predictions (one JSON ablation per line) as Ablations."""
    ablations = []
    for number, line in enumerate(text.split("\n"), 1):  # not splitlines(): U+2028 is text
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{where}:{number}: not a JSON line: {exc}") from None
        ablations.append(parse_ablation(raw, f"{where}:{number}"))
    return ablations


def unique_names(ablations: list[Ablation]) -> list[Ablation]:
    """``ablations`` with names unique within the plan: a repeated name gets `` (2)``, `` (3)``...

    AblationBench's harness matches a judge's decisions to plan items *by name*, so two items
    with one name would be scored as one. Names are compared as the harness compares them
    (exactly); the first item keeps its name.
    """
    taken = {a.name for a in ablations}
    seen: set[str] = set()
    result = []
    for ablation in ablations:
        name = ablation.name
        if name in seen:
            number = 2
            while f"{name} ({number})" in taken:
                number += 1
            name = f"{name} ({number})"
            taken.add(name)
            ablation = ablation.model_copy(update={"name": name})
        seen.add(name)
        result.append(ablation)
    return result
