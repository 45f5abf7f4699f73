"""An ablation's study design written by a language model, starting from the offline draft.

One request, or two when the first answer cannot be read (the model is told why). A design that
still fails raises :class:`DesignFailure` with the raw answers; a half design is never returned.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import jinja2
from json_repair import repair_json
from pydantic import ValidationError

from ablab._util.aio import run_sync
from ablab.design.model import StudyDesign
from ablab.errors import PlanError
from ablab.models.base import Message, Model, ModelError, ResponseSchema
from ablab.models.cache import aclose_model
from ablab.planners.lm import RESERVED_OUTPUT_TOKENS
from ablab.planners.lm_context import paper_context
from ablab.planners.lm_prompts import quote_paper
from ablab.schema import Ablation, Mode, Paper

_LIST = {"type": "array", "items": {"type": "string"}}
DESIGN_SCHEMA = ResponseSchema(
    name="ablation_design",
    json_schema={
        "type": "object",
        "properties": {
            "research_objective": {"type": "string"},
            "groups": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "description": {"type": "string"},
                        "control": {"type": "boolean"},
                    },
                    "required": ["name", "description", "control"],
                    "additionalProperties": False,
                },
            },
            **{key: _LIST for key in ("datasets", "procedure", "metrics", "controls", "missing")},
        },
        "required": [
            "research_objective",
            "groups",
            "datasets",
            "procedure",
            "metrics",
            "controls",
            "missing",
        ],
        "additionalProperties": False,
    },
)
"""Structured output of a design answer (OpenAI strict-mode compatible)."""
_FIELDS = tuple(DESIGN_SCHEMA.json_schema["required"])


class DesignFailure(PlanError):
    """No usable design could be had; keeps the model's raw answers."""

    def __init__(self, message: str, raw_responses: list[str]) -> None:
        super().__init__(message)
        self.raw_responses = raw_responses
        """The model's answers, verbatim."""


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    folder = resources.files("ablab.design") / "prompts"
    loader = jinja2.DictLoader(
        {entry.name: entry.read_text(encoding="utf-8") for entry in folder.iterdir()}
    )
    # Plain-text prompts: untrusted paper text is only ever placed, never evaluated.
    return jinja2.Environment(loader=loader, autoescape=False, trim_blocks=True)


def _render(template: str, **variables: Any) -> str:
    return _environment().get_template(template).render(**variables).strip() + "\n"


def _draft_json(draft: StudyDesign) -> str:
    fields = draft.model_dump(include=set(_FIELDS))
    return json.dumps(fields, ensure_ascii=False, indent=1)


def read_answer(text: str, draft: StudyDesign, model_name: str) -> StudyDesign:
    """The design in an answer; ValueError with a reason a model can act on."""
    value = repair_json(text or "", return_objects=True)
    if not isinstance(value, dict):
        raise ValueError("the answer is not one JSON object")
    missing = [key for key in _FIELDS if key not in value]
    if missing:
        raise ValueError(f"the object lacks {', '.join(missing)}")
    try:
        return StudyDesign(
            paper_id=draft.paper_id,
            paper_title=draft.paper_title,
            ablation=draft.ablation,
            evidence=draft.evidence,
            made_by=model_name,
            **{key: value[key] for key in _FIELDS},
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"{where}: {first['msg']}") from None


async def alm_design(
    paper: Paper, ablation: Ablation, draft: StudyDesign, model: Model
) -> StudyDesign:
    """Ask ``model`` for the design of ``ablation`` (``draft`` is the offline one)."""
    structured = model.supports_json_schema
    budget = model.context_window - RESERVED_OUTPUT_TOKENS if model.context_window else None
    paper_text, _ = paper_context(paper, Mode.REVIEWER, budget and max(budget - 2_000, 500))
    described = json.dumps(ablation.model_dump(exclude={"evidence"}), ensure_ascii=False)
    messages = [
        Message(role="system", content=_render("system.md.j2", structured=structured)),
        Message(
            role="user",
            content=_render(
                "user.md.j2",
                ablation=described,
                draft=_draft_json(draft),
                paper_text=quote_paper(paper_text),
            ),
        ),
    ]
    schema = DESIGN_SCHEMA if structured else None
    answers: list[str] = []
    try:
        for attempt in range(2):
            answer = await model.generate(messages, schema=schema)
            answers.append(answer.text)
            try:
                return read_answer(answer.text, draft, model.name)
            except ValueError as exc:
                if attempt:
                    raise DesignFailure(
                        f"no usable design after one re-ask: {exc}", answers
                    ) from None
                messages += [
                    Message(role="assistant", content=answer.text or "(empty answer)"),
                    Message(role="user", content=_render("repair.md.j2", error=str(exc))),
                ]
    except ModelError as exc:
        raise DesignFailure(str(exc), answers) from None
    raise AssertionError("unreachable")  # pragma: no cover


def lm_design(paper: Paper, ablation: Ablation, draft: StudyDesign, model: Model) -> StudyDesign:
    """Synchronous :func:`alm_design`, closing the model's client afterwards."""

    async def design_and_close() -> StudyDesign:
        try:
            return await alm_design(paper, ablation, draft, model)
        finally:
            await aclose_model(model)

    return run_sync(design_and_close())
