"""Find the papers behind what a user gives: files, LaTeX projects, folders of papers, arXiv ids
and links, OpenReview links, and text files listing such references (one per line)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ablab.errors import PaperError
from ablab.papers.references import PaperRef, parse_reference, read_reference_list

_LIST_SUFFIXES = (".txt", ".list", ".ids")
_MAX_LIST_BYTES = 1024 * 1024

PAPER_SUFFIXES = (".md", ".markdown", ".txt", ".tex", ".pdf", ".zip", ".tar.gz", ".tgz", ".tar")
"""File names ablab treats as papers when it is given a folder of papers."""


_MARKDOWN_SUFFIXES = (".md", ".markdown")


def _is_latex_project(directory: Path) -> bool:
    """Whether ``directory`` is one LaTeX project: ``.tex`` files and no Markdown papers beside.

    PDFs and archives do not count against it (figures are PDFs), nor does a README; a folder of
    Markdown papers with one ``.tex`` paper among them is a collection.
    """
    if not any(directory.glob("*.tex")):
        return False
    # Only Markdown papers count against it: a .txt beside .tex files is the project's own
    # notes (reviews.txt, a rebuttal), far more often than a paper of a collection.
    return not any(
        _is_paper_file(path) and path.name.lower().endswith(_MARKDOWN_SUFFIXES)
        for path in directory.iterdir()
    )


def paper_in_folder(directory: Path) -> Path | None:
    """``<dir>/<dir>.md`` when ``directory`` is one paper in AblationBench's layout (its Markdown
    named after the folder, images beside it, no ``.tex``), else None."""
    named = directory / f"{directory.name}.md"
    if named.is_file() and not any(directory.glob("*.tex")):
        return named
    return None


# A repository's own files beside a paper: never papers themselves (a LaTeX project with a
# LICENSE.txt is still one project, and a folder of papers does not plan its licence).
_REPOSITORY_FILES = frozenset(
    {
        "readme", "license", "licence", "copying", "notice", "changelog", "changes",
        "authors", "contributing", "requirements", "citation", "code_of_conduct", "todo",
    }
)  # fmt: skip


def _is_paper_file(path: Path) -> bool:
    name = path.name.lower()
    if name.split(".")[0].replace("-", "_") in _REPOSITORY_FILES:
        return False
    return path.is_file() and not name.startswith(".") and name.endswith(PAPER_SUFFIXES)


def _reference_list(path: Path) -> list[PaperRef] | None:
    """The references listed in ``path`` when it is a list file (see read_reference_list)."""
    if not path.name.lower().endswith(_LIST_SUFFIXES) or not path.is_file():
        return None
    try:
        if path.stat().st_size > _MAX_LIST_BYTES:
            return None
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None  # read (and reported) as a paper instead
    return read_reference_list(text)


def collect_sources(inputs: Iterable[str | Path]) -> list[Path | PaperRef]:
    """Expand the user's inputs into paper sources.

    A folder holding ``.tex`` files and no Markdown or text papers is one LaTeX project; any
    other folder is a collection whose paper files, LaTeX-project subfolders and paper folders
    (``<id>/<id>.md``, AblationBench's layout) are taken in name order. An input that is not an
    existing path may be an arXiv id or link or an OpenReview link; a ``.txt`` file whose every
    line is such a reference (``#`` starts a comment) stands for the papers it lists.
    """
    sources: list[Path | PaperRef] = []
    for given in inputs:
        path = Path(given)
        if not path.exists():
            ref = parse_reference(str(given))
            if ref is None:
                raise PaperError(
                    f"{given}: no such file or directory (nor an arXiv id or link, or an "
                    "OpenReview forum link)"
                )
            sources.append(ref)
            continue
        listed = _reference_list(path)
        if listed is not None:
            sources.extend(listed)
            continue
        if path.is_dir() and not _is_latex_project(path):
            children = sorted(path.iterdir())
            found = [
                c
                for c in children
                if _is_paper_file(c)
                or (c.is_dir() and (_is_latex_project(c) or paper_in_folder(c) is not None))
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
