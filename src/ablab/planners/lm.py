"""The ``lm`` planner: a language model reads the paper and proposes ranked ablations.

One plan takes one request, or two when the first answer cannot be read: the model is then told
what was wrong and asked once more. If that fails too the paper is reported as failed with the
raw answers kept (:class:`PlanFailure`); an empty plan is never returned as a result.

The planner receives a :class:`~ablab.models.Model` (or a model name); it never builds an HTTP
client itself, so a cache, a call log or a fake model can stand in for the real endpoint.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from ablab._util.aio import run_sync
from ablab._util.version import __version__
from ablab.errors import ConfigError, PlanError
from ablab.models.base import Completion, GenerateParams, Message, Model
from ablab.models.cache import aclose_model
from ablab.models.registry import get_model
from ablab.models.tokens import estimate_tokens
from ablab.planners.lm_output import parse_plan_response
from ablab.planners.lm_prompts import (
    PLAN_SCHEMA,
    PROMPT_VERSION,
    render,
    repair_message,
    system_message,
)
from ablab.schema import Mode, Paper, Plan, Usage
from ablab.tasks.answers import AnswerError
from ablab.tasks.context import (
    RESERVED_OUTPUT_TOKENS,
    ContextReport,
    paper_budget,
    paper_context,
)
from ablab.tasks.structured import TaskFailure, ask_structured

_SHORTENED_NOTE = (
    "The paper below was shortened to fit the context budget; the sections left out are named "
    "at its end."
)


@dataclass
class PlanOutcome:
    """A plan with the details of how it was made."""

    plan: Plan
    """The plan."""
    context: ContextReport
    """How the paper was fitted into the prompt."""
    completions: list[Completion]
    """Every answer received (two when the first had to be re-asked)."""
    notes: list[str] = field(default_factory=list)
    """What had to be mended in the answer."""

    def details(self) -> dict[str, Any]:
        """What the run log keeps: how the paper was fitted and what was mended."""
        return {"context": self.context.to_dict(), "notes": self.notes}


class PlanFailure(PlanError):
    """No valid plan could be had; keeps the raw answers for inspection."""

    def __init__(
        self,
        message: str,
        *,
        paper_id: str,
        raw_responses: list[str],
        usage: Usage,
        context: ContextReport | None,
    ) -> None:
        super().__init__(message)
        self.paper_id = paper_id
        """Id of the paper."""
        self.raw_responses = raw_responses
        """The model's answers, verbatim."""
        self.usage = usage
        """What the failed attempt cost."""
        self.context = context
        """How the paper was fitted into the prompt, if it got that far."""


class LMPlanner:
    """Plans with a language model reading the paper text (budgeted to the model's context)."""

    name = "lm"
    template = "lm_user.md.j2"

    def __init__(
        self,
        model: Model | str,
        *,
        max_input_tokens: int | None = None,
        params: GenerateParams | None = None,
        **model_options: Any,
    ) -> None:
        if isinstance(model, str):
            model = get_model(model, **model_options)
        elif model_options:
            raise ConfigError(f"model options {sorted(model_options)} need a model name")
        self.model = model
        self.max_input_tokens = max_input_tokens
        self.params = params or GenerateParams()

    def with_model(self, model: Model) -> LMPlanner:
        """A copy of this planner that talks to ``model`` (e.g. a logging wrapper of its own)."""
        twin = copy.copy(self)
        twin.model = model
        return twin

    @property
    def output_settings(self) -> dict[str, str]:
        """Everything besides paper, model, mode and k that changes this planner's output."""
        return {
            "prompt": PROMPT_VERSION,
            "max_input_tokens": str(self.max_input_tokens),
            "params": json.dumps(self.params.model_dump(), sort_keys=True),
        }

    def input_budget(self) -> int | None:
        """Tokens the whole prompt may take: the window less the answer, capped by the option."""
        limits = []
        if self.model.context_window:
            reserved = self.params.max_output_tokens or RESERVED_OUTPUT_TOKENS
            limits.append(self.model.context_window - reserved)
        if self.max_input_tokens:
            limits.append(self.max_input_tokens)
        return min(limits) if limits else None

    # Hooks for the hybrid planner.
    def _prompt_variables(self, paper: Paper, mode: Mode) -> dict[str, Any]:
        return {}

    def _paper_cap(self) -> int | None:
        return None

    def build_messages(
        self, paper: Paper, mode: Mode, k: int, *, structured: bool
    ) -> tuple[list[Message], ContextReport]:
        """The request for ``paper``, with the paper fitted into the input budget."""
        system = system_message(mode, k, structured=structured)
        variables = {"mode": mode.value, "k": k, **self._prompt_variables(paper, mode)}
        skeleton = render(self.template, paper_text="", note=_SHORTENED_NOTE, **variables)
        budget = paper_budget(
            context_window=self.model.context_window,
            overhead=estimate_tokens(system.content) + estimate_tokens(skeleton),
            max_output_tokens=self.params.max_output_tokens,
            max_input_tokens=self.max_input_tokens,
            cap=self._paper_cap(),
        )
        paper_text, report = paper_context(paper, mode, budget)
        note = _SHORTENED_NOTE if report.dropped or report.shortened else ""
        user = render(self.template, paper_text=paper_text, note=note, **variables)
        report.prompt_tokens = estimate_tokens(system.content) + estimate_tokens(user)
        return [system, Message(role="user", content=user)], report

    async def aplan_outcome(self, paper: Paper, *, mode: Mode, k: int) -> PlanOutcome:
        """Plan ``paper`` (already cut for ``mode``); raise PlanFailure when no plan can be had."""
        if k < 1:
            raise ConfigError(f"k must be at least 1, not {k}")
        report: ContextReport | None = None

        def build(structured: bool) -> list[Message]:
            nonlocal report
            messages, report = self.build_messages(paper, mode, k, structured=structured)
            return messages

        def re_ask(error: AnswerError, answer: Completion, structured: bool) -> Message:
            truncated = answer.finish_reason == "length"
            return repair_message(str(error), k, structured=structured, truncated=truncated)

        try:
            answer = await ask_structured(
                self.model,
                schema=PLAN_SCHEMA,
                build=build,
                read=lambda text: parse_plan_response(text, k=k),
                re_ask=re_ask,
                params=self.params,
                what="valid plan",
            )
        except TaskFailure as exc:
            raise PlanFailure(
                f"{paper.id}: {exc}",
                paper_id=paper.id,
                raw_responses=exc.raw_responses,
                usage=exc.usage,
                context=report,
            ) from None
        assert report is not None  # set by build before any request
        parsed = answer.value
        plan = Plan(
            paper_id=paper.id,
            paper_title=paper.title,
            paper_hash=paper.content_hash,
            mode=mode,
            planner=self.name,
            model=self.model.name,
            k=k,
            reasoning=parsed.reasoning,
            ablations=parsed.ablations,
            usage=answer.usage,
            versions={"ablab": __version__, "prompt": PROMPT_VERSION},
        )
        return PlanOutcome(plan, report, answer.completions, parsed.notes)

    async def aplan(self, paper: Paper, *, mode: Mode, k: int) -> Plan:
        """Plan ``paper`` asynchronously."""
        return (await self.aplan_outcome(paper, mode=mode, k=k)).plan

    def plan(self, paper: Paper, *, mode: Mode, k: int) -> Plan:
        """Plan ``paper``; the synchronous form of :meth:`aplan` (the Planner protocol)."""

        async def plan_and_close() -> Plan:
            try:
                return await self.aplan(paper, mode=mode, k=k)
            finally:
                await aclose_model(self.model)

        return run_sync(plan_and_close())
