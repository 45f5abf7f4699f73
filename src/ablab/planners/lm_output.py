"""Read a model's answer into ablations, forgiving form but not substance.

Accepted forms: one JSON object ``{"reasoning": ..., "ablations": [...]}`` (structured output),
or reasoning text followed by JSON Lines (the text protocol), or a bare JSON list; with or without
Markdown code fences or prose around them. Broken JSON (truncated, trailing commas, single quotes)
is mended with ``json-repair``. Field names and action spellings are normalised (``Ablated Part``,
``ablatedPart``, ``removal``, ``Replace``...), extra fields are dropped, and every ablation is then
validated by the :class:`~ablab.schema.Ablation` model.

What cannot be read raises :class:`PlanResponseError` with a message meant for the model itself,
so that the planner can ask once more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from ablab.schema import Ablation, Action, Design, Priority
from ablab.tasks.answers import AnswerError, json_values

OUTPUT_FORMAT_VERSION = "2"
"""Changes whenever the accepted response format changes (it is part of the prompt version)."""


class AblationAnswer(BaseModel):
    """One ablation as a model is asked to write it (the structured-output schema); the reader
    below also takes looser forms."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    name: str
    """Short title of the experiment."""
    ablated_part: str
    """The part of the method that is changed, named as in the paper."""
    action: Literal["REMOVE", "REPLACE", "ADD"]
    """What is done to the part."""
    replacement: list[str] | None
    """What replaces or is added to the part; null for REMOVE."""
    metrics: list[str]
    """The paper's metrics to compare."""
    rationale: str
    """Why this ablation matters, from the paper's evidence."""
    question: str | None
    """The question the ablation answers."""
    expected_outcome: str | None
    """What the results should show if the part matters."""
    controls: list[str]
    """What stays fixed so the comparison is fair."""
    priority: Priority | None
    """high, medium or low; null when the paper gives no ground for one."""
    relative_cost: float | None
    """Compute relative to one training run of the full method."""
    run_order: int | None
    """Position in the suggested run order (1 runs first)."""


class PlanAnswer(BaseModel):
    """A plan answer: the reasoning, then the ablations, most important first."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    reasoning: str
    """Thinking through the method, its claims and the candidate ablations before choosing."""
    ablations: list[AblationAnswer]
    """At most k ablations, most important first."""


class PlanResponseError(AnswerError):
    """The answer holds no valid plan; the message says why, in words a model can act on."""


@dataclass
class ParsedPlan:
    """A plan read from an answer."""

    reasoning: str
    """The reasoning trace."""
    ablations: list[Ablation]
    """Valid ablations, most important first, at most k."""
    notes: list[str] = field(default_factory=list)
    """What had to be mended or dropped, for the call log."""


_HEADING_RE = re.compile(
    r"^\s*(?:#+\s*|\*\*)?(reasoning|reasoning trace|ablations|ablation plan|plan)"
    r"\s*:?\s*(?:\*\*)?\s*:?\s*$",
    re.I | re.M,
)

_ACTION_WORDS = {
    Action.REMOVE: (
        "remove",
        "removal",
        "removing",
        "delete",
        "drop",
        "disable",
        "without",
        "w/o",
        "exclude",
        "eliminate",
        "omit",
    ),
    Action.REPLACE: (
        "replace",
        "replacement",
        "replacing",
        "substitute",
        "swap",
        "change",
        "vary",
        "modify",
        "alter",
        "switch",
    ),
    Action.ADD: (
        "add",
        "addition",
        "adding",
        "insert",
        "include",
        "introduce",
        "augment",
        "extend",
    ),
}

_KEY_ALIASES = {
    "name": "name",
    "title": "name",
    "ablation": "name",
    "ablation_name": "name",
    "experiment": "name",
    "ablated_part": "ablated_part",
    "ablatedpart": "ablated_part",
    "part": "ablated_part",
    "component": "ablated_part",
    "target": "ablated_part",
    "ablated_component": "ablated_part",
    "action": "action",
    "type": "action",
    "operation": "action",
    "replacement": "replacement",
    "replacements": "replacement",
    "replace_with": "replacement",
    "alternatives": "replacement",
    "metrics": "metrics",
    "metric": "metrics",
    "evaluation_metrics": "metrics",
    "rationale": "rationale",
    "reason": "rationale",
    "why": "rationale",
    "justification": "rationale",
    "question": "question",
    "research_question": "question",
    "expected_outcome": "expected_outcome",
    "expected_result": "expected_outcome",
    "expected": "expected_outcome",
    "controls": "controls",
    "control": "controls",
    "priority": "priority",
    "relative_cost": "relative_cost",
    "cost": "relative_cost",
    "compute": "relative_cost",
    "run_order": "run_order",
    "order": "run_order",
}

DESIGN_KEYS = ("question", "expected_outcome", "controls", "priority", "relative_cost", "run_order")
"""Optional design fields of an ablation in a plan answer (see :class:`~ablab.schema.Design`)."""


def _snake(key: str) -> str:
    key = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key.strip())
    return re.sub(r"[\s\-]+", "_", key).lower().strip("_")


def normalise_action(value: Any) -> Action:
    """The :class:`Action` a model meant by ``value`` (``"removal"``, ``"Replace"``, ``"w/o"``)."""
    if isinstance(value, Action):
        return value
    text = str(value or "").strip()
    try:
        return Action(text.upper())
    except ValueError:
        pass
    words = set(re.findall(r"[a-z/]+", text.lower()))
    meant = {action for action, synonyms in _ACTION_WORDS.items() if words & set(synonyms)}
    if len(meant) == 1:  # one action named, however spelled; two would be ambiguous
        return meant.pop()
    raise PlanResponseError(f"unknown action {text!r} (use REMOVE, REPLACE or ADD)")


def _as_strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [str(value).strip()]


def _metrics(value: Any) -> list[str]:
    if isinstance(value, str):
        return [m.strip() for m in re.split(r"[;,]\s*", value) if m.strip()]
    return _as_strings(value)


def normalise_ablation(item: Any, notes: list[str], position: int) -> Ablation:
    """One ablation from a loosely shaped JSON object."""
    if not isinstance(item, dict):
        raise PlanResponseError(f"ablation {position} is not a JSON object")
    fields: dict[str, Any] = {}
    ignored = []
    for raw_key, value in item.items():
        key = _KEY_ALIASES.get(_snake(str(raw_key)))
        if key is None or key in fields:
            ignored.append(str(raw_key))
        else:
            fields[key] = value
    if ignored:
        notes.append(f"ablation {position}: ignored fields {', '.join(sorted(ignored))}")
    part = str(fields.get("ablated_part") or "").strip()
    if not part:
        raise PlanResponseError(f"ablation {position} has no ablated_part")
    if "action" not in fields:
        raise PlanResponseError(f"ablation {position} has no action (REMOVE, REPLACE or ADD)")
    try:
        action = normalise_action(fields["action"])
    except PlanResponseError as exc:
        raise PlanResponseError(f"ablation {position}: {exc}") from None
    name = str(fields.get("name") or "").strip()
    if not name:
        name = f"{action.value.capitalize()} {part}"
        notes.append(f"ablation {position}: name missing, derived from action and part")
    replacement = _as_strings(fields.get("replacement"))
    if action is not Action.REMOVE and not replacement:
        notes.append(f"ablation {position}: {action.value} without a replacement")
    rationale = str(fields.get("rationale") or "").strip() or None
    try:
        return Ablation(
            name=name,
            ablated_part=part,
            action=action,
            replacement=None if action is Action.REMOVE else replacement,
            metrics=_metrics(fields.get("metrics")),
            rationale=rationale,
            design=_design(fields, notes, position),
        )
    except ValidationError as exc:  # pragma: no cover - the fields above are already clean
        raise PlanResponseError(
            f"ablation {position} is invalid: {exc.errors()[0]['msg']}"
        ) from None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return " ".join(str(value).split()) or None


def _number(value: Any, kind: type[float] | type[int]) -> float | int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = kind(float(str(value).strip()))
    except ValueError:
        return None
    return number if number >= (1 if kind is int else 0) else None


def _design(fields: dict[str, Any], notes: list[str], position: int) -> Design | None:
    """The optional design fields; a value that does not fit is dropped with a note, never fatal
    (the ablation itself is still good)."""
    priority = str(fields.get("priority") or "").strip().lower() or None
    if priority not in (None, "high", "medium", "low"):
        notes.append(f"ablation {position}: dropped priority {priority!r}")
        priority = None
    cost = _number(fields.get("relative_cost"), float)
    order = _number(fields.get("run_order"), int)
    for key, value in (("relative_cost", cost), ("run_order", order)):
        if value is None and fields.get(key) not in (None, ""):
            notes.append(f"ablation {position}: dropped {key} {fields[key]!r}")
    design = Design(
        question=_text(fields.get("question")),
        expected_outcome=_text(fields.get("expected_outcome")),
        controls=_as_strings(fields.get("controls")),
        priority=priority,  # type: ignore[arg-type]  # checked above
        relative_cost=cost,
        run_order=int(order) if order is not None else None,
    )
    return None if design.is_empty() else design


def _strip_headings(text: str) -> str:
    return _HEADING_RE.sub("", text).strip()


def parse_plan_response(text: str, *, k: int) -> ParsedPlan:
    """Read the reasoning and at most ``k`` ablations from an answer; see the module docstring."""
    if not text or not text.strip():
        raise PlanResponseError("the answer was empty")
    notes: list[str] = []
    found = json_values(text)
    if not found.values:
        raise PlanResponseError("the answer contains no JSON ablations")
    if found.mended:
        notes.append("mended malformed JSON")
    values = found.values
    reasoning = _strip_headings(found.prefix)
    items: list[Any] = []
    for value in values:
        if isinstance(value, dict) and isinstance(value.get("ablations"), list):
            items.extend(value["ablations"])
            inner = value.get("reasoning")
            if isinstance(inner, str) and inner.strip():
                reasoning = inner.strip()
        elif isinstance(value, dict) and "ablations" in value:
            raise PlanResponseError('"ablations" must be a list of objects')
        elif isinstance(value, list):
            items.extend(value)
        else:
            items.append(value)
    if not items:
        raise PlanResponseError("the answer lists no ablations")
    errors = []
    ablations: list[Ablation] = []
    for position, item in enumerate(items, 1):
        try:
            ablations.append(normalise_ablation(item, notes, position))
        except PlanResponseError as exc:
            errors.append(str(exc))
    if errors:
        raise PlanResponseError("; ".join(errors))
    unique: list[Ablation] = []
    seen = set()
    for ablation in ablations:
        key = (ablation.ablated_part.lower(), ablation.action, tuple(ablation.replacement or ()))
        if key in seen:
            notes.append(f"dropped a duplicate of {ablation.name!r}")
            continue
        seen.add(key)
        unique.append(ablation)
    if len(unique) > k:
        notes.append(f"kept the first {k} of {len(unique)} ablations")
        unique = unique[:k]
    if not reasoning:
        notes.append("no reasoning given")
    return ParsedPlan(reasoning=reasoning, ablations=unique, notes=notes)
