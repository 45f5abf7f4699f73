"""``ablab serve``: the local web app (upload a paper, browse runs, compare plans)."""

from __future__ import annotations

from pathlib import Path

import typer

from ablab.cli._common import cli_errors, err_console, escape
from ablab.errors import ConfigError

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
"""Addresses that only this machine can reach."""


def allowed_host_headers(host: str) -> list[str]:
    """Host headers to accept: the localhost names, plus ``host`` (any, for a wildcard bind)."""
    if host in ("0.0.0.0", "::", ""):
        return ["*"]
    return sorted({"127.0.0.1", "localhost", "::1", "[::1]", host})


def serve(
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        help="Address to listen on. The default is reachable from this machine only.",
    ),
    port: int = typer.Option(8000, "--port", "-p", min=1, max=65535, help="Port to listen on."),
    runs: Path = typer.Option(
        Path("runs"),
        "--runs",
        help="Runs directory: each sub-folder is a run (plans of one planner/model). "
        "Plans made in the browser are saved here too.",
    ),
    max_upload_mb: float = typer.Option(
        20.0, "--max-upload-mb", min=0.1, help="Largest upload accepted, in MB."
    ),
    workers: int = typer.Option(
        2, "--workers", min=1, max=16, help="Background jobs run at the same time."
    ),
    demo_models: bool = typer.Option(
        False,
        "--demo-models",
        help="Also offer the offline fake model (fake/heuristic): the language-model planners "
        "without a key.",
    ),
) -> None:
    """Serve the web app: plan papers in the browser, browse and compare runs.

    Examples:

      ablab serve                        # http://127.0.0.1:8000, plans under ./runs

      ablab serve --runs runs --port 8080
    """
    try:
        import uvicorn

        from ablab.web.app import create_app
    except ImportError as exc:
        raise ConfigError(
            f"the web app needs the 'web' extra ({exc.name} is missing): pip install 'ablab[web]'"
        ) from None
    if runs.exists() and not runs.is_dir():
        raise ConfigError(f"--runs {runs}: not a directory")
    app = create_app(
        runs,
        max_upload_bytes=int(max_upload_mb * 1024 * 1024),
        workers=workers,
        allowed_hosts=allowed_host_headers(host),
        demo_models=demo_models,
    )
    if host not in LOCAL_HOSTS:
        err_console.print(
            f"[bold yellow]warning:[/] listening on {escape(host)}: anyone who can reach this "
            "machine can use the app and read the runs directory"
        )
    shown = f"[{host}]" if ":" in host else host
    err_console.print(
        f"ablab is serving {escape(str(runs.resolve()))} at http://{escape(shown)}:{port} "
        "(Ctrl+C to stop)"
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the app."""
    app.command("serve")(cli_errors(serve))
