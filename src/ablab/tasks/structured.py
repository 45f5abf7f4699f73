"""One way to run a structured model task: ask for JSON, read it, re-ask once, or fail with answers.

Planners, digest writers, the LM judge and LM designs all ask a model for one JSON document and
read it with a lenient reader. What they share lives here:

- the request carries the task's JSON schema when the model supports structured output; when the
  endpoint refuses every structured form (:class:`StructuredOutputUnsupported`) the request is
  built again for the plain-text protocol and sent without one, and the session stays in text;
- an answer longer than :data:`MAX_ANSWER_CHARS` is cut there and treated as cut off, whatever
  model produced it, so a runaway answer is never read, stored or sent back whole;
- an answer cut off at the output limit is not trusted, even when its JSON could be mended (its
  last item may have lost fields), unless the task says a partial answer is still useful;
- an unusable answer is re-asked exactly once, quoting it (cut to its head) and saying what was
  wrong; a second failure fails the task;
- usage counts every request sent: answered ones, refused structured forms, and the attempts of a
  call that failed for good;
- a failed task raises :class:`TaskFailure` with the raw answers, and its answers are dropped from
  the response cache so that a later run asks again instead of replaying them.

:func:`ask_structured` is the whole one-shot task (plans, designs, judgements).
:class:`StructuredSession` gives the same steps one at a time, for tasks that hold several
conversations with repair rounds of their own (the digest writers).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ablab.errors import AblabError
from ablab.models.base import (
    MAX_ANSWER_CHARS,
    Completion,
    GenerateParams,
    Message,
    Model,
    ModelError,
    ResponseSchema,
    StructuredOutputUnsupported,
    quoted_answer,
)
from ablab.models.cache import forget
from ablab.schema import Usage
from ablab.tasks.answers import AnswerError

T = TypeVar("T")

CUT_OFF = "the answer was cut off at the output limit"
"""Why a cut-off answer is not read (part of the re-ask)."""

BuildMessages = Callable[[bool], list[Message]]
"""Builds a task's first request; the flag says whether the answer is constrained by a schema
(the prompts then describe the JSON object) or asked for as text (they describe the protocol)."""

ReadAnswer = Callable[[str], T]
"""Reads an answer's text into the task's result; raises AnswerError saying what is wrong."""

ReAsk = Callable[[AnswerError, Completion, bool], Message]
"""The request sent once after an unusable answer: gets the error, the answer and whether the
session is structured."""


class TaskFailure(AblabError):
    """A structured task had no usable answer; keeps the raw answers and what they cost."""

    def __init__(self, message: str, *, raw_responses: list[str], usage: Usage) -> None:
        super().__init__(message)
        self.raw_responses = raw_responses
        """The model's answers, verbatim (cut at :data:`MAX_ANSWER_CHARS`)."""
        self.usage = usage
        """What the failed task cost (every request sent counts)."""


def capped(completion: Completion) -> Completion:
    """``completion`` with its text cut at :data:`MAX_ANSWER_CHARS` (then reported as cut off)."""
    if len(completion.text) <= MAX_ANSWER_CHARS:
        return completion
    return completion.model_copy(
        update={"text": completion.text[:MAX_ANSWER_CHARS], "finish_reason": "length"}
    )


def default_re_ask(error: AnswerError, answer: Completion, structured: bool) -> Message:
    """A plain re-ask: what was wrong, and the request for the JSON object alone."""
    return Message(
        role="user",
        content=(
            f"Your answer could not be used: {error}.\n"
            "Answer again with only the JSON object described above, nothing else."
        ),
    )


@dataclass
class StructuredSession:
    """The requests of one task (one paper, one judgement) to one model; see the module
    docstring. Several conversations may run through one session concurrently: they share the
    output protocol, the answers kept and the usage."""

    model: Model
    """The model asked (a cache or call log around it is fine)."""
    params: GenerateParams = field(default_factory=GenerateParams)
    """Sampling parameters of every request."""
    structured: bool = field(init=False)
    """Whether requests carry the schema (false once the endpoint refused every form)."""
    completions: list[Completion] = field(default_factory=list, init=False)
    """Every answer received, in order."""
    unanswered: Usage = field(default_factory=Usage, init=False)
    """Requests sent that got no answer (a refused output format, a call that failed for good)."""

    def __post_init__(self) -> None:
        self.structured = self.model.supports_json_schema

    @property
    def usage(self) -> Usage:
        """What every request of the session cost so far."""
        return sum((c.usage for c in self.completions), Usage()) + self.unanswered

    @property
    def raw_responses(self) -> list[str]:
        """The answers' texts, in order."""
        return [c.text for c in self.completions]

    async def send(self, messages: list[Message], schema: ResponseSchema) -> Completion:
        """One request: with ``schema`` while the session is structured; the answer is capped and
        kept. A model error propagates, its attempts counted in :attr:`unanswered`."""
        try:
            answer = await self.model.generate(
                messages, schema=schema if self.structured else None, params=self.params
            )
        except ModelError as exc:
            self.unanswered = self.unanswered + getattr(exc, "usage", Usage())
            raise
        answer = capped(answer)
        self.completions.append(answer)
        return answer

    async def first(
        self, build: BuildMessages, schema: ResponseSchema
    ) -> tuple[list[Message], Completion]:
        """The first request of a conversation, built (in a worker thread: fitting a paper takes
        a while) for the session's protocol; rebuilt and sent as text if the endpoint refuses
        structured output. Returns the request as sent and the answer."""
        structured = self.structured
        messages = await asyncio.to_thread(build, structured)
        try:
            return messages, await self.send(messages, schema)
        except StructuredOutputUnsupported:
            if not structured:
                raise
        self.structured = False
        if structured:  # the prompts describe the protocol: build them again for text
            messages = await asyncio.to_thread(build, False)
        return messages, await self.send(messages, schema)

    async def again(
        self,
        messages: list[Message],
        answer: Completion,
        request: Message,
        schema: ResponseSchema,
    ) -> tuple[list[Message], Completion]:
        """Continue a conversation after ``answer`` (quoted back, cut to its head when long)
        with ``request``. Returns the conversation as sent and the new answer."""
        conversation = [
            *messages,
            Message(role="assistant", content=quoted_answer(answer.text)),
            request,
        ]
        return conversation, await self.send(conversation, schema)

    def read(self, answer: Completion, reader: ReadAnswer[T], *, partial_ok: bool = False) -> T:
        """``answer`` read by ``reader``; AnswerError when it cannot be used. A cut-off answer is
        unusable unless ``partial_ok`` (a task that checks every field itself)."""
        if answer.finish_reason == "length" and not partial_ok:
            raise AnswerError(CUT_OFF)
        return reader(answer.text)

    def forget(self, answer: Completion) -> None:
        """Drop ``answer`` from the response cache: a later run must ask again, not replay it."""
        forget(self.model, answer)

    def failure(self, message: str) -> TaskFailure:
        """The failure of the task: every answer is forgotten, the raw answers and cost kept."""
        for answer in self.completions:
            self.forget(answer)
        return TaskFailure(message, raw_responses=self.raw_responses, usage=self.usage)


@dataclass
class TaskAnswer(Generic[T]):
    """What a structured task produced."""

    value: T
    """The answer as read."""
    completions: list[Completion]
    """Every answer received (two when the first had to be re-asked)."""
    usage: Usage
    """What every request cost, refused and failed ones included."""
    structured: bool
    """Whether the answer was constrained by the schema."""


async def ask_structured(
    model: Model,
    *,
    schema: ResponseSchema,
    build: BuildMessages,
    read: ReadAnswer[T],
    re_ask: ReAsk = default_re_ask,
    params: GenerateParams | None = None,
    what: str = "usable answer",
) -> TaskAnswer[T]:
    """Ask ``model`` for one JSON answer and read it, re-asking once; see the module docstring.

    Raises TaskFailure (``no <what> after one re-ask: ...``, or the model error) with the raw
    answers and the cost when no usable answer can be had.
    """
    session = StructuredSession(model, params or GenerateParams())
    try:
        messages, answer = await session.first(build, schema)
        try:
            value = session.read(answer, read)
        except AnswerError as first_error:
            request = re_ask(first_error, answer, session.structured)
            _, answer = await session.again(messages, answer, request, schema)
            value = session.read(answer, read)
    except AnswerError as exc:
        raise session.failure(f"no {what} after one re-ask: {exc}") from None
    except ModelError as exc:
        raise session.failure(str(exc)) from None
    return TaskAnswer(value, session.completions, session.usage, session.structured)
