"""Prompt templates of the language-model planners (Jinja, shipped in ``ablab/prompts/``).

:data:`PROMPT_VERSION` hashes every template with the output-format version, so that editing a
prompt changes the version recorded in plans and in run configurations (a resumed run then redoes
papers planned with the old prompt).
"""

from __future__ import annotations

import functools
import hashlib
import json
from importlib import resources
from typing import Any

import jinja2

from ablab.models.base import Message
from ablab.planners.lm_output import OUTPUT_FORMAT_VERSION, PlanAnswer
from ablab.schema import Mode
from ablab.tasks.schema import response_schema, strict_json_schema

PROMPTS_PACKAGE = "ablab.prompts"


def quote_paper(text: str) -> str:
    """Paper text made safe to put between ``<paper>`` tags: it cannot close the quote early."""
    return str(text).replace("</paper>", "</ paper>").replace("<paper>", "< paper>")


def clip(text: str, limit: int = 140) -> str:
    """``text`` cut to about ``limit`` characters at a word boundary, for short quotes."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja environment over the packaged templates."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ablab", "prompts"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain-text prompts, not HTML
        keep_trailing_newline=False,
        trim_blocks=False,
    )
    env.filters["quote_paper"] = quote_paper
    env.filters["clip"] = clip
    return env


PLANNER_TEMPLATES = frozenset(
    {"system.md.j2", "lm_user.md.j2", "hybrid_user.md.j2", "repair.md.j2"}
    | {"_output_json.md.j2", "_output_text.md.j2"}
)
"""The templates a plan prompt is built from; other features' templates (digests) do not count."""


def _prompt_version() -> str:
    digest = hashlib.sha256(OUTPUT_FORMAT_VERSION.encode())
    # The schema is generated from the answer model: a changed field or description changes
    # what the model is asked, so it counts like a template.
    digest.update(json.dumps(strict_json_schema(PlanAnswer), sort_keys=True).encode())
    for entry in sorted(resources.files(PROMPTS_PACKAGE).iterdir(), key=lambda e: e.name):
        if entry.name in PLANNER_TEMPLATES:
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:12]


PROMPT_VERSION = _prompt_version()
"""Hash of the templates, the answer schema and the output format."""


def render(template: str, **variables: Any) -> str:
    """Render one packaged template."""
    return environment().get_template(template).render(**variables).strip() + "\n"


def system_message(mode: Mode, k: int, *, structured: bool) -> Message:
    """The planners' system message."""
    return Message(
        role="system", content=render("system.md.j2", mode=mode.value, k=k, structured=structured)
    )


def repair_message(error: str, k: int, *, structured: bool, truncated: bool) -> Message:
    """The request sent once after an unreadable answer."""
    return Message(
        role="user",
        content=render(
            "repair.md.j2", error=error, k=k, structured=structured, truncated=truncated
        ),
    )


PLAN_SCHEMA = response_schema("ablation_plan", PlanAnswer)
"""Structured-output schema of a plan answer (OpenAI strict-mode compatible)."""
