"""Plain-text papers: headings from numbering, role words and capitals."""

from __future__ import annotations

from pathlib import Path

from ablab.papers import load_paper, paper_from_text
from ablab.schema import SectionRole, SourceKind

PLAIN = """Sparse Mixture Routing for Efficient Transformers

Jane Doe, John Roe

Abstract
We route tokens to experts with a learned sparse gate and cut compute by half.

1 Introduction
Transformers are expensive. We make them cheaper with three ideas:
1. a sparse gate that routes tokens,
2. a load-balancing loss,
3. expert dropout.

2 Method
2.1 Sparse Gate
The gate picks the top-k experts with k = 2.
2.2 Load Balancing Loss
A loss with weight 0.01 keeps experts busy.
3 Experiments
We train for 100k steps.
3.1 Ablations
Removing the loss hurts.
REFERENCES
[1] Shazeer et al. 2017.
"""


def test_plain_text_headings_and_numbered_list() -> None:
    paper = paper_from_text(PLAIN, paper_id="moe")
    assert paper.source_kind is SourceKind.TEXT
    assert paper.title == "Sparse Mixture Routing for Efficient Transformers"
    assert (
        paper.abstract
        == "We route tokens to experts with a learned sparse gate and cut compute by half."
    )
    assert [(s.number, s.title) for s in paper.walk()] == [
        ("1", "Introduction"),
        ("2", "Method"),
        ("2.1", "Sparse Gate"),
        ("2.2", "Load Balancing Loss"),
        ("3", "Experiments"),
        ("3.1", "Ablations"),
        (None, "REFERENCES"),
    ]
    intro = paper.find_section("s1-introduction")
    assert intro is not None and "2. a load-balancing loss," in intro.text  # list items stay text
    roles = {s.title: s.role for s in paper.walk()}
    assert roles["Ablations"] is SectionRole.ABLATIONS
    assert roles["REFERENCES"] is SectionRole.REFERENCES


def test_ieee_style_roman_and_letter_headings() -> None:
    text = (
        "A Title\n\nI. INTRODUCTION\nIntro text.\nII. METHOD\nA. Encoder\nEnc.\n"
        "B. Decoder\nDec.\nIII. EXPERIMENTS\nExp.\n"
    )
    paper = paper_from_text(text, paper_id="ieee")
    assert [(s.number, s.title, s.level) for s in paper.walk()] == [
        ("I", "INTRODUCTION", 1),
        ("II", "METHOD", 1),
        ("A", "Encoder", 2),
        ("B", "Decoder", 2),
        ("III", "EXPERIMENTS", 1),
    ]


def test_txt_with_markdown_headings_is_markdown(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("# Title\n\n## 1 Method\n\nText.\n\n## 2 Results\n\nMore.\n")
    paper = load_paper(path)
    assert paper.source_kind is SourceKind.MARKDOWN
    assert [s.title for s in paper.sections] == ["Method", "Results"]


def test_txt_loaded_as_text(tmp_path: Path) -> None:
    path = tmp_path / "moe.txt"
    path.write_text(PLAIN)
    paper = load_paper(path)
    assert paper.source_kind is SourceKind.TEXT
    assert paper.id == "moe"
    assert len(paper.sections) == 4
