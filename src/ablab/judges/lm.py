"""The ``lm`` judge: a language model decides which ablations match.

Author task: the ground truth and the plan are shown as two anonymous lists, A and B. Which one is
the ground truth is drawn at random per paper, and items are shuffled within each list, so the
model can favour neither side nor an order; ids are mapped back afterwards. The model answers
with structured output (a JSON list of id pairs) when the endpoint supports it, else with JSON
text. Reviewer task: the reviews (shuffled) and the planned ablations (shuffled, anonymous ids);
the model says for each ablation whether a review requests it. In both, an unusable answer is
asked again once (:mod:`ablab.tasks.structured`).

The random draws are seeded by the judge's ``seed`` and the paper id, so a rerun sends the same
prompt (and hits the response cache).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ablab._util.aio import run_sync
from ablab.errors import JudgeError
from ablab.judges.base import AuthorJudgement, PaperContext, ReviewDecision, ReviewerJudgement
from ablab.judges.lm_prompts import PAIRS_SCHEMA, VERDICTS_SCHEMA, describe, render
from ablab.matching.match import Match
from ablab.models import GenerateParams, Message, ResponseSchema, get_model
from ablab.schema import Ablation
from ablab.tasks.answers import AnswerError, NoJSONObject, json_object
from ablab.tasks.structured import TaskAnswer, TaskFailure, ask_structured

if TYPE_CHECKING:
    from ablab.models import Completion, Model

T = TypeVar("T")


class UnusableJudgement(JudgeError, AnswerError):
    """The judge's answer cannot be read (the message is sent back in the one re-ask)."""


@dataclass(frozen=True)
class SideLayout:
    """How the two lists were shown: ids in display order, each with its source index."""

    side_a: list[tuple[str, int]]
    """List A: (id, index in its source list)."""
    side_b: list[tuple[str, int]]
    """List B: (id, index in its source list)."""
    reference_is_a: bool
    """Whether list A holds the ground truth (else the plan)."""

    def to_matches(self, pairs: Sequence[tuple[str, str, str]]) -> tuple[list[Match], list[str]]:
        """Map (A id, B id, reason) answers back to (reference, plan) matches; unknown ids noted."""
        index_a, index_b = dict(self.side_a), dict(self.side_b)
        found: dict[tuple[int, int], Match] = {}
        notes = []
        for a, b, reason in pairs:
            if a not in index_a or b not in index_b:
                a, b = b, a  # the model may swap the two fields
            if a not in index_a or b not in index_b:
                notes.append(f"ignored an answer pair with unknown ids ({a}, {b})")
                continue
            ref, plan = (
                (index_a[a], index_b[b]) if self.reference_is_a else (index_b[b], index_a[a])
            )
            found.setdefault((ref, plan), Match(reference=ref, plan=plan, reason=reason))
        return sorted(found.values(), key=lambda m: (m.reference, m.plan)), notes


def lay_out_sides(n_reference: int, n_plan: int, rng: random.Random) -> SideLayout:
    """Shuffle both lists and put the ground truth on side A or B at random."""
    reference_is_a = rng.random() < 0.5
    reference_order, plan_order = list(range(n_reference)), list(range(n_plan))
    rng.shuffle(reference_order)
    rng.shuffle(plan_order)
    first, second = (
        (reference_order, plan_order) if reference_is_a else (plan_order, reference_order)
    )
    return SideLayout(
        side_a=[(f"A{i + 1}", source) for i, source in enumerate(first)],
        side_b=[(f"B{i + 1}", source) for i, source in enumerate(second)],
        reference_is_a=reference_is_a,
    )


def _json_object(text: str) -> dict[str, Any]:
    """The JSON object in a model answer (code fences and surrounding prose tolerated)."""
    try:
        return json_object(text)
    except NoJSONObject:
        raise UnusableJudgement(f"the judge's answer is not a JSON object: {text[:80]!r}") from None


def parse_pairs(text: str) -> list[tuple[str, str, str]]:
    """(a, b, reason) triples of an author-task answer."""
    pairs = _json_object(text).get("pairs")
    if not isinstance(pairs, list):
        raise UnusableJudgement("the judge's answer has no 'pairs' list")
    return [
        (str(p.get("a", "")).strip(), str(p.get("b", "")).strip(), str(p.get("reason", "")))
        for p in pairs
        if isinstance(p, dict)
    ]


def parse_verdicts(text: str) -> dict[str, tuple[bool, str]]:
    """id -> (requested, evidence) of a reviewer-task answer."""
    verdicts = _json_object(text).get("verdicts")
    if not isinstance(verdicts, list):
        raise UnusableJudgement("the judge's answer has no 'verdicts' list")
    found: dict[str, tuple[bool, str]] = {}
    for verdict in verdicts:
        if isinstance(verdict, dict) and "id" in verdict:
            requested = verdict.get("requested")
            if isinstance(requested, str):
                requested = requested.strip().lower() in {"true", "yes"}
            found[str(verdict["id"]).strip()] = (bool(requested), str(verdict.get("evidence", "")))
    return found


class LMJudge:
    """Judge with one language model (``provider/model`` name or a Model instance)."""

    def __init__(self, model: str | Model, *, seed: int = 0, temperature: float | None = 0.0):
        if isinstance(model, str):
            model = get_model(model)
        self.model = model
        self.seed = seed
        self.temperature = temperature
        self.name = f"lm:{model.name}"

    def _ask(
        self,
        user: str,
        schema_name: str,
        schema: dict[str, Any],
        read: Callable[[str], T],
        context: PaperContext,
    ) -> TaskAnswer[T]:
        """One judgement: structured output when supported, one re-ask on an unusable answer."""
        messages = [
            Message(role="system", content=render("system.md.j2")),
            Message(role="user", content=user),
        ]

        def re_ask(error: AnswerError, answer: Completion, structured: bool) -> Message:
            return Message(role="user", content=render("repair.md.j2", error=str(error)).strip())

        try:
            return run_sync(
                ask_structured(
                    self.model,
                    schema=ResponseSchema(name=schema_name, json_schema=schema),
                    build=lambda structured: messages,
                    read=read,
                    re_ask=re_ask,
                    params=GenerateParams(temperature=self.temperature),
                    what="usable judgement",
                )
            )
        except TaskFailure as exc:
            raise JudgeError(f"paper {context.paper_id}: {exc}") from None

    def _rng(self, context: PaperContext) -> random.Random:
        return random.Random(f"{self.seed}:{context.paper_id}")

    def judge_author(
        self, reference: list[Ablation], plan: list[Ablation], context: PaperContext
    ) -> AuthorJudgement:
        """Ask the model which items of the two anonymous lists pair up."""
        judgement = AuthorJudgement(
            paper_id=context.paper_id, judge=self.name, reference=reference, plan=plan
        )
        if not reference or not plan:
            return judgement
        layout = lay_out_sides(len(reference), len(plan), self._rng(context))
        lists = (reference, plan) if layout.reference_is_a else (plan, reference)
        user = render(
            "author_user.md.j2",
            title=context.title or context.paper_id,
            abstract=context.abstract,
            side_a=[{"id": i, "text": describe(lists[0][s])} for i, s in layout.side_a],
            side_b=[{"id": i, "text": describe(lists[1][s])} for i, s in layout.side_b],
        )
        answer = self._ask(user, "ablation_pairs", PAIRS_SCHEMA, parse_pairs, context)
        matches, _ = layout.to_matches(answer.value)
        return judgement.model_copy(update={"matches": matches, "usage": answer.usage})

    def judge_reviewer(
        self, reviews: list[str], num_requested: int, plan: list[Ablation], context: PaperContext
    ) -> ReviewerJudgement:
        """Ask the model which planned ablations the (shuffled) reviews request."""
        judgement = ReviewerJudgement(
            paper_id=context.paper_id, judge=self.name, plan=plan, num_requested=num_requested
        )
        if not plan:
            return judgement
        rng = self._rng(context)
        shown_reviews = list(reviews)
        rng.shuffle(shown_reviews)
        order = list(range(len(plan)))
        rng.shuffle(order)
        ids = {f"P{n + 1}": index for n, index in enumerate(order)}
        user = render(
            "reviewer_user.md.j2",
            title=context.title or context.paper_id,
            abstract=context.abstract,
            reviews=shown_reviews,
            items=[{"id": i, "text": describe(plan[index])} for i, index in ids.items()],
        )
        answer = self._ask(user, "review_verdicts", VERDICTS_SCHEMA, parse_verdicts, context)
        verdicts = answer.value
        decisions = []
        for shown_id, index in sorted(ids.items(), key=lambda item: item[1]):
            requested, evidence = verdicts.get(shown_id, (False, "no verdict given"))
            decisions.append(ReviewDecision(plan=index, appears=requested, evidence=evidence))
        return judgement.model_copy(update={"decisions": decisions, "usage": answer.usage})
