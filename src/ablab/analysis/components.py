"""Named parts of a method: ``Cross-View Consistency Module (CVCM)``, ``mapping layer``, ...

Two passes over the sentences, both linear: the first collects candidates (acronym definitions and
noun phrases ending in a component word such as *module*, *loss* or *gate*) and whether the paper
presents them as its own; the second counts mentions of every candidate with one dictionary look-up
per word n-gram.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ablab.analysis.acronyms import find_definitions
from ablab.analysis.alternatives import STANDARD_ACRONYMS
from ablab.analysis.design import DESIGN_VOCAB
from ablab.analysis.identity import method_names
from ablab.analysis.negation import negation_at
from ablab.analysis.sentences import EvidenceKeeper, Sentence
from ablab.analysis.terms import STOPWORDS, VERBS, WORD, singular, term_key, word_set, words
from ablab.schema import Component, ComponentKind, Evidence, SectionRole

_MODULE_HEADS = word_set(
    "module layer block head mlp encoder decoder network net branch unit adapter memory bank gate "
    "embedding projector predictor classifier extractor tokenizer router backbone generator "
    "discriminator critic buffer queue codebook transformer pathway tower"
)
_MECHANISM_HEADS = word_set(
    "mechanism attention strategy scheme operation operator sampler sampling fusion aggregation "
    "aggregator alignment distillation refinement propagation gating masking bias trick"
)
HEAD_KINDS: dict[str, ComponentKind] = {
    **dict.fromkeys(_MODULE_HEADS, "module"),
    **dict.fromkeys(word_set("loss objective term penalty criterion"), "loss"),
    **dict.fromkeys(
        word_set("regularizer regulariser regularization regularisation"), "regularizer"
    ),
    **dict.fromkeys(
        word_set("stage phase scheduler schedule curriculum pretraining pre-training"), "stage"
    ),
    **dict.fromkeys(_MECHANISM_HEADS, "mechanism"),
    "mask": "data",
}
"""Words that end a component name, and the kind of component they make."""

_ACRONYM_ONLY_KINDS: dict[str, ComponentKind] = {"training": "stage", "learning": "stage"}

_GENERIC_MODIFIERS = word_set(
    """
    first second third last final initial previous next hidden linear output input intermediate
    top bottom total overall full entire whole standard original different single multiple
    additional extra simple small large deep shallow new above following corresponding respective
    certain specific various existing typical conventional usual common vanilla baseline naive
    trivial fully-connected fully connected convolutional dense pooling softmax attention
    normalization embedding classification training learning model method approach proposed
    novel main same final auxiliary
    """
)
_SOFT_MODIFIERS = _GENERIC_MODIFIERS | word_set("learned learnable trainable lightweight")
"""Words that qualify a part without naming a different one ("a small projection head")."""
_JUNK_WORDS = word_set("table tab figure fig section sec eq equation appendix algorithm alg et al")
# Words that say the paper presents the part as its own, right before its name.
_NOVEL_BEFORE = re.compile(
    r"(?:\b(?:our|proposed|novel)\s+(?:[\w-]+\s+){0,2}"
    r"|\bwe\s+(?:\w+\s+)?(?:introduce|propose|present|design|devise|develop|call\s+it|term)\s+"
    r"(?:(?:a|an|the)\s+)?(?:(?:new|novel|lightweight|simple|following)\s+)?"
    # "we add a gate" is new; "we add positional embeddings to all tokens" is standard
    r"|\bwe\s+(?:\w+\s+)?add\s+(?:a|an)\s+(?:(?:new|novel|lightweight|simple)\s+)?)$",
    re.IGNORECASE,
)
_NOVEL_SENTENCE = re.compile(
    r"\b(?:we\s+(?:\w+\s+)?(?:introduce|propose|present|design|devise|develop)|novel|our\s+(?:main\s+)?contributions?)\b",
    re.IGNORECASE,
)
STANDARD_PART_HEADS = frozenset(
    {
        "network", "net", "backbone", "encoder", "decoder", "classifier", "extractor", "model",
        "embedding", "generator", "discriminator", "tokenizer", "transformer",
    }
)  # fmt: skip
"""Head words of standard parts every model of a kind has (never the paper's own invention,
never removable: a network needs its encoder)."""
_NOVEL_WORDS = frozenset({"our", "proposed", "novel"})
# A single-letter symbol naming the part just mentioned: "a prediction MLP h maps", "the
# projection head $g$,". Not "a"/"I", which are words.
_SYMBOL_AFTER = re.compile(
    r"\s+\$?((?![aAI]\b)[A-Za-z\u0370-\u03ff](?:_\{?\w+\}?)?)\$?(?=[\s,.;:)(]|$)"
)
# Words that only point at a part ("our particular attention", "a certain surrogate objective",
# "individual attention heads"): a name starting with one is not the name of a part.
_POINTING_MODIFIERS = word_set(
    "particular certain individual each every such specific general given respective "
    "corresponding several various other many some any few most more less same whole entire "
    "typical usual common existing previous prior standard conventional traditional popular "
    "recent modern classical vanilla naive plain simple basic default final original full "
    "overall following above below aforementioned said latter former fewer more less new"
)
# Heads that turn a method's name into the method itself: "MAE pre-training", "BERT model".
_WHOLE_METHOD_HEADS = word_set(
    "pre-training pretraining training model models framework architecture approach method "
    "algorithm algorithms network networks system pipeline procedure sampler samplers "
    "estimator estimators optimizer learner learners flow flows net nets autoencoder "
    "autoencoders agent agents"
)
# Hardware, software, data and bookkeeping: never a part of a learning method.
_NOT_A_PART = word_set(
    "gpu gpus cpu cpus tpu tpus hardware cuda pytorch tensorflow jax keras library "
    "libraries toolkit package implementation codebase code hugging huggingface github server "
    "cluster machine dataset datasets benchmark benchmarks corpus corpora split splits "
    "matrix multiply gemm paper section table figure appendix experiment experiments baseline "
    "baselines competitor competitors accuracy latency throughput flops runtime speed"
)
# Gerunds of actions on a part ("inserting adapter layers"); "mapping layer" or "gating module"
# name parts and are not listed.
_ACTION_GERUNDS = word_set(
    "inserting adding using applying making removing replacing introducing combining computing "
    "performing taking having getting building designing training increasing decreasing reducing"
)
# Head words of tasks and research areas, not parts: "natural language generation (NLG)",
# "relation extraction", "question answering".
_TASK_HEADS = word_set(
    "generation comprehension extraction answering classification recognition detection "
    "segmentation translation summarization summarisation retrieval parsing captioning "
    "reasoning understanding modeling modelling completion forecasting control navigation "
    "planning synthesis editing localization localisation tracking estimation language analysis"
)
# A measured quantity right after an acronym's parenthesis: the expansion only modifies it.
_QUANTITY_AFTER = re.compile(
    # nouns that are never verbs here: "(GM) scores heads" is a part that scores something
    r"\s+(?:errors?|residuals?|distances?|statistics)\b"
)
# Section-title heads that name a procedure or an account of one, not a part.
_PROCEDURE_HEADS = word_set(
    "strategy strategies procedure procedures details setup overview recipe protocol scheme "
    "formulation preliminaries implementation training inference"
)
# A citation right after a name: the name is someone else's work ("TRPO [Sch+15]", "[cite]").
_CITED_AFTER = re.compile(
    r"^\s*\)?\s*(?:\[(?:cite|[\w\s,.+&-]{1,40})\]|\((?:[A-Z][^()]{0,60}?(?:19|20)\d\d[a-z]?)\))"
)
# Related work and background describe other methods: their parts are not this method's.
_NO_CANDIDATE_ROLES = frozenset(
    {SectionRole.RELATED_WORK, SectionRole.REFERENCES, SectionRole.BACKGROUND}
)
_METHOD_ROLES = frozenset({SectionRole.METHOD})
_DESCRIBING_ROLES = frozenset(
    {SectionRole.ABSTRACT, SectionRole.INTRODUCTION, SectionRole.METHOD, SectionRole.OTHER}
)
_MAX_MODIFIERS = 4
MAX_COMPONENTS = 30
"""Components kept in an analysis."""


@dataclass
class _Candidate:
    key: str
    name: str
    kind: ComponentKind
    first_index: int
    acronym: str | None = None
    capitalised: bool = False
    novel: bool = False
    phrase_hits: int = 0
    evidence: EvidenceKeeper = field(default_factory=EvidenceKeeper)
    mentions: int = 0
    method_mentions: int = 0
    described: int = 0
    """Mentions in sections that describe the method (abstract, introduction, method)."""
    negated: int = 0
    """Of those, mentions after a negation ("no memory bank", "replaces X with ...")."""
    described_in_method: int = 0
    negated_in_method: int = 0
    absent: Sentence | None = None
    """A sentence saying the method does without the part (not merely replaces it)."""
    announced: bool = False
    """Named after "we propose/introduce" in the same sentence."""
    symbol: str | None = None
    """Math symbol the paper names the part with ("a prediction MLP h")."""
    cited: int = 0
    """Mentions followed by a citation: the part is someone else's (a baseline, prior work)."""
    heading: str | None = None
    """Section id of a method subsection titled with exactly this name."""


def _kind_of(name: str, *, acronym: bool) -> ComponentKind | None:
    tokens = words(name)
    if not tokens:
        return None
    last = singular(tokens[-1])
    if last in HEAD_KINDS:
        return HEAD_KINDS[last]
    if acronym:
        return _ACRONYM_ONLY_KINDS.get(last, "other")
    return None


def _is_design_term(name: str, kind: ComponentKind) -> bool:
    """Standard techniques (``KL loss``, ``temperature-scaled InfoNCE loss``) are design choices
    rather than components; ``prediction MLP head`` or ``projection MLP`` stay components.

    A name is a design term when a known choice covers all its modifiers, or stands right
    before the head word of a loss.
    """
    tokens = WORD.findall(name)
    head = tokens[-1] if tokens else ""
    modifiers = name[: name.rfind(head)].rstrip() if head else name
    first = len(modifiers) - len(modifiers.lstrip())
    for match in DESIGN_VOCAB.find(name):
        if match.start >= len(modifiers):
            continue  # the head itself ("projection MLP"): still a named part
        touches_head = match.end >= len(modifiers)
        if touches_head and (match.start <= first or kind in ("loss", "regularizer")):
            return True
    return False


def _phrases(sentence: str) -> list[tuple[str, int]]:
    """Noun phrases ``modifier+ head`` in a sentence, with their start offsets."""
    tokens = list(WORD.finditer(sentence))
    found: list[tuple[str, int]] = []
    for i, token in enumerate(tokens):
        head = singular(token.group(0))
        if head not in HEAD_KINDS:
            continue
        if i + 1 < len(tokens) and singular(tokens[i + 1].group(0)) in HEAD_KINDS:
            continue  # "feature alignment" inside "feature alignment module": keep the longer
        j = i
        while j > 0 and i - j < _MAX_MODIFIERS:
            previous = tokens[j - 1].group(0)
            lower = previous.lower()
            if not previous[0].isalpha() or lower in STOPWORDS or lower in _NOVEL_WORDS:
                break
            if lower in _POINTING_MODIFIERS:
                break  # "the following renormalization trick" names the trick
            if lower.endswith("ly") or lower in _JUNK_WORDS or lower in VERBS:
                break
            j -= 1
        if j == i:
            continue
        modifiers = [t.group(0).lower() for t in tokens[j:i]]
        if all(m in _GENERIC_MODIFIERS for m in modifiers):
            continue
        found.append((sentence[tokens[j].start() : token.end()], tokens[j].start()))
    return found


def _is_capitalised(name: str) -> bool:
    tokens = words(name)
    return len(tokens) >= 2 and all(t[0].isupper() for t in tokens if t.lower() not in STOPWORDS)


class _Collector:
    """First pass: candidates by key, acronyms, novelty cues."""

    def __init__(self, title_words: set[str], method: frozenset[str] = frozenset()) -> None:
        self.by_key: dict[str, _Candidate] = {}
        self.acronyms: dict[str, str] = {}
        self.title_words = title_words
        self.method = method
        """Keys of the method's own names: the whole method is not one of its parts."""

    def add(
        self,
        name: str,
        sentence: Sentence,
        start: int,
        *,
        acronym: str | None = None,
        novel: bool = False,
        end: int | None = None,
    ) -> _Candidate | None:
        key = term_key(name)
        kind = _kind_of(name, acronym=acronym is not None)
        if not key or kind is None or (acronym is None and _is_design_term(name, kind)):
            return None
        if key in self.method or (acronym and acronym.lower() in self.method):
            return None
        if _is_method(key, self.method):
            return None  # "MAE pre-training", "APG samplers": the whole method, not a part
        candidate = self.by_key.get(key)
        if candidate is None:
            candidate = _Candidate(key, name.strip(), kind, sentence.index)
            self.by_key[key] = candidate
        if acronym and candidate.acronym is None:
            candidate.acronym = acronym
            candidate.name = name.strip()
            self.acronyms[acronym] = key
        candidate.capitalised = candidate.capitalised or _is_capitalised(name)
        candidate.novel = candidate.novel or novel
        candidate.phrase_hits += 1
        after = end if end is not None else start + len(name)
        if _CITED_AFTER.match(sentence.text[after : after + 80]):
            candidate.cited += 1
        candidate.evidence.add(sentence, start, start + len(name))
        return candidate

    def read(self, sentence: Sentence, *, heading: bool = False) -> None:
        if sentence.role in _NO_CANDIDATE_ROLES:
            # Related work defines acronyms of other methods: remember them, never as ours.
            for definition in find_definitions(sentence.text):
                self.acronyms.setdefault(definition.acronym, term_key(definition.expansion))
            return
        text = sentence.text
        sentence_novel = _NOVEL_SENTENCE.search(text)
        defined_spans: list[tuple[int, int]] = []
        for definition in find_definitions(text):
            acronym = definition.acronym
            defined_spans.append((definition.start, definition.end))
            if acronym in STANDARD_ACRONYMS or acronym.lower() in self.title_words:
                continue  # a standard technique, or the method itself (named in the title)
            if _QUANTITY_AFTER.match(text, definition.end):
                continue  # "temporal-difference (TD) error": a quantity, not a part
            novel = bool(
                (sentence_novel and sentence_novel.start() < definition.start)
                or _NOVEL_BEFORE.search(text[max(0, definition.start - 80) : definition.start])
            )
            self.add(
                definition.expansion,
                sentence,
                definition.start,
                acronym=acronym,
                novel=novel,
                end=definition.end,
            )
        for phrase, start in _phrases(text):
            if any(lo <= start < hi for lo, hi in defined_spans):
                continue
            novel = bool(_NOVEL_BEFORE.search(text[max(0, start - 80) : start]))
            candidate = self.add(phrase, sentence, start, novel=novel)
            if candidate is None:
                continue
            if sentence_novel and sentence_novel.start() < start:
                # "We propose X, ... and a feature alignment module": novel if the paper also
                # gives it an acronym (checked once every sentence has been read).
                candidate.announced = True
            symbol = _SYMBOL_AFTER.match(text, start + len(phrase))
            if symbol and candidate.symbol is None and not heading:
                candidate.symbol = symbol.group(1)  # "a prediction MLP h maps ..."
            whole = phrase.strip().lower() == text.strip().lower()
            if heading and whole:
                candidate.heading = sentence.section_id
            # A method subsection titled after a part ("Feature Alignment Module", "Shifted
            # window attention") presents it as the paper's own, unless it is a standard part
            # such as an encoder.
            head = words(phrase)[-1].lower()
            if (
                heading
                and (whole or _is_capitalised(phrase))
                and candidate.kind != "data"
                and singular(head) not in STANDARD_PART_HEADS
                and singular(head) == head  # "building blocks": several parts, not one
                and head not in _PROCEDURE_HEADS
            ):
                candidate.novel = True


# "... Vision Transformers with Shifted Windows", "Learning X via Y": the mechanism a title
# names after its last "with"/"via"/"using"/"through".
_TITLE_MECHANISM = re.compile(
    r"\b(?:with|via|using|through)\s+(?:an?\s+|the\s+)?"
    r"(?P<phrase>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){1,3}?)\s*(?:\bfor\b.*)?$"
)


def _add_title_mechanism(collector: _Collector, title: str, sentences: Sequence[Sentence]) -> None:
    """The mechanism a title names ("with Shifted Windows") is the paper's own part when the
    method text uses it and no subsection already names it; a whole network ("with
    Transformers") is the method itself, not a part."""
    match = _TITLE_MECHANISM.search(title.rpartition(":")[2])
    if match is None:
        return
    phrase = match.group("phrase").strip()
    tokens = [t.lower() for t in words(phrase)]
    head = singular(tokens[-1])
    if head in STANDARD_PART_HEADS or head in _WHOLE_METHOD_HEADS or head == "learning":
        return  # "with Hyperbolic Normalizing Flows": the method itself, not one of its parts
    if any(w in STOPWORDS for w in tokens) or DESIGN_VOCAB.first(phrase):
        return
    key = term_key(phrase)
    if any(
        key in c.key or set(key.split()) <= set(c.key.split())
        for c in collector.by_key.values()
        if c.heading
    ):
        return  # a subsection already names it ("Shifted window attention")
    described = next(
        (s for s in sentences if s.role in _METHOD_ROLES and key.split()[-1] in s.text.lower()),
        None,
    )
    if described is None or _cited_anywhere(phrase, sentences):
        return  # a technique the paper cites ("with Policy Gradient") is borrowed, not its own
    kind = HEAD_KINDS.get(head, "mechanism")
    candidate = collector.by_key.get(key)
    if candidate is None:
        candidate = _Candidate(key, phrase, kind, described.index)
        collector.by_key[key] = candidate
    candidate.novel = True
    candidate.evidence.add(described)


def _is_method(key: str, method: frozenset[str]) -> bool:
    """Whether a part's key names the whole method: the method's name, possibly followed by a
    word for a whole system ("MAE pre-training", "amortized population Gibbs sampler")."""
    tokens = key.split()
    core = [t for t in tokens if t not in _WHOLE_METHOD_HEADS]
    for name in method:
        words_ = set(name.split())
        if core and set(core) <= words_ and tokens[0] in words_:
            return True
    return False


def _cited_anywhere(phrase: str, sentences: Sequence[Sentence]) -> bool:
    """Whether the paper ever writes ``phrase`` followed by a citation."""
    pattern = re.compile(re.escape(phrase), re.IGNORECASE)
    for sentence in sentences:
        for match in pattern.finditer(sentence.text):
            if _CITED_AFTER.match(sentence.text[match.end() : match.end() + 80]):
                return True
    return False


def _named_trick(candidate: _Candidate) -> bool:
    """A "renormalization trick" is a named technique even when the paper names it once."""
    return candidate.key.endswith(" trick") and candidate.method_mentions > 0


def _merge_suffixes(by_key: dict[str, _Candidate], acronyms: dict[str, str]) -> dict[str, str]:
    """Map short keys to the one longer named component they abbreviate.

    ``consistency module`` -> ``cross-view consistency module`` when that is the only named
    (acronym or capitalised) component ending with those words; ``cla block`` -> ``cross-level
    attention`` when CLA is that component's acronym.
    """
    named = [c for c in by_key.values() if c.acronym or c.capitalised]
    by_acronym = {a.lower(): key for a, key in acronyms.items() if key in by_key}
    redirect: dict[str, str] = {}
    for candidate in by_key.values():
        first, _, rest = candidate.key.partition(" ")
        if first in by_acronym and rest and " " not in rest and by_acronym[first] != candidate.key:
            redirect[candidate.key] = by_acronym[first]
            continue
        if candidate.acronym or candidate.capitalised or len(candidate.key.split()) < 2:
            continue
        owners = [
            n.key for n in named if n.key != candidate.key and n.key.endswith(" " + candidate.key)
        ]
        if len(owners) == 1:
            redirect[candidate.key] = owners[0]
    _merge_modified(by_key, redirect)
    return redirect


def _merge_modified(by_key: dict[str, _Candidate], redirect: dict[str, str]) -> None:
    """Map longer keys to the shorter part they only qualify: ``learned relative position bias``
    -> ``relative position bias`` when a method subsection is titled with the shorter name or
    the paper gives it a symbol; ``small projection head`` -> ``projection head`` when the
    extra words are generic."""
    for candidate in by_key.values():
        if candidate.key in redirect or candidate.acronym:
            continue
        parts = candidate.key.split()
        for cut in range(1, len(parts) - 1):
            short = by_key.get(" ".join(parts[cut:]))
            if short is None or short.key in redirect or short.acronym:
                continue
            if short.heading or short.symbol or all(w in _SOFT_MODIFIERS for w in parts[:cut]):
                redirect[candidate.key] = short.key
                break


def _count_mentions(
    sentences: Sequence[Sentence],
    variants: dict[tuple[str, ...], str],
    by_key: dict[str, _Candidate],
) -> None:
    """Second pass: count every variant, longest match first, one pass over the words."""
    longest = max((len(v) for v in variants), default=0)
    for sentence in sentences:
        raw = words(sentence.text)
        tokens = [w.lower() for w in raw]
        singulars = [singular(t) for t in tokens]
        in_method = sentence.role in _METHOD_ROLES
        describes = sentence.role in _DESCRIBING_ROLES
        # The best quote about a part comes from the subsection named after it.
        about = term_key(sentence.section_title) if sentence.section_id else ""
        i, last_key, last_end = 0, "", -1
        while i < len(tokens):
            step = 1
            for n in range(min(longest, len(tokens) - i), 0, -1):
                key = variants.get((*tokens[i : i + n - 1], singulars[i + n - 1]))
                if key is not None:
                    # "Name (ACR)" or "Name (ACR) block" is one mention, not two.
                    if not (key == last_key and i == last_end):
                        candidate = by_key[key]
                        candidate.mentions += 1
                        end = _offset(sentence.text, raw, i + n - 1) + len(raw[i + n - 1])
                        if _CITED_AFTER.match(sentence.text[end : end + 80]):
                            candidate.cited += 1
                        candidate.method_mentions += in_method
                        if describes:
                            _note_negation(candidate, sentence, _offset(sentence.text, raw, i))
                        if about == key:
                            candidate.evidence.add(sentence, pin=True)
                    step, last_key, last_end = n, key, i + n
                    break
            i += step


def _offset(text: str, tokens: list[str], index: int) -> int:
    """Where token ``index`` of ``tokens`` (the :func:`words` of ``text``) starts in ``text``."""
    at, end = 0, 0
    for token in tokens[: index + 1]:
        found = text.find(token, end)
        at, end = (found, found + len(token)) if found >= 0 else (at, end)
    return at


def _note_negation(candidate: _Candidate, sentence: Sentence, start: int) -> None:
    in_method = sentence.role in _METHOD_ROLES
    candidate.described += 1
    candidate.described_in_method += in_method
    negation = negation_at(sentence.text, start)
    if negation is not None:
        candidate.negated += 1
        candidate.negated_in_method += in_method
        if negation == "absent" and candidate.absent is None:
            candidate.absent = sentence


@dataclass
class ComponentFindings:
    """The method's named parts, and named parts it says it does without."""

    components: list[Component]
    """Named method components, novel ones first."""
    absent: list[Component]
    """Parts the paper says the method does without ("no memory bank is used")."""


def find_components(
    sentences: Sequence[Sentence], title: str = "", headings: Sequence[Sentence] = ()
) -> list[Component]:
    """The method's named components, novel ones first (see :func:`find_parts`)."""
    return find_parts(sentences, title, headings).components


def find_parts(
    sentences: Sequence[Sentence], title: str = "", headings: Sequence[Sentence] = ()
) -> ComponentFindings:
    """The method's named components, novel ones first, then by mentions in method sections,
    and the named parts it does without.

    ``headings`` are section titles given as sentences: a method subsection titled "Feature
    Alignment Module" names a component even when the text only says "the module". A part that
    is only ever mentioned after a negation ("no memory bank", "replaces the U-Net with ...") is
    not a component; one named only in the abstract or introduction of a paper with a method
    section is background, unless the paper presents it as its own.
    """
    title_words = {w.lower() for w in words(title)}
    # The method's names come from the title and abstract only: an introduction's "we introduce
    # a Cross-View Consistency Module (CVCM)" names one of its parts.
    abstract = " ".join(s.text for s in sentences if s.role is SectionRole.ABSTRACT)
    collector = _Collector(title_words, method_names(title, abstract))
    for sentence in sentences:
        collector.read(sentence)
    for heading in headings:
        if heading.role in _METHOD_ROLES:
            if heading.text.isupper():
                # ICLR-style "MODULAR BUILDING BLOCKS": capitals say nothing about naming
                heading = replace(heading, text=heading.text.lower())
            collector.read(heading, heading=True)
    _add_title_mechanism(collector, title, sentences)
    by_key = collector.by_key
    redirect = _merge_suffixes(by_key, collector.acronyms)
    for short, long in redirect.items():
        owner, merged = by_key[long], by_key[short]
        owner.novel = owner.novel or merged.novel
        owner.symbol = owner.symbol or merged.symbol
        owner.phrase_hits += merged.phrase_hits
    variants: dict[tuple[str, ...], str] = {}
    for key in by_key:
        variants[tuple(key.split())] = redirect.get(key, key)
    for acronym, key in collector.acronyms.items():
        if key in by_key:
            variants[(acronym.lower(),)] = redirect.get(key, key)
    kept = [c for k, c in by_key.items() if k not in redirect]
    _count_mentions(sentences, variants, by_key)
    for candidate in kept:
        if candidate.announced and candidate.acronym:
            candidate.novel = True
        # A capitalised, acronym-defined part used in the method is the paper's own name for it.
        if (
            candidate.acronym
            and candidate.capitalised
            and candidate.method_mentions
            and _kind_of(candidate.name, acronym=False) is not None
        ):
            candidate.novel = True
    has_method = any(s.role in _METHOD_ROLES for s in sentences)
    # Negated wherever the method is described, and in most other mentions (an introduction
    # may say that other methods "rely on memory banks").
    negated = [
        c
        for c in kept
        if not c.novel
        and c.negated
        and c.negated * 2 >= c.described
        and c.negated_in_method == c.described_in_method
    ]
    absent = [c for c in negated if c.absent is not None and not _not_a_part(c)]
    kept = [
        c
        for c in kept
        if (c.novel or c.acronym or c.capitalised or c.symbol or c.mentions >= 2 or _named_trick(c))
        and c not in negated
        and (c.novel or c.method_mentions or not has_method)
        and not _not_a_part(c)
    ]
    kept.sort(key=lambda c: (not c.novel, -c.method_mentions, -c.mentions, c.first_index, c.key))
    return ComponentFindings(
        [
            Component(
                name=c.name,
                kind=c.kind,
                acronym=c.acronym,
                symbol=c.symbol,
                novel=c.novel,
                mentions=c.mentions,
                evidence=_evidence(c, sentences),
            )
            for c in kept[:MAX_COMPONENTS]
        ],
        [
            Component(
                name=c.name,
                kind=c.kind,
                acronym=c.acronym,
                mentions=c.mentions,
                evidence=[c.absent.evidence()],
            )
            for c in absent
            if c.absent is not None
        ],
    )


def _not_a_part(candidate: _Candidate) -> bool:
    """Names that are not parts of the method: pointing phrases ("particular attention"),
    hardware, software and data, tasks ("relation extraction"), gerunds ("inserting adapter
    layers") and other people's methods (named with a citation and never as the paper's own)."""
    tokens = [t.lower() for t in words(candidate.name)]
    if not tokens:
        return True
    if tokens[0] in _POINTING_MODIFIERS or any(t in _NOT_A_PART for t in tokens):
        return True
    if len(set(tokens)) < len(tokens) or (len(tokens) > 5 and not candidate.acronym):
        # two names run together ("Scaled Dot-Product Attention Multi-Head Attention", labels
        # of a figure) or a heading-length phrase, not the name of one part
        return True
    if tokens[0] in _ACTION_GERUNDS:
        return True  # "inserting adapter layers" describes an action, not a part
    if singular(tokens[-1]) in _TASK_HEADS:
        return True  # a task ("natural language generation"), even the one the paper targets
    if candidate.cited and not candidate.novel:
        return True
    # A name without a part head word ("trust region policy optimization (TRPO)") is a part
    # only when the paper presents it as its own.
    return candidate.kind == "other" and not candidate.novel and not candidate.method_mentions


def _evidence(candidate: _Candidate, sentences: Sequence[Sentence]) -> list[Evidence]:
    """The candidate's quotes; a part named only by its subsection title ("Shifted window
    attention") is quoted from the first sentence of that subsection instead of the title."""
    evidence = candidate.evidence.result()
    if candidate.heading and (not evidence or evidence[0].quote == candidate.name):
        first = next((s for s in sentences if s.section_id == candidate.heading), None)
        if first is not None:
            evidence = [first.evidence(), *(e for e in evidence if e.quote != candidate.name)]
    return evidence[:2]
