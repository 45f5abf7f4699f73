"""The JSON object in a model's answer, however it is wrapped."""

from __future__ import annotations

import json
import re
from typing import Any

from json_repair import repair_json

from ablab.models.base import clean_model_text

_FENCE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n?(.*?)(?:```|\Z)", re.S)


class NoJSONObject(ValueError):
    """The answer holds no JSON object (the message is meant for the model, in a re-ask)."""


def json_object(text: str) -> dict[str, Any]:
    """The JSON object of an answer: inside a code fence or prose, mended if broken (trailing
    commas, cut-off brackets), cleaned of unpaired surrogates and terminal controls.

    Raises NoJSONObject when there is none, or when the JSON is not one object.
    """
    fenced = _FENCE.search(text)
    body = fenced.group(1) if fenced else text
    start = body.find("{")
    if start < 0:
        raise NoJSONObject("the answer holds no JSON object")
    try:
        value = json.loads(body[start : body.rfind("}") + 1])
    except ValueError:
        value = repair_json(body[start:], return_objects=True)
    if not isinstance(value, dict):
        raise NoJSONObject("the answer is not one JSON object")
    return dict(clean_model_text(value))
