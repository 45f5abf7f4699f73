"""Metrics the paper reports, from result-table headers and from the text, most used first."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ablab.analysis.metric_vocab import METRIC_ENTRIES, TASK_FALLBACK_METRICS
from ablab.analysis.sentences import Sentence, section_evidence
from ablab.analysis.vocab import Vocabulary
from ablab.schema import Evidence, MetricMention, Section, SectionRole, Table

METRIC_VOCAB = Vocabulary([(e.pattern, e.triggers) for e in METRIC_ENTRIES])
"""Finds every known metric; a match's ``entry`` indexes ``METRIC_ENTRIES``."""

_UP = re.compile(r"↑|\\uparrow|\(higher is better\)|\bhigher\b", re.IGNORECASE)
_DOWN = re.compile(r"↓|\\downarrow|\(lower is better\)|\blower\b", re.IGNORECASE)
_HEADER_NOISE = re.compile(
    r"\\(?:uparrow|downarrow|textbf|textit|mathrm|text)|[↑↓*_{}$]|\((?:%|in %)\)|\[%\]|%"
)
_SPACES = re.compile(r"\s+")
_SPECIFIC_ACCURACY = ("top-1 accuracy", "top-5 accuracy", "k-NN accuracy", "balanced accuracy")
_SKIPPED_ROLES = frozenset({SectionRole.RELATED_WORK, SectionRole.REFERENCES})
TABLE_WEIGHT = 3
"""A result-table column counts as much as this many mentions in text when ranking."""


@dataclass
class _Tally:
    key: str
    first: int
    higher_is_better: bool | None
    table_uses: int = 0
    text_uses: int = 0
    header_names: Counter[str] = field(default_factory=Counter)
    header_matches: Counter[str] = field(default_factory=Counter)
    text_names: Counter[str] = field(default_factory=Counter)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def score(self) -> int:
        return TABLE_WEIGHT * self.table_uses + self.text_uses


def clean_header(cell: str) -> str:
    """A header cell without arrows, units and markup: ``"Top-1 Acc (%) ↑"`` -> ``"Top-1 Acc"``."""
    return _SPACES.sub(" ", _HEADER_NOISE.sub(" ", cell)).strip(" :()")


class _Counter:
    def __init__(self) -> None:
        self.tallies: dict[str, _Tally] = {}
        self.order = 0

    def tally(self, key: str, direction: bool | None) -> _Tally:
        tally = self.tallies.get(key)
        if tally is None:
            tally = self.tallies[key] = _Tally(key, self.order, direction)
            self.order += 1
        elif tally.higher_is_better is None:
            tally.higher_is_better = direction
        return tally

    def read_table(self, section: Section, table: Table) -> None:
        for cell in table.header:
            name = clean_header(cell)
            if not name:
                continue
            direction: bool | None = (
                True if _UP.search(cell) else False if _DOWN.search(cell) else None
            )
            match = METRIC_VOCAB.first(name)
            if match is None:
                if direction is None or len(name.split()) > 4:
                    continue
                key = name.lower()  # an unknown metric the table marks with an arrow
            else:
                entry = METRIC_ENTRIES[match.entry]
                key = entry.key
                direction = entry.higher_is_better if direction is None else direction
            tally = self.tally(key, direction)
            tally.table_uses += 1
            short = name if len(name.split()) <= 4 or match is None else match.text
            tally.header_names[short] += 1
            tally.header_matches[match.text if match else short] += 1
            if len(tally.evidence) < 2:
                caption = f"{table.caption} " if table.caption else ""
                tally.evidence.append(
                    section_evidence(section, f"{caption}[column: {cell.strip()}]")
                )

    def read_sentence(self, sentence: Sentence) -> None:
        for match in METRIC_VOCAB.find(sentence.text):
            entry = METRIC_ENTRIES[match.entry]
            tally = self.tally(entry.key, entry.higher_is_better)
            tally.text_uses += 1
            tally.text_names[match.text.strip().rstrip(".")] += 1
            if len(tally.evidence) < 2:
                tally.evidence.append(sentence.evidence(match.start, match.end))


def _fold_generic_accuracy(tallies: dict[str, _Tally]) -> None:
    """Plain "accuracy" is the paper's main specific accuracy when it reports one."""
    generic = tallies.get("accuracy")
    specific = [tallies[k] for k in _SPECIFIC_ACCURACY if k in tallies]
    if generic is None or not specific:
        return
    main = max(specific, key=lambda t: (t.score, -t.first))
    main.text_uses += generic.text_uses + generic.table_uses
    del tallies["accuracy"]


def _display_name(tally: _Tally) -> str:
    """The paper's spelling: a column header ("COCO mAP") when the metric has one, the metric
    words alone ("ROC-AUC") when its columns differ by dataset, else the text's spelling."""
    if len(tally.header_names) > 1:
        names = tally.header_matches
    else:
        names = tally.header_names or tally.text_names
    # Most frequent spelling; ties go to the first seen (Counter keeps insertion order).
    return max(names.items(), key=lambda item: item[1])[0] if names else tally.key


def find_metrics(
    sentences: Sequence[Sentence], tables: Sequence[tuple[Section, Table]]
) -> list[MetricMention]:
    """Metrics the paper reports, ranked by use (a table column weighs more than a mention)."""
    counter = _Counter()
    for section, table in tables:
        counter.read_table(section, table)
    for sentence in sentences:
        if sentence.role not in _SKIPPED_ROLES:
            counter.read_sentence(sentence)
    tallies = counter.tallies
    _fold_generic_accuracy(tallies)
    ranked = sorted(tallies.values(), key=lambda t: (-t.score, t.first))
    return [
        MetricMention(
            name=_display_name(t),
            higher_is_better=t.higher_is_better,
            mentions=t.table_uses + t.text_uses,
            evidence=t.evidence,
        )
        for t in ranked
    ]


def fallback_metric(text: str) -> str | None:
    """The metric a paper's task is usually judged by, from task words in ``text``, or None."""
    found = fallback_metrics(text, limit=1)
    return found[0] if found else None


def fallback_metrics(text: str, limit: int = 3) -> list[str]:
    """The usual metrics of the tasks ``text`` names, in the order it first names them
    ("classification, detection and segmentation" -> accuracy, mAP, mIoU)."""
    found: list[tuple[int, str]] = []
    for pattern, metric in TASK_FALLBACK_METRICS:
        match = re.search(pattern, text, re.IGNORECASE)
        if match:
            found.append((match.start(), metric))
    return [metric for _, metric in sorted(found)[:limit]]
