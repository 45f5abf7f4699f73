"""Read benchmark datasets from a local file or folder, or from the Hugging Face Hub.

Local: a ``.jsonl`` / ``.json`` / ``.parquet`` file, or a folder holding ``<split>.<ext>``
(AblationBench's own layout is ``<folder>/test.parquet``, ``<folder>/dev.parquet``). Hub: a name
such as ``ai-coscientist/researcher-ablation-bench`` read through the ``datasets`` library (the
``hub`` extra); parquet needs ``pyarrow`` (the ``parquet`` extra).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ablab._util.text import reason
from ablab.bench.datasets import Dataset, build_dataset
from ablab.errors import ConfigError, DatasetError

DATA_SUFFIXES = (".jsonl", ".json", ".parquet")
"""File types a local dataset may use."""
DEFAULT_SPLITS = ("test", "dev", "train", "full")
"""Splits tried, in order, when a folder is given without a split."""
_HUB_NAME_RE = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{path}:{number}: not a JSON line: {exc}") from exc
            if not isinstance(row, dict):
                raise DatasetError(f"{path}:{number}: each line must be a JSON object")
            rows.append(row)
    return rows


def _read_json(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{path}: not valid JSON: {exc}") from exc
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise DatasetError(f"{path}: a .json dataset must be a list of objects")
    return data


def _read_parquet(path: Path) -> list[dict[str, Any]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ConfigError("reading parquet needs pyarrow: pip install 'ablab[parquet]'") from None
    try:
        rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    except Exception as exc:  # pyarrow raises several unrelated types for bad files
        raise DatasetError(f"{path}: not a readable parquet file: {exc}") from exc
    return rows


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of one local data file."""
    readers = {".jsonl": _read_jsonl, ".json": _read_json, ".parquet": _read_parquet}
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise DatasetError(f"{path}: unsupported dataset file (use .jsonl, .json or .parquet)")
    try:
        return reader(path)
    except UnicodeDecodeError:
        raise DatasetError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot be read ({reason(exc)})") from None


def _split_file(folder: Path, split: str | None) -> Path:
    candidates = [s for s in ([split] if split else DEFAULT_SPLITS)]
    for name in candidates:
        for suffix in DATA_SUFFIXES:
            path = folder / f"{name}{suffix}"
            if path.is_file():
                return path
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in DATA_SUFFIXES)
    if split is None and len(files) == 1:
        return files[0]
    wanted = f"split {split!r}" if split else f"one of the splits {', '.join(DEFAULT_SPLITS)}"
    raise DatasetError(f"{folder}: no data file for {wanted} (found {[p.name for p in files]})")


def load_local(path: Path, split: str | None = None) -> Dataset:
    """A dataset from a local file or folder."""
    file = _split_file(path, split) if path.is_dir() else path
    rows = read_rows(file)
    return build_dataset(rows, name=f"{file}", root=str(file.parent.resolve()))


def load_hub(name: str, split: str | None = None) -> Dataset:
    """A dataset from the Hugging Face Hub through the ``datasets`` library."""
    try:
        import datasets
    except ImportError:
        raise ConfigError(
            f"{name!r} is not a local path; loading it from the Hugging Face Hub needs the "
            "`hub` extra: pip install 'ablab[hub]'"
        ) from None
    chosen = split or "test"
    try:
        table = datasets.load_dataset(name, split=chosen)
    except (ConnectionError, OSError) as exc:
        raise DatasetError(
            f"cannot load {name!r} from the Hugging Face Hub (offline, or no such dataset?): "
            f"{exc}. Download it once while online, or pass a local folder/JSONL/parquet file."
        ) from None
    except Exception as exc:  # datasets raises many types (DatasetNotFoundError, ValueError...)
        raise DatasetError(f"cannot load {name!r} split {chosen!r}: {exc}") from None
    return build_dataset([dict(row) for row in table], name=f"{name}:{chosen}")


def load_dataset(spec: str | Path, split: str | None = None) -> Dataset:
    """Load a dataset from a local path, or from the hub when ``spec`` is ``owner/name``."""
    path = Path(spec).expanduser()
    if path.exists():
        return load_local(path, split)
    if isinstance(spec, str) and _HUB_NAME_RE.match(spec):
        return load_hub(spec, split)
    raise DatasetError(f"{spec}: no such file or folder (and not a hub name like owner/dataset)")
