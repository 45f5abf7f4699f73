"""Finding papers in the paths a user gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from ablab.errors import PaperError
from ablab.papers.collect import collect_sources


def test_folder_of_papers_in_name_order_with_latex_projects(tmp_path: Path) -> None:
    (tmp_path / "b.pdf").write_bytes(b"%PDF")
    (tmp_path / "a.md").write_text("# A")
    (tmp_path / "notes.csv").write_text("x")
    (tmp_path / ".hidden.md").write_text("# h")
    project = tmp_path / "c_project"
    project.mkdir()
    (project / "main.tex").write_text("\\documentclass{article}")
    (tmp_path / "empty_dir").mkdir()
    assert [p.name for p in collect_sources([tmp_path])] == ["a.md", "b.pdf", "c_project"]


def test_a_folder_with_tex_files_is_one_project(tmp_path: Path) -> None:
    (tmp_path / "main.tex").write_text("\\documentclass{article}")
    (tmp_path / "intro.tex").write_text("\\section{Intro}")
    (tmp_path / "README.md").write_text("# how to build")
    (tmp_path / "LICENSE.txt").write_text("Attribution 4.0 International")
    (tmp_path / "reviews.txt").write_text("Reviewer 1: the ablations are thin.")
    (tmp_path / "figure.pdf").write_bytes(b"%PDF")
    assert collect_sources([tmp_path]) == [tmp_path]


def test_a_folder_of_papers_does_not_plan_its_licence(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A")
    (tmp_path / "LICENSE.md").write_text("# MIT")
    (tmp_path / "CHANGELOG.txt").write_text("v1")
    assert [p.name for p in collect_sources([tmp_path])] == ["a.md"]


def test_markdown_papers_with_one_tex_paper_are_a_collection(tmp_path: Path) -> None:
    for name in ("a.md", "b.md", "c.tex"):
        (tmp_path / name).write_text("# A paper" if name.endswith(".md") else "\\section{A}")
    assert [p.name for p in collect_sources([tmp_path])] == ["a.md", "b.md", "c.tex"]


def test_digests_beside_their_papers_are_not_planned_twice(tmp_path: Path) -> None:
    (tmp_path / "tide.md").write_text("# T")
    (tmp_path / "tide.digest.md").write_text("---\nver: rpa2\n---")
    (tmp_path / "other.digest.md").write_text("---\nver: rpa2\n---")
    names = [p.name for p in collect_sources([tmp_path])]
    assert names == ["other.digest.md", "tide.md"]


def test_missing_path_and_folder_without_papers_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(PaperError, match="no such file"):
        collect_sources([tmp_path / "absent.pdf"])
    with pytest.raises(PaperError, match="no papers found"):
        collect_sources([tmp_path])


def test_references_lists_and_files_that_look_like_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ablab.papers import ArxivRef, OpenReviewRef

    monkeypatch.chdir(tmp_path)
    (tmp_path / "ids.txt").write_text(
        "2501.01234v2\n# a comment\nhttps://openreview.net/forum?id=AbCd1234\n"
    )
    (tmp_path / "paper.txt").write_text("2501.01234 is cited here.\nWe propose a method.\n")
    (tmp_path / "2501.05678").write_text("# A paper saved under an id-like name\n")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "more.txt").write_text("2501.09999\n")
    found = collect_sources(
        ["ids.txt", "paper.txt", "2501.05678", "https://arxiv.org/abs/2501.00001", "folder"]
    )
    assert found == [
        ArxivRef("2501.01234", 2),
        OpenReviewRef("AbCd1234"),
        Path("paper.txt"),  # a paper, not a list: not every line is a reference
        Path("2501.05678"),  # an existing file wins over the id it looks like
        ArxivRef("2501.00001"),
        Path("folder") / "more.txt",  # lists are expanded only when named directly
    ]
