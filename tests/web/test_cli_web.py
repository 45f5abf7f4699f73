"""``ablab serve`` and ``ablab report`` on the command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ablab.cli.app import app
from ablab.cli.serve_cmd import allowed_host_headers

runner = CliRunner()


def test_report_writes_one_html_file(runs_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(runs_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "Token Relevance Gate removal" in html
    assert "wrote" in result.stderr


@pytest.mark.parametrize("target", ["missing", "empty"])
def test_report_of_nothing_is_a_one_line_error(tmp_path: Path, target: str) -> None:
    folder = tmp_path / target
    if target == "empty":
        folder.mkdir()
    result = runner.invoke(app, ["report", str(folder), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error:") and "Traceback" not in result.output
    assert not (tmp_path / "r.html").exists()


def test_report_refuses_a_directory_as_output(runs_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(runs_dir), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "is a directory" in result.stderr


def test_serve_binds_to_localhost_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    result = runner.invoke(app, ["serve", "--runs", str(tmp_path / "runs")])
    assert result.exit_code == 0, result.output
    [call] = calls
    assert (call["host"], call["port"]) == ("127.0.0.1", 8000)
    assert call["app"].state.ablab.runs_dir == (tmp_path / "runs").resolve()
    assert "http://127.0.0.1:8000" in result.stderr
    assert "warning" not in result.stderr
    assert call["app"].state.ablab.demo_models is False


def test_serve_can_offer_the_demo_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uvicorn

    apps: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: apps.append(app))
    result = runner.invoke(app, ["serve", "--demo-models", "--runs", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert apps[0].state.ablab.demo_models is True


def test_serve_warns_when_told_to_listen_on_all_interfaces(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    result = runner.invoke(
        app, ["serve", "--host", "0.0.0.0", "--port", "9001", "--runs", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert calls[0]["host"] == "0.0.0.0" and calls[0]["port"] == 9001
    assert "warning" in result.stderr


def test_serve_without_the_web_extra_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    result = runner.invoke(app, ["serve", "--runs", str(tmp_path)])
    assert result.exit_code == 2
    assert "pip install 'ablab[web]'" in result.stderr


def test_serve_refuses_a_file_as_runs_directory(tmp_path: Path) -> None:
    file = tmp_path / "runs"
    file.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["serve", "--runs", str(file)])
    assert result.exit_code == 2 and "not a directory" in result.stderr


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", ["127.0.0.1", "::1", "[::1]", "localhost"]),
        ("192.168.1.5", ["127.0.0.1", "192.168.1.5", "::1", "[::1]", "localhost"]),
        ("0.0.0.0", ["*"]),
    ],
)
def test_host_headers_accepted(host: str, expected: list[str]) -> None:
    assert allowed_host_headers(host) == sorted(expected)
