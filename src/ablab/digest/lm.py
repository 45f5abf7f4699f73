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
from typing import Any, Literal

from pydantic import BaseModel

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
from ablab.models.base import Completion, GenerateParams, Message, Model, ResponseSchema
from ablab.models.registry import get_model
from ablab.models.tokens import estimate_tokens
from ablab.planners.lm_prompts import environment
from ablab.schema import Analysis, Mode, Paper, Section, SectionRole, Usage
from ablab.tasks.answers import AnswerError, json_object
from ablab.tasks.context import paper_budget, paper_context
from ablab.tasks.schema import strict_json_schema
from ablab.tasks.structured import StructuredSession, TaskFailure

R = SectionRole

DEFAULT_REPAIRS = 2
"""Repair rounds after the first answers (the issue's limit)."""
DEFAULT_PAPER_TOKENS = 12_000
"""Paper tokens each writer receives at most, unless the caller allows more."""
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


class Concept(BaseModel):
    """One item of Foundational Learning."""

    concept: str
    why: str
    quick_check: str


class OpenQuestion(BaseModel):
    """One open question."""

    title: str
    detail: str


class Rating(BaseModel):
    """One confidence rating."""

    claim: str
    level: Literal["High", "Medium", "Low"]
    note: str


class DigestSections(BaseModel):
    """Every field a writer may answer (each writer answers its own; see :data:`WRITERS`); the
    prompt templates (``_digest_fields.md.j2``) tell the model what each one holds."""

    core_contribution: str
    tags: list[str]
    primary_result: str
    executive_summary: str
    key_results: list[str]
    method_summary: str
    mechanism: str
    foundational_learning: list[Concept]
    component_map: list[str]
    critical_path: list[str]
    design_tradeoffs: list[str]
    failure_signatures: list[str]
    first_experiments: list[str]
    open_questions: list[OpenQuestion]
    limitations: list[str]
    confidence: list[Rating]


FIELD_SCHEMAS: dict[str, dict[str, Any]] = strict_json_schema(DigestSections)["properties"]
"""JSON schema of every field a writer answers."""
_TEXT_FIELDS = frozenset(
    name for name, schema in FIELD_SCHEMAS.items() if schema["type"] == "string"
)
"""Fields answered with one string (the others are lists)."""


class _NotFilled(BaseModel):
    section: str
    reason: str


_NOT_FILLED = strict_json_schema(_NotFilled)


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
    sections = {**_NOT_FILLED["properties"]["section"], "enum": list(fields)}
    not_filled = {**_NOT_FILLED, "properties": {**_NOT_FILLED["properties"], "section": sections}}
    properties["not_filled"] = {"type": "array", "items": not_filled}
    return ResponseSchema(
        name="digest_sections",
        json_schema={
            "type": "object",
            "properties": properties,
            "required": list(properties),
            "additionalProperties": False,
        },
    )


def _prompt_version() -> str:
    digest = hashlib.sha256(OUTPUT_FORMAT_VERSION.encode())
    # The field schemas are generated from the answer models: a changed field changes the ask.
    digest.update(json.dumps(FIELD_SCHEMAS, sort_keys=True).encode())
    package = resources.files("ablab.prompts")
    for entry in sorted(package.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".j2") and "digest" in entry.name:
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:12]


PROMPT_VERSION = _prompt_version()
"""Hash of the digest templates, field schemas and answer format; part of the resume keys."""


def _render(template: str, **variables: Any) -> str:
    return environment().get_template(template).render(**variables).strip() + "\n"


# --- reading answers ---------------------------------------------------------------------------


def read_answer(text: str) -> dict[str, Any]:
    """The JSON object of an answer, mended if broken (fences, prose around it, trailing commas);
    AnswerError when there is none."""
    return json_object(text)


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
    if name in _TEXT_FIELDS:
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
        value = values.get(name, "" if name in _TEXT_FIELDS else [])
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
        budget = paper_budget(
            context_window=self.model.context_window,
            overhead=estimate_tokens(system) + estimate_tokens(skeleton),
            max_output_tokens=self.params.max_output_tokens,
            max_input_tokens=self.max_input_tokens,
            cap=self.paper_tokens,
        )
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

    async def awrite(self, paper: Paper, *, analysis: Analysis | None = None) -> DigestOutcome:
        """Write the digest of ``paper``; raise DigestFailure when a model request fails for
        good (with the answers received and what they cost)."""
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
        # One session for the three writers: they share the output protocol and the usage.
        session = StructuredSession(self.model, self.params)
        outcome.completions = session.completions
        state = _State()

        async def first(writer: Writer) -> None:
            notes: list[str] = []

            def build(structured: bool) -> list[Message]:
                messages, note = self.build_messages(writer, paper, analysis, structured=structured)
                notes.append(note)
                return messages

            messages, completion = await session.first(build, answer_schema(writer.fields))
            outcome.notes.append(notes[0])
            state.conversations[writer.name] = messages
            self._take(session, state, writer, writer.fields, completion)

        await self._all(session, [first(w) for w in WRITERS])
        digest, problems = self._assemble(base, state, index)

        for round_number in range(1, self.repairs + 1):
            failing = self._failing(problems, state)
            if not failing:
                break
            outcome.repair_rounds = round_number
            await self._all(
                session,
                [self._repair(session, state, w, f, msgs) for w, (f, msgs) in failing.items()],
            )
            digest, problems = self._assemble(base, state, index)

        outcome.digest, outcome.problems = self._settle(digest, problems, index)
        outcome.usage = session.usage
        return outcome

    async def _all(
        self, session: StructuredSession, calls: list[Coroutine[Any, Any, None]]
    ) -> None:
        """Run writer calls together; if one fails for good, fail the paper with what it cost
        (a rerun must ask again, not replay half a digest: the session forgets every answer)."""
        errors = [e for e in await asyncio.gather(*calls, return_exceptions=True) if e is not None]
        if not errors:
            return
        first = errors[0]
        if not isinstance(first, AblabError):
            raise first  # a bug, KeyboardInterrupt, cancellation: not ours to handle
        failure: TaskFailure = session.failure(str(first))
        raise DigestFailure(
            str(first), usage=failure.usage, raw_responses=failure.raw_responses
        ) from first

    def _take(
        self,
        session: StructuredSession,
        state: _State,
        writer: Writer,
        fields: Sequence[str],
        completion: Completion,
    ) -> None:
        """Record ``completion`` as the writer's answer for ``fields``."""
        state.last_answer[writer.name] = completion
        try:
            # A cut-off answer is still read: every field is checked, and what is missing or
            # wrong goes back to the writer in a repair round.
            answer = session.read(completion, read_answer, partial_ok=True)
        except AnswerError as exc:
            session.forget(completion)  # never replay an unusable answer from the cache
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
        session: StructuredSession,
        state: _State,
        writer: Writer,
        fields: list[str],
        problems: list[str],
    ) -> None:
        request = _render("digest_repair.md.j2", problems=problems, fields=fields)
        conversation, completion = await session.again(
            state.conversations[writer.name],
            state.last_answer[writer.name],
            Message(role="user", content=request),
            answer_schema(fields),
        )
        state.conversations[writer.name] = conversation
        self._take(session, state, writer, fields, completion)

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

    values: dict[str, Any] = field(default_factory=dict)
    gaps: dict[str, str] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)
    last_answer: dict[str, Completion] = field(default_factory=dict)
    conversations: dict[str, list[Message]] = field(default_factory=dict)
