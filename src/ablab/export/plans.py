"""Read the one plan to export or tabulate: a ``.plan.json``, a trajectory ``.md``, AblationBench
predictions (``.jsonl``), or a run directory (with ``paper_id`` when it holds several plans)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ablab._util.text import reason
from ablab.errors import AblabError, ConfigError
from ablab.formats.predictions import parse_predictions
from ablab.formats.trajectory import parse_trajectory
from ablab.runs.plans import load_plans
from ablab.schema import Mode, Plan


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise AblabError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise AblabError(f"{path}: cannot be read ({reason(exc)})") from None


def read_plan(path: Path, paper_id: str | None = None) -> Plan:
    """The plan at ``path``; ConfigError when a run directory holds several and none is named."""
    if not path.exists():
        raise AblabError(f"{path}: no such plan file or run directory")
    if path.is_dir():
        found = load_plans(path)
        if paper_id is None and len(found.plans) == 1:
            paper_id = next(iter(found.plans))
        if paper_id is None:
            names = ", ".join(sorted(found.plans)[:10])
            raise ConfigError(f"{path}: holds several plans ({names}); choose one with --paper")
        if paper_id not in found.plans:
            why = found.problems.get(paper_id, "no plan of that paper")
            raise AblabError(f"{path}: {paper_id!r}: {why}")
        loaded = found.plans[paper_id]
        if loaded.plan is not None:
            return loaded.plan
        return Plan(
            paper_id=paper_id, mode=Mode.AUTHOR, planner="", model="", ablations=loaded.ablations
        )
    name = path.name.lower()
    if name.endswith(".md"):
        return parse_trajectory(_text(path), where=str(path)).to_plan()
    if name.endswith(".jsonl"):
        ablations = parse_predictions(_text(path), str(path))
        stem = path.name[: -len(".jsonl")]
        return Plan(paper_id=stem, mode=Mode.AUTHOR, planner="", model="", ablations=ablations)
    try:
        return Plan.model_validate_json(_text(path))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise AblabError(f"{path}: not a plan ({where}: {first['msg']})") from None
