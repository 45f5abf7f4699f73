"""Context budgeting: keep sections by priority, never cut blindly, report the token counts."""

from __future__ import annotations

from ablab.models.tokens import estimate_tokens
from ablab.schema import Mode, Paper, SectionRole
from ablab.tasks.context import SHORTENED_MARK, paper_context, role_rank


def _long(paper: Paper, role: SectionRole, repeat: int) -> Paper:
    """``paper`` with the text of its sections of ``role`` repeated ``repeat`` times."""
    copy = paper.model_copy(deep=True)
    for section in copy.walk():
        if section.role is role:
            section.text = "\n\n".join([section.text] * repeat)
    return copy


def test_a_paper_within_budget_is_sent_whole(paper: Paper) -> None:
    text, report = paper_context(paper, Mode.REVIEWER, 100_000)
    for section in paper.walk():
        assert section.title in text and section.text in text
    assert "| GEM (ours) | 61.5 | 65.2 |" in text  # tables are included
    assert report.paper_tokens == report.kept_tokens == estimate_tokens(text)
    assert report.dropped == [] and report.shortened == []


def test_references_go_first_and_the_method_stays(paper: Paper) -> None:
    bulky = _long(paper, SectionRole.REFERENCES, 200)
    text, report = paper_context(bulky, Mode.REVIEWER, 800)
    assert "References" in report.dropped
    assert "Our gated episodic memory stores one slot" in text
    assert "Removing the forgetting gate lowers" in text  # existing ablations kept for reviewers
    assert "[Sections left out to fit the context budget: References]" in text
    assert report.kept_tokens <= 800 < report.paper_tokens


def test_an_oversized_method_is_shortened_at_a_paragraph(paper: Paper) -> None:
    bulky = _long(paper, SectionRole.METHOD, 60)
    text, report = paper_context(bulky, Mode.AUTHOR, 1_500)
    # Both method subsections share the room rather than the first taking it all.
    assert set(report.shortened) == {"Gated Episodic Memory", "Cross-Attention Decoder"}
    assert text.count(SHORTENED_MARK) == 2
    assert report.kept_tokens <= 1_500
    # Sections go back in document order although they were chosen by priority.
    assert text.index("## Gated Episodic Memory") < text.index("## Cross-Attention Decoder")


def test_title_and_abstract_are_always_kept(paper: Paper) -> None:
    text, report = paper_context(_long(paper, SectionRole.METHOD, 100), Mode.AUTHOR, 400)
    assert text.startswith("# Gated Episodic Memory for Few-Shot Segmentation")
    assert "We introduce GEM" in text
    assert report.dropped  # something had to go


def test_priorities_differ_by_mode() -> None:
    assert role_rank(SectionRole.METHOD, Mode.AUTHOR) == 0
    assert role_rank(SectionRole.ABLATIONS, Mode.REVIEWER) == 0
    assert role_rank(SectionRole.ABLATIONS, Mode.AUTHOR) > role_rank(
        SectionRole.INTRODUCTION, Mode.AUTHOR
    )
    for mode in Mode:
        assert role_rank(SectionRole.REFERENCES, mode) == max(
            role_rank(role, mode) for role in SectionRole
        )
