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
from pydantic import BaseModel, ConfigDict, ValidationError

from ablab._util.aio import run_sync
from ablab.design.model import Group, StudyDesign
from ablab.errors import PlanError
from ablab.models.base import Completion, Message, Model
from ablab.models.cache import aclose_model
from ablab.models.tokens import estimate_tokens
from ablab.planners.lm_prompts import quote_paper
from ablab.schema import Ablation, Mode, Paper
from ablab.tasks.answers import AnswerError, json_object
from ablab.tasks.context import paper_budget, paper_context
from ablab.tasks.schema import response_schema
from ablab.tasks.structured import TaskFailure, ask_structured


class DesignAnswer(BaseModel):
    """A design answer: the parts of a :class:`StudyDesign` the model writes."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    research_objective: str
    """What the study finds out, in one or two sentences."""
    groups: list[Group]
    """The full method (control: true) and each variant."""
    datasets: list[str]
    """Datasets, as the paper names them."""
    procedure: list[str]
    """Steps, in order."""
    metrics: list[str]
    """What to report."""
    controls: list[str]
    """What stays fixed across groups."""
    missing: list[str]
    """What the paper does not say and the design therefore leaves open."""


DESIGN_SCHEMA = response_schema("ablation_design", DesignAnswer)
"""Structured output of a design answer (OpenAI strict-mode compatible)."""
_FIELDS = tuple(DesignAnswer.model_fields)


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
    """The design in an answer; AnswerError with a reason a model can act on."""
    value = json_object(text)
    missing = [key for key in _FIELDS if key not in value]
    if missing:
        raise AnswerError(f"the object lacks {', '.join(missing)}")
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
        raise AnswerError(f"{where}: {first['msg']}") from None


async def alm_design(
    paper: Paper, ablation: Ablation, draft: StudyDesign, model: Model
) -> StudyDesign:
    """Ask ``model`` for the design of ``ablation`` (``draft`` is the offline one)."""
    described = json.dumps(ablation.model_dump(exclude={"evidence"}), ensure_ascii=False)

    def build(structured: bool) -> list[Message]:
        system = _render("system.md.j2", structured=structured)
        variables = {"ablation": described, "draft": _draft_json(draft)}
        skeleton = _render("user.md.j2", paper_text="", **variables)
        budget = paper_budget(
            context_window=model.context_window,
            overhead=estimate_tokens(system) + estimate_tokens(skeleton),
        )
        paper_text, _ = paper_context(paper, Mode.REVIEWER, budget)
        user = _render("user.md.j2", paper_text=quote_paper(paper_text), **variables)
        return [Message(role="system", content=system), Message(role="user", content=user)]

    def re_ask(error: AnswerError, answer: Completion, structured: bool) -> Message:
        return Message(role="user", content=_render("repair.md.j2", error=str(error)))

    try:
        answer = await ask_structured(
            model,
            schema=DESIGN_SCHEMA,
            build=build,
            read=lambda text: read_answer(text, draft, model.name),
            re_ask=re_ask,
            what="usable design",
        )
    except TaskFailure as exc:
        raise DesignFailure(str(exc), exc.raw_responses) from None
    return answer.value


def lm_design(paper: Paper, ablation: Ablation, draft: StudyDesign, model: Model) -> StudyDesign:
    """Synchronous :func:`alm_design`, closing the model's client afterwards."""

    async def design_and_close() -> StudyDesign:
        try:
            return await alm_design(paper, ablation, draft, model)
        finally:
            await aclose_model(model)

    return run_sync(design_and_close())
