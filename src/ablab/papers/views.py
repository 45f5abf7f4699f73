"""Views of a paper for the planning modes: author mode sees it cut before its experiments.

Author mode must never see results, even when a reader missed the headings. The cut is made at
the first of, in this order of trust:

1. a section, at any depth, whose role is experiments, results or ablations;
2. a paragraph inside a section that reads like such a heading ("4 EXPERIMENTS",
   "Experimental setup") — a heading the reader took for text;
3. the first results table or results caption ("Table 2: Accuracy on ...").

Tables and captions that report results are also dropped from the kept sections (a teaser figure
with numbers in the introduction, a results table floated into the method).
"""

from __future__ import annotations

import re

from ablab.schema import EXPERIMENT_ROLES, Mode, Paper, Section, SectionRole

_DROPPED = frozenset({SectionRole.APPENDIX, SectionRole.REFERENCES})
_HEADING_IN_TEXT = re.compile(
    r"^(?:(?:\d{1,2}|[IVX]{1,4})(?:\.\d{1,2})*\.?\s+)?"
    r"(?:experiments?|experimental\s+(?:setup|settings?|results?|evaluation|study|details)"
    r"|empirical\s+(?:evaluation|results|study)|evaluation|results(?:\s+and\s+\w+)?"
    r"|ablations?(?:\s+stud(?:y|ies))?|main\s+results)\s*[.:]?$",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"^(?:table|tab\.|figure|fig\.)\s*\d+\s*[:.|]", re.IGNORECASE)
_RESULT_WORDS = re.compile(
    r"\b(?:results?|accuracy|accuracies|performance|compar(?:ison|ed|ing)|ablation|outperform\w*"
    r"|error rates?|f1|bleu|rouge|top-1|top-5|map|auc|perplexity|scores?|benchmark\w*|w/o)\b",
    re.IGNORECASE,
)
_MAX_HEADING_WORDS = 8


def author_view(paper: Paper) -> Paper:
    """The paper as AblationBench's author task shows it: everything before the experiments.

    See the module docstring for where the cut falls. References and appendices are left out;
    title and abstract stay. Nothing about the hidden part is recorded in the view.
    """
    kept, found = _cut(paper.sections)
    warnings = list(paper.warnings)
    if not found:
        kept, cue = _cut_at_text_cue(kept)
        if cue:
            warnings.append(f"author view: no experiments section found; cut at the text {cue!r}")
        else:
            warnings.append(
                "author view: no experiments, results or ablation section found; "
                "only references and appendices were removed"
            )
    elif not kept:
        warnings.append("author view: the paper's first section is already an experiments section")
    kept = [_without_results(section) for section in kept]
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


def _cut_at_text_cue(sections: list[Section]) -> tuple[list[Section], str]:
    """Cut the tree at the first experiments heading or results table found in its text."""
    flat = [section for top in sections for section in top.walk()]
    for finder in (_heading_paragraph, _results_paragraph):
        for index, section in enumerate(flat):
            hit = finder(section)
            if hit is None:
                continue
            position, cue = hit
            cut_ids = {s.id for s in flat[index + 1 :]}
            head = section.model_copy(update={"text": section.text[:position].rstrip()})
            if finder is _results_paragraph or position == 0:
                head = head.model_copy(update={"tables": []})
            return _prune(sections, section.id, head, cut_ids), cue
    return sections, ""


def _prune(
    sections: list[Section], cut_id: str, replacement: Section, dropped: set[str]
) -> list[Section]:
    kept: list[Section] = []
    for section in sections:
        if section.id in dropped:
            continue
        if section.id == cut_id:
            kept.append(replacement.model_copy(update={"children": []}))
            continue
        children = _prune(section.children, cut_id, replacement, dropped)
        kept.append(section.model_copy(update={"children": children}))
    return kept


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, paragraph) pairs of a section text."""
    found = []
    for match in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", text):
        found.append((match.start(), match.group()))
    return found


def _heading_paragraph(section: Section) -> tuple[int, str] | None:
    for offset, paragraph in _paragraphs(section.text):
        first = " ".join(paragraph.split("\n", 1)[0].split())
        if len(first.split()) <= _MAX_HEADING_WORDS and _HEADING_IN_TEXT.match(first):
            return offset, first
    return None


def _results_paragraph(section: Section) -> tuple[int, str] | None:
    for offset, paragraph in _paragraphs(section.text):
        first = " ".join(paragraph.split())[:80]
        is_table = _CAPTION.match(first) and first.lower().startswith(("table", "tab"))
        if is_table and _RESULT_WORDS.search(paragraph):
            return offset, first
    if any(_results_table(table.caption) for table in section.tables):
        return len(section.text), "a results table"
    return None


def _results_table(caption: str) -> bool:
    return bool(_RESULT_WORDS.search(caption))


def _without_results(section: Section) -> Section:
    """The section without results tables and without captions that report results."""
    paragraphs = [p for _, p in _paragraphs(section.text)]
    kept_text = [p for p in paragraphs if not (_CAPTION.match(p) and _RESULT_WORDS.search(p))]
    text = "\n\n".join(kept_text) if len(kept_text) != len(paragraphs) else section.text
    return section.model_copy(
        update={
            "text": text,
            "tables": [t for t in section.tables if not _results_table(t.caption)],
            "children": [_without_results(child) for child in section.children],
        }
    )


def paper_view(paper: Paper, mode: Mode) -> Paper:
    """The part of the paper a planner may see: cut before the experiments in author mode."""
    return author_view(paper) if mode is Mode.AUTHOR else paper
