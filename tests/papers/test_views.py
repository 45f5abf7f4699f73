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


def test_author_view_cuts_at_an_experiments_heading_left_in_the_text() -> None:
    """Regression: when heading detection failed, author mode saw the whole paper."""
    paper = paper_from_markdown(
        "# T\n\n## Body\n\nWe propose a gated memory.\n\n4 EXPERIMENTS\n\n"
        "Accuracy rises to 93 percent.\n\n## Conclusion\n\nIt works.\n",
        paper_id="x",
    )
    view = author_view(paper)
    assert "gated memory" in view.full_text()
    assert "93 percent" not in view.full_text() and "It works" not in view.full_text()
    assert any("cut at the text '4 EXPERIMENTS'" in w for w in view.warnings)


def test_author_view_cuts_at_the_first_results_table_caption() -> None:
    paper = paper_from_markdown(
        "# T\n\n## Body\n\nWe propose a gated memory.\n\n"
        "Table 2: Accuracy of all methods on the test split.\n\nOurs wins by five points.\n",
        paper_id="x",
    )
    view = author_view(paper)
    assert "gated memory" in view.full_text()
    assert "five points" not in view.full_text() and "Table 2" not in view.full_text()


def test_author_view_drops_results_tables_and_captions_before_the_cut() -> None:
    paper = paper_from_markdown(
        "# T\n\n## 1 Introduction\n\nWe propose a gated memory.\n\n"
        "Figure 1: Our method outperforms the baseline by ten points.\n\n"
        "## 2 Method\n\nThe memory has slots.\n\n"
        "| Setting | Value |\n|---|---|\n| slots | 64 |\n\n"
        "## 3 Experiments\n\nSecret numbers.\n",
        paper_id="x",
    )
    paper.sections[1].tables[0].caption = "Table 1: Hyperparameters of the memory."
    paper.sections[0].tables.append(
        paper.sections[1].tables[0].model_copy(update={"caption": "Table 3: Accuracy results."})
    )
    view = author_view(paper)
    assert "outperforms" not in view.full_text()
    assert "We propose a gated memory." in view.full_text()
    assert [t.caption for s in view.walk() for t in s.tables] == [
        "Table 1: Hyperparameters of the memory."
    ]
