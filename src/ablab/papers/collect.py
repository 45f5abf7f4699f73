"""Find the papers behind the paths a user gives: files, LaTeX projects, folders of papers."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ablab.errors import PaperError

PAPER_SUFFIXES = (".md", ".markdown", ".txt", ".tex", ".pdf", ".zip", ".tar.gz", ".tgz", ".tar")
"""File names ablab treats as papers when it is given a folder of papers."""


_TEXT_PAPER_SUFFIXES = (".md", ".markdown", ".txt")


def _is_latex_project(directory: Path) -> bool:
    """Whether ``directory`` is one LaTeX project: ``.tex`` files and no text papers beside them.

    PDFs and archives do not count against it (figures are PDFs), nor does a README; a folder of
    Markdown papers with one ``.tex`` paper among them is a collection.
    """
    if not any(directory.glob("*.tex")):
        return False
    return not any(
        _is_paper_file(path)
        and path.name.lower().endswith(_TEXT_PAPER_SUFFIXES)
        and not path.name.lower().startswith("readme")
        for path in directory.iterdir()
    )


def _is_paper_file(path: Path) -> bool:
    name = path.name.lower()
    return path.is_file() and not name.startswith(".") and name.endswith(PAPER_SUFFIXES)


def collect_sources(inputs: Iterable[Path]) -> list[Path]:
    """Expand the user's inputs into paper sources.

    A folder holding ``.tex`` files and no Markdown or text papers is one LaTeX project; any
    other folder is a collection whose paper files and LaTeX-project subfolders are taken in name
    order.
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
            found = _without_digests_of_siblings(found)
            if not found:
                raise PaperError(
                    f"{path}: no papers found (looked for {', '.join(PAPER_SUFFIXES)})"
                )
            sources.extend(found)
        else:
            sources.append(path)
    return sources


DIGEST_SUFFIX = ".digest.md"


def _without_digests_of_siblings(paths: list[Path]) -> list[Path]:
    """Drop ``X.digest.md`` when the paper ``X`` itself is in the same folder.

    ``ablab digest --out papers/`` writes digests beside the papers; planning the folder again
    must not plan each paper twice. A digest alone in a folder is still a paper.
    """
    stems = {_stem(p) for p in paths if not p.name.endswith(DIGEST_SUFFIX)}
    return [
        p
        for p in paths
        if not (p.name.endswith(DIGEST_SUFFIX) and p.name[: -len(DIGEST_SUFFIX)] in stems)
    ]


def _stem(path: Path) -> str:
    name = path.name
    for suffix in PAPER_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name
