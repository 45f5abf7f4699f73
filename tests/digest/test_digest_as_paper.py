"""A digest can stand in for its paper: load_paper reads it through the rpa2 parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from ablab.errors import PaperError
from ablab.papers import load_paper
from ablab.schema import SectionRole, SourceKind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "digests"


def test_seed_digest_loads_as_a_paper(seeds_dir: Path) -> None:
    paper = load_paper(seeds_dir / "002_daef928ecf5f9b7d.txt")
    assert paper.source_kind is SourceKind.DIGEST
    assert paper.title == "Machine Learning from Explanations"
    assert paper.abstract.startswith("This paper addresses the problem")
    assert paper.metadata["arxiv_id"] == "2507.04788"
    roles = {s.title: s.role for s in paper.walk()}
    assert roles["Method Summary"] is SectionRole.METHOD
    assert roles["Key Results"] is SectionRole.RESULTS
    assert roles["Limitations"] is SectionRole.LIMITATIONS
    method = next(s for s in paper.walk() if s.title == "Architecture Onboarding")
    assert method.text.startswith("Component map: Input -> Conv layers (f)")


def test_unfilled_sections_are_left_out_not_placeholder_text() -> None:
    paper = load_paper(FIXTURES / "gaps_and_extras.md")
    texts = {s.title: s.text for s in paper.walk()}
    assert "Method Summary" not in texts and "Why This Works (Mechanism)" not in texts
    assert "Not filled" not in paper.full_text()
    assert texts["Reproducibility"] == 'Code is promised "upon acceptance".'


def test_malformed_digest_is_a_paper_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_text("---\nver: rpa2\ntitle: T\ntags: 3\n---\n\n# T\n", encoding="utf-8")
    with pytest.raises(PaperError, match="bad.md: digest frontmatter 'tags' must be a list"):
        load_paper(path)
