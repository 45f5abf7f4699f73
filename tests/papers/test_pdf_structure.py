"""Section trees of PDFs in the heading styles of common templates (PDFs built at test time)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ablab.papers import author_view, load_paper
from ablab.papers.pdf_layout import unmapped_greek
from ablab.schema import Paper, SectionRole

from .pdf_templates import (
    ABLATION_SENTENCE,
    EXPERIMENT_SENTENCE,
    METHOD_SENTENCE,
    TABLE_ROWS,
    UNIT_FONT_TITLE,
    build_all_bold_pdf,
    build_appendix_pdf,
    build_caps_pdf,
    build_run_in_pdf,
    build_two_column_pdf,
    build_unit_font_pdf,
    build_unstyled_pdf,
)


def _load(tmp_path: Path, build: Callable[[Path], Path]) -> Paper:
    return load_paper(build(tmp_path / "paper.pdf"))


def _tree(paper: Paper) -> list[tuple[str | None, str, int]]:
    return [(s.number, s.title, s.level) for s in paper.walk()]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_upper_case_headings_of_iclr(tmp_path: Path) -> None:
    paper = _load(tmp_path, build_caps_pdf)
    assert paper.title == "GATED MEMORY FOR LONG SEQUENCES"
    assert _tree(paper) == [
        ("1", "INTRODUCTION", 1),
        ("2", "METHOD", 1),
        ("2.1", "GATING FUNCTION", 2),
        ("3", "EXPERIMENTS", 1),
        ("4", "CONCLUSION", 1),
        (None, "REFERENCES", 1),
        ("A", "PROOF OF THE BOUND", 1),
    ]
    roles = [s.role for s in paper.walk()]
    assert roles[3] is SectionRole.EXPERIMENTS and roles[-1] is SectionRole.APPENDIX
    assert not paper.warnings


def test_upper_case_paper_is_not_all_abstract(tmp_path: Path) -> None:
    """Regression: an ICLR paper read as one long abstract showed author mode its results."""
    paper = _load(tmp_path, build_caps_pdf)
    assert len(paper.abstract.split()) < 60
    view = author_view(paper)
    assert METHOD_SENTENCE in _flat(view.full_text())
    assert EXPERIMENT_SENTENCE not in _flat(view.full_text())


def test_run_in_bold_heads_become_subsections(tmp_path: Path) -> None:
    paper = _load(tmp_path, build_run_in_pdf)
    assert _tree(paper) == [
        ("1", "Introduction", 1),
        ("2", "Method", 1),
        (None, "Memory update", 2),
        ("3", "Experiments", 1),
        (None, "Ablation study", 2),
        (None, "Training cost", 2),
        ("4", "Conclusion", 1),
    ]
    ablation = next(s for s in paper.walk() if s.title == "Ablation study")
    assert ablation.role is SectionRole.ABLATIONS
    assert _flat(ablation.text).startswith(ABLATION_SENTENCE)
    # "Theorem 1." is bold and run-in too, but a statement, not a heading.
    update = next(s for s in paper.walk() if s.title == "Memory update")
    assert "Theorem 1. The memory never overflows." in _flat(update.text)


def test_two_columns_figure_equation_and_table(tmp_path: Path) -> None:
    paper = _load(tmp_path, build_two_column_pdf)
    assert _tree(paper) == [
        ("1", "Introduction", 1),
        ("2", "Method", 1),
        ("3", "Experiments", 1),
    ]
    method, experiments = paper.sections[1], paper.sections[2]
    # Left column first: the method (left) ends before the experiments (right) begin.
    assert METHOD_SENTENCE in _flat(method.text)
    assert EXPERIMENT_SENTENCE in _flat(experiments.text)
    # The table is a Table, its numbers are not prose.
    (table,) = experiments.tables
    assert table.caption == "Table 1: Accuracy and loss on the test split."
    assert table.rows == [list(row) for row in TABLE_ROWS]
    text = paper.full_text()
    assert "91.2" not in text and "w/o gate" not in text


def test_figure_labels_legends_and_equations_stay_out(tmp_path: Path) -> None:
    """Regression: plot legends, game names and equations became section titles and prose."""
    paper = _load(tmp_path, build_two_column_pdf)
    titles = {s.title for s in paper.walk()}
    assert not titles & {"Encoder", "Decoder", "Breakout", "Pong"}
    text = paper.full_text()
    for label in ("Breakout", "Pong", "SUM exp", "(1)"):
        assert label not in text
    # The caption is kept, as a paragraph of its own.
    paragraphs = [_flat(p) for s in paper.walk() for p in s.text.split("\n\n")]
    assert (
        "Figure 1: Overview of the gated memory between the encoder and the decoder." in paragraphs
    )


def test_appendices_in_three_spellings(tmp_path: Path) -> None:
    paper = _load(tmp_path, build_appendix_pdf)
    assert _tree(paper)[3:] == [
        (None, "References", 1),
        (None, "Appendix", 1),
        ("A", "Proofs of the Bounds", 1),
        ("A.1", "Lemma on Slots", 2),
        ("B", "Hyperparameters", 1),
        ("C", "Further Results", 1),
    ]
    roles = [s.role for s in paper.walk()]
    assert roles[4:] == [SectionRole.APPENDIX] * 5
    assert [s.title for s in author_view(paper).walk()] == ["Introduction", "Method"]


def test_unstyled_headings_warn_and_fall_back(tmp_path: Path) -> None:
    """Regression: a structure failure used to pass without a word."""
    paper = _load(tmp_path, build_unstyled_pdf)
    (warning,) = [w for w in paper.warnings if w.startswith("structure looks wrong")]
    assert "whole paper is in one section" in warning
    assert "read with unstyled numbered headings instead" in warning
    assert [s.title for s in paper.sections] == [
        "Introduction",
        "Method",
        "Experiments",
        "Conclusion",
    ]
    view = _flat(author_view(paper).full_text())
    assert METHOD_SENTENCE in view and EXPERIMENT_SENTENCE not in view


@pytest.mark.parametrize(
    "build", [build_caps_pdf, build_run_in_pdf, build_two_column_pdf, build_appendix_pdf]
)
def test_running_header_and_page_numbers_removed(
    tmp_path: Path, build: Callable[[Path], Path]
) -> None:
    text = _load(tmp_path, build).full_text()
    assert "Workshop preprint" not in text
    assert not [line for line in text.splitlines() if line.strip().isdigit()]


def test_greek_glyphs_without_a_unicode_map_are_read_as_greek() -> None:
    # LaTeX math fonts reach many PDFs without a Unicode map; PDFium then gives their OML codes
    # as control characters ("say, \x0f = 0.2"), which would silently lose the symbol.
    assert unmapped_greek("where \x0f is a hyperparameter, say, \x0f = 0.2") == (
        "where ϵ is a hyperparameter, say, ϵ = 0.2"
    )
    assert unmapped_greek("a\tb\r\nc \x15 \x1c") == "a\tb\r\nc λ τ"


def test_fonts_scaled_by_the_text_matrix(tmp_path: Path) -> None:
    # Every font at size 1, sized by the text matrix: the title and headings are still found.
    paper = _load(tmp_path, build_unit_font_pdf)
    assert paper.title == UNIT_FONT_TITLE
    assert [title for _, title, _ in _tree(paper)] == ["Introduction", "Method", "Experiments"]
    assert METHOD_SENTENCE in _flat(paper.sections[1].text)


def test_a_page_drawn_as_one_narrow_form_is_read(tmp_path: Path) -> None:
    # arXiv-stamped PDFs draw each page as one form as narrow as the text block: not a figure.
    paper = load_paper(build_unit_font_pdf(tmp_path / "paper.pdf", wrapped=True))
    assert paper.title == UNIT_FONT_TITLE
    assert [title for _, title, _ in _tree(paper)] == ["Introduction", "Method", "Experiments"]


def test_bold_body_text_does_not_make_every_paragraph_a_heading(tmp_path: Path) -> None:
    paper = _load(tmp_path, build_all_bold_pdf)
    assert [title for _, title, _ in _tree(paper)] == [
        "Introduction",
        "Method",
        "Gated Memory",
        "Experiments",
    ]
