"""Plan many papers in one go: find the papers, plan each, keep going past failures."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ablab.api import plan_paper
from ablab.errors import AblabError, PaperError
from ablab.papers import load_paper
from ablab.render.runs import atomic_write_text, write_plan
from ablab.schema import Mode, Plan

PAPER_SUFFIXES = (".md", ".markdown", ".txt", ".tex", ".pdf", ".zip", ".tar.gz", ".tgz", ".tar")
"""File names ablab treats as papers when it is given a folder of papers."""

FAILURES_FILE = "failures.json"


def _is_latex_project(directory: Path) -> bool:
    return any(directory.glob("*.tex"))


def _is_paper_file(path: Path) -> bool:
    name = path.name.lower()
    return path.is_file() and not name.startswith(".") and name.endswith(PAPER_SUFFIXES)


def collect_sources(inputs: Iterable[Path]) -> list[Path]:
    """Expand the user's inputs into paper sources.

    A folder holding ``.tex`` files is one LaTeX project; any other folder is a collection whose
    paper files and LaTeX-project subfolders are taken in name order.
    """
    sources: list[Path] = []
    for path in inputs:
        if not path.exists():
            raise PaperError(f"{path}: no such file or directory")
        if path.is_dir() and not _is_latex_project(path):
            children = sorted(path.iterdir())
            found = [
                c for c in children if _is_paper_file(c) or (c.is_dir() and _is_latex_project(c))
            ]
            if not found:
                raise PaperError(
                    f"{path}: no papers found (looked for {', '.join(PAPER_SUFFIXES)})"
                )
            sources.extend(found)
        else:
            sources.append(path)
    return sources


@dataclass
class Failure:
    """A paper that could not be planned."""

    source: str
    """The path given."""
    error: str
    """The one-line reason."""


@dataclass
class BatchResult:
    """What a batch produced."""

    plans: list[Plan] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def plan_batch(
    sources: list[Path],
    *,
    mode: Mode,
    k: int | None = None,
    planner: str = "heuristic",
    out: Path | None = None,
    on_done: Callable[[Path, Plan | None, Failure | None], None] | None = None,
    **options: Any,
) -> BatchResult:
    """Plan every source; a failure on one paper is recorded and the rest still run.

    With ``out``, each plan is written to the run directory as soon as it is made, and failures
    go to ``failures.json``, so nothing finished is lost if the process dies.
    """
    result = BatchResult()
    seen_ids: set[str] = set()
    for source in sources:
        plan: Plan | None = None
        failure: Failure | None = None
        try:
            paper = load_paper(source)
            paper = paper.model_copy(update={"id": _unique_id(paper.id, seen_ids)})
            plan = plan_paper(paper, mode=mode, k=k, planner=planner, **options)
            if out is not None:
                write_plan(out, plan)
            result.plans.append(plan)
        except Exception as exc:  # one bad paper must not sink the batch
            message = str(exc) if isinstance(exc, AblabError) else f"internal error: {exc!r}"
            failure = Failure(source=str(source), error=message)
            result.failures.append(failure)
            if out is not None:
                _write_failures(out, result.failures)
        if on_done is not None:
            on_done(source, plan, failure)
    return result


def _unique_id(paper_id: str, seen: set[str]) -> str:
    candidate, n = paper_id, 2
    while candidate in seen:
        candidate, n = f"{paper_id}-{n}", n + 1
    seen.add(candidate)
    return candidate


def _write_failures(out: Path, failures: list[Failure]) -> None:
    payload = [{"source": f.source, "error": f.error} for f in failures]
    atomic_write_text(out / FAILURES_FILE, json.dumps(payload, indent=2) + "\n")
