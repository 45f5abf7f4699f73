"""An ablation's study design written offline from the paper's own experimental setup.

Datasets are the capitalised names the setup sentences train or evaluate *on*; the procedure
quotes those sentences; groups, metrics and controls come from the ablation and its design
fields. What the paper does not state is listed under ``missing``, never filled in.
"""

from __future__ import annotations

import re

from ablab.analysis.sentences import split_sentences
from ablab.design.model import Group, StudyDesign
from ablab.schema import Ablation, Action, Evidence, Paper, Section, SectionRole

MAX_SETUP_SENTENCES = 6
"""Setup sentences quoted in the procedure."""

_SETUP_TITLES = (
    re.compile(r"setup|protocol|settings?\b", re.IGNORECASE),
    re.compile(r"datasets?|benchmarks?", re.IGNORECASE),
    re.compile(r"implementation|training details", re.IGNORECASE),
)
"""Section titles that describe the setup, most telling first."""
_SETUP_SENTENCES = 4
"""Setup sentences quoted in the procedure."""

_SETUP_TITLE = re.compile(
    r"setup|settings?|implementation|datasets?|benchmarks?|protocol|training details",
    re.IGNORECASE,
)
_SETUP_SENTENCE = re.compile(
    r"\b(?:train|trained|pretrain|pre-train|fine-tune|evaluate|evaluated|test|report|benchmark|"
    r"dataset|datasets|split)\w*\b",
    re.IGNORECASE,
)
_DATASET = re.compile(
    r"\b(?:on|from|using)\s+(?:the\s+)?(?:(?:training|validation|test|val)\s+(?:split|set)\s+"
    r"of\s+(?:the\s+)?)?([A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*)"
)
_NOT_DATASET = frozenset({"The", "A", "An", "All", "Each", "Both", "Table", "Figure", "Section"})


def setup_sections(paper: Paper) -> list[Section]:
    """Sections that describe the experimental setup (by title, else the experiments' first)."""
    found: list[Section] = []
    for pattern in _SETUP_TITLES:
        found += [
            s for s in paper.walk() if pattern.search(s.title) and s.text.strip() and s not in found
        ]
    if found:
        return found
    experiments = [s for s in paper.walk() if s.role is SectionRole.EXPERIMENTS and s.text.strip()]
    return experiments[:1]


def _setup_sentences(paper: Paper) -> list[Evidence]:
    evidence = []
    for section in setup_sections(paper):
        for sentence in split_sentences(section.text):
            if _SETUP_SENTENCE.search(sentence):
                evidence.append(
                    Evidence(section_id=section.id, section_title=section.title, quote=sentence)
                )
    return evidence


def datasets_in(sentences: list[str], exclude: set[str]) -> list[str]:
    """Names the sentences train or evaluate on (``on ImageNet-1K``, ``on COCO``)."""
    names: list[str] = []
    for sentence in sentences:
        for match in _DATASET.finditer(sentence):
            name = match.group(1).rstrip(".")
            if name in _NOT_DATASET or name.lower() in exclude or name in names:
                continue
            names.append(name)
    return names


def groups_of(ablation: Ablation) -> list[Group]:
    """The full method and one group per variant."""
    groups = [
        Group(name="full method", description="The method as the paper describes it.", control=True)
    ]
    part = ablation.ablated_part
    for variant in ablation.variants():
        if ablation.action is Action.REMOVE:
            groups.append(
                Group(name=f"without {part}", description=f"The method with the {part} removed.")
            )
        elif ablation.action is Action.ADD:
            groups.append(
                Group(name=f"with {variant}", description=f"The method with {variant} added.")
            )
        else:
            groups.append(
                Group(
                    name=variant, description=f"The method with the {part} replaced by {variant}."
                )
            )
    return groups


def _objective(ablation: Ablation, paper: Paper) -> str:
    question = ablation.design.question if ablation.design else None
    metrics = " and ".join(ablation.metrics[:2]) or "the paper's main metric"
    verb = {
        Action.REMOVE: f"removing the {ablation.ablated_part}",
        Action.REPLACE: f"replacing the {ablation.ablated_part} with "
        + ", ".join(ablation.replacement or []),
        Action.ADD: f"adding {', '.join(ablation.replacement or [])}",
    }[ablation.action]
    method = paper.title.split(":")[0].strip() if ":" in paper.title else "the method"
    objective = f"Measure how {verb} changes {metrics} of {method}."
    return f"{objective} {question}" if question else objective


def offline_design(
    paper: Paper, ablation: Ablation, *, method_names: set[str] | None = None
) -> StudyDesign:
    """The study design of ``ablation`` from ``paper`` (the full paper, setup included)."""
    evidence = _setup_sentences(paper)[:MAX_SETUP_SENTENCES]
    quotes = [e.quote for e in evidence]
    exclude = {n.lower() for n in (method_names or set())}
    datasets = datasets_in(quotes, exclude)
    controls = list(ablation.design.controls) if ablation.design else []
    procedure = [
        "Train the full method and every variant below with the same data, schedule and seeds, "
        "changing nothing but the ablated part."
    ]
    procedure += [f'As in the paper\'s setup: "{quote}"' for quote in quotes]
    procedure.append(
        "Report each group's mean ± standard deviation over seeds and its difference to the full "
        "method with a 95% interval (ablab table)."
    )
    missing = []
    if not evidence:
        missing.append("the paper's experimental setup (no setup section was found)")
    if not datasets:
        missing.append("the datasets (the setup names none ablab could recognise)")
    if not ablation.metrics:
        missing.append("the metrics")
    if not any("seed" in c.lower() for c in controls):
        missing.append("the number of seeds (the paper does not state it)")
    return StudyDesign(
        paper_id=paper.id,
        paper_title=paper.title,
        ablation=ablation,
        research_objective=_objective(ablation, paper),
        groups=groups_of(ablation),
        datasets=datasets,
        procedure=procedure,
        metrics=list(ablation.metrics),
        controls=controls,
        evidence=evidence,
        missing=missing,
    )
