"""CLI: parse, render and schema, with their error paths."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ablab.cli.app import app

runner = CliRunner()


def test_parse_then_render_reproduces_the_fixture(trajectories_dir: Path, tmp_path: Path) -> None:
    source = trajectories_dir / "claude-35-sonnet" / "galore.md"
    parsed = runner.invoke(app, ["parse", str(source)])
    assert parsed.exit_code == 0, parsed.output
    plan_json = tmp_path / "galore.plan.json"
    plan_json.write_text(parsed.stdout)
    assert json.loads(parsed.stdout)["model"] == "claude-3.5-sonnet"
    rendered = runner.invoke(app, ["render", str(plan_json)])
    assert rendered.exit_code == 0
    # the CLI ends files with a newline; the published file has none
    assert rendered.stdout == source.read_text("utf-8") + "\n"


def test_parse_to_jsonl_gives_ablationbench_objects(trajectories_dir: Path) -> None:
    result = runner.invoke(
        app, ["parse", str(trajectories_dir / "gpt-4o" / "simsiam.md"), "-f", "jsonl"]
    )
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 5
    assert all(
        list(row) == ["name", "ablated_part", "action", "replacement", "metrics"] for row in rows
    )


def test_schema_lists_plan_fields() -> None:
    result = runner.invoke(app, ["schema", "plan"])
    schema = json.loads(result.stdout)
    assert {"paper_id", "mode", "ablations", "reasoning"} <= set(schema["properties"])
    assert "description" in schema["properties"]["ablations"]


def test_unknown_schema_is_a_clear_error() -> None:
    result = runner.invoke(app, ["schema", "nope"])
    assert result.exit_code == 2
    assert "unknown schema 'nope'" in result.stderr


def test_missing_and_malformed_files_exit_2_without_traceback(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["parse", str(tmp_path / "absent.md")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    binary = tmp_path / "bin.md"
    binary.write_bytes(b"\x00\xff\xfe" * 100)
    garbled = runner.invoke(app, ["parse", str(binary)])
    assert garbled.exit_code == 2
    not_plan = tmp_path / "x.plan.json"
    not_plan.write_text('{"paper_id": 3}')
    bad = runner.invoke(app, ["render", str(not_plan)])
    assert bad.exit_code == 2 and "not a plan" in bad.stderr
    for result in (missing, garbled, bad):
        assert "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1
