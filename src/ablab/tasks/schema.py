"""Structured-output schemas generated from Pydantic models, in the strict form endpoints accept.

OpenAI's strict mode (and the grammar converters of local servers) want every property required,
no other properties allowed, and no ``$ref``, ``default`` or ``title`` noise; Pydantic's
:meth:`~pydantic.BaseModel.model_json_schema` gives none of that by itself. Descriptions (the
models' docstrings) are left out too: they are written for code readers, and each task's prompt
already tells the model what its fields mean, in one place (a schema identical to the one sent
before also keeps cached answers valid).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ablab.models.base import ResponseSchema

_DROPPED = frozenset({"title", "default", "description"})


def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema of ``model`` with definitions inlined, every object closed and every
    property required (an optional field is still nullable, so it can be answered with null)."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def strict(node: Any) -> Any:
        if isinstance(node, list):
            return [strict(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:  # inline: local servers' grammar converters may not follow refs
            target = definitions[node["$ref"].rsplit("/", 1)[-1]]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        result: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DROPPED:
                continue
            if key == "properties":  # property names are data, never dropped
                result[key] = {name: strict(sub) for name, sub in value.items()}
            else:
                result[key] = strict(value)
        result = _nullable(result)
        if result.get("type") == "object" and "properties" in result:
            result["required"] = list(result["properties"])
            result["additionalProperties"] = False
        return result

    return dict(strict(schema))


def _nullable(node: dict[str, Any]) -> dict[str, Any]:
    """``X | None`` as ``{"type": [X, "null"]}`` rather than Pydantic's ``anyOf``: the compact
    form local servers' grammar converters read, and the one ablab always sent."""
    branches = node.get("anyOf")
    if not isinstance(branches, list) or len(branches) != 2 or {"type": "null"} not in branches:
        return node
    other = next(b for b in branches if b != {"type": "null"})
    if not isinstance(other.get("type"), str):
        return node
    merged = {k: v for k, v in node.items() if k != "anyOf"}
    merged.update(other)
    merged["type"] = [other["type"], "null"]
    if "enum" in other:
        merged["enum"] = [*other["enum"], None]
    return merged


def response_schema(name: str, model: type[BaseModel]) -> ResponseSchema:
    """A :class:`ResponseSchema` named ``name`` for answers shaped like ``model``."""
    return ResponseSchema(name=name, json_schema=strict_json_schema(model))
