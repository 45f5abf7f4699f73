"""``ablab digest`` and the digest batch: printing, run directories, resume, failures."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from typer.testing import CliRunner

from ablab.cli.app import app
from ablab.digest import Digest, parse_digest
from ablab.runs.digests import FAILURES_FILE, INDEX_FILE, read_index, run_digests
from ablab.schema import Mode

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tide.md"
runner = CliRunner()


def test_digest_prints_rpa2_markdown() -> None:
    result = runner.invoke(app, ["digest", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    digest = parse_digest(result.stdout)
    assert digest.title.startswith("TIDE: Teacher-Informed Distillation")
    assert result.stdout.startswith("---\nver: rpa2\n")


def test_digest_json_format() -> None:
    result = runner.invoke(app, ["digest", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    digest = Digest.model_validate_json(result.stdout)
    assert digest.architecture.component_map


def test_run_directory_is_written_and_resumed(tmp_path: Path) -> None:
    out = tmp_path / "digests"
    first = runner.invoke(app, ["digest", str(EXAMPLE), "--out", str(out)])
    assert first.exit_code == 0, first.output
    md = out / "tide.digest.md"
    record = json.loads((out / "tide.digest.json").read_text(encoding="utf-8"))
    assert record["model"] == "offline" and record["paper_id"] == "tide"
    assert read_index(out)["tide"]["digest"] == "tide.digest.md"
    text = md.read_text(encoding="utf-8")

    second = runner.invoke(app, ["digest", str(EXAMPLE), "--out", str(out)])
    assert second.exit_code == 0, second.output
    assert "skipped" in second.output
    again = json.loads((out / "tide.digest.json").read_text(encoding="utf-8"))
    assert again["created_at"] == record["created_at"]  # not rewritten
    assert md.read_text(encoding="utf-8") == text


def test_unfinished_or_changed_papers_are_redone(tmp_path: Path) -> None:
    paper = tmp_path / "tide.md"
    paper.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    run = asyncio.run(run_digests([paper], out=out))
    assert [r.status for r in run.results] == ["done"]

    # A crash after the digest file but before the index entry: the paper is not finished.
    index = read_index(out)
    (out / INDEX_FILE).write_text("{}", encoding="utf-8")
    run = asyncio.run(run_digests([paper], out=out))
    assert [r.status for r in run.results] == ["done"]
    assert read_index(out) == index

    # The paper changed: its digest is written again.
    paper.write_text(paper.read_text(encoding="utf-8") + "\n## 7 Note\n\nA late note.\n")
    run = asyncio.run(run_digests([paper], out=out))
    assert [r.status for r in run.results] == ["done"]
    assert read_index(out)["tide"]["config"] != index["tide"]["config"]


def test_a_bad_paper_fails_alone(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["digest", str(EXAMPLE), str(empty), "--out", str(out)])
    assert result.exit_code == 1  # partial failure
    assert (out / "tide.digest.md").exists()
    failures = json.loads((out / FAILURES_FILE).read_text(encoding="utf-8"))
    assert [f["source"] for f in failures] == [str(empty)]
    assert "empty" in failures[0]["error"]


def test_missing_paper_is_a_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["digest", str(tmp_path / "nope.md")])
    assert result.exit_code == 2
    assert "no such file" in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_digest_can_be_planned_as_the_paper(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert runner.invoke(app, ["digest", str(EXAMPLE), "--out", str(out)]).exit_code == 0
    result = runner.invoke(
        app, ["plan", str(out / "tide.digest.md"), "--mode", Mode.REVIEWER.value, "-f", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 2
    assert all(
        set(row) == {"name", "ablated_part", "action", "replacement", "metrics"} for row in rows
    )
