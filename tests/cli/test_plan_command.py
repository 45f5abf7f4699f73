"""CLI: ``ablab plan`` and ``ablab analyze`` on the bundled example paper, single and batch."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ablab.cli.app import app
from ablab.formats.trajectory import parse_trajectory
from ablab.schema import Action, Mode

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tide.md"
runner = CliRunner()


def test_help_explains_with_examples() -> None:
    result = runner.invoke(app, ["plan", "--help"])
    assert result.exit_code == 0
    assert "--mode" in result.stdout and "reviewer" in result.stdout
    assert "ablab plan examples/tide.md" in result.stdout


def test_plan_prints_trajectory_markdown_when_piped() -> None:
    result = runner.invoke(app, ["plan", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    trajectory = parse_trajectory(result.stdout)
    assert trajectory.mode is Mode.AUTHOR
    assert trajectory.paper_id == "tide"
    assert len(trajectory.ablations) == 5  # author default k


def test_reviewer_jsonl_respects_k() -> None:
    result = runner.invoke(
        app, ["plan", str(EXAMPLE), "--mode", "reviewer", "-k", "3", "-f", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3
    assert {row["action"] for row in rows} <= {a.value for a in Action}


def test_plan_json_has_provenance() -> None:
    result = runner.invoke(app, ["plan", str(EXAMPLE), "-f", "json"])
    plan = json.loads(result.stdout)
    assert plan["planner"] == "heuristic" and plan["model"] == "offline"
    assert plan["paper_hash"] and plan["versions"]["ablab"]


def test_batch_to_run_directory_keeps_going_past_a_bad_paper(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "a_tide.md").write_text(EXAMPLE.read_text("utf-8"), "utf-8")
    (papers / "b_empty.md").write_text("")
    (papers / "c_tide.txt").write_text(EXAMPLE.read_text("utf-8"), "utf-8")
    (papers / "notes.csv").write_text("ignored,file")
    out = tmp_path / "run"
    result = runner.invoke(app, ["plan", str(papers), "--out", str(out), "--mode", "reviewer"])
    assert result.exit_code == 1  # partial failure
    assert "b_empty.md" in result.stderr
    index = json.loads((out / "plans.json").read_text())
    assert set(index) == {"a_tide", "c_tide"}
    for paper_id in index:
        assert (out / f"{paper_id}.jsonl").read_text().count("\n") == 2
        assert parse_trajectory((out / f"{paper_id}.md").read_text()).mode is Mode.REVIEWER
    failures = json.loads((out / "failures.json").read_text())
    assert [Path(f["source"]).name for f in failures] == ["b_empty.md"]


def test_a_single_unreadable_paper_exits_2_with_one_line(tmp_path: Path) -> None:
    binary = tmp_path / "paper.pdf"
    binary.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 10)
    result = runner.invoke(app, ["plan", str(binary)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "paper.pdf" in result.stderr


def test_analyze_json_lists_components_and_metrics() -> None:
    result = runner.invoke(app, ["analyze", str(EXAMPLE), "-f", "json"])
    assert result.exit_code == 0, result.output
    analysis = json.loads(result.stdout)
    acronyms = {c["acronym"] for c in analysis["components"]}
    assert {"CVCM", "APM", "TRG"} <= acronyms
    assert analysis["metrics"], "the example reports metrics in its tables"


def test_same_paper_same_plan() -> None:
    first = runner.invoke(app, ["plan", str(EXAMPLE), "-f", "jsonl", "--mode", "reviewer"])
    second = runner.invoke(app, ["plan", str(EXAMPLE), "-f", "jsonl", "--mode", "reviewer"])
    assert first.stdout == second.stdout


def _unstyled_pdf(path: Path) -> Path:
    """A long PDF whose numbered headings are set in the body font: its structure is suspect."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 17)
    pdf.multi_cell(0, 9, "Slot Memory", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    filler = "Each slot of the memory holds one token and a gate decides what to forget. " * 6
    method = (
        "We propose a slot memory module with a forgetting gate and a slot attention layer. "
        "We set the number of slots to 64 and use a learning rate of 0.001. "
    )
    for heading in ("1 Introduction", "2 Method", "3 Experiments", "4 Conclusion"):
        pdf.multi_cell(0, 5, heading, new_x="LMARGIN", new_y="NEXT")
        if heading == "2 Method":
            pdf.multi_cell(0, 5, method, new_x="LMARGIN", new_y="NEXT")
        for _ in range(6):
            pdf.multi_cell(0, 5, filler, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    pdf.output(str(path))
    return path


def test_plan_and_analyze_show_a_structure_warning(tmp_path: Path) -> None:
    pdf = _unstyled_pdf(tmp_path / "unstyled.pdf")
    for args in (["plan", str(pdf)], ["analyze", str(pdf), "-f", "json"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        warnings = [line for line in result.stderr.splitlines() if "structure looks wrong" in line]
        assert len(warnings) == 1
        assert warnings[0].startswith(f"warning: {pdf}: structure looks wrong")
