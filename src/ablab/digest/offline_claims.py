"""What the offline digest may say about a paper's claims, from the paper's own evidence only.

- which sentences are the paper's *own* claims (not a hope, not a table footnote, not another
  method's shortcoming), for the primary result, the executive summary and the limitations;
- **confidence** in a result: High when a table of the paper reports it (directly measured and
  checkable), Medium when only the text states it, Low for generality the paper itself qualifies
  in a limitation;
- the **critical path**: the method's parts the paper credits for its gain (its own ablations
  target them, or it introduces them), in data-flow order;
- **failure signatures**: the paper's own sentences about when or how the method fails.

Nothing is inferred beyond what a sentence or table states; what has no evidence stays a gap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ablab.analysis.sentences import Sentence
from ablab.digest.checks import NumberIndex, extract_numbers
from ablab.formats.rpa2.model import ConfidenceRating
from ablab.schema import Analysis, Paper, SectionRole

R = SectionRole

_HOPE = re.compile(
    r"\b(?:we hope|hope (?:that|this|our)|(?:will|can|could|may) inspire|inspires?|"
    r"encourage (?:future|further|more)|we believe (?:that )?(?:this|our) (?:work|paper|study)|"
    r"(?:future|further) (?:work|research) (?:could|can|may|will|should)|we leave)\b",
    re.IGNORECASE,
)
# Table notes and footnotes: markers, "denotes", numbers taken from elsewhere.
_FOOTNOTE = re.compile(
    r"^\s*(?:[†‡§¶]|\*(?!\*)|\#(?!\#)|\(\w\)\s|notes?\b)|^\d{1,2}(?=[A-Z][a-z])|"
    r"\b(?:denotes?|is marked|are marked|"
    r"in bold|bold(?:face)?\b|underlined?|reproduced (?:by|with|using|from|results?)|"
    r"(?:results?|numbers?|values?|scores?) (?:are |were )?(?:taken|copied|quoted|borrowed|"
    r"reported) from|from (?:the )?(?:original )?(?:paper|papers)\b|reported by)",
    re.IGNORECASE,
)
# A sentence about other work: a citation, "et al.", or prior/existing methods as its subject
# (a comparison with "the strongest baseline" is still the paper's own result).
_OTHERS = re.compile(
    r"\[\d[\d,\s\u2013-]*\]|\bet al\b|\([A-Z][\w-]+(?:\s+(?:and|&)\s+[A-Z][\w-]+)?,?\s+"
    r"(?:19|20)\d\d[a-z]?\)|\b(?:previous|prior|existing|earlier|conventional|"
    r"traditional|current|other|competing)\s+(?:work|works|methods?|approach(?:es)?|"
    r"models?|techniques?|systems?|algorithms?|frameworks?|studies)\b",
    re.IGNORECASE,
)
_OWN = re.compile(
    r"\b(?:we|our|ours|this (?:work|paper|study|method|approach|model|framework)|"
    r"the proposed|the present)\b",
    re.IGNORECASE,
)
_SETTING = re.compile(
    r"\b(?:we (?:use|used|set|train|trained|employ|employed|adopt|adopted|follow|followed|"
    r"provide|choose|chose|report|describe|omit)|in (?:the )?appendix|dataset splits?|"
    r"(?:is|are|was|were) set to|learning rate|batch size|trained for|dropout rate|"
    r"checkpoints?|warm-?up steps)\b",
    re.IGNORECASE,
)
_CLAIM_VERB = re.compile(
    r"\b(?:achiev|outperform|surpass|improv|exceed|beat|establish|reach|match|obtain)\w*",
    re.IGNORECASE,
)
_FAILURE = re.compile(
    r"\b(?:fails?|failed|failure|diverg\w+|collaps\w+|unstable|instabilit\w+|degrad\w+|"
    r"deteriorat\w+|breaks? down|overfit\w*|struggles?|(?<!less )(?<!not )sensitive to|"
    r"drops? (?:sharply|significantly|substantially|dramatically)|hurts?|harms?)\b",
    re.IGNORECASE,
)
_FAILURE_ROLES = frozenset(
    {R.RESULTS, R.ABLATIONS, R.EXPERIMENTS, R.DISCUSSION, R.LIMITATIONS, R.CONCLUSION}
)


def is_hope(text: str) -> bool:
    """An aspiration ("we hope this inspires future work"), not a claim."""
    return _HOPE.search(text) is not None


def is_footnote(text: str) -> bool:
    """A table note or footnote (``* denotes ...``, numbers "taken from" another paper)."""
    return _FOOTNOTE.search(text) is not None


def about_others(text: str, method: str | None = None) -> bool:
    """A sentence about other work (cites it, or names prior methods) that does not also speak
    of the paper's own method (``we``, ``our``, or its name ``method``)."""
    if _OTHERS.search(text) is None or _OWN.search(text) is not None:
        return False
    return not (method and re.search(rf"(?<!\w){re.escape(method)}(?!\w)", text))


def is_setting(text: str) -> bool:
    """A training setting ("we used a dropout rate of 0.1") rather than a result, unless it
    also claims one."""
    return _SETTING.search(text) is not None and _CLAIM_VERB.search(text) is None


def is_claim(text: str) -> bool:
    """Whether a result sentence claims something (achieves, outperforms, improves...)."""
    return _CLAIM_VERB.search(text) is not None


def own_result(text: str, method: str | None = None) -> bool:
    """Whether a result sentence can stand as one of the paper's own results (``method``: the
    method's name, which makes a sentence the paper's own)."""
    return not (
        is_hope(text) or is_footnote(text) or is_setting(text) or about_others(text, method)
    )


# A limitation is a negative statement; a Limitations section also lists benefits.
_NEGATIVE = re.compile(
    r"\b(?:not|no|cannot|can't|unable|only|limit\w*|drawbacks?|downsides?|however|but|requires?|"
    r"expensive|costly|overhead|slow\w*|difficult|hard|fails?|(?<!less )(?<!not )sensitive|"
    r"assum\w+|restrict\w*|challeng\w+|lack\w*|unclear|may not|might not|adds?|"
    r"increas\w+ (?:the )?(?:training|inference|memory|computation|compute|cost|time|latency))\b",
    re.IGNORECASE,
)
# A benefit ("another benefit is...", "we reduce VRAM usage") unless it also states a cost.
_BENEFIT = re.compile(
    r"\b(?:benefits?|advantages?|reduc\w+|sav(?:e|es|ing)|cheaper|faster|speed-?ups?|"
    r"improv\w+|viable|works? well)\b",
    re.IGNORECASE,
)
_COST = re.compile(
    r"\b(?:limitations?|drawbacks?|downsides?|cannot|fails?|however|unfortunately|expensive|"
    r"costly|overhead|at the cost of|increases? (?:the )?(?:training|inference|memory))\b",
    re.IGNORECASE,
)
# "our model overcomes these limitations", "the limitations of MLE": not the paper's own.
_NOT_OWN_LIMIT = re.compile(
    r"\b(?:overcom|address|alleviat|avoid|solv|remov|mitigat|circumvent|breakthrough|break through)"
    r"\w*\b[^.]*\blimitations?\b|\blimitations? of (?!(?:our|this|the proposed|the present)\b)",
    re.IGNORECASE,
)


def own_limitation(sentence: Sentence, method: str | None = None) -> bool:
    """Whether a limitation sentence is the paper's own: a negative statement about its method
    (in a Limitations section, or naming it: ``we``, ``our``, its name), not a hope, a footnote,
    a citation or another method's shortcoming."""
    text = sentence.text
    if is_hope(text) or is_footnote(text) or _NOT_OWN_LIMIT.search(text):
        return False
    if re.search(r"\b(?:space|page) limit|\bin (?:the )?appendix", text, re.IGNORECASE):
        return False  # about the paper's layout, not its method
    if _BENEFIT.search(text) and not _COST.search(text):
        return False
    if _OTHERS.search(text):  # cites or names other work: its limitation, not the paper's
        return False
    if _NEGATIVE.search(text) is None:
        return False
    named = bool(method and re.search(rf"(?<!\w){re.escape(method)}(?!\w)", text))
    return sentence.role is R.LIMITATIONS or _OWN.search(text) is not None or named


def table_index(paper: Paper) -> NumberIndex:
    """The numbers printed in the paper's tables (cells, headers, captions)."""
    parts = []
    for section in paper.walk():
        for table in section.tables:
            parts.append(table.caption)
            parts.extend(table.header)
            parts.extend(cell for row in table.rows for cell in row)
    return NumberIndex("\n".join(parts))


_TABLE_REF = re.compile(r"\b(?:Table|Tab\.)\s*~?\d", re.IGNORECASE)


def rate_result(result: str, tables: NumberIndex, from_table: bool) -> ConfidenceRating:
    """High when a table of the paper reports the result's numbers (most of them: a sentence
    also states settings and differences), else Medium."""
    numbers = [m.value for m in extract_numbers(result)]
    found = sum(tables.contains(v) for v in numbers)
    in_tables = from_table or (found >= 1 and 2 * found >= len(numbers))
    if in_tables:
        return ConfidenceRating(
            claim=result, level="High", note="a results table of the paper reports these numbers"
        )
    if _TABLE_REF.search(result):
        return ConfidenceRating(
            claim=result, level="High", note="the paper points to a table for it"
        )
    return ConfidenceRating(
        claim=result,
        level="Medium",
        note="stated with numbers in the text; no table of the paper found behind them",
    )


_SCOPE = re.compile(
    r"\b(?:only|limited to|restricted to|may not (?:hold|generali[sz]e|transfer|apply|scale)|"
    r"not (?:yet )?(?:tested|evaluated|explored|studied)|assum\w+|generali[sz]\w+|"
    r"other (?:domains?|tasks?|datasets?|languages?|modalities)|larger (?:models?|scales?))\b",
    re.IGNORECASE,
)


def rate_generality(limitations: Sequence[str]) -> ConfidenceRating | None:
    """Low confidence in the results holding beyond what was tested, when one of the paper's
    limitations qualifies its scope (None when none does)."""
    scope = next((text for text in limitations if _SCOPE.search(text)), None)
    if scope is None:
        return None
    return ConfidenceRating(
        claim="Generality beyond the settings the paper evaluates",
        level="Low",
        note=f"the paper itself notes: {scope}",
    )


def critical_path(components: Sequence[str], analysis: Analysis) -> list[str]:
    """The components of the map (in its order) the paper credits for its gain: those its own
    ablations vary, and those it introduces."""
    ablated = [a.target.lower() for a in analysis.existing_ablations]
    novel = {
        name.lower() for c in analysis.components if c.novel for name in (c.name, c.acronym) if name
    }
    path = []
    for label in components:
        key = label.lower()
        name = key.split(" (")[0]
        if (
            name in novel
            or key in novel
            or any(name in target or (len(target) > 3 and target in name) for target in ablated)
        ):
            path.append(label)
    return path


def failure_signatures(sentences: Sequence[Sentence], limit: int = 3) -> list[Sentence]:
    """The paper's own sentences about when its method fails or degrades."""
    found = []
    for sentence in sentences:
        if sentence.role not in _FAILURE_ROLES or not _FAILURE.search(sentence.text):
            continue
        if is_hope(sentence.text) or is_footnote(sentence.text) or _OTHERS.search(sentence.text):
            continue
        if len(sentence.text.split()) < 6:
            continue
        found.append(sentence)
        if len(found) == limit:
            break
    return found
