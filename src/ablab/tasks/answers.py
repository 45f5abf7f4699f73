"""The JSON in a model's answer, however it is wrapped: the one reader every structured task uses.

A model may answer with one JSON object (structured output), with prose and then JSON Lines (the
planners' text protocol), with a bare list, inside Markdown code fences or not, with trailing
commas or cut off in the middle. :func:`json_values` finds every JSON value and mends broken ones
with ``json-repair``; :func:`json_object` is the common case of one object.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from json_repair import repair_json

from ablab.models.base import clean_model_text

_FENCE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n?(.*?)(?:```|\Z)", re.S)
_NEXT_OBJECT_LINE = re.compile(r"\n\s*\{")


class AnswerError(ValueError):
    """An answer cannot be used; the message says why, in words a model can act on (it is sent
    back in the re-ask)."""


class NoJSONObject(AnswerError):
    """The answer holds no JSON object."""


@dataclass
class JSONValues:
    """The JSON part of an answer."""

    prefix: str
    """The text before the first JSON value, code fences removed (a reasoning trace, prose)."""
    values: list[Any] = field(default_factory=list)
    """Every JSON value after it, in order, cleaned by :func:`clean_model_text`."""
    mended: bool = False
    """Whether some value was broken JSON that had to be mended."""


def unfence(text: str) -> str:
    """``text`` with each Markdown code fence replaced by its content."""
    if "```" not in text:
        return text
    return _FENCE.sub(lambda m: "\n" + m.group(1) + "\n", text)


def _json_start(text: str) -> int | None:
    """Where the JSON part of ``text`` begins: the first ``{``, or a ``[`` right before one."""
    brace = text.find("{")
    if brace < 0:
        return None
    bracket = text.rfind("[", 0, brace)
    if bracket >= 0 and not text[bracket + 1 : brace].strip():
        return bracket
    return brace


def json_values(text: str) -> JSONValues:
    """Every JSON value of an answer (one object, a list, or JSON Lines), broken ones mended.

    Values are read one after another from the first ``{`` (or the ``[`` that opens a list of
    objects); reading stops at the first text that is not JSON. A value that does not parse is
    mended only up to the next line that starts a new object, so one bad line of JSON Lines
    cannot swallow the good ones after it.
    """
    body = unfence(text or "")
    start = _json_start(body)
    if start is None:
        return JSONValues(prefix=body.strip())
    found = JSONValues(prefix=body[:start].strip())
    decoder = json.JSONDecoder()
    rest = body[start:]
    position = 0
    while True:
        while position < len(rest) and rest[position] in " \t\r\n,":
            position += 1
        if position >= len(rest) or rest[position] not in "{[":
            break
        try:
            value, position = decoder.raw_decode(rest, position)
        except json.JSONDecodeError:
            next_line = _NEXT_OBJECT_LINE.search(rest, position + 1)
            end = next_line.start() if next_line else len(rest)
            value = repair_json(rest[position:end], return_objects=True)
            if value in ("", None, [], {}):
                break
            found.mended = True
            position = end
        found.values.append(clean_model_text(value))
    return found


def json_object(text: str) -> dict[str, Any]:
    """The JSON object of an answer: inside a code fence or prose, mended if broken (trailing
    commas, cut-off brackets), cleaned of unpaired surrogates and terminal controls.

    Raises NoJSONObject when there is none, or when the JSON is not one object (a list holding
    exactly one object counts as that object).
    """
    for value in json_values(text).values:
        if isinstance(value, dict):
            return value
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
            return dict(value[0])
    if _json_start(unfence(text or "")) is None:
        raise NoJSONObject("the answer holds no JSON object")
    raise NoJSONObject("the answer is not one JSON object")
