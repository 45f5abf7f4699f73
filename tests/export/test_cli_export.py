"""``ablab export`` end to end on the bundled paper's plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ablab.cli.app import app

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tide.md"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run")
    result = runner.invoke(app, ["plan", str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_export_hydra_writes_the_script(run_dir: Path, hydra_conf: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["export", str(run_dir), "--to", "hydra", "-c", str(hydra_conf), "-o", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    script = (tmp_path / "tide.hydra.sh").read_text()
    assert "python train.py -m model.cvcm.enabled=false ++ablation=remove-the-cross" in script
    assert "model.teacher_temp=0.004,0.02,0.08,0.4" in script
    assert "score" in result.stderr and "not mapped" in result.stderr


def test_export_prints_sweeps_from_a_plan_file(run_dir: Path) -> None:
    result = runner.invoke(app, ["export", str(run_dir / "tide.md"), "--to", "wandb"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("---\n") == 5  # the full method and five ablations
    assert "no --config given" in result.stderr


def test_export_errors_are_one_line(run_dir: Path, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["export", str(tmp_path / "nope.plan.json"), "--to", "hydra"])
    assert missing.exit_code == 2 and "no such plan" in missing.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("[1, 2]\n")
    result = runner.invoke(app, ["export", str(run_dir), "--to", "hydra", "-c", str(bad)])
    assert result.exit_code == 2 and "must be a mapping" in result.stderr
    assert "Traceback" not in result.output
