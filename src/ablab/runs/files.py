"""Run directories: one plan per paper, written atomically, readable by AblationBench's harness.

Layout of ``<out>/``::

    <paper_id>.jsonl      AblationBench predictions (one ablation per line)
    <paper_id>.plan.json  the full Plan with reasoning, usage and versions
    <paper_id>.md         the plan as trajectory Markdown
    plans.json            {paper_id: {"predictions": "<jsonl text>", "cost": float}}
    failures.json         papers that failed, with the reason (a rerun tries them again)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ablab._util.atomic import atomic_write_text
from ablab._util.text import reason
from ablab.errors import AblabError, ConfigError
from ablab.formats.trajectory import STYLE_BLOCK, render_plan_markdown
from ablab.schema import Plan

PLANS_INDEX = "plans.json"
FAILURES_FILE = "failures.json"
"""Papers that could not be planned, with the reason (and raw model answers)."""


_MAX_ID_BYTES = 200  # file names are limited to 255 bytes; room for ".plan.json" and temp names


def is_file_id(paper_id: str) -> bool:
    """Whether ``paper_id`` can name files in a run directory: one plain path component.

    Ids come from datasets and other untrusted files; ``../x``, ``/tmp/x`` or ``a/b`` would
    write outside the output directory.
    """
    return (
        paper_id not in ("", ".", "..")
        and not any(char in "/\\" or ord(char) < 32 for char in paper_id)
        and len(paper_id.encode("utf-8", "surrogatepass")) <= _MAX_ID_BYTES
    )


def check_file_id(paper_id: str) -> str:
    """``paper_id`` when :func:`is_file_id` accepts it, else AblabError."""
    if not is_file_id(paper_id):
        raise AblabError(f"paper id {paper_id[:80]!r} cannot name a file (path separators, '..')")
    return paper_id


def prepare_output_dir(out: Path) -> Path:
    """Create the output directory ``out`` (and its parents) or say in one line why it cannot be."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out}: exists and is not a directory; choose another output folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{out}: cannot create the output folder ({reason(exc)})") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise ConfigError(f"{out}: the output folder is not writable")
    return out


def plan_files(out: Path, paper_id: str) -> dict[str, Path]:
    """Paths of the files written for one paper (AblabError for an id that is not a file name)."""
    check_file_id(paper_id)
    return {
        "jsonl": out / f"{paper_id}.jsonl",
        "json": out / f"{paper_id}.plan.json",
        "md": out / f"{paper_id}.md",
    }


def read_plans_index(out: Path) -> dict[str, dict[str, object]]:
    """The ``plans.json`` of a run directory ({} when absent).

    Raises AblabError when it is not an object of objects (hand-edited or damaged): a run that
    went on would overwrite the index of every paper finished so far.
    """
    path = out / PLANS_INDEX
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        raise AblabError(f"{path}: not a plans index ({reason(exc)}); fix or remove it") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise AblabError(f"{path}: not a plans index (an object of objects); fix or remove it")
    return data


def _written_by_ablab(path: Path, kind: str) -> bool:
    """Whether the existing ``path`` looks like a run file (a plan ablab or AblationBench wrote)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(64 * 1024).decode("utf-8", errors="replace")
    except OSError:
        return False
    if kind == "md":
        return head.startswith(STYLE_BLOCK)
    first = next((line for line in head.split("\n") if line.strip()), "")
    if not first:
        return kind == "jsonl"  # a plan without ablations
    try:
        value = json.loads(first if kind == "jsonl" else path.read_text(encoding="utf-8"))
    except ValueError:
        return False
    keys = ("action",) if kind == "jsonl" else ("paper_id", "ablations")
    return isinstance(value, dict) and all(key in value for key in keys)


def foreign_files(out: Path, paper_id: str) -> list[Path]:
    """Files a plan of ``paper_id`` would overwrite that ablab did not write (the user's own).

    ``ablab plan paper.md -o .`` names the trajectory ``paper.md``: the paper itself.
    """
    return [
        path
        for kind, path in plan_files(out, paper_id).items()
        if path.exists() and not _written_by_ablab(path, kind)
    ]


def write_plan(out: Path, plan: Plan) -> dict[str, Path]:
    """Write one plan's files, then record it in ``plans.json`` (last, so it marks completion).

    Raises AblabError, writing nothing, when that would overwrite a file ablab did not write.
    """
    foreign = foreign_files(out, plan.paper_id)
    if foreign:
        raise AblabError(
            f"{foreign[0]}: not written by ablab; the plan of {plan.paper_id!r} would overwrite "
            "it (use another --out folder)"
        )
    files = plan_files(out, plan.paper_id)
    atomic_write_text(files["jsonl"], plan.to_jsonl() + ("\n" if plan.ablations else ""))
    atomic_write_text(files["json"], plan.model_dump_json(indent=2) + "\n")
    atomic_write_text(files["md"], render_plan_markdown(plan))
    index = read_plans_index(out)
    index[plan.paper_id] = {"predictions": plan.to_jsonl(), "cost": plan.usage.cost_usd or 0.0}
    atomic_write_text(out / PLANS_INDEX, json.dumps(index, indent=2, ensure_ascii=False) + "\n")
    return files


def load_plan(path: Path) -> Plan:
    """Read a ``.plan.json`` file written by :func:`write_plan`."""
    return Plan.model_validate_json(path.read_text(encoding="utf-8"))
