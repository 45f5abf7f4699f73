"""Section roles from heading words and from the tree's structure."""

from __future__ import annotations

import pytest

from ablab.papers import heading_role, paper_from_markdown
from ablab.schema import SectionRole as R


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Abstract", R.ABSTRACT),
        ("Introduction", R.INTRODUCTION),
        ("Related Work", R.RELATED_WORK),
        ("Prior Work on Distillation", R.RELATED_WORK),
        ("Preliminaries", R.BACKGROUND),
        ("Background and Notation", R.BACKGROUND),
        ("Method", R.METHOD),
        ("Our Approach", R.METHOD),
        ("Proposed Framework", R.METHOD),
        ("Experiments", R.EXPERIMENTS),
        ("Experiments1", R.EXPERIMENTS),  # a footnote mark glued on by the PDF
        ("Empirical convergence", R.EXPERIMENTS),
        ("Empirical Risk Minimization", None),
        ("Results∗", R.RESULTS),
        ("Experimental Setup", R.EXPERIMENTS),
        ("Evaluation", R.EXPERIMENTS),
        ("Results", R.RESULTS),
        ("Results and Discussion", R.RESULTS),
        ("Ablation Studies", R.ABLATIONS),
        ("Analysis of Components", R.ABLATIONS),
        ("Discussion", R.DISCUSSION),
        ("Limitations and Future Work", R.LIMITATIONS),
        ("Conclusions", R.CONCLUSION),
        ("Future Work", R.CONCLUSION),
        ("References", R.REFERENCES),
        ("Bibliography", R.REFERENCES),
        ("Appendix A: Proofs", R.APPENDIX),
        ("Theoretical Results", None),
        ("Learning from Explanations", None),
    ],
)
def test_heading_role(title: str, role: R | None) -> None:
    assert heading_role(title) is role


def test_nested_headings_only_claim_strong_roles() -> None:
    assert heading_role("Model", nested=True) is None
    assert heading_role("Ablation on the temperature", nested=True) is R.ABLATIONS
    assert heading_role("Main results", nested=True) is R.RESULTS


def _roles(markdown: str) -> dict[str, R]:
    return {s.title: s.role for s in paper_from_markdown(markdown, paper_id="x").walk()}


def test_unnamed_section_between_intro_and_experiments_is_method() -> None:
    roles = _roles(
        "# T\n\n## 1 Introduction\n\n## 2 Learning from Explanations\n\n### 2.1 Two Stages\n\n"
        "## 3 Experiments\n\n## 4 Broader Impact\n"
    )
    assert roles["Learning from Explanations"] is R.METHOD
    assert roles["Two Stages"] is R.METHOD
    assert roles["Broader Impact"] is R.OTHER


def test_the_last_background_section_holds_the_method_when_none_is_named() -> None:
    roles = _roles(
        "# T\n\n## Introduction\n\n## Notation\n\n## Preliminaries\n\n"
        "## Problem formulation and overview of our method\n\n### Sampling views\n\n"
        "## Experiments\n"
    )
    assert roles["Problem formulation and overview of our method"] is R.METHOD
    assert roles["Sampling views"] is R.METHOD
    assert roles["Preliminaries"] is R.BACKGROUND
    # with a method section of its own, background stays background
    named = _roles("# T\n\n## Introduction\n\n## Preliminaries\n\n## Method\n\n## Results\n")
    assert named["Preliminaries"] is R.BACKGROUND


def test_subsection_inherits_unless_strong() -> None:
    roles = _roles("# T\n\n## Experiments\n\n### Model\n\n### Datasets\n\n### Ablations\n")
    assert roles["Model"] is R.EXPERIMENTS
    assert roles["Datasets"] is R.EXPERIMENTS
    assert roles["Ablations"] is R.ABLATIONS


def test_everything_after_appendix_or_references_is_appendix() -> None:
    roles = _roles(
        "# T\n\n## Method\n\n## References\n\n## A. Proofs\n\n## Extra Experiments\n\n"
        "### Ablation of X\n"
    )
    assert roles["References"] is R.REFERENCES
    assert roles["Proofs"] is R.APPENDIX
    assert roles["Extra Experiments"] is R.APPENDIX
    assert roles["Ablation of X"] is R.APPENDIX


def test_letter_numbered_top_level_is_appendix() -> None:
    roles = _roles("# T\n\n## 1 Method\n\n## B.1 Implementation Details\n")
    assert roles["Implementation Details"] is R.APPENDIX
