"""Read-only access to a runs directory, with every lookup confined to that directory.

A runs directory holds one sub-folder per run (a planner/model/mode combination), each written by
:func:`ablab.runs.files.write_plan`: ``<paper_id>.plan.json`` plus its ``.jsonl`` and ``.md``.
A folder of trajectory Markdown files only (such as the published AblationBench trajectories) is
a run too: its plans are parsed from the ``.md`` files. The web app also stores the paper it
planned as ``<paper_id>.paper.json`` so evidence can link to the section it quotes.

A folder made by ``ablab bench`` (``bench.json``, ``plans/``, ``eval/``) is one run named after
the folder; its plans are those of ``plans/``.

Names that come from requests are checked against :data:`SAFE_NAME` and the resolved path must
stay inside the root, so no request can reach another file.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ablab.errors import TrajectoryFormatError
from ablab.formats.trajectory import parse_trajectory, render_plan_markdown
from ablab.runs.files import plan_files
from ablab.schema import Paper, Plan

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
"""Run names and paper ids the web app accepts: a plain file-name stem, no path separators."""

BENCH_CONFIG = "bench.json"
BENCH_PLANS = "plans"
PLAN_SUFFIX = ".plan.json"
PAPER_SUFFIX = ".paper.json"
TRAJECTORY_SUFFIX = ".md"
_TRAJECTORY_MARK = "trajectory-box"

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
    path: Path
    """The run's folder."""
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
        """The folder of ``run``; NotFound for a bad name or (unless ``create``) a missing one."""
        if not is_safe_name(run):
            raise NotFound(f"no run named {run!r}")
        path = self.root / run
        if create:
            path.mkdir(parents=True, exist_ok=True)
        path = self._inside(plans_folder(path))
        if not path.is_dir():
            raise NotFound(f"no run named {run!r}")
        return path

    def plan_file(self, run: str, paper_id: str, fmt: str) -> Path:
        """The ``jsonl``/``md``/``json`` file of one plan (NotFound when it is not on disk)."""
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
        text = path.read_text(encoding="utf-8")
        if path.name.endswith(PLAN_SUFFIX):
            plan = Plan.model_validate_json(text)
        else:
            plan = parse_trajectory(text, where=path.name).to_plan()
        with self._lock:
            self._cache[path] = (stat.st_mtime_ns, stat.st_size, plan)
        return plan

    def load_plan(self, run: str, paper_id: str) -> Plan:
        """The plan of ``paper_id`` in ``run`` (from its ``.plan.json``, else its trajectory)."""
        if not is_safe_name(paper_id):
            raise NotFound(f"no plan for {paper_id!r}")
        directory = self.run_dir(run)
        for suffix in (PLAN_SUFFIX, TRAJECTORY_SUFFIX):
            path = self._inside(directory / f"{paper_id}{suffix}")
            if path.is_file() and (suffix == PLAN_SUFFIX or _is_trajectory(path)):
                try:
                    return self._read_plan(path)
                except (OSError, ValueError, ValidationError, TrajectoryFormatError) as exc:
                    raise NotFound(f"plan {paper_id!r} in run {run!r} is unreadable") from exc
        raise NotFound(f"no plan for {paper_id!r} in run {run!r}")

    def plan_bytes(self, run: str, paper_id: str, fmt: str) -> bytes:
        """A plan in ``fmt``: the file written with it, else rendered from the plan."""
        try:
            return self.plan_file(run, paper_id, fmt).read_bytes()
        except NotFound:
            pass
        return render_plan_file(self.load_plan(run, paper_id), fmt)

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
        return self._scan(self.run_dir(run), run)

    def _scan(self, directory: Path, name: str | None = None) -> Run:
        result = Run(name=name or directory.name, path=directory)
        for path in sorted(directory.iterdir()):
            paper_id = _plan_id(path.name)
            if paper_id is None or paper_id in result.plans or not is_safe_name(paper_id):
                continue
            if path.name.endswith(TRAJECTORY_SUFFIX) and (
                (directory / f"{paper_id}{PLAN_SUFFIX}").exists() or not _is_trajectory(path)
            ):
                continue  # the .plan.json is richer; other Markdown files are not plans
            try:
                result.plans[paper_id] = self._read_plan(self._inside(path))
            except (OSError, ValueError, ValidationError, TrajectoryFormatError, NotFound) as exc:
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
                folder = self._inside(plans_folder(child))
            except NotFound:
                continue
            run = self._scan(folder, child.name)
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


def plans_folder(path: Path) -> Path:
    """Where a run's plans are: ``plans/`` of an ``ablab bench`` folder, else the folder."""
    inner = path / BENCH_PLANS
    if (path / BENCH_CONFIG).is_file() and inner.is_dir():
        return inner
    return path


def _plan_id(name: str) -> str | None:
    for suffix in (PLAN_SUFFIX, TRAJECTORY_SUFFIX):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return None


def _is_trajectory(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return _TRAJECTORY_MARK in handle.read(4096)
    except OSError:
        return False


def render_plan_file(plan: Plan, fmt: str) -> bytes:
    """The bytes :func:`ablab.runs.files.write_plan` writes for ``fmt``."""
    if fmt == "jsonl":
        text = plan.to_jsonl() + ("\n" if plan.ablations else "")
    elif fmt == "md":
        text = render_plan_markdown(plan)
    elif fmt == "json":
        text = plan.model_dump_json(indent=2) + "\n"
    else:
        raise NotFound(f"unknown format {fmt!r}")
    return text.encode("utf-8")
