"""Where a paper's experiments talk about varying something: the places a reviewer-mode plan
must not propose again.

:mod:`ablab.analysis.existing` recognises explicit ablations (``w/o X`` rows, "replacing X with
Y"). Papers also report ablations in ways no pattern names: a table whose rows are the values of
a knob, a paragraph headed "Effect of the decoder depth", a sentence saying "a smaller rank works
as well". This index keeps every such unit of the experiment-like sections (sentences with a
cue of variation, table captions, headers and row labels, section titles), and
:meth:`ReportedIndex.covers` says whether one of them names a given part. It errs on the side of
"reported": a reviewer plan that re-proposes what the paper shows is worse than a shorter one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ablab.analysis.sentences import split_sentences
from ablab.analysis.symbols import GREEK_LETTERS, GREEK_SYMBOL, normalize_symbols, symbol_key
from ablab.analysis.terms import content_tokens, word_set
from ablab.schema import Paper, Section, SectionRole

_EXPERIMENT_ROLES = frozenset(
    {
        SectionRole.EXPERIMENTS,
        SectionRole.RESULTS,
        SectionRole.ABLATIONS,
        SectionRole.DISCUSSION,
        SectionRole.APPENDIX,
    }
)
# Cues that a sentence or caption reports varying something (not merely using it).
_VARIATION = re.compile(
    r"\b(?:w/o|without|remov(?:e|es|ed|ing)|replac(?:e|es|ed|ing)|vary|varying|varied|varies|"
    r"(?:effect|impact|influence|importance|role)s?\s+of|ablat\w*|sweep\w*|swept|instead\s+of|"
    r"versus|vs\.?|alternatives?|sensitiv\w*|variants?|variations?|different\s+(?:[\w-]+\s+)?"
    r"(?:values?|choices?|numbers?|sizes?|settings?|types?|kinds?|factors?|rates?|weights?|"
    r"ratios?|schedules?|depths?|widths?)|we\s+(?:also\s+)?(?:tried|tested|experimented)|"
    r"(?:dropping|disabling|adding)\s+the|comparisons?\s+of|"
    r"(?:more|less)\s+(?:stable|effective|robust|accurate|efficient)\s+than)\b",
    re.IGNORECASE,
)
# Titles and captions of a section that reports an ablation throughout.
_ABLATION_HEAD = re.compile(
    r"\b(?:ablat\w*|w/o|without|(?:effect|impact|influence|importance|role)s?\s+of|sensitiv\w*|"
    r"(?:model\s+)?variations|"
    r"comparisons?\s+of\s+(?:[\w-]+\s+){0,2}(?:models|variants|architectures|designs|"
    r"strateg(?:y|ies)|schemes|mechanisms|choices|objectives|losses))\b",
    re.IGNORECASE,
)
_ROW_CHANGE = re.compile(r"^\s*(?:w/o|wo/|without|no\b|[-−+]\s*\w)", re.IGNORECASE)
_GREEK = re.compile(GREEK_SYMBOL)
_GLUED_GREEK = re.compile(rf"(?<!\w)([{GREEK_LETTERS}])([a-z]{{1,4}})(?!\w)")
_LATIN_SYMBOL = re.compile(r"(?<![\w\\])([A-Za-z])(?:_\{?\w+\}?)?(?![\w'’-])")
# Words that say what kind of thing is varied, not which one: never enough on their own.
_WEAK = word_set(
    "number size rate ratio weight parameter hyperparameter value dimension layer module loss "
    "component model method training effect impact choice setting term block network function "
    "default use using based first second final full time step steps data strategy mechanism"
)


def _units_of(section: Section) -> Iterable[str]:
    # A section titled or captioned as a comparison ("Comparison of propagation models") is
    # about varying something throughout: every sentence of it may name what was varied.
    # A comparison with baselines ("Comparison with Transformer variants") or of costs
    # ("Comparison of training time") is not: only the cues of an ablation count here.
    whole = section.role is SectionRole.ABLATIONS or any(
        _ABLATION_HEAD.search(text)
        for text in (section.title, *(t.caption for t in section.tables))
    )
    if whole or _VARIATION.search(section.title):
        yield section.title
    for sentence in split_sentences(section.text):
        if whole or _VARIATION.search(sentence):
            yield sentence
    for table in section.tables:
        labels = [row[0] for row in table.rows if row]
        if _VARIATION.search(table.caption) or any(_ROW_CHANGE.match(x) for x in labels):
            yield table.caption
            yield " ".join(table.header)
            yield " ".join(labels)


class ReportedIndex:
    """The units of a paper's experiment-like sections that vary something."""

    def __init__(self, paper: Paper) -> None:
        units: list[str] = []
        for section in paper.walk():
            if section.role in _EXPERIMENT_ROLES:
                units.extend(u for u in _units_of(section) if u.strip())
        self._units = [(set(content_tokens(u)), _symbols(u)) for u in units]

    def __bool__(self) -> bool:
        return bool(self._units)

    def covers(self, *names: str) -> bool:
        """Whether some unit names one of ``names`` (ways of naming one part): half or more of
        its distinctive words ("InfoNCE contrastive loss" is named by "contrastive"), all its
        words when it has no distinctive one, or its symbol."""
        return any(self._covers(name) for name in names if name.strip())

    def _covers(self, part: str) -> bool:
        symbols = _symbols(part)
        tokens = {t for t in content_tokens(re.sub(r"\([^)]*\)", " ", part)) if len(t) > 1}
        distinctive = tokens - _WEAK
        for unit_tokens, unit_symbols in self._units:
            if symbols and symbols & unit_symbols:
                return True
            if distinctive and 2 * len(distinctive & unit_tokens) >= len(distinctive):
                return True
            if not distinctive and tokens and tokens <= unit_tokens:
                return True
        return False


def _symbols(text: str) -> set[str]:
    """Greek symbols (and subscripted Latin ones) a text names, canonical."""
    text = normalize_symbols(text)
    found = {symbol_key(m.group(0)) for m in _GREEK.finditer(text)}
    found.update(symbol_key(m.group(0)) for m in _LATIN_SYMBOL.finditer(text) if "_" in m.group(0))
    # PDFs flatten subscripts: "ϵls" in a table header is ε_ls
    found.update(symbol_key(f"{m[1]}_{m[2]}") for m in _GLUED_GREEK.finditer(text))
    return found
