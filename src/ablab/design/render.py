"""A study design as Markdown."""

from __future__ import annotations

from ablab.design.model import StudyDesign


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_design(design: StudyDesign) -> str:
    """Markdown with the research objective, then the experimental setup."""
    ablation = design.ablation
    lines = [
        f"# Ablation design: {_one_line(ablation.name)}",
        "",
        f"Paper: {_one_line(design.paper_title or design.paper_id)} · {ablation.action.value} "
        f"{_one_line(ablation.ablated_part)} · made by {design.made_by}",
        "",
        "## Research objective",
        "",
        _one_line(design.research_objective),
        "",
        "## Experimental setup",
        "",
        "### Groups",
        "",
    ]
    for group in design.groups:
        mark = " (control)" if group.control else ""
        lines.append(f"- **{_one_line(group.name)}**{mark}: {_one_line(group.description)}")
    lines += ["", "### Datasets", ""]
    lines += [f"- {_one_line(d)}" for d in design.datasets] or ["- _not stated in the paper_"]
    lines += ["", "### Procedure", ""]
    lines += [f"{i}. {_one_line(step)}" for i, step in enumerate(design.procedure, 1)]
    lines += ["", "### Metrics", ""]
    lines += [f"- {_one_line(m)}" for m in design.metrics] or ["- _not stated_"]
    if design.controls:
        lines += ["", "### Controls", ""]
        lines += [f"- {_one_line(c)}" for c in design.controls]
    if design.missing:
        lines += ["", "### Left open", ""]
        lines += [f"- {_one_line(m)}" for m in design.missing]
    return "\n".join(lines) + "\n"
