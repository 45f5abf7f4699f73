"""The ``ablab`` Typer application; each command group lives in its own module."""

from __future__ import annotations

import logging

import typer

from ablab._util.version import __version__
from ablab.cli import (
    analyze_cmd,
    bench_cmd,
    cache_cmd,
    digest_cmd,
    eval_cmd,
    format_cmd,
    models_cmd,
    plan_cmd,
    report_cmd,
    serve_cmd,
    show_cmd,
)

app = typer.Typer(
    name="ablab",
    help=(
        "Plan and judge ablation studies of machine-learning papers.\n\n"
        "Works offline by default (deterministic analyzer and planner, no key, no network).\n\n"
        "Examples:\n\n"
        "  ablab plan examples/tide.md                 # author mode, 5 ablations\n\n"
        "  ablab plan examples/tide.md --mode reviewer # the missing ablations\n\n"
        "  ablab plan papers/ --out runs/demo           # a folder of papers -> a run directory\n\n"
        "  ablab analyze examples/tide.md              # components, hyperparameters, metrics\n\n"
        "  ablab digest examples/tide.md               # a paper digest (rpa2 Markdown)"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ablab {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Plan and judge ablation studies of machine-learning papers."""
    # pypdf logs every repair it makes on a damaged PDF; the CLI reports one line per paper.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)


plan_cmd.register(app)
analyze_cmd.register(app)
format_cmd.register(app)
models_cmd.register(app)
cache_cmd.register(app)
show_cmd.register(app)
eval_cmd.register(app)
bench_cmd.register(app)
digest_cmd.register(app)
serve_cmd.register(app)
report_cmd.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
