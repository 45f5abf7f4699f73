"""The language-model digest writer: section writers, a completeness check, at most two repairs.

Three writers share out the digest (overview, method, assessment). Each gets the part of the
paper it needs, fitted into a token budget, plus pointers from the offline analysis, and answers
with one JSON object. The assembled digest is then checked (:mod:`ablab.digest.checks`): empty
sections, and numbers in Key Results or the primary result that the paper does not state. Only
the failing parts go back to the writer that wrote them, for at most ``repairs`` rounds. Whatever
still fails after that is not trusted: unverified results are dropped and empty sections become
gaps, and the outcome lists what happened.

Quick-fact identifiers, metrics and Next Checks come from the offline writer (the paper's
metadata, the analysis and the planner) in both modes.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ablab.analysis import analyze
from ablab.digest.checks import (
    NumberIndex,
    Problem,
    check_completeness,
    check_digest,
    extract_numbers,
)
from ablab.digest.offline import digest_offline, table_results
from ablab.digest.outcome import DigestOutcome
from ablab.errors import AblabError, ConfigError
from ablab.formats.rpa2.model import GAP_KEYS, Digest
from ablab.models.base import (
    Completion,
    GenerateParams,
    Message,
    Model,
    ModelRequestError,
    ResponseSchema,
    StructuredOutputUnsupported,
    quoted_answer,
)
from ablab.models.cache import forget
from ablab.models.registry import get_model
from ablab.models.tokens import estimate_tokens
from ablab.planners.lm_context import paper_context
from ablab.planners.lm_prompts import environment
from ablab.schema import Analysis, Mode, Paper, Section, SectionRole, Usage
from ablab.tasks.answers import NoJSONObject, json_object

R = SectionRole

DEFAULT_REPAIRS = 2
"""Repair rounds after the first answers (the issue's limit)."""
DEFAULT_PAPER_TOKENS = 12_000
"""Paper tokens each writer receives at most, unless the caller allows more."""
RESERVED_OUTPUT_TOKENS = 4_096
"""Tokens of the context window kept free for the answer."""
MIN_PAPER_TOKENS = 500
"""Below this budget for the paper text a writer is not worth asking."""
OUTPUT_FORMAT_VERSION = "1"
"""Changes whenever the answer format changes (part of the prompt version)."""
MAX_HINTS = 10

_SHORTENED_NOTE = (
    "The paper below was shortened to fit the context budget; the sections left out are named "
    "at its end."
)


@dataclass(frozen=True)
class Writer:
    """One section writer: the fields it answers and the parts of the paper it reads."""

    name: str
    """Name shown to the model and in logs."""
    fields: tuple[str, ...]
    """JSON keys it answers (see :data:`FIELD_SCHEMAS`)."""
    roles: frozenset[SectionRole]
    """Section roles of the paper it receives (title and abstract always)."""


WRITERS: tuple[Writer, ...] = (
    Writer(
        "overview",
        ("core_contribution", "tags", "primary_result", "executive_summary", "key_results"),
        frozenset({R.INTRODUCTION, R.EXPERIMENTS, R.RESULTS, R.ABLATIONS, R.CONCLUSION}),
    ),
    Writer(
        "method",
        (
            "method_summary",
            "mechanism",
            "foundational_learning",
            "component_map",
            "critical_path",
            "design_tradeoffs",
            "failure_signatures",
            "first_experiments",
        ),
        frozenset({R.INTRODUCTION, R.BACKGROUND, R.METHOD, R.OTHER}),
    ),
    Writer(
        "assessment",
        ("open_questions", "limitations", "confidence"),
        frozenset(
            {R.EXPERIMENTS, R.RESULTS, R.ABLATIONS, R.DISCUSSION, R.LIMITATIONS, R.CONCLUSION}
        ),
    ),
)
"""The section writers, in the order their answers are applied."""

_STRING: dict[str, Any] = {"type": "string"}
_STRINGS: dict[str, Any] = {"type": "array", "items": _STRING}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    # OpenAI strict mode: every property required, nothing else allowed.
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


FIELD_SCHEMAS: dict[str, dict[str, Any]] = {
    "core_contribution": _STRING,
    "tags": _STRINGS,
    "primary_result": _STRING,
    "executive_summary": _STRING,
    "key_results": _STRINGS,
    "method_summary": _STRING,
    "mechanism": _STRING,
    "foundational_learning": {
        "type": "array",
        "items": _object({"concept": _STRING, "why": _STRING, "quick_check": _STRING}),
    },
    "component_map": _STRINGS,
    "critical_path": _STRINGS,
    "design_tradeoffs": _STRINGS,
    "failure_signatures": _STRINGS,
    "first_experiments": _STRINGS,
    "open_questions": {"type": "array", "items": _object({"title": _STRING, "detail": _STRING})},
    "limitations": _STRINGS,
    "confidence": {
        "type": "array",
        "items": _object(
            {
                "claim": _STRING,
                "level": {"type": "string", "enum": ["High", "Medium", "Low"]},
                "note": _STRING,
            }
        ),
    },
}
"""JSON schema of every field a writer answers."""

_ARCHITECTURE_FIELDS = (
    "component_map",
    "critical_path",
    "design_tradeoffs",
    "failure_signatures",
    "first_experiments",
)
"""Writer fields that live in ``Digest.architecture``."""
_LEVELS = ("high", "medium", "low")
_PROBLEM_FIELD = {"quick_facts": "primary_result", "architecture": "component_map"}
"""Digest section of a check problem -> the writer field that fixes it (else the same name)."""


def answer_schema(fields: Sequence[str]) -> ResponseSchema:
    """The structured-output schema for an answer holding ``fields`` and ``not_filled``."""
    properties = {name: FIELD_SCHEMAS[name] for name in fields}
    properties["not_filled"] = {
        "type": "array",
        "items": _object({"section": {"type": "string", "enum": list(fields)}, "reason": _STRING}),
    }
    return ResponseSchema(name="digest_sections", json_schema=_object(properties))


def _prompt_version() -> str:
    digest = hashlib.sha256(OUTPUT_FORMAT_VERSION.encode())
    package = resources.files("ablab.prompts")
    for entry in sorted(package.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".j2") and "digest" in entry.name:
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:12]


PROMPT_VERSION = _prompt_version()
"""Hash of the digest templates and the answer format; part of the cache and resume keys."""


def _render(template: str, **variables: Any) -> str:
    return environment().get_template(template).render(**variables).strip() + "\n"


# --- reading answers ---------------------------------------------------------------------------


class AnswerError(ValueError):
    """An answer holds no JSON object; the message is meant for the model."""


def read_answer(text: str) -> dict[str, Any]:
    """The JSON object of an answer, mended if broken (fences, prose around it, trailing commas)."""
    try:
        return json_object(text)
    except NoJSONObject as exc:
        raise AnswerError(str(exc)) from None


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "\n\n".join(_text(v) for v in value if v)
    return "" if value is None else str(value).strip()


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [line.strip(" -*\t") for line in value.splitlines() if line.strip(" -*\t")]
    if isinstance(value, list):
        return [s for s in (_text(v) if not isinstance(v, dict) else _flat(v) for v in value) if s]
    return [_text(value)]


def _flat(value: dict[str, Any]) -> str:
    return "; ".join(_text(v) for v in value.values() if _text(v))


def _records(value: Any, keys: tuple[str, ...]) -> list[dict[str, str]]:
    """List items as dicts with ``keys``; a bare string fills the first key."""
    records = []
    for item in value if isinstance(value, list) else _strings(value):
        if isinstance(item, dict):
            lowered = {str(k).lower(): v for k, v in item.items()}
            records.append({k: _text(lowered.get(k)) for k in keys})
        elif _text(item):
            records.append({keys[0]: _text(item), **{k: "" for k in keys[1:]}})
    return [r for r in records if r[keys[0]]]


def field_value(name: str, value: Any) -> Any:
    """An answer field coerced to what the Digest expects (lenient about form, not content)."""
    if FIELD_SCHEMAS[name] is _STRING:
        return _text(value)
    if name == "foundational_learning":
        return [
            {"concept": r["concept"], "why": r["why"], "quick_check": r["quick_check"] or None}
            for r in _records(value, ("concept", "why", "quick_check"))
        ]
    if name == "open_questions":
        records = _records(value, ("detail", "title"))
        return [{"title": r["title"] or None, "detail": r["detail"]} for r in records]
    if name == "confidence":
        records = _records(value, ("claim", "level", "note"))
        return [
            {
                "claim": r["claim"],
                "level": r["level"].capitalize() if r["level"].lower() in _LEVELS else None,
                "note": r["note"] or None,
            }
            for r in records
        ]
    return _strings(value)


# --- assembling -------------------------------------------------------------------------------


def _digest_data(base: Digest, values: dict[str, Any], gaps: dict[str, str]) -> dict[str, Any]:
    """``base`` with every writer field replaced by ``values`` (missing ones empty)."""
    data = base.model_dump()
    data["gaps"] = {k: v for k, v in base.gaps.items() if _gap_field(k) not in FIELD_SCHEMAS}
    facts = [f for f in data["quick_facts"] if f["label"].lower() != "primary result"]
    if values.get("primary_result"):
        facts.insert(
            sum(f["label"] in ("arXiv ID", "Source URL", "Reference count") for f in facts),
            {"label": "Primary result", "value": values["primary_result"]},
        )
    data["quick_facts"] = facts
    for name in FIELD_SCHEMAS:
        if name == "primary_result":
            continue
        value = values.get(name, "" if FIELD_SCHEMAS[name] is _STRING else [])
        if name in _ARCHITECTURE_FIELDS:
            data["architecture"][name] = value
        else:
            data[name] = value
    if not values.get("tags"):
        data["tags"] = base.tags  # the offline tags (the paper's frequent terms) stand in
    for name, reason in gaps.items():
        key = _gap_key(name)
        if key is not None:
            data["gaps"][key] = reason
    return data


def _gap_key(name: str) -> str | None:
    if name in _ARCHITECTURE_FIELDS:
        return f"architecture.{name}"
    if name in ("primary_result", "tags"):
        return None
    return name


def _gap_field(key: str) -> str:
    return key.removeprefix("architecture.")


def _problem_field(problem: Problem) -> str:
    return _PROBLEM_FIELD.get(problem.section, problem.section)


def _writer_of(name: str) -> Writer | None:
    return next((w for w in WRITERS if name in w.fields), None)


# --- the writer ---------------------------------------------------------------------------------


def paper_part(paper: Paper, roles: frozenset[SectionRole]) -> Paper:
    """``paper`` with only the sections of ``roles`` (and the parents that hold them)."""

    def keep(section: Section) -> Section | None:
        children = [c for c in (keep(child) for child in section.children) if c is not None]
        if section.role in roles:
            return section.model_copy(update={"children": children})
        if children:
            return section.model_copy(update={"children": children, "text": "", "tables": []})
        return None

    sections = [s for s in (keep(section) for section in paper.sections) if s is not None]
    return paper.model_copy(update={"sections": sections})


def _hints(writer: Writer, paper: Paper, analysis: Analysis) -> list[str]:
    if writer.name == "overview":
        hints = [f"metric: {m.name}" for m in analysis.metrics[:4]]
        hints += [f"table result (numbers exact): {line}" for line in table_results(paper)]
    elif writer.name == "method":
        hints = [
            f"component: {c.name}" + (f" ({c.acronym})" if c.acronym else "") + f", {c.kind}"
            for c in analysis.components
        ]
        hints += [
            f"design choice: {d.choice}" + (f" for {d.used_for}" if d.used_for else "")
            for d in analysis.design_choices
        ]
    else:
        hints = []
    return hints[:MAX_HINTS]


class DigestFailure(AblabError):
    """A digest could not be written (a model request failed for good); keeps what it cost."""

    def __init__(self, message: str, *, usage: Usage, raw_responses: list[str]) -> None:
        super().__init__(message)
        self.usage = usage
        """What the failed attempt cost."""
        self.raw_responses = raw_responses
        """The answers received before the failure, verbatim."""


class LMDigestWriter:
    """Writes digests with a language model; see the module docstring."""

    def __init__(
        self,
        model: Model | str,
        *,
        repairs: int = DEFAULT_REPAIRS,
        paper_tokens: int = DEFAULT_PAPER_TOKENS,
        max_input_tokens: int | None = None,
        params: GenerateParams | None = None,
        planner: str = "heuristic",
        **model_options: Any,
    ) -> None:
        if isinstance(model, str):
            model = get_model(model, **model_options)
        elif model_options:
            raise ConfigError(f"model options {sorted(model_options)} need a model name")
        if repairs < 0:
            raise ConfigError(f"repairs must be 0 or more, not {repairs}")
        self.model = model
        self.repairs = repairs
        self.paper_tokens = paper_tokens
        self.max_input_tokens = max_input_tokens
        self.params = params or GenerateParams()
        self.planner = planner

    @property
    def settings(self) -> dict[str, str]:
        """Everything besides paper and model that changes the digest (for resume keys)."""
        return {
            "prompt": PROMPT_VERSION,
            "repairs": str(self.repairs),
            "paper_tokens": str(self.paper_tokens),
            "max_input_tokens": str(self.max_input_tokens),
            "params": json.dumps(self.params.model_dump(), sort_keys=True),
            "planner": self.planner,
        }

    def _paper_budget(self, overhead: int) -> int:
        limits = [self.paper_tokens]
        if self.model.context_window:
            reserved = self.params.max_output_tokens or RESERVED_OUTPUT_TOKENS
            limits.append(self.model.context_window - reserved - overhead)
        if self.max_input_tokens:
            limits.append(self.max_input_tokens - overhead)
        budget = min(limits)
        if budget < MIN_PAPER_TOKENS:
            raise ConfigError(
                f"the input budget leaves only {budget} tokens for the paper; allow at least "
                f"{overhead + MIN_PAPER_TOKENS} input tokens"
            )
        return budget

    def build_messages(
        self, writer: Writer, paper: Paper, analysis: Analysis, *, structured: bool
    ) -> tuple[list[Message], str]:
        """The first request of ``writer``, and a note on how the paper was fitted."""
        system = _render("digest_system.md.j2", structured=structured)
        variables = {
            "writer": writer.name,
            "fields": writer.fields,
            "hints": _hints(writer, paper, analysis),
        }
        skeleton = _render("digest_section.md.j2", paper_text="", note=_SHORTENED_NOTE, **variables)
        budget = self._paper_budget(estimate_tokens(system) + estimate_tokens(skeleton))
        part = paper_part(paper, writer.roles)
        text, report = paper_context(part, Mode.REVIEWER, budget, include_tables=True)
        shortened = bool(report.dropped or report.shortened)
        user = _render(
            "digest_section.md.j2",
            paper_text=text,
            note=_SHORTENED_NOTE if shortened else "",
            **variables,
        )
        note = f"{writer.name}: {report.kept_tokens} of {report.paper_tokens} paper tokens sent"
        if report.dropped:
            note += f"; left out: {'; '.join(report.dropped)}"
        messages = [Message(role="system", content=system), Message(role="user", content=user)]
        return messages, note

    async def _ask(
        self, messages: list[Message], fields: Sequence[str], structured: bool
    ) -> Completion:
        schema = answer_schema(fields) if structured else None
        return await self.model.generate(messages, schema=schema, params=self.params)

    async def awrite(self, paper: Paper, *, analysis: Analysis | None = None) -> DigestOutcome:
        """Write the digest of ``paper``; raise ModelError when the model cannot be reached."""
        if analysis is None:
            analysis = await asyncio.to_thread(analyze, paper)
        base = await asyncio.to_thread(
            digest_offline, paper, analysis=analysis, planner=self.planner
        )
        # The pipeline names the digest's writer in the front matter: this model, not the
        # offline writer the base digest came from.
        base = base.model_copy(
            update={"extra_frontmatter": {**base.extra_frontmatter, "model": self.model.name}}
        )
        index = NumberIndex.of_paper(paper)
        outcome = DigestOutcome(digest=base, model=self.model.name)
        state = _State(structured=self.model.supports_json_schema)

        async def first(writer: Writer) -> None:
            messages, note = await asyncio.to_thread(
                self.build_messages, writer, paper, analysis, structured=state.structured
            )
            outcome.notes.append(note)
            try:
                completion = await self._ask(messages, writer.fields, state.structured)
            except StructuredOutputUnsupported as exc:
                state.refused = state.refused + exc.usage
                state.structured = False
                messages, _ = await asyncio.to_thread(
                    self.build_messages, writer, paper, analysis, structured=False
                )
                completion = await self._ask(messages, writer.fields, False)
            state.conversations[writer.name] = [*messages]
            self._take(state, outcome, writer, writer.fields, completion)

        await self._all(outcome, [first(w) for w in WRITERS], state)
        digest, problems = self._assemble(base, state, index)

        for round_number in range(1, self.repairs + 1):
            failing = self._failing(problems, state)
            if not failing:
                break
            outcome.repair_rounds = round_number
            await self._all(
                outcome,
                [self._repair(state, outcome, w, f, msgs) for w, (f, msgs) in failing.items()],
                state,
            )
            digest, problems = self._assemble(base, state, index)

        outcome.digest, outcome.problems = self._settle(digest, problems, index)
        outcome.usage = sum((c.usage for c in outcome.completions), Usage()) + state.refused
        return outcome

    async def _all(
        self, outcome: DigestOutcome, calls: list[Coroutine[Any, Any, None]], state: _State
    ) -> None:
        """Run writer calls together; if one fails for good, fail the paper with what it cost."""
        errors = [e for e in await asyncio.gather(*calls, return_exceptions=True) if e is not None]
        if not errors:
            return
        for completion in outcome.completions:
            forget(self.model, completion)  # a rerun must ask again, not replay half a digest
        usage = sum((c.usage for c in outcome.completions), Usage()) + state.refused
        for error in errors:  # every attempt of a call that failed for good was a request
            if isinstance(error, ModelRequestError):
                usage = usage + error.usage
        first = errors[0]
        if not isinstance(first, Exception):
            raise first  # KeyboardInterrupt, cancellation: not ours to handle
        if not isinstance(first, AblabError):
            raise first
        raise DigestFailure(
            str(first), usage=usage, raw_responses=[c.text for c in outcome.completions]
        ) from first

    def _take(
        self,
        state: _State,
        outcome: DigestOutcome,
        writer: Writer,
        fields: Sequence[str],
        completion: Completion,
    ) -> None:
        """Record ``completion`` as the writer's answer for ``fields``."""
        outcome.completions.append(completion)
        state.last_answer[writer.name] = completion.text
        try:
            answer = read_answer(completion.text)
        except AnswerError as exc:
            forget(self.model, completion)  # never replay an unusable answer from the cache
            state.unreadable[writer.name] = str(exc)
            return
        state.unreadable.pop(writer.name, None)
        lowered = {str(k).lower(): v for k, v in answer.items()}
        gaps = {
            _text(g.get("section")): _text(g.get("reason"))
            for g in lowered.get("not_filled") or []
            if isinstance(g, dict) and _text(g.get("section")) in fields and _text(g.get("reason"))
        }
        for name in fields:
            state.values[name] = field_value(name, lowered.get(name))
            if state.values[name] and name in gaps:
                del gaps[name]  # content wins over a contradictory "not filled"
            state.gaps.pop(name, None)
        state.gaps.update(gaps)

    def _assemble(
        self, base: Digest, state: _State, index: NumberIndex
    ) -> tuple[Digest, list[Problem]]:
        data = _digest_data(base, state.values, state.gaps)
        problems: list[Problem] = []
        try:
            digest = Digest.model_validate(data)
        except ValueError as exc:  # pragma: no cover - values are coerced to valid shapes
            raise AblabError(f"digest answer could not be assembled: {exc}") from None
        problems = check_digest(digest, index)
        for name, reason in state.unreadable.items():
            problems.append(Problem(name, f"the answer could not be read: {reason}"))
        return digest, problems

    def _failing(
        self, problems: list[Problem], state: _State
    ) -> dict[Writer, tuple[list[str], list[str]]]:
        """Per writer: the fields to write again and the problem lines to show."""
        failing: dict[Writer, tuple[list[str], list[str]]] = {}
        for problem in problems:
            writer = next((w for w in WRITERS if w.name == problem.section), None)
            names = list(writer.fields) if writer else [_problem_field(problem)]
            owner = writer or _writer_of(names[0])
            if owner is None:
                continue
            fields, lines = failing.setdefault(owner, ([], []))
            fields.extend(n for n in names if n not in fields)
            lines.append(f"{problem.section}: {problem.message}")
        return failing

    async def _repair(
        self,
        state: _State,
        outcome: DigestOutcome,
        writer: Writer,
        fields: list[str],
        problems: list[str],
    ) -> None:
        request = _render("digest_repair.md.j2", problems=problems, fields=fields)
        conversation = [
            *state.conversations[writer.name],
            Message(
                role="assistant", content=quoted_answer(state.last_answer.get(writer.name) or "")
            ),
            Message(role="user", content=request),
        ]
        state.conversations[writer.name] = conversation
        completion = await self._ask(conversation, fields, state.structured)
        self._take(state, outcome, writer, fields, completion)

    def _settle(
        self, digest: Digest, problems: list[Problem], index: NumberIndex
    ) -> tuple[Digest, list[Problem]]:
        """Drop what is still unverified; turn what is still empty into gaps."""
        if not problems:
            return digest, []
        data = digest.model_dump()
        data["key_results"] = [
            r for r in digest.key_results if extract_numbers(r) and not index.missing(r)
        ]
        data["quick_facts"] = [
            f
            for f in data["quick_facts"]
            if f["label"].lower() != "primary result" or not index.missing(f["value"])
        ]
        for problem in check_completeness(Digest.model_validate(data)):
            key = (
                "architecture.component_map"
                if problem.section == "architecture"
                else (problem.section)
            )
            if key in GAP_KEYS and not _has_content(data, key):
                data["gaps"][key] = UNFILLED_AFTER_REPAIRS
        return Digest.model_validate(data), problems


UNFILLED_AFTER_REPAIRS = "no usable text for this section after the repair rounds"


def _has_content(data: dict[str, Any], key: str) -> bool:
    if key.startswith("architecture."):
        return bool(data["architecture"][key.removeprefix("architecture.")])
    return bool(data[key])


@dataclass
class _State:
    """What the writers answered so far, for one paper."""

    structured: bool
    values: dict[str, Any] = field(default_factory=dict)
    gaps: dict[str, str] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)
    last_answer: dict[str, str] = field(default_factory=dict)
    conversations: dict[str, list[Message]] = field(default_factory=dict)
    refused: Usage = field(default_factory=Usage)
    """Requests that got no answer (a refused output format, a call that failed for good)."""
