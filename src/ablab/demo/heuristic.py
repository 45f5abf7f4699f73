"""``fake/heuristic``: a demo model that answers ablab's own prompts with ablab's offline work.

It answers any planning prompt with the plan of the offline heuristic planner for the paper quoted
in the prompt, so that ``ablab plan --planner lm --model fake/heuristic`` runs the whole
language-model path (prompt, parsing, validation, run directory) without a network. It answers a
digest writer's prompt with the offline digest's sections (:mod:`ablab.demo.digest_reply`), so
``ablab digest --model fake/heuristic`` does the same for digests, and a design writer's prompt
with the offline draft the prompt quotes (``ablab design --model fake/heuristic``).

It is registered in ``pyproject.toml`` under the ``ablab.models`` entry-point group, the way a
third-party provider would register its models.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ablab._util.version import __version__
from ablab.demo.digest_reply import is_digest_prompt, offline_digest_reply
from ablab.models.base import Message, ModelRequestError
from ablab.models.fake import FakeModel
from ablab.models.registry import RegisteredModel
from ablab.papers import paper_from_markdown
from ablab.planners import get_planner
from ablab.schema import Design, Mode

# The planner prompts state the task in these words (see ablab/prompts/); the heuristic fake reads
# them back. Real models read them as plain instructions.
_MODE_RE = re.compile(r"^Mode: (author|reviewer)\b", re.M)
_K_RE = re.compile(r"^Number of ablations: at most (\d+)\b", re.M)
_PAPER_RE = re.compile(r"<paper>\n(.*?)\n</paper>", re.S)
_DESIGN_DRAFT_RE = re.compile(
    r"^A draft written offline from the paper's setup section; correct and complete it:\n"
    r"(\{.*?\n\})\n",
    re.M | re.S,
)


def heuristic_reply(messages: list[Message]) -> str:
    """The heuristic planner's plan for the paper quoted in ``messages``, as plan JSON."""
    prompt = "\n".join(m.content for m in messages if m.role != "assistant")
    if is_digest_prompt(prompt):  # a digest writer: answer with the offline digest's sections
        return offline_digest_reply(prompt, messages[-1].content)
    draft = _DESIGN_DRAFT_RE.search(prompt)
    if draft:  # a design writer: answer with the offline draft it was given
        return draft.group(1)
    mode_match, k_match, paper_match = (r.search(prompt) for r in (_MODE_RE, _K_RE, _PAPER_RE))
    if not (mode_match and k_match and paper_match):
        raise ModelRequestError(
            "fake/heuristic only answers ablab planning prompts (mode, k and <paper> not found)"
        )
    paper = paper_from_markdown(paper_match.group(1), paper_id="fake-heuristic")
    plan = get_planner("heuristic").plan(
        paper, mode=Mode(mode_match.group(1)), k=int(k_match.group(1))
    )
    body: dict[str, Any] = {
        "reasoning": plan.reasoning or "Plan of the offline heuristic planner (fake/heuristic).",
        "ablations": [
            {
                **a.to_bench_dict(),
                "rationale": a.rationale or "",
                **(a.design or Design()).model_dump(),
            }
            for a in plan.ablations
        ],
    }
    return json.dumps(body, ensure_ascii=False)


def heuristic_model(model_id: str = "heuristic") -> FakeModel:
    """The ``fake/heuristic`` model (see the module docstring)."""
    return FakeModel(
        heuristic_reply, name=f"fake/{model_id}", identity=f"fake/{model_id}@{__version__}"
    )


HEURISTIC = RegisteredModel(
    heuristic_model,
    "answers planning prompts with the offline heuristic planner's plan "
    "(and digest prompts with the offline digest)",
)
"""The entry point ``fake/heuristic`` of the ``ablab.models`` group (see ``pyproject.toml``)."""
