"""author_view: the paper cut before its experiments, without references or appendix."""

from __future__ import annotations

from pathlib import Path

from ablab.papers import author_view, load_paper, paper_from_markdown


def test_author_view_cuts_at_ablation_subsection_inside_method(fixtures: Path) -> None:
    paper = load_paper(fixtures / "markdown" / "contrastive.md")
    before = paper.model_copy(deep=True)
    view = author_view(paper)
    assert [s.id for s in view.walk()] == [
        "s1-introduction",
        "s2-related-work",
        "s3-method",
        "s3-1-feature-alignment-module",
        "s3-2-loss-functions",
    ]
    assert view.title == paper.title and view.abstract == paper.abstract
    assert view.metadata["view"] == "author"
    hidden = "\n".join(s.text for s in paper.walk() if s.id.startswith(("s4", "s5", "s6")))
    assert "100 epochs" in hidden and "100 epochs" not in view.full_text()
    # The original paper is untouched.
    assert paper == before


def test_author_view_cuts_at_top_level_experiments() -> None:
    paper = paper_from_markdown(
        "# T\n\n## 1 Intro\n\na\n\n## 2 Method\n\nb\n\n### 2.1 Loss\n\nc\n\n## 3 Experiments\n\n"
        "secret numbers\n\n## 4 Conclusion\n\nd\n\n## References\n\ne\n",
        paper_id="x",
    )
    view = author_view(paper)
    assert [s.title for s in view.walk()] == ["Intro", "Method", "Loss"]
    assert "secret numbers" not in view.full_text()
    assert not any("secret" in w for w in view.warnings)


def test_author_view_without_experiments_keeps_body_and_warns() -> None:
    paper = paper_from_markdown(
        "# T\n\n## Intro\n\na\n\n## Method\n\nb\n\n## References\n\nc\n\n## Appendix\n\nd\n",
        paper_id="x",
    )
    view = author_view(paper)
    assert [s.title for s in view.walk()] == ["Intro", "Method"]
    assert any("no experiments" in w for w in view.warnings)
