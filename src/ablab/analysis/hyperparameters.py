"""Hyperparameters with stated values: ``λ = 0.5``, ``we set K to 5``, ``a learning rate of 3e-4``.

One pass over the sentences collects value statements and symbol descriptions ("λ weights the
prototype loss", "the student temperature τ"); names and components are resolved afterwards, so
a description may come before or after the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ablab.analysis.component_index import ComponentIndex
from ablab.analysis.matching import HYPERPARAMETER_NOUNS
from ablab.analysis.sentences import Sentence
from ablab.analysis.symbols import (
    GREEK_LETTERS,
    GREEK_SYMBOL,
    NUMBER,
    SYMBOL,
    clean_number,
    normalize_symbols,
    parse_number,
)
from ablab.analysis.symbols import symbol_key as canonical_symbol
from ablab.analysis.terms import STOPWORDS, VERBS, term_key, word_set
from ablab.schema import Evidence, Hyperparameter, SectionRole

# "the number of layers from 1 to 10": the counted noun stops before a linking word.
_NOT_LINK = (
    r"(?!(?:from|to|in|on|at|for|with|of|and|or|is|was|are|were|used|per|between|by|as|than|"
    r"across|over|under|during|within|that|which|we|it|the|a|an)\b)"
)
NAMED_HYPERPARAMETERS: tuple[tuple[str, str], ...] = (
    ("learning rate", r"(?:initial |base |peak |max(?:imum)? )?learning[- ]rates?|lr"),
    ("batch size", r"(?:mini-?)?batch[- ]sizes?"),
    ("weight decay", r"weight[- ]decay(?: coefficient| rate)?"),
    ("EMA momentum", r"(?:EMA|exponential moving average) (?:decay|rate|coefficient|momentum)"),
    ("momentum", r"momentum(?: coefficient| parameter| value)?"),
    ("dropout rate", r"dropout(?: rate| probability| ratio| with an? (?:rate|probability) of)?"),
    ("margin", r"margins?"),
    ("temperature", r"(?:softmax )?temperatures?"),
    ("label smoothing", r"label[- ]smoothing(?: factor| coefficient| value)?"),
    ("mask ratio", r"mask(?:ing)? (?:ratio|rate|probability)"),
    ("hidden dimension", r"hidden (?:dimension(?:ality)?|size|units?|width)"),
    (
        "embedding dimension",
        r"(?:embedding|feature|latent|output|projection) (?:dimension(?:ality)?|size)",
    ),
    ("gradient clipping", r"gradient (?:norm )?clipping(?: threshold| norm| value)?"),
    (
        "loss weight",
        r"(?:loss |balancing |trade-off |weighting )?(?:weight|coefficient)(?: factor)?",
    ),
    ("threshold", r"(?:confidence |similarity |distance )?threshold"),
    ("top-k", r"top-?k"),
    ("beam size", r"beam (?:size|width)"),
    ("sequence length", r"(?:max(?:imum)? )?(?:sequence|context) length"),
    ("number", rf"number of (?:{_NOT_LINK}[a-z-]+ ){{0,2}}{_NOT_LINK}[a-z-]+"),
)  # fmt: skip
"""Hyperparameters recognised by name: (canonical name, regex source)."""

_NAMED_GROUPS = "|".join(f"(?P<n{i}>{src})" for i, (_, src) in enumerate(NAMED_HYPERPARAMETERS))
_CONNECTOR = (
    r"(?:of|is|was|=|:|to|at|as|set to|is set to|was set to|fixed (?:to|at)|equal to|equals|"
    r"of about|around|≈)?"
)
_NAMED_VALUE = re.compile(
    rf"\b(?:{_NAMED_GROUPS})\b\s*(?:\(?\$?(?P<sym>{SYMBOL})\$?\)?\s*)?{_CONNECTOR}\s*\$?\s*"
    rf"(?P<num>{NUMBER})(?!\d*\s?:\s)",  # not "2: " (a line number of an algorithm listing)
    re.IGNORECASE,
)
_SYMBOL_VALUE = re.compile(
    rf"(?P<sym>{SYMBOL})\s*\$?\s*(?:=|:=|≈|\\approx|\s(?:is|was|are)\s+(?:set\s+to|fixed\s+(?:to|at)"
    rf"|chosen\s+as))\s*\$?\s*(?P<num>{NUMBER})"
)
# Symbols written as glued identifiers, as PDFs flatten subscripts: "dmodel = 512", "Pdrop = 0.1",
# "ϵls = 0.1", "d_ff = 2048", "warmup_steps = 4000".
_IDENT = (
    rf"(?<![\w\\/*^])(?P<sym>[A-Za-z{GREEK_LETTERS}]"
    r"(?:_?\{?[A-Za-z]{1,8}\}?|[a-z]{1,6})(?:_[a-z]{2,8})?)"
)
_IDENT_VALUE = re.compile(rf"{_IDENT}\s*\$?\s*(?:=|:=)\s*\$?\s*(?P<num>{NUMBER})(?![\w/])")
IDENTIFIER_NAMES: dict[str, str] = {
    "model": "model dimension", "ff": "feed-forward inner dimension",
    "ffn": "feed-forward inner dimension", "hidden": "hidden dimension",
    "emb": "embedding dimension", "drop": "dropout rate", "dropout": "dropout rate",
    "ls": "label smoothing", "warmup": "warm-up steps", "head": "head dimension",
}  # fmt: skip
"""The subscript of a glued identifier and the setting it names (``d_model``, ``P_drop``)."""
# A value stated as a condition or a point of an argument, not a setting the paper chooses:
# "where r = 1", "(i.e., when x = 0)", "if k = 1".
_CONDITION_BEFORE = re.compile(
    r"(?:\b(?:where|when|whenever|if|unless|at|for all|such that|i\.e\.,?|e\.g\.,?|assume|"
    r"assuming|suppose|case|limit|as)\s*\(?\s*\$?\s*$|[(/*^·×+−-]\s*\$?\s*$)",
    re.IGNORECASE,
)
# A sentence that is a figure or table caption: numbers there describe a plot, not the method.
_CAPTION = re.compile(r"^\s*(?:Figure|Fig\.|Table|Tab\.)\s*\d+\s*[:.|]", re.IGNORECASE)
_SET_VALUE = re.compile(
    rf"\b(?:set|sets|setting|fix|fixing|choose|choosing)\s+(?:the\s+)?"
    rf"(?:(?P<desc>[a-z][\w-]*(?:\s+[a-z][\w-]*){{0,2}})\s+)?\$?(?P<sym>{SYMBOL})\$?\s+"
    rf"(?:to|=|as|at)\s+\$?(?P<num>{NUMBER})"
)
_DURATION = re.compile(
    rf"\b(?:for|over|of|to|with)\s+(?:the\s+first\s+|a\s+total\s+of\s+)?(?P<num>{NUMBER})\s+"
    r"(?P<unit>epochs|iterations|steps|updates|rounds)\b",
    re.IGNORECASE,
)
# A Greek symbol; its description is read from the words just before it ("student temperature τ").
_GREEK = re.compile(GREEK_SYMBOL)
# A capital letter right after a hyperparameter noun ("order K", "size N").
_HP_NOUN_WORDS = "|".join(sorted(HYPERPARAMETER_NOUNS))
_LATIN_DESCRIBED = re.compile(rf"\b(?:{_HP_NOUN_WORDS})s? \$?(?P<sym>[A-Z])\$?(?![\w'’-])")
_LONE_CAPITAL = re.compile(r"\s\$?[A-Z]\$?(?![\w'’-])")
_DESC_AFTER = re.compile(
    rf"\$?(?P<sym>{GREEK_SYMBOL}|\b[A-Z]\b)\$?\s+(?P<verb>is|denotes|represents|controls|balances|"
    r"weights|scales|trades off)\s+(?P<rest>[^,.;:]{3,80})"
)
# "a KL term weighted by λ", "the alignment loss, scaled by \beta"
_WEIGHTED_BY = re.compile(
    rf"(?P<what>(?:[\w-]+\s+){{0,3}}(?:term|loss|objective|regularizer|regulariser|penalty)),?\s+"
    rf"(?:is\s+)?(?:weighted|scaled|multiplied|balanced)\s+by\s+\$?(?P<sym>{GREEK_SYMBOL})"
)
# Cheap gate for _WEIGHTED_BY, whose lazy noun phrase is slow to try at every position.
_BY_VERB = re.compile(r"\b(?:weighted|scaled|multiplied|balanced)\s+by\b")
_EVERY = re.compile(
    rf"\b[Ee]very\s+\$?(?P<sym>{SYMBOL})\$?\s+(?P<unit>iterations|steps|epochs|updates|batches)\b"
)
# Cheap pre-checks: a value needs a digit; a description needs a Greek letter, a LaTeX command
# or "every K steps".
_DIGIT = re.compile(r"\d")
_MAY_DESCRIBE = re.compile(
    rf"[{GREEK_LETTERS}]|\\[A-Za-z]|\$[A-Za-z]\$|\b[Ee]very\b|\bwrites?\b|\bdenote|\bcalled\b"
    r"|\b(?:order|size|number|dimension|rate|factor|length) [A-Z]\b"
)
# "$K$ motif slots", "λ prototypes": a symbol counting the plural noun after it
_SYMBOL_COUNTS = re.compile(
    rf"(?:\$(?P<sym>{SYMBOL})\$|(?P<greek>{GREEK_SYMBOL}))\s+"
    r"(?P<noun>(?:[a-z][\w-]*\s+)?[a-z][\w-]*s)\b"
)
# "a very simple parameter α called width multiplier": the name the paper gives a symbol.
_CALLED = re.compile(
    rf"\$?(?P<sym>{GREEK_SYMBOL}|\b[A-Za-z]\b)\$?,?\s+(?:called|named|termed|dubbed|"
    r"referred\s+to\s+as)\s+(?:the\s+|a\s+)?(?P<name>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})"
)
_EMA_CONTEXT = re.compile(r"moving average|\bEMA\b", re.IGNORECASE)
# "We write L for the number of layers, H for the hidden size": a symbol and what it stands for.
_WRITES = re.compile(r"\b(?:write|writes|denote|denotes|denoted)\b")
_SYMBOL_FOR = re.compile(
    rf"(?<![\w$])\$?(?P<sym>{SYMBOL})\$?\s+(?:for|as)\s+(?:the\s+)?"
    r"(?P<rest>[a-z](?:(?!\s+and\s)[^,.;:]){2,60})"
)
# Optimiser constants stated next to the optimiser ("Adam with β1 = 0.9, β2 = 0.999"): generic.
_OPTIMIZER_BEFORE = re.compile(
    r"\b(Adam|AdamW|LAMB|LARS|RMSprop|Adagrad)\b(?:[^.;]|\.(?=\d)){0,80}$"
)
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "twelve": 12, "sixteen": 16,
}  # fmt: skip
_NUMBER_WORD = re.compile(rf"\b(?:{'|'.join(_NUMBER_WORDS)})[- ]", re.IGNORECASE)
# Counts written before the counted parts: "16 hidden units", "8 fully connected layers",
# "a two-layer GCN", "256 channels", "8 heads".
_COUNT = re.compile(
    rf"(?<![\w.-])(?P<num>\d+|{'|'.join(_NUMBER_WORDS)})(?:"
    r"-(?P<compound>layer)s?\s+(?P<what>[A-Za-z][\w-]*)"
    r"|\s+(?:(?:fully[- ]connected|convolutional|hidden|residual|identical|transformer|"
    r"attention|self-attention|encoder|decoder)\s+)?"
    r"(?P<noun>layers|hidden units|units|channels|heads|attention heads|filters|experts)\b)",
    re.IGNORECASE,
)
# A sentence that sets a count: "we use 8 heads", "a stack of six layers", "consists of two".
_SETTING_VERB = re.compile(
    r"\b(?:we|our)\b.{0,40}\b(?:use|uses|used|set|employ|employed|adopt|adopted|consider|"
    r"considered|choose|chose|train|trained|apply|applied)\b|\b(?:consists?|composed|stack|"
    r"comprises?|contains?|has|have|with)\b",
    re.IGNORECASE,
)
_COUNT_NAMES = {
    "layer": "number of layers", "layers": "number of layers",
    "hidden units": "number of hidden units", "units": "number of hidden units",
    "channels": "number of channels", "heads": "number of attention heads",
    "attention heads": "number of attention heads", "filters": "number of filters",
    "experts": "number of experts",
}  # fmt: skip
# "7x7 windows", "4 x 4 patches": a square size of a window or patch.
_WITH_BEFORE = re.compile(r"\bwith\s+(?:an?\s+)?$")
_SQUARE = re.compile(
    r"(?<![\w.])(?P<num>\d+)\s*[x×]\s*(?P=num)\s+(?P<noun>windows?|patch(?:es)?)\b"
)
# "We mask 15% of the tokens", "choose 15% of the token positions" (with masking nearby).
_SHARE_OF = re.compile(
    r"\b(?P<verb>mask|masks|masked|choose|chooses|select|selects|drop|drops|corrupt|corrupts|"
    r"sample|samples|replace|replaces)\s+(?P<num>\d+(?:\.\d+)?\s?%)\s+of\s+(?:the\s+)?"
    r"(?P<what>(?:[a-z][\w-]*\s+){0,2}(?:tokens|token positions|positions|patches|pixels|"
    r"words|inputs|nodes|edges|features|frames))\b",
    re.IGNORECASE,
)
_MASKING = re.compile(r"\bmask", re.IGNORECASE)
_PARTICIPLES = {
    "mask": "masked", "choose": "chosen", "select": "selected", "drop": "dropped",
    "corrupt": "corrupted", "sample": "sampled", "replace": "replaced",
}  # fmt: skip
GENERIC_NAMES = frozenset(
    {
        "learning rate", "batch size", "weight decay", "momentum", "dropout rate",
        "gradient clipping", "training epochs", "training iterations", "training steps",
        "training updates", "warm-up epochs", "warm-up iterations", "warm-up steps",
    }
)  # fmt: skip
"""Training settings that belong to the whole run, never to one component."""
_NOUN_AFTER_VALUE = re.compile(r"\s+((?:[a-z][\w-]*\s+)?[a-z][\w-]*s)\b")

_HP_NOUNS = HYPERPARAMETER_NOUNS
_DESC_STOP = STOPWORDS | word_set(
    "simple new single extra additional global certain particular very "
    "set setting sets fix fixed choose chosen where denote denotes default value values with "
    "sharper softer higher lower larger smaller small large high low initial base same final "
    "typical constant different respectively"
)
_UNITS = word_set(
    "pixels gpus hours days minutes seconds points percent times bits bytes images samples "
    "examples classes unless epochs iterations steps"
)
# Latin letters that are usually indices or variables, not hyperparameters.
_LATIN_VARIABLES = frozenset("abcefghijlopqstuvwxyz")
_ROLE_PRIORITY = {
    SectionRole.METHOD: 0,
    SectionRole.APPENDIX: 1,
    SectionRole.EXPERIMENTS: 1,
    SectionRole.OTHER: 1,
    SectionRole.ABSTRACT: 2,
    SectionRole.INTRODUCTION: 2,
    SectionRole.BACKGROUND: 3,
    SectionRole.DISCUSSION: 3,
    SectionRole.CONCLUSION: 3,
    SectionRole.LIMITATIONS: 3,
    SectionRole.RESULTS: 4,
    SectionRole.ABLATIONS: 4,
}
"""Where a stated value is most likely the method's default (lower is better)."""


@dataclass
class _Value:
    name: str | None
    symbol: str | None
    value: str
    sentence: Sentence
    start: int
    end: int
    component: str | None


@dataclass
class _Description:
    name: str | None = None
    component: str | None = None
    sentence: Sentence | None = None
    """Where the symbol is first described (evidence for a knob whose value the view hides)."""


@dataclass
class _Merged:
    best: _Value
    evidence: list[Evidence] = field(default_factory=list)


def _descriptor(text: str) -> str | None:
    """The trailing hyperparameter-like noun phrase of ``text`` (``"the student temperature"``)."""
    tail: list[str] = []
    for word in reversed(text.split()):
        opens = word[0] in "([{"
        word = word.lstrip("([{") if opens else word  # "(patch size p = 2)": keep "patch"
        if not word or word.lower() in _DESC_STOP or not word[0].isalpha() or word[-1] in ",;:":
            break
        tail.insert(0, word)
        if opens:
            break
    if not tail or tail[-1].lower().rstrip("s") not in _HP_NOUNS:
        return None
    return " ".join(tail[-3:])


_BY_A_MARGIN = re.compile(r"\bby\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}margins?\s*$", re.I)
_COUNTED_NOUN = re.compile(r"\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*s)\b")
_OR_NOUN = re.compile(r",?\s+or\s+(?P<noun>[a-z][\w-]*s)\b")


COUNTED_PARTS = word_set(
    "layers blocks heads units channels filters experts neighbors neighbours clusters prototypes "
    "slots views crops patches tokens queries keys steps iterations epochs rounds samples "
    "particles sweeps stages scales levels hops kernels anchors centroids codes codewords "
    "components modes negatives positives candidates beams trees estimators agents workers "
    "frames rollouts updates passes dimensions features"
)
"""What a method's count can count ("8 heads", "K = 5 neighbours"); "the number of trainable
parameters" or "of pixels" measures something, it is not a setting."""


def _counted_after(text: str, end: int) -> str | None:
    """``number of X`` for a value followed by what it counts: "h = 8 parallel attention layers,
    or heads" -> ``number of heads`` (the appositive is the paper's own short name)."""
    after = _COUNTED_NOUN.match(text, end)
    noun = after.group(1).lower().split() if after else []
    if not noun or noun[-1] not in COUNTED_PARTS or noun[0] in STOPWORDS:
        return None
    assert after is not None
    also = _OR_NOUN.match(text, after.end())
    if also:
        return "number of " + also.group("noun").lower()
    return "number of " + " ".join(noun)


def _identifier_name(symbol: str) -> str | None:
    """The setting a glued identifier names by its subscript (``dmodel`` -> model dimension)."""
    body = symbol[1:].strip("_{}").lower()
    if body in IDENTIFIER_NAMES:
        return IDENTIFIER_NAMES[body]
    if symbol.lower().startswith("warmup"):
        return "warm-up steps"
    return None


# Names a field gives a symbol by convention, used only when the paper writes the symbol next to
# the word that says so ("clip(r, 1 - ε, 1 + ε)", "discount γ"), in any sentence that holds it.
_CONVENTIONS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("ε", re.compile(r"\bclip", re.I), "clipping parameter"),
    ("γ", re.compile(r"\bdiscount", re.I), "discount factor"),
    ("λ", re.compile(r"\bGAE\b|generali[sz]ed advantage", re.I), "GAE parameter"),
    ("τ", re.compile(r"temperature", re.I), "temperature"),
    ("τ", re.compile(r"soft update|target network|polyak", re.I), "target update rate"),
    ("T", re.compile(r"temperature", re.I), "temperature"),
    ("β", re.compile(r"\bKL\b", re.I), "KL coefficient"),
    ("ρ", re.compile(r"neighbou?rhood|radius", re.I), "neighborhood size"),
    ("r", re.compile(r"\brank\b", re.I), "rank"),
    ("k", re.compile(r"nearest neighbou?r", re.I), "number of nearest neighbors"),
    ("K", re.compile(r"nearest neighbou?r", re.I), "number of nearest neighbors"),
    ("α", re.compile(r"width multiplier", re.I), "width multiplier"),
)


def _conventional_name(symbol: str, sentences: Sequence[Sentence]) -> str | None:
    """The conventional name of an undescribed symbol, when the paper's own sentences around it
    use the word behind the convention."""
    head = symbol[:1]
    rules = [(pattern, name) for letter, pattern, name in _CONVENTIONS if letter == head]
    if not rules:
        return None
    mention = re.compile(rf"(?<![\w\\]){re.escape(symbol)}(?![\w])")
    texts = [t for t in (normalize_symbols(s.text) for s in sentences) if mention.search(t)]
    for pattern, name in rules:
        if any(pattern.search(text) for text in texts):
            return name
    return None


def _usable_symbol(symbol: str) -> bool:
    head = symbol[0]
    return not (head.isascii() and head.isalpha() and head in _LATIN_VARIABLES)


class _Reader:
    def __init__(self, index: ComponentIndex) -> None:
        self.index = index
        self.values: list[_Value] = []
        self.descriptions: dict[str, _Description] = {}
        self._current: Sentence | None = None

    def _describe(self, symbol: str, name: str | None, component: str | None) -> None:
        description = self.descriptions.setdefault(canonical_symbol(symbol), _Description())
        if description.name is None and name:
            description.name = name
            description.sentence = self._current
        if description.component is None and component:
            description.component = component

    def _add(
        self,
        sentence: Sentence,
        match: re.Match[str],
        name: str | None,
        sym: str | None,
        *,
        value: str | None = None,
    ) -> None:
        if sym is not None and not _usable_symbol(sym) and name is None:
            return
        start, end = match.span("num")
        # A training setting near a component's name is still the whole run's setting
        # ("a dropout rate of 0.5 and an L2 regularization of 5e-4").
        whole_run = name in GENERIC_NAMES or name in _COUNT_NAMES.values()
        component = None if whole_run else self.index.nearest(sentence.text, start)
        if name == "loss weight" and component:
            name = f"weight of the {component}"
        written = value if value is not None else clean_number(match.group("num"))
        self.values.append(_Value(name, sym, written, sentence, match.start(), end, component))

    def read(self, sentence: Sentence) -> None:
        self._current = sentence
        if _DIGIT.search(sentence.text) or _NUMBER_WORD.search(sentence.text):
            self._read_values(sentence)
        if _MAY_DESCRIBE.search(sentence.text):
            self._read_descriptions(sentence)

    def _read_values(self, sentence: Sentence) -> None:
        text = sentence.text
        if _CAPTION.match(text):
            return  # a caption describes a plot or a table's rows, not the method's settings
        used: list[tuple[int, int]] = []

        def fresh(match: re.Match[str]) -> bool:
            start, end = match.span("num")
            if any(lo < end and start < hi for lo, hi in used):
                return False
            used.append((start, end))
            return True

        for match in _NAMED_VALUE.finditer(text):
            # The named group that matched ("n3"); lastgroup would name the value group instead.
            group = next((g for g, v in match.groupdict().items() if v and g[0] == "n"), None)
            if group is None or not fresh(match):
                continue
            canonical, _ = NAMED_HYPERPARAMETERS[int(group[1:])]
            surface = match.group(group)
            if canonical == "margin" and _BY_A_MARGIN.search(text, 0, match.end(group)):
                continue  # "improves by a large margin of 4.6%": a result, not a setting
            if canonical == "number" and surface.lower().split()[-1] not in COUNTED_PARTS:
                continue  # "the number of pixels", "of trainable parameters": a measure
            name = surface.lower() if canonical == "number" else canonical
            before = _descriptor(text[max(0, match.start() - 60) : match.start()] + surface)
            if before and canonical not in ("number", "loss weight") and len(before.split()) > 1:
                name = before.lower()
            elif canonical == "momentum" and _EMA_CONTEXT.search(
                text, max(0, match.start() - 60), match.start()
            ):
                name = "EMA momentum"
            self._add(sentence, match, name, match.group("sym"))
        for match in _SET_VALUE.finditer(text):
            if fresh(match):
                desc = match.group("desc")
                name = _descriptor(desc) if desc else None
                self._add(sentence, match, name, match.group("sym"))
        for match in _SYMBOL_VALUE.finditer(text):
            if not fresh(match) or _CONDITION_BEFORE.search(text, 0, match.start()):
                continue
            optimizer = _OPTIMIZER_BEFORE.search(text, 0, match.start())
            if optimizer:
                sym = canonical_symbol(match.group("sym"))
                self._add(sentence, match, f"{optimizer.group(1)} {sym}", match.group("sym"))
                continue
            name = _descriptor(text[max(0, match.start() - 60) : match.start()])
            if name is None:
                name = _counted_after(text, match.end())
            self._add(sentence, match, name, match.group("sym"))
        for match in _IDENT_VALUE.finditer(text):
            if not fresh(match) or _CONDITION_BEFORE.search(text, 0, match.start()):
                continue
            symbol = match.group("sym")
            name = _descriptor(text[max(0, match.start() - 60) : match.start()])
            if name is None or len(name.split()) < 2:
                name = _identifier_name(symbol) or name
            if name is None:
                name = _counted_after(text, match.end())
            if name is not None:  # a glued identifier nobody names is a variable, not a setting
                self._add(sentence, match, name, symbol)
        for match in _DURATION.finditer(text):
            if fresh(match):
                unit = match.group("unit").lower()
                warm = "warm" in text[max(0, match.start() - 40) : match.start()].lower()
                self._add(sentence, match, f"{'warm-up' if warm else 'training'} {unit}", None)
        self._read_counts(sentence, fresh)

    def _read_counts(self, sentence: Sentence, fresh: Callable[[re.Match[str]], bool]) -> None:
        """Sizes written as counts and shapes: "16 hidden units", "a two-layer GCN", "7x7
        windows", "mask 15% of the tokens"."""
        text = sentence.text
        setting = _SETTING_VERB.search(text) is not None
        for match in _COUNT.finditer(text):
            if not fresh(match) or not setting:
                continue  # "splits this into two layers" describes; "we use two layers" sets
            noun = (match.group("noun") or match.group("compound")).lower()
            name = _COUNT_NAMES[noun]
            what = match.group("what")
            if what and what[0].isupper():  # "a two-layer GCN": the layers of the GCN
                name = f"{name} of the {what}"
            elif _WITH_BEFORE.search(text, 0, match.start()):
                owner = self.index.nearest(text, match.start(), 40)  # "a prediction MLP h with
                if owner and owner.lower() not in name.lower():  # two layers"
                    name = f"{name} of the {owner}"
            self._add(sentence, match, name, None, value=_count_value(match.group("num")))
        for match in _SQUARE.finditer(text):
            if fresh(match):
                noun = "window" if match.group("noun").lower().startswith("window") else "patch"
                self._add(sentence, match, f"{noun} size", None)
        for match in _SHARE_OF.finditer(text):
            if not fresh(match):
                continue
            what = match.group("what").lower()
            masking = _MASKING.search(text) or _MASKING.search(sentence.section_title)
            verb = _PARTICIPLES[match.group("verb").lower().rstrip("s").removesuffix("ed")]
            name = "masking ratio" if masking else f"share of {what} {verb}"
            self._add(sentence, match, name, None)

    def _read_descriptions(self, sentence: Sentence) -> None:
        text = sentence.text
        described = [(m.group(0), m.start()) for m in _GREEK.finditer(text)]
        if _LONE_CAPITAL.search(text):  # cheap check before the slower noun alternation
            described += [(m.group("sym"), m.start("sym")) for m in _LATIN_DESCRIBED.finditer(text)]
        for symbol, start in described:
            name = _descriptor(text[max(0, start - 60) : start].rstrip(" $"))
            if name:
                self._describe(symbol, name.lower(), self.index.nearest(text, start))
        for match in _DESC_AFTER.finditer(text):
            rest = match.group("rest").strip()
            component = self.index.first(rest)
            verb = match.group("verb")
            if verb in ("weights", "balances", "scales", "trades off"):
                target = rest.split(" and ")[0]
                name = (
                    f"weight of {target}"
                    if target.startswith("the ")
                    else f"weight of the {target}"
                )
            else:
                name = _descriptor(rest)
            self._describe(match.group("sym"), name, component)
        for match in _WEIGHTED_BY.finditer(text) if _BY_VERB.search(text) else ():
            what: list[str] = []
            for word in reversed(match.group("what").split()):  # the noun phrase before "weighted"
                if word.lower() in STOPWORDS or word.lower() in VERBS:
                    break
                what.insert(0, word)
            if what:
                target = " ".join(what)
                self._describe(
                    match.group("sym"), f"weight of the {target}", self.index.first(target)
                )
        for match in _SYMBOL_COUNTS.finditer(text):
            noun = match.group("noun").lower().split()
            if noun[-1] in COUNTED_PARTS and noun[0] not in STOPWORDS and noun[0] not in VERBS:
                symbol = match.group("sym") or match.group("greek")
                self._describe(symbol, "number of " + " ".join(noun), None)
        for match in _SYMBOL_FOR.finditer(text) if _WRITES.search(text) else ():
            rest = match.group("rest").strip()
            number_of = re.match(r"number of (?:[\w-]+\s+){0,2}[\w-]+", rest)
            name = number_of.group(0) if number_of else _descriptor(rest.split(" and ")[0])
            if name:
                self._describe(match.group("sym"), name.lower(), None)
        for match in _CALLED.finditer(text):
            self._describe(match.group("sym"), match.group("name").lower(), None)
        for match in _EVERY.finditer(text):
            component = self.index.nearest(text, match.start()) or self.index.of_section(sentence)
            self._describe(
                match.group("sym"), f"update interval (in {match.group('unit').lower()})", component
            )


def find_hyperparameters(
    sentences: Sequence[Sentence], index: ComponentIndex | None = None
) -> list[Hyperparameter]:
    """Hyperparameters with their stated values, method-specific ones (with a symbol) first."""
    index = index or ComponentIndex([])
    reader = _Reader(index)
    for sentence in sentences:
        if sentence.role in _ROLE_PRIORITY:
            reader.read(sentence)
    merged: dict[str, _Merged] = {}
    for value in reader.values:
        symbol = canonical_symbol(value.symbol) if value.symbol else None
        description = reader.descriptions.get(symbol) if symbol else None
        if value.name is None and description is not None:
            value.name = description.name
        if value.component is None:
            value.component = (description.component if description else None) or index.of_section(
                value.sentence
            )
        key = symbol or f"{term_key(value.name or '')}|{value.component or ''}"
        entry = merged.get(key)
        if entry is None:
            entry = merged[key] = _Merged(value)
        elif _better(value, entry.best):
            entry.best = value
        if len(entry.evidence) < 3:
            entry.evidence.append(value.sentence.evidence(value.start, value.end))
    for entry in merged.values():
        best = entry.best
        if best.symbol and (best.name is None or best.name in _PLACEHOLDER_NAMES):
            best.name = _conventional_name(canonical_symbol(best.symbol), sentences) or best.name
    result = [_to_schema(m) for m in merged.values()]
    result += _described_knobs(reader.descriptions, merged)
    order = {id(h): i for i, h in enumerate(result)}
    result.sort(key=lambda h: (h.symbol is None and h.component is None, order[id(h)]))
    return result


_KNOB_NOUNS = word_set(
    "temperature weight coefficient rate margin factor ratio threshold decay momentum size "
    "number scale strength interval length order rank multiplier horizon radius budget "
    "probability"
)
"""Head nouns of a described symbol that make it a knob worth sweeping."""


_BARE_HEADS = frozenset({"size", "rate", "ratio", "weight", "number", "factor", "coefficient"})
# A sentence that presents a symbol as something chosen by hand, and one that shows it computed.
_SET_BY_HAND = re.compile(
    r"hyper-?parameter|\bcontrols?\b|trade-?off|balanc|\bset\b|\bchosen\b|\bchoose\b|"
    r"\btuned?\b|\bfixed\b|pre-?defined|pre-?determined|\bconstant\b|\bdefault\b|"
    r"\bweight(?:s|ing|ed)?\b|scaling factor|\bbudget\b|\bwe use\b",
    re.IGNORECASE,
)
_LEARNED = re.compile(
    r"\blearn(?:ed|t|able)\b|\bpredict(?:ed|s)\b|\bcomputed?\b|\boutputs?\b|\bestimated?\b|"
    r"\bderiv|\bparameteri[sz]ed\b",
    re.IGNORECASE,
)


def _described_knobs(
    descriptions: dict[str, _Description], merged: dict[str, _Merged]
) -> list[Hyperparameter]:
    """Knobs the method section describes by symbol ("the weight λ of the separation loss")
    without stating their value in the view (author mode cuts the experiments that set it)."""
    found = []
    for symbol, description in descriptions.items():
        sentence = description.sentence
        if symbol in merged or description.name is None or sentence is None or "\\" in symbol:
            continue  # (a symbol still holding LaTeX markup cannot be shown to a reader)
        if sentence.role is not SectionRole.METHOD or description.name in _PLACEHOLDER_NAMES:
            continue
        words_ = description.name.split()
        head = words_[-1].rstrip("s") if words_ else ""
        if head not in _KNOB_NOUNS and not description.name.startswith("number of"):
            continue
        if len(words_) == 1 and head in _BARE_HEADS:
            continue  # a bare "coefficient β" does not say which one
        if not _SET_BY_HAND.search(sentence.text) or _LEARNED.search(sentence.text):
            continue  # a quantity the network computes ("γ is predicted per edge") is no knob
        found.append(
            Hyperparameter(
                name=description.name,
                symbol=symbol,
                value=None,
                component=description.component,
                evidence=[sentence.evidence()],
            )
        )
    return found


_PLACEHOLDER_NAMES = frozenset({"hyperparameter", "parameter", "parameters", "constant"})
"""Descriptions that say a symbol is a setting without saying which ("ε is a hyperparameter")."""


def _better(new: _Value, old: _Value) -> bool:
    new_rank = (_ROLE_PRIORITY[new.sentence.role], new.sentence.index)
    return new_rank < (_ROLE_PRIORITY[old.sentence.role], old.sentence.index)


def _to_schema(merged: _Merged) -> Hyperparameter:
    best = merged.best
    symbol = best.symbol.strip("$ ") if best.symbol else None
    named = best.name if best.name not in _PLACEHOLDER_NAMES else None
    name = named or (f"hyperparameter {canonical_symbol(symbol)}" if symbol else "hyperparameter")
    evidence = [best.sentence.evidence(best.start, best.end)]
    evidence += [e for e in merged.evidence if e.quote != evidence[0].quote][:2]
    return Hyperparameter(
        name=name,
        symbol=symbol,
        value=best.value,
        numeric=parse_number(best.value),
        component=best.component,
        evidence=evidence,
    )


def _count_value(written: str) -> str:
    """A count as digits ("two" -> "2")."""
    return str(_NUMBER_WORDS.get(written.lower(), written))
