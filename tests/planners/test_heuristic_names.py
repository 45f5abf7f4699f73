"""Regression: on every example paper, plan names and ablated parts read like a careful researcher
wrote them: no "X in the X" ("the stop-gradient in the stop-gradient"), no doubled words, no name
that lost its head noun ("Vary the size p"), no markup, and never the whole method removed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ablab.analysis.identity import method_names
from ablab.analysis.terms import shares_word, term_key
from ablab.api import plan_paper
from ablab.errors import PlanError
from ablab.papers import load_paper
from ablab.schema import Action, Mode, Plan

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PAPERS = sorted((EXAMPLES / "datasets" / "papers").glob("*/*.md")) + [EXAMPLES / "tide.md"]
_LINK = re.compile(r" (?:used in|in|of|for) the ")
_VERB = re.compile(r"^(?:Remove|Replace|Vary|Add) (?:the |an? )?")
_DOUBLED = re.compile(r"\b(\w+) \1\b", re.IGNORECASE)
_BARE_HEADS = {"size", "rate", "ratio", "weight", "number", "factor", "coefficient", "parameter"}


_LISTED = re.compile(r"\s*\([^)]*\)")


def _symbol(word: str) -> bool:
    return len(word) == 1 or "_" in word or not word.isascii()


def _plans(path: Path) -> list[Plan]:
    """The paper's plans in both modes; a mode with no sound ablation has none (precision
    first), which the count test below keeps rare."""
    paper = load_paper(path)
    plans = []
    for mode in Mode:
        try:
            plans.append(plan_paper(paper, mode=mode, k=8))
        except PlanError:
            continue
    return plans


@pytest.fixture(scope="module", params=PAPERS, ids=lambda p: p.stem)
def plans(request: pytest.FixtureRequest) -> list[Plan]:
    return _plans(request.param)


def test_the_dataset_is_all_there() -> None:
    assert len(PAPERS) >= 14  # 13 dataset summaries and the bundled example


def test_most_example_papers_get_an_author_plan() -> None:
    planned = sum(1 for path in PAPERS if any(p.mode is Mode.AUTHOR for p in _plans(path)))
    assert planned >= len(PAPERS) - 3


def test_no_name_repeats_itself(plans: list[Plan]) -> None:
    for plan in plans:
        for ablation in plan.ablations:
            for text in (ablation.name, ablation.ablated_part):
                plain = _LISTED.sub("", _VERB.sub("", text))  # "model size (a, b)": a list
                if _LINK.search(plain):
                    part, owner = _LINK.split(plain, maxsplit=1)
                    assert not shares_word(part, owner), text
                assert not _DOUBLED.search(text), text
                assert "*" not in text and "`" not in text, text


def test_hyperparameter_names_keep_their_head_noun(plans: list[Plan]) -> None:
    for plan in plans:
        for ablation in plan.ablations:
            if ablation.name.startswith("Vary the "):
                words = [w for w in _VERB.sub("", ablation.name).split() if not _symbol(w)]
                # a bare "size p" or "rate" says nothing about which size or rate
                assert words and not (len(words) == 1 and words[0] in _BARE_HEADS), ablation.name


def test_the_whole_method_is_never_removed(plans: list[Plan]) -> None:
    for plan in plans:
        names = method_names(plan.paper_title, "")
        for ablation in plan.ablations:
            if ablation.action is Action.REMOVE:
                assert term_key(ablation.ablated_part) not in names, ablation.name
