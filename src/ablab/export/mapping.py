"""Map each ablation of a plan to a key of the user's config, and its variants to values.

The ablated part is compared with every key path (and, for text values, the value) by words:
``"zebra loss type"`` finds ``loss.zebra_loss_type``, ``"Cross-View Consistency Module (CVCM)"``
finds ``model.cvcm.enabled`` through its acronym, ``"KL divergence used in the consistency loss"``
finds ``loss.divergence: kl`` through the value. Words are compared with RapidFuzz, so ``temp``
and ``temperature`` or ``prototype`` and ``prototypes`` agree. Every mapping keeps its score
(0-100); a part with no key scoring at least :data:`MIN_SCORE`, and a variant no value can be found
for, is reported as unmapped, never guessed.

Values: REMOVE sets the key's *off* value (``false`` for a flag, ``0`` for a number, an option
named ``none``/``identity``/``off`` for a config group, ``identity`` for a module-type text key,
else ``null``); REPLACE takes each alternative's number for a numeric key, or the config-group
option (or text value used elsewhere in the config) the alternative names; ADD turns a ``false``
flag on or picks the option it names.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import snowballstemmer
from rapidfuzz import fuzz

from ablab.analysis.terms import singular, word_set
from ablab.export.config import GROUP, NODE, ConfigKey, UserConfig
from ablab.schema import Ablation, Action, Plan

MIN_SCORE = 70.0
"""Least score (0-100) at which a key is taken for an ablated part or a value for a variant."""

_STOP = word_set(
    """
    the of a an in on for to with used and or by its each per from as at into instead their this
    that is are be between number num
    """
)
"""Words that never identify anything (``number of heads`` is ``n_heads``)."""
_GENERIC = word_set(
    """
    model cfg config conf params param enabled enable use type name value train training args
    setting settings kwargs flag on is do apply module net network default experiment
    """
)
"""Key words too common to identify a part on their own (they still count when they match)."""
_ROLE = word_set(
    """
    bonus regularizer regularization regularisation term penalty coefficient coef strength
    weight factor scale
    """
)
"""Words that say what part a setting plays, not which: optional on both sides, so ``entropy
bonus`` finds ``entropy_coef`` and ``sparsity regularizer`` finds ``sparsity_weight``."""
_KIND = word_set(
    """
    divergence distance loss norm normalization attention encoding embedding activation pooling
    sampling optimizer schedule scheduler module layer block network head
    """
)
"""Nouns after a named compound whose initials a key may use (``Jensen-Shannon divergence``:
``js``)."""
_QUANTITY = word_set("number size amount dimension depth width count choice type")
"""Heads that stand for the thing after "of" (``number of layers of the head``)."""
_STEMMER = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The English stem of a lower-case word (``tying`` -> ``tie``, ``normalization`` ->
    ``normal``), so that a part's and a key's forms of one word agree. Words of four letters or
    fewer are kept: they are often acronyms (``evs`` must not become ``ev``)."""
    return str(_STEMMER.stemWord(word)) if len(word) > 4 else word


_GENERIC_STEMS = frozenset(stem(w) for w in _GENERIC)
_ROLE_STEMS = frozenset(stem(w) for w in _ROLE)
_OFF_OPTIONS = ("none", "identity", "off", "null", "disabled", "no", "noop", "default")
_MODULE_TYPE = re.compile(
    r"(?:activation|act|norm|normalization|head|projector|proj|pool|pooling)$"
)
_OWNER = re.compile(r"\s+(?:of|used in|in|for|within|inside|on)\s+(?:the\s+)?", re.IGNORECASE)
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ON_CHILDREN = ("enabled", "enable", "use", "active", "on")


def _greek(text: str) -> tuple[str, list[str]]:
    """Greek letters spelled out (``τ`` -> ``tau``), and the list of those names."""
    names = []
    out = []
    for char in text:
        name = unicodedata.name(char, "")
        if name.startswith("GREEK") and char.isalpha():
            spelled = name.split()[-1].lower()
            names.append(spelled)
            out.append(f" {spelled} ")
        else:
            out.append(char)
    return "".join(out), names


def words(text: str) -> list[str]:
    """Lower-case singular words of a part or a key path (camelCase and snake_case split)."""
    return list(_words(text))


@functools.lru_cache(maxsize=65_536)
def _words(text: str) -> tuple[str, ...]:
    text, _ = _greek(text)
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text)
    text = re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", " ", text)  # "warm-up": "warm up"
    found = [w.lower() for w in _WORD.findall(text.replace("_", " "))]
    return tuple(stem(singular(w)) for w in found if len(w) > 1 and w not in _STOP)


def _initials(text: str) -> list[str]:
    """Acronyms a key may use for ``text``: ``Cross-View Consistency Module`` -> ``cvcm``;
    ``Jensen-Shannon divergence`` -> ``jsd`` and ``js`` (its leading compound)."""
    parts = [w for w in re.split(r"\s+", text) if w and w.lower() not in _STOP]
    letters = [[p[0].lower() for p in word.split("-") if p and p[0].isalpha()] for word in parts]
    found = []
    flat = [c for group in letters for c in group]
    if len(flat) >= 2:
        found.append("".join(flat))
    if len(parts) == 2 and len(letters[0]) >= 2 and parts[1].lower() in _KIND:
        found.append("".join(letters[0]))  # a named compound and its kind of part
    return found


@functools.lru_cache(maxsize=262_144)
def similarity(a: str, b: str) -> float:
    """How alike two words are (0-100): equal, one a prefix of the other, or close spelling."""
    if a == b:
        return 100.0
    short, long = sorted((a, b), key=len)
    if len(short) >= 3 and long.startswith(short):
        return 90.0
    ratio = fuzz.ratio(a, b)
    return ratio if ratio >= 85 else 0.0


@dataclass(frozen=True)
class Phrase:
    """An ablated part or a variant, split for matching."""

    head: tuple[str, ...]
    """Words of the part itself (without "of the X" clauses and parentheses)."""
    optional: tuple[str, ...]
    """Head words that only say the part's role (``bonus``, ``regularizer``)."""
    alternatives: tuple[str, ...]
    """Acronyms: in parentheses or the initials of the head."""
    symbols: tuple[str, ...]
    """Greek symbols spelled out."""
    everything: tuple[str, ...]
    """Every word, the owner clause included."""
    aliases: tuple[Phrase, ...] = ()
    """Other names the text gives in parentheses (``clipped objective (clip range ε)``)."""

    @classmethod
    def of(cls, text: str) -> Phrase:
        """Split ``text``."""
        segments = _OWNER.split(text)
        head_text = segments.pop(0)
        while segments and set(head_text.lower().split()) <= _QUANTITY:
            head_text += " " + segments.pop(0)  # "number of layers": the layers
        inside = re.findall(r"\(([^)]*)\)", head_text)
        acronyms = [a.lower() for a in inside if re.fullmatch(r"[A-Za-z][A-Za-z0-9-]{1,11}", a)]
        expansions = [i for a in inside if " " in a for i in _initials(a)]
        outside = re.sub(r"\([^)]*\)", " ", head_text)
        _, greek = _greek(head_text)
        symbols = [stem(g) for g in greek]
        head = [w for w in words(outside) if w not in symbols]
        optional = [w for w in head if w in _ROLE_STEMS]
        found = [*acronyms, *expansions, *_initials(outside)]
        alternatives = tuple(dict.fromkeys(stem(singular(a)) for a in found))  # as keys are read
        aliases = tuple(cls.of(a) for a in inside if len(a.split()) >= 2 and "(" not in a)
        return cls(
            tuple(head),
            tuple(optional),
            alternatives,
            tuple(symbols),
            tuple(words(text)),
            aliases,
        )


def _best(word: str, candidates: tuple[str, ...] | list[str]) -> float:
    return max((similarity(word, other) for other in candidates), default=0.0)


def score(phrase: Phrase, key_words: list[str]) -> float:
    """How well ``key_words`` (a key path, maybe with its value) name ``phrase`` (0-100): the
    best of the phrase and its parenthesised aliases."""
    return max([_score(phrase, key_words), *(_score(a, key_words) for a in phrase.aliases)])


def _score(phrase: Phrase, key_words: list[str]) -> float:
    specific = [w for w in key_words if w not in _GENERIC_STEMS and w not in _ROLE_STEMS]
    if not specific:
        return 0.0
    matched = [(w, _best(w, key_words)) for w in phrase.head]
    # A role word counts only when the key has it too.
    counted = [m for w, m in matched if m > 0 or w not in phrase.optional]
    head = sum(counted) / len(counted) if counted else 0.0
    if any(a in key_words for a in phrase.alternatives):
        head = 100.0
    pool = (*phrase.everything, *phrase.alternatives, *phrase.symbols)
    covered = sum(_best(w, pool) for w in specific) / len(specific)
    bonus = 10.0 if any(s in key_words for s in phrase.symbols) else 0.0
    return round(min(100.0, 0.6 * head + 0.4 * covered + bonus), 1)


def key_words(key: ConfigKey) -> list[str]:
    """The words a key is matched by: its path and, for a text value, the value."""
    found = words(key.path)
    if key.kind in ("str", GROUP) and isinstance(key.value, str):
        found += words(key.value)
    return found


@dataclass
class Variant:
    """One variant of an ablation and the config value that runs it."""

    label: str
    """The plan's replacement (``""`` for REMOVE)."""
    value: Any = None
    """The value to set (None with ``mapped`` True means ``null``)."""
    mapped: bool = False
    """Whether a value was found."""
    score: float | None = None
    """Score of the option or text value matched (None for numbers and off values)."""
    note: str = ""
    """How the value was found, or why not."""


@dataclass
class Mapping:
    """One ablation mapped (or not) to a config key."""

    rank: int
    """Position of the ablation in the plan (1 first)."""
    ablation: Ablation
    key: ConfigKey | None = None
    """The key chosen, None when nothing scored at least :data:`MIN_SCORE`."""
    score: float = 0.0
    """Score of the key (0-100); the best one seen when unmapped."""
    best_seen: str | None = None
    """Path of the best key seen, when it scored too low (shown, not used)."""
    variants: list[Variant] = field(default_factory=list)

    @property
    def mapped_variants(self) -> list[Variant]:
        """Variants with a value."""
        return [v for v in self.variants if v.mapped]

    @property
    def unmapped_variants(self) -> list[Variant]:
        """Variants no value was found for."""
        return [v for v in self.variants if not v.mapped]


@dataclass
class PlanMapping:
    """A plan mapped onto a config."""

    plan: Plan
    config: UserConfig
    mappings: list[Mapping]
    seed_key: ConfigKey | None = None
    """The config's seed key, when it has one."""

    @property
    def unmapped(self) -> list[Mapping]:
        """Ablations without a key, or without any variant value."""
        return [m for m in self.mappings if m.key is None or not m.mapped_variants]


def _leaf(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def off_value(key: ConfigKey) -> Variant:
    """The value that switches ``key`` off (see the module docstring)."""
    if key.kind == "bool":
        return Variant("", False, True, note="flag off")
    if key.kind in ("int", "float"):
        return Variant("", 0 if key.kind == "int" else 0.0, True, note="zero")
    if key.kind == GROUP:
        option = next((o for o in key.options if o.lower() in _OFF_OPTIONS), None)
        if option:
            return Variant("", option, True, note=f"the group's {option!r} option")
        return Variant("", None, True, note="group set to null")
    if key.kind == "str" and _MODULE_TYPE.search(_leaf(key.path).lower()):
        return Variant("", "identity", True, note="identity module")
    if key.kind == "list":
        return Variant("", [], True, note="empty list")
    return Variant("", None, True, note="null")


@functools.lru_cache(maxsize=65_536)
def number_in(text: str) -> float | int | None:
    """The number a variant sets: after its last ``=``, else its only number."""
    tail = text.rsplit("=", 1)[1] if "=" in text else text
    numbers = _NUMBER.findall(tail)
    if len(numbers) != 1 and "=" not in text:
        return None
    if not numbers:
        return None
    value = float(numbers[0])
    return int(value) if value.is_integer() and "." not in numbers[0] else value


def _vocabulary(key: ConfigKey, config: UserConfig) -> list[str]:
    """Values a text key could take: the options of a group, or text values of keys that share
    its name elsewhere in the config."""
    if key.kind == GROUP:
        return list(key.options)
    leaf = _leaf(key.path)
    return sorted(
        {
            k.value
            for k in config.keys
            if k.kind == "str" and k.path != key.path and _leaf(k.path) == leaf
        }
    )


def _named_value(label: str, key: ConfigKey, config: UserConfig) -> Variant:
    vocabulary = _vocabulary(key, config)
    phrase = Phrase.of(label)
    scored = sorted(((score(phrase, words(v)), v) for v in vocabulary), reverse=True)
    if scored and scored[0][0] >= MIN_SCORE:
        best, value = scored[0]
        return Variant(label, value, True, best, note="option" if key.kind == GROUP else "value")
    seen = f" (best: {scored[0][1]!r}, {scored[0][0]:.0f})" if scored else ""
    return Variant(label, note=f"no value of {key.path} matches{seen}")


def variant_value(label: str, ablation: Ablation, key: ConfigKey, config: UserConfig) -> Variant:
    """The value of ``key`` that runs one variant of ``ablation``."""
    if ablation.action is Action.REMOVE:
        return off_value(key)
    if key.kind in ("int", "float") or (key.kind == "null" and number_in(label) is not None):
        number = number_in(label)
        if number is None:
            return Variant(label, note="no number in the variant")
        if key.kind == "float":
            number = float(number)
        return Variant(label, number, True, note="number")
    if key.kind == "bool":
        if ablation.action is Action.ADD and key.value is False:
            return Variant(label, True, True, note="flag on")
        return Variant(label, note="a flag cannot take this variant")
    if key.kind in ("str", GROUP):
        return _named_value(label, key, config)
    return Variant(label, note=f"a {key.kind} key cannot take this variant")


_PREFERENCE = {
    Action.REMOVE: ("bool", GROUP, "float", "int", "str", "null", NODE),
    Action.REPLACE: (GROUP, "float", "int", "str", "null", "bool"),
    Action.ADD: ("bool", GROUP, "str", "float", "int", "null"),
}


def _switch(key: ConfigKey, config: UserConfig) -> ConfigKey:
    """A node switched off through its ``enabled``-like flag when it has one."""
    for child in key.children:
        found = config.get(child)
        if found and found.kind == "bool" and _leaf(child).lower() in _ON_CHILDREN:
            return found
    return key


def _text_of(ablation: Ablation) -> str:
    if ablation.action is Action.ADD and ablation.replacement:
        return f"{ablation.ablated_part} {' '.join(ablation.replacement)}"
    return ablation.ablated_part


def map_ablation(rank: int, ablation: Ablation, config: UserConfig) -> Mapping:
    """The best key for one ablation and a value for each of its variants."""
    phrase = Phrase.of(_text_of(ablation))
    preference = _PREFERENCE[ablation.action]
    ranked = sorted(
        (
            (score(phrase, key_words(key)), -preference.index(key.kind), -len(key.path), key)
            for key in config.keys
            if key.kind in preference
        ),
        key=lambda item: item[:3],
        reverse=True,
    )
    if not ranked or ranked[0][0] < MIN_SCORE:
        best = ranked[0] if ranked else None
        return Mapping(
            rank, ablation, score=best[0] if best else 0.0, best_seen=best[3].path if best else None
        )
    best_score, _, _, key = ranked[0]
    if key.kind == NODE:
        key = _switch(key, config)
    mapping = Mapping(rank, ablation, key, best_score)
    mapping.variants = [variant_value(v, ablation, key, config) for v in ablation.variants()]
    return mapping


def seed_key(config: UserConfig) -> ConfigKey | None:
    """The config's random-seed key (``seed``, ``training.seed``, ``random_seed``...)."""
    for key in config.keys:
        if key.kind in ("int", "null") and _leaf(key.path).lower() in ("seed", "random_seed"):
            return key
    return None


def map_plan(plan: Plan, config: UserConfig) -> PlanMapping:
    """Map every ablation of ``plan`` onto ``config``."""
    mappings = [map_ablation(i, a, config) for i, a in enumerate(plan.ablations, 1)]
    return PlanMapping(plan, config, mappings, seed_key(config))
