"""Prompts of the LM judges (Jinja templates in ``ablab/judges/prompts``) and their schemas."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from typing import Any

import jinja2
from pydantic import BaseModel, ConfigDict

from ablab.schema import Ablation
from ablab.tasks.schema import strict_json_schema


class _Answer(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)


class Pair(_Answer):
    """Two items, one of each list, that are the same experiment."""

    a: str
    """Id of the item in list A."""
    b: str
    """Id of the item in list B."""
    reason: str
    """Why they are the same experiment, in a short sentence."""


class PairsAnswer(_Answer):
    """The author-task answer."""

    pairs: list[Pair]
    """Every pair of items that are the same experiment (empty when none are)."""


class Verdict(_Answer):
    """Whether the reviews request one planned ablation."""

    id: str
    """Id of the planned ablation."""
    requested: bool
    """Whether a review asks for this experiment."""
    evidence: str
    """The review's words that ask for it, or why none does."""


class VerdictsAnswer(_Answer):
    """The reviewer-task answer."""

    verdicts: list[Verdict]
    """One verdict per planned ablation."""


PAIRS_SCHEMA: dict[str, Any] = strict_json_schema(PairsAnswer)
"""Structured output of the author-task judge."""

VERDICTS_SCHEMA: dict[str, Any] = strict_json_schema(VerdictsAnswer)
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
    """Short hash of every judge template and schema (changes whenever a prompt changes)."""
    digest = hashlib.sha256()
    for schema in (PAIRS_SCHEMA, VERDICTS_SCHEMA):  # generated: a changed field changes the ask
        digest.update(json.dumps(schema, sort_keys=True).encode("utf-8"))
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
