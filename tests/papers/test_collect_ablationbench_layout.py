"""Papers in AblationBench's layout: a folder ``<id>/<id>.md`` with images beside it."""

from __future__ import annotations

from pathlib import Path

from ablab.papers import load_paper
from ablab.papers.collect import collect_sources


def _paper_folder(root: Path, paper_id: str) -> Path:
    folder = root / paper_id
    folder.mkdir(parents=True)
    (folder / f"{paper_id}.md").write_text(
        f"# Paper {paper_id}\n\n## Method\n\nWe add a gate to the encoder.\n", encoding="utf-8"
    )
    (folder / "_page_1_Figure_1.jpeg").write_bytes(b"\xff\xd8\xff")
    return folder


def test_a_folder_of_paper_folders_is_a_collection(tmp_path: Path) -> None:
    first, second = _paper_folder(tmp_path, "a"), _paper_folder(tmp_path, "b")
    (tmp_path / "notes").mkdir()  # neither a paper folder nor a LaTeX project
    assert collect_sources([tmp_path]) == [first, second]


def test_a_paper_folder_reads_its_markdown(tmp_path: Path) -> None:
    paper = load_paper(_paper_folder(tmp_path, "gated"))
    assert paper.title == "Paper gated" and paper.id == "gated"
    assert "gate" in paper.full_text()
