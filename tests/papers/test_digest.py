"""rpa2 digests, including the shared seed 002."""

from __future__ import annotations

from pathlib import Path

from ablab.papers import author_view, load_paper
from ablab.schema import SectionRole, SourceKind


def test_seed_002_digest(seeds_dir: Path) -> None:
    paper = load_paper(seeds_dir / "002_daef928ecf5f9b7d.txt")
    assert paper.source_kind is SourceKind.DIGEST
    assert paper.title == "Machine Learning from Explanations"
    assert paper.metadata["arxiv_id"] == "2507.04788"
    assert paper.metadata["source_url"] == "https://arxiv.org/abs/2507.04788"
    assert "explanations" in paper.metadata["tags"].split(", ")
    assert paper.abstract.startswith("This paper addresses the problem of training reliable")
    roles = {s.title: s.role for s in paper.sections}
    assert roles["Method Summary"] is SectionRole.METHOD
    assert roles["Key Results"] is SectionRole.RESULTS
    assert roles["Limitations"] is SectionRole.LIMITATIONS
    assert roles["Open Questions the Paper Calls Out"] is SectionRole.DISCUSSION
    assert roles["Foundational Learning"] is SectionRole.BACKGROUND
    method = next(s for s in paper.sections if s.title == "Method Summary")
    assert "mapping layer" in method.text
    view = author_view(paper)
    assert [s.title for s in view.sections] == [
        "Quick Facts",
        "Executive Summary",
        "Method Summary",
    ]


def test_digest_sniffed_in_markdown_file(tmp_path: Path) -> None:
    path = tmp_path / "card.md"
    path.write_text(
        "---\nver: rpa2\ntitle: Tiny\ncore_contribution: A small idea.\n---\n\n# Tiny\n\n"
        "## Method Summary\nWe do X.\n\n## Key Results\n- 1.0 vs 0.5\n\n## Something Else\nz\n"
    )
    paper = load_paper(path)
    assert paper.source_kind is SourceKind.DIGEST
    assert paper.abstract == "A small idea."
    assert [s.role for s in paper.sections] == [
        SectionRole.METHOD,
        SectionRole.RESULTS,
        SectionRole.OTHER,
    ]
