"""``ablab parse``, ``ablab render`` and ``ablab schema``: move plans between formats."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from pydantic import BaseModel, ValidationError

from ablab._util.text import reason
from ablab.cli._common import cli_errors, write_stdout
from ablab.design import StudyDesign
from ablab.errors import AblabError
from ablab.formats.trajectory import parse_trajectory, render_plan_markdown
from ablab.schema import Ablation, Analysis, Paper, Plan, Trajectory


class ParsedFormat(StrEnum):
    """Output of ``ablab parse``."""

    json = "json"
    jsonl = "jsonl"


class RenderFormat(StrEnum):
    """Output of ``ablab render``."""

    md = "md"
    jsonl = "jsonl"


SCHEMAS: dict[str, type[BaseModel]] = {
    "plan": Plan,
    "ablation": Ablation,
    "paper": Paper,
    "analysis": Analysis,
    "trajectory": Trajectory,
    "design": StudyDesign,
}


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AblabError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise AblabError(f"{path}: is a directory, expected a file") from None
    except UnicodeDecodeError:
        raise AblabError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise AblabError(f"{path}: cannot be read ({reason(exc)})") from None


def parse(
    trajectory: Path = typer.Argument(..., help="A trajectory Markdown file.", show_default=False),
    fmt: ParsedFormat = typer.Option(ParsedFormat.json, "--format", "-f", help="Output format."),
) -> None:
    """Read a trajectory Markdown file (AblationBench layout) and print it as a plan.

    Example: ablab parse gpt-4o/simsiam.md --format jsonl
    """
    plan = parse_trajectory(_read_text(trajectory), where=str(trajectory)).to_plan()
    write_stdout(plan.to_jsonl() if fmt is ParsedFormat.jsonl else plan.model_dump_json(indent=2))


def render(
    plan_file: Path = typer.Argument(
        ..., help="A plan JSON file (<id>.plan.json).", show_default=False
    ),
    fmt: RenderFormat = typer.Option(RenderFormat.md, "--format", "-f", help="Output format."),
) -> None:
    """Render a plan JSON file as trajectory Markdown (or AblationBench JSONL).

    Example: ablab render runs/demo/paper.plan.json > paper.md
    """
    try:
        plan = Plan.model_validate_json(_read_text(plan_file))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise AblabError(f"{plan_file}: not a plan ({where}: {first['msg']})") from None
    write_stdout(plan.to_jsonl() if fmt is RenderFormat.jsonl else render_plan_markdown(plan))


def schema(
    name: str = typer.Argument("plan", help="One of: " + ", ".join(SCHEMAS) + "."),
) -> None:
    """Print the JSON Schema of a data type (plan, ablation, paper, analysis, trajectory...)."""
    try:
        model = SCHEMAS[name.lower()]
    except KeyError:
        raise AblabError(f"unknown schema {name!r}; choose one of: {', '.join(SCHEMAS)}") from None
    write_stdout(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    """Add ``parse``, ``render`` and ``schema`` to the app."""
    app.command("parse")(cli_errors(parse))
    app.command("render")(cli_errors(render))
    app.command("schema")(cli_errors(schema))
