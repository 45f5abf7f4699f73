"""Structured model tasks: what planners, digest writers, the LM judge and LM designs share.

- :mod:`ablab.tasks.structured` — ask for JSON (with the schema, or as text when the endpoint
  refuses structured output), cap the answer's size, re-ask once, count usage, fail with the raw
  answers (:func:`ask_structured`, :class:`StructuredSession`, :class:`TaskFailure`);
- :mod:`ablab.tasks.answers` — the one reader of JSON in an answer (fences, prose, JSON Lines,
  mending with json-repair);
- :mod:`ablab.tasks.schema` — strict structured-output schemas generated from Pydantic models;
- :mod:`ablab.tasks.context` — fitting a paper into the context budget.
"""

from ablab.tasks.answers import AnswerError, NoJSONObject, json_object, json_values
from ablab.tasks.context import ContextReport, paper_budget, paper_context
from ablab.tasks.schema import response_schema, strict_json_schema
from ablab.tasks.structured import (
    StructuredSession,
    TaskAnswer,
    TaskFailure,
    ask_structured,
)

__all__ = [
    "AnswerError",
    "ContextReport",
    "NoJSONObject",
    "StructuredSession",
    "TaskAnswer",
    "TaskFailure",
    "ask_structured",
    "json_object",
    "json_values",
    "paper_budget",
    "paper_context",
    "response_schema",
    "strict_json_schema",
]
