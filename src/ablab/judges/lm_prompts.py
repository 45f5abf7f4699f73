"""Prompts of the LM judges (Jinja templates in ``ablab/judges/prompts``) and their schemas."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from typing import Any

import jinja2

from ablab.schema import Ablation

PAIRS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "pairs": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "a": {"type": "string"},
                    "b": {"type": "string"},
                    "reason": {"type": "string"},
                },
                "required": ["a", "b", "reason"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["pairs"],
    "additionalProperties": False,
}
"""Structured output of the author-task judge."""

VERDICTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "verdicts": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "requested": {"type": "boolean"},
                    "evidence": {"type": "string"},
                },
                "required": ["id", "requested", "evidence"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["verdicts"],
    "additionalProperties": False,
}
"""Structured output of the reviewer-task judge."""


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    folder = resources.files("ablab.judges") / "prompts"
    loader = jinja2.DictLoader(
        {entry.name: entry.read_text(encoding="utf-8") for entry in folder.iterdir()}
    )
    # Plain text prompts: no HTML escaping; untrusted text is only ever placed, never evaluated.
    return jinja2.Environment(
        loader=loader, autoescape=False, trim_blocks=True, keep_trailing_newline=True
    )


def render(template: str, **variables: Any) -> str:
    """Render one of the judge templates."""
    return _environment().get_template(template).render(**variables)


def prompt_version() -> str:
    """Short hash of every judge template (changes whenever a prompt changes)."""
    digest = hashlib.sha256()
    for name in sorted(_environment().list_templates()):
        digest.update(render_source(name).encode("utf-8"))
    return digest.hexdigest()[:12]


def render_source(name: str) -> str:
    """The raw text of a template."""
    loader = _environment().loader
    assert isinstance(loader, jinja2.DictLoader)
    return loader.mapping[name]


def describe(ablation: Ablation) -> str:
    """One ablation as compact JSON for a prompt (name, part, action, alternatives)."""
    return json.dumps(
        {
            "name": ablation.name,
            "ablated_part": ablation.ablated_part,
            "action": ablation.action.value,
            "replacement": ablation.replacement,
        },
        ensure_ascii=False,
    )
