"""The offline digest writer: every section filled from the paper's own text and its analysis.

Deterministic and without a model. It copies rather than paraphrases: summaries are the paper's
own sentences, results are its sentences and table cells with numbers exactly as printed, the
component map comes from the analysed components in the order the method text introduces them,
open questions and limitations from the paper's future-work and limitation passages, and the next
checks from the heuristic planner. Confidence, the critical path and failure signatures come
from the paper's evidence (:mod:`ablab.digest.offline_claims`): a result its tables report is
rated High, one only its text states Medium, generality its limitations qualify Low; the critical
path is the parts its ablations vary or it introduces; failure signatures are its own sentences
about failing. What has no evidence is left as a gap with the reason, never invented. Only the
paper's own claims are used: no hopes, table footnotes or other methods' shortcomings.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal

from ablab.analysis import analyze
from ablab.analysis.sentences import Sentence, iter_sentences
from ablab.analysis.terms import STOPWORDS, content_tokens
from ablab.digest.checks import extract_numbers
from ablab.digest.offline_claims import (
    critical_path,
    failure_signatures,
    is_claim,
    is_footnote,
    is_hope,
    own_limitation,
    own_result,
    rate_generality,
    rate_result,
    table_index,
)
from ablab.errors import AblabError
from ablab.formats.rpa2.model import (
    ArchitectureOnboarding,
    ConfidenceRating,
    Digest,
    FoundationalConcept,
    OpenQuestion,
    QuickFact,
)
from ablab.papers.views import paper_view
from ablab.planners.base import finish_plan, get_planner
from ablab.schema import Ablation, Action, Analysis, Mode, Paper, SectionRole, Table

R = SectionRole

NEEDS_MODEL = "run `ablab digest --model MODEL` for this section"
MAX_ITEM_CHARS = 320
"""Longest list item copied from the paper; longer sentences are cut at a word."""
MAX_KEY_RESULTS = 3
"""The rpa2 pipeline asks for two or three terse Key Results bullets."""
MAX_LIMITATIONS = 3
MAX_TAGS = 8
MAX_COMPONENTS = 8
MAX_CONCEPTS = 6
PLANNED_CHECKS = 3
"""Next Checks and First experiments each hold three items, as the rpa2 pipeline asks."""
OFFLINE_MODEL = "offline"
"""The ``model`` front-matter value of offline digests (the pipeline names the writer)."""

_RESULT_ROLES = frozenset({R.ABSTRACT, R.EXPERIMENTS, R.RESULTS, R.ABLATIONS})
_CLOSING_ROLES = frozenset(
    {R.LIMITATIONS, R.DISCUSSION, R.CONCLUSION, R.EXPERIMENTS, R.RESULTS, R.ABLATIONS}
)
_RESULT_VERB = re.compile(
    r"\b(?:achiev|reach|improv|outperform|surpass|gain|drop|reduc|increas|decreas|boost|exceed|"
    r"cost|lower|higher|better|worse|match|attain|obtain|yield)\w*",
    re.IGNORECASE,
)
_COMPARISON = re.compile(r"\b(?:vs\.?|versus|compared (?:to|with))\s", re.IGNORECASE)
# Numbers that only name a table, figure, section, equation or citation are not results.
_REFERENCE_NUMBER = re.compile(
    r"(?:\b(?:Table|Tab\.|Figure|Fig\.|Section|Sec\.|Eq\.|Equation|Appendix)\s*~?|\[)\s*\d+[\d,\s]*"
    r"|\([A-Z][^()]{0,80}?(?:19|20)\d\d[a-z]?\)"  # an author-year citation
)
_FUTURE = re.compile(
    r"\b(?:future (?:work|research|direction)|in the future|we (?:plan|intend|hope) to|we leave|"
    r"left (?:for|to) future|remains? (?:an )?open|open (?:question|problem)|remains? unclear|"
    r"it is (?:still )?unclear|unknown whether|not (?:yet )?(?:clear|known) whether|"
    r"(?:could|can) be extended|would be interesting|worth (?:exploring|investigating))\b",
    re.IGNORECASE,
)
_LIMITATION = re.compile(
    r"\b(?:limitations?|limited to|only (?:evaluat|test|consider|stud|experiment)\w*|"
    r"does not (?:scale|generali[sz]e)|may not (?:hold|generali[sz]e|work|apply|transfer)|"
    r"fails? (?:to|on|when)|drawbacks?|shortcomings?|at the cost of|overhead|"
    r"increases? (?:the )?(?:training|inference) (?:time|cost)|assumes?|relies on|sensitive to)\b",
    re.IGNORECASE,
)
_CAUSAL = re.compile(
    r"\b(?:because|so that|in order to|which (?:avoids|prevents|ensures|lets|allows|makes|keeps|"
    r"stabili[sz]es)|this (?:avoids|prevents|ensures|allows|lets|makes|keeps)|makes the \w+ robust|"
    r"decouples?|stabili[sz]es?)\b|, so (?:the|that|it|they)\b|^to (?:keep|avoid|prevent|ensure)\b",
    re.IGNORECASE,
)
_CONTRIBUTION = re.compile(
    r"\b(?:we (?:propose|introduce|present|develop|design)|this (?:paper|work)"
    r"|in this (?:paper|work)|our (?:method|approach|framework|model))\b",
    re.IGNORECASE,
)
_OURS = re.compile(
    r"\b(?:ours|proposed|our (?:method|model|approach)|full (?:model|method))\b|\(full\)",
    re.IGNORECASE,
)
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_CITATION = re.compile(r"\s*\[\d+(?:\s*[,\u2013-]\s*\d+)*\]")
_ARROW_MARKS = re.compile(r"\s*[↑↓]\s*")
_LOWER_IS_BETTER = re.compile(
    r"↓|\b(?:error|err|loss|perplexity|ppl|fid|latency|time|memory|params|wer|cer|mse|mae|rmse|"
    r"bpd|nll)\b",
    re.IGNORECASE,
)
_ARXIV_ID = re.compile(r"^\d{4}\.\d{4,5}(?:v\d+)?$")
_NOT_TAGS = frozenset(
    {
        "paper", "propose", "proposed", "method", "approach", "result", "show", "table", "figure",
        "section", "work", "experiment", "improve", "achieve", "present", "introduce", "novel",
        "new", "state-of-the-art", "across", "existing", "well",
    }
)  # fmt: skip
"""Words every paper uses about itself; they say nothing about its topic."""


def _plain(text: str) -> str:
    """``text`` on one line without Markdown bold markers (a leading ``**x**:`` would read back
    as a digest item's title)."""
    return " ".join(_BOLD.sub(lambda m: m.group(1) or m.group(2), text).split())


def _cut(text: str, limit: int = MAX_ITEM_CHARS) -> str:
    """``text`` as plain text on one line, cut at a word boundary when longer than ``limit``."""
    text = _plain(text)
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[: cut if cut > 0 else limit - 1].rstrip(" ,;:") + "…"


def _no_arrows(text: str) -> str:
    """Component names go between `` -> `` arrows, so they must not contain one."""
    return text.replace("->", "→").strip()


def _result_numbers(sentence: str) -> list[Decimal]:
    return [m.value for m in extract_numbers(_REFERENCE_NUMBER.sub(" ", sentence))]


def _is_result_sentence(sentence: str) -> bool:
    return bool(_result_numbers(sentence)) and (
        _RESULT_VERB.search(sentence) is not None or _COMPARISON.search(sentence) is not None
    )


def _method_name(paper: Paper) -> str | None:
    """The method's short name when the title leads with one (``TIDE: ...`` -> ``TIDE``)."""
    head, sep, _ = paper.title.partition(":")
    return head.strip() if sep and 0 < len(head.split()) <= 3 else None


# --- frontmatter and quick facts ---------------------------------------------------------------


def arxiv_id_of(paper: Paper) -> str | None:
    """The paper's arXiv id, from its metadata or an id-shaped paper id; never guessed."""
    for key in ("arxiv_id", "arxiv", "arXiv"):
        value = paper.metadata.get(key, "").strip()
        if value:
            return value.removeprefix("arXiv:").strip()
    return paper.id if _ARXIV_ID.match(paper.id) else None


def source_url_of(paper: Paper, arxiv_id: str | None) -> str | None:
    """Where the paper can be read: the stated URL, else its arXiv page when the id is known."""
    for key in ("source_url", "url"):
        value = paper.metadata.get(key, "").strip()
        if value:
            return value
    return f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None


def paper_tags(paper: Paper, sentences: Sequence[Sentence], limit: int = MAX_TAGS) -> list[str]:
    """The paper's most frequent content words that also occur in its title or abstract."""
    headline = set(content_tokens(f"{paper.title} {paper.abstract}"))
    counts = Counter(
        token
        for sentence in sentences
        if sentence.role not in (R.RELATED_WORK, R.REFERENCES)
        for token in content_tokens(sentence.text)
        if token in headline
    )
    for token in content_tokens(paper.title):
        counts[token] += 2  # the title names the topic; let its words win ties
    eligible = [
        (count, token)
        for token, count in counts.items()
        if len(token) >= 4
        and re.fullmatch(r"[a-z][a-z-]*[a-z]", token)
        and token not in STOPWORDS
        and token not in _NOT_TAGS
        and count >= 3
    ]
    eligible.sort(key=lambda item: (-item[0], item[1]))
    return [token for _, token in eligible[:limit]]


def reference_count(paper: Paper) -> int | None:
    """Entries of the references section, when the paper has one."""
    sections = [s for s in paper.walk() if s.role is R.REFERENCES]
    if not sections:
        return None
    text = "\n".join(s.text for s in sections)
    marked = re.findall(r"^\s*(?:\[\d+\]|\d+\.|[-*•])\s+\S", text, re.M)
    if marked:
        return len(marked)
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    return len(blocks) or None


# --- sentences ----------------------------------------------------------------------------------


def _sentences(sentences: Sequence[Sentence], roles: Iterable[SectionRole]) -> list[Sentence]:
    wanted = frozenset(roles)
    return [s for s in sentences if s.role in wanted]


def _abstract_sentences(sentences: Sequence[Sentence]) -> list[str]:
    return [s.text for s in sentences if s.role is R.ABSTRACT]


def core_contribution(sentences: Sequence[Sentence]) -> str:
    """The abstract's (else the introduction's) own statement of what the paper contributes."""
    for roles in ((R.ABSTRACT,), (R.INTRODUCTION,)):
        found = [s.text for s in _sentences(sentences, roles) if _CONTRIBUTION.search(s.text)]
        if found:
            return " ".join(found[:2])
    abstract = _abstract_sentences(sentences)
    return " ".join(abstract[:2])


def executive_summary(sentences: Sequence[Sentence]) -> str:
    """The abstract (at most eight sentences), else the opening of the introduction; never a
    hope or a footnote."""
    texts = (
        _abstract_sentences(sentences)
        or [s.text for s in _sentences(sentences, (R.INTRODUCTION,))][:4]
    )
    return " ".join([t for t in texts if not (is_hope(t) or is_footnote(t))][:8])


def method_summary(sentences: Sequence[Sentence], analysis: Analysis) -> str:
    """Per method section, its first sentence naming a component (else its first sentence)."""
    names = [n.lower() for c in analysis.components for n in (c.name, c.acronym) if n]
    by_section: dict[str | None, list[str]] = {}
    for sentence in _sentences(sentences, (R.METHOD,)):
        by_section.setdefault(sentence.section_id, []).append(sentence.text)
    chosen: list[str] = []
    for texts in by_section.values():
        # A fragment left after a display equation ("where λ weights ...") reads badly alone.
        whole = [s for s in texts if s[:1].isupper() and len(s.split()) >= 6]
        naming = [s for s in whole if any(n in s.lower() for n in names)]
        if naming or whole:
            chosen.append((naming or whole)[0])
    return " ".join(chosen[:8])


def mechanism(sentences: Sequence[Sentence], limit: int = 5) -> str:
    """The method sections' own reasons: sentences saying why a part helps (because, so that...)."""
    found = [s.text for s in _sentences(sentences, (R.METHOD,)) if _CAUSAL.search(s.text)]
    return " ".join(found[:limit])


def open_questions(sentences: Sequence[Sentence]) -> list[OpenQuestion]:
    """Sentences of the closing sections that call out future work or an open question."""
    return [
        OpenQuestion(detail=_cut(s.text))
        for s in _sentences(sentences, _CLOSING_ROLES | {R.APPENDIX})
        if _FUTURE.search(s.text) and not is_footnote(s.text)
    ]


def limitations(sentences: Sequence[Sentence], method: str | None = None) -> list[str]:
    """Sentences of limitation sections, and limitation statements of the closing sections."""
    found = []
    for sentence in _sentences(sentences, _CLOSING_ROLES):
        if _FUTURE.search(sentence.text) or len(sentence.text.split()) < 6:
            continue
        if not own_limitation(sentence, method):
            continue  # a hope, a footnote, another method's shortcoming
        if sentence.role is R.LIMITATIONS or _LIMITATION.search(sentence.text):
            found.append(_cut(sentence.text))
    return list(dict.fromkeys(found))[:MAX_LIMITATIONS]


# --- results ------------------------------------------------------------------------------------


def _cell_number(cell: str) -> Decimal | None:
    numbers = extract_numbers(cell)
    return numbers[0].value if numbers else None


def _label(cell: str) -> str:
    return _CITATION.sub("", cell).strip()


def _header(cell: str) -> str:
    return _ARROW_MARKS.sub(" ", cell).strip()


def _caption(table: Table) -> str:
    return _cut(table.caption.rstrip(" ."), 120) if table.caption.strip() else "Results table"


def _is_ours(label: str, method: str | None) -> bool:
    return bool(_OURS.search(label)) or bool(method and method.lower() in label.lower())


def _numeric_columns(table: Table) -> list[int]:
    width = len(table.header)
    return [
        j
        for j in range(1, width)
        if sum(1 for row in table.rows if j < len(row) and _cell_number(row[j]) is not None) >= 2
    ]


def _comparison_item(table: Table, method: str | None) -> str | None:
    """``caption: ours metric v vs best-other v (row)`` for the table's numeric columns."""
    ours = next((r for r in table.rows if r and _is_ours(r[0], method)), None)
    others = [r for r in table.rows if r and r is not ours and not _is_ours(r[0], method)]
    if ours is None or not others:
        return None
    parts = []
    for j in _numeric_columns(table)[:4]:
        value = _cell_number(ours[j]) if j < len(ours) else None
        rivals = [(n, r) for r in others if j < len(r) and (n := _cell_number(r[j])) is not None]
        if value is None or not rivals or all(n == value for n, _ in rivals):
            continue  # a setting shared by every row (epochs, parameters) is not a result
        lower = _LOWER_IS_BETTER.search(table.header[j]) is not None
        best_value, best = (min if lower else max)(rivals, key=lambda item: item[0])
        parts.append(f"{_header(table.header[j])} {ours[j]} vs {best[j]} for {_label(best[0])}")
    if not parts:
        return None
    return _cut(f"{_caption(table)}: {_label(ours[0])} {'; '.join(parts)}")


def _ablation_item(table: Table, method: str | None) -> str | None:
    """``caption: largest drop <row> metric v vs <full> v`` on the first numeric column."""
    columns = _numeric_columns(table)
    reference = next((r for r in table.rows if r and _is_ours(r[0], method)), None)
    if reference is None or not columns:
        return None
    j = columns[0]
    ref_value = _cell_number(reference[j]) if j < len(reference) else None
    if ref_value is None:
        return None
    lower = _LOWER_IS_BETTER.search(table.header[j]) is not None
    variants = [
        (n, r)
        for r in table.rows
        if r is not reference and j < len(r) and (n := _cell_number(r[j])) is not None
    ]
    if not variants:
        return None
    worst_value, worst = (max if lower else min)(variants, key=lambda item: item[0])
    if worst_value == ref_value:
        return None
    return _cut(
        f"{_caption(table)}: largest change with {_label(worst[0])}, {_header(table.header[j])} "
        f"{worst[j]} vs {reference[j]} for {_label(reference[0])}"
    )


def table_results(paper: Paper) -> list[str]:
    """One item per results table (ours vs the best other row) and per ablation table."""
    method = _method_name(paper)
    items = []
    for section in paper.walk():
        if section.role not in _RESULT_ROLES:
            continue
        for table in section.tables:
            if not table.header or not table.rows:
                continue
            is_ablation = section.role is R.ABLATIONS or "ablat" in table.caption.lower()
            item = (_ablation_item if is_ablation else _comparison_item)(table, method)
            if item:
                items.append(item)
    return items


def sentence_results(sentences: Sequence[Sentence], method: str | None = None) -> list[str]:
    """Sentences of the abstract and result sections that report one of the paper's own results
    (not a setting, a footnote or another method's number)."""
    return [
        _cut(s.text)
        for s in _sentences(sentences, _RESULT_ROLES)
        if _is_result_sentence(s.text) and own_result(s.text, method)
    ]


def key_results(
    paper: Paper, sentences: Sequence[Sentence], limit: int = MAX_KEY_RESULTS
) -> list[str]:
    """The abstract's results, then one per table, then result sentences, without repeats."""
    found = sentence_results(sentences, _method_name(paper))
    abstract = {_cut(s) for s in _abstract_sentences(sentences)}
    ordered = [s for s in found if s in abstract]
    ordered += table_results(paper)
    ordered += [s for s in found if s not in abstract]
    unique = list(dict.fromkeys(ordered))
    return unique[:limit]


# --- architecture -------------------------------------------------------------------------------


def _first_mention(text: str, names: Sequence[str]) -> int | None:
    positions = []
    for name in names:
        match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE)
        if match:
            positions.append(match.start())
    return min(positions) if positions else None


def component_map(paper: Paper, analysis: Analysis, limit: int = MAX_COMPONENTS) -> list[str]:
    """Analysed parts data flows through (no losses or regularizers), in the order the method
    sections first mention them."""
    method_text = "\n".join(s.text for s in paper.walk() if s.role is R.METHOD)
    placed = []
    for rank, component in enumerate(analysis.components):
        if component.kind in ("loss", "regularizer") or not (
            component.novel or component.mentions > 1
        ):
            continue
        names = [n for n in (component.name, component.acronym) if n]
        position = _first_mention(method_text, names)
        if position is None:
            continue
        label = f"{component.name} ({component.acronym})" if component.acronym else component.name
        placed.append((position, rank, _no_arrows(label)))
    placed.sort()
    return [label for _, _, label in placed[:limit]]


def design_tradeoffs(analysis: Analysis, limit: int = 4) -> list[str]:
    """``choice vs alternatives (for what)`` from the analysed design choices."""
    items = []
    for choice in analysis.design_choices:
        if not choice.alternatives:
            continue
        text = f"{choice.choice} vs {' or '.join(choice.alternatives[:2])}"
        if choice.used_for:
            text += f" (for {choice.used_for})"
        items.append(" ".join(text.replace(";", ",").split()))
    return items[:limit]


def foundational_concepts(
    analysis: Analysis, limit: int = MAX_CONCEPTS
) -> list[FoundationalConcept]:
    """Standard techniques the method builds on: its design choices, then borrowed components."""
    concepts: list[FoundationalConcept] = []
    seen: set[str] = set()
    for choice in analysis.design_choices:
        key = choice.choice.lower()
        if key in seen:
            continue
        seen.add(key)
        why = f"used for the {choice.used_for}" if choice.used_for else ""
        if not why and choice.evidence:
            why = f'the paper: "{choice.evidence[0].quote}"'
        concepts.append(FoundationalConcept(concept=choice.choice, why=why))
    for component in analysis.components:
        if component.novel or component.name.lower() in seen or not component.evidence:
            continue
        seen.add(component.name.lower())
        quote = component.evidence[0].quote
        concepts.append(FoundationalConcept(concept=component.name, why=f'the paper: "{quote}"'))
    return concepts[:limit]


# --- planned checks -----------------------------------------------------------------------------


def ablation_line(ablation: Ablation) -> str:
    """One ablation as a line: its name, the alternatives to try, and what to report."""
    line = ablation.name
    if ablation.action is not Action.REMOVE and ablation.replacement:
        verb = "try" if ablation.action is Action.REPLACE else "add"
        line += f": {verb} {', '.join(ablation.replacement)}"
    if ablation.metrics:
        line += f"; report {', '.join(ablation.metrics)}"
    return " ".join(line.split())


def planned_ablations(paper: Paper, mode: Mode, k: int, planner: str) -> list[Ablation]:
    """The top ``k`` ablations of ``planner`` for ``paper`` in ``mode``."""
    plan = get_planner(planner).plan(paper_view(paper, mode), mode=mode, k=k)
    return finish_plan(plan, paper, k).ablations[:k]


# --- assembly -----------------------------------------------------------------------------------


def digest_offline(
    paper: Paper,
    *,
    analysis: Analysis | None = None,
    planner: str = "heuristic",
    checks: int = PLANNED_CHECKS,
) -> Digest:
    """The offline digest of ``paper``; sections that cannot be filled honestly become gaps."""
    if analysis is None:
        analysis = analyze(paper)
    gaps: dict[str, str] = {}

    def need(key: str, value: object, reason: str) -> None:
        if not value:
            gaps[key] = reason

    arxiv_id = arxiv_id_of(paper)
    source_url = source_url_of(paper, arxiv_id)
    sentences = list(iter_sentences(paper))  # split once, read by every section
    results = key_results(paper, sentences)
    from_tables = set(table_results(paper))
    abstract_results = [
        s
        for s in _abstract_sentences(sentences)
        if _is_result_sentence(s) and own_result(s, _method_name(paper))
    ]
    facts = []
    if arxiv_id:
        facts.append(QuickFact(label="arXiv ID", value=arxiv_id))
    if source_url:
        facts.append(QuickFact(label="Source URL", value=source_url))
    if (count := reference_count(paper)) is not None:
        facts.append(QuickFact(label="Reference count", value=str(count)))
    # The headline: the abstract's own result, else a key result that claims something (a
    # comparison from a table, or "achieves", "outperforms"...).
    claims = [r for r in results if r in from_tables or is_claim(r)]
    primary = [_cut(r) for r in (abstract_results or claims)[:1]]
    if primary:
        facts.append(QuickFact(label="Primary result", value=primary[0]))
    if analysis.metrics:
        facts.append(
            QuickFact(label="Metrics", value=", ".join(m.name for m in analysis.metrics[:5]))
        )

    contribution = core_contribution(sentences)
    need("core_contribution", contribution, "the paper has no abstract or introduction to quote")
    summary = executive_summary(sentences)
    need("executive_summary", summary, "the paper has no abstract or introduction to quote")
    method = method_summary(sentences, analysis)
    need("method_summary", method, "no method section found in the paper")
    need("key_results", results, "no result sentence or result table with numbers found")
    why = mechanism(sentences)
    need(
        "mechanism",
        why,
        "the method sections state no reason why the method works; " + NEEDS_MODEL,
    )
    concepts = foundational_concepts(analysis)
    need("foundational_learning", concepts, "no standard technique identified; " + NEEDS_MODEL)

    components = component_map(paper, analysis)
    tradeoffs = design_tradeoffs(analysis)
    need("architecture.component_map", components, "no method components identified")
    path = critical_path(components, analysis)
    need(
        "architecture.critical_path",
        path,
        "the paper neither ablates nor introduces a part of the component map; " + NEEDS_MODEL,
    )
    need("architecture.design_tradeoffs", tradeoffs, "no design choice with known alternatives")
    failures = [_cut(s.text) for s in failure_signatures(sentences)]
    need(
        "architecture.failure_signatures",
        failures,
        "the paper states no failure symptoms; " + NEEDS_MODEL,
    )

    reproduce = [f"Reproduce: {r}" for r in (primary + [r for r in results if r not in primary])]
    next_checks, first_experiments = _planned(paper, planner, checks, gaps, reproduce)
    questions = open_questions(sentences)
    need("open_questions", questions, "the paper calls out no future work or open question")
    limits = limitations(sentences, _method_name(paper))
    need("limitations", limits, "the paper states no limitation")
    tables = table_index(paper)
    ratings: list[ConfidenceRating] = [rate_result(r, tables, r in from_tables) for r in results]
    if (generality := rate_generality(limits)) is not None:
        ratings.append(generality)
    need("confidence", ratings, "the paper reports no result and no limitation to rate")
    source = None if arxiv_id else _source_name(paper)

    return Digest(
        title=paper.title,
        arxiv_id=arxiv_id,
        source_url=source_url,
        tags=paper_tags(paper, sentences),
        core_contribution=contribution,
        quick_facts=facts,
        executive_summary=summary,
        method_summary=method,
        key_results=results,
        mechanism=why,
        foundational_learning=concepts,
        architecture=ArchitectureOnboarding(
            component_map=components,
            critical_path=path,
            design_tradeoffs=tradeoffs,
            failure_signatures=failures,
            first_experiments=first_experiments,
        ),
        open_questions=questions,
        limitations=limits,
        confidence=ratings,
        next_checks=next_checks,
        gaps=gaps,
        # The pipeline names the writer, and its numeric check finds the paper's text by the
        # digest's source (arxiv_id, else the file name).
        extra_frontmatter={"model": OFFLINE_MODEL, **({"source": source} if source else {})},
    )


def _source_name(paper: Paper) -> str:
    """The name of the paper's source text: its file name (never a full local path)."""
    if paper.source_path:
        return paper.source_path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return paper.id


def _planned(
    paper: Paper, planner: str, k: int, gaps: dict[str, str], reproduce: Sequence[str] = ()
) -> tuple[list[str], list[str]]:
    """Next Checks and First experiments, ``k`` each when the evidence allows.

    Next Checks are the missing ablations (reviewer mode), topped up with author-mode ablations.
    First experiments reproduce the primary result, then run the author-mode ablations Next
    Checks do not hold, then reproduce the other key results (``reproduce``).
    """
    planned: dict[Mode, list[Ablation]] = {}
    for mode in (Mode.REVIEWER, Mode.AUTHOR):
        try:
            planned[mode] = planned_ablations(paper, mode, k, planner)
        except AblabError as exc:
            planned[mode] = []
            key = "next_checks" if mode is Mode.REVIEWER else "architecture.first_experiments"
            gaps[key] = f"the {planner} planner proposed nothing ({exc})"
    checks = list(planned[Mode.REVIEWER])
    taken = {_ablation_key(a) for a in checks} | {a.name.lower() for a in checks}
    spare = [
        a
        for a in planned[Mode.AUTHOR]
        if _ablation_key(a) not in taken and a.name.lower() not in taken
    ]
    # Ablations go to Next Checks first: reproducing a result is a first experiment too.
    topped = max(0, k - len(checks))
    checks += spare[:topped]
    first = [ablation_line(a) for a in spare[topped:]]
    first = (list(reproduce[:1]) + first + list(reproduce[1:]))[:k]
    if first:
        gaps.pop("architecture.first_experiments", None)
    else:
        gaps.setdefault("architecture.first_experiments", "no result to reproduce, no ablation")
    if checks:
        gaps.pop("next_checks", None)
    return [ablation_line(a) for a in checks[:k]], first


def _ablation_key(ablation: Ablation) -> str:
    return f"{ablation.action.value} {ablation.ablated_part.lower()}"
