"""Arbitrary text never crashes the readers: a Paper or a PaperError, ids always unique."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ablab.errors import PaperError
from ablab.papers import author_view, load_paper, paper_from_markdown, paper_from_text
from ablab.papers.latex import parse_latex
from ablab.papers.tree import build_paper
from ablab.schema import Paper, SourceKind

# Text built from the characters that matter to the parsers, so odd structures come up often.
_PIECES = st.sampled_from(
    [
        "# ",
        "## ",
        "### ",
        "1 ",
        "2.1 ",
        "A. ",
        "\n",
        "\n\n",
        "|",
        "---",
        "```",
        "$",
        "$$",
        "\\section{",
        "\\subsection*{",
        "\\begin{table}",
        "\\end{table}",
        "\\begin{tabular}{cc}",
        "\\end{tabular}",
        "\\\\",
        "&",
        "{",
        "}",
        "%",
        "\\%",
        "\\appendix",
        "\\input{x}",
        "Abstract",
        "Introduction",
        "Method",
        "Experiments",
        "Ablation",
        "References",
        "Table 1:",
        "word",
        " ",
        "é",
        "\\'e",
        "\\textbf{",
        "\\caption{",
    ]
)
_TEXT = st.lists(_PIECES, max_size=60).map("".join)


def _check(paper: Paper) -> None:
    ids = [s.id for s in paper.walk()]
    assert len(ids) == len(set(ids))
    view = author_view(paper)
    assert {s.id for s in view.walk()} <= set(ids)


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_markdown_and_text_never_crash(text: str) -> None:
    _check(paper_from_markdown(text, paper_id="fuzz"))
    _check(paper_from_text(text, paper_id="fuzz"))


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_latex_never_crashes(text: str) -> None:
    doc = parse_latex(text)
    _check(
        build_paper(
            doc, paper_id="fuzz", source_kind=SourceKind.LATEX, source_path=None, content_hash="0"
        )
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=300))
def test_any_bytes_give_a_paper_or_a_paper_error(tmp_path: Path, data: bytes) -> None:
    for suffix in (".md", ".txt", ".tex", ".pdf", ".zip", ".tar.gz"):
        path = tmp_path / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            _check(load_paper(path))
        except PaperError as exc:
            assert "\n" not in str(exc)


# Digest-shaped text: front matter (YAML of odd shapes, tags and aliases) and rpa2 sections.
_DIGEST_PIECES = st.sampled_from(
    ["---\n", "ver: rpa2\n", "title: ", "tags: ", "title:\n  - a\n", "tags: [1, {a: b}]\n"]
    + ["title: 3\n", "title: null\n", "&a ", "*a", "!!python/object/apply:os.system ", "? "]
    + ["\n", "# ", "## ", "Key Results\n", "Quick Facts\n", "Confidence\n", "- ", "1. "]
    + ["**", ": ", "High", "(", ")", "→", ";", "_Not filled: x_", "Component map:", "x", "é"]
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_DIGEST_PIECES, max_size=40).map("".join))
def test_digest_like_text_gives_a_paper_or_a_paper_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.digest.md"
    path.write_text(text, encoding="utf-8")
    try:
        _check(load_paper(path))
    except PaperError as exc:
        assert "\n" not in str(exc)
