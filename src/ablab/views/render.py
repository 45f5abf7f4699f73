"""Jinja2 environment shared by the web app and the static report.

Autoescaping is on for every template, so paper-derived text is always shown as text. Markdown
(reasoning traces, digests) is rendered with raw HTML disabled, so it cannot inject markup either.
"""

from __future__ import annotations

import base64
import functools
import re
from datetime import datetime
from importlib import resources
from typing import Any, Protocol

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from ablab.schema import Mode, Paper, Plan


class Links(Protocol):
    """Where the views point: URL paths in the web app, in-page anchors in the report."""

    def plan(self, run: str, paper_id: str) -> str:
        """The page of one plan."""
        ...

    def compare(self, paper_id: str) -> str:
        """The side-by-side comparison of one paper's plans."""
        ...

    def download(self, run: str, paper_id: str, fmt: str) -> str | None:
        """A download of one plan in ``fmt`` (None when it cannot be offered)."""
        ...

    def scores(self, name: str) -> str:
        """The leaderboard of one eval run."""
        ...


@functools.cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def markdown_html(text: str | None) -> Markup:
    """Markdown to HTML with raw HTML escaped (never passed through)."""
    return Markup(_markdown().render(text or ""))


_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def anchor(*parts: str) -> str:
    """An HTML id built from ``parts`` (characters outside ``[A-Za-z0-9_-]`` become ``-``)."""
    return "-".join(_ANCHOR_UNSAFE.sub("-", part) for part in parts)


ABSTRACT_KEY = ""
"""Key of the abstract in :func:`evidence_links` (evidence without a section quotes it)."""


def section_anchor(paper_id: str, section_id: str | None) -> str:
    """The id of a paper section's block (the abstract for None or ``""``)."""
    return anchor("sec", paper_id, section_id or "abstract-")


def plan_box_class(mode: Mode | str) -> str:
    """CSS class of the plan box: purple for the author task, green for the reviewer task."""
    return "plan-box author" if Mode(mode) is Mode.AUTHOR else "plan-box reviewer"


def format_time(value: datetime | None) -> str:
    """A timestamp as ``YYYY-MM-DD HH:MM UTC``."""
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def format_cost(value: float | None) -> str:
    """Money spent: ``$0.0123``, ``free`` for zero, ``unknown`` for None."""
    if value is None:
        return "unknown"
    return "free" if value == 0 else f"${value:.4f}"


def data_uri(data: bytes, media_type: str) -> str:
    """A ``data:`` URI, so the report needs no file beside it."""
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def evidence_links(plan: Plan, paper: Paper | None) -> dict[str, str]:
    """Section ids quoted by the plan's evidence that exist in ``paper`` -> their anchor.

    Evidence without a section id quotes the title or abstract; it is keyed by ``ABSTRACT_KEY``.
    Without the paper nothing can be linked and the mapping is empty.
    """
    if paper is None:
        return {}
    known = {section.id for section in paper.walk()} | {ABSTRACT_KEY}
    quoted = {e.section_id or ABSTRACT_KEY for a in plan.ablations for e in a.evidence}
    return {key: section_anchor(paper.id, key) for key in quoted & known}


def _read_static(name: str) -> str:
    return resources.files("ablab.web").joinpath("static", name).read_text(encoding="utf-8")


@functools.cache
def stylesheet() -> str:
    """The app's CSS, for inlining into the static report."""
    return _read_static("style.css")


@functools.cache
def environment() -> jinja2.Environment:
    """The template environment (autoescaping on, strict undefined variables)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ablab.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(anchor=anchor, section_anchor=section_anchor)
    env.filters.update(
        markdown=markdown_html,
        time=format_time,
        cost=format_cost,
        anchor=anchor,
        section_anchor=section_anchor,
        plan_box_class=plan_box_class,
    )
    return env


def render_template(name: str, **context: Any) -> str:
    """Render one template to a string."""
    return environment().get_template(name).render(**context)
