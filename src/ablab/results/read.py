"""Read experiment results: long-format CSV/JSONL, or a W&B runs export.

Long format has one value per line: ``ablation`` (a plan item's name, or ``full`` for the
unablated method), ``variant`` (the replacement; empty for REMOVE), ``seed``, ``metric``,
``value``. A W&B runs export (the runs table saved as CSV, or ``runs_df.to_csv`` with ``config``
and ``summary`` columns) has one run per row: the ``ablation`` label that ``ablab export`` puts
in every run's config, metrics as columns, and optionally ``variant`` and ``seed``.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ablab._util.text import reason
from ablab.analysis.terms import word_set
from ablab.errors import AblabError
from ablab.export.labels import slug

MAX_RESULTS_BYTES = 50 * 1024 * 1024
"""Largest results file read."""
LONG_COLUMNS = ("ablation", "variant", "seed", "metric", "value")
"""Columns of the long format (``variant`` and ``seed`` may be missing)."""
_LABEL_KEYS = ("ablation", "++ablation", "+ablation", "config.ablation", "config/ablation")
_SEED_KEYS = ("seed", "++seed", "+seed", "config.seed", "config/seed")
_VARIANT_KEYS = ("variant", "++variant", "+variant", "config.variant", "config/variant")
_WANDB_META = word_set(
    """
    name state notes user tags created runtime sweep id group job type host commit summary config
    """
)
"""Columns of a W&B runs table that are never metrics."""


VariantKey = str | dict[str, str] | None
"""The column naming a run's variant: one for every run, or one per ablation label."""


class ResultsError(AblabError):
    """A results file that cannot be read (a one-line reason)."""


@dataclass(frozen=True)
class Observation:
    """One measured value."""

    ablation: str
    """Plan item name (or its label) as written in the results; ``full`` for the method."""
    variant: str
    """The variant as written (empty for REMOVE or the full method)."""
    seed: str
    """The seed (or run) the value comes from."""
    metric: str
    """Metric name."""
    value: float
    """The value."""


def _text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_RESULTS_BYTES:
            raise ResultsError(f"{path}: larger than {MAX_RESULTS_BYTES // 2**20} MB")
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ResultsError(f"{path}: no such results file") from None
    except IsADirectoryError:
        raise ResultsError(f"{path}: is a directory, expected a results file") from None
    except UnicodeDecodeError:
        raise ResultsError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ResultsError(f"{path}: cannot be read ({reason(exc)})") from None


def _rows(text: str, path: Path) -> list[dict[str, Any]]:
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        rows = []
        for number, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError:
                raise ResultsError(f"{path}:{number}: not a JSON line") from None
            if not isinstance(row, dict):
                raise ResultsError(f"{path}:{number}: expected a JSON object")
            rows.append(row)
        return rows
    try:
        reader = csv.DictReader(io.StringIO(text))
        rows = [dict(row) for row in reader]
    except csv.Error as exc:
        raise ResultsError(f"{path}: not a CSV file ({exc})") from None
    if reader.fieldnames is None:
        raise ResultsError(f"{path}: empty results file")
    return rows


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip()
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def _label(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _long(rows: list[dict[str, Any]], path: Path) -> list[Observation]:
    found = []
    for number, raw in enumerate(rows, 2):
        row = {str(k).strip().lower(): v for k, v in raw.items()}
        value = _number(row.get("value"))
        ablation, metric = _label(row.get("ablation")), _label(row.get("metric"))
        if not ablation or not metric:
            raise ResultsError(f"{path}: row {number}: needs an ablation and a metric")
        if value is None:
            raise ResultsError(f"{path}: row {number}: value {row.get('value')!r} is not a number")
        seed = _label(row.get("seed")) or str(number)
        found.append(Observation(ablation, _label(row.get("variant")), seed, metric, value))
    return found


def _dict_cell(value: Any) -> dict[str, Any]:
    """A ``config``/``summary`` cell of ``runs_df.to_csv``: a Python or JSON dict literal."""
    if isinstance(value, dict):
        return value
    if not isinstance(value, str) or not value.strip().startswith("{"):
        return {}
    try:
        parsed = ast.literal_eval(value)  # literals only: nothing in the file is executed
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        try:
            parsed = json.loads(value)
        except ValueError:
            return {}
    return parsed if isinstance(parsed, dict) else {}


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    """A W&B run row with its ``config`` and ``summary`` dicts spread into columns."""
    flat = {k: v for k, v in row.items() if k not in ("config", "summary")}
    for key in ("config", "summary"):
        for inner, value in _dict_cell(row.get(key)).items():
            if isinstance(value, dict) and "value" in value and key == "config":
                value = value["value"]  # the API's {"value": ...} form
            flat.setdefault(str(inner), value)
    return flat


def _first(row: dict[str, Any], keys: tuple[str, ...]) -> Any:
    lowered = {str(k).lower(): v for k, v in row.items()}
    return next((lowered[k] for k in keys if lowered.get(k) not in (None, "")), None)


def _wide(
    rows: list[dict[str, Any]], path: Path, metrics: list[str] | None, variant_key: VariantKey
) -> list[Observation]:
    flat = [_flat(row) for row in rows]
    if not any(_first(row, _LABEL_KEYS) is not None for row in flat):
        raise ResultsError(
            f"{path}: no 'ablation' column: expected long format (ablation, variant, seed, "
            "metric, value) or a W&B runs export whose runs carry the 'ablation' label"
        )
    columns = list(dict.fromkeys(k for row in flat for k in row))
    if metrics is None:
        keys = set(variant_key.values()) if isinstance(variant_key, dict) else {variant_key}
        skip = set(_LABEL_KEYS + _SEED_KEYS + _VARIANT_KEYS) | _WANDB_META | keys
        metrics = [
            c
            for c in columns
            if c.lower() not in skip
            and not c.startswith("_")
            and any(_number(row.get(c)) is not None for row in flat)
        ]
    found = []
    for number, row in enumerate(flat, 2):
        ablation = _label(_first(row, _LABEL_KEYS))
        if not ablation:
            continue  # a run that is not part of the study
        seed = _label(_first(row, _SEED_KEYS)) or str(number)
        column = variant_key.get(slug(ablation)) if isinstance(variant_key, dict) else variant_key
        variant = _label(row.get(column) if column else _first(row, _VARIANT_KEYS))
        for metric in metrics:
            value = _number(row.get(metric))
            if value is not None:
                found.append(Observation(ablation, variant, seed, metric, value))
    return found


def read_results(
    path: Path, *, metrics: list[str] | None = None, variant_key: VariantKey = None
) -> list[Observation]:
    """Every observation in ``path`` (see the module docstring for the accepted layouts).

    ``metrics`` picks the metric columns of a W&B export (default: every numeric column that is
    not a label); ``variant_key`` names the config column that tells variants apart there, one
    for all runs or one per ablation label (``{slug: column}``, as ``ablab export`` mapped them).
    """
    rows = _rows(_text(path), path)
    if not rows:
        raise ResultsError(f"{path}: no results in the file")
    keys = {str(k).lower() for row in rows for k in row}
    if {"metric", "value"} <= keys:
        found = _long(rows, path)
    else:
        found = _wide(rows, path, metrics, variant_key)
    if not found:
        raise ResultsError(f"{path}: no numeric results found")
    return found
