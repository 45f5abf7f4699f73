"""Ablations the paper already reports: ablation (sub)sections, ``w/o X`` / ``X → Y`` table rows,
hyperparameter sweep tables, and sentences such as "without X", "replacing X with Y".

Targets are normalised so they can be matched to components: a known acronym becomes
``Expansion (ACR)``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ablab.analysis.hyperparameters import NAMED_HYPERPARAMETERS
from ablab.analysis.metrics import clean_header
from ablab.analysis.sentences import Sentence, section_evidence
from ablab.analysis.symbols import NUMBER, SYMBOL, display_symbol, parse_number
from ablab.analysis.terms import STOPWORDS, word_set, words
from ablab.schema import Action, Evidence, ExistingAblation, Section, SectionRole, Table

_STOP = (
    r"(?=\s*(?:[,.;:()\[\]]|$|\b(?:and|but|leads?|led|results?|drops?|dropped|causes?|caused|"
    r"yields?|reduces?|reduced|degrades?|degraded|hurts?|improves?|improved|decreases?|decreased|"
    r"increases?|increased|costs?|lowers?|lowered|gives?|harms?|is|are|was|were|has|have|makes?|"
    r"made|in|on|from|at|to|leaves?|brings?|slows?|only|significantly|substantially|consistently|"
    r"also|still|performs?|while|whereas|which|that|because|as|than)\b))"
)
_TARGET = r"(?P<t>[^,.;:()\[\]]{2,80}?)"
_REPL = r"(?P<r>[^,.;:()\[\]]{2,80}?)"
_ARTICLE = r"(?:(?:the|our|a|an|its|each|this)\s+)?"

# (pattern, action, keywords): a pattern only runs on sentences containing one of its keywords
# (lower case), which keeps the slow lazy-target patterns off most sentences.
_SENTENCE_PATTERNS: tuple[tuple[re.Pattern[str], Action | None, tuple[str, ...]], ...] = (
    (
        re.compile(rf"\b(?:without|w/o)\s+{_ARTICLE}{_TARGET}{_STOP}", re.I),
        Action.REMOVE,
        ("without", "w/o"),
    ),
    (
        re.compile(
            rf"\b(?:remov(?:e|es|ed|ing)|dropping|disabl(?:e|es|ed|ing)|discard(?:s|ed|ing)?|"
            rf"exclud(?:e|es|ed|ing))\s+{_ARTICLE}{_TARGET}{_STOP}",
            re.I,
        ),
        Action.REMOVE,
        ("remov", "dropping", "disabl", "discard", "exclud"),
    ),
    (
        re.compile(
            rf"\b(?:replac(?:e|es|ed|ing)|substitut(?:e|es|ed|ing)|swapp?(?:ing)?)\s+{_ARTICLE}"
            rf"(?P<t>[^,.;:()]{{2,80}}?)\s+(?:with|by|for)\s+{_ARTICLE}{_REPL}{_STOP}",
            re.I,
        ),
        Action.REPLACE,
        ("replac", "substitut", "swap"),
    ),
    (
        re.compile(
            rf"\b{_ARTICLE}(?P<t>[\w-]+(?:\s+[\w-]+){{0,4}}?)\s+(?:is|are|was|were)\s+replaced\s+"
            rf"(?:with|by)\s+{_ARTICLE}{_REPL}{_STOP}",
            re.I,
        ),
        Action.REPLACE,
        ("replaced",),
    ),
    (
        re.compile(
            rf"\b(?:ablat(?:e|es|ed|ing)|vary|varies|varied|varying|sweep(?:s|ing)?|swept|"
            rf"study the (?:effect|impact|influence) of|sensitivity (?:to|of))\s+{_ARTICLE}"
            rf"{_TARGET}{_STOP}",
            re.I,
        ),
        None,
        (
            "ablat",
            "vary",
            "varie",
            "varying",
            "sweep",
            "swept",
            "effect",
            "impact",
            "influence",
            "sensitivity",
        ),
    ),
)
_INSTEAD_OF = re.compile(rf"\binstead\s+of\s+{_ARTICLE}{_TARGET}{_STOP}", re.I)
# The replacement named before "instead of": after the last "with"/"using", else the last words.
_REPL_BEFORE = re.compile(
    r"(?:.*\b(?:with|using|uses|use|by|via|adopting)\s+|^(?:.*[,;:(]\s*)?)([^,;:()]{2,60}?)\s*$",
    re.I | re.S,
)
_SET_SWEEP = re.compile(
    rf"(?P<sym>{SYMBOL})\s*\$?\s*(?:∈|\\in|in)\s*\\?\{{(?P<vals>[^{{}}]{{3,80}})\\?\}}"
)
_OUTCOME = re.compile(
    r"\b(?:drops?|dropped|degrad\w*|decreas\w*|reduc\w*|hurts?|costs?|lower\w*|improv\w*|"
    r"increas\w*|gains?|points?|pp|accuracy|performance|essential|crucial|important|contribut\w*|"
    r"worse|better|collapse\w*|fails?|failed)\b|%|\d",
    re.I,
)

# In an ablation section, a sentence that compares something ("X beats Y", "τ = 0.1 works best")
_COMPARISON = re.compile(
    r"\b(?:beats?|outperforms?|better|worse|best|helps?|hurts?|drops?|improv\w*|gains?|costs?|"
    r"than|versus|vs|compared|comparable|without|remov\w*|replac\w*|matters?|essential|"
    r"works?|fails?|collapses?|unstable)\b",
    re.I,
)
# "**Shifted windows.** Shifted windows add 1.1%": a paragraph titled in bold.
_BOLD_LEAD = re.compile(r"^\s*\*\*(?P<lead>[^*]{3,80}?)[.:]?\*\*")
_VERSUS = re.compile(r"\s+(?:versus|vs\.?)\s+", re.I)

_ROW_REMOVE = re.compile(
    r"^\s*(?:w/o\.?|wo/|without|minus|no)\s+(?P<t>\S.*)$|^\s*[-−–]\s*(?P<t2>[A-Za-z].*)$", re.I
)
_ROW_ADD = re.compile(r"^\s*(?:\+|w/\s*)\s*(?P<t>[A-Za-z].*)$")
_ROW_REPLACE = re.compile(
    r"^(?P<t>.+?)\s*(?:→|->|⟶|=>|⇒|\\rightarrow|\\to\b|\$\\to\$)\s*(?P<r>.+)$"
)
_ROW_SYMBOL_VALUE = re.compile(rf"^\s*\$?(?P<sym>{SYMBOL})\$?\s*=\s*\$?(?P<num>{NUMBER})\s*\$?\s*$")
_NAMED_HP = re.compile(
    "|".join(f"(?:{src})" for _, src in NAMED_HYPERPARAMETERS if src.startswith("(") or " " in src),
    re.I,
)
_FULL_MODEL = re.compile(
    r"\b(?:full|ours|default|baseline|proposed|complete|all)\b|\(ours\)", re.IGNORECASE
)
_ABLATION_CAPTION = re.compile(
    r"\bablat|\bsensitivity\b|\beffect of\b|\bimpact of\b|\bvariants?\b|\bcomponents?\b", re.I
)
_SECTION_TARGET = re.compile(
    r"^(?:(?:effect|impact|influence|role|importance|choice|analysis|ablation|ablations|"
    r"sensitivity)\s+(?:of|on|to)\s+)(?:the\s+)?(?P<t>.+)$|^(?P<t2>.+?)\s+ablations?$",
    re.I,
)
_GENERIC_TARGETS = word_set(
    "component components module modules part parts it them this these those each all every "
    "design choices variant variants setting settings labels label"
)
_SENTENCE_ROLES = frozenset(
    {
        SectionRole.EXPERIMENTS,
        SectionRole.RESULTS,
        SectionRole.ABLATIONS,
        SectionRole.DISCUSSION,
        SectionRole.APPENDIX,
    }
)


def _clean_target(raw: str) -> str | None:
    """``raw`` without articles and markup, or None when it names nothing specific."""
    text = re.sub(r"[*_`]", "", raw).strip(" -–:")
    tokens = text.split()
    while tokens and tokens[0].lower() in {"the", "our", "a", "an", "its", "each", "this"}:
        tokens.pop(0)
    if not tokens:
        return None
    first = tokens[0].lower()
    if first in STOPWORDS or first in _GENERIC_TARGETS:
        return None
    content = [w for w in words(" ".join(tokens)) if w.lower() not in STOPWORDS]
    if not content or all(w.lower() in _GENERIC_TARGETS or w.isdigit() for w in content):
        return None
    return " ".join(tokens[:10])


def _expand(target: str, acronyms: Mapping[str, str]) -> str:
    """``"CVCM"`` -> ``"Cross-View Consistency Module (CVCM)"``; other words are kept."""
    if target in acronyms:
        return f"{acronyms[target]} ({target})"
    for word in words(target):
        if word in acronyms and acronyms[word].lower() not in target.lower():
            return target.replace(word, f"{acronyms[word]} ({word})", 1)
    return target


class _Collector:
    def __init__(self, acronyms: Mapping[str, str], title: str = "") -> None:
        self.acronyms = acronyms
        # A row named like the paper ("HiRoute") is the full model, not a variant.
        self.title_words = {w.lower() for w in words(title)}
        self.items: dict[tuple[str, str], ExistingAblation] = {}

    def add(
        self,
        target: str | None,
        action: Action | None,
        source: str,
        evidence: Evidence,
        replacement: list[str] | None = None,
    ) -> None:
        if target is None:
            return
        target = _expand(target, self.acronyms)
        key = (target.lower(), action.value if action else "")
        item = self.items.get(key)
        if item is None:
            self.items[key] = ExistingAblation(
                target=target,
                action=action,
                replacement=replacement,
                source=source,  # type: ignore[arg-type]
                evidence=[evidence],
            )
        elif len(item.evidence) < 3 and evidence.quote not in {e.quote for e in item.evidence}:
            item.evidence.append(evidence)

    # --- tables
    def read_table(self, section: Section, table: Table, in_ablation_section: bool) -> None:
        is_ablation = in_ablation_section or bool(_ABLATION_CAPTION.search(table.caption))
        if self._read_sweep_table(section, table):
            return
        for row in table.rows:
            if not row:
                continue
            cell = row[0].strip()
            quote = (
                f"{table.caption} [row: {' | '.join(row)}]" if table.caption else " | ".join(row)
            )
            evidence = section_evidence(section, quote)
            remove = _ROW_REMOVE.match(cell)
            if remove:
                target = _clean_target(remove.group("t") or remove.group("t2"))
                self.add(target, Action.REMOVE, "table_row", evidence)
                continue
            replace = _ROW_REPLACE.match(cell)
            if replace:
                replacement = _clean_target(replace.group("r"))
                self.add(
                    _clean_target(replace.group("t")),
                    Action.REPLACE,
                    "table_row",
                    evidence,
                    [replacement] if replacement else None,
                )
                continue
            add = _ROW_ADD.match(cell)
            if add and is_ablation:
                self.add(_clean_target(add.group("t")), Action.ADD, "table_row", evidence)
                continue
            symbol_value = _ROW_SYMBOL_VALUE.match(cell)
            if symbol_value:
                symbol = display_symbol(symbol_value.group("sym"))
                self.add(symbol, Action.REPLACE, "table_row", evidence, [cell])
                continue
            if (
                is_ablation
                and not _FULL_MODEL.search(cell)
                and not _numeric(cell)
                and not {w.lower() for w in words(cell)} <= self.title_words
            ):
                # A named variant ("Joint Opt"): what changed is unclear, the name is kept.
                self.add(_clean_target(cell), None, "table_row", evidence)

    def _read_sweep_table(self, section: Section, table: Table) -> bool:
        """A table whose first column is a hyperparameter and whose rows are its values."""
        if not table.header or len(table.rows) < 2:
            return False
        first = clean_header(table.header[0])
        values = [r[0].strip() for r in table.rows if r and _numeric(r[0])]
        if len(values) < 2:
            return False
        if re.fullmatch(SYMBOL, first.strip("$ ")):
            target = display_symbol(first.strip("$ "))
            shown = [f"{target} = {v}" for v in values]
        elif _NAMED_HP.fullmatch(first.lower()):
            target = first
            shown = [f"{first} = {v}" for v in values]
        else:
            return False
        quote = f"{table.caption} [column: {table.header[0]}; values: {', '.join(values)}]"
        self.add(target, Action.REPLACE, "table_row", section_evidence(section, quote), shown)
        return True

    # --- sentences and headings
    def read_sentence(self, sentence: Sentence, is_known: _KnownTarget) -> None:
        text = sentence.text
        strict = sentence.role is not SectionRole.ABLATIONS and not _OUTCOME.search(text)
        lower = text.lower()
        for pattern, action, keywords in _SENTENCE_PATTERNS:
            if not any(k in lower for k in keywords):
                continue
            for match in pattern.finditer(text):
                target = _clean_target(match.group("t"))
                if target is None or (strict and not is_known(target)):
                    continue
                replacement = None
                if "r" in pattern.groupindex:
                    repl = _clean_target(match.group("r"))
                    replacement = [repl] if repl else None
                kind = action
                if kind is None and is_known(target) and _has_symbol(target):
                    kind = Action.REPLACE
                self.add(target, kind, "sentence", sentence.evidence(*match.span()), replacement)
        for match in _INSTEAD_OF.finditer(text) if "instead" in lower else ():
            target = _clean_target(match.group("t"))
            if target is None or (strict and not is_known(target)):
                continue
            before = _REPL_BEFORE.search(text[: match.start()])
            repl = _clean_target(before.group(1)) if before else None
            self.add(
                target,
                Action.REPLACE,
                "sentence",
                sentence.evidence(*match.span()),
                [repl] if repl else None,
            )
        for match in _SET_SWEEP.finditer(text) if "{" in text else ():
            symbol = display_symbol(match.group("sym"))
            values = [v.strip() for v in match.group("vals").split(",") if _numeric(v)]
            if len(values) >= 2:
                self.add(
                    symbol,
                    Action.REPLACE,
                    "sentence",
                    sentence.evidence(*match.span()),
                    [f"{symbol} = {v}" for v in values],
                )

    def read_discussed(self, sentence: Sentence, parts: _Discussed) -> None:
        """A known part named in a comparing sentence of an ablation section was ablated, even
        without "without X" wording ("Relative position bias beats no position encoding")."""
        lead = _BOLD_LEAD.match(sentence.text)
        if lead:
            evidence = sentence.evidence(*lead.span())
            title = lead.group("lead").strip()
            match = _SECTION_TARGET.match(title)
            if match:
                self.add(_clean_target(match.group("t") or match.group("t2")), None, "section",
                         evidence)  # fmt: skip
            else:
                for side in _VERSUS.split(title):
                    self.add(_clean_target(side), None, "section", evidence)
        if not _COMPARISON.search(sentence.text):
            return
        for target, start, end in parts.find(sentence.text):
            self.add(target, None, "sentence", sentence.evidence(start, end))

    def read_heading(self, section: Section) -> None:
        match = _SECTION_TARGET.match(section.title.strip())
        if match:
            target = _clean_target(match.group("t") or match.group("t2"))
            self.add(target, None, "section", section_evidence(section, section.title))


class _Discussed:
    """Finds the analysis's known parts (names, acronyms, symbols) in a sentence."""

    def __init__(self, names: Sequence[str]) -> None:
        words_ = sorted({n for n in names if len(n) >= 3}, key=len, reverse=True)
        symbols = sorted({n for n in names if len(n) < 3 and not n.isascii()})
        parts = []
        if words_:
            parts.append(rf"\b(?:{'|'.join(re.escape(n) for n in words_)})(?:e?s)?\b")
        if symbols:
            parts.append(rf"(?<!\w)(?:{'|'.join(re.escape(n) for n in symbols)})(?!\w)")
        self._pattern = re.compile("|".join(parts), re.I) if parts else None

    def find(self, text: str) -> list[tuple[str, int, int]]:
        """``(part as written, start, end)`` for each known part mentioned in ``text``."""
        if self._pattern is None:
            return []
        return [(m.group(0), m.start(), m.end()) for m in self._pattern.finditer(text)]


class _KnownTarget:
    """Whether a target names something the analysis already knows (component, symbol, ...)."""

    def __init__(self, names: Sequence[str], acronyms: Mapping[str, str]) -> None:
        self._names = [n.lower() for n in names if n]
        self._acronyms = acronyms

    def __call__(self, target: str) -> bool:
        lower = target.lower()
        if _has_symbol(target) or any(w in self._acronyms for w in words(target)):
            return True
        return any(name in lower or lower in name for name in self._names)


def _has_symbol(text: str) -> bool:
    return any(len(w) == 1 and (w.isupper() or not w.isascii()) for w in words(text))


def _numeric(text: str) -> bool:
    return parse_number(text.strip().strip("$*")) is not None


def find_existing_ablations(
    sections: Sequence[Section],
    sentences: Sequence[Sentence],
    acronyms: Mapping[str, str],
    known_names: Sequence[str] = (),
    title: str = "",
    discussed: Sequence[str] = (),
) -> list[ExistingAblation]:
    """Ablations the paper reports, in document order (tables of a section before its text).

    ``discussed`` lists the parts, in the paper's words and symbols (``relative position bias``,
    ``NT-Xent``, ``τ``), whose mention in a comparing sentence of an ablation section counts as
    an ablation of that part.
    """
    collector = _Collector(acronyms, title)
    known = _KnownTarget(known_names, acronyms)
    parts = _Discussed(discussed)
    for section in sections:
        in_ablation = section.role is SectionRole.ABLATIONS or "ablat" in section.title.lower()
        if in_ablation and section.level > 1:
            collector.read_heading(section)
        for table in section.tables:
            collector.read_table(section, table, in_ablation)
    for sentence in sentences:
        if sentence.role in _SENTENCE_ROLES:
            collector.read_sentence(sentence, known)
        if sentence.role is SectionRole.ABLATIONS:
            collector.read_discussed(sentence, parts)
    return list(collector.items.values())
