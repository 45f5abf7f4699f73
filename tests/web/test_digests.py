"""Stored rpa2 digests: found in the runs directory, split for display, kept inside it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ablab.web.digests import digest_path, digest_run_name, list_digests, split_digest
from ablab.web.store import NotFound, RunStore


@pytest.fixture
def digest_runs(tmp_path: Path, seeds_dir: Path) -> Path:
    """A runs directory holding the rpa2 seed as a stored digest."""
    root = tmp_path / "runs"
    (root / "web-digests").mkdir(parents=True)
    seed = next(seeds_dir.glob("002_*.txt"))
    shutil.copy(seed, root / "web-digests" / "mlfe.digest.md")
    return root


def test_stored_digests_are_listed_with_their_titles(digest_runs: Path) -> None:
    [entry] = list_digests(RunStore(digest_runs))
    assert (entry.run, entry.paper_id) == ("web-digests", "mlfe")
    assert entry.title == "Machine Learning from Explanations"


def test_digest_splits_into_frontmatter_and_body(digest_runs: Path) -> None:
    text = (digest_runs / "web-digests" / "mlfe.digest.md").read_text(encoding="utf-8")
    front, body = split_digest(text)
    assert front["ver"] == "rpa2" and front["arxiv_id"] == "2507.04788"
    assert "training" in front["tags"]
    assert body.startswith("# Machine Learning from Explanations")
    assert "## Quick Facts" in body


@pytest.mark.parametrize(
    "text",
    [
        "no frontmatter\n",
        "---\nunclosed: yes\n",
        "---\n- a list\n---\nbody\n",
        "---\n: : :\n---\nx",
    ],
)
def test_odd_frontmatter_gives_an_empty_mapping(text: str) -> None:
    front, body = split_digest(text)
    assert front == {}
    assert body


def test_digest_lookups_stay_inside_the_runs_directory(digest_runs: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.digest.md").write_text("---\ntitle: s\n---\n", encoding="utf-8")
    store = RunStore(digest_runs)
    assert digest_path(store, "web-digests", "mlfe").name == "mlfe.digest.md"
    for run, paper_id in [("..", "secret"), ("web-digests", "../../secret"), ("web-digests", "x")]:
        with pytest.raises(NotFound):
            digest_path(store, run, paper_id)


def test_digest_runs_are_named_by_model() -> None:
    assert digest_run_name(None) == "web-digests"
    assert digest_run_name("openai/gpt-4o") == "web-digests-openai-gpt-4o"


def test_a_digest_folder_is_not_a_plan_run(digest_runs: Path) -> None:
    assert RunStore(digest_runs).runs() == []
