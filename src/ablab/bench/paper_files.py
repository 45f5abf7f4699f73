"""Find and read the paper behind a dataset task.

A task's ``paper_path`` is resolved against the dataset's folder, or looked up by id in a
``--papers`` folder (``<papers>/<id>.md``, ``<papers>/<id>/``...). The dataset chooses the file,
never the paper text; a path that leaves both folders is refused.
"""

from __future__ import annotations

from pathlib import Path

from ablab.bench.datasets import PaperTask
from ablab.errors import AblabError, DatasetError
from ablab.papers import load_paper, paper_from_markdown
from ablab.schema import Paper

_PAPER_SUFFIXES = (".md", ".markdown", ".txt", ".tex", ".pdf", ".zip", ".tar.gz")


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _in_folder(folder: Path, paper_id: str) -> Path | None:
    for suffix in _PAPER_SUFFIXES:
        candidate = folder / f"{paper_id}{suffix}"
        if candidate.is_file():
            return candidate
    candidate = folder / paper_id
    return candidate if candidate.is_dir() else None


def _markdown_in_dir(folder: Path, paper_id: str) -> Path:
    # AblationBench keeps each paper as <id>/<id>.md plus images; LaTeX projects stay folders.
    named = folder / f"{paper_id}.md"
    if named.is_file():
        return named
    markdown = sorted(folder.glob("*.md"))
    return markdown[0] if len(markdown) == 1 and not any(folder.glob("*.tex")) else folder


def resolve_paper_path(
    task: PaperTask, dataset_root: str | None, papers_dir: Path | None = None
) -> Path | None:
    """The paper source of a task, or None when it cannot be found."""
    candidates: list[Path] = []
    if papers_dir is not None:
        found = _in_folder(papers_dir, task.id)
        if found is not None:
            candidates.append(found)
        if task.paper_path:
            candidates.append(papers_dir / task.paper_path)
    if task.paper_path and dataset_root:
        candidates.append(Path(dataset_root) / task.paper_path)
    allowed = [Path(p) for p in (dataset_root, papers_dir) if p]
    for candidate in candidates:
        if not candidate.exists():
            continue
        if not any(_inside(candidate, folder) for folder in allowed):
            raise DatasetError(
                f"paper {task.id}: {task.paper_path} lies outside the dataset folder"
            )
        return _markdown_in_dir(candidate, task.id) if candidate.is_dir() else candidate
    return None


def load_task_paper(
    task: PaperTask, dataset_root: str | None, papers_dir: Path | None = None
) -> tuple[Paper, list[str]]:
    """The task's paper, and warnings; falls back to title and abstract when the file is missing."""
    path = resolve_paper_path(task, dataset_root, papers_dir)
    if path is not None:
        try:
            return load_paper(path, paper_id=task.id), []
        except AblabError as exc:
            warning = f"paper file unreadable ({exc}); used the title and abstract only"
    else:
        warning = "paper file not found; used the title and abstract only"
    markdown = f"# {task.paper_title or task.id}\n\n## Abstract\n\n{task.paper_abstract}\n"
    return paper_from_markdown(markdown, paper_id=task.id), [warning]
