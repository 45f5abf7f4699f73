"""Views of a paper for the planning modes: author mode sees it cut before its experiments."""

from __future__ import annotations

from ablab.schema import EXPERIMENT_ROLES, Mode, Paper, Section, SectionRole

_DROPPED = frozenset({SectionRole.APPENDIX, SectionRole.REFERENCES})


def author_view(paper: Paper) -> Paper:
    """The paper as AblationBench's author task shows it: everything before the experiments.

    The cut falls before the first section, at any depth, whose role is experiments, results or
    ablations ("4 Experiments", or a "3.4 Ablation" subsection inside the method); that section
    and everything after it are left out, as are references and appendices. Title and abstract
    stay. If no such section exists, only references and appendices are removed, with a warning.
    Nothing about the hidden part is recorded in the view.
    """
    kept, found = _cut(paper.sections)
    warnings = list(paper.warnings)
    if not found:
        warnings.append(
            "author view: no experiments, results or ablation section found; "
            "only references and appendices were removed"
        )
    elif not kept:
        warnings.append("author view: the paper's first section is already an experiments section")
    return paper.model_copy(
        update={
            "sections": kept,
            "warnings": warnings,
            "metadata": {**paper.metadata, "view": "author"},
        }
    )


def _cut(sections: list[Section]) -> tuple[list[Section], bool]:
    """Copies of ``sections`` up to the first experiment-role section; whether one was found."""
    kept: list[Section] = []
    for section in sections:
        if section.role in EXPERIMENT_ROLES:
            return kept, True
        if section.role in _DROPPED:
            continue
        children, found = _cut(section.children)
        kept.append(section.model_copy(update={"children": children}))
        if found:
            return kept, True
    return kept, False


def paper_view(paper: Paper, mode: Mode) -> Paper:
    """The part of the paper a planner may see: cut before the experiments in author mode."""
    return author_view(paper) if mode is Mode.AUTHOR else paper
