"""Section roles from heading text, and the passes that give every section of a tree its role.

Rules, in order of precedence:

* A heading's own words decide its role (``heading_role``); the first matching rule wins, so
  "Results and Discussion" is ``results`` and "Limitations and Future Work" is ``limitations``.
* Everything after an "Appendix" heading (or LaTeX ``\\appendix``), top-level sections numbered
  with a letter ("A", "B.2") and sections after the references are ``appendix``.
* An unrecognised top-level section between the introduction/background and the experiments is
  taken to be the method (papers often title it after the method's name).
* Subsections inherit their parent's role unless their own heading names one of the strong roles
  (ablation, results, experiments, limitations), so "4.3 Ablation Study" under "Experiments" is
  ``ablations`` and "3.3 Model" under "Method" stays ``method``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ablab.schema import EXPERIMENT_ROLES, Section, SectionRole

R = SectionRole

_ABLATION = "|".join(
    (
        r"\bablat(?:ion|ions|ive|ing)\b",
        r"\b(?:component|module)s?[- ]wise analysis\b",
        r"\banalysis of (?:the )?(?:components|modules)\b",
        r"\b(?:component|module) analysis\b",
    )
)
_RESULTS = r"(?<!theoretical )\bresults?\b|\bfindings\b"
_EXPERIMENTS = (
    r"\bexperiment(?:s|al|ation)?\b"
    r"|^empirical (?:stud(?:y|ies)|analysis|convergence|validation|comparisons?)\b"
)
_LIMITATIONS = r"\blimitations?\b"

# (role, alternatives) in precedence order; patterns run on the lower-cased title without numbering.
_RULES: tuple[tuple[SectionRole, tuple[str, ...]], ...] = (
    (R.ABSTRACT, (r"^abstract\b",)),
    (R.REFERENCES, (r"^(?:references|bibliography|works cited|literature cited)\b",)),
    (R.APPENDIX, (r"^(?:appendix|appendices|supplementary|supplemental)\b",)),
    (R.ABLATIONS, (_ABLATION,)),
    (R.LIMITATIONS, (_LIMITATIONS,)),
    (R.RESULTS, (_RESULTS,)),
    (R.CONCLUSION, (r"\bconclu(?:sion|sions|ding)\b", r"\bfuture (?:work|directions)\b")),
    (
        R.EXPERIMENTS,
        (_EXPERIMENTS, r"\bevaluations?\b", r"\bempirical (?:study|studies|analysis)\b"),
    ),
    (R.DISCUSSION, (r"\bdiscussions?\b",)),
    (
        R.RELATED_WORK,
        (
            r"\b(?:related|prior|previous) (?:work|works|research|literature)\b",
            r"\bliterature review\b",
        ),
    ),
    (
        R.BACKGROUND,
        (
            r"\bbackground\b",
            r"\bpreliminar(?:y|ies)\b",
            r"\bproblem (?:formulation|setup|setting|statement|definition)\b",
            r"\bnotations?\b",
        ),
    ),
    (R.INTRODUCTION, (r"\bintroduction\b", r"\bmotivation\b")),
    (
        R.METHOD,
        (
            r"\bmethods?\b",
            r"\bmethodology\b",
            r"\bapproach(?:es)?\b",
            r"\bproposed\b",
            r"\bmodel\b",
            r"\bframework\b",
            r"\barchitecture\b",
            r"\balgorithm\b",
        ),
    ),
)
_COMPILED = tuple((role, re.compile("|".join(alternatives))) for role, alternatives in _RULES)

# Roles a subsection may claim against its parent's role (the cut points of author mode, mostly).
_STRONG = {
    R.ABLATIONS: re.compile(_ABLATION),
    R.RESULTS: re.compile(_RESULTS),
    R.EXPERIMENTS: re.compile(_EXPERIMENTS),
    R.LIMITATIONS: re.compile(_LIMITATIONS),
}

_FOOTNOTE_MARK = re.compile(r"(?<=[a-z])(?:\d{1,2}|[*∗†‡§¶])+$")
_LETTER_NUMBER = re.compile(r"^[A-Z](?:\.\d+)*$")
_METHOD_PREFIX = frozenset({R.INTRODUCTION, R.RELATED_WORK, R.BACKGROUND, R.METHOD})
_AFTER_METHOD = EXPERIMENT_ROLES | {
    R.DISCUSSION,
    R.LIMITATIONS,
    R.CONCLUSION,
    R.REFERENCES,
    R.APPENDIX,
}


def heading_role(title: str, *, nested: bool = False) -> SectionRole | None:
    """The role a heading's words name, or None.

    ``nested`` limits the answer to the strong roles a subsection may claim over its parent.
    """
    # "Experiments1", "Results*": a footnote mark glued to the heading's last word
    text = _FOOTNOTE_MARK.sub("", " ".join(title.lower().split()))
    if nested:
        return next((role for role, rx in _STRONG.items() if rx.search(text)), None)
    return next((role for role, rx in _COMPILED if rx.search(text)), None)


def assign_roles(
    sections: list[Section],
    *,
    fixed: Mapping[str, SectionRole] | None = None,
    appendix_from: Iterable[str] = (),
) -> None:
    """Set ``role`` on every section of the tree in place.

    ``fixed`` maps section ids to roles the source states outright (e.g. digest headings);
    ``appendix_from`` holds ids of sections that follow an explicit appendix marker.
    """
    fixed = fixed or {}
    marked = set(appendix_from)
    in_appendix = after_references = False
    for section in sections:
        role = fixed.get(section.id) or heading_role(section.title)
        if section.id in marked or role is R.APPENDIX:
            in_appendix = True
        if role is R.REFERENCES:
            after_references = True
        elif in_appendix or after_references or _LETTER_NUMBER.match(section.number or ""):
            role = R.APPENDIX
        section.role = role or R.OTHER
    _infer_method(sections, fixed)
    for section in sections:
        _inherit(section, fixed)


def _infer_method(sections: list[Section], fixed: Mapping[str, SectionRole]) -> None:
    seen_prefix = False
    last_background: Section | None = None
    for section in sections:
        if section.role in _AFTER_METHOD:
            break
        if section.role in _METHOD_PREFIX:
            seen_prefix = True
            if section.role is R.BACKGROUND and section.id not in fixed:
                last_background = section
        elif section.role is R.OTHER and seen_prefix and section.id not in fixed:
            section.role = R.METHOD
    # No method section, but a background one right before the experiments ("Problem
    # formulation and overview of our method"): the method is written there.
    if (
        last_background is not None
        and not any(s.role is R.METHOD for s in sections)
        and any(s.role in EXPERIMENT_ROLES for s in sections)
    ):
        last_background.role = R.METHOD


def _inherit(parent: Section, fixed: Mapping[str, SectionRole]) -> None:
    for child in parent.children:
        if child.id in fixed:
            child.role = fixed[child.id]
        elif parent.role in (R.APPENDIX, R.REFERENCES):
            child.role = parent.role
        elif parent.role is R.OTHER:
            child.role = heading_role(child.title) or R.OTHER
        else:
            child.role = heading_role(child.title, nested=True) or parent.role
        _inherit(child, fixed)
