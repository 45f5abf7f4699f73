"""The root command loads nothing it does not need, and its command list tells the truth."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from ablab.cli.app import COMMANDS, app, load_command

runner = CliRunner()


def test_every_listed_command_exists_with_the_listed_summary() -> None:
    for name, (_, summary) in COMMANDS.items():
        command = load_command(name)
        assert command is not None, name
        assert " ".join((command.help or "").split()).startswith(summary), name


def test_version_and_help_import_no_command_and_no_library_layer() -> None:
    code = (
        "import sys\nfrom ablab.cli.app import main\nsys.argv = ['ablab', '{flag}']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('ablab.')))"
    )
    for flag in ("--version", "--help"):
        done = subprocess.run(
            [sys.executable, "-c", code.format(flag=flag)], capture_output=True, text=True
        )
        loaded = done.stdout.strip().splitlines()[-1]
        assert "ablab.api" not in loaded and "ablab.cli.plan_cmd" not in loaded, flag
        assert "ablab.schema" not in loaded, flag


def test_root_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.stdout
