"""Markdown papers: headings, numbering, ids, roles, abstract, tables, front matter."""

from __future__ import annotations

from pathlib import Path

from ablab.papers import load_paper, paper_from_markdown
from ablab.schema import SectionRole, SourceKind


def test_markdown_fixture_tree(fixtures: Path) -> None:
    paper = load_paper(fixtures / "markdown" / "contrastive.md")
    assert paper.id == "contrastive"
    assert paper.source_kind is SourceKind.MARKDOWN
    assert paper.title == "Contrastive Distillation with Feature Alignment"
    assert paper.abstract.startswith("We propose CoDA")
    assert [s.id for s in paper.sections] == [
        "s1-introduction",
        "s2-related-work",
        "s3-method",
        "s4-experiments",
        "s5-limitations",
        "s6-conclusion",
        "references",
        "appendix",
    ]
    method = paper.sections[2]
    assert [c.id for c in method.children] == [
        "s3-1-feature-alignment-module",
        "s3-2-loss-functions",
        "s3-3-ablation-of-the-projection-head",
    ]
    loss = paper.find_section("s3-2-loss-functions")
    assert loss is not None
    assert (loss.number, loss.title, loss.level) == ("3.2", "Loss Functions", 2)


def test_markdown_roles(fixtures: Path) -> None:
    paper = load_paper(fixtures / "markdown" / "contrastive.md")
    roles = {s.id: s.role for s in paper.walk()}
    assert roles["s1-introduction"] is SectionRole.INTRODUCTION
    assert roles["s2-related-work"] is SectionRole.RELATED_WORK
    assert roles["s3-1-feature-alignment-module"] is SectionRole.METHOD  # inherited
    assert roles["s3-3-ablation-of-the-projection-head"] is SectionRole.ABLATIONS
    assert roles["s4-1-main-results"] is SectionRole.RESULTS
    assert roles["s4-2-ablation-study"] is SectionRole.ABLATIONS
    assert roles["s5-limitations"] is SectionRole.LIMITATIONS
    assert roles["references"] is SectionRole.REFERENCES
    assert roles["sa-1-hyperparameters"] is SectionRole.APPENDIX


def test_code_fence_heading_and_equations_kept(fixtures: Path) -> None:
    paper = load_paper(fixtures / "markdown" / "contrastive.md")
    assert all("Not a heading" not in s.title for s in paper.walk())
    intro = paper.find_section("s1-introduction")
    assert intro is not None and "# Not a heading" in intro.text
    fam = paper.find_section("s3-1-feature-alignment-module")
    assert fam is not None and "h = W_2 \\sigma(W_1 z)" in fam.text and "$$" in fam.text
    loss = paper.find_section("s3-2-loss-functions")
    assert loss is not None and "$\\tau = 0.07$" in loss.text


def test_tables_with_captions_before_and_after(fixtures: Path) -> None:
    paper = load_paper(fixtures / "markdown" / "contrastive.md")
    results = paper.find_section("s4-1-main-results")
    ablation = paper.find_section("s4-2-ablation-study")
    assert results is not None and ablation is not None
    (main,) = results.tables
    assert main.caption == "Linear-probe top-1 accuracy on ImageNet."
    assert main.header == ["Method", "Top-1", "Top-5"]
    assert main.rows == [["KD", "71.2", "90.1"], ["CoDA", "73.3", "91.0"]]
    # Table lines and the caption leave the prose.
    assert "| KD" not in results.text and "Table 1:" not in results.text
    assert results.text == "CoDA is best."
    (abl,) = ablation.tables
    assert abl.caption == "Removing each component hurts."
    assert abl.rows[0] == ["w/o FAM", "72.0"]


def test_abstract_from_paragraph_after_title() -> None:
    text = (
        "# A Title\n\nJane Doe\n\n"
        "This paper studies a problem in depth and proposes a method that is simple, fast and "
        "accurate on every benchmark we tried.\n\n# Introduction\n\nHello.\n"
    )
    paper = paper_from_markdown(text, paper_id="x")
    assert paper.title == "A Title"
    assert paper.abstract.startswith("This paper studies")
    assert [s.title for s in paper.sections] == ["Introduction"]
    assert paper.sections[0].level == 1


def test_abstract_lead_paragraph() -> None:
    text = "# T\n\n**Abstract.** We do things.\n\n## 1 Intro\n\nx\n"
    assert paper_from_markdown(text, paper_id="x").abstract == "We do things."


def test_no_title_heading_falls_back_with_warning() -> None:
    paper = paper_from_markdown("# 1 Introduction\n\nText.\n\n# 2 Method\n\nMore.\n", paper_id="p")
    assert paper.title == "p"
    assert any("no title" in w for w in paper.warnings)
    assert [s.number for s in paper.sections] == ["1", "2"]


def test_duplicate_headings_get_unique_ids() -> None:
    text = "# T\n\n## Setup\n\na\n\n## Setup\n\nb\n\n## Setup\n\nc\n"
    paper = paper_from_markdown(text, paper_id="x")
    assert [s.id for s in paper.sections] == ["setup", "setup-2", "setup-3"]


def test_front_matter_becomes_metadata_and_is_not_a_heading() -> None:
    text = "---\ntitle: Front Title\narxiv_id: '2401.00001'\ntags: [a, b]\n---\n\n## Intro\n\nx\n"
    paper = paper_from_markdown(text, paper_id="x")
    assert paper.title == "Front Title"
    assert paper.metadata["arxiv_id"] == "2401.00001"
    assert paper.metadata["tags"] == "a, b"
    assert [s.title for s in paper.sections] == ["Intro"]


def test_setext_headings_and_deterministic_hash() -> None:
    text = "Title\n=====\n\nMethod\n------\n\nWe do it.\n"
    first = paper_from_markdown(text, paper_id="x")
    second = paper_from_markdown(text, paper_id="x")
    assert first.title == "Title"
    assert first.sections[0].title == "Method"
    assert first == second
    assert first.content_hash == second.content_hash
    assert paper_from_markdown(text + "!", paper_id="x").content_hash != first.content_hash


def test_benchmark_style_ids_survive_and_unsafe_names_are_slugified(tmp_path: Path) -> None:
    from ablab.papers.loader import default_paper_id

    assert default_paper_id(Path("Machine_Learning_from_Explanations.md")) == (
        "Machine_Learning_from_Explanations"
    )
    assert default_paper_id(Path("proj.v2.tar.gz")) == "proj.v2"
    unsafe = default_paper_id(Path("../My Paper (final).pdf"))
    assert "/" not in unsafe and " " not in unsafe and unsafe


def test_a_long_title_with_a_role_word_is_still_the_title() -> None:
    text = (
        "# SimCLR: A Simple Framework for Contrastive Learning of Visual Representations\n\n"
        "## Abstract\n\nWe present a framework.\n\n## 1 Introduction\n\nText.\n"
    )
    paper = paper_from_markdown(text, paper_id="simclr")
    assert paper.title.startswith("SimCLR: A Simple Framework")
    assert [s.title for s in paper.sections] == ["Introduction"]
    assert paper.sections[0].role is SectionRole.INTRODUCTION
    short = paper_from_markdown("# Introduction\n\nText.\n\n# Method\n\nMore.\n", paper_id="x")
    assert [s.title for s in short.sections][:1] == ["Introduction"]


def test_table_cells_and_headings_read_alike_with_and_without_markup() -> None:
    # Plain cells skip the inline parse; cells with markup still get it.
    from ablab.papers.markdown import _INLINE_PARSER, _PARSER, inline_text

    cells = [
        "plain   cell\twith spaces",
        "ResNet-50 (ours), 76.1 +/- 0.2 % @ 224px; \"quoted\" 'x' {y} #3 ^2 =",
        "a *b* __c__",
        "x &amp; y",
        "`code_here` z",
        "[link](http://e.org) and ![img](i.png)",
        "esc \\| pipe",
        "<b>html</b> ~~gone~~",
    ]
    text = "| " + " | ".join(f"h{n}" for n in range(len(cells))) + " |\n"
    text += "|" + "---|" * len(cells) + "\n| " + " | ".join(cells) + " |\n"
    env: dict[str, object] = {}
    tokens = [t for t in _PARSER.parse(text, env) if t.type == "inline"]
    for token in tokens:
        parsed = _INLINE_PARSER.parseInline(token.content, env)[0].children or []
        full = " ".join(
            "".join(
                c.content if c.type in ("text", "code_inline") else " "
                for c in parsed
                if c.type in ("text", "code_inline", "softbreak", "hardbreak")
            ).split()
        )
        assert inline_text(token, env) == full
    assert inline_text(tokens[len(cells) + 2], env) == "a b c"
    assert inline_text(tokens[len(cells) + 3], env) == "x & y"
