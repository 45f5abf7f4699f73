"""Read-only access to a runs directory, with every lookup confined to that directory.

A runs directory holds one sub-folder per run (a planner/model/mode combination), each written by
:func:`ablab.render.runs.write_plan`: ``<paper_id>.plan.json`` plus its ``.jsonl`` and ``.md``.
The web app also stores the paper it planned as ``<paper_id>.paper.json`` so evidence can link to
the section it quotes. Names that come from requests are checked against :data:`SAFE_NAME` and the
resolved path must stay inside the root, so no request can reach another file.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ablab.render.runs import plan_files
from ablab.schema import Paper, Plan

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
"""Run names and paper ids the web app accepts: a plain file-name stem, no path separators."""

PLAN_SUFFIX = ".plan.json"
PAPER_SUFFIX = ".paper.json"

DOWNLOADS = {"jsonl": "application/x-ndjson", "md": "text/markdown", "json": "application/json"}
"""Formats a plan can be downloaded in, with their media types."""


class NotFound(LookupError):
    """A run, plan or file that does not exist (or whose name is not acceptable)."""


def is_safe_name(name: str) -> bool:
    """Whether ``name`` may name a run or a paper (no separators, no ``..``, no leading dot)."""
    return bool(SAFE_NAME.match(name)) and ".." not in name


def paper_file(run_dir: Path, paper_id: str) -> Path:
    """Where the web app keeps the paper a plan was made from."""
    return run_dir / f"{paper_id}{PAPER_SUFFIX}"


@dataclass(frozen=True)
class PlanEntry:
    """One plan of a run, as listed in the runs browser."""

    run: str
    paper_id: str
    plan: Plan


@dataclass
class Run:
    """A folder of plans made by one planner/model."""

    name: str
    plans: dict[str, Plan] = field(default_factory=dict)
    """Plans by paper id."""
    errors: list[str] = field(default_factory=list)
    """Plan files that could not be read (shown, not hidden)."""

    @property
    def label(self) -> str:
        """``planner/model`` of the run's plans (``mixed`` if they differ)."""
        labels = {f"{p.planner}/{p.model}" for p in self.plans.values()}
        return labels.pop() if len(labels) == 1 else ("mixed" if labels else "empty")

    @property
    def modes(self) -> list[str]:
        """Modes of the run's plans."""
        return sorted({p.mode.value for p in self.plans.values()})


class RunStore:
    """The plans under ``root``; re-reads a plan file only when it changed on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._cache: dict[Path, tuple[int, int, Plan]] = {}
        self._lock = threading.Lock()

    # -- safe paths ---------------------------------------------------------------------------

    def _inside(self, path: Path) -> Path:
        resolved = path.resolve()
        if not resolved.is_relative_to(self.root):
            raise NotFound("outside the runs directory")
        return resolved

    def run_dir(self, run: str, *, create: bool = False) -> Path:
        """The folder of ``run``; NotFound for an unsafe name or (unless ``create``) a missing one."""
        if not is_safe_name(run):
            raise NotFound(f"no run named {run!r}")
        path = self.root / run
        if create:
            path.mkdir(parents=True, exist_ok=True)
        path = self._inside(path)
        if not path.is_dir():
            raise NotFound(f"no run named {run!r}")
        return path

    def plan_file(self, run: str, paper_id: str, fmt: str) -> Path:
        """The ``jsonl``/``md``/``json`` file of one plan."""
        if fmt not in DOWNLOADS or not is_safe_name(paper_id):
            raise NotFound(f"no {fmt} file for {paper_id!r}")
        path = self._inside(plan_files(self.run_dir(run), paper_id)[fmt])
        if not path.is_file():
            raise NotFound(f"no {fmt} file for {paper_id!r} in run {run!r}")
        return path

    # -- reading ------------------------------------------------------------------------------

    def _read_plan(self, path: Path) -> Plan:
        stat = path.stat()
        with self._lock:
            cached = self._cache.get(path)
            if cached and cached[:2] == (stat.st_mtime_ns, stat.st_size):
                return cached[2]
        plan = Plan.model_validate_json(path.read_text(encoding="utf-8"))
        with self._lock:
            self._cache[path] = (stat.st_mtime_ns, stat.st_size, plan)
        return plan

    def load_plan(self, run: str, paper_id: str) -> Plan:
        """The plan of ``paper_id`` in ``run``."""
        path = self.plan_file(run, paper_id, "json")
        try:
            return self._read_plan(path)
        except (OSError, ValueError, ValidationError) as exc:
            raise NotFound(f"plan {paper_id!r} in run {run!r} is unreadable: {exc}") from exc

    def load_paper(self, run: str, paper_id: str) -> Paper | None:
        """The paper stored next to a plan by the web app, or None (plans made by the CLI)."""
        if not is_safe_name(paper_id):
            return None
        path = self._inside(paper_file(self.run_dir(run), paper_id))
        if not path.is_file():
            return None
        try:
            return Paper.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, ValidationError):
            return None

    def load_run(self, run: str) -> Run:
        """Every readable plan of one run."""
        return self._scan(self.run_dir(run))

    def _scan(self, directory: Path) -> Run:
        result = Run(name=directory.name)
        for path in sorted(directory.glob(f"*{PLAN_SUFFIX}")):
            paper_id = path.name[: -len(PLAN_SUFFIX)]
            if not is_safe_name(paper_id) or not path.is_file():
                continue
            try:
                result.plans[paper_id] = self._read_plan(self._inside(path))
            except (OSError, ValueError, ValidationError, NotFound) as exc:
                result.errors.append(f"{path.name}: {type(exc).__name__}")
        return result

    def runs(self) -> list[Run]:
        """All runs (sub-folders holding at least one plan file), by name."""
        if not self.root.is_dir():
            return []
        found = []
        for child in sorted(self.root.iterdir()):
            if not is_safe_name(child.name) or not child.is_dir():
                continue
            try:
                self._inside(child)
            except NotFound:
                continue
            run = self._scan(child)
            if run.plans or run.errors:
                found.append(run)
        return found

    def plans_for_paper(self, paper_id: str) -> list[PlanEntry]:
        """The plans of one paper across all runs, by run name."""
        return [
            PlanEntry(run.name, paper_id, run.plans[paper_id])
            for run in self.runs()
            if paper_id in run.plans
        ]

    def find_paper(self, paper_id: str) -> Paper | None:
        """The stored paper ``paper_id`` from any run, or None."""
        for entry in self.plans_for_paper(paper_id):
            paper = self.load_paper(entry.run, paper_id)
            if paper is not None:
                return paper
        return None


def read_json_object(path: Path) -> dict[str, object] | None:
    """A JSON object from ``path``, or None when it is missing or not an object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
