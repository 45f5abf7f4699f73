"""The rpa2 pipeline's own quality checks, as rules a digest can be measured against.

The pipeline that defined the ``ver: rpa2`` format (research_paper_analysis_v2) checks its
digests in two places, restated here in ablab's terms:

- its **quality sentinel**: every required section heading is present; no fallback phrase
  ("insufficient context"...) leaks into the text; the numbers of the Executive Summary and Key
  Results are found in the paper's text, which the sentinel looks up by the digest's ``arxiv_id``
  (so a digest must name its source); no two digests open their Executive Summary with the same
  sentence (a boilerplate opener);
- its **completeness judge** and **report assembler**: each section has useful content rather
  than a placeholder line; Foundational Learning names several concrete concepts; Architecture
  Onboarding has a component map, critical path, design tradeoffs, failure signatures and exactly
  three first experiments; Confidence maps claims to High/Medium/Low; Key Results has at most
  three bullets; Next Checks has exactly three concrete checks; no code fences; and the
  front matter names the ``model`` that wrote the digest.

:func:`pipeline_problems` returns, for one digest, the rules it breaks; a digest that breaks none
would pass the pipeline's checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ablab.formats.rpa2.model import ARCHITECTURE_PARTS, SECTIONS, Digest
from ablab.formats.rpa2.render import render_digest

FALLBACK_PHRASES = (
    "no paper content provided",
    "insufficient context",
    "unable to determine",
    "content unavailable",
    "not enough information",
)
"""Phrases the sentinel treats as a writer's fallback leaking into a digest."""

MIN_GROUNDING = 0.85
"""Share of the checked numbers that must be found in the paper text (the sentinel's default)."""

# The sentinel's notion of a number: digits with optional thousands commas, decimals and a
# %/k/m/b suffix; found by looking for the written forms in the lower-cased paper text.
_NUMBER = re.compile(r"[+-]?\d{1,3}(?:,\d{3})*(?:\.\d+)?(?:%|[kKmMbB])?")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

RULES: tuple[tuple[str, str], ...] = (
    ("sections", "every required section heading is present"),
    ("fallback", "no fallback phrase leaks into the text"),
    ("source", "the front matter names the source text (arxiv_id or source)"),
    ("grounding", f"at least {MIN_GROUNDING:.0%} of summary and result numbers are in the paper"),
    ("placeholders", "no section or architecture part is a placeholder line"),
    ("concepts", "Foundational Learning names at least two concepts"),
    ("architecture", "Architecture Onboarding has all five parts"),
    ("first_experiments", "exactly three first experiments"),
    ("confidence", "every confidence rating says High, Medium or Low"),
    ("key_results", "one to three Key Results bullets"),
    ("next_checks", "exactly three Next Checks"),
    ("code_fences", "no code fences"),
    ("model", "the front matter names the model that wrote the digest"),
)
"""(rule, what it asks) of every check, in report order."""


@dataclass(frozen=True)
class RuleFailure:
    """One pipeline rule a digest breaks."""

    rule: str
    """Name of the rule (a key of :data:`RULES`)."""
    detail: str
    """What is wrong."""


def _variants(token: str) -> set[str]:
    """The written forms the sentinel accepts for a number (``1,200`` -> ``1200``...)."""
    plain = token.strip().lower().replace(",", "")
    forms = {token.strip().lower(), plain}
    if plain.endswith("%") or plain.endswith(("k", "m", "b")):
        forms.add(plain[:-1])
    core = plain.rstrip("%kmb")
    if re.fullmatch(r"[+-]?\d+\.0+", core):
        forms.add(str(int(float(core))))
    return {f for f in forms if f}


def checked_numbers(digest: Digest) -> list[str]:
    """The distinct numbers of the Executive Summary and Key Results, as the sentinel finds them."""
    text = digest.executive_summary + "\n" + "\n".join(digest.key_results)
    return sorted(set(_NUMBER.findall(text)))


def ungrounded_numbers(digest: Digest, paper_text: str) -> list[str]:
    """Checked numbers none of whose written forms occur in ``paper_text``."""
    hay = paper_text.lower()
    return [n for n in checked_numbers(digest) if not any(v in hay for v in _variants(n))]


def exec_opener(digest: Digest) -> str:
    """The Executive Summary's first sentence, normalised (the sentinel compares these)."""
    first = _SENTENCE_END.split(" ".join(digest.executive_summary.split()), maxsplit=1)[0]
    return first.strip().lower()


def _placeholders(digest: Digest) -> list[str]:
    """Sections and architecture parts written as a ``_Not filled_`` line (the front matter's
    core contribution is not part of the report body the judge reads)."""
    return [key for key in digest.gaps if key != "core_contribution"]


def pipeline_problems(digest: Digest, paper_text: str | None) -> list[RuleFailure]:
    """The pipeline rules ``digest`` breaks. ``paper_text`` is the source text the numbers are
    checked against (None: the numbers cannot be checked, which fails ``grounding``)."""
    text = render_digest(digest)
    failures: list[RuleFailure] = []

    def fail(rule: str, detail: str) -> None:
        failures.append(RuleFailure(rule, detail))

    headings = set(re.findall(r"^## (.+)$", text, re.M))
    if missing := [h for _, h in SECTIONS if h not in headings]:
        fail("sections", f"missing: {', '.join(missing)}")
    lowered = text.lower()
    if hits := [p for p in FALLBACK_PHRASES if p in lowered]:
        fail("fallback", ", ".join(hits))
    source = digest.arxiv_id or digest.extra_frontmatter.get("source")
    if not source:
        fail("source", "no arxiv_id or source in the front matter")
    numbers = checked_numbers(digest)
    if paper_text is None:
        fail("grounding", "the source text is not available")
    elif numbers:
        missing_numbers = ungrounded_numbers(digest, paper_text)
        share = 1 - len(missing_numbers) / len(numbers)
        if share < MIN_GROUNDING:
            fail("grounding", f"{share:.0%} found; not in the paper: {', '.join(missing_numbers)}")
    if placeholders := _placeholders(digest):
        fail("placeholders", ", ".join(placeholders))
    if len(digest.foundational_learning) < 2:
        fail("concepts", f"{len(digest.foundational_learning)} concept(s)")
    arch = digest.architecture
    if absent := [label for key, label in ARCHITECTURE_PARTS if not getattr(arch, key)]:
        fail("architecture", f"missing: {', '.join(absent)}")
    if len(arch.first_experiments) != 3:
        fail("first_experiments", f"{len(arch.first_experiments)} first experiment(s)")
    if not digest.confidence or any(r.level is None for r in digest.confidence):
        fail("confidence", "no ratings" if not digest.confidence else "a rating has no level")
    if not 1 <= len(digest.key_results) <= 3:
        fail("key_results", f"{len(digest.key_results)} bullets")
    if len(digest.next_checks) != 3:
        fail("next_checks", f"{len(digest.next_checks)} checks")
    if "```" in text:
        fail("code_fences", "a code fence")
    if not digest.extra_frontmatter.get("model"):
        fail("model", "no model in the front matter")
    return failures
