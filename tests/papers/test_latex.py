"""LaTeX projects: main file, includes (safe, cyclic, escaping), sections, tables, math."""

from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

import pytest

from ablab.errors import PaperError
from ablab.papers import author_view, load_paper
from ablab.papers.latex_text import latex_to_text
from ablab.schema import SectionRole, SourceKind

SECRET = "TOP-SECRET-5f1c"


@pytest.fixture()
def project(fixtures: Path, tmp_path: Path) -> Path:
    """A copy of the fixture project with a secret file just outside its root."""
    root = tmp_path / "project"
    shutil.copytree(fixtures / "latex_project", root)
    (tmp_path / "outside.tex").write_text(f"\\section{{Leak}} {SECRET}\n")
    return root


def test_title_abstract_and_tree(fixtures: Path) -> None:
    paper = load_paper(fixtures / "latex_project")
    assert paper.source_kind is SourceKind.LATEX
    assert paper.id == "latex_project"  # the folder name, kept as it is
    assert paper.title == "Contrastive Distillation with Feature Alignment"
    assert paper.abstract.startswith("We propose CoDA, a contrastive distillation method")
    assert "2.1%" in paper.abstract  # \% is a percent sign, not a comment
    assert "hidden remark" not in paper.abstract
    assert [(s.number, s.title) for s in paper.walk()] == [
        ("1", "Introduction"),
        ("2", "Method"),
        ("2.1", "Feature Alignment Module"),
        ("2.2", "Loss Functions"),
        ("3", "Experiments"),
        ("3.1", "Ablation Study"),
        (None, "Conclusion"),
        (None, "References"),
        ("A", "Proofs"),
        ("A.1", "Ablation of the Temperature"),
    ]
    assert paper.find_section("s2-2-loss-functions") is not None


def test_nested_inputs_math_and_macros(fixtures: Path) -> None:
    paper = load_paper(fixtures / "latex_project")
    loss = paper.find_section("s2-2-loss-functions")
    fam = paper.find_section("s2-1-feature-alignment-module")
    intro = paper.find_section("s1-introduction")
    assert loss is not None and fam is not None and intro is not None
    # sections/method/loss.tex, reached through sections/method.tex with an explicit ".tex".
    assert "$\\tau = 0.07$" in loss.text
    assert "\\begin{align}" in loss.text and "\\frac{\\exp(s^+/\\tau)}" in loss.text
    assert "\\begin{equation}" in fam.text and "h = W_2 \\sigma(W_1 z)" in fam.text
    # \newcommand{\ours}{CoDA\xspace} and \R are expanded; markup is gone.
    assert "CoDA aligns features in $\\mathbb{R}^d$ with a feature alignment module." in intro.text
    assert "\\textbf" not in intro.text and "%" not in intro.text


def test_subfile_and_tables(fixtures: Path) -> None:
    paper = load_paper(fixtures / "latex_project")
    experiments = paper.find_section("s3-experiments")
    ablation = paper.find_section("s3-1-ablation-study")
    assert experiments is not None and ablation is not None
    assert experiments.text == "We train on ImageNet for 100 epochs."
    (main,) = experiments.tables
    assert main.caption == "Linear-probe accuracy on ImageNet (%)."
    assert main.header == ["Method", "Top-1", "Top-5"]
    assert main.rows == [["KD", "71.2", "90.1"], ["CoDA", "73.3", "91.0"]]
    (bare,) = ablation.tables
    assert bare.caption == ""
    assert bare.rows == [["w/o FAM", "72.0"], ["w/o KL & FAM", "71.5"]]


def test_roles_appendix_and_author_view(fixtures: Path) -> None:
    paper = load_paper(fixtures / "latex_project")
    roles = {s.title: s.role for s in paper.walk()}
    assert roles["Method"] is SectionRole.METHOD
    assert roles["Ablation Study"] is SectionRole.ABLATIONS
    assert roles["References"] is SectionRole.REFERENCES
    assert roles["Proofs"] is SectionRole.APPENDIX
    assert roles["Ablation of the Temperature"] is SectionRole.APPENDIX
    view = author_view(paper)
    assert [s.title for s in view.walk()] == [
        "Introduction",
        "Method",
        "Feature Alignment Module",
        "Loss Functions",
    ]


def test_escaping_includes_warn_and_are_never_read(project: Path) -> None:
    (project / "sections" / "link.tex").symlink_to(project.parent / "outside.tex")
    main = project / "main.tex"
    main.write_text(
        main.read_text().replace(
            "\\input{/etc/passwd}",
            "\\input{/etc/passwd}\n\\input{sections/link}\n\\input{../../etc/passwd}\n"
            "\\include{sections/../../outside}\n\\subfile{~/outside}\n\\import{../}{outside}",
        )
    )
    paper = load_paper(project)
    dump = paper.model_dump_json()
    assert SECRET not in dump
    assert "root:" not in dump
    assert "Leak" not in dump
    outside = [w for w in paper.warnings if "outside the project root" in w]
    assert any("\\input{../outside}" in w for w in outside)
    assert any("\\input{/etc/passwd}" in w for w in outside)
    assert any("\\input{sections/link}" in w for w in outside)
    assert any("\\input{../../etc/passwd}" in w for w in outside)
    assert any("\\include{sections/../../outside}" in w for w in outside)
    assert any("\\subfile{~/outside}" in w for w in outside)
    assert any("\\import{../}{outside}" in w for w in outside)


def test_cyclic_and_missing_includes_warn(tmp_path: Path) -> None:
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\\begin{document}\\section{Method}\\input{a}\\input{nowhere}"
        "\\end{document}"
    )
    (tmp_path / "a.tex").write_text("A text. \\input{b}")
    (tmp_path / "b.tex").write_text("B text. \\input{a}")
    paper = load_paper(tmp_path)
    assert paper.sections[0].text == "A text.\nB text."
    assert any("\\input{a}" in w and "cyclic" in w for w in paper.warnings)
    assert any("\\input{nowhere}" in w and "not found" in w for w in paper.warnings)


def test_import_and_subimport(tmp_path: Path) -> None:
    (tmp_path / "chapters" / "parts").mkdir(parents=True)
    (tmp_path / "paper.tex").write_text(
        "\\documentclass{article}\\title{Imports}\\begin{document}\\import{chapters/}{intro}"
        "\\end{document}"
    )
    (tmp_path / "chapters" / "intro.tex").write_text(
        "\\section{Intro}Hello.\\subimport{parts/}{detail}"
    )
    (tmp_path / "chapters" / "parts" / "detail.tex").write_text("\\subsection{Detail}Deep text.")
    paper = load_paper(tmp_path)
    assert paper.title == "Imports"
    assert [s.title for s in paper.walk()] == ["Intro", "Detail"]
    assert paper.sections[0].children[0].text == "Deep text."


def test_main_file_choice_is_deterministic(tmp_path: Path) -> None:
    doc = "\\documentclass{article}\\title{%s}\\begin{document}\\section{S}x\\end{document}"
    (tmp_path / "aaa.tex").write_text(doc % "Not main")
    (tmp_path / "paper.tex").write_text(doc % "Main")
    (tmp_path / "child.tex").write_text(
        "\\documentclass[paper.tex]{subfiles}\\begin{document}\\section{C}\\end{document}"
    )
    assert load_paper(tmp_path).title == "Main"
    (tmp_path / "paper.tex").unlink()
    assert load_paper(tmp_path).title == "Not main"


def test_single_tex_file_and_fragment(tmp_path: Path) -> None:
    (tmp_path / "sec.tex").write_text("Included body.")
    single = tmp_path / "single.tex"
    single.write_text("\\section{Method}\\input{sec}\n\\section{Results}Numbers.")
    paper = load_paper(single)
    assert paper.id == "single"
    assert [s.title for s in paper.sections] == ["Method", "Results"]
    assert paper.sections[0].text == "Included body."


def test_project_hash_is_deterministic_and_tracks_included_files(project: Path) -> None:
    first = load_paper(project)
    assert load_paper(project) == first
    loss = project / "sections" / "method" / "loss.tex"
    loss.write_text(loss.read_text() + "\nOne more sentence.\n")
    assert load_paper(project).content_hash != first.content_hash


def test_directory_without_main_file(tmp_path: Path) -> None:
    with pytest.raises(PaperError, match="no .tex file"):
        load_paper(tmp_path)
    (tmp_path / "part.tex").write_text("\\section{A} only a fragment")
    with pytest.raises(PaperError, match="no main .tex file"):
        load_paper(tmp_path)


def test_project_size_budget(fixtures: Path) -> None:
    with pytest.raises(PaperError, match="exceed the limit"):
        load_paper(fixtures / "latex_project", max_bytes=500)


def test_starred_sections_paragraphs_and_main_file(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.tex").write_text(
        "\\documentclass{article}\\begin{document}\\title{T}\n"
        "\\section*{Overview}Unnumbered.\n\\section{Method}\\paragraph{Setup.} We set $k=3$.\n"
        "\\subsection{Loss}L.\n\\section{Experiments}E.\\end{document}"
    )
    paper = load_paper(tmp_path)
    assert paper.metadata["main_file"] == "src/main.tex"
    assert [(s.number, s.title, s.level) for s in paper.walk()] == [
        (None, "Overview", 1),
        ("1", "Method", 1),
        (None, "Setup", 2),
        ("1.1", "Loss", 2),
        ("2", "Experiments", 1),
    ]
    setup = paper.sections[1].children[0]
    assert setup.text == "We set $k=3$."


def test_unclosed_section_title_ends_at_the_paragraph(tmp_path: Path) -> None:
    # LaTeX stops a runaway title at the blank line; the sections after it stay sections.
    path = tmp_path / "typo.tex"
    path.write_text(
        "\\documentclass{article}\\begin{document}\n\\section{Method\n\nWe use a KL loss.\n"
        "\\section{Results}\nIt works.\n\\end{document}\n"
    )
    paper = load_paper(path)
    assert [s.title for s in paper.sections] == ["Method", "Results"]
    assert "KL loss" not in paper.sections[0].title
    assert paper.sections[1].text == "It works."


def test_unclosed_environments_and_definitions_keep_the_text(tmp_path: Path) -> None:
    # Thousands of unclosed openers (bench/pathological_inputs.py times them) are read as text.
    path = tmp_path / "unclosed.tex"
    path.write_text(
        "\\documentclass{article}\\begin{document}\n\\section{Method}\nKept text.\n"
        + "\\begin{comment}\\iffalse \\begin{abstract}\\begin{tabular}{\\newcommand{\\x}{" * 200
        + "\n\\end{document}\n"
    )
    paper = load_paper(path)
    assert [s.title for s in paper.sections] == ["Method"]
    assert paper.sections[0].text.startswith("Kept text.")
    assert paper.sections[0].tables == [] and paper.abstract == ""


def test_include_bomb_is_refused(tmp_path: Path) -> None:
    # Nine 100-byte files, each including the next ten times: 10**9 copies once spliced.
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\\begin{document}\\section{Method}\n"
        + "\\input{l0}\n" * 10
        + "\\end{document}\n"
    )
    for level in range(8):
        (tmp_path / f"l{level}.tex").write_text(f"\\input{{l{level + 1}}}\n" * 10)
    (tmp_path / "l8.tex").write_text("lol " * 25 + "\n")
    with pytest.raises(PaperError, match="expand"):
        load_paper(tmp_path, max_bytes=1_000_000)


def test_macro_bomb_stops_expanding_in_time(tmp_path: Path) -> None:
    # One pass of 5,000 uses of a 40 kB macro would build a 200 MB string.
    path = tmp_path / "bomb.tex"
    path.write_text(
        "\\documentclass{article}\\newcommand{\\x}{" + "lol " * 10_000 + "}\\begin{document}"
        "\\section{Method}We use a gate.\n" + "\\x " * 5_000 + "\\end{document}\n"
    )
    small = tmp_path / "small.tex"
    small.write_text(
        "\\documentclass{article}\\begin{document}\\section{A}\\textbf{b}\\end{document}"
    )
    load_paper(small)  # imports the LaTeX reader's libraries before memory is measured
    tracemalloc.start()
    try:
        paper = load_paper(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024  # the expansion is cut before the giant string is built
    assert any("stopped expanding" in warning for warning in paper.warnings)
    assert paper.sections[0].text.startswith("We use a gate.")


def test_figures_become_captions_and_appendix_letters(tmp_path: Path) -> None:
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\\begin{document}\\title{Gated Memory}\\maketitle\n"
        "\\section{Method}We keep one slot per token.\n"
        "\\begin{figure}[t]\\centering\\includegraphics{plots/curve-secret}\n"
        "\\caption{Slots over time.}\\label{fig:slots}\\end{figure}\n"
        "\\paragraph{Forgetting gate.} Old slots fade.\n"
        "\\section{Experiments}Numbers.\n"
        "\\appendix\\section{Proofs}P.\\subsection{Bound}B.\n"
        "\\end{document}\n"
    )
    paper = load_paper(tmp_path)
    assert [(s.number, s.title, s.level, s.role) for s in paper.walk()] == [
        ("1", "Method", 1, SectionRole.METHOD),
        (None, "Forgetting gate", 2, SectionRole.METHOD),
        ("2", "Experiments", 1, SectionRole.EXPERIMENTS),
        ("A", "Proofs", 1, SectionRole.APPENDIX),
        ("A.1", "Bound", 2, SectionRole.APPENDIX),
    ]
    method = paper.sections[0]
    assert method.text.split("\n\n") == ["We keep one slot per token.", "Figure: Slots over time."]
    assert "curve-secret" not in paper.full_text() and "fig:slots" not in paper.full_text()


def test_the_paper_is_read_rather_than_the_venue_template_beside_it(tmp_path: Path) -> None:
    # A venue's untouched template sits next to the real paper (both complete documents); the
    # paper, which has more content of its own, is read, and the user is told about the other.
    (tmp_path / "template_final.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\title{Author Guidelines}\n"
        "\\section{Introduction}\nPlease follow the steps outlined below.\n\\end{document}\n"
    )
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "method.tex").write_text(
        "\\section{Method}\n" + "We detect objects with a single network in one pass. " * 80
    )
    (tmp_path / "for_review.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\title{One-Pass Detection}\n"
        "\\section{Introduction}\nWe detect objects.\n\\input{sections/method}\n\\end{document}\n"
    )
    paper = load_paper(tmp_path)
    assert paper.title == "One-Pass Detection"
    assert paper.metadata["main_file"] == "for_review.tex"
    assert any("template_final.tex" in w and "for_review.tex" in w for w in paper.warnings)


def test_typewriter_names_and_home_made_reference_macros_are_read() -> None:
    text = latex_to_text(
        r"The \texttt{PPO-1} variant beats \textsc{Greedy} (\tableref{tab:abl}, \figref{fig:a})."
    )
    assert text == "The PPO-1 variant beats Greedy ([ref], [ref])."
