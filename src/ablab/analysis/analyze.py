"""``analyze(paper) -> Analysis``: run every extractor over one shared list of sentences."""

from __future__ import annotations

from ablab.analysis.alternatives import STANDARD_ACRONYMS
from ablab.analysis.component_index import ComponentIndex
from ablab.analysis.components import find_parts
from ablab.analysis.confidence import (
    component_confidence,
    design_confidence,
    hyperparameter_confidence,
)
from ablab.analysis.design import DESIGN_VOCAB, find_design
from ablab.analysis.existing import find_existing_ablations
from ablab.analysis.hyperparameters import find_hyperparameters
from ablab.analysis.metrics import find_metrics
from ablab.analysis.rejected import find_rejected_alternatives
from ablab.analysis.sentences import SKIPPED_ROLES, Sentence, iter_sentences
from ablab.analysis.symbols import symbol_key
from ablab.analysis.terms import term_key
from ablab.analysis.variants import find_model_variants
from ablab.schema import Analysis, Component, DesignChoice, Hyperparameter, Mode, Paper


def analyze(paper: Paper, *, mode: Mode | None = None) -> Analysis:
    """Offline evidence about ``paper``: components, hyperparameters, design choices, metrics
    and the ablations it already reports.

    Deterministic and linear in the paper's length. ``mode`` only records which view of the paper
    was analysed (author-mode papers are already cut before their experiments).
    """
    sentences = list(iter_sentences(paper))
    sections = [s for s in paper.walk() if s.role not in SKIPPED_ROLES]
    headings = [
        Sentence(s.title, s.role, s.id, s.title, len(sentences) + i) for i, s in enumerate(sections)
    ]
    parts = find_parts(sentences, paper.title, headings)
    components = parts.components
    index = ComponentIndex(components)
    acronyms = {c.acronym: c.name for c in components if c.acronym}
    hyperparameters = find_hyperparameters(sentences, index)
    # A design choice is "used for" a component only when named right next to it.
    design = find_design(sentences, lambda text, at: index.nearest(text, at, 40), index.of_section)
    variants = find_model_variants(sentences)
    design_choices = [*design.choices, *find_rejected_alternatives(sentences)]
    design_choices += [variants] if variants else []
    tables = [(section, table) for section in sections for table in section.tables]
    metrics = find_metrics(sentences, tables)
    known = [c.name for c in components] + [h.name for h in hyperparameters]
    known += [d.choice for d in design_choices]
    existing = find_existing_ablations(
        sections,
        sentences,
        acronyms,
        known,
        paper.title,
        _discussed(analysis_parts(components, hyperparameters, design_choices)),
    )
    components = [c.model_copy(update={"confidence": component_confidence(c)}) for c in components]
    hyperparameters = [
        h.model_copy(update={"confidence": hyperparameter_confidence(h)}) for h in hyperparameters
    ]
    design_choices = [
        d.model_copy(update={"confidence": design_confidence(d)}) for d in design_choices
    ]
    return Analysis(
        paper_id=paper.id,
        title=paper.title,
        mode=mode,
        components=components,
        hyperparameters=hyperparameters,
        design_choices=design_choices,
        metrics=metrics,
        existing_ablations=existing,
        absent_parts=_absent(parts.absent + design.absent, components),
    )


def _absent(found: list[Component], components: list[Component]) -> list[Component]:
    """Absent parts once each, leaving out any the method does use under another name."""
    used = {term_key(c.name) for c in components}
    seen: set[str] = set()
    kept = []
    for part in found:
        key = term_key(part.name)
        if key and key not in used and key not in seen:
            seen.add(key)
            kept.append(part)
    return kept


def analysis_parts(
    components: list[Component],
    hyperparameters: list[Hyperparameter],
    design_choices: list[DesignChoice],
) -> list[str]:
    """Every way the paper names its parts: names, acronyms, the words it uses for a design
    choice ("NT-Xent" for the InfoNCE loss), hyperparameter names and symbols."""
    names = [c.name for c in components] + [c.acronym for c in components if c.acronym]
    for design in design_choices:
        names.append(design.choice)
        for evidence in design.evidence:
            names.extend(m.text for m in DESIGN_VOCAB.find(evidence.quote))
    for hyperparameter in hyperparameters:
        if not hyperparameter.name.startswith(("hyperparameter", "number")):
            names.append(hyperparameter.name)
        if hyperparameter.symbol:
            names.append(symbol_key(hyperparameter.symbol))
    return names


def _discussed(names: list[str]) -> list[str]:
    # One-letter Latin symbols ("K", "p") and standard acronyms ("MLP", "BN") are too common in
    # prose to say which part a sentence is about.
    return [
        n.strip()
        for n in names
        if n.strip() and not (len(n) == 1 and n.isascii()) and n.strip() not in STANDARD_ACRONYMS
    ]
