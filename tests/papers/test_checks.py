"""Structure checks: one warning line when a section tree does not look like a paper."""

from __future__ import annotations

from ablab.papers import paper_from_markdown
from ablab.papers.checks import checked_paper, structure_problems
from ablab.papers.tree import ParsedDocument, RawSection
from ablab.schema import SourceKind

WORDS = "the model reads each token once and keeps a short memory of it " * 20  # 260 words


def _markdown(sections: list[tuple[str, str]]) -> str:
    return "# A Paper\n\n" + "".join(f"## {title}\n\n{body}\n\n" for title, body in sections)


def test_a_paper_shaped_tree_has_no_problem() -> None:
    paper = paper_from_markdown(
        _markdown(
            [("1 Introduction", WORDS * 2), ("2 Method", WORDS * 2), ("3 Experiments", WORDS * 2)]
        ),
        paper_id="ok",
    )
    assert structure_problems(paper) == []


def test_short_texts_are_not_checked() -> None:
    paper = paper_from_markdown(_markdown([("Notes", "a few words")]), paper_id="short")
    assert structure_problems(paper) == []


def test_whole_paper_in_one_section() -> None:
    paper = paper_from_markdown(
        _markdown([("1 Introduction", WORDS * 7), ("2 Method", WORDS), ("3 Experiments", "E.")]),
        paper_id="one",
    )
    assert "the whole paper is in one section" in structure_problems(paper)


def test_hundreds_of_tiny_sections() -> None:
    tiny = [(f"Part {i}", "A short note.") for i in range(70)]
    paper = paper_from_markdown(
        _markdown([("1 Method", WORDS * 3), ("2 Experiments", WORDS * 3), *tiny]), paper_id="tiny"
    )
    assert "72 sections, most of them tiny" in structure_problems(paper)


def test_missing_method_and_experiments() -> None:
    paper = paper_from_markdown(
        _markdown(
            [("Introduction", WORDS * 3), ("Related Work", WORDS * 3), ("Conclusion", WORDS)]
        ),
        paper_id="nomethod",
    )
    problems = structure_problems(paper)
    assert "no method section" in problems and "no experiments section" in problems


def _doc(*sections: tuple[str, str]) -> ParsedDocument:
    return ParsedDocument(
        title="T", sections=[RawSection(heading=h, level=1, text=t) for h, t in sections]
    )


def test_checked_paper_falls_back_and_says_so_in_one_line() -> None:
    broken = _doc(("Text", WORDS * 8))
    better = _doc(
        ("1 Introduction", WORDS * 2), ("2 Method", WORDS * 3), ("3 Experiments", WORDS * 3)
    )
    paper = checked_paper(
        broken,
        paper_id="p",
        source_kind=SourceKind.PDF,
        source_path=None,
        content_hash="h",
        fallbacks=[("numbered headings", lambda: better)],
    )
    assert [s.title for s in paper.sections] == ["Introduction", "Method", "Experiments"]
    (warning,) = paper.warnings
    assert warning.startswith("structure looks wrong: the whole paper is in one section")
    assert warning.endswith("; read with numbered headings instead")
    assert "\n" not in warning


def test_checked_paper_keeps_the_first_reading_when_no_fallback_is_better() -> None:
    broken = _doc(("Text", WORDS * 8))
    paper = checked_paper(
        broken,
        paper_id="p",
        source_kind=SourceKind.PDF,
        source_path=None,
        content_hash="h",
        fallbacks=[("the same", lambda: _doc(("Text", WORDS * 8)))],
    )
    assert [s.title for s in paper.sections] == ["Text"]
    assert "read with" not in paper.warnings[0]
