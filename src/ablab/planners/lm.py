"""The ``lm`` planner: a language model reads the paper and proposes ranked ablations.

One plan takes one request, or two when the first answer cannot be read: the model is then told
what was wrong and asked once more. If that fails too the paper is reported as failed with the
raw answers kept (:class:`PlanFailure`); an empty plan is never returned as a result.

The planner receives a :class:`~ablab.models.Model` (or a model name); it never builds an HTTP
client itself, so a cache, a call log or a fake model can stand in for the real endpoint.
"""

from __future__ import annotations

import asyncio
import copy
import json
from dataclasses import dataclass, field
from typing import Any

from ablab._util.aio import run_sync
from ablab._util.version import __version__
from ablab.errors import ConfigError, PlanError
from ablab.models.base import (
    Completion,
    GenerateParams,
    Message,
    Model,
    ModelError,
    StructuredOutputUnsupported,
    quoted_answer,
)
from ablab.models.cache import aclose_model, forget
from ablab.models.registry import get_model
from ablab.models.tokens import estimate_tokens
from ablab.planners.lm_context import ContextReport, paper_context
from ablab.planners.lm_output import ParsedPlan, PlanResponseError, parse_plan_response
from ablab.planners.lm_prompts import (
    PLAN_SCHEMA,
    PROMPT_VERSION,
    render,
    repair_message,
    system_message,
)
from ablab.schema import Mode, Paper, Plan, Usage

RESERVED_OUTPUT_TOKENS = 4_096
"""Tokens of the context window kept free for the answer."""

MIN_PAPER_TOKENS = 500
"""Below this budget for the paper text a plan is not worth asking for."""

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


def _total_usage(completions: list[Completion]) -> Usage:
    total = Usage()
    for completion in completions:
        total = total + completion.usage
    return total


def _read_answer(answer: Completion, k: int) -> ParsedPlan:
    """The plan in ``answer``; an answer cut off at the output limit is never trusted, even when
    its JSON can be mended, because its last ablation may have lost fields."""
    if answer.finish_reason == "length":
        raise PlanResponseError("the answer was cut off at the output limit")
    return parse_plan_response(answer.text, k=k)


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
        overhead = estimate_tokens(system.content) + estimate_tokens(skeleton)
        budget = self.input_budget()
        paper_budget = None if budget is None else budget - overhead
        cap = self._paper_cap()
        if cap is not None:
            paper_budget = cap if paper_budget is None else min(cap, paper_budget)
        if paper_budget is not None and paper_budget < MIN_PAPER_TOKENS:
            raise ConfigError(
                f"the input budget ({budget} tokens) leaves only {paper_budget} for the paper; "
                f"allow at least {overhead + MIN_PAPER_TOKENS} input tokens"
            )
        paper_text, report = paper_context(paper, mode, paper_budget)
        note = _SHORTENED_NOTE if report.dropped or report.shortened else ""
        user = render(self.template, paper_text=paper_text, note=note, **variables)
        report.prompt_tokens = estimate_tokens(system.content) + estimate_tokens(user)
        return [system, Message(role="user", content=user)], report

    async def _ask(self, messages: list[Message], structured: bool) -> Completion:
        schema = PLAN_SCHEMA if structured else None
        return await self.model.generate(messages, schema=schema, params=self.params)

    async def aplan_outcome(self, paper: Paper, *, mode: Mode, k: int) -> PlanOutcome:
        """Plan ``paper`` (already cut for ``mode``); raise PlanFailure when no plan can be had."""
        if k < 1:
            raise ConfigError(f"k must be at least 1, not {k}")
        structured = self.model.supports_json_schema
        messages, report = await asyncio.to_thread(
            self.build_messages, paper, mode, k, structured=structured
        )
        completions: list[Completion] = []
        refused = Usage()  # requests that got no answer (a refused format, a failed call)

        def failure(message: str) -> PlanFailure:
            for completion in completions:
                forget(self.model, completion)  # a later run must ask again, not replay this
            return PlanFailure(
                f"{paper.id}: {message}",
                paper_id=paper.id,
                raw_responses=[c.text for c in completions],
                # Requests that got no answer were still sent (and may be billed): count them.
                usage=_total_usage(completions) + refused,
                context=report,
            )

        try:
            try:
                answer = await self._ask(messages, structured)
            except StructuredOutputUnsupported as exc:
                refused = refused + exc.usage
                structured = False
                messages, report = await asyncio.to_thread(
                    self.build_messages, paper, mode, k, structured=False
                )
                answer = await self._ask(messages, structured)
            completions.append(answer)
            try:
                parsed = _read_answer(answer, k)
            except PlanResponseError as first_error:
                retry = [
                    *messages,
                    Message(role="assistant", content=quoted_answer(answer.text)),
                    repair_message(
                        str(first_error),
                        k,
                        structured=structured,
                        truncated=answer.finish_reason == "length",
                    ),
                ]
                second = await self._ask(retry, structured)
                completions.append(second)
                parsed = _read_answer(second, k)
        except PlanResponseError as exc:
            raise failure(f"no valid plan after one re-ask: {exc}") from None
        except ModelError as exc:
            refused = refused + getattr(exc, "usage", Usage())
            raise failure(str(exc)) from None

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
            usage=_total_usage(completions) + refused,
            versions={"ablab": __version__, "prompt": PROMPT_VERSION},
        )
        return PlanOutcome(plan, report, completions, parsed.notes)

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
