"""Digests offered to the hybrid planner as grounding: matching, mode filtering, prompt, CLI."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ablab.cli.app import app
from ablab.digest import render_digest
from ablab.digest.offline import digest_offline
from ablab.errors import ConfigError
from ablab.models import FakeModel
from ablab.papers import load_paper
from ablab.papers.views import paper_view
from ablab.planners.grounding import DigestLibrary, digest_grounding, grounding_text
from ablab.planners.hybrid import HybridPlanner
from ablab.runs.digests import run_digests
from ablab.schema import Mode, Paper

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tide.md"


@pytest.fixture(scope="module")
def tide() -> Paper:
    return load_paper(EXAMPLE)


@pytest.fixture(scope="module")
def digest_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("digests")
    asyncio.run(run_digests([EXAMPLE], out=out))
    return out


def test_found_by_record_and_filtered_by_mode(tide: Paper, digest_dir: Path) -> None:
    library = DigestLibrary(digest_dir)
    digest = library.find(tide)
    assert digest is not None and digest.title == tide.title
    author = digest_grounding(paper_view(tide, Mode.AUTHOR), library, Mode.AUTHOR)
    reviewer = digest_grounding(tide, library, Mode.REVIEWER)
    assert "Elastic View Scheduler (EVS) -> Token Relevance Gate (TRG)" in author
    for hidden in ("### Key results", "### Limitations", "### Why it works", "76.1"):
        assert hidden not in author
    assert "### Key results" in reviewer and "### Limitations" in reviewer
    for text in (author, reviewer):  # never another planner's answer
        assert "Next checks" not in text and digest.next_checks[0] not in text


def test_title_match_and_version_check(tide: Paper, tmp_path: Path) -> None:
    card = tmp_path / "card.md"
    card.write_text(render_digest(digest_offline(tide)), encoding="utf-8")
    assert DigestLibrary(card).find(tide) is not None  # a bare file, matched by title
    other = tide.model_copy(update={"title": "Another Paper"})
    assert DigestLibrary(card).find(other) is None

    # A record naming another version of the paper: not this paper's digest.
    stale = tmp_path / "stale"
    stale.mkdir()
    (stale / "tide.digest.md").write_text(card.read_text(encoding="utf-8"), encoding="utf-8")
    (stale / "tide.digest.json").write_text(json.dumps({"paper_hash": "0" * 64}))
    assert DigestLibrary(stale).find(tide) is None


def test_a_paper_read_from_a_digest_gets_no_extra_grounding(digest_dir: Path) -> None:
    paper = load_paper(digest_dir / "tide.digest.md")
    assert digest_grounding(paper, DigestLibrary(digest_dir), Mode.REVIEWER) == ""


@pytest.mark.parametrize("content", [b"\x93\xff binary", b"# a paper, not a digest\n"])
def test_a_digest_file_that_is_not_a_digest_is_a_config_error(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "x.digest.md"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match="not a readable rpa2 digest"):
        DigestLibrary(path)


def test_missing_digest_directory_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such digest file or directory"):
        DigestLibrary(tmp_path / "absent")


def test_hybrid_prompt_carries_the_digest(tide: Paper, digest_dir: Path) -> None:
    grounded = HybridPlanner(FakeModel([]), digests=digest_dir)
    plain = HybridPlanner(FakeModel([]))
    view = paper_view(tide, Mode.REVIEWER)
    with_digest, _ = grounded.build_messages(view, Mode.REVIEWER, 2, structured=True)
    without, _ = plain.build_messages(view, Mode.REVIEWER, 2, structured=True)
    assert "## Digest of the paper" in with_digest[1].content
    assert grounding_text(DigestLibrary(digest_dir).find(tide), Mode.REVIEWER) in (  # type: ignore[arg-type]
        with_digest[1].content
    )
    assert "## Digest of the paper" not in without[1].content
    assert grounded.output_settings["digests"] == str(digest_dir)


def test_plan_cli_hybrid_with_digests(digest_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["plan", str(EXAMPLE), "--mode", "reviewer", "-f", "jsonl", "--no-cache"]
    result = runner.invoke(
        app,
        [*args, "--planner", "hybrid", "--model", "fake/heuristic", "--digests", str(digest_dir)],
    )
    assert result.exit_code == 0, result.output
    assert len(result.stdout.strip().splitlines()) == 2
    wrong = runner.invoke(app, [*args, "--digests", str(digest_dir)])
    assert wrong.exit_code == 2
    assert "--digests grounds the hybrid planner" in " ".join(wrong.output.split())
