"""The real-paper corpus as bench scripts use it: entries, labels, papers and reviewer cuts.

``load_corpus()`` joins the manifest with the labels and the built papers (``build.py``); each
:class:`CorpusPaper` knows how to read its paper with ablab and how to cut the passages that
report its ablations (the reviewer task's input, as AblationBench's ReviewerAblation builds it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ablab.papers import load_paper
from ablab.schema import Ablation, Paper, Section

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.jsonl"
LABELS = HERE / "labels"
PAPERS = HERE / "papers"
SPLITS = ("dev", "heldout")
_BENCH_KEYS = ("name", "ablated_part", "action", "replacement", "metrics")
"""An ablation's AblationBench fields; labels may add others (``where``) for their readers."""


@dataclass
class CorpusPaper:
    """One corpus paper: where it comes from, what it reports, and where it was built."""

    entry: dict[str, Any]
    """Its manifest entry."""
    ablations: list[Ablation]
    """The ablations the paper reports (ground truth)."""
    reviewer_remove: list[dict[str, str]] = field(default_factory=list)
    """What to cut for the reviewer task."""

    @property
    def id(self) -> str:
        """The paper id."""
        return str(self.entry["id"])

    @property
    def split(self) -> str:
        """``dev`` or ``heldout``."""
        return str(self.entry.get("split", "dev"))

    @property
    def path(self) -> Path:
        """Where build.py put the paper: the PDF, or the LaTeX project's main file (the manifest
        names it; some projects hold several versions of the paper)."""
        if self.entry["format"] == "pdf":
            return PAPERS / f"{self.id}.pdf"
        return PAPERS / self.id / self.entry["main"]

    def load(self) -> Paper:
        """The paper as ablab reads it."""
        return load_paper(self.path, paper_id=self.id)


def read_manifest(path: Path = MANIFEST) -> list[dict[str, Any]]:
    """Manifest entries in file order."""
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def read_label(paper_id: str) -> dict[str, Any] | None:
    """The label file of one paper, or None when it is not labelled yet."""
    path = LABELS / f"{paper_id}.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else None


def load_corpus(splits: tuple[str, ...] = SPLITS) -> tuple[list[CorpusPaper], list[str]]:
    """Labelled, built papers of the given splits, and one line per paper left out (and why)."""
    papers, skipped = [], []
    for entry in read_manifest():
        if entry.get("split", "dev") not in splits:
            continue
        label = read_label(entry["id"])
        if label is None:
            skipped.append(f"{entry['id']}: not labelled")
            continue
        paper = CorpusPaper(
            entry,
            [
                Ablation.model_validate({k: a[k] for k in _BENCH_KEYS if k in a})
                for a in label["ablations"]
            ],
            list(label.get("reviewer_remove", [])),
        )
        if not paper.path.exists():
            skipped.append(f"{entry['id']}: not built (run bench/corpus/build.py)")
            continue
        papers.append(paper)
    return papers, skipped


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """The phrase's words in order, whatever punctuation, markup or line breaks lie between."""
    tokens = re.findall(r"[a-z0-9]+", phrase.lower())
    return re.compile(r"[^a-z0-9]+".join(map(re.escape, tokens)), re.IGNORECASE)


def _cut_paragraph(paragraph: str, remove: list[dict[str, str]], used: set[int]) -> str:
    """The paragraph without the part a ``paragraph`` rule names.

    A rule matching the paragraph's start removes it whole; one matching further in (a reader
    that lost paragraph breaks, or a run-in head mid-text) removes from the phrase to the end of
    the paragraph, so the reported ablation cannot be read from what is left.
    """
    for index, rule in enumerate(remove):
        if "paragraph" not in rule or not re.findall(r"[a-z0-9]+", rule["paragraph"].lower()):
            continue
        found = _phrase_pattern(rule["paragraph"]).search(paragraph)
        if found is not None:
            used.add(index)
            paragraph = paragraph[: found.start()]
    return paragraph


def reviewer_cut(paper: Paper, remove: list[dict[str, str]]) -> tuple[Paper, list[str]]:
    """``paper`` without the sections, tables and paragraphs ``remove`` names.

    Returns the cut paper and the rules that matched nothing (so a label can be fixed when the
    reader's structure changes).
    """
    used: set[int] = set()

    def section_rule(section: Section) -> bool:
        title = _norm(section.title)
        for index, rule in enumerate(remove):
            if "section" in rule and title and _norm(rule["section"]) == title:
                used.add(index)
                return True
        return False

    def cut(sections: list[Section]) -> list[Section]:
        kept = []
        for section in sections:
            if section_rule(section):
                continue
            tables = []
            for table in section.tables:
                caption = _norm(table.caption)
                hits = [
                    i
                    for i, rule in enumerate(remove)
                    if "table" in rule and caption and _norm(rule["table"]) in caption
                ]
                used.update(hits)
                if not hits:
                    tables.append(table)
            paragraphs = []
            for paragraph in re.split(r"\n\s*\n", section.text):
                kept_text = _cut_paragraph(paragraph, remove, used)
                if kept_text.strip():
                    paragraphs.append(kept_text)
            kept.append(
                section.model_copy(
                    update={
                        "tables": tables,
                        "text": "\n\n".join(paragraphs),
                        "children": cut(section.children),
                    }
                )
            )
        return kept

    result = paper.model_copy(update={"sections": cut(paper.sections)})
    unmatched = [json.dumps(rule) for i, rule in enumerate(remove) if i not in used]
    return result, unmatched
