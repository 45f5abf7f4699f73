"""Answers to digest-writer prompts from the offline digest, for the ``fake/heuristic`` model.

With it, ``ablab digest --model fake/heuristic`` runs the whole language-model path (prompts,
budgets, answer parsing, checks, repair rounds, run directory, call log) without a network. The
answer is the offline digest of the paper excerpt quoted in the prompt; sections the offline
writer leaves as gaps are reported as ``not_filled`` with its reason.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ablab.digest.offline import digest_offline
from ablab.formats.rpa2.model import Digest
from ablab.papers import paper_from_markdown

DIGEST_PART = re.compile(r"^Digest part: (\w+)$", re.M)
"""How a digest-writer prompt names its writer (see ``prompts/digest_section.md.j2``)."""
_FIELD = re.compile(r'^- "(\w+)": ', re.M)
_PAPER = re.compile(r"<paper>\n(.*?)\n</paper>", re.S)


def is_digest_prompt(prompt: str) -> bool:
    """Whether ``prompt`` is a digest writer's request."""
    return DIGEST_PART.search(prompt) is not None


def _value(digest: Digest, name: str) -> Any:
    arch = digest.architecture
    if name == "primary_result":
        facts = {f.label: f.value for f in digest.quick_facts}
        return facts.get("Primary result", "")
    if name == "foundational_learning":
        return [
            {"concept": c.concept, "why": c.why, "quick_check": c.quick_check or ""}
            for c in digest.foundational_learning
        ]
    if name == "open_questions":
        return [{"title": q.title or "", "detail": q.detail} for q in digest.open_questions]
    if name == "confidence":
        return [
            {"claim": r.claim, "level": r.level or "Medium", "note": r.note or ""}
            for r in digest.confidence
        ]
    if hasattr(arch, name):
        return getattr(arch, name)
    return getattr(digest, name)


def offline_digest_reply(prompt: str, last_request: str) -> str:
    """The answer to a digest-writer conversation: the fields its last request asks for."""

    paper_match = _PAPER.search(prompt)
    paper_text = paper_match.group(1) if paper_match else prompt
    digest = digest_offline(paper_from_markdown(paper_text, paper_id="fake-digest"))
    fields = [f for f in _FIELD.findall(last_request) if f != "not_filled"]
    answer: dict[str, Any] = {name: _value(digest, name) for name in fields}
    gap_keys = {key.removeprefix("architecture."): reason for key, reason in digest.gaps.items()}
    answer["not_filled"] = [
        {"section": name, "reason": gap_keys[name]}
        for name in fields
        if name in gap_keys and not answer[name]
    ]
    return json.dumps(answer, ensure_ascii=False)
