"""Every command on hostile input: a one-line error and exit code 2, never a traceback, and
nothing written outside the output directory."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from ablab.cli.app import app
from lm_server import LocalOpenAIServer, Reply, plan_answer

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "tide.md"
DATASETS = REPO / "examples" / "datasets"
runner = CliRunner()


def _one_line_error(result: Result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    for needle in needles:
        assert needle in lines[0]


def _summary_dir(tmp_path: Path) -> Path:
    out = tmp_path / "judged"
    args = ["eval", "-d", str(DATASETS / "author.jsonl"), "--plans"]
    result = runner.invoke(app, [*args, str(DATASETS / "runs" / "demo-author"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("command", ["plan", "digest", "eval", "bench", "leaderboard"])
def test_output_path_that_is_a_file(tmp_path: Path, command: str) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("mine\n")
    target = str(blocker / "sub") if command == "leaderboard" else str(blocker)
    args = {
        "plan": ["plan", str(EXAMPLE), "-o", target],
        "digest": ["digest", str(EXAMPLE), "-o", target],
        "eval": [
            *("eval", "-d", str(DATASETS / "author.jsonl")),
            *("--plans", str(DATASETS / "runs" / "demo-author"), "-o", target),
        ],
        "bench": ["bench", "-d", str(DATASETS / "author.jsonl"), "-o", target],
        "leaderboard": ["leaderboard", str(_summary_dir(tmp_path)), "--plot", target],
    }[command]
    _one_line_error(runner.invoke(app, args), str(blocker))
    assert blocker.read_text() == "mine\n"


def _dataset_with_id(tmp_path: Path, paper_id: str) -> Path:
    row = json.loads((DATASETS / "author.jsonl").read_text().splitlines()[0])
    row["id"] = paper_id
    data = tmp_path / "data"
    data.mkdir()
    (data / "papers").symlink_to(DATASETS / "papers")
    path = data / "author.jsonl"
    path.write_text(json.dumps(row) + "\n")
    return path


@pytest.mark.parametrize("paper_id", ["../../escaped", "/tmp/escaped", "a/b", ".."])
@pytest.mark.parametrize("command", ["bench", "eval"])
def test_dataset_ids_cannot_name_files_outside_the_output(
    tmp_path: Path, paper_id: str, command: str
) -> None:
    dataset = _dataset_with_id(tmp_path, paper_id)
    out = tmp_path / "deep" / "out"
    plans = tmp_path / "plans.md"
    plans.write_text("x")
    before = set(tmp_path.rglob("*"))
    if command == "bench":
        args = ["bench", "-d", str(dataset), "-o", str(out)]
    else:
        args = ["eval", "-d", str(dataset), "--plans", str(plans), "-o", str(out)]
    _one_line_error(runner.invoke(app, args), "id")
    assert set(tmp_path.rglob("*")) - before <= {out, out.parent, *out.rglob("*")}
    assert not Path("/tmp/escaped.jsonl").exists()


def test_non_utf8_dataset(tmp_path: Path) -> None:
    dataset = tmp_path / "latin.jsonl"
    dataset.write_bytes(b'{"id": "caf\xe9", "ablations_in_paper": "[]"}\n')
    for command in (["eval", "--plans", str(DATASETS / "runs" / "demo-author")], ["eval-judge"]):
        extra = ["--judgements", str(tmp_path)] if command == ["eval-judge"] else []
        _one_line_error(runner.invoke(app, [*command, "-d", str(dataset), *extra]), "UTF-8")


def test_non_utf8_plan_in_a_run_directory_is_reported_per_paper(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    for name in ("simsiam", "dit", "swin-transformer"):
        source = DATASETS / "runs" / "demo-author" / f"{name}.jsonl"
        (run / f"{name}.jsonl").write_bytes(source.read_bytes())
    (run / "dit.jsonl").write_bytes(b"\x93\xff not text")
    args = ["eval", "-d", str(DATASETS / "author.jsonl"), "--plans", str(run), "-o", str(run / "e")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    records = json.loads((run / "e" / "evaluations.json").read_text())
    dit = next(r for r in records if r["id"] == "dit")
    assert any("UTF-8" in w or "utf-8" in w for w in dit["warnings"])


@pytest.mark.parametrize("command", ["parse", "render", "show"])
def test_unreadable_file_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    # Tests run as root, where chmod does not stop reading: simulate "permission denied".
    target = tmp_path / "run"
    target.mkdir()
    (target / "plans.json").write_text("{}")
    (target / "x.md").write_text("x")

    def denied(self: Path, *args: object, **kwargs: object) -> str:
        raise PermissionError(13, "Permission denied", str(self))

    opener = Path.open

    def open_denied(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.parent == target:  # plans.json is read as a stream
            denied(self)
        return opener(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", denied)
    monkeypatch.setattr(Path, "open", open_denied)
    path = target if command == "show" else target / "x.md"
    _one_line_error(runner.invoke(app, [command, str(path)]), "Permission denied")


@pytest.mark.parametrize("plans_index", ["{not json", '{"tide": 5}', "[1, 2]"])
def test_corrupt_run_directory(tmp_path: Path, plans_index: str) -> None:
    run = tmp_path / "run"
    assert runner.invoke(app, ["plan", str(EXAMPLE), "-o", str(run)]).exit_code == 0
    (run / "plans.json").write_text(plans_index)
    _one_line_error(runner.invoke(app, ["plan", str(EXAMPLE), "-o", str(run)]), "plans.json")
    _one_line_error(runner.invoke(app, ["show", str(run)]), "plans.json")
    assert (run / "plans.json").read_text() == plans_index  # left for the user to look at


def test_damaged_pdf_gives_one_line_without_library_log_noise(tmp_path: Path) -> None:
    # A real process: under pytest, log records go to its capture, not to stderr.
    from fpdf import FPDF

    writer = FPDF()
    writer.add_page()
    writer.set_font("Helvetica", size=11)
    writer.multi_cell(0, 6, "A Method. We use a KL loss with temperature 0.5. " * 20)
    pdf = bytes(writer.output())
    damaged = re.sub(rb"stream\r?\n.*?endstream", b"stream\nbroken\nendstream", pdf, flags=re.S)
    (tmp_path / "damaged.pdf").write_bytes(damaged.replace(b"startxref\n", b"startxref\n1"))
    done = subprocess.run(
        [sys.executable, "-c", "from ablab.cli.app import main; main()", "plan", "damaged.pdf"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "error: damaged.pdf: PDF has no extractable text (a scanned document?)"
    ]


@pytest.mark.parametrize(
    ("command", "planner", "needle"),
    [
        ("digest", "bogus", "unknown planner 'bogus'"),
        ("digest", "lm", "model"),
        ("bench", "bogus", "unknown planner 'bogus'"),
        ("bench", "lm", "model"),
    ],
)
def test_unusable_planner_stops_before_any_paper(
    tmp_path: Path, command: str, planner: str, needle: str
) -> None:
    out = tmp_path / "out"
    source = ["-d", str(DATASETS / "author.jsonl")] if command == "bench" else [str(EXAMPLE)]
    _one_line_error(runner.invoke(app, [command, *source, "-p", planner, "-o", str(out)]), needle)
    assert not any(out.rglob("*.md"))


def test_bench_with_failed_papers_exits_1(tmp_path: Path) -> None:
    # No paper file and an abstract with nothing to ablate: planning fails for that paper.
    dataset = tmp_path / "author.jsonl"
    row = {"id": "empty", "paper_abstract": "Short.", "ablations_in_paper": "[]"}
    dataset.write_text(json.dumps(row) + "\n")
    result = runner.invoke(app, ["bench", "-d", str(dataset), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "failed 1" in result.stderr


@pytest.mark.parametrize("content", ['{"x": 1}', "{bad", "[]"])
def test_leaderboard_of_a_damaged_summary(tmp_path: Path, content: str) -> None:
    (tmp_path / "summary.json").write_text(content)
    _one_line_error(runner.invoke(app, ["leaderboard", str(tmp_path)]), "summary.json")


@pytest.mark.parametrize("command", ["eval", "bench"])
def test_missing_papers_folder(tmp_path: Path, command: str) -> None:
    args = [command, "-d", str(DATASETS / "author.jsonl"), "--papers", str(tmp_path / "none")]
    if command == "eval":
        args += ["--plans", str(DATASETS / "runs" / "demo-author")]
    else:
        args += ["-o", str(tmp_path / "out")]
    _one_line_error(runner.invoke(app, args), "none")


@pytest.mark.parametrize("content", [b"", b"# not a trajectory\n", b"\x93\xff"])
def test_eval_of_one_unreadable_trajectory_is_an_error(tmp_path: Path, content: bytes) -> None:
    # Scoring every paper as an empty plan would hide the mistake behind a row of zeros.
    plans = tmp_path / "plan.md"
    plans.write_bytes(content)
    args = ["eval", "-d", str(DATASETS / "author.jsonl"), "--plans", str(plans)]
    _one_line_error(runner.invoke(app, args), "plan.md")


def test_run_directory_beside_the_papers_never_overwrites_them(tmp_path: Path) -> None:
    # `ablab plan paper.md -o .` would write the trajectory as paper.md over the paper.
    paper = tmp_path / "tide.md"
    paper.write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "notes.jsonl").write_text('{"my": "data"}\n')
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\n## Method\n\nWe use a KL divergence loss and a teacher.\n")
    result = runner.invoke(app, ["plan", str(paper), str(notes), "-o", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert paper.read_bytes() == EXAMPLE.read_bytes()
    assert notes.read_text().startswith("# Notes")
    assert (tmp_path / "notes.jsonl").read_text() == '{"my": "data"}\n'
    assert "not written by ablab" in result.stderr
    # A run directory of its own is fine, and a rerun overwrites ablab's own files.
    for _ in range(2):
        again = runner.invoke(app, ["plan", str(paper), "-o", str(tmp_path / "run")])
        assert again.exit_code == 0, again.output


def test_the_request_time_out_can_be_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paper = tmp_path / "paper.md"
    paper.write_text("# Gated memory\n\n## Method\n\nA gate decides what the memory keeps.\n")
    # A hosted API (a local server is never sent a timed-out request again: it is still busy).
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    with LocalOpenAIServer() as server:
        server.enqueue(Reply.slow(2.0, plan_answer()), Reply.text(plan_answer()))
        args = ["plan", str(paper), "--model", "openai/m", "--base-url", server.base_url]
        result = runner.invoke(app, [*args, "--timeout", "1", "--no-cache", "-f", "jsonl"])
        assert result.exit_code == 0, result.output
        assert len(server.requests) == 2  # the first request was abandoned after 1 s


def test_loader_warnings_are_shown_by_analyze_and_plan(tmp_path: Path) -> None:
    paper = tmp_path / "utf16.md"
    text = "# Gated memory\n\n## Method\n\nA gated memory module with a learned gate.\n"
    paper.write_bytes(text.encode("utf-16"))
    for command in (["analyze", str(paper), "-f", "json"], ["plan", str(paper), "-f", "jsonl"]):
        result = runner.invoke(app, command)
        assert "decoded as UTF-16" in result.stderr, command
