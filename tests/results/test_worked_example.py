"""The README's worked example, from `ablab plan` to `ablab table`, on the bundled paper."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ablab.cli.app import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "tide"
    result = runner.invoke(app, ["plan", str(EXAMPLES / "tide.md"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_results_file_is_what_the_script_writes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make", EXAMPLES / "make_tide_results.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.main(tmp_path / "r.csv")
    assert written.read_bytes() == (EXAMPLES / "tide-results.csv").read_bytes()


def test_export_maps_the_plan_onto_the_example_config(run_dir: Path) -> None:
    config = EXAMPLES / "tide-conf" / "config.yaml"
    result = runner.invoke(
        app, ["export", str(run_dir), "--to", "hydra", "--config", str(config), "--seeds", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "model.cvcm.enabled=false seed=0,1,2" in result.stdout
    assert "model.student_temp=0.007,0.035,0.14,0.7 seed=0,1,2" in result.stdout
    assert "Not mapped" not in result.stdout  # every item of the example plan has a key


def test_table_from_the_example_results(run_dir: Path, tmp_path: Path) -> None:
    plot = tmp_path / "tide.png"
    result = runner.invoke(
        app,
        ["table", str(EXAMPLES / "tide-results.csv"), "--plan", str(run_dir), "--plot", str(plot)],
    )
    assert result.exit_code == 0, result.output
    table = result.stdout
    # Every label of the results file is an item (and variant) of the plan.
    assert "not in the plan" not in table and "not an ablation" not in table
    assert "| 3. Vary the teacher temperature τ_t | τ_t = 0.4 |" in table
    assert "| 5. Vary the student temperature τ | τ = 0.035 |" in table
    assert "Vary the student temperature τ / τ = 0.7: a single seed" in table
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    latex = runner.invoke(
        app,
        [
            "table",
            str(EXAMPLES / "tide-results.csv"),
            "-p",
            str(run_dir),
            "-f",
            "latex",
            "--ci",
            "bootstrap",
        ],
    )
    assert latex.exit_code == 0 and "\\toprule" in latex.stdout


def test_table_errors_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "r.csv"
    bad.write_text("ablation,metric,value\nfull,acc,x\n")
    result = runner.invoke(app, ["table", str(bad)])
    assert result.exit_code == 2 and "is not a number" in result.stderr
    result = runner.invoke(app, ["table", str(EXAMPLES / "tide-results.csv"), "--plot", "x.gif"])
    assert result.exit_code == 2 and ".png or .svg" in result.stderr
